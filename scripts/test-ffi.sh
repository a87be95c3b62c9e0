#!/usr/bin/env bash
# Tests the C library (ffi/) end to end, from a fresh clone: installs what it needs (Debian's
# Arm cross-compiler, newlib and qemu, cbindgen, the Cortex-M Rust targets), then
#   1. builds the host static library and checks the committed header is what cbindgen makes;
#   2. runs the Rust tests of the library and of the line corpus it replays;
#   3. builds the C tests with gcc -Wall -Wextra -Werror and ASan/UBSan, runs every API case
#      and the scenario corpus, whose printed transcript must be the corpus byte for byte;
#   4. cross-builds the library for thumbv7em-none-eabihf (no alloc, panic=abort, size
#      optimised), links the bare-metal program in ffi/embedded, runs it under
#      qemu-system-arm (mps2-an386, Cortex-M4F) and compares its transcript the same way
#      (the program also checks the chain's finality function, sh_justify_and_finalize);
#   5. checks the budgets (library code <= 64 KB, stack <= 8 KB per call, no heap) and prints
#      the figures;
#   6. builds the pure surface for thumbv6m-none-eabi (Cortex-M0+).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

CBINDGEN_VERSION=0.29.4
APT_PACKAGES=(gcc qemu-system-arm gcc-arm-none-eabi binutils-arm-none-eabi libnewlib-arm-none-eabi)
RUST_TARGETS=(thumbv7em-none-eabihf thumbv6m-none-eabi)
CODE_BUDGET=$((64 * 1024))
STACK_BUDGET=$((8 * 1024))

step "tools: apt packages, Rust targets, cbindgen $CBINDGEN_VERSION"
missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
installed=$(rustup target list --installed)
for target in "${RUST_TARGETS[@]}"; do
  grep -qx "$target" <<<"$installed" || rustup target add "$target"
done
if [[ "$(cbindgen --version 2>/dev/null || true)" != "cbindgen $CBINDGEN_VERSION" ]]; then
  cargo install --locked cbindgen --version "$CBINDGEN_VERSION"
fi

TARGET_DIR=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
OUT="$TARGET_DIR/ffi-test"
rm -rf "$OUT"
mkdir -p "$OUT"
CORPUS=tests/vectors/scenarios.txt

step "host library (feature alloc) and header freshness"
cargo build -p stakehold-ffi --features alloc
cbindgen --quiet --config ffi/cbindgen.toml --crate stakehold-ffi --output "$OUT/stakehold.h" ffi
diff -u ffi/include/stakehold.h "$OUT/stakehold.h" ||
  fail "ffi/include/stakehold.h is stale: run scripts/build-ffi.sh and commit the header"

step "Rust tests: the library, the line corpus, no heap"
cargo test -p stakehold-ffi --features alloc
cargo test -p stakehold-tests --test corpus_text --test no_heap

step "host C tests (gcc, ASan + UBSan)"
gcc -std=c11 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined -fno-sanitize-recover=all \
  -fno-omit-frame-pointer -DSH_FEATURE_ALLOC -Iffi/include -Iffi/tests \
  ffi/tests/test_ffi.c ffi/tests/replay.c "$TARGET_DIR/debug/libstakehold_ffi.a" \
  -lpthread -ldl -lm -o "$OUT/test_ffi"
"$OUT/test_ffi" "$CORPUS" >"$OUT/host.txt"
diff -u "$CORPUS" "$OUT/host.txt" >"$OUT/host.diff" ||
  fail "the host transcript differs from $CORPUS (see $OUT/host.diff)"
echo "host transcript = $CORPUS ($(wc -l <"$CORPUS") lines)"
# The ledger fuzz corpus as scenarios (tests/tests/fuzz_corpus.rs writes it from the native run).
cargo test -q -p stakehold-tests --test fuzz_corpus the_ledger_corpus_as_cross_target_scenarios
FUZZ_CORPUS="$TARGET_DIR/tmp/fuzz-vectors/ledger.txt"
"$OUT/test_ffi" "$FUZZ_CORPUS" >"$OUT/host-fuzz.txt"
diff -u "$FUZZ_CORPUS" "$OUT/host-fuzz.txt" >"$OUT/host-fuzz.diff" ||
  fail "the host transcript differs from the fuzz corpus (see $OUT/host-fuzz.diff)"
echo "host transcript = the ledger fuzz corpus ($(grep -c '^scenario ' "$FUZZ_CORPUS") scenarios)"
# The replay must notice a wrong expectation: change the first event's last digit.
sed '0,/^ok /s/^\(ok .*\)\(.\)$/\1x/' "$CORPUS" >"$OUT/wrong.txt"
if "$OUT/test_ffi" "$OUT/wrong.txt" >"$OUT/wrong-transcript.txt" 2>/dev/null; then
  fail "the C replay accepted a corpus with a wrong event"
fi
echo "a wrong expected event is reported: $(grep -c '^% mismatch' "$OUT/wrong-transcript.txt") mismatch"

step "firmware: thumbv7em-none-eabihf library, bare-metal program, qemu mps2-an386"
cargo build -p stakehold-ffi --profile firmware --target thumbv7em-none-eabihf
FIRMWARE_LIB="$TARGET_DIR/thumbv7em-none-eabihf/firmware/libstakehold_ffi.a"
python3 - "$CORPUS" "$OUT/corpus.h" <<'EOF'
import sys
lines = ['/* Generated from tests/vectors/scenarios.txt by scripts/test-ffi.sh; do not edit. */',
         'static const char corpus[] =']
for line in open(sys.argv[1], encoding='utf-8').read().splitlines(True):
    escaped = (line.replace('\\', '\\\\').replace('"', '\\"')
               .replace('\t', '\\t').replace('\n', '\\n'))
    lines.append('    "%s"' % escaped)
lines.append('    ;')
open(sys.argv[2], 'w', encoding='utf-8').write('\n'.join(lines) + '\n')
EOF
arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16 -Os -g -std=c11 \
  -Wall -Wextra -Werror -ffunction-sections -fdata-sections \
  -Iffi/include -Iffi/tests -Iffi/embedded -I"$OUT" \
  -T ffi/embedded/link.ld --specs=rdimon.specs -nostartfiles \
  -Wl,--gc-sections -Wl,--no-warn-execstack -Wl,-Map="$OUT/firmware.map" \
  ffi/embedded/main.c ffi/embedded/startup.c ffi/tests/replay.c "$FIRMWARE_LIB" \
  -o "$OUT/firmware.elf"
arm-none-eabi-size "$OUT/firmware.elf"
# Semihosting output arrives on qemu's stderr; its exit status is the program's.
timeout 60 qemu-system-arm -M mps2-an386 -nographic -monitor none -serial none \
  -semihosting-config enable=on,target=native -kernel "$OUT/firmware.elf" \
  >"$OUT/qemu.stdout" 2>"$OUT/qemu.txt" || {
  cat "$OUT/qemu.stdout" "$OUT/qemu.txt" | grep '^%' || true
  fail "the firmware program failed under qemu"
}
grep -v '^% ' "$OUT/qemu.txt" >"$OUT/firmware.txt"
diff -u "$CORPUS" "$OUT/firmware.txt" >"$OUT/firmware.diff" ||
  fail "the Cortex-M4 transcript differs from $CORPUS (see $OUT/firmware.diff)"
echo "Cortex-M4 transcript = $CORPUS"
grep '^% ' "$OUT/qemu.txt"

step "budgets"
python3 - "$OUT/firmware.map" "$OUT/qemu.txt" "$CODE_BUDGET" "$STACK_BUDGET" <<'EOF'
import re, sys
map_path, qemu_path, code_budget, stack_budget = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
# Input sections that the linker kept from libstakehold_ffi.a, from the map's memory map.
text = open(map_path, encoding='utf-8').read()
kept = text.split('Linker script and memory map', 1)[1]
entry = re.compile(r'^ (\.\S+)?\s*\n?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S*libstakehold_ffi\.a\(\S+\))', re.M)
sizes = {'code': 0, 'rodata': 0, 'ram': 0}
for name, _addr, size, _obj in entry.findall(kept):
    size = int(size, 16)
    if name.startswith(('.text', '.ARM')):
        sizes['code'] += size
    elif name.startswith('.rodata'):
        sizes['rodata'] += size
    elif name.startswith(('.data', '.bss')):
        sizes['ram'] += size
flash = sizes['code'] + sizes['rodata']
report = open(qemu_path, encoding='utf-8').read()
worst = int(re.search(r'^% stack worst call: (\d+) bytes', report, re.M).group(1))
print(f"library in the firmware: {sizes['code']} B code + {sizes['rodata']} B constants "
      f"= {flash} B flash (budget {code_budget}), {sizes['ram']} B static RAM")
print(f"stack, worst library call: {worst} B (budget {stack_budget})")
if flash > code_budget:
    sys.exit('FAILED: the library takes more flash than the budget')
if worst > stack_budget:
    sys.exit('FAILED: a library call needs more stack than the budget')
EOF
if arm-none-eabi-nm "$OUT/firmware.elf" | grep -qwE '__rust_alloc|__rust_alloc_zeroed|__rust_realloc|malloc|_sbrk'; then
  fail "the firmware links an allocator or malloc"
fi
echo "heap: none (no allocator, malloc or sbrk linked; the library's allocator would fault)"
echo "largest symbols of the library in the firmware (nm --size-sort):"
arm-none-eabi-nm --defined-only "$FIRMWARE_LIB" 2>/dev/null | awk 'NF == 3 { print $3 }' | sort -u \
  >"$OUT/library-symbols.txt"
arm-none-eabi-nm --size-sort -S "$OUT/firmware.elf" |
  awk 'NR == FNR { lib[$1] = 1; next } ($4 in lib) { print }' "$OUT/library-symbols.txt" - |
  tail -10 | arm-none-eabi-c++filt

step "Cortex-M0+: thumbv6m-none-eabi build of the pure surface"
# parity-scale-codec 3.7.5 (the latest release) implements a trait for `Arc` without the
# `target_has_atomic = "ptr"` guard the rest of its `Arc` code has, so it does not compile for
# targets without atomic compare-and-swap such as ARMv6-M (upstream issue 750, fixed on its
# main branch, unreleased). Until a release has the fix, this check builds a copy of the
# workspace (core, ffi, vendor) whose [patch.crates-io] adds that one `cfg` line to a copy of
# the codec, so the repository's own lockfile stays untouched.
M0="$OUT/m0-workspace"
mkdir -p "$M0"
cp -R Cargo.toml Cargo.lock core ffi vendor "$M0/"
codec_manifest=$(cargo metadata --format-version 1 --filter-platform thumbv6m-none-eabi |
  python3 -c 'import json, sys
print(next(p["manifest_path"] for p in json.load(sys.stdin)["packages"] if p["name"] == "parity-scale-codec"))')
cp -R "$(dirname "$codec_manifest")" "$M0/parity-scale-codec"
python3 - "$M0" <<'EOF'
import re, sys
root = sys.argv[1]
codec = f'{root}/parity-scale-codec/src/codec.rs'
text = open(codec).read()
line = 'impl<T: DecodeWithMemTracking> DecodeWithMemTracking for Arc<T> {}'
assert text.count(line) == 1, 'parity-scale-codec changed: revisit the thumbv6m workaround'
open(codec, 'w').write(text.replace(line, '#[cfg(target_has_atomic = "ptr")]\n' + line))
manifest = f'{root}/Cargo.toml'
text = open(manifest).read()
text = re.sub(r'^members = .*$', 'members = ["core", "ffi"]', text, flags=re.M)
text = text.replace('[patch.crates-io]\n',
                    '[patch.crates-io]\nparity-scale-codec = { path = "parity-scale-codec" }\n')
open(manifest, 'w').write(text)
EOF
(cd "$M0" && CARGO_TARGET_DIR="$TARGET_DIR" cargo build -p stakehold-ffi --target thumbv6m-none-eabi \
  --profile firmware)
echo "thumbv6m-none-eabi: $(du -b "$TARGET_DIR/thumbv6m-none-eabi/firmware/libstakehold_ffi.a" | cut -f1) byte archive"

printf '\nC library: all checks passed.\n'

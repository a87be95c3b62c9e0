#!/usr/bin/env bash
# Line coverage of the core crate (core/src) by the committed corpora, for fuzz/README.md:
#   fuzz/coverage.sh [TARGET...]        (default: every target)
# Builds each target with coverage instrumentation (`cargo fuzz coverage`, needs the nightly
# llvm-tools component), runs its corpus and regressions, prints each target's total, then the
# per-file table of all targets together.
source "$(dirname "$0")/setup.sh"
(($#)) && TARGETS=("$@")

rustup component add llvm-tools-preview --toolchain nightly >/dev/null 2>&1 || true
host=$(rustc +nightly -vV | sed -n 's/^host: //p')
llvm_bin="$(rustc +nightly --print sysroot)/lib/rustlib/$host/bin"
[[ -x "$llvm_bin/llvm-cov" ]] || { echo "coverage: nightly llvm-tools not installed"; exit 1; }
ignore='(/.cargo/|/rustc/|/vendor/|/tests/|/ffi/|/fuzz/)'

objects=()
profiles=()
for target in "${TARGETS[@]}"; do
  mkdir -p "fuzz/regressions/$target"
  cargo +nightly fuzz coverage "$target" "fuzz/corpus/$target" "fuzz/regressions/$target" \
    >"fuzz/target/coverage-$target.log" 2>&1
  binary=$(find target fuzz/target -path "*/coverage/$host/release/$target" -type f 2>/dev/null |
    head -1)
  profile=fuzz/coverage/$target/coverage.profdata
  objects+=(-object "$binary")
  profiles+=("$profile")
  "$llvm_bin/llvm-cov" report "$binary" -instr-profile="$profile" --ignore-filename-regex="$ignore" |
    awk -v t="$target" '/^TOTAL/ { printf "%-16s core lines covered: %s (regions %s)\n", t, $10, $4 }'
done
"$llvm_bin/llvm-profdata" merge -sparse "${profiles[@]}" -o fuzz/coverage/all.profdata
echo "all targets together, per file of core/src:"
"$llvm_bin/llvm-cov" report "${objects[@]:1}" -instr-profile=fuzz/coverage/all.profdata \
  --ignore-filename-regex="$ignore" | awk 'NR > 2 && !/^-/ { printf "  %-22s lines %6s missed %6s  %s\n", $1, $8, $9, $10 }'

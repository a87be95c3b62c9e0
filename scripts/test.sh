#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs the pieces it needs (Rust targets,
# wasm-bindgen-cli, binaryen, Chromium, …), then checks formatting, lints (warnings are errors),
# runs every Rust test, builds the no_std core for the bare-metal and wasm targets, builds the
# npm package and tests it under Node (from its tarball) and in headless Chromium (the demo
# page), tests the C library (gcc with sanitizers, and a Cortex-M4 firmware under qemu), runs
# every fuzz target briefly (nightly, cargo-fuzz), and runs the narrated tour.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "toolchain: rustfmt, clippy and the no_std targets"
rustup component add rustfmt clippy >/dev/null 2>&1 || true
TARGETS=(thumbv7em-none-eabihf wasm32-unknown-unknown)
installed=$(rustup target list --installed)
for target in "${TARGETS[@]}"; do
  grep -qx "$target" <<<"$installed" || rustup target add "$target"
done

step "format"
cargo fmt --all -- --check

step "clippy (warnings are errors)"
cargo clippy --workspace --all-targets --all-features -- -D warnings
cargo clippy -p stakehold --no-default-features -- -D warnings

step "tests"
test_log=$(mktemp)
trap 'rm -f "$test_log"' EXIT
cargo test --workspace --all-features 2>&1 | tee "$test_log"
passed=$(awk '/^test result:/ { p += $4 } END { print p + 0 }' "$test_log")
failed=$(awk '/^test result:/ { f += $6 } END { print f + 0 }' "$test_log")

step "docs (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc -p stakehold --no-deps --all-features --quiet

step "no_std builds"
for target in "${TARGETS[@]}"; do
  cargo build -p stakehold --no-default-features --target "$target"
  cargo build -p stakehold --no-default-features --features alloc --target "$target"
done

# Node's test runner ends with "# pass N" / "# fail N".
node_tests() {
  local log=$1
  passed=$((passed + $(awk '/^# pass / { p += $3 } END { print p + 0 }' "$log")))
  failed=$((failed + $(awk '/^# fail / { f += $3 } END { print f + 0 }' "$log")))
}

step "npm package: build, then test under Node from the packed tarball"
wasm_log=$(mktemp)
bash scripts/test-wasm.sh 2>&1 | tee "$wasm_log"
node_tests "$wasm_log"

step "npm package: the demo page in headless Chromium"
web_log=$(mktemp)
STAKEHOLD_SKIP_WASM_BUILD=1 bash scripts/test-web.sh 2>&1 | tee "$web_log"
node_tests "$web_log"
rm -f "$wasm_log" "$web_log"

step "C library: host tests (ASan/UBSan), firmware under qemu, budgets"
bash scripts/test-ffi.sh

step "fuzz smoke: every target briefly on nightly, from the committed corpus and past crashes"
bash fuzz/smoke.sh

step "tour"
cargo run --release --example tour -p stakehold --features alloc

printf '\nAll checks passed.\n'
printf 'tests: %s passed, %s failed\n' "$passed" "$failed"

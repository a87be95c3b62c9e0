#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs the Rust pieces it needs, then checks
# formatting, lints (warnings are errors), runs every test, builds the no_std core for the
# bare-metal and wasm targets, and runs the narrated tour.
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

step "tour"
cargo run --release --example tour -p stakehold --features alloc

printf '\nAll checks passed.\n'
printf 'tests: %s passed, %s failed\n' "$passed" "$failed"

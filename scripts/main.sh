#!/usr/bin/env bash
# The main job: builds everything (host, Cortex-M4F and wasm core, the npm package, the C library
# and its header) and runs the narrated tour.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS=(thumbv7em-none-eabihf wasm32-unknown-unknown)
installed=$(rustup target list --installed)
for target in "${TARGETS[@]}"; do
  grep -qx "$target" <<<"$installed" || rustup target add "$target"
done

cargo build --workspace --release --all-features --lib --examples
for target in "${TARGETS[@]}"; do
  cargo build -p stakehold --release --no-default-features --target "$target"
done
echo "Built: target/release (host), target/thumbv7em-none-eabihf/release and"
echo "target/wasm32-unknown-unknown/release (no_std core, libstakehold.rlib)."
bash scripts/build-wasm.sh
bash scripts/build-ffi.sh
echo
cargo run --release --example tour -p stakehold --features alloc

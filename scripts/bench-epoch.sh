#!/usr/bin/env bash
# The epoch transition over 1,000,000 validators, natively and as WebAssembly under Node
# (issue budget: at most 25 ms natively, at most twice that in wasm):
#   scripts/bench-epoch.sh [epochs]
# Native: the criterion benchmark (core/benches/epoch.rs) and its workload timed by
# core/examples/epoch_timing.rs; wasm: the same example built for wasm32-wasip1 and run by
# Node's WASI (wasm/bench/epoch-wasi.mjs). Not part of the test suite (timings are not tests).
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${1:-15}
target_dir=${CARGO_TARGET_DIR:-target}
rustup target add wasm32-wasip1 >/dev/null
echo "== native (criterion)"
cargo bench -p stakehold --bench epoch -- --measurement-time 10
echo "== native (the example)"
cargo run -q --release -p stakehold --example epoch_timing -- "$epochs"
echo "== wasm under Node $(node --version)"
cargo build -q --release -p stakehold --example epoch_timing --target wasm32-wasip1
node wasm/bench/epoch-wasi.mjs "$target_dir/wasm32-wasip1/release/examples/epoch_timing.wasm" "$epochs"

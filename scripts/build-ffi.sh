#!/usr/bin/env bash
# Builds the C library for the host: the static and shared libraries (with the ledger handle,
# feature `alloc`) and the header ffi/include/stakehold.h, regenerated with cbindgen (commit it
# when it changes: scripts/test-ffi.sh fails on a stale header). Firmware builds: ffi/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

CBINDGEN_VERSION=0.29.4
if [[ "$(cbindgen --version 2>/dev/null || true)" != "cbindgen $CBINDGEN_VERSION" ]]; then
  cargo install --locked cbindgen --version "$CBINDGEN_VERSION"
fi

cargo build --release -p stakehold-ffi --features alloc
# The crate's only declared type is staticlib (an rlib beside it would turn LTO off), so the
# shared library is a second, explicit build.
cargo rustc --release -p stakehold-ffi --features alloc --crate-type cdylib
cbindgen --quiet --config ffi/cbindgen.toml --crate stakehold-ffi --output ffi/include/stakehold.h ffi

TARGET_DIR=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
echo "C library (host, with the ledger handle: define SH_FEATURE_ALLOC):"
echo "  static: $TARGET_DIR/release/libstakehold_ffi.a"
echo "  shared: $TARGET_DIR/release/libstakehold_ffi.so"
echo "  header: $(pwd)/ffi/include/stakehold.h"

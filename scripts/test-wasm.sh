#!/usr/bin/env bash
# Tests the npm package the way users get it: builds and packs it (scripts/build-wasm.sh, unless
# STAKEHOLD_SKIP_WASM_BUILD=1), installs the tarball into a fresh temporary project, runs the
# tests in wasm/tests there with Node's test runner (among them the cross-target replay of the
# scenario corpus and of the ledger fuzz corpus), and type-checks a TypeScript consumer.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

step() { printf '\n==> %s\n' "$*"; }

[[ "${STAKEHOLD_SKIP_WASM_BUILD:-}" == 1 ]] || bash scripts/build-wasm.sh

target_dir=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
tarball=$(ls "$target_dir"/npm/stakehold-*.tgz)

step "the ledger fuzz corpus as scenarios (native run)"
cargo test -q -p stakehold-tests --test fuzz_corpus the_ledger_corpus_as_cross_target_scenarios

step "install $(basename "$tarball") into a fresh project"
project="$target_dir/npm/consumer"
rm -rf "$project"
mkdir -p "$project"
cp -r wasm/tests/. "$project/"
cd "$project"
npm init -y >/dev/null
npm install --silent --no-audit --no-fund "$tarball" typescript@5.9.3

step "node --test (the package from its tarball)"
STAKEHOLD_VECTORS="$repo/tests/vectors" STAKEHOLD_FUZZ_VECTORS="$target_dir/tmp/fuzz-vectors" \
  node --test ./*.test.mjs ./*.test.cjs

step "TypeScript: a strict consumer compiles against the package's types"
npx --no-install tsc -p types/tsconfig.json

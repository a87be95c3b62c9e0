#!/usr/bin/env bash
# The end-to-end test of the demo page wasm/examples/web in headless Chromium: installs Debian's
# chromium if it is missing, builds and packs the npm package (scripts/build-wasm.sh, unless
# STAKEHOLD_SKIP_WASM_BUILD=1), installs playwright-core (from the example's package-lock.json,
# never a browser download) and the package tarball into the example, and runs its test.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
as_root() { if ((EUID == 0)); then "$@"; else sudo "$@"; fi; }

example=wasm/examples/web

step "Chromium (Debian's package)"
if ! dpkg -s chromium >/dev/null 2>&1; then
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
fi
/usr/bin/chromium --version

[[ "${STAKEHOLD_SKIP_WASM_BUILD:-}" == 1 ]] || bash scripts/build-wasm.sh

metadata=$(cargo metadata --format-version 1 --no-deps)
target_dir=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])' <<<"$metadata")
version=$(python3 -c 'import json, sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "stakehold-wasm"))' <<<"$metadata")
tarball="$target_dir/npm/stakehold-$version.tgz"
if [[ ! -f "$tarball" ]]; then
  echo "error: $tarball is missing; run scripts/build-wasm.sh (or unset STAKEHOLD_SKIP_WASM_BUILD)" >&2
  exit 1
fi

step "install playwright-core and $(basename "$tarball") into $example"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
(
  cd "$example"
  # npm ci starts from an empty node_modules, so the tarball below is always the one just built.
  npm ci --no-audit --no-fund
  # --no-save: the package's version is in the tarball's name, so it stays out of package.json.
  npm install --no-save --no-audit --no-fund "$tarball"
)

step "node --test $example/ (headless Chromium)"
node --test "$example/e2e.test.mjs"

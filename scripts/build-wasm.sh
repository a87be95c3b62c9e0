#!/usr/bin/env bash
# Builds the npm package `stakehold` from wasm/ and packs it:
#   target/npm/stakehold/               the package directory
#   target/npm/stakehold-<version>.tgz  what `npm install` takes
# Installs what it needs: the wasm32 target, wasm-bindgen-cli at exactly the version of the
# wasm-bindgen crate in Cargo.lock, and wasm-opt from the npm package `binaryen` (pinned below).
# Not Debian's binaryen: its version 108 rewrites the export of wasm-bindgen's externref table
# to the function table, and the module then fails to load.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

target_dir=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
version=$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "stakehold-wasm"))')
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)

binaryen_version=132.0.0

step "toolchain: wasm32 target, wasm-bindgen-cli $bindgen_version, binaryen $binaryen_version"
rustup target list --installed | grep -qx wasm32-unknown-unknown ||
  rustup target add wasm32-unknown-unknown
if [[ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $bindgen_version" ]]; then
  # Not --locked: the CLI's lockfile pins a crate version this registry lacks (TOOLCHAIN.md).
  cargo install wasm-bindgen-cli --version "$bindgen_version" --force
fi
tools="$target_dir/tools"
wasm_opt="$tools/node_modules/.bin/wasm-opt"
if [[ "$("$wasm_opt" --version 2>/dev/null)" != *"version ${binaryen_version%%.*}"* ]]; then
  npm install --silent --no-audit --no-fund --prefix "$tools" "binaryen@$binaryen_version"
fi

step "compile (release, wasm32-unknown-unknown)"
cargo build -p stakehold-wasm --profile wasm --target wasm32-unknown-unknown
wasm="$target_dir/wasm32-unknown-unknown/wasm/stakehold_wasm.wasm"

pkg="$target_dir/npm/stakehold"
rm -rf "$pkg"
mkdir -p "$pkg/dist" "$pkg/web" "$pkg/node"

step "bindings and wasm-opt"
# The features rustc enables by default for wasm32 (bulk memory, sign extension, …); wasm-opt
# must accept them and must not add others.
opt_features=(--enable-bulk-memory --enable-sign-ext --enable-mutable-globals
  --enable-nontrapping-float-to-int --enable-reference-types --enable-multivalue)
for flavour in web:web node:nodejs; do
  dir=${flavour%%:*}
  wasm-bindgen --target "${flavour#*:}" --out-dir "$pkg/dist/$dir" --out-name stakehold_wasm \
    --no-typescript "$wasm"
  "$wasm_opt" -Oz "${opt_features[@]}" --strip-debug --strip-producers \
    "$pkg/dist/$dir/stakehold_wasm_bg.wasm" -o "$pkg/dist/$dir/stakehold_wasm_bg.wasm"
done
# The nodejs glue is CommonJS inside a "type": "module" package.
echo '{ "type": "commonjs" }' >"$pkg/dist/node/package.json"

step "package files"
cp wasm/js/api.js "$pkg/dist/api.js"
# The same API as CommonJS, for Node's require(): only the export statement differs.
sed 's/^export function createApi/function createApi/' wasm/js/api.js >"$pkg/dist/api.cjs"
echo 'module.exports = { createApi };' >>"$pkg/dist/api.cjs"
cp wasm/js/web.js "$pkg/web/index.js"
cp wasm/js/node.cjs "$pkg/node/index.cjs"
cp wasm/js/node.mjs "$pkg/node/index.mjs"
cp wasm/index.d.ts "$pkg/index.d.ts"
cp wasm/index.d.ts "$pkg/index.d.cts"
cp wasm/README.md "$pkg/README.md"
cp LICENSE "$pkg/LICENSE"
python3 - "$pkg/package.json" "$version" <<'PY'
import json, sys
path, version = sys.argv[1], sys.argv[2]
package = json.load(open("wasm/package.json"))
package["version"] = version
open(path, "w").write(json.dumps(package, indent=2) + "\n")
PY

step "npm pack"
(cd "$target_dir/npm" && npm pack --silent ./stakehold >/dev/null)
tarball="$target_dir/npm/stakehold-$version.tgz"
test -f "$tarball"

raw_size=$(stat -c %s "$pkg/dist/web/stakehold_wasm_bg.wasm")
gz_size=$(gzip -9 -c "$pkg/dist/web/stakehold_wasm_bg.wasm" | wc -c)
# The design budget is 120 KB (50 KB gzipped). The staking package met it (114,829 B); with the
# proof-of-stake chain it does not (about 230 KB with slashing and rewards, wasm/README.md says
# where the bytes go), and it stays reported as missed until it is met. The build fails above
# the ceiling below: no change may grow the module past the size it has now without raising
# this line on purpose (last raised for slashing, participation flags and rewards: issue 7).
budget=122880 budget_gz=51200 ceiling=239616 ceiling_gz=101888
echo "wasm after wasm-opt: $raw_size bytes ($gz_size gzipped); budget $budget ($budget_gz gzipped)"
if ((raw_size > budget || gz_size > budget_gz)); then
  echo "wasm size: OVER the design budget (see wasm/README.md); ceiling $ceiling ($ceiling_gz gzipped)"
fi
if ((raw_size > ceiling || gz_size > ceiling_gz)); then
  echo "error: the .wasm grew past its ceiling" >&2
  exit 1
fi
echo "npm package: $tarball"

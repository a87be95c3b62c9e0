# Sourced by fuzz/smoke.sh and fuzz/campaign.sh: puts the nightly toolchain and cargo-fuzz in
# place (a fresh machine has neither) and moves to the repository root.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

CARGO_FUZZ_VERSION=0.13.2
TARGETS=(decode_msg decode_records decode_snapshot decode_event parse_text ledger screen finality decode_evidence)

if ! cargo +nightly --version >/dev/null 2>&1; then
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  cargo install --locked "cargo-fuzz@$CARGO_FUZZ_VERSION"
fi

#!/usr/bin/env bash
# The fuzz smoke of the test suite: every target for SECONDS (default 25; nine targets, about
# 4 minutes) from the committed corpus and every past crash input, on nightly with AddressSanitizer.
# Fails on the first crash; the input is left in fuzz/artifacts/TARGET/. New inputs found go to
# a scratch directory, never into the committed corpus (fuzz/campaign.sh grows that).
#   fuzz/smoke.sh [SECONDS]
source "$(dirname "$0")/setup.sh"
seconds=${1:-25}

cargo +nightly fuzz build
for target in "${TARGETS[@]}"; do
  scratch=fuzz/target/smoke/$target
  rm -rf "$scratch" && mkdir -p "$scratch"
  # git keeps no empty directory: a target without past crashes has none in a fresh clone.
  mkdir -p "fuzz/regressions/$target"
  echo "fuzz smoke: $target for ${seconds}s"
  if ! cargo +nightly fuzz run "$target" "$scratch" "fuzz/corpus/$target" "fuzz/regressions/$target" \
      -- -max_total_time="$seconds" -print_final_stats=1 >"$scratch.log" 2>&1; then
    tail -n 40 "$scratch.log"
    echo "fuzz smoke: $target FAILED (crash input in fuzz/artifacts/$target/)"
    exit 1
  fi
  grep -E '^#[0-9]+[[:space:]]+DONE' "$scratch.log" | sed "s/^/  /"
done
echo "fuzz smoke: ${#TARGETS[@]} targets passed"

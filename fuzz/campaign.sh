#!/usr/bin/env bash
# A long fuzz campaign on one target, then the committed corpus minimised from what it found:
#   fuzz/campaign.sh TARGET MINUTES [JOBS]
# Starts from fuzz/corpus/TARGET and fuzz/regressions/TARGET, fuzzes for MINUTES (with JOBS
# parallel workers, default 1), then replaces fuzz/corpus/TARGET with `cargo fuzz cmin` of
# everything found and prints the figures for fuzz/README.md: executions per second, edge
# coverage (libFuzzer's `cov`) and corpus size. A crash stops the campaign; its input is in
# fuzz/artifacts/TARGET/ — fix the bug, then add the input to fuzz/regressions/TARGET/.
source "$(dirname "$0")/setup.sh"
target=${1:?usage: fuzz/campaign.sh TARGET MINUTES [JOBS]}
minutes=${2:?usage: fuzz/campaign.sh TARGET MINUTES [JOBS]}
jobs=${3:-1}

work=fuzz/target/campaign/$target
rm -rf "$work" && mkdir -p "$work/corpus" "fuzz/regressions/$target"
cp "fuzz/corpus/$target/"* "$work/corpus/" 2>/dev/null || true
log=$work/fuzz.log
echo "campaign: $target for $minutes min (log: $log)"
cargo +nightly fuzz run "$target" "$work/corpus" "fuzz/regressions/$target" -- \
  -max_total_time=$((minutes * 60)) -print_final_stats=1 \
  $([ "$jobs" -gt 1 ] && echo "-fork=$jobs") >"$log" 2>&1 || {
  tail -n 40 "$log"
  echo "campaign: $target CRASHED (input in fuzz/artifacts/$target/)"
  exit 1
}

cargo +nightly fuzz cmin "$target" "$work/corpus" >"$work/cmin.log" 2>&1
rm -rf "fuzz/corpus/$target" && mkdir -p "fuzz/corpus/$target"
cp "$work/corpus/"* "fuzz/corpus/$target/"

# One worker prints final stats; with JOBS > 1 (libFuzzer's -fork) only the status lines
# `#RUNS: cov: …` say how far it got.
runs=$(grep -oP 'stat::number_of_executed_units: *\K[0-9]+' "$log" | tail -1 || true)
[[ -n "$runs" ]] || runs=$(grep -oP '^#\K[0-9]+(?=: cov:)' "$log" | tail -1 || true)
runs=${runs:-0}
done_line=$(grep -E '^#[0-9]+([[:space:]]+DONE|: cov:)' "$log" | tail -1 || true)
echo "campaign: $target: $runs executions in $minutes min ($((runs / (minutes * 60))) exec/s)"
echo "campaign: $target: last status: ${done_line:-see $log}"
echo "campaign: $target: corpus minimised to $(ls "fuzz/corpus/$target" | wc -l) inputs," \
  "$(du -sh "fuzz/corpus/$target" | cut -f1)"

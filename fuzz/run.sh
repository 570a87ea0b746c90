#!/usr/bin/env bash
# Run every fuzz target for SECS seconds (default 600) with cargo-fuzz on nightly and print
# the final libFuzzer figures. Crashes land in fuzz/artifacts/TARGET/: copy each into
# fuzz/regressions/TARGET/ once fixed (tests/fuzz_regressions.rs replays them).
set -uo pipefail
cd "$(dirname "$0")"
SECS="${1:-600}"
for t in framework workspace keymap keys; do
  mkdir -p "corpus/$t"
  cargo +nightly fuzz run -O "$t" "corpus/$t" -- -max_total_time="$SECS" -rss_limit_mb=2048 \
    -timeout=10 > "/tmp/fuzz-$t.log" 2>&1 &
done
wait
for t in framework workspace keymap keys; do
  echo "== $t"; grep -E "^#[0-9]+.*(DONE|pulse)|Done [0-9]+ runs|SUMMARY|crash-|timeout-|oom-" "/tmp/fuzz-$t.log" | tail -3
done

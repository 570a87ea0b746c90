#!/usr/bin/env bash
# Run fuzz targets for SECS seconds each (default 600) with cargo-fuzz on nightly, JOBS at a
# time (default 1), and print each target's final libFuzzer figures. Logs: /tmp/fuzz-TARGET.log.
# Crashes land in fuzz/artifacts/TARGET/: copy each into fuzz/regressions/TARGET/ once fixed
# (tests/it/fuzz_regressions.rs replays them).
#   ./run.sh [SECS] [TARGET...]
set -uo pipefail
cd "$(dirname "$0")"
SECS="${1:-600}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(framework workspace people keymap esco case keys terminal form)
JOBS="${JOBS:-1}"
cargo +nightly fuzz build -O || exit 1
# New inputs go to a scratch corpus; the seeds in corpus/ stay as committed.
WORK="${FUZZ_WORK:-/tmp/microcred-fuzz-corpus}"
for t in "${TARGETS[@]}"; do
  while [ "$(jobs -r | wc -l)" -ge "$JOBS" ]; do sleep 1; done
  mkdir -p "$WORK/$t" "artifacts/$t"
  # The binaries built above, run directly: no rebuild between targets if the sources change.
  "target/x86_64-unknown-linux-gnu/release/$t" "$WORK/$t" "corpus/$t" \
    -artifact_prefix="artifacts/$t/"  -max_total_time="$SECS" -rss_limit_mb=2048 \
    -timeout=10 > "/tmp/fuzz-$t.log" 2>&1 &
done
wait
for t in "${TARGETS[@]}"; do
  echo "== $t"
  grep -E "^#[0-9]+.*(DONE|pulse)|Done [0-9]+ runs|SUMMARY|crash-|timeout-|oom-|slow-unit" \
    "/tmp/fuzz-$t.log" | tail -3
done

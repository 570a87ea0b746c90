#!/usr/bin/env bash
# Editor start to first frame, in a real terminal (tmux at 200×60): from launching
# `microcred WORKSPACE` to the first screen that shows the gap panes. Prints each run and the
# median. Usage: benches/editor_start.sh WORKSPACE [FRAMEWORK...]  (RUNS=5 by default; the
# first run also warms the catalog cache, as a second start of the day would find it).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOT/target/release/microcred}
WS=$(realpath "$1"); shift
FW=()
for f in "$@"; do FW+=(--frameworks "$(realpath "$f")"); done
RUNS=${RUNS:-5}
SOCK=microcred-start-$$
times=()
for r in $(seq 0 "$RUNS"); do
  start=$(date +%s.%N)
  tmux -L "$SOCK" new-session -d -s s -x 200 -y 60 "$BIN ${FW[*]} $WS"
  until tmux -L "$SOCK" capture-pane -p -t s 2>/dev/null | grep -q "Gaps ("; do sleep 0.005; done
  end=$(date +%s.%N)
  tmux -L "$SOCK" kill-server
  # The lock is released when the process ends; wait for it.
  sleep 0.3
  t=$(python3 -c "print(f'{$end - $start:.3f}')")
  if [ "$r" -eq 0 ]; then echo "warm-up: $t s"; else echo "run $r: $t s"; times+=("$t"); fi
done
python3 -c 'import sys,statistics; print(f"median start to first frame: {statistics.median(map(float,sys.argv[1:])):.3f} s")' "${times[@]}"

#!/usr/bin/env bash
# What an edit costs on large designs and in a full room (issue 26), with the real binary:
#   1. an edit to the editor's screen (tmux, 200x60, ESCO loaded) at size 1 and size 4, with
#      the editor's peak RSS (benches/editor_edits.py);
#   2. `serve` on the size-1 design: 30 clients (10 commenting, about 5 changes/s) and 60
#      clients (10 commenting, about 11 changes/s), real `ssh -tt` clients
#      (benches/serve_edits.py): edit-to-screen times, server CPU per change, server RSS;
#   3. the size-4 design with 1,000 postings: start to the first full frame, warm
#      (benches/editor_start.sh).
# Each figure is run RUNS times and printed with the load average.
#
# Usage, from the repository root, after a release build:
#   cargo build --release --bin microcred --example gen_design
#   benches/edit_cost.sh [WORK_DIR] [PARTS]    (default /tmp/microcred-edit-cost, "1 2 3")
# Set BIN to measure another binary with the same files (for before/after figures).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
export BIN=${BIN:-$ROOT/target/release/microcred}
GEN=${GEN:-$ROOT/target/release/examples/gen_design}
ESCO_CSV=${ESCO_CSV:-$ROOT/../shared/data/esco-v1.1.1/skills_en.csv}
WORK=${1:-/tmp/microcred-edit-cost}
PARTS=${2:-1 2 3}
export RUNS=${RUNS:-3}
mkdir -p "$WORK"
cd "$WORK"
export MICROCRED_CACHE_DIR=$WORK/cache
unset MICROCRED_NO_CACHE MICROCRED_FRAMEWORKS

. "$ROOT/benches/designs.sh"
prepare_designs
if [ ! -s big-4-postings.yaml ]; then
  python3 - postings.csv <<'PY'
import csv, sys
tasks = ["clean and analyse sales data in SQL", "build dashboards that managers read weekly",
         "install and commission heat pumps", "care for older people at home",
         "maintain CNC machines and read technical drawings", "plan stock and manage suppliers"]
with open(sys.argv[1], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["title", "text"])
    for i in range(1000):
        a, b = tasks[i % len(tasks)], tasks[(i * 7 + 3) % len(tasks)]
        w.writerow([f"Posting {i}", f"Role {i}. You will {a} and {b} for site {i}."])
PY
  cp big-4.yaml big-4-postings.yaml
  "$BIN" --frameworks esco.yaml evidence add big-4-postings.yaml postings.csv \
    --column text --title-column title > /dev/null
fi
# Files written in the last two seconds get no snapshot: let them settle, then warm the caches
# (the frameworks, the search and suggestion snapshots).
sleep 3
"$BIN" --frameworks esco.yaml search "analyse data" > /dev/null
"$BIN" --frameworks esco.yaml suggest "analyse data" > /dev/null

for part in $PARTS; do
  case $part in
    1)
      echo "## An edit to the editor's screen (200x60, ESCO)"
      for s in 1 4; do python3 "$ROOT/benches/editor_edits.py" big-$s.yaml esco.yaml; done
      ;;
    2)
      echo "## serve, size 1, real ssh clients"
      CLIENTS=30 DESIGNERS=10 RATE=5 python3 "$ROOT/benches/serve_edits.py" big-1.yaml esco.yaml
      CLIENTS=60 DESIGNERS=10 RATE=11 python3 "$ROOT/benches/serve_edits.py" big-1.yaml esco.yaml
      ;;
    3)
      echo "## Start to the first full frame, size 4 with 1,000 postings, warm (load $(cut -d' ' -f1-3 /proc/loadavg))"
      RUNS=$((RUNS + 2)) "$ROOT/benches/editor_start.sh" big-4-postings.yaml esco.yaml
      ;;
  esac
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

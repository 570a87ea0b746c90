#!/usr/bin/env bash
# Scaling benchmark (issue 16): paired runs of every command at size 1 and size 4 against
# ESCO, the ratio of their mean times; `suggest` against `search` for the same text (warm);
# peak memory of loading a framework 4 and 8 times the size of ESCO from one file.
#
# Usage, from the repository root, after a release build:
#   cargo build --release --bin microcred --example gen_design
#   benches/scale.sh [WORK_DIR]        (default /tmp/microcred-scale; RUNS=20 by default)
#
# Needs hyperfine, python3 and GNU time (/usr/bin/time). Writes its files and its cache folder
# under WORK_DIR; prints one table per part and the ratios.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOT/target/release/microcred}
GEN=${GEN:-$ROOT/target/release/examples/gen_design}
ESCO_CSV=${ESCO_CSV:-$ROOT/../shared/data/esco-v1.1.1/skills_en.csv}
WORK=${1:-/tmp/microcred-scale}
RUNS=${RUNS:-20}
mkdir -p "$WORK"
cd "$WORK"
export MICROCRED_CACHE_DIR=$WORK/cache
unset MICROCRED_NO_CACHE MICROCRED_FRAMEWORKS

. "$ROOT/benches/designs.sh"
prepare_designs
for n in 4 8; do
  [ -s esco-x$n.yaml ] || python3 "$ROOT/benches/multiply_framework.py" esco.yaml $n esco-x$n.yaml
done
# Files written in the last two seconds get no snapshot: let them settle, then warm the caches.
sleep 3
M="$BIN --frameworks esco.yaml"
$M validate big-1.yaml > /dev/null
$M search "analyse data" > /dev/null
$M suggest "analyse data" > /dev/null

# Median wall time and mean CPU time (user + system) of command $2 in hyperfine's JSON $1.
median() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]["median"])' "$1" "$2"; }
cpu() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][int(sys.argv[2])]; print(r["user"]+r["system"])' "$1" "$2"; }
# One line: label, size-1 and size-4 medians and their ratio, then the CPU times' ratio.
line() {
  python3 -c 'import sys; c,a,b,x,y=sys.argv[1],*map(float,sys.argv[2:]); print(f"{c:<34} {a:10.3f} {b:10.3f} {b/a:7.2f} {y/x:7.2f}")' \
    "$1" "$(median pair.json 0)" "$(median pair.json 1)" "$(cpu pair.json 0)" "$(cpu pair.json 1)"
}

echo "## Size 4 against size 1 (paired, $RUNS runs each, warm caches)"
printf '%-34s %10s %10s %7s %7s\n' command "size 1 (s)" "size 4 (s)" ratio "CPU"
for cmd in "check" "validate" "fmt --check" "export --force --format yaml" \
           "export --force --format ob3" "export --force --format markdown"; do
  hyperfine -N -w 2 -r "$RUNS" --style none --export-json pair.json \
    "$M $cmd big-1.yaml" "$M $cmd big-4.yaml" > /dev/null
  line "$cmd"
done
echo "(median wall time of each; ratio: size 4 / size 1; CPU: the same for user + system time)"

echo
echo "## suggest against search, same text, warm (paired, $RUNS runs each)"
TEXT="analyse data"
hyperfine -N -w 3 -r "$RUNS" --style none --export-json pair.json \
  "$M search '$TEXT'" "$M suggest '$TEXT'" > /dev/null
python3 -c 'import sys; a,b,x,y=map(float,sys.argv[1:]); print(f"search {a*1000:.1f} ms, suggest {b*1000:.1f} ms (medians): ratio {b/a:.2f}; CPU (user + system) {x*1000:.1f} ms and {y*1000:.1f} ms: ratio {y/x:.2f}")' \
  "$(median pair.json 0)" "$(median pair.json 1)" "$(cpu pair.json 0)" "$(cpu pair.json 1)"

echo
echo "## A framework 4 and 8 times ESCO, from one file (no cache: parsed and checked)"
printf '%-12s %12s %10s %14s\n' file "size (MB)" "time (s)" "peak RSS (MB)"
declare -A rss
for n in 4 8; do
  MICROCRED_NO_CACHE=1 /usr/bin/time -v "$BIN" validate esco-x$n.yaml > /dev/null 2> time.txt
  kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' time.txt)
  el=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' time.txt)
  rss[$n]=$kb
  printf '%-12s %12.1f %10s %14.1f\n' "esco-x$n" "$(($(stat -c %s esco-x$n.yaml) / 1000))e-3" "$el" "${kb}e-3"
done
python3 -c 'import sys; print(f"peak RSS 8x / 4x: {int(sys.argv[2])/int(sys.argv[1]):.2f}")' "${rss[4]}" "${rss[8]}"
# And loaded through the catalog (the command line's way): parsed and checked, then cached
# (its own cache folder, emptied first), then from the cache.
for n in 4 8; do
  rm -rf "$WORK/cache-x$n"
  for run in first cached; do
    MICROCRED_CACHE_DIR=$WORK/cache-x$n /usr/bin/time -f "frameworks (esco-x$n, $run): %e s, peak RSS %M KB" \
      "$BIN" --frameworks esco-x$n.yaml frameworks 2>&1 > /dev/null | tail -1
  done
done
echo
"$BIN" cache | tail -1

#!/usr/bin/env bash
# `microcred check PORTFOLIO` on a portfolio of 50 size-1 designs (issue 31; target: <= 2 s).
#
#   cargo build --release --bin microcred --example gen_design
#   benches/portfolio_check.sh [WORK_DIR]     # default /tmp/microcred-portfolio; RUNS=5
#
# Generates 50 designs with gen_design (size 1, seeds 1..50, built-in frameworks), a portfolio
# naming them with ten stacks of five and one pathway through the first five with a job at the
# end, warms the caches with one run, then times RUNS whole-process runs of `check` (text
# report) and prints the median and the slowest. Needs python3 (no hyperfine needed).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN="${MICROCRED_BIN:-$ROOT/target/release/microcred}"
GEN="${GEN_DESIGN:-$ROOT/target/release/examples/gen_design}"
WORK="${1:-/tmp/microcred-portfolio}"
RUNS="${RUNS:-5}"
[ -x "$BIN" ] && [ -x "$GEN" ] || {
  echo "build first: cargo build --release --bin microcred --example gen_design" >&2
  exit 2
}
mkdir -p "$WORK"
cd "$WORK"
export MICROCRED_CACHE_DIR="$WORK/cache"
for i in $(seq 1 50); do
  [ -s "d$i.yaml" ] || "$GEN" --size 1 --seed "$i" -o "d$i.yaml" 2> /dev/null
done
python3 - <<'EOF'
lines = ["schema: microcred/portfolio@1", "title: Fifty generated designs", "credentials:"]
for i in range(1, 51):
    lines += [f"  - id: d{i}", f"    path: d{i}.yaml"]
lines.append("stacks:")
for s in range(10):
    parts = ", ".join(f"d{s * 5 + k + 1}" for k in range(5))
    lines += [f"  - id: s{s + 1}", f"    title: Stack {s + 1}", "    requires:",
              "      need: 4", f"      of: [{parts}]"]
lines += ["pathways:", "  - id: route", "    title: Through the first stack", "    components:"]
for k in range(1, 6):
    lines += [f"      - id: c{k}", f"        credential: d{k}"]
lines += ["      - id: job", "        job:", "          name: Analyst",
          "          occupation: \"2511\"", "    links:"]
for k in range(1, 5):
    lines.append(f"      - {{from: c{k}, to: c{k + 1}, kind: precedes}}")
lines += ["      - {from: c5, to: job, kind: precedes}", "    destinations: [job]"]
open("portfolio.yaml", "w").write("\n".join(lines) + "\n")
EOF
"$BIN" check portfolio.yaml > /dev/null || true # warm the caches
python3 - "$BIN" "$RUNS" <<'EOF'
import statistics, subprocess, sys, time
bin, runs = sys.argv[1], int(sys.argv[2])
times = []
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run([bin, "check", "portfolio.yaml"], stdout=subprocess.DEVNULL)
    times.append(time.perf_counter() - t)
print(f"check of 50 size-1 designs: median {statistics.median(times):.3f} s, "
      f"slowest {max(times):.3f} s over {runs} runs (target <= 2 s)")
EOF

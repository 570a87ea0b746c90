#!/usr/bin/env bash
# Does the cost grow linearly with big input? (issue 24, point 8.) Times, at N and 4N:
#   1. `evidence add` of a CSV of N postings (one short, distinct posting a row) to a copy of
#      examples/retail-data-analyst.yaml;
#   2. `validate` of a framework of N competencies whose parents are all unknown;
#   3. `validate` of a framework of N competencies in one long chain of parents.
# and prints each ratio of CPU times (linear: about 4; the target is at most 5).
#
# Usage: benches/linear.sh [N]     (default N=20000; BIN=target/release/microcred)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-target/release/microcred}
N=${1:-20000}
work=$(mktemp -d /tmp/microcred-linear.XXXXXX)
trap 'rm -rf "$work"' EXIT

csv() { # rows → file
  python3 - "$1" "$2" <<'PY'
import csv, sys
n, path = int(sys.argv[1]), sys.argv[2]
with open(path, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["title", "text"])
    for i in range(n):
        w.writerow([f"Analyst {i}", f"Data analyst {i}\nClean and analyse sales data in SQL for store {i}. "
                    f"Build dashboards that managers read every week."])
PY
}

framework() { # competencies, chain|orphans → file
  python3 - "$1" "$2" "$3" <<'PY'
import sys
n, kind, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with open(path, "w") as f:
    f.write('id: big\nname: Big\nversion: "1"\nlevels:\n  - level: 1\n    name: One\ncompetencies:\n')
    for i in range(n):
        parent = f"Q{i:07d}" if kind == "orphans" else (f"C{i-1:07d}" if i else None)
        f.write(f"  - id: C{i:07d}\n    name: Competency {i}\n    description: Does thing {i}.\n")
        if parent:
            f.write(f"    parent: {parent}\n")
PY
}

secs() { # command... → CPU seconds (user + system; steady under the load of other builds)
  python3 - "$@" <<'PY'
import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
if r.returncode not in (0, 1) or b"panicked" in r.stderr:
    sys.exit(f"{sys.argv[1:3]} failed: {r.stderr[-300:]!r}")
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{u.ru_utime + u.ru_stime:.2f}")
PY
}

row() { # label small large
  python3 -c "s,l=$2,$3; print(f'{\"$1\":<44} {s:>8.2f} s {l:>8.2f} s   x{l/s:.2f}')"
}

printf '%-44s %10s %10s   %s\n' "" "N=$N" "N=$((4 * N))" "ratio"
for n in "$N" "$((4 * N))"; do
  csv "$n" "$work/postings-$n.csv"
  framework "$n" orphans "$work/orphans-$n.yaml"
  framework "$n" chain "$work/chain-$n.yaml"
  cp examples/retail-data-analyst.yaml "$work/ws-$n.yaml"
done
add_s=$(secs "$BIN" evidence add "$work/ws-$N.yaml" "$work/postings-$N.csv" --column text --title-column title)
add_l=$(secs "$BIN" evidence add "$work/ws-$((4 * N)).yaml" "$work/postings-$((4 * N)).csv" --column text --title-column title)
row "evidence add, CSV rows" "$add_s" "$add_l"
orph_s=$(secs "$BIN" validate "$work/orphans-$N.yaml")
orph_l=$(secs "$BIN" validate "$work/orphans-$((4 * N)).yaml")
row "validate, competencies with unknown parents" "$orph_s" "$orph_l"
chain_s=$(secs "$BIN" validate "$work/chain-$N.yaml")
chain_l=$(secs "$BIN" validate "$work/chain-$((4 * N)).yaml")
row "validate, one chain of parents" "$chain_s" "$chain_l"

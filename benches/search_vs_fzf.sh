#!/usr/bin/env bash
# Whole-process `microcred search` against `fzf --filter` over the same ESCO labels (one line
# per preferred and alternative label), with hyperfine. Both run through the shell, so both pay
# the same start-up cost. Needs ../shared/data/esco-v1.1.1/skills_en.csv, hyperfine and fzf
# (installed with apt-get when missing). fzf exits 1 when nothing matches, hence -i.
# Usage: benches/search_vs_fzf.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-30}"
CSV=../shared/data/esco-v1.1.1/skills_en.csv
for tool in hyperfine fzf; do
  command -v "$tool" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$tool"; }
done
cargo build --release --quiet
work="${TMPDIR:-/tmp}/microcred-search-bench"
mkdir -p "$work"
export MICROCRED_CACHE_DIR="$work/cache"
target/release/microcred import esco "$CSV" -o "$work/esco.yaml" 2>/dev/null
python3 - "$CSV" "$work/labels.txt" <<'PY'
import csv, sys
seen = set()
with open(sys.argv[1], newline="", encoding="utf-8") as f, open(sys.argv[2], "w") as out:
    for row in csv.DictReader(f):
        for label in [row["preferredLabel"], *row["altLabels"].split("\n")]:
            label = label.strip()
            if label and label not in seen:
                seen.add(label)
                out.write(label + "\n")
PY
echo "labels: $(wc -l < "$work/labels.txt")"
# Fill the caches once, as a user's first search after an import does: the parsed-catalog
# cache, then (once the file is older than 2 s, so that its identity can be trusted) the search
# snapshot.
target/release/microcred --frameworks "$work/esco.yaml" frameworks >/dev/null
sleep 2.5
target/release/microcred --frameworks "$work/esco.yaml" search warmup >/dev/null
for q in "d" "data anal" "weld" "manage staff" "xylophone" "pump commission"; do
  echo "== $q"
  hyperfine -i --warmup 3 --runs "$RUNS" --export-markdown "$work/$(echo "$q" | tr ' ' _).md" \
    -n microcred "target/release/microcred --frameworks $work/esco.yaml search '$q'" \
    -n fzf "fzf --filter '$q' < $work/labels.txt" 2>&1 | grep -E "Time|±|faster|slower"
done

#!/usr/bin/env bash
# Whole-process time of `microcred validate` on every shipped framework plus an example
# workspace (target: median <= 20 ms). Needs hyperfine (apt-get install hyperfine).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
hyperfine --warmup 5 --runs 50 -N \
  "target/release/microcred validate $(echo frameworks/*.yaml) examples/retail-data-analyst.yaml" \
  "$@"

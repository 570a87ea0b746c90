#!/usr/bin/env python3
"""Whole-process cost of `suggest` against `search` with ESCO loaded (issue 29: within 3x).

    cargo build --release --bin microcred
    benches/suggest_cost.py [--runs 30] [--esco FILE.yaml] [--bin BIN ...] [--work DIR]

Imports ESCO from ../shared/data/esco-v1.1.1/skills_en.csv into WORK/esco.yaml (or reads
--esco FILE read-only), gives each binary a private cache folder in WORK, warms the caches
(parsed framework, search and suggestion snapshots) with two runs of every command, then runs
the commands in turn RUNS times, paired (one of each per round, the order rotated), and prints
for each the median wall time and the median CPU time (user + sys, from wait4), the ratio of
each to `search` (of the medians, and the median of the rounds' ratios), and the load average
before and after. With several --bin, the binaries take turns within a round, so that their
figures share the machine's load. No hyperfine needed.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SKILLS = os.path.join(ROOT, "..", "shared", "data", "esco-v1.1.1", "skills_en.csv")

# (label, arguments after `--frameworks ESCO`)
COMMANDS = [
    ("search", ["search", "analyse data"]),
    ("suggest", ["suggest", "analyse data"]),
    ("suggest --need (retrofit N1)",
     ["suggest", "--need", "N1", os.path.join(ROOT, "examples", "retrofit-gaps.yaml")]),
    ("suggest --need (retail N3)",
     ["suggest", "--need", "N3", os.path.join(ROOT, "examples", "retail-data-analyst.yaml")]),
]


def run(argv, env):
    """Wall seconds and CPU seconds (user + sys) of one whole process."""
    t = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t
    err = p.stderr.read()
    p.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{' '.join(argv)}: exit {code}: {err.decode(errors='replace')}")
    return wall, ru.ru_utime + ru.ru_stime


def load():
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--esco", help="an imported ESCO framework (read only)")
    ap.add_argument("--bin", action="append",
                    help="microcred binary (repeatable; default target/release/microcred)")
    ap.add_argument("--work", default="/tmp/microcred-suggest-cost")
    a = ap.parse_args()
    bins = a.bin or [os.path.join(ROOT, "target", "release", "microcred")]
    os.makedirs(a.work, exist_ok=True)
    esco = a.esco
    if not esco:
        esco = os.path.join(a.work, "esco.yaml")
        if not os.path.exists(esco):
            subprocess.run([bins[0], "import", "esco", SKILLS, "-o", esco], check=True)
    envs = []
    for i, _ in enumerate(bins):
        env = dict(os.environ)
        env.pop("MICROCRED_NO_CACHE", None)
        env["MICROCRED_CACHE_DIR"] = os.path.join(a.work, f"cache-{i}")
        env["XDG_CACHE_HOME"] = os.path.join(a.work, f"xdg-{i}")
        # A freshly imported file counts as settled, so the snapshots are written at once.
        env["MICROCRED_CLOCK_AHEAD_SECS"] = "3"
        envs.append(env)
    jobs = [(b, env, label, [b, "--frameworks", esco] + args)
            for b, env in zip(bins, envs) for label, args in COMMANDS]
    for _ in range(2):
        for _, env, _, argv in jobs:
            run(argv, env)
    print(f"load average before: {load()}  ({a.runs} rounds, ESCO {esco})")
    got = {(b, label): [] for b, _, label, _ in jobs}
    for r in range(a.runs):
        k = r % len(jobs)
        for b, env, label, argv in jobs[k:] + jobs[:k]:
            got[(b, label)].append(run(argv, env))
    print(f"load average after: {load()}")
    for b in bins:
        base = got[(b, "search")]
        print(f"\n{b}")
        print(f"{'command':32} {'wall ms':>8} {'cpu ms':>7} {'x wall':>7} {'x cpu':>6} "
              f"{'x cpu (rounds)':>15}")
        for label, _ in COMMANDS:
            xs = got[(b, label)]
            wall = statistics.median(w for w, _ in xs)
            cpu = statistics.median(c for _, c in xs)
            bw = statistics.median(w for w, _ in base)
            bc = statistics.median(c for _, c in base)
            per = statistics.median(c / max(s, 1e-9) for (_, c), (_, s) in zip(xs, base))
            print(f"{label:32} {wall * 1e3:8.1f} {cpu * 1e3:7.1f} {wall / bw:7.2f} "
                  f"{cpu / bc:6.2f} {per:15.2f}")


if __name__ == "__main__":
    main()

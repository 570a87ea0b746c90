#!/usr/bin/env python3
"""An edit to the screen in a real terminal (issue 26): the editor in tmux at 200x60 on a copy
of WORKSPACE, on the mappings pane, agreeing mappings with `y` (each agrees the selected
mapping and moves to the next one awaiting review). Each press is timed from send-keys until
tmux shows the status bar's "Agreed: ..." for a new mapping. Runs the editor RUNS times
(a fresh copy each time) and prints each run's median, p95 and max, the CPU time the editor's
main thread spent per edit (/proc/PID/schedstat over the timed edits: the machine's load
distorts it less than wall time), the editor's peak RSS, and the load average beside them.

Usage: benches/editor_edits.py WORKSPACE [FRAMEWORK...]
       (BIN=target/release/microcred, RUNS=3, EDITS=60)
The times include tmux's own send and capture (a few ms, printed as the floor)."""
import os, re, shutil, statistics, subprocess, sys, tempfile, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = os.environ.get("BIN", os.path.join(root, "target/release/microcred"))
runs = int(os.environ.get("RUNS", "3"))
edits = int(os.environ.get("EDITS", "60"))
ws_src = os.path.abspath(sys.argv[1])
fw = [a for f in sys.argv[2:] for a in ("--frameworks", os.path.abspath(f))]
AGREED = re.compile(r"Agreed: (\S+ .{0,200}? → .{0,200}?\))\.")


def load():
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def one_run(k):
    work = tempfile.mkdtemp(prefix="microcred-edits-")
    ws = os.path.join(work, os.path.basename(ws_src))
    shutil.copy(ws_src, ws)
    sock = f"microcred-edits-{os.getpid()}-{k}"
    tmux = ["tmux", "-L", sock]
    cmd = " ".join(["exec", binary, *fw, ws])
    subprocess.run(tmux + ["new-session", "-d", "-s", "e", "-x", "200", "-y", "60", cmd],
                   check=True)

    def screen():
        return subprocess.run(tmux + ["capture-pane", "-p", "-t", "e"],
                              capture_output=True, text=True).stdout

    def agreed(s):
        m = AGREED.search(s)
        return m.group(1) if m else None

    def wait(pred, what, limit=30):
        t = time.perf_counter()
        while True:
            s = screen()
            if pred(s):
                return s
            if time.perf_counter() - t > limit:
                sys.exit(f"run {k}: {what} did not happen; screen:\n{s}")
            time.sleep(0.002)

    try:
        wait(lambda s: "Mappings of" in s, "the editor's first frame", 120)
        pid = subprocess.run(tmux + ["list-panes", "-t", "e", "-F", "#{pane_pid}"],
                             capture_output=True, text=True).stdout.strip()
        subprocess.run(tmux + ["send-keys", "-t", "e", "2"], check=True)
        # Warm up: the first presses may land on an agreed mapping (no change) before the
        # selection reaches one awaiting review.
        for _ in range(3):
            before = agreed(screen())
            subprocess.run(tmux + ["send-keys", "-t", "e", "y"], check=True)
            wait(lambda s: agreed(s) not in (None, before), "the warm-up agreement")
        def cpu_ns():
            try:
                with open(f"/proc/{pid}/schedstat") as f:
                    return int(f.read().split()[0])
            except (OSError, ValueError, IndexError):
                return 0

        cpu0 = cpu_ns()
        times = []
        for i in range(edits):
            before = agreed(screen())
            t = time.perf_counter()
            subprocess.run(tmux + ["send-keys", "-t", "e", "y"], check=True)
            while True:
                now = agreed(screen())
                if now is not None and now != before:
                    break
                if time.perf_counter() - t > 10:
                    sys.exit(f"run {k}, edit {i}: the screen did not show it:\n{screen()}")
            times.append((time.perf_counter() - t) * 1000)
        cpu = (cpu_ns() - cpu0) / 1e6 / edits
        floor = []
        for _ in range(10):
            t = time.perf_counter()
            subprocess.run(tmux + ["send-keys", "-t", "e", "F12"], check=True)
            screen()
            floor.append((time.perf_counter() - t) * 1000)
        rss = 0
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        rss = int(line.split()[1]) // 1024
        except OSError:
            pass
        return times, statistics.median(floor), rss, cpu
    finally:
        subprocess.run(tmux + ["kill-server"], capture_output=True)
        time.sleep(0.1)
        shutil.rmtree(work, ignore_errors=True)


print(f"{os.path.basename(ws_src)}: {edits} agreements (y) per run at 200x60, {runs} runs")
all_times = []
for k in range(runs):
    before = load()
    times, floor, rss, cpu = one_run(k)
    times.sort()
    all_times += times
    p95 = times[round((len(times) - 1) * 0.95)]
    print(f"run {k + 1}: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, "
          f"max {times[-1]:.1f} ms; tmux floor {floor:.1f} ms; editor CPU {cpu:.2f} ms per edit; "
          f"editor peak RSS {rss} MB; "
          f"load average {before} -> {load()}")
all_times.sort()
print(f"all runs: median {statistics.median(all_times):.1f} ms, "
      f"p95 {all_times[round((len(all_times) - 1) * 0.95)]:.1f} ms")

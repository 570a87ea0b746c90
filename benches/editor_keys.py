#!/usr/bin/env python3
"""Keypress to screen in a real terminal: the editor in tmux at 200x60 on WORKSPACE, 100 j/k
presses through the needs; each is timed from send-keys until tmux shows the new selection
(the mappings pane's title names the selected need). Prints median, p95 and max.

Usage: benches/editor_keys.py WORKSPACE [FRAMEWORK...]   (BIN=target/release/microcred)
The times include tmux's own capture (a few ms), so they are an upper bound of the editor's."""
import os, re, statistics, subprocess, sys, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = os.environ.get("BIN", os.path.join(root, "target/release/microcred"))
ws = os.path.abspath(sys.argv[1])
fw = [a for f in sys.argv[2:] for a in ("--frameworks", os.path.abspath(f))]
sock = f"microcred-keys-{os.getpid()}"
tmux = ["tmux", "-L", sock]
subprocess.run(tmux + ["new-session", "-d", "-s", "k", "-x", "200", "-y", "60",
                       " ".join([binary, *fw, ws])], check=True)

def screen():
    return subprocess.run(tmux + ["capture-pane", "-p", "-t", "k"],
                          capture_output=True, text=True).stdout

def title(s):
    m = re.search(r"Mappings of (\S+)", s)
    return m.group(1) if m else None

try:
    deadline = time.time() + 60
    while title(screen()) is None:
        if time.time() > deadline:
            sys.exit("the editor did not start")
        time.sleep(0.01)
    times = []
    for i in range(100):
        key = "j" if i % 10 < 7 else "k"
        before = title(screen())
        t = time.perf_counter()
        subprocess.run(tmux + ["send-keys", "-t", "k", key], check=True)
        while True:
            now = title(screen())
            if now is not None and now != before:
                break
            if time.perf_counter() - t > 5:
                sys.exit(f"key {i}: the selection did not move")
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p95 = times[round((len(times) - 1) * 0.95)]
    # The floor: one send-keys of a key bound to nothing plus one capture, no redraw to wait for.
    floor = []
    for _ in range(20):
        t = time.perf_counter()
        subprocess.run(tmux + ["send-keys", "-t", "k", "F12"], check=True)
        screen()
        floor.append((time.perf_counter() - t) * 1000)
    print(f"{len(times)} keys at 200x60: median {statistics.median(times):.1f} ms, "
          f"p95 {p95:.1f} ms, max {times[-1]:.1f} ms (tmux's own send and capture, "
          f"measured alone: median {statistics.median(floor):.1f} ms)")
finally:
    subprocess.run(tmux + ["kill-server"], capture_output=True)

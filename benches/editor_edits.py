#!/usr/bin/env python3
"""An edit to the screen in a real terminal (issue 26): the editor in tmux at 200x60 on a copy
of WORKSPACE, on the mappings pane, agreeing mappings with `y` (each agrees the selected
mapping and moves to the next one awaiting review). Runs the editor RUNS times (a fresh copy
each time) and prints each run's median, p95 and max, the CPU time the editor's main thread
spent per edit (/proc/PID/schedstat over the timed edits: the machine's load distorts it less
than wall time), the editor's peak RSS, and the load average beside them.

How a press is timed (default, `control`): the script is one long-lived tmux control-mode
client (`tmux -C new-session`, no other tmux process while timing). A press is the command
`send-keys -t e y` written to that client; the time runs from that write until the pane's
`%output` notification that completes the press's frame arrives: the pane's output is decoded
(octal escapes) and fed to a terminal emulator (pyte) at 200x60, and the press is done when the
status bar shows "Agreed: ..." for a new mapping. `--capture`: the old way, one `tmux send-keys`
process per press and `tmux capture-pane` processes polled until the screen shows it (their
own cost, a few ms, is printed as the floor).

`--validate MS...`: the harness against a known time instead of the editor: a small program
in the pane that, for each key, sleeps MS ms and then writes a line, logging when it read the
key and when its write returned (CLOCK_MONOTONIC, the clock the script reads too). Printed per
MS: what the harness measured, what the program took (the script's send to the program's
write), and the rest (the program's write to the harness seeing it).

Usage: benches/editor_edits.py [--capture] WORKSPACE [FRAMEWORK...]
       benches/editor_edits.py [--capture] --validate MS [MS...]
       (BIN=target/release/microcred, RUNS=3, EDITS=60; TIMES=FILE writes each run's presses
       to FILE.N as "sent arrived" in seconds since the epoch, to set beside `strace -ttt`)"""
import os, queue, re, shlex, shutil, statistics, subprocess, sys, tempfile, threading, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = os.environ.get("BIN", os.path.join(root, "target/release/microcred"))
runs = int(os.environ.get("RUNS", "3"))
edits = int(os.environ.get("EDITS", "60"))
args = sys.argv[1:]
capture = "--capture" in args
args = [a for a in args if a != "--capture"]
validate = None
if args and args[0] == "--validate":
    validate = [float(a) for a in args[1:]] or [0.0, 5.0, 10.0]
    args = []
elif not args:
    sys.exit(__doc__)
W, H = 200, 60
AGREED = re.compile(r"Agreed: (\S+ .{0,200}? → .{0,200}?\))\.")
ECHOED = re.compile(r"echo (\d+)\b")
OCTAL = re.compile(rb"\\([0-7]{3})")

# The pane's program for --validate: raw mode, one line per key after a known sleep.
ECHO_PROGRAM = r"""
import os, sys, termios, time, tty
delay, log = float(sys.argv[1]) / 1000, open(sys.argv[2], "w")
tty.setraw(0)
os.write(1, b"\x1b[2J\x1b[Hready \r\n")
n = 0
while True:
    key = os.read(0, 64)
    got = time.monotonic_ns()
    if not key or key == b"q":
        break
    end = time.perf_counter() + delay
    while time.perf_counter() < end:
        pass
    n += 1
    # A frame the size of the editor's (about 4.6 kB: 40 rows in colour), the line the harness
    # waits for last, in one write as the editor does.
    rows = b"".join(b"\x1b[%d;1H\x1b[3%dm%s\x1b[0m" % (r, r % 8, b"row %d of frame %d " % (r, n) * 5)
                    for r in range(2, 42))
    os.write(1, rows + b"\x1b[60;1H\x1b[2Kecho %d " % n)
    log.write(f"{n} {got} {time.monotonic_ns()}\n")
    log.flush()
"""


def load():
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def pct(xs, p):
    xs = sorted(xs)
    return xs[round((len(xs) - 1) * p)]


class Control:
    """One tmux control-mode client: commands in, the pane's output into a terminal emulator."""

    def __init__(self, sock, cmd):
        import pyte
        self.screen = pyte.Screen(W, H)
        self.stream = pyte.ByteStream(self.screen)
        self.proc = subprocess.Popen(
            ["tmux", "-L", sock, "-C", "new-session", "-s", "e", "-x", str(W), "-y", str(H),
             cmd], stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
        self.fd = self.proc.stdout.fileno()
        self.buf = b""
        self.replies = []  # the replies to our commands (%begin ... %end), in their order
        self.sent = 0  # commands written
        self.block = None
        self.work = 0.0  # seconds the script spent decoding and emulating
        self.bytes = 0  # bytes the pane wrote
        self.pieces = queue.Queue()
        # The reader thread gets the interpreter within 0.1 ms of a read returning, so that
        # decoding in this thread does not delay the stamps.
        sys.setswitchinterval(1e-4)
        threading.Thread(target=self.read, daemon=True).start()
        self.write("refresh-client -C %d,%d" % (W, H))

    def write(self, command):
        os.write(self.proc.stdin.fileno(), command.encode() + b"\n")
        self.sent += 1

    def read(self):
        """The reader thread: stamps each piece tmux sends as it arrives, before any decoding."""
        while True:
            data = os.read(self.fd, 1 << 20)
            self.pieces.put((time.monotonic(), data))
            if not data:
                return

    def pump(self, timeout):
        """Decodes a piece tmux sent, waiting up to `timeout` s; returns when it arrived."""
        try:
            arrived, data = self.pieces.get(timeout=timeout)
        except queue.Empty:
            return None
        if not data:
            raise SystemExit("tmux control client ended")
        started = time.monotonic()
        self.buf += data
        *lines, self.buf = self.buf.split(b"\n")
        for line in lines:
            if line.startswith(b"%output "):
                _, _, payload = line.split(b" ", 2)
                out = OCTAL.sub(lambda m: bytes([int(m.group(1), 8)]), payload)
                self.bytes += len(out)
                self.stream.feed(out)
            elif line.startswith(b"%begin "):
                # flags 1: a command of this client (0: the new-session that started it)
                self.block = [] if line.split()[-1] == b"1" else None
            elif line.startswith((b"%end ", b"%error ")) and self.block is not None:
                self.replies.append(self.block)
                self.block = None
            elif self.block is not None:
                self.block.append(line.decode(errors="replace"))
        self.work += time.monotonic() - started
        return arrived

    def changed_lines(self):
        """The screen's lines written since the last call."""
        rows = sorted(self.screen.dirty)
        self.screen.dirty.clear()
        buf = self.screen.buffer
        return ["".join(buf[y][x].data for x in range(W)) for y in rows]

    def text(self):
        return "\n".join(self.screen.display)

    def until(self, pred, what, limit):
        """Pumps until `pred(changed lines)` holds; returns when the completing output arrived."""
        start = time.monotonic()
        while True:
            arrived = self.pump(0.05)
            if arrived is not None:
                hit = pred(self.changed_lines())
                if hit:
                    return arrived, hit
            if time.monotonic() - start > limit:
                sys.exit(f"{what} did not happen; screen:\n{self.text()}")

    def command(self, command, limit=10):
        """Runs a tmux command and returns its reply's lines."""
        mine = self.sent
        self.write(command)
        start = time.monotonic()
        while len(self.replies) <= mine:
            self.pump(0.05)
            if time.monotonic() - start > limit:
                sys.exit(f"tmux did not answer {command!r}")
        return self.replies[mine]

    def close(self):
        try:
            self.write("kill-server")
            self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()


class Capture:
    """The old way: a tmux process per key and per look at the screen."""

    def __init__(self, sock, cmd):
        self.tmux = ["tmux", "-L", sock]
        subprocess.run(self.tmux + ["new-session", "-d", "-s", "e", "-x", str(W), "-y", str(H),
                                    cmd], check=True)
        self.work = 0.0
        self.bytes = 0

    def write(self, command):
        subprocess.run(self.tmux + shlex.split(command), check=True)

    def text(self):
        return subprocess.run(self.tmux + ["capture-pane", "-p", "-t", "e"],
                              capture_output=True, text=True).stdout

    def until(self, pred, what, limit):
        start = time.monotonic()
        while True:
            hit = pred(self.text().split("\n"))
            if hit:
                return time.monotonic(), hit
            if time.monotonic() - start > limit:
                sys.exit(f"{what} did not happen; screen:\n{self.text()}")

    def command(self, command, limit=10):
        return subprocess.run(self.tmux + shlex.split(command), capture_output=True,
                              text=True).stdout.split("\n")

    def close(self):
        subprocess.run(self.tmux + ["kill-server"], capture_output=True)


def find(pattern, lines):
    for line in lines:
        m = pattern.search(line)
        if m:
            return m.group(1)
    return None


def open_client(k, cmd):
    sock = f"microcred-edits-{os.getpid()}-{k}"
    return (Capture if capture else Control)(sock, cmd)


def one_run(k):
    work = tempfile.mkdtemp(prefix="microcred-edits-")
    ws = os.path.join(work, os.path.basename(ws_src))
    shutil.copy(ws_src, ws)
    t = open_client(k, " ".join(["exec", binary, *fw, ws]))
    try:
        t.until(lambda ls: any("Mappings of" in l for l in ls), "the editor's first frame", 120)
        pid = t.command("list-panes -t e -F '#{pane_pid}'")[0].strip()
        t.write("send-keys -t e 2")
        shown = [None]

        def agreed_anew(lines):
            now = find(AGREED, lines)
            if now is not None and now != shown[0]:
                shown[0] = now
                return now
            return None

        # Warm up: the first presses may land on an agreed mapping (no change) before the
        # selection reaches one awaiting review.
        for _ in range(3):
            t.write("send-keys -t e y")
            t.until(agreed_anew, "the warm-up agreement", 30)

        def cpu_ns():
            try:
                with open(f"/proc/{pid}/schedstat") as f:
                    return int(f.read().split()[0])
            except (OSError, ValueError, IndexError):
                return 0

        cpu0, work0, bytes0 = cpu_ns(), t.work, t.bytes
        times, stamps = [], []
        wall = time.time() - time.monotonic()
        for i in range(edits):
            sent = time.monotonic()
            t.write("send-keys -t e y")
            arrived, _ = t.until(agreed_anew, f"run {k}, edit {i}", 10)
            times.append((arrived - sent) * 1000)
            stamps.append((sent + wall, arrived + wall))
        if os.environ.get("TIMES"):
            with open(f"{os.environ['TIMES']}.{k + 1}", "w") as f:
                f.writelines(f"{a:.6f} {b:.6f}\n" for a, b in stamps)
        cpu = (cpu_ns() - cpu0) / 1e6 / edits
        harness = ((t.work - work0) * 1000 / edits, (t.bytes - bytes0) / edits)
        # The harness's own round trip: a command and its reply (control), or a key sent and
        # the screen captured (capture).
        floor = []
        for _ in range(10):
            s = time.monotonic()
            if capture:
                t.write("send-keys -t e F12")
                t.text()
            else:
                t.command("display-message -p x")
            floor.append((time.monotonic() - s) * 1000)
        rss = 0
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        rss = int(line.split()[1]) // 1024
        except OSError:
            pass
        return times, statistics.median(floor), rss, cpu, harness
    finally:
        t.close()
        time.sleep(0.1)
        shutil.rmtree(work, ignore_errors=True)


def validate_run(k, delay):
    work = tempfile.mkdtemp(prefix="microcred-echo-")
    prog, log = os.path.join(work, "echo.py"), os.path.join(work, "log")
    with open(prog, "w") as f:
        f.write(ECHO_PROGRAM)
    t = open_client(k, f"exec {sys.executable} {prog} {delay} {log}")
    try:
        t.until(lambda ls: any("ready" in l for l in ls), "the echo program's start", 30)
        sent, seen = {}, {}
        for i in range(1, edits + 1):
            sent[i] = time.monotonic()
            t.write("send-keys -t e x")
            arrived, _ = t.until(lambda ls: find(ECHOED, ls) == str(i), f"echo {i}", 10)
            seen[i] = arrived
        t.write("send-keys -t e q")
        time.sleep(0.1)
        measured, program, rest = [], [], []
        with open(log) as f:
            for line in f:
                n, _, wrote = (int(x) for x in line.split())
                measured.append((seen[n] - sent[n]) * 1000)
                program.append((wrote / 1e9 - sent[n]) * 1000)
                rest.append((seen[n] - wrote / 1e9) * 1000)
        return measured, program, rest
    finally:
        t.close()
        time.sleep(0.1)
        shutil.rmtree(work, ignore_errors=True)


def summary(xs):
    return (f"median {statistics.median(xs):.1f} ms, p95 {pct(xs, 0.95):.1f} ms, "
            f"max {max(xs):.1f} ms")


mode = "capture (send-keys + capture-pane processes)" if capture else "control (tmux -C)"
if validate is not None:
    print(f"harness check, {mode}: a program that answers each key after a known busy wait, "
          f"{edits} keys per run, {runs} runs")
    for delay in validate:
        for k in range(runs):
            before = load()
            measured, program, rest = validate_run(k, delay)
            print(f"wait {delay:g} ms, run {k + 1}: measured {summary(measured)}; "
                  f"send to the program's write {summary(program)}; "
                  f"its write to the harness {summary(rest)}; load average {before} -> {load()}")
    sys.exit(0)

ws_src = os.path.abspath(args[0])
fw = [a for f in args[1:] for a in ("--frameworks", os.path.abspath(f))]
print(f"{os.path.basename(ws_src)}: {edits} agreements (y) per run at {W}x{H}, {runs} runs, "
      f"timed by {mode}")
all_times = []
for k in range(runs):
    before = load()
    times, floor, rss, cpu, harness = one_run(k)
    all_times += times
    print(f"run {k + 1}: {summary(times)}; "
          f"{'tmux floor' if capture else 'tmux command round trip'} {floor:.1f} ms; "
          f"editor CPU {cpu:.2f} ms per edit; "
          + ("" if capture else f"frame {harness[1] / 1000:.1f} kB, harness decoding "
                                f"{harness[0]:.2f} ms per edit; ")
          + f"editor peak RSS {rss} MB; load average {before} -> {load()}")
print(f"all runs: median {statistics.median(all_times):.1f} ms, p95 {pct(all_times, 0.95):.1f} ms")

#!/usr/bin/env python3
"""A full room editing one design through `microcred serve` (issue 26, point 2), with the real
`ssh` client: CLIENTS people connect from 127.0.0.1, each `ssh -tt` in its own pseudo-terminal
of 200x60 whose screen is kept by a terminal emulator (pyte). DESIGNERS of them comment on the
first need's first mapping, about RATE changes a second together (each designer waits a
random 0.5-1.5 times its share between changes); the others watch that need's mappings, each
looking at something a little different (another mapping selected, another gap line, another
pane focused; SAME=1: all on the first mapping, as before 2026-12-05's fourth step). A
change's time is from the Enter that sends it until a watcher's screen shows the comment count
it makes; every watcher's time counts. Prints, per run: p50/p95/max of those times, the
server's CPU per change (user + system, from /proc) and its resident memory connected and at
most during the edits, the autosave's own line from the server log, and the load average.

Usage: benches/serve_edits.py WORKSPACE [FRAMEWORK...]
  env: BIN=target/release/microcred CLIENTS=30 DESIGNERS=10 RATE=11 SECONDS=30 RUNS=3 PORT=2298
       SAME=0
Needs python3 with pyte, ssh and ssh-keygen. Loopback only; everything stops by itself."""
import asyncio, fcntl, os, pty, random, re, shutil, signal, statistics, struct, subprocess
import sys, tempfile, termios, time

import pyte

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = os.environ.get("BIN", os.path.join(root, "target/release/microcred"))
clients = int(os.environ.get("CLIENTS", "30"))
designers = int(os.environ.get("DESIGNERS", "10"))
rate = float(os.environ.get("RATE", "11"))
seconds = float(os.environ.get("SECONDS", "30"))
runs = int(os.environ.get("RUNS", "3"))
port = int(os.environ.get("PORT", "2298"))
vary = os.environ.get("SAME", "0") != "1"
ws_src = os.path.abspath(sys.argv[1])
fw = [a for f in sys.argv[2:] for a in ("--frameworks", os.path.abspath(f))]
COLS, ROWS = 200, 60
COUNT = re.compile(r"· (\d+) comment\(s\)")
TICK = os.sysconf("SC_CLK_TCK")


def load():
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class Client:
    """One `ssh -tt` in a pseudo-terminal, its screen emulated."""

    def __init__(self, key, loop):
        self.screen = pyte.Screen(COLS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        self.proc = subprocess.Popen(
            ["ssh", "-tt", "-i", key, "-p", str(port), "-o", "StrictHostKeyChecking=no",
             "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
             "-o", "ServerAliveInterval=0", "x@127.0.0.1"],
            stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
        os.close(slave)
        os.set_blocking(self.master, False)
        self.count = None  # the comment count shown on the first mapping line
        self.seen = []  # (time, count) whenever the count shown grows
        self.changed = asyncio.Event()
        loop.add_reader(self.master, self.readable)

    def readable(self):
        try:
            data = os.read(self.master, 1 << 16)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            asyncio.get_running_loop().remove_reader(self.master)
            return
        self.stream.feed(data)
        for y in sorted(self.screen.dirty):
            line = "".join(self.screen.buffer[y][x].data for x in range(COLS))
            m = COUNT.search(line)
            if m:
                c = int(m.group(1))
                if self.count is None or c > self.count:
                    self.count = c
                    self.seen.append((time.perf_counter(), c))
                break
        self.screen.dirty.clear()
        self.changed.set()

    def text(self):
        return "\n".join(self.screen.display)

    async def wait_for(self, what, limit=60.0, gone=False):
        end = time.perf_counter() + limit
        while (what in self.text()) == gone:
            self.changed.clear()
            left = end - time.perf_counter()
            if left <= 0:
                return False
            try:
                await asyncio.wait_for(self.changed.wait(), left)
            except asyncio.TimeoutError:
                return False
        return True

    def send(self, b):
        os.write(self.master, b)

    def close(self, loop):
        try:
            loop.remove_reader(self.master)
        except Exception:
            pass
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
        os.close(self.master)


async def designer(c, i, stop, sent):
    """Comment on the first need's first mapping until `stop`, at this designer's pace."""
    gap = designers / rate
    while time.perf_counter() < stop:
        await asyncio.sleep(random.uniform(0.5, 1.5) * gap)
        c.send(b"c")
        if not await c.wait_for("Comment on", 10):
            c.send(b"\x1b")
            continue
        c.send(f"d{i:02}-{len(sent)}".encode())
        await asyncio.sleep(0.01)
        sent.append(time.perf_counter())
        c.send(b"\r")
        if not await c.wait_for("Comment on", 10, gone=True):
            c.send(b"\x1b")
            await c.wait_for("Comment on", 10, gone=True)


async def one_run(k, work, keys):
    loop = asyncio.get_running_loop()
    ws = os.path.join(work, f"run{k}-" + os.path.basename(ws_src))
    shutil.copy(ws_src, ws)
    log = open(os.path.join(work, f"server{k}.log"), "w")
    srv = subprocess.Popen([binary, *fw, "serve", ws, "--people", os.path.join(work, "people.yaml"),
                            "--listen", f"127.0.0.1:{port}", "--host-key",
                            os.path.join(work, "hostkey")], stderr=log)
    logname = log.name
    try:
        for _ in range(600):
            if "fingerprint" in open(logname).read():
                break
            await asyncio.sleep(0.1)
        people = []
        for i in range(clients):
            people.append(Client(keys[i], loop))
            await asyncio.sleep(0.05)
        # Everybody on the first need's mappings, with a first comment there to count from.
        for c in people:
            if not await c.wait_for("Mappings of", 120):
                sys.exit(f"a client did not show the editor:\n{c.text()}")
        for c in people:
            c.send(b"1g\t")
        if vary:
            # Watchers look at different things, as people in a room do: some select the
            # need's second mapping (another competency in the details pane), each selects
            # another gap line (the gap list scrolled differently), a third stay on the gaps.
            await asyncio.sleep(0.5)
            for j, c in enumerate(people[designers:]):
                keys = b"j" if j % 2 else b""
                keys += b"3" + b"j" * (j * 3 % 40)
                keys += b"" if j % 3 == 0 else b"2"
                c.send(keys)
        first = people[0]
        first.send(b"c")
        await first.wait_for("Comment on", 20)
        first.send(b"start\r")
        for c in people:
            for _ in range(200):
                if c.count is not None:
                    break
                await asyncio.sleep(0.05)
        base = max(c.count or 0 for c in people)
        await asyncio.sleep(1)
        connected = rss_mb(srv.pid)
        cpu0 = cpu_seconds(srv.pid)
        l0 = load()
        sent = []
        stop = time.perf_counter() + seconds
        peak = [connected]

        async def sample():
            while time.perf_counter() < stop + 2:
                peak[0] = max(peak[0], rss_mb(srv.pid))
                await asyncio.sleep(0.25)

        sampler = asyncio.create_task(sample())
        await asyncio.gather(*(designer(people[i], i, stop, sent) for i in range(designers)))
        # Let the last changes arrive (at most 5 s).
        want = base + len(sent)
        for _ in range(100):
            if all((c.count or 0) >= want for c in people[designers:]):
                break
            await asyncio.sleep(0.05)
        await sampler
        cpu = cpu_seconds(srv.pid) - cpu0
        lats, missed = [], 0
        for c in people[designers:]:
            for j, t in enumerate(sent):
                at = next((s for s, n in c.seen if n >= base + j + 1), None)
                if at is None:
                    missed += 1
                else:
                    lats.append(max(0.0, at - t) * 1000)
        lats.sort()
        srv.send_signal(signal.SIGTERM)
        srv.wait(30)
        log.close()
        autosave = [l.strip() for l in open(logname) if "autosave:" in l]
        n = len(sent)
        p = lambda q: lats[min(len(lats) - 1, round((len(lats) - 1) * q))] if lats else float("nan")
        print(f"run {k + 1}: {n} changes in {seconds:.0f} s ({n / seconds:.1f}/s), "
              f"{clients - designers} watchers: p50 {p(0.5):.0f} ms, p95 {p(0.95):.0f} ms, "
              f"max {p(1.0):.0f} ms, not shown {missed}; server CPU {cpu * 1000 / max(n, 1):.1f} ms "
              f"per change ({cpu:.1f} s); RSS connected {connected:.0f} MB, "
              f"during edits at most {peak[0]:.0f} MB (x{peak[0] / connected:.2f}); "
              f"load average {l0} -> {load()}", flush=True)
        if autosave:
            print(f"  server: {autosave[-1].removeprefix('microcred serve: ')}")
        return lats
    finally:
        for c in locals().get("people", []):
            c.close(loop)
        if srv.poll() is None:
            srv.kill()
            srv.wait()


async def main():
    work = tempfile.mkdtemp(prefix="microcred-serve-edits-")
    try:
        keys = []
        with open(os.path.join(work, "people.yaml"), "w") as f:
            f.write("people:\n")
            for i in range(clients):
                key = os.path.join(work, f"k{i}")
                subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key],
                               check=True)
                role = "designer" if i < designers else "viewer"
                pub = open(key + ".pub").read().strip()
                f.write(f'- name: Person {i:02}\n  role: {role}\n  keys: ["{pub}"]\n')
                keys.append(key)
        print(f"{os.path.basename(ws_src)}: {clients} clients (ssh -tt, {COLS}x{ROWS}), "
              f"watchers {'varied' if vary else 'all alike'}, {designers} commenting at about {rate:g} changes/s for {seconds:g} s, {runs} runs")
        everything = []
        for k in range(runs):
            everything += await one_run(k, work, keys)
        everything.sort()
        if everything:
            print(f"all runs: p95 {everything[round((len(everything) - 1) * 0.95)]:.0f} ms, "
                  f"max {everything[-1]:.0f} ms")
    finally:
        shutil.rmtree(work, ignore_errors=True)


asyncio.run(main())

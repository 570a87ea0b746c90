#!/usr/bin/env python3
"""A local paste without bracketed paste, in a real pseudo-terminal (issue 24, point 7).

A terminal that does not bracket pastes hands the pasted text to the program as if it were
typed, one key after another. This starts the release editor in a pty at 120x40 on a copy of
examples/retrofit-gaps.yaml, opens the comment form on the first mapping (Tab to the mappings
pane, `c`), then writes N characters (no line breaks) as fast as the pty takes them, followed
by Esc (close the form). It times from the first byte written until the
screen shows the form gone again, i.e. until the editor has read and handled every key, and
does so for each N given. The screen is read with pyte (`pip install pyte`), a VT100 emulator,
so the figure is what a user would see, not when bytes were written.

Usage: benches/paste_raw.py [N ...]   (default 50000 100000 200000 400000;
                                       BIN=target/release/microcred)
Linear means the time per character stays about the same as N grows."""
import fcntl, os, pty, select, shutil, struct, sys, tempfile, termios, time

try:
    import pyte
except ImportError:
    sys.exit("needs pyte: python3 -m pip install pyte")

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = os.environ.get("BIN", os.path.join(root, "target/release/microcred"))
COLS, ROWS = 120, 40


class Term:
    def __init__(self, argv, cwd):
        self.screen = pyte.Screen(COLS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        pid, fd = pty.fork()
        if pid == 0:
            os.chdir(cwd)
            os.environ["TERM"] = "xterm-256color"
            os.execv(argv[0], argv)
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        # Non-blocking, so that a write never waits while the program waits for us to read.
        os.set_blocking(fd, False)
        self.pid, self.fd = pid, fd

    def text(self):
        return "\n".join(self.screen.display)

    def pump(self, timeout):
        """Read whatever the program wrote within `timeout` seconds."""
        r, _, _ = select.select([self.fd], [], [], timeout)
        if r:
            try:
                data = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                return True
            except OSError:
                return False
            self.stream.feed(data)
        return True

    def wait_for(self, pred, limit, what):
        end = time.time() + limit
        while not pred(self.text()):
            if time.time() > end:
                sys.exit(f"timed out waiting for {what}; the screen:\n{self.text()}")
            self.pump(0.05)

    def write_all(self, data):
        """Write `data`, reading the program's output meanwhile so that neither side blocks."""
        view = memoryview(data)
        while view:
            r, w, _ = select.select([self.fd], [self.fd], [], 1.0)
            if r:
                self.pump(0)
            if w:
                try:
                    n = os.write(self.fd, view[:4096])
                except BlockingIOError:
                    n = 0
                view = view[n:]

    def close(self):
        try:
            os.kill(self.pid, 9)
            os.waitpid(self.pid, 0)
        except OSError:
            pass


def one(n):
    work = tempfile.mkdtemp(prefix="microcred-paste.")
    try:
        shutil.copytree(os.path.join(root, "frameworks"), os.path.join(work, "frameworks"))
        shutil.copy(os.path.join(root, "examples", "retrofit-gaps.yaml"), work)
        t = Term([binary, "retrofit-gaps.yaml"], work)
        try:
            t.wait_for(lambda s: "Mappings of" in s, 30, "the editor")
            os.write(t.fd, b"\t")
            time.sleep(0.2)
            t.pump(0.1)
            os.write(t.fd, b"c")
            t.wait_for(lambda s: "Comment on N1" in s, 10, "the comment form")
            start = time.perf_counter()
            t.write_all(b"a" * n)
            t.write_all(b"\x1b")
            t.wait_for(lambda s: "Comment on N1" not in s, 900, "the form to close")
            secs = time.perf_counter() - start
            return secs
        finally:
            t.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    ns = [int(a) for a in sys.argv[1:]] or [50000, 100000, 200000, 400000]
    load = os.getloadavg()[0]
    print(f"raw paste into the comment form, 120x40, load average {load:.1f}")
    prev = None
    for n in ns:
        secs = one(n)
        per = secs / n * 1e6
        ratio = f"  (×{secs / prev[1]:.2f} time for ×{n / prev[0]:.1f} input)" if prev else ""
        print(f"{n:>8} characters: {secs:6.2f} s, {per:5.1f} µs per character{ratio}")
        prev = (n, secs)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""A churning pre-auth flood against `microcred serve` on loopback, with real `ssh` logins
measured meanwhile (issue 24, point 6). Loopback only, bounded in count and time, and it stops
by itself.

The flood opens RATE connections a second for SECONDS seconds from ADDRESSES addresses
127.1.x.y (chosen at random each time); each sends an SSH identification string and holds the
connection for 0.2-3 s (or until the server closes it). Every LOGIN_EVERY seconds a real
`ssh -i KEY -b 127.0.0.1 ... true` logs in; a login succeeds when the server answers that
commands are not run here (the key was accepted) within 5 s. Prints the share of logins that
succeeded and their times, and what the flood met.

Usage: benches/serve_flood.py PORT KEY [RATE=300] [SECONDS=30] [ADDRESSES=500] [LOGIN_EVERY=0.5]
(start `microcred serve` on 127.0.0.1:PORT first, with KEY's public line in its people file)."""
import asyncio, os, random, statistics, sys, time

port, key = int(sys.argv[1]), sys.argv[2]
rate = float(sys.argv[3]) if len(sys.argv) > 3 else 300
seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 30
addresses = int(sys.argv[5]) if len(sys.argv) > 5 else 500
login_every = float(sys.argv[6]) if len(sys.argv) > 6 else 0.5
MAX_OPEN = 2000  # flood sockets open at once, at most

met = {"opened": 0, "failed": 0, "told": 0, "ssh": 0, "closed_by_server": 0}
open_now = 0

async def one(src):
    global open_now
    open_now += 1
    try:
        r, w = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", port, local_addr=(src, 0)), 2)
    except Exception:
        met["failed"] += 1
        open_now -= 1
        return
    met["opened"] += 1
    try:
        w.write(b"SSH-2.0-flood\r\n")
        first = await asyncio.wait_for(r.readline(), 3)
        if first.startswith(b"microcred:"):
            met["told"] += 1
        elif first.startswith(b"SSH-"):
            met["ssh"] += 1
        hold = random.uniform(0.2, 3.0)
        try:
            while True:
                chunk = await asyncio.wait_for(r.read(4096), hold)
                if not chunk:
                    met["closed_by_server"] += 1
                    break
        except asyncio.TimeoutError:
            pass
    except Exception:
        pass
    finally:
        w.close()
        open_now -= 1

async def flood():
    tasks = set()
    start = time.monotonic()
    n = 0
    while time.monotonic() - start < seconds:
        due = int((time.monotonic() - start) * rate)
        while n < due:
            n += 1
            if open_now >= MAX_OPEN:
                continue
            k = random.randrange(addresses)
            src = f"127.1.{k // 250}.{k % 250 + 1}"
            t = asyncio.create_task(one(src))
            tasks.add(t)
            t.add_done_callback(tasks.discard)
        await asyncio.sleep(0.005)
    await asyncio.gather(*tasks, return_exceptions=True)

T0 = time.monotonic()

async def login():
    t = time.monotonic()
    p = await asyncio.create_subprocess_exec(
        "ssh", "-i", key, "-b", "127.0.0.1", "-p", str(port), "-o", "BatchMode=yes",
        "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
        "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=5", "x@127.0.0.1", "true",
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE)
    try:
        _, err = await asyncio.wait_for(p.communicate(), 5)
    except asyncio.TimeoutError:
        p.kill()
        await p.wait()
        return (False, 5.0, "no answer within 5 s", t - T0)
    took = time.monotonic() - t
    err = err.decode(errors="replace").strip()
    last = err.splitlines()[-1] if err else f"exit status {p.returncode}, nothing said"
    return ("commands are not run here" in err, took, last, t - T0)

async def logins():
    out = []
    start = time.monotonic()
    await asyncio.sleep(1.0)  # let the flood build up
    pending = []
    while time.monotonic() - start < seconds - 1:
        pending.append(asyncio.create_task(login()))
        await asyncio.sleep(login_every)
    for p in pending:
        out.append(await p)
    return out

async def main():
    t = time.monotonic()
    results, _ = await asyncio.gather(logins(), flood())
    took = time.monotonic() - t
    ok = [r for r in results if r[0]]
    times = sorted(r[1] for r in ok)
    print(f"flood: {met['opened']} connections in {took:.0f} s ({met['opened'] / took:.0f}/s) "
          f"from up to {addresses} addresses; {met['told']} told why they were refused, "
          f"{met['ssh']} got an SSH identification, {met['closed_by_server']} closed by the "
          f"server, {met['failed']} could not connect")
    print(f"real logins: {len(ok)} of {len(results)} succeeded within 5 s "
          f"({100 * len(ok) / max(1, len(results)):.1f} %)")
    if times:
        print(f"  login time: median {statistics.median(times):.2f} s, "
              f"p95 {times[int(0.95 * (len(times) - 1))]:.2f} s, max {times[-1]:.2f} s")
    fails = {}
    for r in results:
        if not r[0]:
            fails.setdefault(r[2], []).append(f"{r[3]:.0f}")
    for why, at in sorted(fails.items(), key=lambda x: -len(x[1]))[:5]:
        print(f"  failed ({len(at)}, started at {', '.join(at[:10])} s): {why}")

asyncio.run(main())

#!/usr/bin/env python3
"""The workshop of issue 25, run through the real binary as a team would, with the time of
each step.

A new design for a heat-pump installer credential with ESCO imported beside it: the designer
writes the credential, three partners and six needs in the partners' own words in the local
editor; three job postings are added from the command line; then `microcred serve --commit`
runs the workshop and everyone joins with the real OpenSSH client, each in a tmux of their own
(the designer at 120x40, a partner at 80x24, another at 120x40): the designer maps needs with
the finder over ESCO, the partners review (agree, dispute, comment), a posting is added from
the command line while the workshop runs, a dot vote is opened, voted and applied, the
partners sign off; then every export, `check` and `log`.

Each step sends its keys to a client and waits until that client's screen shows what the step
should lead to; the time is from the first key sent to that screen. Prints one row per step:
the step, the keys (as typed), their count and the seconds. Exits 1 with the screen when a
step's screen never comes (after 30 s).

    cargo build --release
    python3 benches/workshop_walkthrough.py            # MICROCRED_BIN overrides the binary
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.abspath(os.environ.get("MICROCRED_BIN", os.path.join(ROOT, "target/release/microcred")))
ESCO = os.path.join(ROOT, "..", "shared", "data", "esco-v1.1.1", "skills_en.csv")
TIMEOUT = 30.0

ROWS = []


def sh(cmd, cwd, check=True):
    """Run a shell command in `cwd`; its output."""
    r = subprocess.run(cmd, cwd=cwd, shell=True, capture_output=True, text=True)
    if check and r.returncode != 0:
        sys.exit(f"failed: {cmd}\n{r.stdout}\n{r.stderr}")
    return r.stdout + r.stderr


def screen(session):
    return subprocess.run(
        ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
    ).stdout


def start(session, width, height, cmd, cwd):
    subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", str(width), "-y", str(height),
         "-c", cwd, cmd],
        check=True,
    )


def send(session, key):
    """One key: a tmux key name (Enter, Tab, Escape, Right…) or literal text."""
    if key in ("Enter", "Tab", "Escape", "Right", "Left", "Down", "Up", "BTab", "Space"):
        subprocess.run(["tmux", "send-keys", "-t", session, key], check=True)
        return 1
    subprocess.run(["tmux", "send-keys", "-t", session, "-l", key], check=True)
    return len(key)


def wait(session, want, since=None, absent=None):
    """Until the screen shows every text in `want` (a string or a list), and not `absent`; the
    seconds waited."""
    wants = [want] if isinstance(want, str) else want
    t0 = since or time.monotonic()
    while True:
        s = screen(session)
        if all(w in s for w in wants) and not (absent and absent in s):
            return time.monotonic() - t0
        if time.monotonic() - t0 > TIMEOUT:
            sys.exit(f"step never showed {wants!r} on {session}:\n{s}")
        time.sleep(0.005)


def step(name, session, keys, want, absent=None):
    """Send `keys` to `session`, wait for `want` (and not `absent`), record the row."""
    t0 = time.monotonic()
    count = sum(send(session, k) for k in keys)
    secs = wait(session, want, t0, absent)
    shown = " ".join(k if len(k) < 24 else k[:21] + "…" for k in keys)
    ROWS.append((name, shown, count, secs))


def command(name, cmd, cwd):
    """A command from the shell, timed."""
    t0 = time.monotonic()
    out = sh(cmd, cwd)
    ROWS.append((name, "$ " + cmd.replace(BIN, "microcred"), 0, time.monotonic() - t0))
    return out


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


NEEDS = [
    ("northwind", "New hires keep getting sent up ladders and onto roofs without knowing how to stay safe at heights"),
    ("northwind", "Size the heat pump properly for the house - undersized units are killing us on callbacks"),
    ("brightwater", "Handle the refrigerant without venting it, honestly the F-gas rules are a nightmare"),
    ("brightwater", "Leave homeowners knowing how to run the system and clean the filters"),
    ("eastside", "Explain running costs in plain words to low-income households"),
    ("eastside", "Wire the outdoor unit safely to the house supply"),
]

POSTINGS = {
    "northwind-installer.txt": "Heat pump installer wanted. You will install air source heat pumps, work at height on roofs, and commission systems. Working safely at heights is essential.",
    "brightwater-technician.txt": "Service technician for heat pumps. Recover refrigerant safely, keep F-gas records, and explain to homeowners how to maintain the system.",
    "eastside-advisor.md": "# Energy advisor\nHelp households understand running costs and grants. Explain heating controls clearly.",
}


def main():
    if not os.path.exists(BIN):
        sys.exit(f"{BIN} is missing: cargo build --release")
    if not os.path.exists(ESCO):
        sys.exit(f"{ESCO} is missing")
    for tool in ("tmux", "ssh", "ssh-keygen", "git"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not installed")
    load = os.getloadavg()[0]
    d = tempfile.mkdtemp(prefix="workshop-")
    env = f"MICROCRED_CACHE_DIR={d}/cache"
    mc = f"env {env} {BIN}"
    sh("git init -q . && git config user.name 'Dee Designer' && git config user.email dee@example.org", d)
    os.mkdir(os.path.join(d, "frameworks"))
    command("import ESCO beside the design", f"{mc} import esco {ESCO} -o frameworks/esco.yaml", d)

    # The designer writes the design in the local editor.
    start("dee-local", 120, 40, f"{mc} heat-pump.yaml; echo EDITOR-EXIT=$?; sleep 60", d)
    wait("dee-local", "New design")
    step("credential: title and summary", "dee-local",
         ["C", "Heat pump installer", "Tab",
          "Install, commission and service air-source heat pumps in homes, safely.", "Enter"],
         "Updated the credential")
    partners = [("northwind", "Northwind Mechanical", 0), ("brightwater", "Brightwater Heating", 0),
                ("eastside", "Eastside Community Energy", 2)]
    for pid, name, kind in partners:
        step(f"add partner {name}", "dee-local",
             ["P", pid, "Tab", name, "Tab"] + ["Right"] * kind + ["Enter"], name[:20])
    order = [p[0] for p in partners]
    for i, (pid, text) in enumerate(NEEDS):
        # The form's partner is the selected need's (or the first); move to the right one.
        before = order[0] if i == 0 else NEEDS[i - 1][0]
        moves = (order.index(pid) - order.index(before)) % len(order)
        # The form opens on the statement; the partner is the field above it.
        choose = ["BTab"] + ["Right"] * moves + ["Tab"] if moves else []
        step(f"add need N{i + 1} ({pid})", "dee-local",
             ["a"] + choose + [text, "Enter"], f"Added need N{i + 1}")
    step("save", "dee-local", ["s"], "Saved")
    step("quit", "dee-local", ["q"], "EDITOR-EXIT=0")
    sh("git add heat-pump.yaml && git commit -qm 'Heat pump installer: first draft'", d)

    os.mkdir(os.path.join(d, "postings"))
    for name, text in POSTINGS.items():
        with open(os.path.join(d, "postings", name), "w") as f:
            f.write(text + "\n")
    command("add two postings (shell)",
            f"{mc} evidence add heat-pump.yaml postings/northwind-installer.txt postings/brightwater-technician.txt --date 2026-12-01", d)
    sh("git add heat-pump.yaml && git commit -qm 'Two job postings'", d)

    # The workshop over SSH.
    people = []
    for key, entry in [("dee", "- name: Dee Designer\n  role: designer\n"),
                       ("sam", "- name: Sam at Northwind\n  role: partner\n  partner: northwind\n"),
                       ("ria", "- name: Ria at Brightwater\n  role: partner\n  partner: brightwater\n")]:
        sh(f"ssh-keygen -q -t ed25519 -N '' -C {key} -f {key}", d)
        pub = open(os.path.join(d, key + ".pub")).read().strip()
        people.append(f'{entry}  keys: ["{pub}"]\n')
    with open(os.path.join(d, "people.yaml"), "w") as f:
        f.write("people:\n" + "".join(people))
    port = free_port()
    start("server", 120, 10,
          f"{mc} serve heat-pump.yaml --people people.yaml --listen 127.0.0.1:{port} --host-key host_key --commit --commit-every 5; echo SERVER-EXIT=$?; sleep 60", d)
    wait("server", "fingerprint")
    pub = sh("ssh-keygen -y -f host_key", d).strip()
    with open(os.path.join(d, "known_hosts"), "w") as f:
        f.write(f"[127.0.0.1]:{port} {pub}\n")

    def ssh(key):
        return (f"exec ssh -F /dev/null -i {key} -o IdentitiesOnly=yes -o BatchMode=yes "
                f"-o UserKnownHostsFile=known_hosts -o GlobalKnownHostsFile=/dev/null "
                f"-o StrictHostKeyChecking=yes -p {port} -tt 127.0.0.1")

    t0 = time.monotonic()
    start("dee", 120, 40, ssh("dee"), d)
    ROWS.append(("designer connects (120x40)", "$ ssh", 0, wait("dee", "N6", t0)))
    t0 = time.monotonic()
    start("sam", 80, 24, ssh("sam"), d)
    ROWS.append(("Sam (Northwind) connects (80x24)", "$ ssh", 0, wait("sam", "Northwind", t0)))
    t0 = time.monotonic()
    start("ria", 120, 40, ssh("ria"), d)
    ROWS.append(("Ria (Brightwater) connects (120x40)", "$ ssh", 0, wait("ria", "Brightwater", t0)))

    # The designer maps needs through the finder over ESCO.
    maps = [("heights safety", 0), ("heat pump", 1), ("refrigerant", 2), ("instruct", 3)]
    for query, need in maps:
        step(f"select N{need + 1}", "dee", ["1", "g"] + ["j"] * need, f"N{need + 1}")
        # Until the search has finished: "N match(es)", not "… so far, still searching".
        step(f"map N{need + 1}: search `{query}` to its end", "dee", ["m", query],
             "match(es)", absent="so far")
        step(f"map N{need + 1}: pick the first hit", "dee", ["Enter"], "Level")
        step(f"map N{need + 1}: save the mapping", "dee", ["Enter"], "Mapped")

    # The partners review what awaits them.
    step("Sam: next item awaiting him", "sam", ["]"], "→ follow safety")
    step("Sam: agree", "sam", ["y"], "Agreed: N1")
    step("Sam: back to the mapping, comment", "sam",
         ["1", "g", "Tab", "c", "Yes - and ladders on wet roofs in winter too", "Enter"],
         "ommented on N1")
    step("Ria: next item awaiting her", "ria", ["]"], "Mappings of N3")
    step("Ria: dispute with a reason", "ria",
         ["x", "Recovery only, not charging: we do charging in-house", "Enter"], "arked N3")

    # A posting from the command line while the workshop runs.
    command("add a posting while served (shell)",
            f"{mc} evidence add heat-pump.yaml postings/eastside-advisor.md --date 2026-12-02", d)
    wait("dee", "from the command line: Added posting")

    # The dot vote.
    step("designer: open the vote view", "dee", ["V"], "vote")
    step("designer: open a vote (3 dots)", "dee", ["o", "Enter"], "pened a vote")
    # Each partner opens the view once their screen has the vote (as a person would see it).
    step("Sam: the vote view, with the vote open", "sam", ["V"], "OPEN")
    step("Sam: a dot on a need", "sam", ["+"], "laced a dot")
    step("Ria: the vote view, with the vote open", "ria", ["V"], "OPEN")
    step("Ria: two dots", "ria", ["+", "j", "+"], "laced a dot")
    step("Sam: close the vote view", "sam", ["Escape"], "Northwind")
    step("Ria: close the vote view", "ria", ["Escape"], "Brightwater")
    step("designer: close the vote", "dee", ["c"], "losed the vote")
    # Applying sets the needs' priorities from the dots, as one change, and closes the view.
    step("designer: apply the result", "dee", ["p", "Enter"], "more change(s)")

    # Sign-off.
    # A moment after the vote, as in a room (a sign-off made on a screen one version behind
    # is refused: "the design changed while you were signing it off").
    time.sleep(1)
    # The question defaults to "not now": signing is said with y.
    step("Sam: sign off", "sam", ["S", "y"], "ecorded Sam")
    step("Ria: sign off", "ria", ["S", "y"], "ecorded Ria")

    for s in ("sam", "ria", "dee"):
        send(s, "q")
    subprocess.run(["tmux", "send-keys", "-t", "server", "C-c"], check=True)
    wait("server", "SERVER-EXIT=")

    t0 = time.monotonic()
    out = sh(f"{mc} check heat-pump.yaml", d, check=False)
    ROWS.append(("check (its exit status is the verdict)", "$ microcred check heat-pump.yaml", 0,
                 time.monotonic() - t0))
    t0 = time.monotonic()
    exports = ""
    for fmt, ext in [("yaml", "spec.yaml"), ("ob3", "ob3.json"), ("markdown", "md"),
                     ("elm", "elm.jsonld"), ("ctdl", "ctdl.jsonld"), ("case", "case.json")]:
        exports += f"{fmt}: " + sh(f"{mc} export heat-pump.yaml --format {fmt} -o out.{ext} --force",
                                   d, check=False)
    ROWS.append(("every export (six formats)", "$ microcred export heat-pump.yaml --format F -o …",
                 0, time.monotonic() - t0))
    log = command("log", f"{mc} log heat-pump.yaml", d)

    print(f"load average at start: {load:.1f}; folder: {d}\n")
    print("| step | keys | count | seconds |")
    print("|---|---|---|---|")
    for name, keys, count, secs in ROWS:
        keys = keys.replace("|", "\\|")
        print(f"| {name} | `{keys}` | {count} | {secs:.2f} |")
    print("\ncheck:\n" + out)
    print("export:\n" + exports)
    print("log:\n" + log)


if __name__ == "__main__":
    try:
        main()
    finally:
        for name in ("dee-local", "dee", "sam", "ria", "server"):
            subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)

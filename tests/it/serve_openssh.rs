//! `microcred serve` end to end with the real OpenSSH client, each client in its own tmux
//! session (send-keys to type, capture-pane to read), on 127.0.0.1 with the host key pinned
//! in a known_hosts file of the test's own. Skipped, with a note, when `ssh`, `ssh-keygen` or
//! `tmux` is not installed (`.ci/run` installs them).

use std::process::Command;
use std::time::{Duration, Instant};

use crate::common;

use common::openssh::{Room, keygen};
use common::server::{Server, have_tools, run_with_timeout};
use common::tmux::Tmux;

const TOOLS: &[&str] = &["ssh", "ssh-keygen", "tmux"];
const PARTNER: &str = "Sam at Brightwater";

/// The retrofit example served to five people (see [`Workshop::new`]).
struct Workshop(Room);

impl std::ops::Deref for Workshop {
    type Target = Room;
    fn deref(&self) -> &Room {
        &self.0
    }
}

impl Workshop {
    /// The retrofit example (N3's mapping is disputed by Brightwater Mechanical) and five
    /// people: a designer, a second designer, a Brightwater partner, a viewer and a Coastline
    /// partner; plus a key nobody listed.
    fn new() -> Workshop {
        let room = Room::new(
            "retrofit-gaps.yaml",
            &[
                ("dee", "- name: Dee Designer\n  role: designer\n"),
                ("dan", "- name: Dan Designer\n  role: designer\n"),
                (
                    "sam",
                    "- name: Sam at Brightwater\n  role: partner\n  partner: brightwater-mechanical\n",
                ),
                ("vic", "- name: Vic Viewer\n  role: viewer\n"),
                (
                    "cam",
                    "- name: Cam at Coastline\n  role: partner\n  partner: coastline-energy\n",
                ),
            ],
        );
        keygen(&room.path("stranger"));
        Workshop(room)
    }

    /// Start the server and pin its host key in `known_hosts` for its port.
    fn serve(&self, extra: &[&str]) -> Server {
        self.serve_env(extra, &[])
    }

    /// An interactive session for `key` in its own tmux of `name`.
    fn client(&self, name: &'static str, server: &Server, key: &str) -> Tmux {
        self.client_sized(name, server, key, (200, 50))
    }

    /// Dee (designer) connects, then Sam (partner); both screens show both online.
    fn dee_then_sam(&self, server: &Server, sessions: [&'static str; 2]) -> (Tmux, Tmux) {
        let dee = self.client(sessions[0], server, "dee");
        dee.wait_for("online: Dee Designer");
        let sam = self.client(sessions[1], server, "sam");
        sam.wait_for("online: Dee Designer, Sam at Brightwater");
        dee.wait_for("online: Dee Designer, Sam at Brightwater");
        (dee, sam)
    }

    /// `ssh` run to completion (no terminal), with `more` arguments after the common ones.
    fn ssh(&self, server: &Server, key: &str, more: &[&str]) -> (bool, String) {
        let mut cmd = Command::new("ssh");
        cmd.args(self.ssh_args(server, key)).args(more);
        let (st, out, err) = run_with_timeout(&mut cmd, Duration::from_secs(30));
        eprintln!("ssh {more:?}: {st}: {}", format!("{out}{err}").trim());
        (st.success(), format!("{out}{err}"))
    }

    /// Wait (at most 10 s) until the saved file satisfies `ok`; returns its text.
    fn wait_saved(&self, ok: impl Fn(&str) -> bool) -> String {
        let t = Instant::now();
        loop {
            let text = std::fs::read_to_string(&self.ws).unwrap_or_default();
            if ok(&text) {
                return text;
            }
            assert!(
                t.elapsed() < Duration::from_secs(10),
                "not saved within 10 s:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn saved(&self) -> microcred::model::Workspace {
        let text = std::fs::read_to_string(&self.ws).expect("read");
        let cat = microcred::catalog::Catalog::embedded().expect("catalog");
        microcred::document::workspace_from_str(&text, "w.yaml", &cat)
            .expect("the saved file is valid")
            .workspace
    }
}

/// Select need N3 (the fifth in display order: Coastline's four come first) and move to its
/// mappings.
fn to_n3_mappings(t: &Tmux) {
    // A partner starts at what awaits them: go to the top first.
    t.keys(&["1", "g", "j", "j", "j", "j", "Tab"]);
    t.wait_for("Mappings of N3");
}

fn n3(ws: &microcred::model::Workspace) -> &microcred::model::Mapping {
    ws.mappings
        .iter()
        .find(|m| m.need == "N3")
        .expect("N3's mapping")
}

#[test]
#[ignore = "end-to-end: needs tmux and the OpenSSH client; run with `cargo test -- --ignored`"]
fn a_designer_sees_a_partner_agree_and_comment_and_the_file_records_who() {
    if !have_tools(
        "a_designer_sees_a_partner_agree_and_comment_and_the_file_records_who",
        TOOLS,
    ) {
        return;
    }
    let w = Workshop::new();
    let server = w.serve(&[]);
    let (dee, sam) = w.dee_then_sam(&server, ["a-dee", "a-sam"]);
    to_n3_mappings(&dee);
    // Competencies are named, then their short id.
    dee.wait_for("disputed Size heat pumps with load calculations (BR-HVAC-01)");
    to_n3_mappings(&sam);

    // The partner agrees with the disputed mapping and says why.
    sam.keys(&["y"]);
    sam.wait_for(
        "Agreed: N3 \"Size a cold-climate heat…\" → Size heat pumps with load calculations (building-retrofit:BR-HVAC-01).",
    );
    // The selection moved on to N4's mapping (awaiting Sam's review): back to N3's.
    to_n3_mappings(&sam);
    sam.keys(&["c"]);
    sam.wait_for("Comment on N3");
    sam.type_text("Agreed once level 3 covers cold-climate units");
    sam.keys(&["Enter"]);
    sam.wait_for("Commented on N3");

    // The designer's screen shows both, with no key pressed there.
    // (The comment wraps to the pane's width: its words may end a line.)
    let s = dee.wait_for("Sam at Brightwater: Agreed once level 3");
    assert!(s.contains("cold-climate units"), "{s}");
    assert!(
        s.contains("agreed   Size heat pumps with load calculations"),
        "{s}"
    );

    // The debounced save (about a second) records them under the partner's name.
    w.wait_saved(|t| t.contains("Agreed once level 3 covers cold-climate units"));
    let ws = w.saved();
    let m = n3(&ws);
    assert_eq!(m.status, microcred::model::MappingStatus::Agreed);
    assert_eq!(m.agreed_by.as_deref(), Some(PARTNER));
    let c = m.comments.last().expect("the comment");
    assert_eq!(c.by, PARTNER);
    assert_eq!(c.text, "Agreed once level 3 covers cold-climate units");

    let st = server.terminate();
    assert!(st.success(), "clean stop: {st}");
    // Both clients were told and their ssh ended.
    let t = Instant::now();
    while (dee.alive() || sam.alive()) && t.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!dee.alive() && !sam.alive(), "ssh sessions ended");
}

#[test]
#[ignore = "end-to-end: needs tmux and the OpenSSH client; run with `cargo test -- --ignored`"]
fn strangers_passwords_commands_sftp_and_viewer_edits_are_refused() {
    if !have_tools(
        "strangers_passwords_commands_sftp_and_viewer_edits_are_refused",
        TOOLS,
    ) {
        return;
    }
    let w = Workshop::new();
    let server = w.serve(&[]);

    // A key nobody listed.
    let (ok, out) = w.ssh(&server, "stranger", &["-T", "127.0.0.1", "true"]);
    assert!(!ok, "{out}");
    assert!(out.contains("Permission denied"), "{out}");
    // Passwords and keyboard-interactive are not offered at all (BatchMode: no prompt).
    for method in ["password", "keyboard-interactive"] {
        let (ok, out) = w.ssh(
            &server,
            "dee",
            &[
                "-o",
                &format!("PreferredAuthentications={method}"),
                "-o",
                "PubkeyAuthentication=no",
                "-T",
                "127.0.0.1",
                "true",
            ],
        );
        assert!(!ok, "{method}: {out}");
        assert!(out.contains("Permission denied"), "{method}: {out}");
    }
    // A listed key may not run commands or subsystems.
    let (ok, out) = w.ssh(&server, "dee", &["-T", "127.0.0.1", "cat", "/etc/passwd"]);
    assert!(!ok, "{out}");
    assert!(
        !out.contains("Permission denied"),
        "the key was accepted: {out}"
    );
    assert!(out.contains("commands are not run here"), "{out}");
    assert!(!out.contains("root:"), "{out}");
    let (ok, out) = w.ssh(&server, "dee", &["-T", "-s", "127.0.0.1", "sftp"]);
    assert!(!ok, "{out}");
    // A failed subsystem request is what sftp clients expect; OpenSSH then says so itself.
    assert!(out.contains("subsystem request failed"), "{out}");

    // A viewer's edit is refused, and the status bar says why.
    let before = std::fs::read_to_string(&w.ws).expect("read");
    let vic = w.client("b-vic", &server, "vic");
    vic.wait_for("online: Vic Viewer");
    // The hint bar offers no editing keys; pressing one says why at once, and opens nothing.
    let s = vic.screen();
    assert!(!s.contains("a add need") && !s.contains("d delete"), "{s}");
    vic.keys(&["d"]);
    let s = vic.wait_for("Viewers follow the design; ask a designer to change it.");
    assert!(!s.contains("Delete need"), "{s}");
    vic.keys(&["a"]);
    let s = vic.wait_for("Viewers follow the design");
    assert!(!s.contains("Add a need"), "{s}");
    drop(vic);
    let st = server.terminate();
    assert!(st.success(), "clean stop: {st}");
    assert_eq!(
        std::fs::read_to_string(&w.ws).expect("read"),
        before,
        "nothing changed"
    );
}

#[test]
#[ignore = "end-to-end: needs tmux and the OpenSSH client; run with `cargo test -- --ignored`"]
fn a_client_killed_mid_edit_loses_nothing_and_the_server_keeps_serving() {
    if !have_tools(
        "a_client_killed_mid_edit_loses_nothing_and_the_server_keeps_serving",
        TOOLS,
    ) {
        return;
    }
    let w = Workshop::new();
    let server = w.serve(&[]);
    let sam = w.client("c-sam", &server, "sam");
    sam.wait_for("online: Sam at Brightwater");
    to_n3_mappings(&sam);
    sam.keys(&["c"]);
    sam.wait_for("Comment on N3");
    sam.type_text("Said before the crash");
    sam.keys(&["Enter"]);
    sam.wait_for("Commented on N3");

    // The designer opens a form and types, then their ssh is killed.
    let dee = w.client("c-dee", &server, "dee");
    dee.wait_for("online: Dee Designer, Sam at Brightwater");
    dee.keys(&["a"]);
    dee.wait_for("Add a need");
    dee.type_text("Half-typed need never submitted");
    dee.wait_for("Half-typed need never submitted");
    let pid = dee.tmux(&["display-message", "-p", "-t", dee.session, "#{pane_pid}"]);
    let st = Command::new("kill")
        .args(["-KILL", pid.trim()])
        .status()
        .expect("kill");
    assert!(st.success(), "killed ssh (pid {pid})");
    // The server notices: the designer leaves the presence line.
    let start = Instant::now();
    while sam.screen().contains("online: Sam at Brightwater, ")
        || sam.screen().contains("online: Dee Designer")
    {
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "Dee still online"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    sam.wait_for("online: Sam at Brightwater");

    // Work goes on, and a new connection works.
    sam.keys(&["c"]);
    sam.wait_for("Comment on N3");
    sam.type_text("Said after the crash");
    sam.keys(&["Enter"]);
    sam.wait_for("Commented on N3");
    drop(dee);
    let dee = w.client("c-dee2", &server, "dee");
    dee.wait_for("online: Dee Designer, Sam at Brightwater");
    to_n3_mappings(&dee);
    dee.wait_for("Sam at Brightwater: Said after the crash");

    let st = server.terminate();
    assert!(st.success(), "clean stop: {st}");
    let ws = w.saved();
    let texts: Vec<&str> = n3(&ws).comments.iter().map(|c| c.text.as_str()).collect();
    assert!(texts.contains(&"Said before the crash"), "{texts:?}");
    assert!(texts.contains(&"Said after the crash"), "{texts:?}");
    assert!(
        !ws.needs.iter().any(|n| n.statement.contains("Half-typed")),
        "an unsubmitted form changes nothing"
    );
}

#[test]
#[ignore = "end-to-end: needs tmux and the OpenSSH client; run with `cargo test -- --ignored`"]
fn escape_sequences_in_a_comment_are_inert_on_other_screens() {
    if !have_tools(
        "escape_sequences_in_a_comment_are_inert_on_other_screens",
        TOOLS,
    ) {
        return;
    }
    let w = Workshop::new();
    let server = w.serve(&[]);
    let (dee, sam) = w.dee_then_sam(&server, ["d-dee", "d-sam"]);
    to_n3_mappings(&dee);
    to_n3_mappings(&sam);
    let title_before = dee.tmux(&["display-message", "-p", "-t", dee.session, "#{pane_title}"]);

    // Pasted (bracketed paste: the escape bytes arrive as text).
    let hostile = "pasted \x1b[2J\x1b]0;pwned\x07\x1b[31mred? end";
    sam.keys(&["c"]);
    sam.wait_for("Comment on N3");
    sam.tmux(&["set-buffer", "-b", "hostile", "--", hostile]);
    sam.tmux(&["paste-buffer", "-p", "-b", "hostile", "-t", sam.session]);
    sam.wait_for("pasted [2J]0;pwned[31mred? end");
    sam.keys(&["Enter"]);
    sam.wait_for("Commented on N3");
    // Typed, key by key.
    sam.keys(&["c"]);
    sam.wait_for("Comment on N3");
    sam.type_text("typed ");
    sam.type_text("\x1b[2J\x1b]0;pwned\x07\x1b[31m");
    sam.type_text(" end");
    // The form has the typed text (bytes arrive in order, so Enter comes after all of it).
    sam.wait_for("typed ");
    sam.keys(&["Enter"]);

    let s = dee.wait_for("Sam at Brightwater: pasted [2J]0;pwned[31mred? end");
    // Not cleared: the panes are all still drawn around it.
    for pane in ["Mappings of N3", "Needs", "Competency", "Gaps"] {
        assert!(s.contains(pane), "{pane} missing:\n{s}");
    }
    let title = dee.tmux(&["display-message", "-p", "-t", dee.session, "#{pane_title}"]);
    assert_eq!(title, title_before, "no title change");
    assert!(!title.contains("pwned"));
    // No colour switched on inside the comment: the line has one style from "pasted" to "end".
    let styled = dee.tmux(&["capture-pane", "-p", "-e", "-t", dee.session]);
    let line = styled
        .lines()
        .find(|l| l.contains("pasted "))
        .expect("the comment line");
    let from = line.find("pasted ").unwrap_or(0);
    let to = line.find("red? end").map_or(line.len(), |i| i + 8);
    assert!(
        !line[from..to].contains('\x1b'),
        "escape inside the comment: {line:?}"
    );

    let st = server.terminate();
    assert!(st.success(), "clean stop: {st}");
    let ws = w.saved();
    let comments = &n3(&ws).comments;
    eprintln!("N3's comments as saved: {comments:#?}");
    assert!(
        comments
            .iter()
            .any(|c| c.text == "pasted [2J]0;pwned[31mred? end"),
        "{comments:?}"
    );
    for c in comments {
        assert!(!c.text.chars().any(char::is_control), "{:?}", c.text);
    }
    // Whatever the typed escapes did to the form, nothing with a control character got in,
    // and if the typed comment was submitted, it kept its printable ends.
    if let Some(c) = comments.iter().find(|c| c.text.starts_with("typed")) {
        assert!(c.text.ends_with(" end"), "{:?}", c.text);
    }
}

#[test]
#[ignore = "end-to-end: needs tmux and the OpenSSH client; run with `cargo test -- --ignored`"]
fn a_partners_dispute_reaches_a_designer_as_a_notice_with_a_key_that_jumps_to_it() {
    if !have_tools(
        "a_partners_dispute_reaches_a_designer_as_a_notice_with_a_key_that_jumps_to_it",
        TOOLS,
    ) {
        return;
    }
    let w = Workshop::new();
    let server = w.serve(&[]);
    let (dee, sam) = w.dee_then_sam(&server, ["n-dee", "n-sam"]);
    // The partner disputes N3's mapping: asked why first.
    to_n3_mappings(&sam);
    sam.keys(&["x"]);
    sam.wait_for("Dispute N3 → building-retrofit:BR-HVAC-01: why?");
    sam.type_text("Level 2 does not cover cold-climate units");
    sam.keys(&["Enter"]);
    sam.wait_for("disputed; the reason is in its comments");

    // The designer, elsewhere on the screen, is told with no key pressed, and n jumps there.
    let s = dee.wait_for("● n jumps to: Sam at Brightwater disputed N3");
    assert!(!s.contains("Mappings of N3"), "{s}");
    dee.keys(&["n"]);
    dee.wait_for("Mappings of N3");
    let s = dee.wait_for("Sam at Brightwater: Disputed: Level 2 does not cover");
    assert!(s.contains("disputed by Sam at Brightwater · "), "{s}");
    assert!(!s.contains("● n jumps to"), "the notice is seen: {s}");
    // The feed holds it too.
    dee.keys(&["A"]);
    let s = dee.wait_for("Activity · newest first");
    assert!(
        s.contains(
            "Sam at Brightwater disputed N3 \"Size a cold-climate heat…\" → Size heat pumps with load"
        ),
        "{s}"
    );
    dee.keys(&["Escape"]);
    // The partner gets no notice of their own change.
    assert!(!sam.screen().contains("● n jumps to"));

    // The file records who changed the status, and when, and keeps the reason.
    w.wait_saved(|t| t.contains("status_by: Sam at Brightwater"));
    let ws = w.saved();
    let m = n3(&ws);
    assert_eq!(m.status, microcred::model::MappingStatus::Disputed);
    let c = m.comments.last().expect("the reason");
    assert_eq!(c.by, PARTNER);
    assert_eq!(
        c.text,
        "Disputed: Level 2 does not cover cold-climate units"
    );
    assert_eq!(m.status_at.as_deref(), Some(c.at.as_str()));

    let st = server.terminate();
    assert!(st.success(), "clean stop: {st}");
}

#[test]
#[ignore = "end-to-end: needs tmux and the OpenSSH client; run with `cargo test -- --ignored`"]
fn serve_prints_the_host_key_fingerprint_that_ssh_shows() {
    if !have_tools(
        "serve_prints_the_host_key_fingerprint_that_ssh_shows",
        TOOLS,
    ) {
        return;
    }
    let w = Workshop::new();
    let server = w.serve(&[]);
    let out = Command::new("ssh-keygen")
        .arg("-l")
        .arg("-f")
        .arg(&w.host_key)
        .output()
        .expect("ssh-keygen -l");
    assert!(out.status.success(), "{out:?}");
    // "256 SHA256:… comment (ED25519)"
    let listing = String::from_utf8_lossy(&out.stdout);
    let print = listing
        .split_whitespace()
        .nth(1)
        .expect("a fingerprint")
        .to_string();
    assert!(print.starts_with("SHA256:"), "{listing}");
    let t = Instant::now();
    while !server.stderr().contains("fingerprint") && t.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let log = server.stderr();
    assert!(
        log.contains(&format!("host key fingerprint {print} (")),
        "{print} not in:\n{log}"
    );
    assert!(log.contains("send it to everyone who connects"), "{log}");
    let st = server.terminate();
    assert!(st.success(), "clean stop: {st}");
}

/// Budget: a partner agrees to consecutive mappings in at most two keys each over a real `ssh`
/// client (after each review the next mapping awaiting one is selected: one key each).
#[test]
#[ignore = "end-to-end: needs tmux and the OpenSSH client; run with `cargo test -- --ignored`"]
fn a_partner_agrees_to_consecutive_mappings_in_at_most_two_keys_each() {
    if !have_tools(
        "a_partner_agrees_to_consecutive_mappings_in_at_most_two_keys_each",
        TOOLS,
    ) {
        return;
    }
    use microcred::model::{Mapping, MappingStatus};
    let w = Workshop::new();
    // Three proposals for N8, one of Brightwater's needs.
    let mut ws = w.saved();
    let proposed = [
        "building-retrofit:BR-HVAC-02",
        "building-retrofit:BR-HVAC-03",
        "essential-skills:ES-READ-01",
    ];
    for c in proposed {
        ws.mappings.push(Mapping {
            need: "N8".into(),
            competency: c.into(),
            status: MappingStatus::Proposed,
            ..Mapping::default()
        });
    }
    std::fs::write(&w.ws, microcred::document::workspace_to_string(&ws)).expect("write");
    let ws = w.saved();
    // N8's own mapping (agreed already) comes first, then the three.
    assert_eq!(
        ws.mappings.iter().filter(|m| m.need == "N8").count(),
        4,
        "the three proposals load"
    );
    let server = w.serve(&[]);
    let sam = w.client("budget-sam", &server, "sam");
    sam.wait_for("online: Sam at Brightwater");
    // N8 is seventh in display order.
    sam.keys(&["g", "j", "j", "j", "j", "j", "j", "Tab"]);
    sam.wait_for("Mappings of N8");
    // One key to the first proposal; then one key per agreement.
    sam.keys(&["j"]);
    let mut pressed = 1;
    let cat = microcred::catalog::Catalog::embedded().expect("catalog");
    for c in proposed {
        sam.keys(&["y"]);
        pressed += 1;
        let (_, comp) = cat.resolve(c).expect("a built-in competency");
        sam.wait_for(&format!("N8 → {}", comp.name));
    }
    assert!(pressed <= 2 * proposed.len(), "{pressed} keys");
    w.wait_saved(|t| t.matches("agreed_by: Sam at Brightwater").count() >= 3);
    let ws = w.saved();
    for c in proposed {
        let m = ws
            .mappings
            .iter()
            .find(|m| m.need == "N8" && m.competency == c)
            .expect("kept");
        assert_eq!(m.status, MappingStatus::Agreed, "{c}");
        assert_eq!(m.agreed_by.as_deref(), Some(PARTNER));
    }
    let st = server.terminate();
    assert!(st.success(), "clean stop: {st}");
}

/// A partner signs off the whole design over real ssh in one question: the file records who,
/// for which partner and the fingerprint of the key they connected with; a designer's change
/// makes it stale on the partner's screen, and undoing the change makes it current again.
#[test]
#[ignore = "end-to-end: needs tmux and the OpenSSH client; run with `cargo test -- --ignored`"]
fn a_partner_signs_off_over_ssh_with_their_key_and_a_change_makes_it_stale() {
    if !have_tools(
        "a_partner_signs_off_over_ssh_with_their_key_and_a_change_makes_it_stale",
        TOOLS,
    ) {
        return;
    }
    let w = Workshop::new();
    let server = w.serve(&[]);
    let (dee, sam) = w.dee_then_sam(&server, ["so-dee", "so-sam"]);
    dee.wait_for("missing Brightwater Mechanical");
    sam.keys(&["S"]);
    sam.wait_for("Sign off for Brightwater Mechanical as Sam at Brightwater?");
    sam.keys(&["y"]);
    sam.wait_for("Recorded Sam at Brightwater's sign-off");
    // Gone from the designer's gap panes without a key pressed there.
    let t = Instant::now();
    while dee.screen().contains("missing Brightwater") {
        assert!(t.elapsed() < Duration::from_secs(10), "{}", dee.screen());
        std::thread::sleep(Duration::from_millis(50));
    }
    let text = w.wait_saved(|t| t.contains("sign_offs:"));
    let ws = w.saved();
    let so = ws.sign_offs.first().expect("the sign-off");
    assert_eq!(
        (so.person.as_str(), so.partner.as_str()),
        (PARTNER, "brightwater-mechanical")
    );
    // The fingerprint ssh-keygen shows for sam's key.
    let out = Command::new("ssh-keygen")
        .arg("-lf")
        .arg(w.path("sam.pub"))
        .output()
        .expect("ssh-keygen -lf");
    let shown = String::from_utf8_lossy(&out.stdout).into_owned();
    let print = shown.split_whitespace().nth(1).expect("a fingerprint");
    assert_eq!(so.key.as_deref(), Some(print), "{text}");
    assert_eq!(so.design, microcred::model::signoff::design_hash(&ws));

    // The designer edits the credential; the partner sees the sign-off go stale.
    dee.keys(&["C"]);
    dee.wait_for("Credential");
    dee.type_text(" (revised)");
    dee.keys(&["Enter"]);
    dee.wait_for("Updated the credential");
    sam.wait_for("stale Brightwater Mechanical");
    dee.keys(&["u"]);
    dee.wait_for("Undone");
    let t = Instant::now();
    while sam.screen().contains("stale Brightwater") {
        assert!(t.elapsed() < Duration::from_secs(10), "{}", sam.screen());
        std::thread::sleep(Duration::from_millis(50));
    }
    let st = server.terminate();
    assert!(st.success(), "clean stop: {st}");
}

#[test]
#[ignore = "end-to-end: needs tmux and the OpenSSH client; run with `cargo test -- --ignored`"]
fn a_dot_vote_over_ssh_two_partners_a_viewer_refused_and_the_dots_survive_a_sigkill() {
    if !have_tools(
        "a_dot_vote_over_ssh_two_partners_a_viewer_refused_and_the_dots_survive_a_sigkill",
        TOOLS,
    ) {
        return;
    }
    let w = Workshop::new();
    let original = std::fs::read_to_string(&w.ws).expect("read");
    // A long save delay: the server is killed long before it would save.
    let server = w.serve(&["--save-delay", "600"]);
    let (dee, sam) = w.dee_then_sam(&server, ["dv-dee", "dv-sam"]);
    let cam = w.client("dv-cam", &server, "cam");
    cam.wait_for("online:");
    let vic = w.client("dv-vic", &server, "vic");
    vic.wait_for("online:");

    // The designer opens a vote with the form's defaults: 3 dots, all needs, tally shown.
    dee.keys(&["V"]);
    dee.wait_for("No vote yet");
    dee.keys(&["o"]);
    dee.wait_for("Open a dot vote");
    dee.keys(&["Enter"]);
    dee.wait_for("Opened a vote over the needs, 3 dots per partner");

    // Two partners place dots from their own screens; Sam cannot place a fourth.
    // Sam starts at what awaits him (N4): back to the top first.
    sam.keys(&["g", "V"]);
    sam.wait_for("You vote for brightwater-mechanical: 3 of 3 dots left.");
    sam.keys(&["+", "+"]);
    sam.wait_for("1 of 3 dots left.");
    sam.keys(&["j", "+"]);
    sam.wait_for("0 of 3 dots left.");
    sam.keys(&["+"]);
    sam.wait_for("has placed all 3 of its dots");
    cam.keys(&["V"]);
    cam.wait_for("You vote for coastline-energy: 3 of 3 dots left.");
    cam.keys(&["+"]);
    cam.wait_for("2 of 3 dots left.");

    // Everyone sees the tally without pressing a key: N1 has three dots (two of Sam's, one
    // of Cam's).
    for t in [&dee, &sam, &cam] {
        let s = t.wait_for("4 dots from 2 partner(s)");
        assert!(s.lines().any(|l| l.contains("N1        ●●●  3")), "{s}");
    }
    // A viewer follows but cannot vote: refused with the reason, nothing changes.
    a_viewer_cannot_vote(&vic);

    // Every dot is in the journal before it shows. SIGKILL the server mid-vote; on restart
    // the vote and its dots come back by themselves.
    let server = kill_and_recover_five(&w, server, &original);
    w.wait_saved(|t| t.contains("votes:"));
    let ws = w.saved();
    let v = ws.votes.last().expect("the vote");
    assert!(v.is_open());
    assert_eq!(v.ballots.len(), 4);
    assert_eq!(v.dots_of("brightwater-mechanical"), 3);
    assert_eq!(v.dots_of("coastline-energy"), 1);
    assert!(
        v.ballots
            .iter()
            .all(|d| d.person == PARTNER || d.person == "Cam at Coastline")
    );

    // The designer closes the vote and sets priorities from it in one step.
    let dee = w.client("dv-dee2", &server, "dee");
    dee.wait_for("online: Dee Designer");
    dee.keys(&["V"]);
    dee.wait_for("4 dots from 2 partner(s)");
    dee.keys(&["c"]);
    dee.wait_for("Closed the vote");
    dee.wait_for("CLOSED by Dee Designer");
    dee.keys(&["p"]);
    dee.wait_for("Set priorities from the vote");
    dee.keys(&["y"]);
    dee.wait_for("Updated need");
    let st = server.terminate();
    assert!(st.success(), "clean stop: {st}");
    let ws = w.saved();
    let v = ws.votes.last().expect("the vote");
    assert_eq!(v.closed_by.as_deref(), Some("Dee Designer"));
    let tally = microcred::model::vote::Tally::new(v);
    assert_eq!(tally.on("N1"), 3);
    for n in &ws.needs {
        let want = microcred::model::vote::priority_for(tally.on(&n.id), tally.max);
        assert_eq!(Some(n.priority), want, "{}", n.id);
    }
}

#[test]
#[ignore = "end-to-end: needs tmux and the OpenSSH client; run with `cargo test -- --ignored`"]
fn a_vote_over_candidate_competencies_over_ssh_survives_a_sigkill_and_adds_a_need() {
    if !have_tools(
        "a_vote_over_candidate_competencies_over_ssh_survives_a_sigkill_and_adds_a_need",
        TOOLS,
    ) {
        return;
    }
    let w = Workshop::new();
    let original = std::fs::read_to_string(&w.ws).expect("read");
    let server = w.serve(&["--save-delay", "600"]);
    let (dee, sam) = w.dee_then_sam(&server, ["cv-dee", "cv-sam"]);
    let cam = w.client("cv-cam", &server, "cam");
    cam.wait_for("online:");
    let vic = w.client("cv-vic", &server, "vic");
    vic.wait_for("online:");

    // The designer opens a vote over the candidate competencies: the credential's ten (the
    // example has no job postings), 3 dots per partner.
    dee.keys(&["V"]);
    dee.wait_for("No vote yet");
    dee.keys(&["o"]);
    dee.wait_for("Open a dot vote");
    dee.keys(&["Right"]);
    dee.wait_for("candidate competencies");
    dee.keys(&["Enter"]);
    dee.wait_for("Opened a vote over 10 candidate competencies, 3 dots per partner");

    // Sam puts two dots on BR-SCI-03 (the ninth candidate, which no need covers) and one on
    // DD-AI-02; Cam one on BR-SCI-03.
    sam.keys(&["V"]);
    sam.wait_for("You vote for brightwater-mechanical: 3 of 3 dots left.");
    sam.keys(&["j", "j", "j", "j", "j", "j", "j", "j", "+", "+"]);
    sam.wait_for("1 of 3 dots left.");
    sam.keys(&["j", "+"]);
    sam.wait_for("0 of 3 dots left.");
    cam.keys(&["V"]);
    cam.wait_for("You vote for coastline-energy: 3 of 3 dots left.");
    cam.keys(&["j", "j", "j", "j", "j", "j", "j", "j", "+"]);
    cam.wait_for("2 of 3 dots left.");
    for t in [&dee, &sam, &cam] {
        let s = t.wait_for("4 dots from 2 partner(s)");
        assert!(
            s.lines()
                .any(|l| l.contains("building-retrofit:BR-SCI-03") && l.contains("●●●  3")),
            "{s}"
        );
    }
    // A viewer cannot vote.
    a_viewer_cannot_vote(&vic);

    // The opening and the four dots are in the journal; SIGKILL the server and restart it.
    let server = kill_and_recover_five(&w, server, &original);
    w.wait_saved(|t| t.contains("over: competencies"));
    let ws = w.saved();
    let v = ws.votes.last().expect("the vote");
    assert!(v.is_open());
    assert_eq!(v.over, microcred::model::VoteOver::Competencies);
    assert_eq!(v.candidates.len(), 10);
    let on: Vec<(&str, &str)> = v
        .ballots
        .iter()
        .map(|d| (d.partner.as_str(), d.target()))
        .collect();
    assert_eq!(
        on,
        [
            ("brightwater-mechanical", "building-retrofit:BR-SCI-03"),
            ("brightwater-mechanical", "building-retrofit:BR-SCI-03"),
            ("brightwater-mechanical", "digital-data:DD-AI-02"),
            ("coastline-energy", "building-retrofit:BR-SCI-03"),
        ]
    );

    // The designer closes it and turns the result into a need in one step: BR-SCI-03 (3 dots,
    // two of them Brightwater's); DD-AI-02's one dot is under half of 3.
    let needs = ws.needs.len();
    let dee = w.client("cv-dee2", &server, "dee");
    dee.wait_for("online: Dee Designer");
    dee.keys(&["V"]);
    dee.wait_for("4 dots from 2 partner(s)");
    dee.keys(&["c"]);
    dee.wait_for("1 candidate(s) proposed as needs");
    dee.keys(&["p"]);
    dee.wait_for("Turn voted competencies into needs");
    dee.keys(&["y"]);
    dee.wait_for("Added need");
    let st = server.terminate();
    assert!(st.success(), "clean stop: {st}");
    let ws = w.saved();
    assert_eq!(ws.needs.len(), needs + 1);
    let n = ws.needs.last().expect("the new need");
    assert_eq!(n.partner, "brightwater-mechanical");
    assert_eq!(n.statement, "Apply a whole-building approach");
    assert_eq!(n.priority, microcred::model::Priority::Should);
    assert!(
        n.evidence
            .as_deref()
            .is_some_and(|e| e.starts_with("3 dots in the vote of 20")),
        "{:?}",
        n.evidence
    );
    assert!(
        ws.mapping_index(&n.id, "building-retrofit:BR-SCI-03")
            .is_some()
    );
}

/// A viewer opens the vote (four dots from two partners placed) and is refused a dot, with
/// the reason.
fn a_viewer_cannot_vote(vic: &Tmux) {
    vic.keys(&["V"]);
    vic.wait_for("4 dots from 2 partner(s)");
    vic.keys(&["+"]);
    vic.wait_for("cannot vote; partners place the dots");
}

/// The vote's opening and its four dots are the journal's five entries: SIGKILL `server`
/// before any save (the file is still `original`), start it again, and it restores all five
/// by itself. Returns the new server.
fn kill_and_recover_five(w: &Workshop, server: Server, original: &str) -> Server {
    let found = microcred::document::journal::find(&w.ws)
        .expect("readable")
        .expect("a journal");
    assert_eq!(found.entries.len(), 5, "{:?}", found.skipped);
    server.kill();
    assert_eq!(
        std::fs::read_to_string(&w.ws).expect("read"),
        original,
        "killed before any save"
    );
    let server = w.serve(&["--save-delay", "600"]);
    let log = server.stderr();
    assert!(
        log.contains("recovered 5 of the 5 unsaved changes made"),
        "stderr says what was restored:\n{log}"
    );
    server
}

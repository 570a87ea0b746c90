//! Changes from the command line reach a design that is open (issue 25, point 3): `evidence
//! add` and `evidence remove` hand their change to the editor or server holding the design's
//! lock, over its owner-only socket; the change is journaled as the person's, shown on every
//! screen at once, and undone with `u`. A stray or hostile client never blocks the holder; a
//! socket with nobody behind it changes nothing about today's refusal.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use assert_cmd::prelude::*;
use microcred::document::handoff::{self, Reply, Request};
use microcred::document::{Busy, Hub};
use microcred::edit::{Actor, Op};

use crate::common;
use common::client::{Screen, designer_people, key};
use common::server::have_tools;
use common::tmux::{Tmux, binary};

fn posting() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/evidence/postings/br01.txt")
}

/// `microcred` with the built-in frameworks only, named `who` on the command line.
fn microcred(home: &Path, who: &str) -> Command {
    let mut cmd = Command::cargo_bin("microcred").expect("the binary is built");
    cmd.env_remove("MICROCRED_FRAMEWORKS")
        .env("MICROCRED_NO_CACHE", "1")
        .env("HOME", home)
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("MICROCRED_NAME", who);
    cmd
}

/// The design at `ws` opened for editing here, holding its lock (as the editor and the server
/// open it).
fn open_locked(ws: &Path) -> std::sync::Arc<Hub> {
    match microcred::document::open(&[], Some(ws), "test holder", Busy::Refuse) {
        Ok(o) => o.hub,
        Err(_) => panic!("the design opens"),
    }
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// One raw exchange with the socket at `path`: send `bytes`, read the answer to its end.
fn raw(path: &Path, bytes: &[u8]) -> String {
    let mut s = UnixStream::connect(path).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let _ = s.write_all(bytes);
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out
}

/// `microcred evidence ARGS…` as Dee Designer, off the runtime's threads.
async fn evidence(home: &Path, args: Vec<PathBuf>) -> std::process::Output {
    let home = home.to_path_buf();
    tokio::task::spawn_blocking(move || {
        microcred(&home, "Dee Designer")
            .arg("evidence")
            .args(args)
            .output()
            .expect("runs")
    })
    .await
    .expect("the command ran")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evidence_add_and_remove_reach_a_served_design_and_u_undoes_them() {
    let (dir, ws) = common::example_copy("retrofit-gaps.yaml");
    let designer = key();
    let people = designer_people(dir.path(), &designer);
    let hub = open_locked(&ws);
    let people = microcred::serve::people::People::load(&people, &hub.snapshot().ws).unwrap();
    let limits = common::server::quick_limits();
    let server = microcred::serve::start(
        hub.clone(),
        people,
        "127.0.0.1:0".parse().unwrap(),
        key(),
        limits,
        true,
        None,
    )
    .await
    .expect("server starts");
    let screen = Screen::open(server.addr, None, &designer, 160, 40, None).await;
    screen
        .wait_for("online: Dee Designer", Duration::from_secs(10))
        .await;

    let add = || evidence(dir.path(), vec!["add".into(), ws.clone(), posting()]);
    let out = add().await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("through the editor that has it open"),
        "{}",
        stderr(&out)
    );
    // On the designer's screen at once, in the hub, and in its journal as the person's.
    screen
        .wait_for(
            "Dee Designer, from the command line: Added posting P1.",
            Duration::from_secs(10),
        )
        .await;
    assert_eq!(hub.snapshot().ws.postings.len(), 1);
    // Made as the person's change (the journal and the activity log name them; the server
    // may have saved it already, which removes the journal).
    let last = hub.activity_since(0).pop().expect("an activity line");
    assert_eq!(last.who, "Dee Designer");
    assert!(last.what.contains("P1"), "{}", last.what);
    let journal = microcred::document::journal::path_for(&ws);
    if let Ok(text) = std::fs::read_to_string(&journal) {
        assert!(text.contains("\"name\":\"Dee Designer\""), "{text}");
    }

    // `u` in the session undoes it like a typed change.
    screen.send(b"u").await;
    screen
        .wait_for("Undone: added posting P1", Duration::from_secs(10))
        .await;
    assert!(hub.snapshot().ws.postings.is_empty());

    // Added again, then removed from the command line too.
    let out = add().await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(hub.snapshot().ws.postings.len(), 1);
    let id = hub.snapshot().ws.postings[0].id.clone();
    let out = evidence(
        dir.path(),
        vec!["remove".into(), ws.clone(), id.clone().into()],
    )
    .await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(hub.snapshot().ws.postings.is_empty());
    screen
        .wait_for(
            &format!("from the command line: Removed posting {id}."),
            Duration::from_secs(10),
        )
        .await;

    // A refusal comes back in the words the command uses itself.
    let args = vec![
        "add".into(),
        ws.clone(),
        posting(),
        "--partner".into(),
        "NOPE".into(),
    ];
    let out = evidence(dir.path(), args).await;
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the postings were not added") && stderr(&out).contains("NOPE"),
        "{}",
        stderr(&out)
    );
    assert!(hub.snapshot().ws.postings.is_empty());
    let _ = server.stop("done").await;
}

#[test]
fn a_hostile_client_does_not_block_the_holder() {
    let (_dir, ws) = common::example_copy("retrofit-gaps.yaml");
    let hub = open_locked(&ws);
    let (listener, inbox) = handoff::listen(&hub).expect("listens");
    let path = listener.path().to_path_buf();
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600, "only its owner may connect");
    assert_eq!(mode(path.parent().unwrap()), 0o700);
    assert!(path.as_os_str().len() < 108);

    // A slow client: connects, starts a request, and says no more.
    let mut slow = UnixStream::connect(&path).unwrap();
    slow.write_all(b"{\"ask\":").unwrap();

    // Garbage, and a 10 MB line: refused, and nothing reaches the event loop.
    let garbage = raw(&path, b"\x00\x1b[31mhello\n");
    assert!(
        garbage.contains("refused") && garbage.contains("not a request"),
        "{garbage}"
    );
    let mut big = vec![b'x'; 10 << 20];
    big.push(b'\n');
    let t = Instant::now();
    let answer = raw(&path, &big);
    assert!(answer.contains("not a request"), "{answer}");
    eprintln!("a 10 MB line refused in {:?}", t.elapsed());
    let op_json = serde_json::to_string(&Op::RemovePosting { id: "P9".into() }).unwrap();
    let unknown = raw(
        &path,
        format!("{{\"ask\":\"delete_all\",\"op\":{op_json}}}\n").as_bytes(),
    );
    assert!(unknown.contains("not a request"), "{unknown}");
    assert!(
        inbox.try_recv().is_err(),
        "nothing was handed to the editor"
    );

    // Meanwhile a real command is served: the document, then a change the loop makes.
    match handoff::ask(&ws, &Request::Document) {
        Ok(Reply::Document { workspace, .. }) => {
            assert_eq!(*workspace, *hub.snapshot().ws)
        }
        other => panic!("expected the document, got {other:?}"),
    }
    // … while the slow client is still waited for, unanswered.
    slow.set_nonblocking(true).unwrap();
    let mut byte = [0u8; 1];
    assert!(
        matches!(slow.read(&mut byte), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "the slow client is still being waited for"
    );
    slow.set_nonblocking(false).unwrap();
    let w = ws.clone();
    let asking = std::thread::spawn(move || {
        handoff::ask(
            &w,
            &Request::Apply {
                who: "Ada\u{1b}[2J".into(),
                op: Box::new(Op::SetCredentialId {
                    id: Some("urn:uuid:00000000-0000-4000-8000-000000000001".into()),
                }),
            },
        )
    });
    let h = inbox
        .recv_timeout(Duration::from_secs(10))
        .expect("the change reaches the loop");
    assert_eq!(h.who, "Ada[2J", "control characters are taken out of names");
    h.answer_with(|who, op| {
        hub.apply(&Actor::designer(who), op)
            .map(|_| hub.version())
            .map_err(|e| e.to_string())
    });
    match asking.join().unwrap() {
        Ok(Reply::Applied { version }) => assert_eq!(version, hub.version()),
        other => panic!("expected applied, got {other:?}"),
    }

    // Clients that ask for the document and go before the answer.
    for _ in 0..3 {
        let mut gone = UnixStream::connect(&path).unwrap();
        gone.write_all(b"{\"ask\":\"document\"}\n").unwrap();
    }
    // The holder lives on: once their threads are done, the next is answered.
    let t = Instant::now();
    while !raw(&path, b"{\"ask\":\"document\"}\n").contains("\"answer\":\"document\"") {
        assert!(
            t.elapsed() < Duration::from_secs(5),
            "no answer after clients went"
        );
    }

    // More clients than it serves at once: the next is told at once, not kept waiting.
    let mut idle: Vec<UnixStream> = (0..handoff::MAX_CLIENTS)
        .map(|_| UnixStream::connect(&path).unwrap())
        .collect();
    idle.push(slow);
    // The slots fill as their threads start; a new client is refused within the wait.
    let t = Instant::now();
    loop {
        let answer = raw(&path, b"{\"ask\":\"document\"}\n");
        if answer.contains("busy") {
            break;
        }
        assert!(
            t.elapsed() < Duration::from_secs(5),
            "never refused: {answer}"
        );
    }
    drop(idle);
    drop(listener);
    assert!(!path.exists(), "the socket goes with the listener");
}

#[test]
fn a_socket_with_nobody_behind_it_changes_nothing() {
    let (dir, ws) = common::example_copy("retrofit-gaps.yaml");
    let before = std::fs::read(&ws).unwrap();
    let _lock = microcred::store::EditLock::acquire(&ws, "test editor").expect("lock");
    // A socket left by a holder that died.
    let path = microcred::store::socket::socket_path(&ws, true).unwrap();
    let _ = std::fs::remove_file(&path);
    drop(std::os::unix::net::UnixListener::bind(&path).unwrap());
    assert!(path.exists());
    let out = microcred(dir.path(), "Ada")
        .args(["evidence", "add"])
        .arg(&ws)
        .arg(posting())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("open for editing"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&ws).unwrap(), before);
    let _ = std::fs::remove_file(&path);
}

/// What `microcred evidence list WS` prints.
fn listed(ws: &Path) -> String {
    let out = Command::new(binary())
        .args(["evidence", "list"])
        .arg(ws)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
#[ignore = "end-to-end: needs tmux; run with cargo test -- --ignored"]
fn evidence_add_reaches_the_local_editor_and_u_undoes_it() {
    if !have_tools(
        "evidence_add_reaches_the_local_editor_and_u_undoes_it",
        &["tmux"],
    ) {
        return;
    }
    let (dir, ws) = common::example_copy("retrofit-gaps.yaml");
    let t = Tmux::start(
        "handoff-local",
        140,
        40,
        &format!("MICROCRED_NAME='Ada Local' {} w.yaml; sleep 30", binary()),
        dir.path(),
    );
    t.wait_for("Gaps (");
    let out = Command::new(binary())
        .args(["evidence", "add"])
        .arg(&ws)
        .arg(posting())
        .env("MICROCRED_NAME", "Bo Script")
        .current_dir(dir.path())
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    t.wait_for("Bo Script, from the command line: Added posting P1. u undoes it.");
    // Journaled as Bo's change, not saved: the file is as it was until the editor saves.
    let journal = microcred::document::journal::path_for(&ws);
    let text = std::fs::read_to_string(&journal).expect("a journal");
    assert!(text.contains("\"name\":\"Bo Script\""), "{text}");
    assert!(
        !std::fs::read_to_string(&ws)
            .unwrap()
            .contains("Energy Advisor")
    );
    t.keys(&["u"]);
    t.wait_for("Undone: added posting P1.");
    // `evidence list` shows what the editor has, unsaved changes too.
    assert!(!listed(&ws).contains("P1"), "undone, so not listed");
    // Added again and saved by the editor: the file has it.
    let out = Command::new(binary())
        .args(["evidence", "add"])
        .arg(&ws)
        .arg(posting())
        .current_dir(dir.path())
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    t.wait_for("from the command line: Added posting");
    let list = listed(&ws);
    assert!(
        list.contains("Energy Advisor"),
        "listed before it is saved: {list}"
    );
    t.keys(&["s"]);
    t.wait_for("Saved");
    assert!(
        std::fs::read_to_string(&ws)
            .unwrap()
            .contains("Energy Advisor")
    );
}

#[test]
#[ignore = "end-to-end: needs tmux and the OpenSSH client; run with `cargo test -- --ignored`"]
fn evidence_add_reaches_a_designer_over_real_ssh_and_u_undoes_it() {
    if !have_tools(
        "evidence_add_reaches_a_designer_over_real_ssh_and_u_undoes_it",
        &["ssh", "ssh-keygen", "tmux"],
    ) {
        return;
    }
    let room = common::openssh::Room::new(
        "retrofit-gaps.yaml",
        &[
            ("dee", "- name: Dee Designer\n  role: designer\n"),
            (
                "sam",
                "- name: Sam at Brightwater\n  role: partner\n  partner: brightwater-mechanical\n",
            ),
        ],
    );
    let server = room.serve_env(&[], &[]);
    let dee = room.client_sized("handoff-dee", &server, "dee", (160, 40));
    dee.wait_for("online: Dee Designer");
    let sam = room.client_sized("handoff-sam", &server, "sam", (120, 40));
    sam.wait_for("online: Dee Designer, Sam at Brightwater");
    let out = Command::new(binary())
        .args(["evidence", "add"])
        .arg(&room.ws)
        .arg(posting())
        .args(["--partner", "brightwater-mechanical"])
        .env("MICROCRED_NAME", "Dee Designer")
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    dee.wait_for("Dee Designer, from the command line: Added posting P1.");
    // Every screen has it: the partner's demand view lists the posting.
    sam.keys(&["D"]);
    sam.wait_for("Energy Advisor");
    dee.keys(&["u"]);
    dee.wait_for("Undone: added posting P1.");
    // The server saves it away again: the file ends without the posting.
    let t = Instant::now();
    loop {
        let text = std::fs::read_to_string(&room.ws).unwrap_or_default();
        let journal = microcred::document::journal::path_for(&room.ws);
        if !text.contains("Energy Advisor") && !journal.exists() {
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(10), "not saved:\n{text}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn fmt_does_not_rewrite_a_design_open_elsewhere() {
    let (dir, ws) = common::example_copy("retrofit-gaps.yaml");
    let mut text = std::fs::read_to_string(&ws).unwrap();
    text.push_str("\n\n");
    std::fs::write(&ws, &text).unwrap();
    {
        let _lock = microcred::store::EditLock::acquire(&ws, "test editor").expect("lock");
        let out = microcred(dir.path(), "Ada")
            .arg("fmt")
            .arg(&ws)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1));
        let err = stderr(&out);
        assert!(
            err.contains("not rewritten") && err.contains("open for editing in test editor"),
            "{err}"
        );
        assert_eq!(
            std::fs::read_to_string(&ws).unwrap(),
            text,
            "left as it was"
        );
    }
    // Closed: rewritten.
    let out = microcred(dir.path(), "Ada")
        .arg("fmt")
        .arg(&ws)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_ne!(std::fs::read_to_string(&ws).unwrap(), text);
    assert!(
        !microcred::store::lock_path(&ws).exists(),
        "no lock file left"
    );
}

//! `microcred serve` end to end on 127.0.0.1 (ephemeral ports only), driven by russh clients
//! whose output is read through a vt100 parser.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use microcred::serve::{self, Limits};
use russh::ChannelMsg;
use russh::client::{self, AuthResult};
use russh::keys::PrivateKey;

use crate::common;
use common::client::{Screen, Trusting, authenticate, key, publine};

const EXAMPLE: &str = "examples/retail-data-analyst.yaml";

struct Fixture {
    _dir: tempfile::TempDir,
    ws_path: PathBuf,
    people_path: PathBuf,
    designer: PrivateKey,
    partner: PrivateKey,
    viewer: PrivateKey,
    stranger: PrivateKey,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let ws_path = dir.path().join("design.yaml");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE),
        &ws_path,
    )
    .expect("copy");
    let (designer, partner, viewer, stranger) = (key(), key(), key(), key());
    let people = format!(
        "people:\n- name: Dee Designer\n  role: designer\n  keys: [\"{}\"]\n- name: Pat Partner\n  role: partner\n  partner: lakeshore-outfitters\n  keys: [\"{}\"]\n- name: Vic Viewer\n  role: viewer\n  keys: [\"{}\"]\n",
        publine(&designer),
        publine(&partner),
        publine(&viewer)
    );
    let people_path = dir.path().join("people.yaml");
    std::fs::write(&people_path, people).expect("write people");
    Fixture {
        _dir: dir,
        ws_path,
        people_path,
        designer,
        partner,
        viewer,
        stranger,
    }
}

async fn start(f: &Fixture) -> serve::Running {
    let limits = Limits {
        auth_rejection_delay: Duration::from_millis(50),
        save_debounce: Duration::from_millis(200),
        ..Limits::default()
    };
    common::server::start_in_process(&f.ws_path, &f.people_path, limits).await
}

async fn connect(addr: std::net::SocketAddr) -> client::Handle<Trusting> {
    let cfg = Arc::new(client::Config::default());
    client::connect(cfg, addr, Trusting).await.expect("connect")
}

async fn login(addr: std::net::SocketAddr, k: &PrivateKey) -> (client::Handle<Trusting>, bool) {
    let mut h = connect(addr).await;
    let ok = authenticate(&mut h, k).await;
    (h, ok)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_auth_works_and_wrong_key_and_password_are_refused() {
    let f = fixture();
    let server = start(&f).await;
    let (_h, ok) = login(server.addr, &f.designer).await;
    assert!(ok, "a key from PEOPLE.yaml is accepted");
    let (_h, ok) = login(server.addr, &f.stranger).await;
    assert!(!ok, "an unknown key is refused");
    let mut h = connect(server.addr).await;
    let r = h
        .authenticate_password("root", "hunter2")
        .await
        .expect("exchange");
    assert!(!matches!(r, AuthResult::Success), "passwords are refused");
    server.stop("test over").await.expect("the design is saved");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exec_sftp_and_no_pty_are_refused() {
    let f = fixture();
    let server = start(&f).await;
    let (h, ok) = login(server.addr, &f.designer).await;
    assert!(ok);
    let ch = h.channel_open_session().await.expect("channel");
    ch.exec(true, "cat /etc/passwd").await.expect("sent");
    let mut ch = ch;
    let (mut said, mut out, mut status) = (Vec::new(), Vec::new(), None);
    while let Some(m) = tokio::time::timeout(Duration::from_secs(5), ch.wait())
        .await
        .expect("answer in time")
    {
        match m {
            ChannelMsg::ExtendedData { data, .. } => said.extend_from_slice(&data),
            ChannelMsg::Data { data } => out.extend_from_slice(&data),
            ChannelMsg::ExitStatus { exit_status } => status = Some(exit_status),
            ChannelMsg::Close => break,
            _ => {}
        }
    }
    // Refused with a reason the person sees (OpenSSH prints nothing after a failed exec).
    assert_eq!(status, Some(1), "exec refused");
    assert!(out.is_empty(), "nothing ran");
    assert!(String::from_utf8_lossy(&said).contains("commands are not run here"));

    let (h, _) = login(server.addr, &f.designer).await;
    let mut ch = h.channel_open_session().await.expect("channel");
    ch.request_subsystem(true, "sftp").await.expect("sent");
    let mut failed = false;
    while let Some(m) = tokio::time::timeout(Duration::from_secs(5), ch.wait())
        .await
        .expect("answer in time")
    {
        if matches!(m, ChannelMsg::Failure) {
            failed = true;
        }
        if matches!(m, ChannelMsg::Close) {
            break;
        }
    }
    assert!(failed, "sftp refused");

    let (h, _) = login(server.addr, &f.designer).await;
    let mut ch = h.channel_open_session().await.expect("channel");
    ch.request_shell(true).await.expect("sent");
    let (mut said, mut status) = (Vec::new(), None);
    while let Some(m) = tokio::time::timeout(Duration::from_secs(5), ch.wait())
        .await
        .expect("answer in time")
    {
        match m {
            ChannelMsg::ExitStatus { exit_status } => status = Some(exit_status),
            ChannelMsg::ExtendedData { data, .. } => said.extend_from_slice(&data),
            ChannelMsg::Close => break,
            _ => {}
        }
    }
    assert_eq!(status, Some(1), "a shell without a PTY is refused");
    assert!(String::from_utf8_lossy(&said).contains("needs a terminal"));

    // Port forwarding is refused too.
    let r = h.tcpip_forward("127.0.0.1", 0).await;
    assert!(r.is_err(), "remote forwarding refused");
    let r = h
        .channel_open_direct_tcpip("127.0.0.1", 22, "127.0.0.1", 5555)
        .await;
    assert!(r.is_err(), "local forwarding refused");
    server.stop("test over").await.expect("the design is saved");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn designer_edit_reaches_partner_screen_within_100ms_and_is_saved() {
    let f = fixture();
    let server = start(&f).await;
    let designer = Screen::open(server.addr, None, &f.designer, 120, 40, None).await;
    let partner = Screen::open(server.addr, None, &f.partner, 120, 40, None).await;
    partner
        .wait_for("Pat Partner", Duration::from_secs(10))
        .await;
    // The presence line names both.
    partner
        .wait_for("online: Dee Designer, Pat Partner", Duration::from_secs(5))
        .await;
    designer
        .wait_for("Dee Designer", Duration::from_secs(10))
        .await;

    // Designer: next pane (mappings), dispute the first mapping.
    designer.send(b"\t").await;
    // A dispute asks why first; the change is made when the reason is sent.
    designer.send(b"x").await;
    designer.wait_for("why?", Duration::from_secs(5)).await;
    designer.send(b"Level too low").await;
    designer
        .wait_for("Level too low", Duration::from_secs(5))
        .await;
    let before = partner.text();
    let v0 = server.shared.hub.version();
    let sent = Instant::now();
    designer.send(b"\r").await;
    // The hub took it…
    while server.shared.hub.version() == v0 {
        assert!(sent.elapsed() < Duration::from_secs(5), "edit not applied");
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    let applied = sent.elapsed();
    // …and the partner's screen changed without any input from them.
    while partner.text() == before {
        assert!(
            sent.elapsed() < Duration::from_secs(5),
            "partner screen never changed"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let seen = sent.elapsed();
    eprintln!("applied after {applied:?}, on the partner's screen after {seen:?}");
    assert!(
        seen - applied <= Duration::from_millis(100),
        "propagation took {:?}",
        seen - applied
    );
    let snap = server.shared.hub.snapshot();
    assert!(
        snap.ws
            .mappings
            .iter()
            .any(|m| m.status == microcred::model::MappingStatus::Disputed)
    );
    // Saved within the debounce.
    let t = Instant::now();
    loop {
        let text = std::fs::read_to_string(&f.ws_path).expect("read");
        if text.contains("disputed") {
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(5), "not saved");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server.stop("test over").await.expect("the design is saved");
    assert!(
        designer.wait_closed(Duration::from_secs(5)).await,
        "told and closed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partner_and_viewer_cannot_change_another_organisations_need() {
    let f = fixture();
    let server = start(&f).await;
    let needs_before = server.shared.hub.snapshot().ws.needs.len();
    for (k, why) in [
        (&f.partner, "partners work only on"),
        (&f.viewer, "Viewers follow the design"),
    ] {
        let s = Screen::open(server.addr, None, k, 120, 40, None).await;
        s.wait_for("Needs", Duration::from_secs(10)).await;
        // The first need belongs to prairie-grocers: try to delete it. The key is refused at
        // once, saying why; no question opens.
        s.send(b"d").await;
        s.wait_for(why, Duration::from_secs(5)).await;
        assert!(!s.text().contains("Delete need"), "{}", s.text());
    }
    assert_eq!(server.shared.hub.snapshot().ws.needs.len(), needs_before);
    server.stop("test over").await.expect("the design is saved");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zero_and_huge_windows_survive_and_input_split_across_reads_works() {
    let f = fixture();
    let server = start(&f).await;
    let s = Screen::open(server.addr, None, &f.designer, 0, 0, None).await;
    s.wait_for("Dee Designer", Duration::from_secs(10)).await;
    s.write.window_change(0, 0, 0, 0).await.expect("resize");
    s.write
        .window_change(100_000, 100_000, 0, 0)
        .await
        .expect("resize");
    s.write.window_change(80, 24, 0, 0).await.expect("resize");
    // `?` opens help; an arrow key split over two writes still moves.
    s.send(b"\x1b[").await;
    s.send(b"B").await;
    s.send(b"?").await;
    // The session read every byte sent and still answers: the help is drawn.
    s.wait_for("Help · ", Duration::from_secs(5)).await;
    assert!(!*s.closed.lock().expect("lock"), "session still open");
    // A second session still works: the server kept serving.
    let s2 = Screen::open(server.addr, None, &f.viewer, 80, 24, None).await;
    s2.wait_for("Vic Viewer", Duration::from_secs(10)).await;
    server.stop("test over").await.expect("the design is saved");
}

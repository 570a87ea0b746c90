//! `microcred serve` for a room behind one address and under floods (issue 24, points 6 and 7),
//! on 127.0.0.1 (other 127/8 addresses as other sources): forty people from one address all
//! log in, a client refused before logging in is told why, a flood of window-size changes is
//! coalesced, and a paste past the decoder's bound is cut with the "left out" message.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use microcred::serve::{self, Limits, admission};
use russh::keys::PrivateKey;
use russh::{ChannelMsg, client};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common;
use common::client::{Screen, Trusting, authenticate, key, publine};

struct Fixture {
    _dir: tempfile::TempDir,
    ws_path: PathBuf,
    people_path: PathBuf,
    keys: Vec<PrivateKey>,
}

/// A design and `n` designers, each with a key of their own.
fn fixture(n: usize) -> Fixture {
    let (dir, ws_path) = common::example_copy("retail-data-analyst.yaml");
    let keys: Vec<PrivateKey> = (0..n).map(|_| key()).collect();
    let mut people = String::from("people:\n");
    for (i, k) in keys.iter().enumerate() {
        people.push_str(&format!(
            "- name: Person {i:02}\n  role: designer\n  keys: [\"{}\"]\n",
            publine(k)
        ));
    }
    let people_path = dir.path().join("people.yaml");
    std::fs::write(&people_path, people).expect("write people");
    Fixture {
        _dir: dir,
        ws_path,
        people_path,
        keys,
    }
}

async fn start(f: &Fixture, limits: Limits) -> serve::Running {
    common::server::start_in_process(&f.ws_path, &f.people_path, limits).await
}

use common::server::{ip, quick_limits as quick};

/// Forty people behind one address (a college's Wi-Fi behind NAT) arrive eight at a time, and
/// all of them log in and work at once: only connections still logging in count against an
/// address (before, the ninth person was refused: eight places per address, logged in or not).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_people_behind_one_address_all_get_in() {
    let f = fixture(40);
    let server = start(&f, quick()).await;
    let mut screens = Vec::new();
    for wave in f.keys.chunks(8) {
        let mut set = tokio::task::JoinSet::new();
        for (i, k) in wave.iter().enumerate() {
            let (addr, k) = (server.addr, k.clone());
            set.spawn(async move { (i, Screen::open(addr, None, &k, 100, 30, None).await) });
        }
        let mut opened: Vec<(usize, Screen)> = set.join_all().await;
        opened.sort_by_key(|(i, _)| *i);
        screens.extend(opened.into_iter().map(|(_, s)| s));
    }
    for (i, s) in screens.iter().enumerate() {
        s.wait_for(&format!("Person {i:02}"), Duration::from_secs(20))
            .await;
    }
    assert_eq!(
        server.shared.connections(),
        (0, 40),
        "all forty held at once"
    );
    // And they work: the last one's change is in the hub.
    let v0 = server.shared.hub.version();
    let last = &screens[39];
    last.send(b"\t").await;
    last.send(b"x").await;
    last.wait_for("why?", Duration::from_secs(10)).await;
    last.send(b"from the back row\r").await;
    let t = Instant::now();
    while server.shared.hub.version() == v0 {
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "the change was not applied"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.stop("test over").await.expect("the design is saved");
}

/// Everything the server sends on a raw connection from `source` until it closes (bounded).
async fn what_a_raw_client_reads(addr: SocketAddr, source: IpAddr) -> Vec<u8> {
    let sock = tokio::net::TcpSocket::new_v4().expect("socket");
    sock.bind(SocketAddr::new(source, 0)).expect("bind source");
    let mut s = sock.connect(addr).await.expect("connect");
    let _ = s.write_all(b"SSH-2.0-x\r\n").await;
    let mut got = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), async {
        let mut buf = [0u8; 4096];
        while let Ok(n @ 1..) = s.read(&mut buf).await {
            got.extend_from_slice(&buf[..n]);
        }
    })
    .await;
    got
}

/// A client refused before logging in is told why, in a line before the SSH identification
/// string (RFC 4253 allows such lines) and in a disconnect message that `ssh` prints, instead
/// of a bare "Connection closed".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_client_is_told_why() {
    let f = fixture(1);
    let limits = Limits {
        admission: admission::Rules {
            burst: 2,
            per_second: 0.01,
            ..admission::Rules::default()
        },
        ..quick()
    };
    let server = start(&f, limits).await;
    let from = ip(127, 0, 3, 1);
    let mut held = Vec::new();
    for _ in 0..2 {
        let sock = tokio::net::TcpSocket::new_v4().expect("socket");
        sock.bind(SocketAddr::new(from, 0)).expect("bind source");
        held.push(sock.connect(server.addr).await.expect("connect"));
    }
    let got = what_a_raw_client_reads(server.addr, from).await;
    let text = String::from_utf8_lossy(&got);
    assert!(
        text.starts_with(
            "microcred: too many new connections from your address; wait a few seconds and connect again\r\nSSH-2.0-"
        ),
        "{text:?}"
    );
    // The same reason in an SSH_MSG_DISCONNECT, code 12 (too many connections).
    let reason = admission::Refusal::Address.reason();
    assert!(
        text.matches(reason).count() == 2,
        "the reason twice (line and disconnect): {text:?}"
    );
    // Another address still gets in.
    let other = what_a_raw_client_reads(server.addr, ip(127, 0, 3, 2));
    let other = tokio::time::timeout(Duration::from_secs(10), other)
        .await
        .expect("in time");
    assert!(
        String::from_utf8_lossy(&other).starts_with("SSH-2.0-"),
        "{other:?}"
    );
    server.stop("test over").await.expect("the design is saved");
}

/// A flood of window-size changes is coalesced: of 3,001 sent at once the session applies a
/// few (it applied every one before: a resize and a full redraw each), the latest size is the
/// one drawn, and the session goes on.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_window_size_changes_is_coalesced() {
    let f = fixture(1);
    let server = start(&f, quick()).await;
    let cfg = Arc::new(client::Config::default());
    let mut h = client::connect(cfg, server.addr, Trusting)
        .await
        .expect("connect");
    assert!(authenticate(&mut h, &f.keys[0]).await);
    let ch = h.channel_open_session().await.expect("channel");
    ch.request_pty(true, "xterm", 100, 30, 0, 0, &[])
        .await
        .expect("pty");
    ch.request_shell(true).await.expect("shell");
    let (mut read, write) = ch.split();
    // Clears of the whole screen (one per size applied), and all the output.
    let clears = Arc::new(AtomicUsize::new(0));
    let output = Arc::new(Mutex::new(Vec::<u8>::new()));
    let (c, o) = (clears.clone(), output.clone());
    tokio::spawn(async move {
        while let Some(msg) = read.wait().await {
            if let ChannelMsg::Data { data } = msg {
                let mut out = o.lock().unwrap_or_else(|p| p.into_inner());
                let from = out.len().saturating_sub(3);
                out.extend_from_slice(&data);
                let n = out[from..].windows(4).filter(|w| w == b"\x1b[2J").count();
                c.fetch_add(n, Ordering::SeqCst);
            }
        }
    });
    let raw = |what: &str| {
        let out = output.lock().unwrap_or_else(|p| p.into_inner());
        String::from_utf8_lossy(&out).contains(what)
    };
    // What a terminal shows (big enough for every size sent).
    let seen = |what: &str| {
        let out = output.lock().unwrap_or_else(|p| p.into_inner());
        let nz = |n| std::num::NonZeroU16::new(n).expect("non-zero");
        let mut p = vt100::Parser::new(nz(60), nz(200), 0);
        p.process(&out);
        p.screen().contents().contains(what)
    };
    let t = Instant::now();
    while !seen("Person 00") {
        assert!(t.elapsed() < Duration::from_secs(20), "no editor");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let before = clears.load(Ordering::SeqCst);
    let applied_before = server.shared.sizes_applied.load(Ordering::SeqCst);
    let sent = 3000;
    // (3,001 with the last one below.)
    for i in 0..sent {
        let (c, r) = if i % 2 == 0 { (90, 28) } else { (110, 32) };
        write
            .window_change(c, r, 0, 0)
            .await
            .expect("window change");
    }
    // The last size is the one drawn: a 37-row screen puts its status bar on row 37, which
    // none of the others has.
    write
        .window_change(123, 37, 0, 0)
        .await
        .expect("window change");
    let t = Instant::now();
    while !raw("\x1b[37;") {
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "the last size was not drawn"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // The session still answers: help opens.
    write.data(&b"?"[..]).await.expect("send");
    let t = Instant::now();
    while !seen("Help ·") {
        assert!(
            t.elapsed() < Duration::from_secs(20),
            "the session is stuck"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // Let what was owed arrive.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let applied = clears.load(Ordering::SeqCst) - before;
    // What the session applied, each a resize and a full redraw: before coalescing, one per
    // change (3,001 here).
    let sizes = server.shared.sizes_applied.load(Ordering::SeqCst) - applied_before;
    eprintln!("{sent} window-size changes: {sizes} applied, {applied} full-screen clears");
    assert!(sizes >= 1, "the last size was applied");
    assert!(
        sizes <= sent as u64 / 10,
        "{sizes} sizes applied for {sent} changes"
    );
    assert!(
        applied <= sent / 10,
        "{applied} full redraws for {sent} changes"
    );
    server.stop("test over").await.expect("the design is saved");
}

/// A paste over SSH larger than the decoder keeps (300,000 characters) is cut with the same
/// message as locally, counting everything left out (it used to vanish without a word).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_huge_paste_over_ssh_is_cut_with_a_message() {
    let f = fixture(1);
    let server = start(&f, quick()).await;
    let s = Screen::open(server.addr, None, &f.keys[0], 160, 45, None).await;
    s.wait_for("Person 00", Duration::from_secs(20)).await;
    // A new need: its statement holds 5,000 characters.
    s.send(b"a").await;
    s.wait_for("What they need", Duration::from_secs(10)).await;
    s.send(b"\x1b[200~").await;
    let chunk = vec![b'x'; 30_000];
    for _ in 0..10 {
        s.send(&chunk).await;
    }
    s.send(b"\x1b[201~").await;
    s.wait_for(
        "Pasted 5000 characters and left out 295000",
        Duration::from_secs(20),
    )
    .await;
    server.stop("test over").await.expect("the design is saved");
}

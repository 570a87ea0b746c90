//! `microcred serve` under abuse, on 127.0.0.1 (ephemeral ports, other 127/8 addresses as
//! other sources): half-open connection floods, the auth timeout, the per-address cap, a
//! person flooding the hub with changes, the first bytes of a session, the people file's key
//! types and the host key's file mode.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use microcred::serve::{self, Limits};
use russh::ChannelMsg;
use russh::client;
use russh::keys::PrivateKey;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

use crate::common;
use common::client::{Screen, Trusting, authenticate, key, publine};

struct Fixture {
    dir: tempfile::TempDir,
    ws_path: PathBuf,
    people_path: PathBuf,
    designer: PrivateKey,
}

fn fixture() -> Fixture {
    let (dir, ws_path) = common::example_copy("retail-data-analyst.yaml");
    let designer = key();
    let people = format!(
        "people:\n- name: Dee Designer\n  role: designer\n  keys: [\"{}\"]\n",
        publine(&designer)
    );
    let people_path = dir.path().join("people.yaml");
    std::fs::write(&people_path, people).expect("write people");
    Fixture {
        dir,
        ws_path,
        people_path,
        designer,
    }
}

async fn start(f: &Fixture, limits: Limits) -> serve::Running {
    common::server::start_in_process(&f.ws_path, &f.people_path, limits).await
}

use common::server::{ip, quick_limits as quick};

/// A raw TCP connection from `source` that sends only an SSH banner (or nothing).
async fn half_open(addr: SocketAddr, source: IpAddr, banner: bool) -> TcpStream {
    let sock = tokio::net::TcpSocket::new_v4().expect("socket");
    sock.bind(SocketAddr::new(source, 0)).expect("bind source");
    let mut s = tokio::time::timeout(Duration::from_secs(5), sock.connect(addr))
        .await
        .expect("connect in time")
        .expect("connect");
    if banner {
        // The server may have closed it already (refused): that is an answer too.
        let _ = s.write_all(b"SSH-2.0-x\r\n").await;
    }
    s
}

/// Is the server's side still open? Drains what it sent; EOF or an error is closed.
fn still_open(s: &TcpStream) -> bool {
    let mut buf = [0u8; 4096];
    loop {
        match s.try_read(&mut buf) {
            Ok(0) => return false,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return true,
            Err(_) => return false,
        }
    }
}

fn count_open(socks: &[TcpStream]) -> usize {
    socks.iter().filter(|s| still_open(s)).count()
}

/// Wait (bounded) until the server has dealt with every socket of `socks`: those it keeps
/// are the ones it counts as half-open, the others it has closed. (A socket not yet accepted,
/// or counted and not yet seen closed, breaks the equality.)
async fn answered(server: &serve::Running, socks: &[TcpStream], limit: Duration) {
    let t = Instant::now();
    while t.elapsed() < limit {
        if count_open(socks) == server.shared.connections().0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Wait (bounded) for the server to close `s`; the time since `t`, or `None` on time-out.
async fn closed_within(s: &TcpStream, t: Instant, limit: Duration) -> Option<Duration> {
    while t.elapsed() < limit {
        if !still_open(s) {
            return Some(t.elapsed());
        }
        let _ = tokio::time::timeout(Duration::from_millis(50), s.readable()).await;
    }
    None
}

/// Log in as `k` from 127.0.0.1 (the address most of the flood came from), bounded.
async fn login_in_time(addr: SocketAddr, k: &PrivateKey) -> Result<Duration, String> {
    let t = Instant::now();
    let go = async {
        let cfg = Arc::new(client::Config::default());
        let mut h = client::connect(cfg, addr, Trusting)
            .await
            .map_err(|e| format!("connect: {e}"))?;
        if authenticate(&mut h, k).await {
            Ok(h)
        } else {
            Err("key refused".to_string())
        }
    };
    match tokio::time::timeout(Duration::from_secs(10), go).await {
        Ok(Ok(_h)) => Ok(t.elapsed()),
        Ok(Err(e)) => Err(e),
        Err(_) => Err("no login within 10 s".into()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_half_open_flood_does_not_lock_out_a_real_user() {
    let f = fixture();
    let limits = quick();
    let server = start(&f, limits.clone()).await;
    let mut flood = Vec::new();
    // 64 from 64 addresses, then 16 from the person's own: more than every cap (64 in
    // all, 32 unauthenticated, 8 per address). Some send a banner, some nothing.
    for i in 1..=64u8 {
        flood.push(half_open(server.addr, ip(127, 1, 0, i), i % 2 == 0).await);
    }
    for _ in 0..16 {
        flood.push(half_open(server.addr, ip(127, 0, 0, 1), true).await);
    }
    answered(&server, &flood, Duration::from_secs(5)).await;
    let took = login_in_time(server.addr, &f.designer).await;
    assert!(
        matches!(took, Ok(d) if d < Duration::from_secs(5)),
        "a listed key logs in during the flood: {took:?}"
    );
    answered(&server, &flood, Duration::from_secs(5)).await;
    let own = count_open(&flood[64..]);
    let all = own + count_open(&flood[..64]);
    eprintln!("flood sockets still open: {own} from 127.0.0.1, {all} in all");
    // The person's connection took the place of one of 127.0.0.1's.
    assert!(own < limits.max_per_address, "{own} open from one address");
    assert!(all <= limits.max_unauthenticated, "{all} half-open at once");
    let (half, _) = server.shared.connections();
    assert_eq!(half, all, "counted as open");
    server.stop("test over").await.expect("the design is saved");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_half_open_socket_is_closed_when_the_auth_timer_fires() {
    let f = fixture();
    let limits = Limits {
        auth_timeout: Duration::from_secs(1),
        ..quick()
    };
    let server = start(&f, limits).await;
    let t = Instant::now();
    let banner = half_open(server.addr, ip(127, 0, 0, 5), true).await;
    let silent = half_open(server.addr, ip(127, 0, 0, 5), false).await;
    for (what, s) in [("banner only", &banner), ("silent", &silent)] {
        let took = closed_within(s, t, Duration::from_secs(10)).await;
        eprintln!("{what}: closed after {took:?}");
        assert!(
            matches!(took, Some(d) if d >= Duration::from_millis(700) && d < Duration::from_millis(2500)),
            "{what}: the socket is closed (EOF) soon after the 1 s auth timeout: {took:?}"
        );
    }
    assert_eq!(server.shared.connections(), (0, 0), "nothing left counted");
    server.stop("test over").await.expect("the design is saved");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_never_holds_more_than_its_cap() {
    let f = fixture();
    let limits = Limits {
        auth_timeout: Duration::from_secs(1),
        ..quick()
    };
    let cap = limits.max_per_address;
    let server = start(&f, limits).await;
    let from = ip(127, 0, 0, 6);
    let mut socks = Vec::new();
    for _ in 0..cap + 4 {
        socks.push(half_open(server.addr, from, true).await);
    }
    let t = Instant::now();
    answered(&server, &socks, Duration::from_secs(5)).await;
    let first = count_open(&socks);
    assert!(first <= cap, "{first} open from one address (cap {cap})");
    // The auth timer closes the first wave (the old code waited 2 s more for a goodbye);
    // then a second wave.
    while count_open(&socks) > 0 || server.shared.connections().0 > 0 {
        assert!(
            t.elapsed() < Duration::from_millis(3500),
            "the first wave is still open after 3.5 s: {} sockets",
            count_open(&socks)
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for _ in 0..cap + 4 {
        socks.push(half_open(server.addr, from, true).await);
    }
    answered(&server, &socks, Duration::from_secs(5)).await;
    let both = count_open(&socks);
    eprintln!("open from one address: {first} after the first wave, {both} after the second");
    assert!(both <= cap, "{both} open from one address (cap {cap})");
    assert!(
        both > 0,
        "the second wave was admitted once the first was gone"
    );
    server.stop("test over").await.expect("the design is saved");
}

fn comment_count(server: &serve::Running) -> usize {
    let snap = server.shared.hub.snapshot();
    snap.ws.mappings.iter().map(|m| m.comments.len()).sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_changes_is_limited_per_person() {
    let f = fixture();
    let limits = quick();
    let server = start(&f, limits.clone()).await;
    // Two connections of the same person: the allowance is theirs, not each connection's.
    let a = Screen::open(
        server.addr,
        Some(ip(127, 0, 0, 7)),
        &f.designer,
        120,
        40,
        None,
    )
    .await;
    let b = Screen::open(
        server.addr,
        Some(ip(127, 0, 0, 8)),
        &f.designer,
        120,
        40,
        None,
    )
    .await;
    for s in [&a, &b] {
        s.wait_for("Dee Designer", Duration::from_secs(10)).await;
        s.send(b"\t").await;
        s.wait_for("Mappings of N1", Duration::from_secs(10)).await;
    }
    let v0 = server.shared.hub.version();
    let t = Instant::now();
    // 500 changes (agree, back to proposed, …) as fast as the connections take them.
    for _ in 0..25 {
        for s in [&a, &b] {
            s.send(b"ypypypypyp").await;
        }
    }
    // Wait until the server has taken every key: the version stops moving.
    let mut last = (server.shared.hub.version(), Instant::now());
    while last.1.elapsed() < Duration::from_millis(500) {
        assert!(t.elapsed() < Duration::from_secs(30), "still changing");
        tokio::time::sleep(Duration::from_millis(20)).await;
        let v = server.shared.hub.version();
        if v != last.0 {
            last = (v, Instant::now());
        }
    }
    let took = last.1.duration_since(t).as_secs_f64();
    let grew = last.0 - v0;
    let allowance = limits.change_burst as f64 + limits.changes_per_second as f64 * took + 1.0;
    eprintln!("500 changes sent in {took:.2} s: {grew} applied (allowance {allowance:.0})");
    assert!(grew > 0, "some changes were applied");
    assert!((grew as f64) <= allowance, "{grew} changes applied");
    let said = format!("{}{}", a.text(), b.text());
    assert!(said.contains("too many changes"), "{said}");
    // A comment right after another burst is refused too, and its form says why.
    let comments = comment_count(&server);
    a.send(&[b"yp".repeat(40), b"chello\r".to_vec()].concat())
        .await;
    a.wait_for("Comment on N1", Duration::from_secs(5)).await;
    a.wait_for("too many changes", Duration::from_secs(5)).await;
    assert_eq!(
        comment_count(&server),
        comments,
        "the comment was not added"
    );
    server.stop("test over").await.expect("the design is saved");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_session_first_resets_the_terminal_modes() {
    let f = fixture();
    let server = start(&f, quick()).await;
    let cfg = Arc::new(client::Config::default());
    let mut h = client::connect(cfg, server.addr, Trusting)
        .await
        .expect("connect");
    assert!(authenticate(&mut h, &f.designer).await);
    let mut ch = h.channel_open_session().await.expect("channel");
    ch.request_pty(true, "xterm-256color", 80, 24, 0, 0, &[])
        .await
        .expect("pty");
    ch.request_shell(true).await.expect("shell");
    let mut first = Vec::new();
    let enter = b"\x1b[?1049h";
    while !first.windows(enter.len()).any(|w| w == enter) {
        match tokio::time::timeout(Duration::from_secs(10), ch.wait()).await {
            Ok(Some(ChannelMsg::Data { data })) => first.extend_from_slice(&data),
            Ok(Some(_)) => {}
            other => panic!("no alternate screen in {first:?}: {other:?}"),
        }
    }
    let text = String::from_utf8_lossy(&first);
    let before = &text[..text.find("\x1b[?1049h").unwrap_or(0)];
    // Mouse reporting (1000, 1002, 1003, 1006), bracketed paste, the cursor and the
    // alternate screen left by a server that was killed are reset before anything is drawn.
    for reset in [
        "\x1b[?1000l",
        "\x1b[?1002l",
        "\x1b[?1003l",
        "\x1b[?1006l",
        "\x1b[?2004l",
        "\x1b[?25h",
        "\x1b[?1049l",
    ] {
        assert!(before.contains(reset), "{reset:?} missing from {before:?}");
    }
    server.stop("test over").await.expect("the design is saved");
}

#[test]
fn a_host_key_readable_by_others_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let f = fixture();
    let host_key = f.dir.path().join("host_key");
    serve::host_key(&host_key).expect("made");
    std::fs::set_permissions(&host_key, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let server = common::server::Server::start(&f.ws_path, &f.people_path, &host_key, &[]);
    let said = server.stderr();
    let name = host_key.display().to_string();
    assert!(
        said.lines()
            .any(|l| l.contains("warning") && l.contains(&name) && l.contains("chmod 600")),
        "{said}"
    );
}

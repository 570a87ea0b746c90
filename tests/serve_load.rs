//! Load on loopback: 30 scripted editors change one design at once through `microcred serve`
//! (a child process, so its memory is its own), while a viewer watches.
//!
//! Checks that the saved document equals the serial replay of the accepted ops (the server's
//! journal lists them in the order they were applied), that a change reaches another screen
//! within 100 ms at p95 (keystroke sent → the viewer's screen shows it), and that the server
//! stays within 50 MB + 3 MB per session. Prints the figures:
//!
//! ```text
//! cargo test --release --test serve_load -- --nocapture
//! ```

use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

mod common;

use common::client::{Hook, Screen, key, publine};
use common::server::Server;

const EDITORS: usize = 30;
const ROUNDS: usize = 5;
/// Pause before each change, in ms (uniform): about 20 changes a second from 30 people.
const THINK: (u64, u64) = (400, 1600);

/// The comment count on the first mapping line of the mappings pane ("· 12 comment(s)").
fn comment_count(text: &str) -> Option<usize> {
    let line = text.lines().find(|l| l.contains(" comment(s)"))?;
    let (head, _) = line.split_once(" comment(s)")?;
    head.rsplit_once("· ")?.1.trim().parse().ok()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// One editor's script: connect, go to the mappings pane, and each round change N1's mapping
/// status and add a comment "eII-rR" to it. Returns when each comment's Enter was sent and
/// whether the editor saw it accepted.
async fn editor(
    addr: std::net::SocketAddr,
    i: usize,
    k: russh::keys::PrivateKey,
    start: Arc<tokio::sync::Barrier>,
) -> Vec<(String, Instant, bool)> {
    let source = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 10 + i as u8));
    let s = Screen::open(addr, Some(source), &k, 80, 24, None).await;
    s.wait_for("online:", Duration::from_secs(30)).await;
    start.wait().await;
    s.send(b"\t").await;
    s.wait_for("Mappings of N1", Duration::from_secs(10)).await;
    let mut sent = Vec::new();
    for r in 0..ROUNDS {
        let pause = |lo: u64, hi: u64| Duration::from_millis(rand::random_range(lo..hi));
        // A person's pace: a change, a comment, each after a moment's thought.
        tokio::time::sleep(pause(THINK.0, THINK.1)).await;
        // One-key changes (a dispute would open its reason form).
        s.send([b"p", b"y"][(i + r) % 2]).await;
        tokio::time::sleep(pause(THINK.0, THINK.1)).await;
        s.send(b"c").await;
        s.wait_for("Comment on N1", Duration::from_secs(10)).await;
        let text = format!("e{i:02}-r{r}");
        s.send(text.as_bytes()).await;
        tokio::time::sleep(pause(10, 40)).await;
        let t = Instant::now();
        s.send(b"\r").await;
        let accepted = s.wait_gone("Comment on N1", Duration::from_secs(10)).await;
        if !accepted {
            s.send(b"\x1b").await;
            assert!(
                s.wait_gone("Comment on N1", Duration::from_secs(10)).await,
                "form stuck"
            );
        }
        sent.push((text, t, accepted));
    }
    s.send(b"q").await;
    sent
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_sessions_edit_at_once_and_the_result_is_the_serial_replay() {
    let (dir, ws_path) = common::example_copy("retail-data-analyst.yaml");
    let original = std::fs::read_to_string(&ws_path).expect("read");
    let keys: Vec<_> = (0..EDITORS).map(|_| key()).collect();
    let watcher = key();
    let mut people = String::from("people:\n");
    for (i, k) in keys.iter().enumerate() {
        people.push_str(&format!(
            "- name: Editor {i:02}\n  role: designer\n  keys: [\"{}\"]\n",
            publine(k)
        ));
    }
    people.push_str(&format!(
        "- name: Watcher\n  role: viewer\n  keys: [\"{}\"]\n",
        publine(&watcher)
    ));
    let people_path = dir.path().join("people.yaml");
    std::fs::write(&people_path, people).expect("people");
    // No save during the run: the journal then lists every accepted op, in order.
    let server = Server::start(
        &ws_path,
        &people_path,
        &dir.path().join("host_key"),
        &["--save-delay", "600"],
    );
    let wall = Instant::now();

    // The watcher records when each comment count first appears on its screen.
    let seen: Arc<Mutex<HashMap<usize, Instant>>> = Arc::default();
    let high = Arc::new(Mutex::new(0usize));
    let hook: Hook = {
        let (seen, high) = (seen.clone(), high.clone());
        Box::new(move |screen: &vt100::Screen| {
            let now = Instant::now();
            if let Some(n) = comment_count(&screen.contents()) {
                let mut h = high.lock().unwrap_or_else(|p| p.into_inner());
                let mut s = seen.lock().unwrap_or_else(|p| p.into_inner());
                for v in *h + 1..=n {
                    s.entry(v).or_insert(now);
                }
                *h = (*h).max(n);
            }
        })
    };
    let watch = Screen::open(
        server.addr,
        Some(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2))),
        &watcher,
        250,
        50,
        Some(hook),
    )
    .await;
    watch
        .wait_for("Mappings of N1", Duration::from_secs(30))
        .await;
    let base = comment_count(&watch.text()).expect("the comment count is shown");

    let start = Arc::new(tokio::sync::Barrier::new(EDITORS));
    let tasks: Vec<_> = keys
        .into_iter()
        .enumerate()
        .map(|(i, k)| tokio::spawn(editor(server.addr, i, k, start.clone())))
        .collect();
    let editing = Instant::now();
    let mut sent: HashMap<String, (Instant, bool)> = HashMap::new();
    for t in tasks {
        for (text, at, ok) in t.await.expect("editor finished") {
            sent.insert(text, (at, ok));
        }
    }

    let edit_time = editing.elapsed();
    // The accepted ops, in the order the hub applied them.
    let found = microcred::document::journal::find(&ws_path)
        .expect("journal readable")
        .expect("a journal");
    assert!(found.skipped.is_empty(), "{:?}", found.skipped);
    let comments: Vec<String> = found
        .entries
        .iter()
        .filter_map(|e| match &e.op {
            microcred::edit::Op::AddComment { comment, .. } => Some(comment.text.clone()),
            _ => None,
        })
        .collect();
    let accepted: HashSet<&String> = sent.iter().filter(|(_, v)| v.1).map(|(k, _)| k).collect();
    let journaled: HashSet<&String> = comments.iter().collect();
    assert_eq!(
        accepted, journaled,
        "the comments editors saw accepted are exactly those journaled"
    );
    assert_eq!(comments.len(), journaled.len(), "no comment applied twice");

    // Every accepted comment reached the watcher's screen.
    let want = base + comments.len();
    let t = Instant::now();
    while *high.lock().unwrap_or_else(|p| p.into_inner()) < want {
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "the watcher never saw {want} comments:\n{}",
            watch.text()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let mut lat: Vec<Duration> = {
        let seen = seen.lock().unwrap_or_else(|p| p.into_inner());
        comments
            .iter()
            .enumerate()
            .map(|(j, text)| {
                let at = seen[&(base + j + 1)];
                at.saturating_duration_since(sent[text].0)
            })
            .collect()
    };
    lat.sort();
    let (hwm, rss) = server.memory_kb();
    let server_cpu = server.cpu_seconds();
    let loadavg = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let loadavg = loadavg.split_whitespace().next().unwrap_or("?").to_string();
    let test_cpu = common::server::cpu_seconds("/proc/self/stat");
    let sessions = EDITORS + 1;

    // The saved document is the serial replay of the journal over the original.
    let cat = microcred::catalog::load(&microcred::catalog::Sources::new(vec![], Some(&ws_path)))
        .expect("catalog");
    let mut replay = microcred::document::workspace_from_str(&original, "w.yaml", &cat)
        .expect("original")
        .workspace;
    for (n, e) in found.entries.iter().enumerate() {
        microcred::edit::apply(&mut replay, &cat, &e.actor, e.op.clone())
            .unwrap_or_else(|r| panic!("op {} does not replay: {r}", n + 1));
    }
    let st = server.terminate();
    assert!(st.success(), "clean stop: {st}");
    let saved = microcred::document::load_workspace(&ws_path, &cat)
        .expect("the saved file is valid")
        .workspace;
    let replay = microcred::document::workspace_from_str(
        &microcred::document::workspace_to_string(&replay),
        "replay",
        &cat,
    )
    .expect("replay round-trips")
    .workspace;
    assert!(saved == replay, "saved document differs from the replay");
    assert_eq!(saved.mappings[0].comments.len(), want);

    let (p50, p95, max) = (
        percentile(&lat, 0.5),
        percentile(&lat, 0.95),
        percentile(&lat, 1.0),
    );
    let report = format!(
        "serve_load: {EDITORS} editors + 1 watcher, {} ops accepted ({} comments) in {:.1} s ({:.0} ops/s); \
         keystroke → another screen: p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms; \
         server VmHWM {:.1} MB, VmRSS {:.1} MB (limit {} MB); CPU: server {:.1} s, clients {:.1} s; load average {loadavg} on {} CPUs",
        found.entries.len(),
        comments.len(),
        wall.elapsed().as_secs_f64(),
        found.entries.len() as f64 / edit_time.as_secs_f64(),
        ms(p50),
        ms(p95),
        ms(max),
        hwm as f64 / 1024.0,
        rss as f64 / 1024.0,
        50 + 3 * sessions,
        server_cpu,
        test_cpu,
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    eprintln!("{report}");
    println!("{report}");
    assert!(
        comments.len() >= EDITORS * ROUNDS * 9 / 10,
        "most comments accepted"
    );
    assert!(p95 <= Duration::from_millis(100), "{report}");
    assert!(
        hwm <= (50 + 3 * sessions as u64) * 1024,
        "server memory over budget: {report}"
    );
}

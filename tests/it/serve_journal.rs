//! `microcred serve` journals every change before showing it, and a server killed before its
//! save recovers those changes by itself on the next start, saying so on stderr and to every
//! client. The server runs as a child process (the binary from `tests/common/tmux.rs`).

use std::time::{Duration, Instant};

use crate::common;

use common::client::{Screen, designer_people, key};
use common::server::Server;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_before_its_save_recovers_its_journal_by_itself() {
    let (dir, ws) = common::example_copy("retail-data-analyst.yaml");
    let original = std::fs::read_to_string(&ws).expect("read");
    let designer = key();
    let people = designer_people(dir.path(), &designer);
    let host_key = dir.path().join("host_key");
    let journal = microcred::document::journal::path_for(&ws);

    // A long save delay: the server is killed long before it would save.
    let server = Server::start(&ws, &people, &host_key, &["--save-delay", "600"]);
    let s = Screen::open(server.addr, None, &designer, 200, 50, None).await;
    s.wait_for("online: Dee Designer", Duration::from_secs(10))
        .await;
    // Mappings pane; dispute N1's mapping, then comment on it.
    s.send(b"\t").await;
    s.wait_for("Mappings of N1", Duration::from_secs(5)).await;
    s.send(b"x").await;
    s.wait_for("why?", Duration::from_secs(5)).await;
    s.send(b"Level too low\r").await;
    s.wait_for(
        "disputed; the reason is in its comments",
        Duration::from_secs(5),
    )
    .await;
    // Shown as done, so it is already on disk in the journal.
    let found = microcred::document::journal::find(&ws)
        .expect("readable")
        .expect("journal written before shown");
    assert_eq!(found.entries.len(), 1, "{:?}", found.skipped);
    s.send(b"c").await;
    s.wait_for("Comment on N1", Duration::from_secs(5)).await;
    s.send(b"Recovered after a crash").await;
    s.send(b"\r").await;
    s.wait_for("Commented on N1", Duration::from_secs(5)).await;
    let found = microcred::document::journal::find(&ws)
        .expect("readable")
        .expect("a journal");
    assert_eq!(found.entries.len(), 2, "{:?}", found.skipped);
    assert!(found.skipped.is_empty(), "{:?}", found.skipped);

    server.kill();
    assert_eq!(
        std::fs::read_to_string(&ws).expect("read"),
        original,
        "killed before any save"
    );
    assert!(journal.exists(), "the journal is left behind");

    // Restart: the changes come back by themselves, and everyone is told.
    let server = Server::start(&ws, &people, &host_key, &["--save-delay", "600"]);
    let log = server.stderr();
    assert!(
        log.contains("recovered 2 of the 2 unsaved changes made"),
        "stderr says what was restored:\n{log}"
    );
    let s = Screen::open(server.addr, None, &designer, 200, 50, None).await;
    s.wait_for("recovered 2 unsaved change(s)", Duration::from_secs(10))
        .await;
    s.send(b"\t").await;
    s.wait_for("Recovered after a crash", Duration::from_secs(5))
        .await;
    assert!(s.text().contains("disputed"), "{}", s.text());

    // Recovered changes are saved at once (the save delay is 600 s), and the journal goes.
    let t = Instant::now();
    let text = loop {
        let text = std::fs::read_to_string(&ws).expect("read");
        if text.contains("Recovered after a crash") && !journal.exists() {
            break text;
        }
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "recovered changes not saved within 10 s:\n{}",
            server.stderr()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let cat = microcred::catalog::Catalog::embedded().expect("catalog");
    let saved = microcred::document::workspace_from_str(&text, "w.yaml", &cat)
        .expect("the saved file is valid")
        .workspace;
    let m = &saved.mappings[0];
    assert_eq!(m.status, microcred::model::MappingStatus::Disputed);
    let last = m.comments.last().expect("a comment");
    assert_eq!(
        (last.by.as_str(), last.text.as_str()),
        ("Dee Designer", "Recovered after a crash")
    );
    let st = server.terminate();
    assert!(st.success(), "clean stop: {st}");
}

//! The editor's history view (`H`) over a git repository of three commits: the list, newest
//! first, with a summary per commit, and one commit's whole difference after Enter (TestBackend
//! snapshots, hashes replaced by C1…C3); outside a repository it says so and lists the journal.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::KeyCode;
use microcred::catalog::Catalog;
use microcred::document::Hub;
use microcred::edit::Actor;
use microcred::tui::app::{App, Modal};

use crate::common;

use common::history::three_commits;
use common::screen::{key, keys, screen, session};

/// Wait (bounded) until the history view has read everything.
fn read_all(app: &mut App) {
    let t = Instant::now();
    loop {
        app.sync();
        match app.front() {
            Some(Modal::History(h)) if !h.loading => return,
            Some(Modal::History(_)) => {}
            _ => panic!("the history view is not open"),
        }
        assert!(t.elapsed() < Duration::from_secs(20), "history not read");
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn open(dir: &std::path::Path) -> App {
    let path = dir.join("w.yaml");
    let cat = Arc::new(Catalog::embedded().unwrap());
    let ws = microcred::document::load_workspace(&path, &cat)
        .unwrap()
        .workspace;
    let hub = Hub::new(ws, cat, Some(path));
    session(&hub, Actor::designer("Dee Designer"), 100, 30)
}

#[test]
fn history_lists_commits_and_enter_shows_the_whole_difference() {
    let dir = tempfile::tempdir().unwrap();
    let hashes = three_commits(dir.path());
    let mut app = open(dir.path());
    keys(&mut app, "H");
    read_all(&mut app);
    let list = common::history::named_padded(screen(&app), &hashes);
    assert!(list.contains("History · w.yaml · newest first"), "{list}");
    let (c3, c1) = (list.find("C3 ").unwrap(), list.find("C1 ").unwrap());
    assert!(c3 < c1, "newest first:\n{list}");
    assert!(list.contains("1 mapping agreed"), "{list}");
    insta::assert_snapshot!("history_list", list);

    // Down to the second commit, Enter: its whole difference.
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    let detail = common::history::named_padded(screen(&app), &hashes);
    assert!(detail.contains("commit C2"), "{detail}");
    assert!(
        detail.contains("+ N2: Write SQL for their own questions."),
        "{detail}"
    );
    assert!(detail.contains("From the meeting."), "{detail}");
    insta::assert_snapshot!("history_detail", detail);

    // Esc back to the list (the same commit selected), Esc again closes.
    key(&mut app, KeyCode::Esc);
    assert!(matches!(app.front(), Some(Modal::History(h)) if h.detail.is_none() && h.sel == 1));
    key(&mut app, KeyCode::Esc);
    assert!(app.front().is_none());
}

#[test]
fn every_role_may_open_the_history() {
    let dir = tempfile::tempdir().unwrap();
    three_commits(dir.path());
    for actor in [
        Actor {
            name: "Pat".into(),
            role: microcred::edit::Role::Partner("acme".into()),
        },
        Actor {
            name: "Vic".into(),
            role: microcred::edit::Role::Viewer,
        },
    ] {
        let mut app = open(dir.path());
        app.actor = actor;
        keys(&mut app, "H");
        read_all(&mut app);
        assert!(
            screen(&app).contains("1 mapping agreed"),
            "{}",
            screen(&app)
        );
    }
}

#[test]
fn outside_a_repository_it_says_so_and_lists_the_unsaved_changes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.yaml");
    std::fs::write(&path, common::history::V1).unwrap();
    let cat = Arc::new(Catalog::embedded().unwrap());
    let ws = microcred::document::load_workspace(&path, &cat)
        .unwrap()
        .workspace;
    // A journaling hub, as the editor opens one: changes go to the journal.
    let hub = Hub::open(ws, cat, Some(path));
    let mut app = session(&hub, Actor::designer("Dee Designer"), 100, 30);
    assert!(app.apply(
        microcred::edit::Op::RemoveNeed { id: "N1".into() },
        "Removed."
    ));
    keys(&mut app, "H");
    read_all(&mut app);
    let s = screen(&app);
    assert!(s.contains("is not in a git repository"), "{s}");
    assert!(s.contains("1 change(s) not saved yet"), "{s}");
    // Named as the saved file names it (issue 25, point 6).
    assert!(
        s.contains("Dee Designer Deleted need N1 \"Clean a till export without…\"."),
        "{s}"
    );
}

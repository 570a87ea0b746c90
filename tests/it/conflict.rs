//! A file edited behind the app's back is never overwritten: the save writes our version to a
//! conflict copy, the outside edit survives, and the message says what to do.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use microcred::catalog::Catalog;
use microcred::document::hub::Hub;
use microcred::edit::{Actor, Op};
use microcred::model::{Need, Workspace};
use microcred::tui::app::{App, Effect};

/// A copy of an example in a temporary folder, loaded against the built-in frameworks.
fn copy_of(example: &str) -> (tempfile::TempDir, PathBuf, Arc<Catalog>, Workspace) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("w.yaml");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(example),
        &file,
    )
    .unwrap();
    let cat = Arc::new(Catalog::embedded().unwrap());
    let ws = microcred::document::load_workspace(&file, &cat)
        .unwrap()
        .workspace;
    (dir, file, cat, ws)
}

#[test]
fn outside_edit_survives_and_the_conflict_copy_holds_ours() {
    let (dir, file, cat, ws) = copy_of("retrofit-gaps.yaml");
    let hub = Hub::open(ws.clone(), cat.clone(), Some(file.clone()));
    let mut app = App::with_hub(hub.clone(), Actor::designer("dana"));
    let partner = ws.needs[0].partner.clone();
    let ours = Need {
        id: "N99".into(),
        partner,
        statement: "Our change in the app".into(),
        ..ws.needs[0].clone()
    };
    assert!(app.apply(Op::InsertNeed { at: 0, need: ours }, "added"));
    // A colleague edits the file (e.g. a git pull) while the app is open.
    let theirs = std::fs::read_to_string(&file)
        .unwrap()
        .replace("title:", "# edited outside\ntitle:");
    assert!(theirs.contains("# edited outside"));
    std::fs::write(&file, &theirs).unwrap();

    // Save in the app, as the runner does for Effect::Save.
    let eff = app.handle(crossterm::event::Event::Key(
        crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char('s'),
            crossterm::event::KeyModifiers::NONE,
        ),
    ));
    let Some(Effect::Save(p)) = eff else {
        panic!("s should save: {eff:?}")
    };
    let r = app.hub.save(Some(&p)).map_err(|e| e.to_string());
    app.saved(r);

    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        theirs,
        "outside edit lost"
    );
    let copies: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("w.conflict-") && n.ends_with(".yaml"))
        .collect();
    assert_eq!(copies.len(), 1, "{copies:?}");
    let copy = dir.path().join(&copies[0]);
    let saved = microcred::document::load_workspace(&copy, &cat).unwrap();
    assert!(
        saved
            .workspace
            .needs
            .iter()
            .any(|n| n.statement == "Our change in the app")
    );
    let msg = &app.status.text;
    assert!(app.status.error, "{msg}");
    assert!(
        msg.contains("the file changed on disk")
            && msg.contains(&copies[0])
            && msg.contains("compare and merge"),
        "{msg}"
    );
    // Still unsaved, still journaled: nothing is lost either way.
    assert!(app.dirty);
    assert!(microcred::document::journal::path_for(&file).exists());
}

#[test]
fn a_touch_without_change_is_not_a_conflict_and_a_clean_save_removes_the_journal() {
    let (_dir, file, cat, ws) = copy_of("retail-data-analyst.yaml");
    let hub = Hub::open(ws.clone(), cat, Some(file.clone()));
    let id = ws.partners[0].id.clone();
    let mut p = ws.partners[0].clone();
    p.name.push_str(" (renamed)");
    hub.apply(&Actor::designer("d"), Op::UpdatePartner { id, partner: p })
        .unwrap();
    assert!(microcred::document::journal::path_for(&file).exists());
    // Same bytes rewritten: a newer mtime only.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let bytes = std::fs::read(&file).unwrap();
    std::fs::write(&file, bytes).unwrap();
    hub.save(None).unwrap();
    assert!(!microcred::document::journal::path_for(&file).exists());
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("(renamed)")
    );
}

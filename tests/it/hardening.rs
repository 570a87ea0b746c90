//! Nothing lost, nothing clobbered: the library-level half of the second hardening pass
//! (docs/reliability.md lists each threat with its test). Each test here failed before its
//! defence was built. The binary-level half is `tests/it/hardening_cli.rs`.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use microcred::catalog::Catalog;
use microcred::document::hub::Hub;
use microcred::edit::{Actor, Op};
use microcred::model::{Comment, Workspace};

use crate::common;

fn catalog() -> Arc<Catalog> {
    Arc::new(Catalog::embedded().expect("built-in frameworks"))
}

fn load(file: &Path, cat: &Catalog) -> Workspace {
    microcred::document::load_workspace(file, cat)
        .expect("loads")
        .workspace
}

/// A comment op on the first mapping of `ws`.
fn comment(ws: &Workspace, text: &str) -> Op {
    let m = &ws.mappings[0];
    Op::AddComment {
        need: m.need.clone(),
        competency: m.competency.clone(),
        at: m.comments.len(),
        comment: Comment {
            by: "Dee".into(),
            at: "2026-11-30T10:00:00Z".into(),
            text: text.into(),
        },
    }
}

fn dee() -> Actor {
    Actor::designer("Dee")
}

/// A tmpfs of `kib` KiB mounted on a fresh folder, unmounted when dropped; `None` (with the
/// reason printed) where this process may not mount one.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount(test: &str, kib: u32) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
            .arg(dir.path())
            .output();
        match out {
            Ok(o) if o.status.success() => Some(SmallDisk { dir }),
            Ok(o) => {
                println!(
                    "SKIPPED {test}: cannot mount a small tmpfs here: {}",
                    String::from_utf8_lossy(&o.stderr).trim()
                );
                None
            }
            Err(e) => {
                println!("SKIPPED {test}: cannot run mount: {e}");
                None
            }
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Fill the disk to the last byte with a file `filler`.
    fn fill(&self) -> PathBuf {
        use std::io::Write;
        let p = self.path().join("filler");
        let mut f = std::fs::File::create(&p).expect("filler");
        let block = vec![0u8; 4096];
        while f.write_all(&block).is_ok() {}
        while f.write_all(&[0]).is_ok() {}
        p
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

/// Item 1: a journal write that fails on a full disk is refused and cut back, so a later
/// change (once there is room again) is readable on recovery.
#[test]
fn a_full_disk_mid_journal_write_leaves_the_journal_appendable() {
    let Some(disk) = SmallDisk::mount("full disk", 512) else {
        return;
    };
    let cat = catalog();
    let file = disk.path().join("w.yaml");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/retrofit-gaps.yaml"),
        &file,
    )
    .expect("copy");
    let ws = load(&file, &cat);
    let hub = Hub::open(ws.clone(), cat.clone(), Some(file.clone()));
    hub.apply(&dee(), comment(&ws, "first, with room"))
        .expect("room on the disk");
    let filler = disk.fill();
    // One line longer than what is left of the journal's last page: written in part.
    let big: Vec<Op> = (0..4)
        .map(|i| comment(&hub.snapshot().ws, &format!("{i}{}", "x".repeat(1500))))
        .collect();
    let refused = hub.apply(&dee(), Op::Batch { ops: big });
    assert!(refused.is_err(), "a change that is not on disk is refused");
    let before = hub.snapshot().ws.mappings[0].comments.len();
    std::fs::remove_file(&filler).expect("room again");
    hub.apply(&dee(), comment(&hub.snapshot().ws, "after the full disk"))
        .expect("room again");
    assert_eq!(hub.snapshot().ws.mappings[0].comments.len(), before + 1);
    let found = microcred::document::journal::find(&file)
        .expect("readable")
        .expect("a journal");
    assert!(
        found.skipped.is_empty(),
        "torn line left: {:?}",
        found.skipped
    );
    assert_eq!(
        found.entries.len(),
        2,
        "both changes shown as done are there"
    );
    // Recovered, they give the document as it was shown.
    let again = Hub::open(load(&file, &cat), cat, Some(file.clone()));
    let (n, problems) = again.recover(&found);
    assert_eq!((n, problems.len()), (2, 0), "{problems:?}");
    assert_eq!(again.snapshot().ws, hub.snapshot().ws);
}

/// A comment's worth of text.
fn long() -> String {
    "y".repeat(1500)
}

/// Grow `ws` with comments on its first mapping to between `target` minus one comment and
/// `target` bytes of canonical text: measure what 100 comments add, then add as many as fit.
fn grow_to(ws: &mut Workspace, target: usize) {
    let size = |ws: &Workspace| microcred::document::workspace_to_string(ws).len();
    let push = |ws: &mut Workspace, k: usize| {
        for i in 0..k {
            let Op::AddComment { comment: c, .. } = comment(ws, &format!("{i:05} {}", long()))
            else {
                unreachable!()
            };
            ws.mappings[0].comments.push(c);
        }
    };
    let start = size(ws);
    push(ws, 100);
    let per = (size(ws) - start) / 100;
    let more = (target - size(ws)) / per;
    push(ws, more);
    let now = size(ws);
    assert!((target - per..=target).contains(&now), "{now}");
}

/// The size limit the hubs of these tests are given: the logic is the same at any limit, and
/// a 1 MiB design is written out in a fraction of the time a 16 MiB one takes.
const TEST_LIMIT: u64 = 1_048_576;

/// The design at `file` grown to 60 KB under [`TEST_LIMIT`] and saved, then 30 comments
/// (about 47 KB) made and journaled, not saved.
fn journal_near_the_limit(file: &Path, cat: &Arc<Catalog>) {
    let mut ws = load(file, cat);
    grow_to(&mut ws, TEST_LIMIT as usize - 60_000);
    let hub = Hub::open(ws, cat.clone(), Some(file.to_path_buf()));
    hub.lower_size_limit(TEST_LIMIT);
    hub.save(None).expect("saves");
    for i in 0..30 {
        hub.apply(
            &dee(),
            comment(&hub.snapshot().ws, &format!("{i} {}", long())),
        )
        .expect("under the limit");
    }
}

/// A hub's size limit is the file format's, 16 MiB, and can be lowered but never raised.
#[test]
fn the_size_limit_is_sixteen_mib_and_only_lowers() {
    let (_dir, file) = common::example_copy("retrofit-gaps.yaml");
    let cat = catalog();
    let hub = Hub::new(load(&file, &cat), cat, Some(file.clone()));
    assert_eq!(hub.size_limit(), 16 * 1_048_576);
    assert_eq!(microcred::store::MAX_FILE_BYTES, 16 * 1_048_576);
    hub.lower_size_limit(u64::MAX);
    assert_eq!(hub.size_limit(), 16 * 1_048_576);
    hub.lower_size_limit(TEST_LIMIT);
    assert_eq!(hub.size_limit(), TEST_LIMIT);
}

/// Item 4: a change that would make the workspace larger than a workspace file may be is
/// refused, with the reason; what is saved can always be opened again.
#[test]
fn a_change_that_would_pass_the_size_limit_is_refused() {
    let (_dir, file) = common::example_copy("retrofit-gaps.yaml");
    let cat = catalog();
    let mut ws = load(&file, &cat);
    let limit = TEST_LIMIT as usize;
    grow_to(&mut ws, limit - 6_000);
    let hub = Hub::open(ws, cat.clone(), Some(file.clone()));
    hub.lower_size_limit(TEST_LIMIT);
    hub.save(None).expect("a file under the limit saves");
    let mut refusal = None;
    for i in 0..10 {
        match hub.apply(
            &dee(),
            comment(&hub.snapshot().ws, &format!("{i} {}", long())),
        ) {
            Ok(_) => {}
            Err(r) => {
                refusal = Some(r.to_string());
                break;
            }
        }
    }
    let refusal = refusal.expect("a change past the limit is refused");
    assert!(refusal.contains("at most 1 MiB"), "{refusal}");
    hub.save(None).expect("saves");
    assert!(std::fs::metadata(&file).unwrap().len() <= limit as u64);
    microcred::document::load_workspace(&file, &cat).expect("what was saved opens again");
}

/// Item 6: a journal over the size limit is refused with a message, never read in part.
#[test]
fn a_journal_over_the_limit_is_refused_with_a_message() {
    let (_dir, file) = common::example_copy("retrofit-gaps.yaml");
    let journal = microcred::document::journal::path_for(&file);
    let f = std::fs::File::create(&journal).expect("journal");
    f.set_len(microcred::document::journal::MAX_JOURNAL_BYTES + 10)
        .expect("sparse");
    let e = microcred::document::journal::find(&file).expect_err("refused");
    assert!(e.to_string().contains("the limit is 256 MiB"), "{e}");
}

/// Item 7: a journal name planted as a symbolic link (or a hard link) to another file makes
/// the hub refuse changes; it never appends to that file.
#[test]
fn a_planted_journal_link_is_never_written_through() {
    for hard in [false, true] {
        let (dir, file) = common::example_copy("retrofit-gaps.yaml");
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "precious\n").expect("victim");
        let journal = microcred::document::journal::path_for(&file);
        if hard {
            std::fs::hard_link(&victim, &journal).expect("hard link");
        } else {
            std::os::unix::fs::symlink(&victim, &journal).expect("symlink");
        }
        let cat = catalog();
        let ws = load(&file, &cat);
        let hub = Hub::open(ws.clone(), cat, Some(file.clone()));
        let r = hub.apply(&dee(), comment(&ws, "hello"));
        assert!(
            r.is_err(),
            "refused, not written elsewhere (hard link: {hard})"
        );
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    }
}

/// Item 7: the temporary file of a save has an unpredictable name and is created
/// exclusively: a link planted under the name a save used to take is never followed.
#[test]
fn a_planted_temporary_link_is_never_written_through() {
    let (dir, file) = common::example_copy("retrofit-gaps.yaml");
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "precious\n").expect("victim");
    let old_name = dir
        .path()
        .join(format!(".w.yaml.{}.microcred-tmp", std::process::id()));
    std::os::unix::fs::symlink(&victim, &old_name).expect("symlink");
    let cat = catalog();
    let ws = load(&file, &cat);
    let hub = Hub::new(ws.clone(), cat.clone(), Some(file.clone()));
    hub.apply(&dee(), comment(&ws, "saved")).expect("applied");
    hub.save(None).expect("saved");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    assert!(std::fs::symlink_metadata(&file).unwrap().is_file());
    assert!(
        load(&file, &cat).mappings[0]
            .comments
            .iter()
            .any(|c| c.text == "saved")
    );
}

/// Item 9: saving a workspace opened through a symbolic link keeps the link and writes the
/// target; a file with two hard links keeps both; the mode is kept.
#[test]
fn links_and_modes_of_a_workspace_survive_a_save() {
    let (dir, real) = common::example_copy("retrofit-gaps.yaml");
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.path().join("link.yaml");
    std::os::unix::fs::symlink("w.yaml", &link).expect("symlink");
    let other = dir.path().join("other-name.yaml");
    std::fs::hard_link(&real, &other).expect("hard link");
    let cat = catalog();
    let ws = load(&link, &cat);
    let hub = Hub::new(ws.clone(), cat.clone(), Some(link.clone()));
    hub.apply(&dee(), comment(&ws, "through the link"))
        .expect("applied");
    hub.save(None).expect("saved");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link is still a link"
    );
    let m = std::fs::metadata(&real).unwrap();
    assert_eq!((m.nlink(), m.mode() & 0o777), (2, 0o640));
    for name in [&real, &other] {
        let text = std::fs::read_to_string(name).unwrap();
        assert!(text.contains("through the link"), "{}", name.display());
    }
}

/// Item 17: an error writing a file names the file.
#[test]
fn a_failed_save_names_the_file() {
    let (dir, file) = common::example_copy("retrofit-gaps.yaml");
    let cat = catalog();
    let hub = Hub::new(load(&file, &cat), cat, Some(file.clone()));
    let target = dir.path().join("no-such-folder").join("w.yaml");
    let e = hub.save(Some(&target)).expect_err("no folder");
    assert!(e.to_string().contains("no-such-folder"), "{e}");
    assert!(hub.snapshot().save_error.is_some(), "every session is told");
}

/// Item 2: a file whose lock cannot be taken (here a link planted as the lock file; likewise a
/// folder we may not write to) still opens, read-only, saying why; the planted link's target
/// is untouched.
#[test]
fn a_file_that_cannot_be_locked_opens_read_only() {
    let (dir, file) = common::example_copy("retrofit-gaps.yaml");
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "precious\n").expect("victim");
    std::os::unix::fs::symlink(&victim, microcred::store::lock_path(&file)).expect("symlink");
    let opened = microcred::document::open(
        &[],
        Some(&file),
        "microcred",
        microcred::document::Busy::ReadOnly,
    )
    .expect("opens");
    let why = opened.hub.snapshot().read_only.expect("read-only");
    assert!(why.contains("symbolic link"), "{why}");
    let ws = opened.hub.snapshot().ws;
    assert!(opened.hub.apply(&dee(), comment(&ws, "no")).is_err());
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
}

/// Item 4: changes recovered from a journal count toward the size limit too: after a
/// recovery that grew the document, the next changes are measured from its real size.
#[test]
fn recovered_changes_count_toward_the_size_limit() {
    let (_dir, file) = common::example_copy("retrofit-gaps.yaml");
    let cat = catalog();
    let limit = TEST_LIMIT as usize;
    journal_near_the_limit(&file, &cat);
    // Reopened and recovered: every change from now on is refused before the file would
    // pass the limit.
    let again = Hub::open(load(&file, &cat), cat, Some(file.clone()));
    again.lower_size_limit(TEST_LIMIT);
    let found = microcred::document::journal::find(&file)
        .expect("readable")
        .expect("a journal");
    assert_eq!(again.recover(&found).0, 30);
    let mut refused = false;
    for i in 0..20 {
        if again
            .apply(
                &dee(),
                comment(&again.snapshot().ws, &format!("{i} {}", long())),
            )
            .is_err()
        {
            refused = true;
            break;
        }
        let len = microcred::document::workspace_to_string(&again.snapshot().ws).len();
        assert!(len <= limit, "a change made the design {len} bytes");
    }
    assert!(refused, "the limit is reached within 20 changes");
}

/// Issue 24, point 5: changes that would take a recovered design past the size limit are not
/// applied to it; the design with them all goes to a conflict copy and the journal is kept,
/// so the document stays one that can be saved and nothing is lost.
#[test]
fn a_recovery_past_the_size_limit_recovers_what_fits_and_copies_the_rest() {
    let (dir, file) = common::example_copy("retrofit-gaps.yaml");
    let cat = catalog();
    let limit = TEST_LIMIT as usize;
    journal_near_the_limit(&file, &cat);
    // The same changes recovered over a design 40 KB bigger: not all of them fit.
    let mut bigger = load(&file, &cat);
    for i in 0..26 {
        let Op::AddComment { comment: c, .. } = comment(&bigger, &format!("pad {i} {}", long()))
        else {
            unreachable!()
        };
        bigger.mappings[0].comments.push(c);
    }
    let again = Hub::open(bigger, cat, Some(file.clone()));
    again.lower_size_limit(TEST_LIMIT);
    let found = microcred::document::journal::find(&file)
        .expect("readable")
        .expect("a journal");
    let (n, notes) = again.recover(&found);
    assert!(n < 30, "only what fits: {n}");
    let len = microcred::document::workspace_to_string(&again.snapshot().ws).len();
    assert!(len <= limit, "the recovered design is {len} bytes");
    let note = notes.join("\n");
    assert!(
        note.contains("not restored") && note.contains("conflict"),
        "{note}"
    );
    let copy = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .find(|e| e.file_name().to_string_lossy().contains(".conflict-"))
        .expect("a conflict copy");
    let text = std::fs::read_to_string(copy.path()).unwrap();
    assert!(
        text.contains(&format!("29 {}", long())),
        "the last change is in the copy"
    );
    assert!(
        std::fs::read_dir(dir.path()).unwrap().flatten().any(|e| e
            .file_name()
            .to_string_lossy()
            .contains("journal-discarded")),
        "the journal with every change is kept"
    );
    again.save(None).expect("the recovered design can be saved");
}

/// Issue 24, point 5: a journal too big to read is moved aside by the editor, untouched and
/// under a name that says why; a save with no changes does not remove it.
#[test]
fn a_journal_too_big_to_read_is_never_deleted() {
    use microcred::document::{Busy, Leftover, open};
    let (dir, file) = common::example_copy("retrofit-gaps.yaml");
    let journal = microcred::document::journal::path_for(&file);
    let f = std::fs::File::create(&journal).expect("journal");
    f.set_len(microcred::document::journal::MAX_JOURNAL_BYTES + 10)
        .expect("sparse");
    drop(f);
    let opened =
        open(&[], Some(&file), "microcred", Busy::ReadOnly).unwrap_or_else(|_| panic!("opens"));
    let moved = match &opened.leftover {
        Leftover::Unreadable {
            moved: Some(to), ..
        } => to.clone(),
        _ => panic!("the journal is moved aside"),
    };
    assert!(
        moved.to_string_lossy().ends_with(".journal-unreadable"),
        "{}",
        moved.display()
    );
    opened.hub.save(None).expect("saved");
    drop(opened);
    let m = std::fs::metadata(&moved).expect("still there");
    assert_eq!(
        m.len(),
        microcred::document::journal::MAX_JOURNAL_BYTES + 10
    );
    assert!(dir.path().join(moved.file_name().unwrap()).exists());
}

/// Issue 24, point 1: a clone in which the Markdown summary's name is a committed symbolic
/// link to a file outside it (`design.md → ../outside/authorized_keys`): `X` writes none of
/// the three files, says which name is a link and what to do, and the target is unchanged.
#[test]
fn x_never_exports_through_a_link_beside_the_design() {
    use microcred::export::Format;
    use microcred::tui::app::{App, Effect};
    let root = tempfile::tempdir().expect("tempdir");
    let repo = root.path().join("clone");
    let outside = root.path().join("outside");
    std::fs::create_dir_all(&repo).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    let design = repo.join("design.yaml");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/retail-data-analyst.yaml"),
        &design,
    )
    .unwrap();
    let keys = outside.join("authorized_keys");
    std::fs::write(&keys, "ssh-ed25519 AAAAC3Nza admin@host\n").unwrap();
    std::os::unix::fs::symlink("../outside/authorized_keys", repo.join("design.md")).unwrap();
    let cat = catalog();
    let hub = Hub::new(load(&design, &cat), cat, Some(design.clone()));
    let mut app = App::with_hub(hub, dee());
    struct Local;
    impl microcred::tui::Host for Local {
        fn save(&mut self, app: &App, p: &Path) -> Result<PathBuf, String> {
            app.hub.save(Some(p)).map_err(|e| e.to_string())
        }
        fn may_export(&self, _: &App) -> Result<(), String> {
            Ok(())
        }
        fn may_read_files(&self, _: &App) -> Result<(), String> {
            Ok(())
        }
    }
    let usual = vec![Format::Yaml, Format::Ob3, Format::Markdown];
    microcred::tui::carry_out(&mut app, Some(Effect::Export(usual)), &mut Local);
    assert!(app.status.error, "{}", app.status.text);
    assert!(
        app.status.text.contains("design.md") && app.status.text.contains("symbolic link"),
        "{}",
        app.status.text
    );
    assert_eq!(
        std::fs::read_to_string(&keys).unwrap(),
        "ssh-ed25519 AAAAC3Nza admin@host\n"
    );
    assert!(!repo.join("design.spec.yaml").exists(), "nothing written");
    assert!(!repo.join("design.ob3.json").exists(), "nothing written");
    // A hard link to a file outside is refused the same way.
    std::fs::remove_file(repo.join("design.md")).unwrap();
    std::fs::hard_link(&keys, repo.join("design.md")).unwrap();
    let usual = vec![Format::Yaml, Format::Ob3, Format::Markdown];
    microcred::tui::carry_out(&mut app, Some(Effect::Export(usual)), &mut Local);
    assert!(
        app.status.text.contains("hard links"),
        "{}",
        app.status.text
    );
    assert_eq!(
        std::fs::read_to_string(&keys).unwrap(),
        "ssh-ed25519 AAAAC3Nza admin@host\n"
    );
}

//! One verdict for `check` and `export` (issue 17, item 6): `export` refuses exactly when
//! `check` lists a blocker, `check --fail-on blockers` fails exactly then, and an export is
//! `final` exactly when `check` says so — on every example, every hostile and fuzz-corpus file,
//! and on random variations of the gaps example (property test), through the real binary.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use microcred::model::*;
use proptest::prelude::*;

use crate::common;

fn bin() -> Command {
    let mut c = Command::cargo_bin("microcred").unwrap();
    c.env_remove("MICROCRED_FRAMEWORKS");
    c
}

/// What `check --format json` said: `None` when the file did not load at all.
struct Said {
    export_ready: bool,
    is_final: bool,
    blockers: usize,
    pending: usize,
    /// Per format name, how many elements its registry still needs.
    formats: Vec<(String, usize)>,
}

fn check(path: &Path) -> Option<Said> {
    let out = bin()
        .args(["check", "--format", "json"])
        .arg(path)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    Some(Said {
        export_ready: v["export_ready"].as_bool().unwrap(),
        is_final: v["final"].as_bool().unwrap(),
        blockers: v["blockers"].as_array().unwrap().len(),
        pending: v["pending"].as_array().unwrap().len(),
        formats: v["formats"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let missing = f["missing"].as_array().unwrap().len();
                assert_eq!(f["ready"].as_bool(), Some(missing == 0));
                (f["format"].as_str().unwrap().to_string(), missing)
            })
            .collect(),
    })
}

/// Run check and export on `path` and assert that they agree; returns whether it exported.
fn agree(path: &Path, dir: &Path) -> bool {
    let said = check(path);
    let out = dir.join("out.spec.yaml");
    let _ = std::fs::remove_file(&out);
    let export = bin()
        .args(["export", "-o"])
        .arg(&out)
        .arg(path)
        .output()
        .unwrap();
    let fail_on = bin()
        .args(["check", "--fail-on", "blockers"])
        .arg(path)
        .output()
        .unwrap();
    let name = path.display();
    let Some(said) = said else {
        assert_eq!(
            export.status.code(),
            Some(1),
            "{name}: export of a bad file"
        );
        assert!(!out.exists(), "{name}: a refused export wrote a file");
        assert_eq!(fail_on.status.code(), Some(1), "{name}");
        return false;
    };
    assert_eq!(said.export_ready, said.blockers == 0, "{name}");
    assert_eq!(
        said.is_final,
        said.blockers == 0 && said.pending == 0,
        "{name}"
    );
    let code = if said.export_ready { 0 } else { 1 };
    assert_eq!(
        export.status.code(),
        Some(code),
        "{name}: export exit against check's export_ready = {}\n{}",
        said.export_ready,
        String::from_utf8_lossy(&export.stderr)
    );
    assert_eq!(
        fail_on.status.code(),
        Some(code),
        "{name}: check --fail-on blockers"
    );
    // Every format: refused exactly when something blocks every export or its registry
    // still needs something.
    for (format, missing) in &said.formats {
        let out = dir.join(format!("out.{format}"));
        let _ = std::fs::remove_file(&out);
        let e = bin()
            .args(["export", "--format", format, "-o"])
            .arg(&out)
            .arg(path)
            .output()
            .unwrap();
        assert_eq!(
            e.status.code(),
            Some(i32::from(*missing > 0 || !said.export_ready)),
            "{name}: export --format {format} against check's {missing} missing\n{}",
            String::from_utf8_lossy(&e.stderr)
        );
        assert_eq!(
            out.exists(),
            *missing == 0 && said.export_ready,
            "{name}: {format}"
        );
    }
    if !said.export_ready {
        assert!(!out.exists(), "{name}: a refused export wrote a file");
        let err = String::from_utf8_lossy(&export.stderr);
        assert!(
            err.contains(&format!("cannot export: {} problem(s)", said.blockers)),
            "{name}: {err}"
        );
        return false;
    }
    let text = std::fs::read_to_string(&out).unwrap();
    let spec = microcred::export::spec_from_str(&text, "out").unwrap();
    let is_final = spec.status == microcred::export::spec::SpecStatus::Final;
    assert_eq!(is_final, said.is_final, "{name}: spec status");
    assert_eq!(
        spec.open_problems.len(),
        said.pending,
        "{name}: the draft's reasons"
    );
    true
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[test]
fn check_and_export_agree_on_examples_hostile_and_fuzz_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let mut files: Vec<PathBuf> = files_in(&root.join("examples"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    let examples = files.len();
    files.extend(files_in(&root.join("tests/hostile")));
    files.extend(files_in(&root.join("fuzz/corpus/workspace")));
    let mut exported = 0;
    for f in &files {
        if agree(f, dir.path()) {
            exported += 1;
        }
    }
    // The complete example exports as final; the gaps example is refused.
    assert!(exported >= 1, "nothing exported of {} files", files.len());
    assert!(files.len() > examples + 10, "{}", files.len());
    let complete = check(&root.join("examples/retail-data-analyst.yaml")).unwrap();
    assert!(complete.is_final);
    let gaps = check(&root.join("examples/retrofit-gaps.yaml")).unwrap();
    assert!(!gaps.export_ready && gaps.pending > 0);
}

/// A sign-off's state for one partner in the generated variations.
#[derive(Debug, Clone, Copy)]
enum Signed {
    No,
    Current,
    Stale,
}

fn signed() -> impl Strategy<Value = Signed> {
    prop_oneof![Just(Signed::No), Just(Signed::Current), Just(Signed::Stale)]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Variations of the gaps example: mapping statuses, priorities, competencies dropped,
    /// credential elements emptied, sign-offs current, stale or missing.
    #[test]
    fn export_refuses_exactly_when_check_lists_a_blocker(
        statuses in proptest::collection::vec(common::status(), 12),
        priorities in proptest::collection::vec(common::priority(), 12),
        drop in proptest::collection::vec(any::<bool>(), 12),
        empty_title in any::<bool>(),
        fill_qa in any::<bool>(),
        signs in proptest::collection::vec(signed(), 4),
        ready in any::<bool>(),
    ) {
        let (dir, file) = common::example_copy("retrofit-gaps.yaml");
        let text = std::fs::read_to_string(&file).unwrap();
        let cat = microcred::catalog::Catalog::embedded().unwrap();
        let mut ws = microcred::document::workspace_from_str(&text, "w", &cat)
            .unwrap()
            .workspace;
        // Half the cases are made exportable: nothing disputed, no must need, every
        // required element filled; the other half are whatever the dice say.
        for (m, s) in ws.mappings.iter_mut().zip(&statuses) {
            m.status = match s {
                MappingStatus::Disputed if ready => MappingStatus::Agreed,
                s => *s,
            };
        }
        for (n, p) in ws.needs.iter_mut().zip(&priorities) {
            n.priority = match p {
                Priority::Must if ready => Priority::Should,
                p => *p,
            };
        }
        let mut keep = drop.iter().map(|d| !d);
        ws.competencies.retain(|_| keep.next().unwrap_or(true));
        if empty_title && !ready {
            ws.credential.title = None;
        }
        if fill_qa || ready {
            ws.credential.quality_assurance = Some("Reviewed by the college's board.".into());
        }
        let design = microcred::model::signoff::design_hash(&ws);
        let partners: Vec<String> = ws.partners.iter().map(|p| p.id.clone()).collect();
        for (p, s) in partners.iter().zip(&signs) {
            let design = match s {
                Signed::No => continue,
                Signed::Current => design.clone(),
                Signed::Stale => "0".repeat(64),
            };
            ws.sign_offs.push(SignOff {
                person: format!("someone@{p}"),
                partner: p.clone(),
                at: "2026-11-30T10:00:00Z".into(),
                design,
                key: None,
            });
        }
        microcred::document::save_workspace(&file, &ws).unwrap();
        let exported = agree(&file, dir.path());
        if ready {
            prop_assert!(exported, "a design with no blocker was refused");
        }
    }
}

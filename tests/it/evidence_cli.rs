//! `microcred evidence add` end to end (folders, CSV with --column, Markdown; hostile posting
//! files give located errors and leave the workspace as it was; a file open in an editor is
//! refused), `evidence list` (text and JSON) and `evidence remove` (unknown ids refused, the
//! file unchanged), determinism of extraction, and `check`'s `demand` and `stale_evidence`.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use microcred::analysis::evidence;
use microcred::analysis::suggest::Suggester;
use microcred::catalog::Catalog;
use proptest::prelude::*;

fn microcred(home: &Path) -> Command {
    let mut cmd = Command::cargo_bin("microcred").expect("the binary is built");
    cmd.env_remove("MICROCRED_FRAMEWORKS")
        .env("MICROCRED_NO_CACHE", "1")
        .env("HOME", home)
        .env("XDG_CACHE_HOME", home.join("cache"));
    cmd
}

fn postings_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/evidence/postings")
}

/// A temporary folder with `ws.yaml`, a copy of the retrofit example.
fn setup() -> (tempfile::TempDir, PathBuf) {
    let d = tempfile::tempdir().expect("tempdir");
    let ws = d.path().join("ws.yaml");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/retrofit-gaps.yaml"),
        &ws,
    )
    .expect("copy the example");
    (d, ws)
}

fn load(ws: &Path) -> microcred::model::Workspace {
    serde_yaml::from_str(&std::fs::read_to_string(ws).expect("read")).expect("a workspace")
}

#[test]
fn a_folder_of_postings_is_added_with_titles_dates_and_mentions() {
    let (d, ws) = setup();
    microcred(d.path())
        .args(["evidence", "add"])
        .arg(&ws)
        .arg(postings_dir())
        .args(["--date", "2026-02-01"])
        .assert()
        .success();
    let w = load(&ws);
    assert_eq!(w.postings.len(), 30);
    let p = &w.postings[0];
    assert_eq!(p.id, "P1");
    assert_eq!(p.title, "Energy Advisor (Residential)");
    assert_eq!(p.source.as_deref(), Some("br01.txt"));
    assert_eq!(p.date.as_deref(), Some("2026-02-01"));
    let audit = p
        .mentions
        .iter()
        .find(|m| m.competency == "building-retrofit:BR-ASSESS-02")
        .expect("the blower door sentence mentions blower door testing");
    assert_eq!(
        audit.quotes,
        vec!["Run blower door tests to measure air leakage before and after upgrades."]
    );
    // Mentions are keyed by reference: sorted, each once.
    for p in &w.postings {
        assert!(
            p.mentions
                .windows(2)
                .all(|m| m[0].competency < m[1].competency)
        );
    }
    // Adding the same folder again adds nothing: the postings are known by their hash.
    let out = microcred(d.path())
        .args(["evidence", "add"])
        .arg(&ws)
        .arg(postings_dir())
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already in the workspace"));
    assert_eq!(load(&ws).postings.len(), 30);
}

#[test]
fn a_csv_with_a_text_column_and_a_markdown_file() {
    let (d, ws) = setup();
    let csv = d.path().join("jobs.csv");
    std::fs::write(
        &csv,
        "id,job,description\n1,Heat pump tech,\"Install and commission heat pumps.\nRun blower door tests before and after air sealing.\"\n2,Analyst,Write SQL queries to pull data from the warehouse.\n",
    )
    .unwrap();
    let md = d.path().join("solar.md");
    std::fs::write(
        &md,
        "# **Solar Installer**\n\n## Duties\n- Install solar photovoltaic arrays on roofs.\n- Work safely at heights with fall protection.\n",
    )
    .unwrap();
    microcred(d.path())
        .args(["evidence", "add"])
        .arg(&ws)
        .arg(&csv)
        .arg(&md)
        .args(["--column", "description", "--title-column", "job"])
        .args(["--partner", "coastline-energy", "--date", "2026-03-01"])
        .assert()
        .success();
    let w = load(&ws);
    let titles: Vec<&str> = w.postings.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(titles, ["Heat pump tech", "Analyst", "Solar Installer"]);
    assert_eq!(w.postings[0].source.as_deref(), Some("jobs.csv line 2"));
    assert!(
        w.postings
            .iter()
            .all(|p| p.partner.as_deref() == Some("coastline-energy"))
    );
    let refs: Vec<&str> = w.postings[2]
        .mentions
        .iter()
        .map(|m| m.competency.as_str())
        .collect();
    assert!(refs.contains(&"building-retrofit:BR-ELEC-03"), "{refs:?}");
    // The CSV's second row has no first line of its own: the whole cell is one sentence.
    assert!(
        w.postings[1].mentions.is_empty()
            || w.postings[1]
                .mentions
                .iter()
                .all(|m| m.quotes.iter().all(|q| q.contains("SQL")))
    );
}

/// Runs `evidence add` on `file` (with `extra` arguments) and expects a failure whose message
/// holds every one of `wanted`; the workspace must be unchanged.
fn refused(file_name: &str, bytes: &[u8], extra: &[&str], wanted: &[&str]) {
    let (d, ws) = setup();
    let before = std::fs::read(&ws).unwrap();
    let f = d.path().join(file_name);
    std::fs::write(&f, bytes).unwrap();
    let out = microcred(d.path())
        .args(["evidence", "add"])
        .arg(&ws)
        .arg(&f)
        .args(extra)
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for w in wanted {
        assert!(err.contains(w), "`{w}` not in: {err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(std::fs::read(&ws).unwrap(), before, "the workspace changed");
}

#[test]
fn hostile_posting_files_give_located_errors() {
    // Not UTF-8: where the first bad byte is.
    refused(
        "bin.txt",
        b"Title\nok line\n\xff\xfe\x00binary",
        &[],
        &["bin.txt:3:1", "UTF-8"],
    );
    // A control character: file, line and column.
    refused(
        "ctl.txt",
        b"Welder\nWe need \x1b[31m you\n",
        &[],
        &["ctl.txt:2:9", "U+001B"],
    );
    // Over the size limit of a posting file.
    refused(
        "huge.txt",
        &vec![b'a'; 1024 * 1024 + 1],
        &[],
        &["huge.txt", "limit"],
    );
    // Empty.
    refused("empty.txt", b"  \n\n", &[], &["empty.txt:1:1", "empty"]);
    // CSV: no --column, an unknown column, a row with too many fields, a control character.
    refused("a.csv", b"text\nhello\n", &[], &["a.csv", "--column"]);
    refused(
        "b.csv",
        b"text\nhello\n",
        &["--column", "body"],
        &["b.csv:1:1", "no column `body`", "text"],
    );
    refused(
        "c.csv",
        b"title,text\nA,Install heat pumps in homes\nB,x,y\n",
        &["--column", "text"],
        &["c.csv:3", "CSV"],
    );
    refused(
        "d.csv",
        b"title,text\nA,Install \x07heat pumps\n",
        &["--column", "text"],
        &["d.csv:2:9", "U+0007", "column `text`"],
    );
}

#[test]
fn a_posting_of_one_endless_line_is_quoted_within_the_limit() {
    let (d, ws) = setup();
    let f = d.path().join("long.txt");
    let line = "install heat pumps and run blower door tests ".repeat(400);
    std::fs::write(&f, format!("Installer\n{line}\n")).unwrap();
    microcred(d.path())
        .args(["evidence", "add"])
        .arg(&ws)
        .arg(&f)
        .assert()
        .success();
    let w = load(&ws);
    let quotes: Vec<&String> = w.postings[0]
        .mentions
        .iter()
        .flat_map(|m| &m.quotes)
        .collect();
    assert!(!quotes.is_empty());
    assert!(
        quotes
            .iter()
            .all(|q| q.chars().count() <= microcred::limits::TEXT)
    );
}

#[test]
fn a_bad_partner_or_date_changes_nothing() {
    let posting = b"Installer\nInstall heat pumps in older homes.\n";
    refused("p.txt", posting, &["--partner", "NOPE"], &["NOPE"]);
    let (d, ws) = setup();
    let f = d.path().join("p.txt");
    std::fs::write(&f, posting).unwrap();
    let out = microcred(d.path())
        .args(["evidence", "add"])
        .arg(&ws)
        .arg(&f)
        .args(["--date", "2026-13-01"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("YYYY-MM-DD"));
}

#[test]
fn a_file_open_in_an_editor_is_refused() {
    let (d, ws) = setup();
    let before = std::fs::read(&ws).unwrap();
    let _lock = microcred::store::EditLock::acquire(&ws, "test editor").expect("lock");
    let out = microcred(d.path())
        .args(["evidence", "add"])
        .arg(&ws)
        .arg(postings_dir().join("br01.txt"))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("open for editing"));
    assert_eq!(std::fs::read(&ws).unwrap(), before);
}

#[test]
fn extraction_is_deterministic() {
    let cat = Catalog::embedded().expect("built-in frameworks");
    let (a, b) = (Suggester::new(&cat), Suggester::new(&cat));
    for e in std::fs::read_dir(postings_dir()).unwrap() {
        let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
        let first = evidence::extract(&a, &text, evidence::THRESHOLD);
        assert_eq!(first, evidence::extract(&b, &text, evidence::THRESHOLD));
        assert_eq!(first, evidence::extract(&a, &text, evidence::THRESHOLD));
    }
}

#[test]
fn check_reports_demand_and_stale_evidence() {
    let (d, ws) = setup();
    let add = |file: &str, partner: &str, date: &str| {
        microcred(d.path())
            .args(["evidence", "add"])
            .arg(&ws)
            .arg(postings_dir().join(file))
            .args(["--partner", partner, "--date", date])
            .assert()
            .success();
    };
    add("br01.txt", "coastline-energy", "2025-01-10");
    add("br07.txt", "brightwater-mechanical", "2025-02-20");
    add("br11.txt", "coastline-energy", "2026-04-01");
    add("br09.txt", "coastline-energy", "2026-03-01");
    add("br13.txt", "brightwater-mechanical", "2026-03-15");
    add("br12.txt", "brightwater-mechanical", "2024-11-30");
    let out = microcred(d.path())
        .arg("check")
        .arg(&ws)
        .args(["--format", "json", "--as-of", "2026-04-15"])
        .output()
        .expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(
        !v["demand"]["uncovered"]
            .as_array()
            .expect("a list")
            .is_empty(),
        "the snapshot shows in-demand competencies not in the design"
    );
    insta::assert_json_snapshot!(
        "check_demand",
        serde_json::json!({"demand": v["demand"], "stale_evidence": v["stale_evidence"]})
    );
    let text = microcred(d.path())
        .arg("check")
        .arg(&ws)
        .args(["--as-of", "2026-04-15"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&text.stdout);
    let start = text.find("\nDemand").expect("a demand section");
    let end = text[start..]
        .find("\nExport")
        .map_or(text.len(), |e| start + e);
    insta::assert_snapshot!("check_demand_text", &text[start..end]);
}

proptest! {
    /// Every sentence is a piece of the posting's text (a hard line break inside it read as a
    /// space), and the title is too.
    #[test]
    fn sentences_are_pieces_of_the_text(text in "[a-zA-Z0-9 .;!?#*\\-\n]{0,300}") {
        let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        let flat = words(&text);
        for s in evidence::sentences(&text) {
            prop_assert!(!s.contains('\n'), "{s:?}");
            prop_assert!(flat.contains(&words(&s)), "{s:?}");
            prop_assert!(s.split_whitespace().count() >= 3);
        }
        if let Some(t) = evidence::title_of(&text) {
            prop_assert!(text.contains(&t));
        }
    }
}

#[test]
fn postings_change_only_through_ops_designers_may_make_and_undo() {
    use microcred::edit::{Actor, Op, Role, apply};
    let cat = Catalog::embedded().expect("built-in frameworks");
    let (_d, ws_path) = setup();
    let mut ws = load(&ws_path);
    let before = ws.clone();
    let posting = microcred::model::Posting {
        id: "P1".into(),
        title: "Installer".into(),
        source: Some("a.txt".into()),
        date: Some("2026-01-02".into()),
        partner: Some("harbourview-poly".into()),
        sha256: "0".repeat(64),
        text: "Installer\nInstall heat pumps.".into(),
        mentions: vec![],
    };
    let insert = Op::InsertPosting {
        at: 0,
        posting: Box::new(posting.clone()),
    };
    let partner = Actor {
        name: "Pat".into(),
        role: Role::Partner("coastline-energy".into()),
    };
    assert!(apply(&mut ws, &cat, &partner, insert.clone()).is_err());
    let designer = Actor::designer("Dee");
    let undo = apply(&mut ws, &cat, &designer, insert.clone()).expect("a designer adds it");
    assert_eq!(ws.postings, vec![posting.clone()]);
    // The same id twice, a bad date, an unknown partner: refused, nothing changes.
    assert!(apply(&mut ws, &cat, &designer, insert).is_err());
    for bad in [
        microcred::model::Posting {
            id: "P2".into(),
            date: Some("2026-02-30x".into()),
            ..posting.clone()
        },
        microcred::model::Posting {
            id: "P3".into(),
            partner: Some("nobody".into()),
            ..posting.clone()
        },
    ] {
        let op = Op::InsertPosting {
            at: 1,
            posting: Box::new(bad),
        };
        assert!(apply(&mut ws, &cat, &designer, op).is_err());
    }
    assert_eq!(ws.postings.len(), 1);
    // A partner postings came from cannot be removed while they are there.
    let remove_partner = Op::RemovePartner {
        id: "harbourview-poly".into(),
    };
    let err = apply(&mut ws.clone(), &cat, &designer, remove_partner).unwrap_err();
    assert!(err.0.contains("P1"), "{err}");
    apply(&mut ws, &cat, &designer, undo).expect("undo");
    assert_eq!(ws, before);
}

/// Adds br01 and br07 (two partners, two dates) to the example; returns the folder and the
/// workspace.
fn with_two_postings() -> (tempfile::TempDir, PathBuf) {
    let (d, ws) = setup();
    for (file, partner, date) in [
        ("br01.txt", "coastline-energy", "2026-01-10"),
        ("br07.txt", "brightwater-mechanical", "2026-02-20"),
    ] {
        microcred(d.path())
            .args(["evidence", "add"])
            .arg(&ws)
            .arg(postings_dir().join(file))
            .args(["--partner", partner, "--date", date])
            .assert()
            .success();
    }
    (d, ws)
}

#[test]
fn list_shows_every_posting_as_text_and_json() {
    let (d, ws) = with_two_postings();
    let w = load(&ws);
    let out = microcred(d.path())
        .args(["evidence", "list"])
        .arg(&ws)
        .output()
        .expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    for (line, p) in lines.iter().zip(&w.postings) {
        let n = p.mentions.len();
        assert!(n > 1, "{} mentions competencies", p.id);
        let expected = format!(
            "{}\t{}\t{}\t{}\t{n} competencies\t{}",
            p.id,
            p.date.as_deref().unwrap(),
            p.partner.as_deref().unwrap(),
            p.title,
            p.source.as_deref().unwrap()
        );
        assert_eq!(*line, expected);
    }
    assert!(
        lines[0].starts_with("P1\t2026-01-10\tcoastline-energy\tEnergy Advisor (Residential)\t")
    );
    assert!(lines[1].starts_with("P2\t2026-02-20\tbrightwater-mechanical\t"));
    assert!(lines[1].ends_with("\tbr07.txt"));

    let out = microcred(d.path())
        .args(["evidence", "list", "--format", "json"])
        .arg(&ws)
        .output()
        .expect("runs");
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let items = v.as_array().expect("an array");
    assert_eq!(items.len(), 2);
    for (item, p) in items.iter().zip(&w.postings) {
        let refs: Vec<&str> = p.mentions.iter().map(|m| m.competency.as_str()).collect();
        assert_eq!(
            *item,
            serde_json::json!({
                "id": p.id, "title": p.title, "source": p.source, "date": p.date,
                "partner": p.partner, "competencies": refs,
            })
        );
    }
    assert_eq!(items[0]["source"], "br01.txt");

    // A workspace without postings: nothing on stdout (text), an empty array (JSON).
    let (d, empty) = setup();
    let out = microcred(d.path())
        .args(["evidence", "list"])
        .arg(&empty)
        .output()
        .expect("runs");
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no postings"));
    let out = microcred(d.path())
        .args(["evidence", "list", "--format", "json"])
        .arg(&empty)
        .output()
        .expect("runs");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
}

#[test]
fn remove_takes_postings_out_and_refuses_unknown_ids() {
    let (d, ws) = with_two_postings();
    let second = load(&ws).postings[1].clone();
    // An unknown id, alone or with a known one: refused, named, the file unchanged.
    let before = std::fs::read(&ws).unwrap();
    for ids in [&["P9"][..], &["P2", "P9", "X"][..]] {
        let out = microcred(d.path())
            .args(["evidence", "remove"])
            .arg(&ws)
            .args(ids)
            .output()
            .expect("runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains("`P9`"), "{err}");
        assert!(!err.contains("`P2`"), "{err}");
        assert!(err.contains("microcred evidence list"), "{err}");
        assert_eq!(std::fs::read(&ws).unwrap(), before, "the workspace changed");
    }
    assert!(
        std::fs::read_dir(d.path())
            .unwrap()
            .filter_map(Result::ok)
            .all(|e| !e.file_name().to_string_lossy().contains("journal")),
        "no journal left behind"
    );
    // Open in an editor: refused.
    {
        let _lock = microcred::store::EditLock::acquire(&ws, "test editor").expect("lock");
        let out = microcred(d.path())
            .args(["evidence", "remove"])
            .arg(&ws)
            .arg("P1")
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains("open for editing"));
        assert_eq!(std::fs::read(&ws).unwrap(), before);
    }
    // A known id (given twice): removed once, the other posting kept as it was.
    let out = microcred(d.path())
        .args(["evidence", "remove"])
        .arg(&ws)
        .args(["P1", "P1"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "P1\tEnergy Advisor (Residential)\n"
    );
    let w = load(&ws);
    assert_eq!(w.postings, vec![second]);
    // Added again, it gets a fresh id after the one left (P2 is taken).
    microcred(d.path())
        .args(["evidence", "add"])
        .arg(&ws)
        .arg(postings_dir().join("br01.txt"))
        .assert()
        .success();
    let ids: Vec<String> = load(&ws).postings.into_iter().map(|p| p.id).collect();
    assert_eq!(ids, ["P2", "P3"]);
    // A missing workspace is named.
    let out = microcred(d.path())
        .args(["evidence", "remove"])
        .arg(d.path().join("nope.yaml"))
        .arg("P1")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope.yaml"));
    assert!(!d.path().join("nope.yaml").exists());
}

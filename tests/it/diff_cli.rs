//! `microcred diff OLD NEW`: hand-made pairs for each kind of change (text and JSON
//! snapshots), exit codes as diff's, and FILE@REV against a git repository made here.

use std::path::Path;
use std::process::Command as Process;

use assert_cmd::Command;

fn microcred() -> Command {
    Command::cargo_bin("microcred").unwrap()
}

/// The gaps example and an edited copy: a need's priority and a statement changed, a need
/// added, a mapping disputed and its level raised, a competency's hours changed and one dropped
/// (with its mappings), a credential element and a partner's name changed.
fn pair(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/retrofit-gaps.yaml");
    let old = dir.join("old.yaml");
    std::fs::copy(&src, &old).unwrap();
    let cat = microcred::catalog::Catalog::embedded().unwrap();
    let mut ws = microcred::document::load_workspace(&old, &cat)
        .unwrap()
        .workspace;
    ws.needs[0].priority = microcred::model::Priority::Could;
    ws.needs[1].statement = "Run blower door tests and find every leak.".into();
    let mut added = ws.needs[2].clone();
    added.id = "N11".into();
    added.statement = "Read mechanical drawings on site.".into();
    ws.needs.push(added);
    ws.mappings[0].status = microcred::model::MappingStatus::Disputed;
    ws.mappings[0].required_level = Some(4);
    ws.competencies[0].hours = Some(40.0);
    let dropped = ws.competencies.pop().unwrap().reference;
    ws.mappings.retain(|m| m.competency != dropped);
    ws.credential.title = Some("Cold-climate retrofit technician".into());
    ws.partners[0].name = "Coastline Energy Services".into();
    let new = dir.join("new.yaml");
    std::fs::write(&new, microcred::document::workspace_to_string(&ws)).unwrap();
    (old, new)
}

#[test]
fn every_kind_of_change_in_text_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = pair(dir.path());
    let out = microcred()
        .current_dir(dir.path())
        .args(["diff", "old.yaml", "new.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "differences: exit 1");
    let text = String::from_utf8(out.stdout).unwrap();
    insta::assert_snapshot!("diff_text", text);
    let out = microcred()
        .current_dir(dir.path())
        .args(["diff", "old.yaml", "new.yaml", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    insta::assert_json_snapshot!("diff_json", json);
    // The same file twice: no differences, exit 0.
    microcred()
        .args(["diff"])
        .arg(&old)
        .arg(&old)
        .assert()
        .code(0);
    // A file that is not a design: trouble, exit 2, the file named.
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "needs: [").unwrap();
    let out = microcred()
        .arg("diff")
        .arg(&bad)
        .arg(&new)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.yaml"));
}

fn git(dir: &Path, args: &[&str]) {
    let st = Process::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args(args)
        .status()
        .expect("git runs");
    assert!(st.success(), "git {args:?}");
}

#[test]
fn file_at_revision_reads_the_file_from_git() {
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = pair(dir.path());
    let w = dir.path().join("w.yaml");
    std::fs::copy(&old, &w).unwrap();
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "w.yaml"]);
    git(dir.path(), &["commit", "-q", "-m", "first"]);
    std::fs::copy(&new, &w).unwrap();
    git(dir.path(), &["commit", "-q", "-am", "second"]);
    let at = |rev: &str| format!("{}@{rev}", w.display());
    let by_rev = microcred()
        .args(["diff", &at("HEAD~1"), &at("HEAD")])
        .output()
        .unwrap();
    let by_file = microcred()
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .output()
        .unwrap();
    assert_eq!(by_rev.status.code(), Some(1));
    assert_eq!(
        by_rev.stdout, by_file.stdout,
        "the revisions hold the two files"
    );
    // Against the working file, and a revision that does not exist.
    microcred()
        .arg("diff")
        .arg(at("HEAD"))
        .arg(&w)
        .assert()
        .code(0);
    let out = microcred()
        .args(["diff", &at("no-such-rev"), &at("HEAD")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-rev"));
}

/// A posting of the example's partner, with its hash.
fn posting(id: &str, title: &str, text: &str) -> microcred::model::Posting {
    microcred::model::Posting {
        id: id.into(),
        title: title.into(),
        source: Some(format!("{id}.txt")),
        date: Some("2026-03-01".into()),
        partner: Some("coastline-energy".into()),
        sha256: microcred::store::hex::sha256_hex(text.as_bytes()),
        text: text.into(),
        mentions: vec![],
    }
}

fn dot(need: &str, partner: &str, person: &str, at: &str) -> microcred::model::Dot {
    microcred::model::Dot {
        need: need.into(),
        competency: None,
        partner: partner.into(),
        person: person.into(),
        at: at.into(),
    }
}

/// Two versions of the gaps example with postings and votes. Old: postings P1 and P2; vote 1
/// open with three dots. New: P1 removed and P3 added; vote 1 closed after one dot was taken
/// back and one placed; vote 2 opened over one partner's needs, with a dot.
fn voting_pair(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    use microcred::model::Vote;
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/retrofit-gaps.yaml");
    let cat = microcred::catalog::Catalog::embedded().unwrap();
    let base = microcred::document::load_workspace(&src, &cat)
        .unwrap()
        .workspace;
    let mut old = base.clone();
    old.postings = vec![
        posting(
            "P1",
            "Energy Advisor",
            "Energy Advisor\nRun blower door tests.",
        ),
        posting(
            "P2",
            "Heat Pump Installer",
            "Heat Pump Installer\nInstall heat pumps.",
        ),
    ];
    let vote1 = Vote {
        opened_by: "Dee".into(),
        opened_at: "2026-03-02T10:00:00Z".into(),
        dots: 3,
        partner: None,
        hidden: false,
        closed_by: None,
        closed_at: None,
        over: microcred::model::VoteOver::Needs,
        candidates: Vec::new(),
        ballots: vec![
            dot("N1", "coastline-energy", "Pat", "2026-03-02T10:05:00Z"),
            dot("N2", "coastline-energy", "Pat", "2026-03-02T10:06:00Z"),
            dot(
                "N1",
                "brightwater-mechanical",
                "Dee",
                "2026-03-02T10:07:00Z",
            ),
        ],
    };
    old.votes = vec![vote1.clone()];
    let mut new = old.clone();
    new.postings.remove(0);
    new.postings.push(posting(
        "P3",
        "Solar Installer",
        "Solar Installer\nInstall solar arrays.",
    ));
    let mut closed = vote1;
    closed.ballots.remove(1);
    closed
        .ballots
        .push(dot("N3", "coastline-energy", "Pat", "2026-03-02T10:09:00Z"));
    closed.closed_by = Some("Dee".into());
    closed.closed_at = Some("2026-03-02T11:00:00Z".into());
    new.votes = vec![
        closed,
        Vote {
            opened_by: "Dee".into(),
            opened_at: "2026-03-02T11:30:00Z".into(),
            dots: 2,
            partner: Some("brightwater-mechanical".into()),
            hidden: true,
            closed_by: None,
            closed_at: None,
            over: microcred::model::VoteOver::Needs,
            candidates: Vec::new(),
            ballots: vec![dot(
                "N4",
                "brightwater-mechanical",
                "Bo",
                "2026-03-02T11:35:00Z",
            )],
        },
    ];
    let (o, n) = (dir.join("old.yaml"), dir.join("new.yaml"));
    std::fs::write(&o, microcred::document::workspace_to_string(&old)).unwrap();
    std::fs::write(&n, microcred::document::workspace_to_string(&new)).unwrap();
    (o, n)
}

#[test]
fn postings_and_votes_in_text_and_json() {
    let dir = tempfile::tempdir().unwrap();
    voting_pair(dir.path());
    let run = |args: &[&str]| {
        let out = microcred()
            .current_dir(dir.path())
            .arg("diff")
            .args(args)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    insta::assert_snapshot!("diff_votes_text", run(&["old.yaml", "new.yaml"]));
    let json: serde_json::Value =
        serde_json::from_str(&run(&["old.yaml", "new.yaml", "--format", "json"])).unwrap();
    assert_eq!(json["postings"]["added"][0]["id"], "P3");
    assert_eq!(json["postings"]["removed"][0]["text"], "Energy Advisor");
    assert_eq!(json["votes"]["closed"][0]["id"], "vote 1");
    insta::assert_json_snapshot!(
        "diff_votes_json",
        serde_json::json!({"postings": json["postings"], "votes": json["votes"]})
    );
    // Backwards: the vote opened is removed, the closed one open again, the dots swap.
    insta::assert_snapshot!("diff_votes_text_backwards", run(&["new.yaml", "old.yaml"]));
}

/// Issue 25, point 6: `diff` reports sign-offs (added, renewed, gone stale, removed) in text,
/// JSON and the summary, and names partners and competencies where people read them.
#[test]
fn sign_offs_and_names_in_text_and_json() {
    use microcred::model::SignOff;
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/retrofit-gaps.yaml");
    let cat = microcred::catalog::Catalog::embedded().unwrap();
    let mut ws = microcred::document::load_workspace(&src, &cat)
        .unwrap()
        .workspace;
    let hash = microcred::model::signoff::design_hash(&ws);
    let sign = |partner: &str, person: &str, at: &str| SignOff {
        person: person.into(),
        partner: partner.into(),
        at: at.into(),
        design: hash.clone(),
        key: None,
    };
    ws.sign_offs = vec![
        sign("brightwater-mechanical", "Bo", "2026-01-01T00:00:00Z"),
        sign("coastline-energy", "Cy", "2026-01-01T00:00:00Z"),
        sign("harbourview-poly", "Hal", "2026-01-01T00:00:00Z"),
    ];
    let old = dir.path().join("old.yaml");
    std::fs::write(&old, microcred::document::workspace_to_string(&ws)).unwrap();
    // Cy signs off again, Hal's sign-off is removed, Dee signs for Brightwater, and a mapping
    // is disputed, so Bo's sign-off (kept as it was) goes stale.
    ws.sign_offs[1].at = "2026-01-02T00:00:00Z".into();
    ws.sign_offs.remove(2);
    ws.sign_offs.push(sign(
        "brightwater-mechanical",
        "Dee",
        "2026-01-02T00:00:00Z",
    ));
    ws.mappings[0].status = microcred::model::MappingStatus::Disputed;
    let new = dir.path().join("new.yaml");
    std::fs::write(&new, microcred::document::workspace_to_string(&ws)).unwrap();
    let out = microcred()
        .current_dir(dir.path())
        .args(["diff", "old.yaml", "new.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    for line in [
        "Sign-offs",
        "  + Brightwater Mechanical — Dee signed off at 2026-01-02T00:00:00Z",
        "  ~ Coastline Home Energy Services — Cy signed off again at 2026-01-02T00:00:00Z",
        "  ! Brightwater Mechanical — the sign-off of Bo (2026-01-01T00:00:00Z) went stale",
        "  - Harbourview Polytechnic — the sign-off of Hal (2026-01-01T00:00:00Z) was removed",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "no line {line:?} in\n{text}"
        );
    }
    // The mapping's competency is named, its reference kept beside the name.
    let m = &ws.mappings[0];
    let (_, comp) = cat.resolve(&m.competency).unwrap();
    let named = format!("  ~ {} → {} ({}) status", m.need, comp.name, m.competency);
    assert!(text.contains(&named), "no {named:?} in\n{text}");
    let out = microcred()
        .current_dir(dir.path())
        .args(["diff", "old.yaml", "new.yaml", "--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = &json["sign_offs"];
    let ids = |k: &str| {
        s[k].as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids("added"), ["brightwater-mechanical"]);
    assert_eq!(ids("renewed"), ["coastline-energy"]);
    assert_eq!(ids("stale"), ["brightwater-mechanical"]);
    assert_eq!(ids("removed"), ["harbourview-poly"]);
    let d = microcred::analysis::diff::diff(
        &microcred::document::load_workspace(&old, &cat)
            .unwrap()
            .workspace,
        &ws,
    );
    let line = microcred::analysis::diff::summary(&d);
    assert!(
        line.contains(
            "1 sign-off added, 1 sign-off renewed, 1 sign-off gone stale, 1 sign-off removed"
        ),
        "{line}"
    );
}

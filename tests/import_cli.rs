//! `microcred import` on the shared ESCO and CASE files and on malformed inputs of our own.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn data(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/")).join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("note: {} is absent; skipping this test", p.display());
        None
    }
}

fn microcred() -> Command {
    let mut c = Command::cargo_bin("microcred").expect("binary");
    c.env_remove("MICROCRED_FRAMEWORKS");
    c
}

#[test]
fn esco_import_validates() {
    let Some(csv) = data("esco-v1.1.1/skills_en.csv") else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("esco.yaml");
    microcred()
        .args(["import", "esco"])
        .arg(&csv)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let text = std::fs::read_to_string(&out).expect("written");
    assert!(
        text.contains("uri: http://data.europa.eu/esco/skill/0005c151-5b5a-4a66-8aac-60e734beb1ab")
    );
    let ok = microcred().arg("validate").arg(&out).assert().success();
    let stdout = String::from_utf8_lossy(&ok.get_output().stdout).to_string();
    assert!(stdout.contains("13896 competencies"), "{stdout}");
    // Importing again gives byte-identical output (deterministic).
    let again = microcred()
        .args(["import", "esco"])
        .arg(&csv)
        .assert()
        .success();
    assert_eq!(again.get_output().stdout, text.as_bytes());
}

fn refused(kind: &str, name: &str, content: &[u8], expect: &[&str]) {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join(name);
    std::fs::write(&input, content).expect("write");
    let out = dir.path().join("out.yaml");
    let a = microcred()
        .args(["import", kind])
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    for e in expect {
        assert!(err.contains(e), "expected {e:?} in:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert!(!out.exists(), "nothing may be written");
    let left: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
    assert_eq!(left.len(), 1, "no temporary files left behind");
}

#[test]
fn esco_malformed_inputs_are_refused_with_a_location() {
    refused(
        "esco",
        "cols.csv",
        b"conceptUri,altLabels\nhttp://x/skill/a,b\n",
        &["cols.csv:1:1:", "`preferredLabel`", "nothing was written"],
    );
    refused(
        "esco",
        "quotes.csv",
        b"conceptUri,preferredLabel,description\nhttp://x/skill/a,ok,d\nhttp://x/skill/b,\"broken,d\nhttp://x/skill/c,fine,d\n",
        &["quotes.csv:3:1: record 2", "double quotes"],
    );
    refused(
        "esco",
        "pkg.json",
        b"{\"CFDocument\": {\"title\": \"x\"}}\n",
        &["pkg.json:1:1:", "not ESCO's skills CSV"],
    );
    refused(
        "esco",
        "bin.csv",
        &[0x89, b'P', b'N', b'G', 0xff, 0xfe, b'\n'],
        &["bin.csv:1:1:", "UTF-8"],
    );
}

#[test]
fn case_imports_validate() {
    for (name, n) in [
        ("case/ACT-Holistic-Framework-Math-excerpt.Ordering.json", 28),
        (
            "case/opensalt-framework-20c5134f-What-Standards-Could-Be.json",
            16,
        ),
    ] {
        let Some(json) = data(name) else {
            return;
        };
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("case.yaml");
        microcred()
            .args(["import", "case"])
            .arg(&json)
            .arg("-o")
            .arg(&out)
            .assert()
            .success();
        let ok = microcred().arg("validate").arg(&out).assert().success();
        let stdout = String::from_utf8_lossy(&ok.get_output().stdout).to_string();
        assert!(stdout.contains(&format!("{n} competencies")), "{stdout}");
        let text = std::fs::read_to_string(&out).expect("written");
        assert!(text.contains("parent:"), "isChildOf becomes parent");
    }
}

#[test]
fn case_malformed_inputs_are_refused() {
    refused(
        "case",
        "trunc.json",
        b"{\"CFDocument\": {\"title\": \"x\"},\n \"CFItems\": [",
        &["trunc.json:2:", "not valid JSON"],
    );
    refused(
        "case",
        "shape.json",
        b"{\"CFDocument\": [], \"CFItems\": []}",
        &["`CFDocument`", "CFPackage"],
    );
    refused(
        "case",
        "item.json",
        b"{\"CFDocument\": {\"title\": \"x\"}, \"CFItems\": [{\"identifier\": 3}]}",
        &["`CFItems[0]` has no `identifier`"],
    );
    refused(
        "case",
        "skills.csv",
        b"conceptUri,preferredLabel\nx,y\n",
        &["skills.csv:1:1:", "not valid JSON"],
    );
}

/// `import` reads regular files only, and never more than its limit: a device such as
/// /dev/zero (which never ends) and a FIFO (which blocks until someone writes) are refused at
/// once by name. /dev/zero used to be read until memory ran out (10 GB).
#[test]
fn devices_and_fifos_are_refused_without_reading_them() {
    let limit = std::time::Duration::from_secs(20);
    for kind in ["esco", "case"] {
        let a = microcred()
            .args(["import", kind, "/dev/zero"])
            .timeout(limit)
            .assert()
            .code(1);
        let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
        assert!(
            err.contains("/dev/zero: ") && err.contains("not a regular file"),
            "{err}"
        );
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let fifo = dir.path().join("skills.csv");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let a = microcred()
        .args(["import", "esco"])
        .arg(&fifo)
        .timeout(limit)
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(
        err.contains("skills.csv: ") && err.contains("not a regular file"),
        "{err}"
    );
    // A regular file over the limit is refused before it is read (a sparse 300 MiB file).
    let big = dir.path().join("big.csv");
    std::fs::File::create(&big)
        .and_then(|f| f.set_len(300 * 1024 * 1024))
        .expect("sparse file");
    let a = microcred()
        .args(["import", "esco"])
        .arg(&big)
        .timeout(limit)
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(err.contains("256 MiB"), "{err}");
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/import/"
    ))
    .join(name)
}

/// `import KIND FILE -o OUT`: success, the framework written and `validate`d; stderr returned.
fn imported(kind: &str, file: &Path) -> (String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("fw.yaml");
    let a = microcred()
        .args(["import", kind])
        .arg(file)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    microcred().arg("validate").arg(&out).assert().success();
    let text = std::fs::read_to_string(&out).expect("written");
    (text, err)
}

/// A real CASE package is no longer refused whole for one stray character: the text is
/// cleaned, each item named in a warning; a repeated identifier keeps the first item.
#[test]
fn case_with_control_characters_and_a_repeated_identifier_imports_with_warnings() {
    let (text, err) = imported("case", &fixture("case-control-characters.json"));
    assert!(
        err.contains("warning: `CFItems[1]` (M.1 A: \"Reason about place value")
            && err.contains("`fullStatement` held U+000C, `notes` held U+0098"),
        "{err}"
    );
    assert!(
        err.contains("`CFItems[2]` (M.1.B") && err.contains("held U+000C"),
        "{err}"
    );
    assert!(
        err.contains("`CFItems[3]` (M.1.C: \"A second item that repeats an identifier.\") repeats the identifier `it-3` of `CFItems[2]` (M.1.B"),
        "{err}"
    );
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "no control characters are written"
    );
    assert!(
        text.contains("Reason about place value when comparing whole numbers."),
        "{text}"
    );
    assert!(
        text.contains("notes: Targets grades three to five."),
        "{text}"
    );
    assert!(
        text.contains("- type: precedes\n        target: M.1.B"),
        "{text}"
    );
    assert!(text.contains("Round whole numbers to any place."), "{text}");
    assert!(
        text.contains("target: https://example.org/standards/ext-9"),
        "{text}"
    );
    assert!(text.contains("language: en"), "{text}");
    assert!(!text.contains("A second item"), "the repeat is skipped");
}

#[test]
fn ctdl_asn_framework_imports_with_its_hierarchy() {
    let (text, err) = imported("ctdl-asn", &fixture("ctdl-asn-basic-skills.json"));
    assert!(err.contains("4 competencies"), "{err}");
    let fw: microcred::model::Framework = serde_yaml::from_str(&text).expect("a framework");
    assert_eq!(fw.id, "sample-basic-skills");
    assert_eq!(fw.language.as_deref(), Some("en-US"));
    let ids: Vec<&str> = fw.competencies.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        ["2.A.1", "2.A.1.a", "2.A.1.b", "2.A.2"],
        "the framework's order"
    );
    let parent = |id: &str| {
        fw.competencies
            .iter()
            .find(|c| c.id == id)
            .and_then(|c| c.parent.clone())
    };
    assert_eq!(parent("2.A.1.a").as_deref(), Some("2.A.1"), "isChildOf");
    assert_eq!(parent("2.A.1.b").as_deref(), Some("2.A.1"), "hasChild");
    assert_eq!(parent("2.A.2"), None, "isTopChildOf");
    assert_eq!(fw.competencies[1].name, "Reading");
    assert!(
        fw.competencies[1]
            .description
            .starts_with("Make sense of written")
    );
}

#[test]
fn esco_collection_files_and_api_harvests_import() {
    let (text, err) = imported("esco", &fixture("esco-greenSkillsCollection_en.csv"));
    assert!(
        err.contains("warning: record 2: the skill `http://data.europa.eu/esco/skill/00000000-0000-4000-8000-0000000000a2` has no preferredLabel; it is skipped"),
        "{err}"
    );
    let fw: microcred::model::Framework = serde_yaml::from_str(&text).expect("a framework");
    assert_eq!(fw.competencies.len(), 2);
    assert_eq!(
        fw.competencies[0].keywords,
        ["separate waste", "sort recyclables"]
    );
    assert_eq!(
        fw.competencies[1].description, "",
        "no description is left empty"
    );
    assert_eq!(fw.language.as_deref(), Some("en"));
    assert!(
        fw.source
            .as_deref()
            .is_some_and(|s| s.contains("esco-greenSkillsCollection_en.csv")),
        "{:?}",
        fw.source
    );
    let (text, _) = imported("esco", &fixture("esco-api-harvest.csv"));
    assert!(text.contains("name: operate a forklift"), "{text}");
    assert!(text.contains("- drive a forklift"), "{text}");
}

/// `import esco --relations DIR` keeps the relations as links (files of our own, ESCO's shape);
/// the framework validates; a folder without relations is refused.
#[test]
fn esco_relations_are_kept_as_links() {
    let dir = tempfile::tempdir().expect("tempdir");
    let skills = dir.path().join("skills_en.csv");
    std::fs::write(
        &skills,
        "conceptUri,preferredLabel,description\n\
         http://data.europa.eu/esco/skill/s1,check refrigerant charge,Check the charge of a heat pump.\n\
         http://data.europa.eu/esco/skill/s2,check water charge,Check the charge of a water heater.\n",
    )
    .expect("write");
    let rel = dir.path().join("rel");
    std::fs::create_dir(&rel).expect("mkdir");
    std::fs::write(
        rel.join("occupationSkillRelations.csv"),
        "occupationUri,relationType,skillType,skillUri\n\
         http://data.europa.eu/esco/occupation/o1,essential,skill/competence,http://data.europa.eu/esco/skill/s1\n",
    )
    .expect("write");
    std::fs::write(
        rel.join("occupations_en.csv"),
        "conceptUri,preferredLabel\nhttp://data.europa.eu/esco/occupation/o1,heat pump installer\n",
    )
    .expect("write");
    let out = dir.path().join("esco.yaml");
    let a = microcred()
        .args(["import", "esco"])
        .arg(&skills)
        .arg("--relations")
        .arg(&rel)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(err.contains("1 occupation"), "{err}");
    let text = std::fs::read_to_string(&out).expect("written");
    assert!(
        text.contains("isEssentialForOccupation") && text.contains("heat pump installer"),
        "{text}"
    );
    microcred().arg("validate").arg(&out).assert().success();
    // A folder with no relations file is refused, and nothing is written.
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    let out2 = dir.path().join("none.yaml");
    let a = microcred()
        .args(["import", "esco"])
        .arg(&skills)
        .arg("--relations")
        .arg(&empty)
        .arg("-o")
        .arg(&out2)
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(err.contains("no relations file"), "{err}");
    assert!(!out2.exists());
}

/// An ESCO file with control characters is cleaned instead of refused: one warning per row,
/// naming the record, its columns and the characters; nothing of them is written.
#[test]
fn esco_with_control_characters_imports_clean_with_a_warning_per_row() {
    let (text, err) = imported("esco", &fixture("esco-control-characters.csv"));
    assert!(
        err.contains("esco-control-characters.csv:2:1: warning: record 1 (`http://data.europa.eu/esco/skill/00000000-0000-4000-8000-0000000000b1`, \"inspect welds\"): column `altLabels` held U+0098, column `description` held U+000C; removed"),
        "{err}"
    );
    assert!(
        err.contains("esco-control-characters.csv:4:1: warning: record 2 (`http://data.europa.eu/esco/skill/00000000-0000-4000-8000-0000000000b2`, \"welding symbols\"): column `preferredLabel` held U+0007; removed\n"),
        "{err}"
    );
    assert!(
        !err.contains("record 3 ("),
        "a clean row is not named: {err}"
    );
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "no control characters are written"
    );
    let fw: microcred::model::Framework = serde_yaml::from_str(&text).expect("a framework");
    assert_eq!(fw.competencies.len(), 3, "every row imports");
    assert_eq!(
        fw.competencies[0].description,
        "Look at a finished weld and judge whether it meets the drawing."
    );
    assert_eq!(
        fw.competencies[0].keywords,
        ["check welds", "examine weld seams"]
    );
    assert_eq!(fw.competencies[1].name, "welding symbols");
}

/// OpenSALT's own test frameworks (MIT, kept in `tests/fixtures/import/opensalt/` with the
/// licence): Windows line ends in a Markdown statement, the top items' order given only by the
/// `sequenceNumber` of their `isChildOf` the document, a deep hierarchy, a character outside
/// the Basic Multilingual Plane, and an external framework's empty placeholder (refused, said
/// where).
#[test]
fn opensalt_test_frameworks_import_with_order_and_line_ends() {
    let fw = |name: &str| -> microcred::model::Framework {
        let (text, err) = imported("case", &fixture(&format!("opensalt/{name}")));
        assert!(!err.contains("warning"), "{name}: {err}");
        assert!(!text.contains('\r'), "{name}: line ends are `\\n`");
        serde_yaml::from_str(&text).expect("a framework")
    };
    let md = fw("MarkdownFramework.json");
    let table = &md.competencies[0];
    assert_eq!(table.id, "MD.Table");
    assert!(
        table
            .description
            .starts_with("This contains a _table_ in markdown:\n\n| Column 1 |"),
        "{:?}",
        table.description
    );
    assert!(
        !table.name.contains('\n'),
        "a name is one line: {:?}",
        table.name
    );

    let seq = fw("SequenceNumberFramework.json");
    let order: Vec<(&str, Option<&str>)> = seq
        .competencies
        .iter()
        .map(|c| (c.id.as_str(), c.order.as_deref()))
        .collect();
    assert_eq!(order, [("SNT.1", Some("2")), ("SNT.2", Some("1"))]);

    let smart = fw("SmartLevelFramework.json");
    assert_eq!(smart.competencies.len(), 14);
    assert_eq!(
        smart
            .competencies
            .iter()
            .filter(|c| c.parent.is_some())
            .count(),
        12
    );
    assert_eq!(
        fw("Utf8TestFramework.json").competencies[0].name,
        "Item 𝑑 1"
    );

    let a = microcred()
        .args(["import", "case"])
        .arg(fixture("opensalt/EmptyExternalFramework.json"))
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(
        err.contains("EmptyExternalFramework.json:1:1: `CFItems` is empty"),
        "{err}"
    );
}

/// The shape of Smarter Balanced's item-specification packages (a fixture of our own; see
/// the fixtures' README for the real packages tried): Windows line ends in statements and
/// notes, a LaTeX `\frac` whose backslash became a form feed (restored), the same association
/// twice, links to items outside the package.
#[test]
fn item_specification_packages_import_with_line_ends_kept_and_one_warning() {
    let (text, err) = imported("case", &fixture("case-item-specification.json"));
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("warning")).collect();
    assert_eq!(warnings.len(), 1, "only the `\\frac` is reported: {err}");
    assert!(
        warnings[0].contains("`CFItems[1]`")
            && warnings[0].contains("`\\frac` restored in `fullStatement`"),
        "{err}"
    );
    assert!(!text.contains('\r'), "{text}");
    let fw: microcred::model::Framework = serde_yaml::from_str(&text).expect("a framework");
    assert_eq!(fw.competencies.len(), 3);
    let [target, clarification, accessibility] = &fw.competencies[..] else {
        panic!("three competencies")
    };
    assert_eq!(target.id, "M.G7.C1.TA");
    assert_eq!(
        target.description,
        "Solve problems with scale drawings.\n\nStudents use a scale to find actual lengths\nand areas."
    );
    assert_eq!(target.order.as_deref(), Some("1"), "child of the document");
    assert_eq!(target.education_level, ["07"]);
    let kinds: Vec<&str> = target.links.iter().map(|l| l.kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["isRelatedTo", "exactMatchOf"],
        "the repeat is one link"
    );
    assert!(
        clarification
            .description
            .starts_with("A map uses a scale of $\\frac{1}{2}$ inch"),
        "{:?}",
        clarification.description
    );
    assert_eq!(
        clarification.notes.as_deref(),
        Some("Item writers:\nkeep numbers whole.")
    );
    assert_eq!(clarification.parent.as_deref(), Some("M.G7.C1.TA"));
    assert_eq!(accessibility.order.as_deref(), Some("2"));
    assert_eq!(
        accessibility.name,
        "Use plain language. - Avoid idioms - Use vocabulary at or below grade level"
    );
}

/// The Registry Assistant's publishing request (as OSMT's publisher sends it: the graph in
/// `CompetencyFrameworkGraph`, `en-us` language maps, a top child the request leaves out)
/// imports like the graph itself.
#[test]
fn ctdl_asn_publishing_request_imports_its_graph() {
    let (text, err) = imported("ctdl-asn", &fixture("ctdl-asn-publish-request.json"));
    assert!(err.contains("1 competencies"), "{err}");
    assert!(
        err.contains("warning: the framework's `ceasn:hasTopChild` names 1 competency the file does not hold (the first: `https://sandbox.credentialengineregistry.org/resources/ce-00000000-0000-4000-8000-00000000f002`); it is left out"),
        "{err}"
    );
    let fw: microcred::model::Framework = serde_yaml::from_str(&text).expect("a framework");
    assert_eq!(fw.name, "Network Support Collection");
    assert_eq!(fw.publisher.as_deref(), Some("Example Skills Library"));
    assert_eq!(fw.version, "2021-02-18");
    let c = &fw.competencies[0];
    assert_eq!(c.name, "Account Setup");
    assert_eq!(c.category.as_deref(), Some("Access control"));
    assert_eq!(c.keywords, ["Permissions", "User accounts"]);
}

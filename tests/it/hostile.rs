//! Hostile input against every reader (frameworks, workspaces, the keymap file): an alias
//! bomb, 10,000-deep nesting, a 20 MB file, NUL bytes, invalid UTF-8, control and
//! bidi-override characters, 1-million-character lines, huge numbers, wrong types. Each must
//! give a clear error naming the file (and, where the content is at fault, the line and
//! column) within 1 s, without a panic.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use microcred::catalog::Catalog;
use microcred::problem::Problems;

/// The hostile files: those kept in tests/hostile/ and the big ones generated here.
fn corpus(dir: &Path) -> Vec<PathBuf> {
    let kept = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile");
    let mut files: Vec<PathBuf> = std::fs::read_dir(kept)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    let deep = 10_000;
    let generated: Vec<(&str, Vec<u8>)> = vec![
        (
            "deep-flow-seq.yaml",
            format!("{}{}", "[".repeat(deep), "]".repeat(deep)).into_bytes(),
        ),
        (
            "deep-flow-map.yaml",
            format!("{}1{}", "{a: ".repeat(deep), "}".repeat(deep)).into_bytes(),
        ),
        (
            "deep-block-seq.yaml",
            format!("{}x\n", "- ".repeat(deep)).into_bytes(),
        ),
        (
            "deep-workspace.yaml",
            format!(
                "schema: microcred/workspace@1\nneeds: {}{}\n",
                "[".repeat(deep),
                "]".repeat(deep)
            )
            .into_bytes(),
        ),
        ("twenty-mb.yaml", {
            let mut v = b"schema: microcred/workspace@1\n".to_vec();
            v.extend(std::iter::repeat_n(b'#', 20 * 1024 * 1024));
            v
        }),
        (
            "million-char-key.yaml",
            format!("{}: 1\n", "k".repeat(1_000_000)).into_bytes(),
        ),
        (
            "million-char-id.yaml",
            format!(
                "schema: microcred/workspace@1\npartners:\n  - id: {}\n    name: x\n",
                "p".repeat(1_000_000)
            )
            .into_bytes(),
        ),
        (
            "million-char-unclosed-quote.yaml",
            format!("id: \"{}\n", "q".repeat(1_000_000)).into_bytes(),
        ),
        (
            "keymap-million-key.yaml",
            format!(
                "bindings:\n  - key: {}\n    command: save\n",
                "z".repeat(1_000_000)
            )
            .into_bytes(),
        ),
    ];
    for (name, bytes) in generated {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        files.push(p);
    }
    files.sort();
    files
}

type Reader = fn(&Path, &Catalog) -> Result<(), Problems>;

fn readers() -> Vec<(&'static str, Reader)> {
    vec![
        ("framework", |p, _| {
            microcred::catalog::read_framework_file(p).map(drop)
        }),
        ("workspace", |p, c| {
            microcred::document::load_workspace(p, c).map(drop)
        }),
        ("keymap", |p, _| {
            microcred::tui::keys::Keymap::load(p).map(drop)
        }),
    ]
}

#[test]
fn every_reader_rejects_every_hostile_file_quickly_with_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let cat = Catalog::embedded().unwrap();
    let mut slowest = (Duration::ZERO, String::new());
    let mut failures = Vec::new();
    for file in corpus(dir.path()) {
        let name = file.display().to_string();
        for (reader, read) in readers() {
            let start = Instant::now();
            let r = read(&file, &cat);
            let took = start.elapsed();
            if took > slowest.0 {
                slowest = (took, format!("{reader} on {name}"));
            }
            let label = format!(
                "{reader} on {}",
                file.file_name().unwrap().to_string_lossy()
            );
            match r {
                Ok(()) => failures.push(format!("{label}: accepted")),
                Err(problems) => {
                    let text = problems.to_string();
                    // A guard against a hang or a blow-up, not a speed target (those are benchmarks):
                    // generous, so that a loaded machine does not fail it.
                    if took > Duration::from_secs(10) {
                        failures.push(format!("{label}: took {took:?}"));
                    }
                    if !text.starts_with(&name) || text.len() < name.len() + 10 {
                        failures.push(format!("{label}: unclear error: {text:.300}"));
                    }
                    // A size limit is about the whole file; everything else names a place.
                    let located = problems.0.iter().any(|p| p.line.is_some());
                    if !located && !text.contains("MiB") {
                        failures.push(format!("{label}: no line:column: {text:.300}"));
                    }
                    if text.len() > 4000 {
                        failures.push(format!("{label}: message of {} bytes", text.len()));
                    }
                }
            }
        }
    }
    eprintln!("slowest: {:?} ({})", slowest.0, slowest.1);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A CASE package with an escape sequence or a bidirectional override in a statement imports
/// without them, and says so (real packages carry such characters by accident).
#[test]
fn case_text_with_control_characters_is_imported_clean_with_a_warning() {
    for text in ["measure\\u001b]0;pwned\\u0007", "measure \u{202E}retaw"] {
        let case = format!(
            "{{\"CFDocument\": {{\"title\": \"T\"}},\n\"CFItems\": [{{\"identifier\": \"i1\",\n\"fullStatement\": \"{text}\"}}]}}"
        );
        let got = microcred::import::case::read(case.as_bytes(), "c.json", None).expect("imports");
        let c = &got.framework.competencies[0];
        assert!(
            !c.description.chars().any(microcred::problem::is_hidden),
            "{:?}",
            c.description
        );
        assert_first_warning(&got.warnings, "c.json:2:13: warning: `CFItems[0]`");
    }
}

/// The first warning starts with `start` and holds no hidden character (line feeds aside).
fn assert_first_warning(warnings: &[microcred::problem::Problem], start: &str) {
    let w = warnings[0].to_string();
    assert!(w.starts_with(start), "{w}");
    assert!(
        !w.chars()
            .any(|c| microcred::problem::is_hidden(c) && c != '\n'),
        "{w:?}"
    );
}

/// An ESCO row with a NUL, an escape sequence or a bidirectional override imports without
/// them, with a warning that names the row and holds none of them (as for CASE).
#[test]
fn esco_text_with_control_characters_is_imported_clean_with_a_warning() {
    for (label, alt) in [
        ("weld\0pipes", ""),
        ("weld", "fit pipes\n\x1b[2Jgone"),
        ("weld \u{202E}sepip", ""),
    ] {
        let got = microcred::import::esco::read(
            &esco_row(label, alt),
            "e.csv",
            &microcred::import::esco::Options::default(),
            &mut |_| {},
        )
        .expect("imports");
        let c = &got.framework.competencies[0];
        for text in std::iter::once(&c.name).chain(&c.keywords) {
            assert!(!text.chars().any(microcred::problem::is_hidden), "{text:?}");
        }
        assert_first_warning(&got.warnings, "e.csv:2:1: warning: record 1 (");
    }
}

const ESCO_HEADER: &str = "conceptType,conceptUri,skillType,reuseLevel,preferredLabel,altLabels,hiddenLabels,status,modifiedDate,scopeNote,definition,inScheme,description\n";

/// A one-skill ESCO CSV with `label` as the preferred label and `alt` as the alternative labels.
fn esco_row(label: &str, alt: &str) -> Vec<u8> {
    format!(
        "{ESCO_HEADER}KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/0a1b2c3d-0000-4000-8000-000000000001,skill/competence,cross-sector,\"{label}\",\"{alt}\",,released,2024-01-05T10:00:00.000Z,,,,\"A description.\"\n"
    )
    .into_bytes()
}

/// Hostile CSV and JSON files for the ESCO and CASE importers (the YAML corpus is used too).
fn import_corpus(dir: &Path) -> Vec<PathBuf> {
    let deep = 10_000;
    let case_item = |text: &str| {
        format!(
            "{{\"CFDocument\": {{\"title\": \"T\"}},\n\"CFItems\": [{{\"identifier\": \"i1\",\n\"fullStatement\": \"{text}\"}}]}}"
        )
        .into_bytes()
    };
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("esco-invalid-utf8.csv", {
            let mut v = esco_row("weld", "");
            let at = v.len() - 10;
            v[at] = 0xff;
            v
        }),
        ("esco-million-unclosed.csv", {
            let mut v = ESCO_HEADER.as_bytes().to_vec();
            v.extend(b"x,\"");
            v.extend(std::iter::repeat_n(b'q', 1_000_000));
            v
        }),
        ("esco-million-line.csv", {
            let mut v = ESCO_HEADER.as_bytes().to_vec();
            v.extend(std::iter::repeat_n(b'q', 1_000_000));
            v.push(b'\n');
            v
        }),
        ("esco-twenty-mb.csv", {
            let mut v = ESCO_HEADER.as_bytes().to_vec();
            v.extend(std::iter::repeat_n(b'#', 20 * 1024 * 1024));
            v
        }),
        (
            "esco-wrong-columns.csv",
            b"name,description\nweld,joins metal\n".to_vec(),
        ),
        ("case-nul-raw.json", case_item("measure\0")),
        (
            "case-deep.json",
            format!("{}{}", "[".repeat(deep), "]".repeat(deep)).into_bytes(),
        ),
        (
            "case-deep-in-items.json",
            format!(
                "{{\"CFDocument\": {{\"title\": \"T\"}}, \"CFItems\": {}{}}}",
                "[".repeat(deep),
                "]".repeat(deep)
            )
            .into_bytes(),
        ),
        (
            "case-huge-number.json",
            b"{\"CFDocument\": {\"title\": 1e999999}, \"CFItems\": []}".to_vec(),
        ),
        (
            "case-wrong-types.json",
            b"{\"CFDocument\": {\"title\": \"T\"},\n \"CFItems\": [\"not an item\"]}".to_vec(),
        ),
        (
            "case-items-not-a-list.json",
            b"{\"CFDocument\": {\"title\": \"T\"},\n \"CFItems\": {\"a\": 1}}".to_vec(),
        ),
        ("case-twenty-mb.json", {
            let mut v = b"{\"CFDocument\": {\"title\": \"".to_vec();
            v.extend(std::iter::repeat_n(b'a', 20 * 1024 * 1024));
            v.extend(b"\"}, \"CFItems\": 7}");
            v
        }),
        ("case-million-line.json", {
            let mut v = b"{\"CFDocument\": {\"title\": \"T\"}, \"CFItems\": [".to_vec();
            v.extend(std::iter::repeat_n(b'1', 1_000_000));
            v.extend(b"]}");
            v
        }),
    ];
    let mut out = Vec::new();
    for (name, bytes) in files {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        out.push(p);
    }
    out
}

#[test]
fn importers_and_the_people_reader_reject_hostile_files_quickly_with_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let cat = Catalog::embedded().unwrap();
    let ws = microcred::document::load_workspace(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/retrofit-gaps.yaml"),
        &cat,
    )
    .unwrap()
    .workspace;
    let mut files = corpus(dir.path());
    files.extend(import_corpus(dir.path()));
    type Importer<'a> = Box<dyn Fn(&Path) -> Result<(), Problems> + 'a>;
    let readers: Vec<(&str, Importer)> = vec![
        (
            "esco",
            Box::new(|p: &Path| {
                let bytes = std::fs::read(p).unwrap();
                let opts = microcred::import::esco::Options::default();
                microcred::import::esco::import(
                    &bytes,
                    &p.display().to_string(),
                    &opts,
                    &mut |_| {},
                )
                .map(drop)
            }),
        ),
        (
            "case",
            Box::new(|p: &Path| {
                let bytes = std::fs::read(p).unwrap();
                microcred::import::case::import(&bytes, &p.display().to_string(), None).map(drop)
            }),
        ),
        (
            "people",
            Box::new(|p: &Path| microcred::serve::people::People::load(p, &ws).map(drop)),
        ),
    ];
    let mut failures = Vec::new();
    let mut slowest = (Duration::ZERO, String::new());
    for file in &files {
        let name = file.display().to_string();
        let short = file.file_name().unwrap().to_string_lossy().into_owned();
        for (reader, read) in &readers {
            let start = Instant::now();
            let r = read(file);
            let took = start.elapsed();
            let label = format!("{reader} on {short}");
            if took > slowest.0 {
                slowest = (took, label.clone());
            }
            let Err(problems) = r else {
                failures.push(format!("{label}: accepted"));
                continue;
            };
            let text = problems.to_string();
            if took > Duration::from_secs(1) {
                failures.push(format!("{label}: took {took:?}"));
            }
            if !text.starts_with(&name) {
                failures.push(format!("{label}: does not name the file: {text:.300}"));
            }
            let located = problems.0.iter().any(|p| p.line.is_some());
            if !located && !text.contains("MiB") {
                failures.push(format!("{label}: no line:column: {text:.300}"));
            }
            if text.len() > 4000 {
                failures.push(format!("{label}: message of {} bytes", text.len()));
            }
            if text.contains('\x1b') || text.contains('\u{202E}') || text.contains('\0') {
                failures.push(format!(
                    "{label}: the message carries an invisible character"
                ));
            }
        }
    }
    eprintln!("slowest: {:?} ({})", slowest.0, slowest.1);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A framework whose competencies all name a parent that does not exist.
fn unknown_parents(n: usize) -> String {
    let mut s = String::from(
        "id: orphans\nname: Orphans\nversion: \"1\"\nlevels:\n  - level: 1\n    name: One\ncompetencies:\n",
    );
    for i in 0..n {
        s.push_str(&format!(
            "  - id: C{i:04}\n    name: Thing {i}\n    description: A thing.\n    parent: Q{i:04}\n"
        ));
    }
    s
}

/// 2,000 unknown parents took 110 s (the edit distance behind "did you mean" was computed
/// inside a sort comparator, for every problem); a 200 KB unknown reference took 3.3 s.
/// Every error is still reported, located, with its message; only the ranking work is bounded.
#[test]
fn unknown_references_are_reported_whole_with_bounded_suggestion_work() {
    let n = 2000;
    let src = unknown_parents(n);
    let problems = microcred::catalog::framework_from_str(&src, "o.yaml").unwrap_err();
    assert_eq!(problems.0.len(), n, "{}", problems.0[0]);
    for (i, p) in problems.0.iter().enumerate() {
        assert_eq!(
            p.message,
            format!("parent `Q{i:04}` is not a competency of this framework")
        );
        assert_eq!((p.line, p.column), (Some(8 + 4 * i + 3), Some(13)), "{p}");
        assert!(
            p.hint.as_deref().unwrap_or("").contains("(and 1995 more)"),
            "{p}"
        );
    }
    // The nearest ids come first where they are ranked.
    let first = problems.0[0].hint.as_deref().unwrap_or("");
    assert!(
        first.starts_with("the ids that exist include `C0000`"),
        "{first}"
    );

    let cat = Catalog::embedded().unwrap();
    let huge = "d".repeat(200_000);
    let ws = format!(
        "schema: microcred/workspace@1\ncompetencies:\n  - ref: digital-data:{huge}\n    target_level: 2\n"
    );
    let problems = microcred::document::workspace_from_str(&ws, "w.yaml", &cat).unwrap_err();
    let text = problems.to_string();
    let unknown = problems
        .0
        .iter()
        .find(|p| {
            p.message
                .starts_with("framework `digital-data` has no competency `ddd")
        })
        .unwrap_or_else(|| panic!("{text:.2000}"));
    assert_eq!((unknown.line, unknown.column), (Some(3), Some(10)));
    assert!(
        unknown.message.ends_with("more characters)"),
        "{}",
        unknown.message
    );
    assert!(
        unknown
            .hint
            .as_deref()
            .unwrap_or("")
            .starts_with("the ids that exist include `DD-"),
        "{unknown}"
    );
}

/// Text longer than its field's limit (docs/formats.md) is refused by every reader, located
/// and naming the limit: a 2,000,000-character competency name used to load and then cost
/// 0.35 s per redraw in every session.
#[test]
fn overlong_text_is_refused_by_every_reader_with_its_place_and_limit() {
    let name = "n".repeat(2_000_000);
    let fw = format!(
        "id: big\nname: Big\nversion: \"1\"\nlevels:\n  - level: 1\n    name: One\ncompetencies:\n  - id: X1\n    name: {name}\n    description: A thing.\n    keywords: [ok, {kw}]\n",
        kw = "k".repeat(201)
    );
    let p = microcred::catalog::framework_from_str(&fw, "big.yaml").unwrap_err();
    let text = p.to_string();
    assert!(
        text.contains(
            "big.yaml:9:11: the competency name is 2000000 characters long; the limit is 200"
        ),
        "{text:.1000}"
    );
    assert!(
        text.contains("big.yaml:11:20: the keyword is 201 characters long; the limit is 200"),
        "{text:.1000}"
    );
    assert!(text.contains("docs/formats.md"), "{text:.1000}");

    let cat = Catalog::embedded().unwrap();
    let ws = format!(
        "schema: microcred/workspace@1\npartners:\n  - id: p\n    name: P\n    kind: industry\nneeds:\n  - id: N1\n    partner: p\n    statement: {}\n    priority: must\n",
        "s".repeat(5001)
    );
    let p = microcred::document::workspace_from_str(&ws, "w.yaml", &cat).unwrap_err();
    assert_eq!(
        p.to_string().lines().next().unwrap_or(""),
        "w.yaml:9:16: the need statement is 5001 characters long; the limit is 5000"
    );

    let csv = esco_row("weld", &"a".repeat(201));
    let opts = microcred::import::esco::Options::default();
    let p = microcred::import::esco::import(&csv, "s.csv", &opts, &mut |_| {}).unwrap_err();
    let text = p.to_string();
    assert!(
        text.starts_with("s.csv:2:1: record 1: column `altLabels`: a label is 201 characters long; the limit is 200"),
        "{text}"
    );

    let long = "f".repeat(5001);
    let case = format!(
        "{{\"CFDocument\": {{\"title\": \"T\"}},\n\"CFItems\": [{{\"identifier\": \"i1\",\n\"fullStatement\": \"{long}\"}}]}}"
    );
    let p = microcred::import::case::import(case.as_bytes(), "c.json", None).unwrap_err();
    let text = p.to_string();
    assert!(
        text.starts_with(
            "c.json:3:18: `CFItems[0].fullStatement` is 5001 characters long; the limit is 5000"
        ),
        "{text:.500}"
    );
    // A long statement without a short one still imports: the name is cut at a word, the
    // description keeps it all.
    let words = "measure the angle ".repeat(20);
    let case = format!(
        "{{\"CFDocument\": {{\"title\": \"T\"}}, \"CFItems\": [{{\"identifier\": \"i1\", \"fullStatement\": \"{words}\"}}]}}"
    );
    let fw = microcred::import::case::import(case.as_bytes(), "c.json", None).unwrap();
    let c = &fw.competencies[0];
    assert!(
        c.name.chars().count() <= 200 && c.name.ends_with('…'),
        "{}",
        c.name
    );
    assert_eq!(c.description, words.trim());
}

/// The JSON Schemas carry the same limits, so an editor flags an overlong value as it is typed.
#[test]
fn the_json_schemas_state_the_limits() {
    let ws: serde_json::Value =
        serde_json::from_str(&microcred::export::schema::json_schema("workspace").unwrap())
            .unwrap();
    let need = &ws["$defs"]["Need"]["properties"];
    assert_eq!(need["statement"]["maxLength"], 5000);
    assert_eq!(need["id"]["maxLength"], 100);
    let fw: serde_json::Value =
        serde_json::from_str(&microcred::export::schema::json_schema("framework").unwrap())
            .unwrap();
    let comp = &fw["$defs"]["Competency"]["properties"];
    assert_eq!(comp["name"]["maxLength"], 200);
    assert_eq!(comp["keywords"]["items"]["maxLength"], 200);
}

//! The malformed-input corpus: every rejection in the list of docs/formats.md and more. Each
//! file must exit 1 with `file:line:column` and a message, without a panic and without writing
//! anything.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// (file, line:column, start of the message)
const EXPECTED: &[(&str, &str, &str)] = &[
    ("f01-empty.yaml", "1:1", r#"the file is empty"#),
    (
        "f02-two-documents.yaml",
        "13:1",
        r#"the file holds more than one Y"#,
    ),
    ("f03-tabs.yaml", "3:1", r#"found a tab character that vio"#),
    (
        "f04-version-not-string.yaml",
        "3:10",
        r#"version: invalid type: floatin"#,
    ),
    (
        "f05-levels-wrong-type.yaml",
        "4:9",
        r#"levels: invalid type: string ""#,
    ),
    (
        "f06-unknown-field.yaml",
        "13:5",
        r#"competencies[0]: unknown field"#,
    ),
    (
        "f07-duplicate-competency-id.yaml",
        "13:9",
        r#"duplicate competency id `C1`"#,
    ),
    (
        "f08-dangling-parent.yaml",
        "13:13",
        r#"parent `C9` is not a competenc"#,
    ),
    (
        "f09-levels-not-increasing.yaml",
        "7:12",
        r#"level 1 comes after level 2; l"#,
    ),
    (
        "f10-descriptor-off-scale.yaml",
        "14:10",
        r#"level 7 is not on the framewor"#,
    ),
    ("f11-duplicate-keys.yaml", "1:1", r#"duplicate field `id`"#),
    (
        "f12-duplicate-level-keys.yaml",
        "14:7",
        r#"competencies[0].levels: duplic"#,
    ),
    (
        "f13-missing-competencies.yaml",
        "1:1",
        r#"missing field `competencies`"#,
    ),
    (
        "f14-invalid-id.yaml",
        "1:5",
        r#"`-bad id` is not a valid frame"#,
    ),
    (
        "f15-not-utf8.yaml",
        "2:9",
        r#"byte 0xC3 is not valid UTF-8 t"#,
    ),
    (
        "f16-alias-bomb.yaml",
        "16:15",
        r#"competencies[2].keywords[0]: i"#,
    ),
    ("f17-empty-scale.yaml", "4:9", r#"the level scale is empty"#),
    (
        "f18-no-competencies.yaml",
        "7:15",
        r#"the framework has no competenc"#,
    ),
    (
        "f19-bad-type.yaml",
        "13:11",
        r#"competencies[0].type: unknown "#,
    ),
    (
        "f20-own-parent.yaml",
        "13:13",
        r#"`C1` names itself as its paren"#,
    ),
    (
        "f21-name-is-list.yaml",
        "2:7",
        r#"name: invalid type: sequence, "#,
    ),
    (
        "f22-huge-number.yaml",
        "7:12",
        r#"levels[1].level: invalid type:"#,
    ),
    (
        "f23-bad-quote.yaml",
        "3:1",
        r#"found unexpected end of stream"#,
    ),
    (
        "w01-dangling-partner.yaml",
        "4:14",
        r#"partner `nobody` is not in `pa"#,
    ),
    (
        "w02-unknown-framework.yaml",
        "12:10",
        r#"framework `nosuch` is not load"#,
    ),
    (
        "w03-unknown-competency.yaml",
        "12:10",
        r#"framework `digital-data` has n"#,
    ),
    (
        "w04-dangling-need.yaml",
        "12:11",
        r#"need `N9` is not in `needs`"#,
    ),
    (
        "w05-level-off-scale.yaml",
        "13:19",
        r#"level 9 cannot be targeted for"#,
    ),
    (
        "w06-level-not-described.yaml",
        "13:19",
        r#"level 1 cannot be targeted for"#,
    ),
    (
        "w07-duplicate-need.yaml",
        "11:9",
        r#"duplicate need id `N1`"#,
    ),
    (
        "w08-duplicate-partner.yaml",
        "6:9",
        r#"duplicate partner id `acme`"#,
    ),
    (
        "w09-bad-priority.yaml",
        "10:15",
        r#"needs[0].priority: unknown var"#,
    ),
    (
        "w10-wrong-schema.yaml",
        "1:9",
        r#"schema `microcred/workspace@9`"#,
    ),
    (
        "w11-duplicate-mapping.yaml",
        "14:5",
        r#"need `N1` is mapped to `digita"#,
    ),
    (
        "w12-unknown-credential-field.yaml",
        "3:3",
        r#"credential: unknown field `tit"#,
    ),
    (
        "w13-zero-hours.yaml",
        "3:22",
        r#"workload hours must be more th"#,
    ),
    (
        "w14-bad-country.yaml",
        "3:12",
        r#"`Canada` is not an ISO 3166 co"#,
    ),
    (
        "w15-required-level-off-scale.yaml",
        "14:21",
        r#"level 0 is not on the scale of"#,
    ),
    (
        "w16-duplicate-competency.yaml",
        "14:10",
        r#"`digital-data:DD-DATA-03` is l"#,
    ),
];

fn listing(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    v.sort();
    v
}

fn microcred() -> Command {
    Command::cargo_bin("microcred").unwrap()
}

#[test]
fn corpus_is_complete() {
    let files = std::fs::read_dir(corpus().join("malformed"))
        .unwrap()
        .count();
    assert!(files >= 25, "only {files} malformed files");
    assert_eq!(
        files,
        EXPECTED.len(),
        "every corpus file needs an expectation"
    );
}

#[test]
fn every_malformed_file_is_rejected_with_its_position() {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(corpus().join("malformed")).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
    }
    let before = listing(dir.path());
    for (file, pos, message) in EXPECTED {
        let out = microcred()
            .current_dir(dir.path())
            .arg("--frameworks")
            .arg(corpus().join("frameworks"))
            .args(["validate", file])
            .timeout(Duration::from_secs(10))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{file}: {stderr}");
        let want = format!("{file}:{pos}: {message}");
        assert!(
            stderr.contains(&want),
            "{file}: expected {want:?} in:\n{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{file} panicked: {stderr}");
        // The same files given to  are refused and left alone.
        if file.starts_with('w') {
            microcred()
                .current_dir(dir.path())
                .arg("--frameworks")
                .arg(corpus().join("frameworks"))
                .args(["fmt", file])
                .assert()
                .code(1);
        }
    }
    assert_eq!(
        before,
        listing(dir.path()),
        "a rejected file was changed or a file was written"
    );
}

fn reject_generated(name: &str, bytes: &[u8], expect_position: bool, fragment: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let start = Instant::now();
    let out = microcred()
        .current_dir(dir.path())
        .args(["validate", name])
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
    assert!(
        stderr.contains(fragment),
        "{name}: expected {fragment:?} in {stderr}"
    );
    if expect_position {
        let prefix = format!("{name}:");
        let rest = stderr.split(&prefix).nth(1).unwrap_or_default();
        let mut parts = rest.splitn(3, ':');
        let line = parts.next().unwrap_or_default();
        let col = parts.next().unwrap_or_default();
        assert!(
            line.parse::<usize>().is_ok() && col.parse::<usize>().is_ok(),
            "{name}: no line:column in {stderr}"
        );
    }
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{name} took {:?}",
        start.elapsed()
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "{name}: something was written"
    );
}

#[test]
fn a_17_mib_workspace_or_a_129_mib_framework_is_refused_before_parsing() {
    // A workspace keeps its 16 MiB limit.
    let mut bytes = b"schema: microcred/workspace@1\ndescription: \"".to_vec();
    bytes.resize(17 * 1024 * 1024, b'x');
    bytes.extend_from_slice(b"\"\n");
    reject_generated(
        "big.yaml",
        &bytes,
        false,
        "a workspace or spec may be at most 16 MiB",
    );
    // A framework file may be up to 128 MiB: one past it is refused by its size, unread.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.yaml");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len(128 * 1024 * 1024 + 1).unwrap();
    let out = microcred()
        .current_dir(dir.path())
        .args(["validate", "huge.yaml"])
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the file is 134,217,729 bytes; the limit is 128 MiB"),
        "{stderr}"
    );
}

#[test]
fn deep_nesting_is_refused() {
    for depth in [1_000, 10_000] {
        let src = format!("id: fw\nname: {}{}\n", "[".repeat(depth), "]".repeat(depth));
        reject_generated("deep.yaml", src.as_bytes(), true, "name");
        let src = format!("id: fw\nname: {}x\n", "- ".repeat(depth));
        reject_generated("deep-block.yaml", src.as_bytes(), true, "not allowed");
    }
}

#[test]
fn a_million_character_line_is_handled() {
    let src = format!("id: fw\nname: {}\nversion: \"1\"\n", "a".repeat(1_000_000));
    reject_generated("long.yaml", src.as_bytes(), true, "missing field");
}

#[test]
fn nul_bytes_and_control_characters_are_refused() {
    reject_generated(
        "nul.yaml",
        b"id: fw\nname: a\0b\n",
        true,
        "nul.yaml:2:8: the file contains the control character U+0000",
    );
    reject_generated("esc.yaml", b"id: fw\nname: a\x1b[31mb\n", true, "U+001B");
}

#[test]
fn the_yaml_layer_stops_alias_bombs_and_deep_recursion() {
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (i, c) in ('b'..='k').enumerate() {
        let prev = (b'a' + i as u8) as char;
        bomb.push_str(&format!("{c}: &{c} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
    }
    let start = Instant::now();
    let err = microcred::store::yaml::parse::<serde_yaml::Value>(&bomb).unwrap_err();
    assert!(err.message.contains("aliases"), "{}", err.message);
    assert!(start.elapsed() < Duration::from_secs(1));
    let deep = format!("a: {}{}", "[".repeat(1000), "]".repeat(1000));
    let err = microcred::store::yaml::parse::<serde_yaml::Value>(&deep).unwrap_err();
    assert!(err.message.contains("128 levels"), "{}", err.message);
    assert!(err.line.is_some());
}

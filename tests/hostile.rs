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
            microcred::store::load_framework(p).map(drop)
        }),
        ("workspace", |p, c| {
            microcred::store::load_workspace(p, c).map(drop)
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
                    if took > Duration::from_secs(1) {
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

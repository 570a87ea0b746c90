//! `microcred cache` and the bound of the cache folder, through the real binary.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The binary with its cache in `cache`, bounded to `max`.
fn microcred(cache: &Path, max: &str) -> Command {
    let mut c = Command::cargo_bin("microcred").expect("binary");
    c.env_remove("MICROCRED_FRAMEWORKS")
        .env_remove("MICROCRED_NO_CACHE")
        .env("MICROCRED_CACHE_DIR", cache)
        .env("MICROCRED_CACHE_MAX", max)
        // The files a test just wrote count as settled at once (see `framework_sets`).
        .env("MICROCRED_CLOCK_AHEAD_SECS", "3");
    c
}

/// A framework file of a little over 512 KiB (the size that gets cached), its own id and
/// words from `tag`.
fn framework(tag: &str) -> String {
    let mut s = format!(
        "id: set-{tag}\nname: Set {tag}\nversion: \"1\"\nlevels:\n  - level: 1\n    name: One\ncompetencies:\n"
    );
    let mut i = 0;
    while s.len() < 540 * 1024 {
        s.push_str(&format!(
            "  - id: C{i}\n    name: {tag} skill {i}\n    description: What skill {i} of {tag} asks of a learner.\n"
        ));
        i += 1;
    }
    s
}

/// Every file in `dir` (ours or not, temporary ones too) and their total size.
fn folder(dir: &Path) -> (Vec<String>, u64) {
    let mut names = Vec::new();
    let mut total = 0;
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        names.push(e.file_name().to_string_lossy().into_owned());
        total += e.metadata().map_or(0, |m| m.len());
    }
    names.sort();
    (names, total)
}

/// Framework files `set-0.yaml`… in a new folder, settled (old enough that snapshots are
/// written for them) for the binary, whose clock runs 3 s ahead (see `microcred`).
fn framework_sets(n: usize) -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let files: Vec<PathBuf> = (0..n)
        .map(|i| {
            let f = dir.path().join(format!("set-{i}.yaml"));
            std::fs::write(&f, framework(&format!("t{i}"))).expect("write");
            f
        })
        .collect();
    (dir, files)
}

#[test]
fn cache_shows_the_folder_and_clear_empties_it() {
    let (dir, files) = framework_sets(1);
    let cache = dir.path().join("cache");
    let a = microcred(&cache, "512M").arg("cache").assert().success();
    let out = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    assert!(
        out.starts_with(&format!("cache folder: {}\n", cache.display())),
        "{out}"
    );
    assert!(out.contains("no cache files"), "{out}");
    assert!(
        out.contains("total: 0 file(s), 0.0 KiB of at most 512 MiB"),
        "{out}"
    );
    microcred(&cache, "512M")
        .arg("--frameworks")
        .arg(&files[0])
        .args(["search", "skill 7"])
        .assert()
        .success();
    microcred(&cache, "512M")
        .arg("--frameworks")
        .arg(&files[0])
        .args(["suggest", "skill 7"])
        .assert()
        .success();
    let (names, total) = folder(&cache);
    assert_eq!(names.len(), 3, "{names:?}");
    let a = microcred(&cache, "512M").arg("cache").assert().success();
    let out = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    for (prefix, kind) in [
        ("fw-", "parsed framework"),
        ("search-", "search index"),
        ("suggest-", "suggestion index"),
    ] {
        assert!(
            out.lines()
                .any(|l| l.trim_start().starts_with(prefix) && l.contains(kind)),
            "{out}"
        );
    }
    assert!(out.contains("total: 3 file(s), "), "{out}");
    assert!(total > 512 * 1024, "{total}");
    // Someone else's file in the folder is not ours to remove.
    std::fs::write(cache.join("notes.txt"), "mine").expect("write");
    let a = microcred(&cache, "512M")
        .args(["cache", "--clear"])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&a.get_output().stdout).to_string();
    assert!(out.starts_with("removed 3 file(s), "), "{out}");
    assert_eq!(folder(&cache).0, vec!["notes.txt".to_string()]);
    let a = microcred(&cache, "512M").arg("cache").assert().success();
    assert!(String::from_utf8_lossy(&a.get_output().stdout).contains("no cache files"));
    // Turned off: said so.
    let a = microcred(&cache, "512M")
        .env("MICROCRED_NO_CACHE", "1")
        .arg("cache")
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&a.get_output().stdout).contains("turned off"));
}

/// Searching 20 different framework sets (each caching a parsed framework and a search
/// snapshot, some a suggestion snapshot too) with a bound that holds about two sets: after
/// every command the folder is within the bound, and the most recent set is still cached.
#[test]
fn the_cache_folder_never_exceeds_its_bound() {
    let (dir, files) = framework_sets(20);
    let cache = dir.path().join("cache");
    let bound: u64 = 2 << 20;
    let mut largest = 0;
    for (i, f) in files.iter().enumerate() {
        let cmd = if i % 4 == 3 { "suggest" } else { "search" };
        let a = microcred(&cache, "2M")
            .arg("--frameworks")
            .arg(f)
            .args([cmd, &format!("t{i} skill 12")])
            .assert()
            .success();
        let out = String::from_utf8_lossy(&a.get_output().stdout).to_string();
        assert!(out.contains(&format!("set-t{i}:C12")), "{cmd} {i}: {out}");
        let (names, total) = folder(&cache);
        assert!(total <= bound, "after set {i}: {total} bytes in {names:?}");
        assert!(
            names.iter().any(|n| n.starts_with(&format!("{cmd}-"))),
            "set {i}'s {cmd} snapshot is kept: {names:?}"
        );
        largest = largest.max(total);
    }
    // The bound was reached (so eviction was tested), not merely never approached.
    assert!(largest > bound / 2, "{largest}");
}

/// Issue 24, point 9: an unreadable `MICROCRED_CACHE_MAX` is an error naming the variable
/// (before, it was ignored and the default applied), and a lowered bound applies at start:
/// the folder is brought within it before any command runs.
#[test]
fn an_unreadable_bound_is_refused_and_a_lowered_one_applies_at_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = dir.path().join("cache");
    std::fs::create_dir_all(&cache).unwrap();
    for bad in ["-1", "abc", "1E"] {
        let a = microcred(&cache, bad).arg("frameworks").assert().code(2);
        let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
        assert!(
            err.contains("MICROCRED_CACHE_MAX") && err.contains(bad),
            "{bad}: {err}"
        );
    }
    for name in ["fw-a.bin", "fw-b.bin", "search-c.bin"] {
        std::fs::write(cache.join(name), vec![0u8; 100 * 1024]).unwrap();
    }
    microcred(&cache, "150K")
        .arg("frameworks")
        .assert()
        .success();
    let (names, total) = folder(&cache);
    assert!(total <= 150 * 1024, "{names:?}: {total} bytes");
    assert_eq!(names.len(), 1, "{names:?}");
}

/// The editor opens a design through the parsed-design cache (issue 26: parsing the YAML was
/// most of a large design's start): opening one leaves its cached copy in the cache folder.
/// Without a terminal the editor refuses to go on, but only after the design was opened.
#[test]
fn the_editor_opens_a_design_through_the_design_cache() {
    let cache = tempfile::tempdir().expect("tempdir");
    let (_dir, ws) = crate::common::example_copy("retrofit-gaps.yaml");
    let out = microcred(cache.path(), "512M").arg(&ws).assert().failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(err.contains("needs a terminal"), "{err}");
    let (names, _) = folder(cache.path());
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("design-") && n.ends_with(".bin")),
        "{names:?}"
    );
}

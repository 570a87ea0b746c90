//! Saving is atomic: a process killed at any moment of a save leaves the old file or the new
//! one, never a mix; the next save clears the temporary file a killed one left.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn messy_workspace(partners: usize) -> String {
    let mut s = String::from(
        "schema: microcred/workspace@1\ncredential: {title: 'Atomic save test'}\npartners:\n",
    );
    for i in 0..partners {
        s.push_str(&format!(
            "- {{kind: industry, name: 'Partner number {i} with a longer name', id: p{i}}}\n"
        ));
    }
    s
}

fn temps(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "w.yaml")
        .collect()
}

#[test]
fn killing_a_save_at_random_moments_never_leaves_a_broken_file() {
    let bin = assert_cmd::cargo::cargo_bin("microcred");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("w.yaml");
    let old = messy_workspace(2_000);
    std::fs::write(&path, &old).unwrap();
    // The new bytes, and how long one whole save takes.
    let start = Instant::now();
    assert!(
        Command::new(&bin)
            .arg("fmt")
            .arg(&path)
            .stderr(Stdio::null())
            .status()
            .unwrap()
            .success()
    );
    let full = start.elapsed();
    let new = std::fs::read(&path).unwrap();
    assert_ne!(new, old.as_bytes());

    // A fixed xorshift sequence: random moments, the same on every run.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |bound: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % bound.max(1)
    };
    let (mut saw_old, mut saw_new) = (0, 0);
    for _ in 0..200 {
        std::fs::write(&path, &old).unwrap();
        let mut child = Command::new(&bin)
            .arg("fmt")
            .arg(&path)
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let wait = next(full.as_micros() as u64 * 11 / 10);
        std::thread::sleep(Duration::from_micros(wait));
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read(&path).unwrap();
        if now == old.as_bytes() {
            saw_old += 1;
        } else if now == new {
            saw_new += 1;
        } else {
            panic!(
                "the file is neither the old nor the new document ({} bytes)",
                now.len()
            );
        }
    }
    // Both outcomes happened: the kills really landed before and after the rename.
    assert!(saw_old > 0 && saw_new > 0, "old {saw_old}, new {saw_new}");
    // The next save clears what killed saves left behind.
    std::fs::write(&path, &old).unwrap();
    assert!(
        Command::new(&bin)
            .arg("fmt")
            .arg(&path)
            .stderr(Stdio::null())
            .status()
            .unwrap()
            .success()
    );
    assert_eq!(temps(dir.path()), Vec::<String>::new());
    assert_eq!(std::fs::read(&path).unwrap(), new);
}

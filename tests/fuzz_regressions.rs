//! The fuzz targets (`fuzz/`) on their seed corpus and on every crash they ever found
//! (`fuzz/regressions/TARGET/`), in plain `cargo test`.

use std::path::Path;

fn run(target: &str, f: fn(&[u8])) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut n = 0;
    for dir in [
        root.join("corpus").join(target),
        root.join("regressions").join(target),
    ] {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in rd.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('.')
                || (dir.ends_with(target)
                    && dir.parent().is_some_and(|p| p.ends_with("corpus"))
                    && !name.starts_with("seed-"))
            {
                continue;
            }
            let bytes = std::fs::read(e.path()).unwrap();
            f(&bytes);
            n += 1;
        }
    }
    assert!(n > 0, "no inputs for {target}");
}

#[test]
fn framework_target() {
    run("framework", microcred::fuzzing::framework);
}

#[test]
fn workspace_target() {
    run("workspace", microcred::fuzzing::workspace);
}

#[test]
fn keymap_target() {
    run("keymap", microcred::fuzzing::keymap);
}

#[test]
fn keys_target() {
    run("keys", microcred::fuzzing::keys);
}

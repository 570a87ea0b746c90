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

#[test]
fn people_target() {
    run("people", microcred::fuzzing::people);
}

#[test]
fn esco_target() {
    run("esco", microcred::fuzzing::esco);
}

#[test]
fn case_target() {
    run("case", microcred::fuzzing::case);
}

#[test]
fn terminal_target() {
    run("terminal", microcred::fuzzing::terminal);
}

#[test]
fn form_target() {
    run("form", microcred::fuzzing::form);
}

/// The form seeds do what they were written for: seed-1 adds a need from typed and pasted
/// text, seed-2 saves a credential whose title and summary were filled by 640 KB pastes.
#[test]
fn form_seeds_reach_the_document() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/form");
    let read = |n: &str| std::fs::read(root.join(n)).unwrap();
    let app = microcred::fuzzing::form_session(&read("seed-1")).unwrap();
    let need = app.ws.needs.last().unwrap();
    // The statement is a multi-line field: the pasted line break stays, and C-a goes to the
    // start of the line the cursor is on (the pasted one).
    assert_eq!(
        need.statement,
        "Crews read plans and\nSite site drawings[31m"
    );
    let app = microcred::fuzzing::form_session(&read("seed-2")).unwrap();
    let c = &app.ws.credential;
    let title = c.title.as_deref().unwrap_or("");
    assert_eq!(title.chars().count(), 200, "{title}");
    assert!(
        title.starts_with("Retail Data Analystmicro-credential"),
        "{title}"
    );
    let summary = c.summary.as_deref().unwrap_or("");
    let n = summary.chars().count();
    assert_eq!(n, 4999, "the field's 5000, less one Backspace");
    // The summary is a multi-line field: the pasted line breaks stay, tabs become spaces.
    assert!(
        summary.contains("line\nbreak tabs line\nbreak"),
        "{summary:.80}"
    );
}

/// The seeds are real inputs, not only rejections: each reader accepts its first seed.
#[test]
fn first_seeds_are_accepted() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let read = |t: &str| std::fs::read(root.join(t).join("seed-1")).unwrap();
    let cat = microcred::catalog::Catalog::embedded().unwrap();
    let ws = microcred::document::workspace_from_str(
        include_str!("../../examples/retrofit-gaps.yaml"),
        "ex.yaml",
        &cat,
    )
    .unwrap()
    .workspace;
    let people = String::from_utf8(read("people")).unwrap();
    microcred::serve::people::People::from_str(&people, "people", &ws).unwrap();
    let opts = microcred::import::esco::Options::default();
    let fw = microcred::import::esco::import(&read("esco"), "esco", &opts, &mut |_| {}).unwrap();
    assert_eq!(fw.competencies.len(), 2);
    let fw = microcred::import::case::import(&read("case"), "case", None).unwrap();
    assert_eq!(fw.competencies.len(), 3);
    let evs = microcred::serve::input::Decoder::new().feed(&read("terminal"));
    assert!(evs.len() >= 10, "{evs:?}");
}

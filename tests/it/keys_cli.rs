//! `microcred keys` and the README's key table: both come from the one keymap.

use assert_cmd::Command;

fn microcred() -> Command {
    let mut c = Command::cargo_bin("microcred").unwrap();
    c.env_remove("MICROCRED_KEYMAP")
        .env("XDG_CONFIG_HOME", "/nonexistent-microcred-test");
    c
}

#[test]
fn the_readme_key_table_is_the_keymap() {
    let out = microcred()
        .args(["keys", "--default", "--format", "markdown"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let table = String::from_utf8(out.stdout).unwrap();
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("<!-- keys:start -->\n").expect("start marker") + 20;
    let end = readme.find("<!-- keys:end -->").expect("end marker");
    assert_eq!(
        &readme[start..end],
        table,
        "README's key table differs from `microcred keys --default --format markdown`: regenerate it"
    );
}

#[test]
fn keys_lists_every_command_and_applies_the_keymap_file() {
    let dir = tempfile::tempdir().unwrap();
    let km = dir.path().join("keymap.yaml");
    std::fs::write(&km, "bindings:\n  - { key: ctrl-q, command: quit }\n").unwrap();
    let out = microcred()
        .env("MICROCRED_KEYMAP", &km)
        .arg("keys")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for cmd in microcred::tui::keys::Cmd::ALL {
        assert!(
            text.lines()
                .any(|l| l.split_whitespace().any(|w| w == cmd.name())),
            "{} missing",
            cmd.name()
        );
    }
    assert!(
        text.lines()
            .any(|l| l.starts_with("global") && l.contains("C-q") && l.contains(" quit ")),
        "{text}"
    );
}

#[test]
fn a_wrong_command_name_gets_the_whole_list_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let km = dir.path().join("keymap.yaml");
    std::fs::write(
        &km,
        "bindings:\n  - { key: n, command: add-need, context: needs }\n  - { key: x, command: fly, context: nowhere }\n",
    )
    .unwrap();
    let out = microcred()
        .env("MICROCRED_KEYMAP", &km)
        .arg("keys")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("keymap.yaml:3:"), "{err}");
    assert!(err.contains("`fly` is not a command"), "{err}");
    assert!(err.contains("`nowhere` is not a context"), "{err}");
    for cmd in microcred::tui::keys::Cmd::ALL {
        assert!(
            err.contains(cmd.name()),
            "{} missing from: {err}",
            cmd.name()
        );
    }
    assert!(!err.contains("more characters"), "{err}");
}

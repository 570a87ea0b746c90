//! The keymap's unit tests.

use super::*;

#[test]
fn every_command_has_a_unique_name_that_parses_back() {
    for c in Cmd::ALL {
        assert_eq!(Cmd::from_name(c.name()), Some(*c));
        assert!(!c.label().is_empty());
    }
    let mut names: Vec<_> = Cmd::ALL.iter().map(|c| c.name()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), Cmd::ALL.len());
}

#[test]
fn no_built_in_key_is_bound_twice_in_one_context() {
    for (i, a) in BINDINGS.iter().enumerate() {
        for b in &BINDINGS[i + 1..] {
            assert!(
                !(a.context == b.context && same_key(a, b.key, b.mods)),
                "{} bound twice in {}",
                a.key_text(),
                a.context.name()
            );
        }
    }
}

#[test]
fn aliases_name_real_commands_and_do_not_clash_with_names() {
    for (alias, _) in PALETTE_ALIASES {
        assert!(Cmd::from_name(alias).is_none(), "{alias} is a command name");
    }
}

#[test]
fn modals_do_not_fall_back_to_global_keys() {
    let k = Keymap::default();
    let q = KeyEvent::new(KeyCode::Char('u'), KeyModifiers::NONE);
    assert_eq!(k.lookup(Context::Needs, &q), Some(Cmd::Undo));
    assert_eq!(k.lookup(Context::Form, &q), None);
    assert_eq!(k.lookup(Context::Finder, &q), None);
}

#[test]
fn an_override_moves_the_key_in_hints() {
    let k = Keymap::parse(
        "bindings:\n  - { key: ctrl-a, command: add-partner, context: needs }\n",
        "k.yaml",
    )
    .unwrap();
    assert_eq!(k.key_for(Context::Needs, Cmd::AddPartner), "C-a");
    assert_eq!(k.keys_for(Context::Needs, Cmd::AddPartner), ["C-a", "P"]);
}

#[test]
fn a_bad_command_lists_every_command() {
    let e = Keymap::parse("bindings:\n  - { key: n, command: fly }\n", "k.yaml")
        .unwrap_err()
        .to_string();
    assert!(e.contains("k.yaml:2:"), "{e}");
    for c in Cmd::ALL {
        assert!(e.contains(c.name()), "{} missing from: {e}", c.name());
    }
}

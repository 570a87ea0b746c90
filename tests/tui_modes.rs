//! Every mode of the editor, for each role, at 80×24 and 120×40: what a designer, a partner
//! and a viewer see (and which keys they are offered) in each, as insta snapshots. A mode a
//! role may not open shows the refusal instead, which is what that person sees.

use crossterm::event::KeyCode;
use microcred::edit::{Actor, Role};
use microcred::tui::app::{App, Modal};
use microcred::tui::keys::{Access, Cmd};

mod common;

use common::screen::{hub, key, keys, screen, session};

fn roles() -> [(&'static str, Actor); 3] {
    [
        ("designer", Actor::designer("Dana")),
        (
            "partner",
            Actor {
                name: "Sam at Brightwater".into(),
                role: Role::Partner("brightwater-mechanical".into()),
            },
        ),
        (
            "viewer",
            Actor {
                name: "Vic".into(),
                role: Role::Viewer,
            },
        ),
    ]
}

/// Each mode and the keys that open it from the start screen (N1 selected, needs pane).
const MODES: &[(&str, &[&str])] = &[
    ("needs", &[]),
    ("mappings", &["Tab"]),
    ("gaps", &["Tab", "Tab"]),
    ("matrix", &["M"]),
    ("help", &["?"]),
    ("palette", &[":"]),
    ("messages", &[":", "messages", "Enter"]),
    // N4 (Brightwater's, the partner's own) selected for the need form and the question.
    ("form", &["j", "j", "j", "j", "j", "e"]),
    ("confirm", &["j", "j", "j", "j", "j", "d"]),
    ("finder", &["/", "heat"]),
    ("browser", &["b", "Enter"]),
    ("activity", &["A"]),
    ("partners", &["O"]),
    ("vote", &["V"]),
];

fn press(app: &mut App, k: &str) {
    match k {
        "Tab" => key(app, KeyCode::Tab),
        "Enter" => key(app, KeyCode::Enter),
        word => keys(app, word),
    }
}

#[test]
fn every_mode_for_every_role_at_both_sizes() {
    for (role, actor) in roles() {
        for (w, h) in [(80u16, 24u16), (120, 40)] {
            for (mode, seq) in MODES {
                let hub = hub("retrofit-gaps.yaml");
                let mut app = session(&hub, actor.clone(), w, h);
                for k in *seq {
                    press(&mut app, k);
                }
                // The finder searches in steps: let it finish before drawing.
                while app.busy() {
                    app.idle();
                }
                insta::assert_snapshot!(format!("{mode}_{role}_{w}x{h}"), screen(&app));
            }
        }
    }
}

/// No role is offered a key it may not use, in any pane's hint bar or in help; and every key
/// it is refused says why without opening anything.
#[test]
fn hints_and_help_offer_only_what_the_role_may_do() {
    for (role, actor) in roles() {
        let hub = hub("retrofit-gaps.yaml");
        let mut app = session(&hub, actor.clone(), 200, 60);
        for _pane in 0..3 {
            for b in app.context_keys() {
                assert!(
                    app.permits(b.cmd).is_ok(),
                    "{role} is offered {} ({})",
                    b.key_text(),
                    b.cmd.name()
                );
            }
            key(&mut app, KeyCode::Tab);
        }
        key(&mut app, KeyCode::Char('?'));
        let help = microcred::tui::view::help_lines(&app)
            .iter()
            .map(|l| l.to_string())
            .collect::<Vec<_>>()
            .join("\n");
        key(&mut app, KeyCode::Esc);
        for cmd in Cmd::ALL {
            let listed = help
                .lines()
                .any(|l| l.split_whitespace().last() == Some(cmd.name()));
            if listed {
                assert!(app.role_allows(*cmd), "{role}: help lists {}", cmd.name());
            }
            if role == "viewer" && cmd.access() != Access::Read {
                // Refused at once, with the reason, and nothing opens.
                let before = app.ws.clone();
                app.run(*cmd);
                assert!(
                    app.status.error && app.status.text.contains("Viewers follow the design"),
                    "{}: {:?}",
                    cmd.name(),
                    app.status
                );
                assert!(
                    !matches!(app.front(), Some(Modal::Form(_) | Modal::Confirm(_))),
                    "{} opened something",
                    cmd.name()
                );
                app.close_layers();
                assert_eq!(app.ws, before);
            }
        }
    }
}

/// In the compact layout the tab labels are clickable, and 1/2/3 (or what the keymap says)
/// pick them too.
#[test]
fn compact_tabs_answer_clicks_and_number_keys() {
    use crossterm::event::{Event, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    use microcred::tui::layout::Focus;
    let hub = hub("retrofit-gaps.yaml");
    let mut app = session(&hub, Actor::designer("Dana"), 80, 24);
    let s = screen(&app);
    let row = s.lines().next().expect("tab row");
    for (label, focus) in [
        ("Gaps", Focus::Gaps),
        ("Mappings", Focus::Mappings),
        ("Needs", Focus::Needs),
    ] {
        let col = row.find(label).expect(label);
        let col = row[..col].chars().count() as u16;
        app.handle(Event::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: col,
            row: 0,
            modifiers: KeyModifiers::NONE,
        }));
        assert_eq!(app.focus, focus, "click on {label}");
    }
    for (k, focus) in [
        ('3', Focus::Gaps),
        ('2', Focus::Mappings),
        ('1', Focus::Needs),
    ] {
        key(&mut app, KeyCode::Char(k));
        assert_eq!(app.focus, focus);
    }
    // h and l move between panes too.
    key(&mut app, KeyCode::Char('l'));
    assert_eq!(app.focus, Focus::Mappings);
    key(&mut app, KeyCode::Right);
    assert_eq!(app.focus, Focus::Gaps);
    key(&mut app, KeyCode::Char('h'));
    assert_eq!(app.focus, Focus::Mappings);
}

#[path = "../examples/gen_design/lib.rs"]
#[allow(dead_code)]
mod generator;

/// On a big design only the rows near the selection are laid out: moving through hundreds of
/// needs and gap lines always shows the selected one, at the top, the middle and the end.
#[test]
fn a_big_design_always_shows_the_selection() {
    let cat = microcred::catalog::Catalog::embedded().expect("catalog");
    let ws = generator::generate(
        &cat,
        &generator::Options {
            size: 0.25,
            seed: 1,
            files_only: false,
        },
    )
    .workspace;
    let hub = microcred::document::Hub::new(ws, std::sync::Arc::new(cat), None);
    let mut app = session(&hub, Actor::designer("Dana"), 120, 40);
    for step in 0..300 {
        if step % 37 == 0 {
            let id = app.selected_need().expect("a need").id.clone();
            let s = screen(&app);
            assert!(
                s.contains(&format!(" {id} ")),
                "step {step}: {id} not shown:\n{s}"
            );
        }
        key(&mut app, KeyCode::Char('j'));
    }
    key(&mut app, KeyCode::Char('G'));
    let last = app.selected_need().expect("a need").id.clone();
    assert!(screen(&app).contains(&format!(" {last} ")));
    // The gap list too.
    key(&mut app, KeyCode::Char('3'));
    for _ in 0..200 {
        key(&mut app, KeyCode::Char('j'));
    }
    let line = app.gap_lines[app.gap_sel].text.clone();
    let head: String = line.chars().take(12).collect();
    assert!(screen(&app).contains(&head), "{head} not shown");
}

/// A message too long for the status bar takes the hint line too, keeps the file's name and
/// state in view, says where to read it whole, and the log keeps it whole.
#[test]
fn a_long_message_is_never_cut_without_a_way_to_read_it() {
    let hub = hub("retrofit-gaps.yaml");
    let mut app = session(&hub, Actor::designer("Dana"), 80, 24);
    let long = format!("Not saved: {}", "the disk said no; ".repeat(20));
    app.error(long.clone());
    let s = screen(&app);
    let bottom: Vec<&str> = s.lines().rev().take(2).collect();
    assert!(bottom[0].contains("retrofit-gaps.yaml"), "{s}");
    assert!(bottom[0].contains("(:messages to read all)"), "{s}");
    assert!(bottom[1].starts_with("Not saved: the disk said no;"), "{s}");
    assert_eq!(
        app.messages.back().map(|m| m.text.clone()),
        Some(long.clone())
    );
    keys(&mut app, ":messages");
    key(&mut app, KeyCode::Enter);
    let s = screen(&app);
    assert!(s.contains("Messages (1)"), "{s}");
    assert!(s.matches("the disk said no;").count() >= 20, "{s}");
}

/// Issue 25, point 8: help at 80×24 (78 columns inside its frame) keeps every command's name
/// last on its key's line: no line is wider than the pane, so none wraps; the wide layout
/// (one line per key at any width) would not fit.
#[test]
fn help_at_80_columns_keeps_command_names_on_their_lines() {
    let hub = hub("retrofit-gaps.yaml");
    let app = session(&hub, Actor::designer("dee"), 80, 24);
    let width = |l: &ratatui::text::Line| l.width();
    let names: std::collections::HashSet<&str> = Cmd::ALL.iter().map(|c| c.name()).collect();
    let key_line = |l: &ratatui::text::Line| {
        l.to_string()
            .split_whitespace()
            .last()
            .is_some_and(|w| names.contains(w))
    };
    let wide = microcred::tui::view::help_lines(&app);
    assert!(
        wide.iter().any(|l| key_line(l) && width(l) > 78),
        "the wide layout fits"
    );
    let narrow = microcred::tui::view::help_lines_for(&app, 78);
    for l in narrow.iter().filter(|l| key_line(l)) {
        assert!(width(l) <= 78, "{:?} is {} wide", l.to_string(), width(l));
    }
    for cmd in Cmd::ALL {
        let on_a_key_line = |lines: &[ratatui::text::Line]| {
            lines
                .iter()
                .any(|l| l.to_string().split_whitespace().last() == Some(cmd.name()))
        };
        assert_eq!(
            on_a_key_line(&wide),
            on_a_key_line(&narrow),
            "{}",
            cmd.name()
        );
    }
}

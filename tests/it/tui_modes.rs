//! Every mode of the editor, for each role, at 80×24 and 120×40: what a designer, a partner
//! and a viewer see (and which keys they are offered) in each, asserted text by text (see
//! [`SEEN`]). A mode a role may not open shows the refusal instead, which is what that person
//! sees.

use crossterm::event::KeyCode;
use microcred::edit::{Actor, Role};
use microcred::tui::app::{App, Modal};
use microcred::tui::keys::{Access, Cmd};

use crate::common;

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

/// Where a text of [`SEEN`] is looked for.
#[derive(Debug, Clone, Copy, PartialEq)]
enum At {
    /// Anywhere on the screen.
    Screen,
    /// The hint line (the keys the focused pane or the dialog in front offers).
    Hint,
    /// The last two lines: a status message takes the hint line when it is too long for one.
    Bottom,
}
use At::*;

/// What each mode shows each role (`"*"`: every role), at both sizes: (mode, role, where,
/// text, whether it is there). The main panes' content; each dialog's title; the keys offered
/// in the hint line, which differ by role; the refusal a role gets instead of a dialog it may
/// not open (a viewer changes nothing, a partner cannot delete a need that has mappings).
#[rustfmt::skip]
const SEEN: &[(&str, &str, At, &str, bool)] = &[
    ("needs", "*", Screen, "│Coastline Home Energy Services", true),
    ("needs", "*", Screen, "● MUST  N1 Technicians complete a", true),
    ("needs", "*", Screen, "○ MUST  N4 Install and commission", true),
    ("needs", "*", Screen, "Harbourview Polytechnic", true),
    ("needs", "*", Screen, "no needs yet", true),
    ("needs", "designer", Hint, "a add need · e edit need · d delete need · m map need", true),
    ("needs", "designer", Screen, "no needs yet (a adds one)", true),
    ("needs", "partner", Hint, "a add need · Tab next pane", true),
    ("needs", "partner", Screen, "no needs yet (a adds one)", true),
    ("needs", "partner", Hint, "e edit need", false),
    ("needs", "partner", Hint, "d delete need", false),
    ("needs", "viewer", Hint, "Tab next pane · ] next need to work on", true),
    ("needs", "viewer", Hint, "a add need", false),
    ("needs", "viewer", Screen, "(a adds one)", false),
    ("mappings", "*", Screen, "┌Mappings of N1 · ✓ agreed ? proposed ! dis", true),
    ("mappings", "*", Screen, "✓ agreed   Conduct energy audits", true),
    ("mappings", "*", Screen, "required 3 · target 3", true),
    ("mappings", "designer", Hint, "y agree · x dispute · r reject", true),
    ("mappings", "partner", Hint, "Tab next pane · ]", true),
    ("mappings", "partner", Hint, "y agree", false),
    ("mappings", "partner", Hint, "x dispute", false),
    ("mappings", "viewer", Hint, "Tab next pane · ]", true),
    ("mappings", "viewer", Hint, "y agree", false),
    ("gaps", "*", Screen, "coverage 69.6% (weighted)", true),
    ("gaps", "*", Screen, "7/10 needs covered · 2 critical", true),
    ("gaps", "*", Screen, "Critical needs (2)", true),
    ("gaps", "*", Screen, "! N4 Install and commission", true),
    ("gaps", "designer", Hint, "Enter open / jump to it · C edit cred", true),
    ("gaps", "partner", Hint, "Enter open / jump to it · S sign off", true),
    ("gaps", "partner", Hint, "C edit credential", false),
    ("gaps", "viewer", Hint, "Enter open / jump to it", true),
    ("gaps", "viewer", Hint, "S sign off", false),
    ("gaps", "viewer", Hint, "C edit credential", false),
    ("matrix", "*", Screen, "┌Needs × competencies · cell: target/required and status", true),
    ("matrix", "*", Screen, "N1      3/3 ✓", true),
    ("matrix", "*", Hint, "M/Esc back to the panes", true),
    ("matrix", "*", Screen, "Mappings of N1", false),
    ("help", "*", Screen, "┌Help · ↓ scroll · Esc close", true),
    ("help", "*", Screen, "Everywhere on the main screen", true),
    ("help", "designer", Screen, "keys that change it are not listed", false),
    ("help", "designer", Screen, "designers' keys are not listed", false),
    ("help", "partner", Screen, "As a partner you add and edit your organisation's needs and review their", true),
    ("help", "viewer", Screen, "You follow the design as a viewer: keys that change it are not listed.", true),
    ("palette", "*", Screen, "┌Commands · :w :q :wq :q! work too", true),
    ("palette", "*", Hint, "Enter run · Esc close", true),
    ("messages", "*", Screen, "┌Messages (0) · newest last", true),
    ("form", "designer", Screen, "┌Edit need N4 · Enter save", true),
    ("form", "designer", Hint, "Enter/C-s save · Esc cancel", true),
    ("form", "partner", Screen, "┌Edit need N4 · Enter save", true),
    ("form", "partner", Hint, "Enter/C-s save · Esc cancel", true),
    ("form", "viewer", Bottom, "Viewers follow the design; ask a designer to change it.", true),
    ("form", "viewer", Screen, "Edit need", false),
    ("confirm", "designer", Screen, "┌Delete need N4", true),
    ("confirm", "designer", Hint, "Enter choose · y yes · n no · Esc cancel", true),
    ("confirm", "partner", Bottom, "N4 has mappings; ask a designer to remove it with them.", true),
    ("confirm", "partner", Screen, "Delete need", false),
    ("confirm", "viewer", Bottom, "Viewers follow the design; ask a designer to change it.", true),
    ("confirm", "viewer", Screen, "Delete need", false),
    ("finder", "designer", Screen, "┌Add a competency to the credential · type to search", true),
    ("finder", "designer", Screen, "Search competencies", false),
    ("finder", "partner", Screen, "┌Search competencies · type to search · Esc close", true),
    ("finder", "partner", Screen, "Add a competency", false),
    ("finder", "viewer", Screen, "┌Search competencies · type to search · Esc close", true),
    ("finder", "viewer", Screen, "Add a competency", false),
    ("finder", "*", Screen, "search> heat", true),
    ("finder", "*", Screen, "36 match(es)", true),
    ("finder", "*", Screen, "Install and commission heat", true),
    ("finder", "*", Screen, "┌Competency", true),
    ("browser", "*", Screen, "┌Frameworks · → column · ↓ move down · Enter open / add · Esc close", true),
    ("activity", "*", Bottom, "No changes yet in this session of the design.", true),
    ("partners", "designer", Screen, "┌Partners · Enter edit", true),
    ("partners", "designer", Hint, "d/Del delete", true),
    // Partners and viewers only look at the list: no keys to change it (issue 25).
    ("partners", "partner", Screen, "┌Partners · Esc close", true),
    ("partners", "partner", Hint, "delete", false),
    ("partners", "partner", Hint, "edit", false),
    ("partners", "viewer", Screen, "┌Partners · Esc close", true),
    ("partners", "viewer", Hint, "a add", false),
    ("partners", "*", Screen, "Brightwater Mechanical", true),
    ("vote", "*", Screen, "No vote yet. A designer opens one (o)", true),
    ("vote", "*", Screen, "N10 ", true),
    ("vote", "designer", Screen, "┌Dot vote · o open a vote · Esc close", true),
    ("vote", "designer", Hint, "+/Space place a dot · -/x take a dot back · f dots for another partner", true),
    ("vote", "partner", Screen, "┌Dot vote · Esc close", true),
    ("vote", "partner", Hint, "+/Space place a dot · -/x take a dot back · Esc/q close", true),
    ("vote", "partner", Hint, "o open a vote", false),
    ("vote", "partner", Hint, "f dots for another partner", false),
    ("vote", "viewer", Screen, "┌Dot vote · Esc close", true),
    ("vote", "viewer", Hint, "Esc/q close · ↓/j move down", true),
    ("vote", "viewer", Hint, "place a dot", false),
];

/// Every mode for every role at both sizes: the screen fits, the status line names the file
/// and the person, the layout is the compact one (tabs) at 80×24 and three panes side by side
/// at 120×40, and everything [`SEEN`] lists for the mode and the role is there (or not).
#[test]
fn every_mode_for_every_role_at_both_sizes() {
    let mut checked = 0;
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
                let s = screen(&app);
                let at = format!("{mode}, {role}, {w}x{h}:\n{s}");
                let lines: Vec<&str> = s.lines().collect();
                assert_eq!(lines.len(), usize::from(h), "{at}");
                assert!(
                    lines.iter().all(|l| l.chars().count() <= usize::from(w)),
                    "{at}"
                );
                let (hint, status) = (lines[lines.len() - 2], lines[lines.len() - 1]);
                assert!(status.contains("retrofit-gaps.yaml"), "{at}");
                assert!(status.contains(actor.name.as_str()), "{at}");
                if w == 80 {
                    assert!(
                        lines[0].starts_with(" 1 Needs   2 Mappings   3 Gaps   Coverage 70%"),
                        "{at}"
                    );
                } else if *mode != "matrix" {
                    for pane in [
                        "┌Needs (10) · ● covered",
                        "┌Mappings of N",
                        "┌Gaps (18) · Enter jumps to the fix",
                    ] {
                        assert!(lines[0].contains(pane), "{pane}: {at}");
                    }
                }
                let bottom = format!("{hint}\n{status}");
                let mut found = 0;
                for (m, r, place, text, there) in SEEN {
                    if m != mode || (*r != "*" && *r != role) {
                        continue;
                    }
                    let hay = match place {
                        Screen => s.as_str(),
                        Hint => hint,
                        Bottom => bottom.as_str(),
                    };
                    assert_eq!(
                        hay.contains(text),
                        *there,
                        "{place:?} {} {text:?}: {at}",
                        if *there { "lacks" } else { "shows" }
                    );
                    found += 1;
                }
                assert!(found > 0, "nothing expected of {mode} for {role}");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 3 * 2 * MODES.len());
}

/// No role is offered a key it may not use, in any pane's hint bar or in help; and every key
/// it is refused says why without opening anything.
#[test]
fn hints_and_help_offer_only_what_the_role_may_do() {
    for (role, actor) in roles() {
        let hub = hub("retrofit-gaps.yaml");
        let mut app = session(&hub, actor.clone(), 200, 60);
        for _pane in 0..3 {
            for (b, _) in app.context_keys() {
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

use crate::generator;

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

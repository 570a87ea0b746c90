//! The TUI through `App::handle` and ratatui's TestBackend: screens as insta snapshots, flows
//! as key sequences with their effect on the document and the gap panes.

use std::path::PathBuf;
use std::sync::Arc;

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use microcred::catalog::Catalog;
use microcred::edit::Actor;
use microcred::model::{MappingStatus, Workspace};
use microcred::tui::app::{App, Effect, Modal, View};
use microcred::tui::layout::Focus;
use microcred::tui::theme::{Theme, ThemeKind};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::common;

use common::screen::{example, screen};

fn app(name: &str, w: u16, h: u16) -> App {
    let (ws, cat) = example(name);
    let mut app = App::new(
        ws,
        cat,
        Some(PathBuf::from(format!("examples/{name}"))),
        Actor::designer("dana"),
    )
    .with_clock("2026-11-28T10:00:00Z");
    app.theme = Theme {
        kind: ThemeKind::Mono,
    };
    app.size = (w, h);
    app
}

fn key(app: &mut App, code: KeyCode) -> Option<Effect> {
    app.handle(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn ctrl(app: &mut App, c: char) -> Option<Effect> {
    app.handle(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )))
}

fn keys(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c));
    }
}

/// The complete example covers every need. (Both examples' main screens at both sizes are
/// the snapshots of `snapshots_of_each_example_at_both_sizes`.)
#[test]
fn main_screen_complete_example() {
    let a = app("retail-data-analyst.yaml", 120, 40);
    let s = screen(&a);
    assert!(s.contains("coverage 100.0%"), "{s}");
}

#[test]
fn compact_layout_at_80x24_keeps_every_pane_reachable() {
    let mut a = app("retrofit-gaps.yaml", 80, 24);
    let needs = screen(&a);
    assert!(
        needs.contains("1 Needs") && needs.contains("Needs (10)"),
        "{needs}"
    );
    key(&mut a, KeyCode::Tab);
    let maps = screen(&a);
    assert!(
        maps.contains("Mappings of N1") && maps.contains("Competency"),
        "{maps}"
    );
    key(&mut a, KeyCode::Tab);
    let gaps = screen(&a);
    assert!(gaps.contains("Critical needs (2)"), "{gaps}");
    insta::assert_snapshot!(gaps);
}

#[test]
fn too_small_says_so() {
    let a = app("retrofit-gaps.yaml", 50, 10);
    let s = screen(&a);
    assert!(
        s.contains("Terminal too small") && s.contains("50×10"),
        "{s}"
    );
}

#[test]
fn tiny_and_zero_sizes_do_not_panic() {
    let mut a = app("retrofit-gaps.yaml", 1, 1);
    screen(&a);
    a.handle(Event::Resize(0, 0));
    let mut t = Terminal::new(TestBackend::new(1, 1)).unwrap();
    t.draw(|f| microcred::tui::view::draw(f, &a)).unwrap();
}

#[test]
fn help_lists_every_key() {
    let mut a = app("retrofit-gaps.yaml", 120, 60);
    key(&mut a, KeyCode::Char('?'));
    // Scroll through the whole overlay, collecting what it shows.
    let mut seen = String::new();
    for _ in 0..20 {
        seen.push_str(&screen(&a));
        key(&mut a, KeyCode::PageDown);
    }
    assert!(a.front().is_some(), "PageDown closed help");
    // The portfolio view's keys are in its own help (tests/it/tui_portfolio.rs).
    let design =
        |b: &&microcred::tui::keys::Binding| b.context != microcred::tui::keys::Context::Portfolio;
    for b in microcred::tui::keys::BINDINGS.iter().filter(design) {
        assert!(
            seen.contains(b.long_label()) && seen.contains(b.cmd.name()),
            "help lacks {} ({})",
            b.long_label(),
            b.cmd.name()
        );
    }
}

#[test]
fn mapping_a_need_from_the_finder_updates_the_gaps_at_once() {
    let mut a = app("retrofit-gaps.yaml", 120, 40);
    let before = a.ws.clone();
    assert!(a.report.critical.contains(&"N9".to_string()));
    // Select N9 (the last need of Northshore): go down until it is selected.
    while a.selected_need().map(|n| n.id.as_str()) != Some("N9") {
        key(&mut a, KeyCode::Char('j'));
    }
    key(&mut a, KeyCode::Char('m'));
    assert!(matches!(a.front(), Some(Modal::Finder(_))));
    keys(&mut a, "combustion");
    let s = screen(&a);
    assert!(s.contains("search> combustion"), "{s}");
    let Some(Modal::Finder(f)) = a.front() else {
        panic!()
    };
    let picked = f.hits.first().expect("a hit").reference.clone();
    key(&mut a, KeyCode::Enter);
    // The mapping form opens on the required level, with the level's descriptor shown.
    let Some(Modal::Form(form)) = a.front() else {
        panic!("no form")
    };
    assert_eq!(form.fields[form.sel].key, "required_level");
    // Nothing is in the design until the form is saved.
    assert_eq!(a.ws, before);
    // The required level starts at the target level, next to it in the form.
    let preset: u32 = form.fields[form.sel].value().parse().expect("a level");
    assert_eq!(form.fields[form.sel + 1].key, "target_level");
    assert_eq!(form.fields[form.sel + 1].value(), preset.to_string());
    key(&mut a, KeyCode::Left);
    let s = screen(&a);
    assert!(s.contains(&format!("‹ {} ›", preset - 1)), "{s}");
    key(&mut a, KeyCode::Enter);
    assert!(a.front().is_none(), "{:?}", a.status);
    let m =
        a.ws.mappings
            .iter()
            .find(|m| m.need == "N9" && m.competency == picked)
            .expect("mapped");
    assert_eq!(m.required_level, Some(preset - 1));
    assert!(
        !a.report.critical.contains(&"N9".to_string()),
        "N9 is still critical"
    );
    assert!(a.dirty);
    // Undo everything: the original document.
    while a.history.undo_len() > 0 {
        ctrl(&mut a, 'z');
    }
    assert_eq!(a.ws, before);
}

#[test]
fn add_partner_and_need_with_text_editing() {
    let mut a = app("retrofit-gaps.yaml", 120, 40);
    key(&mut a, KeyCode::Char('P'));
    keys(&mut a, "acme");
    key(&mut a, KeyCode::Down);
    keys(&mut a, "Acme Retrofits");
    key(&mut a, KeyCode::Enter);
    assert!(a.ws.partner("acme").is_some(), "{:?}", a.status);
    key(&mut a, KeyCode::Char('a'));
    let Some(Modal::Form(f)) = a.front() else {
        panic!()
    };
    assert_eq!(f.fields[f.sel].key, "statement");
    keys(&mut a, "Crews who X");
    key(&mut a, KeyCode::Backspace);
    keys(&mut a, "read drawings");
    ctrl(&mut a, 'a');
    keys(&mut a, "Site ");
    // Pasted text: the statement is a multi-line field, so a line break stays; escape
    // sequences are removed.
    ctrl(&mut a, 'e');
    a.handle(Event::Paste(" and\nplans\u{1b}[31m".into()));
    // ↑ moves to the statement's first line, then (from there) to the partner field.
    key(&mut a, KeyCode::Up);
    key(&mut a, KeyCode::Up);
    key(&mut a, KeyCode::Right);
    key(&mut a, KeyCode::Right);
    key(&mut a, KeyCode::Right);
    key(&mut a, KeyCode::Right);
    key(&mut a, KeyCode::Enter);
    let n = a.ws.needs.last().unwrap();
    assert_eq!(n.statement, "Site Crews who read drawings and\nplans[31m");
    assert_eq!(n.partner, "acme");
    assert_eq!(a.selected_need().unwrap().id, n.id);
    assert!(a.report.needs.iter().any(|g| g.id == n.id));
}

#[test]
fn review_a_mapping_and_comment() {
    let mut a = app("retrofit-gaps.yaml", 120, 40);
    while a.selected_need().map(|n| n.id.as_str()) != Some("N3") {
        key(&mut a, KeyCode::Char('j'));
    }
    key(&mut a, KeyCode::Tab);
    assert_eq!(a.focus, Focus::Mappings);
    assert_eq!(a.report.awaiting_review[0].status, MappingStatus::Disputed);
    key(&mut a, KeyCode::Char('y'));
    let m = a.ws.mappings.iter().find(|m| m.need == "N3").unwrap();
    assert_eq!(m.status, MappingStatus::Agreed);
    assert_eq!(m.agreed_by.as_deref(), Some("dana"));
    // The selection moved on to the next need with a mapping awaiting review: N4's.
    assert_eq!(a.selected_need().unwrap().id, "N4");
    keys(&mut a, "1k");
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Char('c'));
    keys(&mut a, "Sizing is now agreed.");
    key(&mut a, KeyCode::Enter);
    let m = a.selected_mapping().unwrap();
    let c = m.comments.last().unwrap();
    assert_eq!(
        (c.by.as_str(), c.at.as_str(), c.text.as_str()),
        ("dana", "2026-11-28T10:00:00Z", "Sizing is now agreed.")
    );
    assert!(
        a.report
            .awaiting_review
            .iter()
            .all(|r| r.status != MappingStatus::Disputed)
    );
}

#[test]
fn enter_on_a_gap_line_jumps_to_the_fix() {
    let mut a = app("retrofit-gaps.yaml", 120, 40);
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Tab);
    assert_eq!(a.focus, Focus::Gaps);
    while a.gap_lines[a.gap_sel].section != "Missing export elements" {
        key(&mut a, KeyCode::Down);
    }
    key(&mut a, KeyCode::Enter);
    let Some(Modal::Form(f)) = a.front() else {
        panic!("no form")
    };
    assert_eq!(f.fields[f.sel].key, "quality_assurance");
    keys(&mut a, "Reviewed by the program committee");
    key(&mut a, KeyCode::Enter);
    assert!(
        a.report.missing_elements.is_empty(),
        "{:?}",
        a.report.missing_elements
    );
    // A critical need jumps to the need.
    key(&mut a, KeyCode::Char('g'));
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.focus, Focus::Needs);
    assert_eq!(a.selected_need().unwrap().id, "N4");
}

#[test]
fn credential_form_snapshot() {
    let mut a = app("retrofit-gaps.yaml", 120, 40);
    key(&mut a, KeyCode::Char('C'));
    insta::assert_snapshot!(screen(&a));
}

#[test]
fn matrix_view() {
    let mut a = app("retrofit-gaps.yaml", 120, 40);
    key(&mut a, KeyCode::Char('M'));
    assert_eq!(a.view, View::Matrix);
    let s = screen(&a);
    assert!(s.contains("credit") && s.contains("BR-ASSESS-01"), "{s}");
    // The selected cell is named: the need and the competency, name before id.
    assert!(
        s.contains("N1 → Conduct energy audits (BR-ASSESS-01): Technicians"),
        "{s}"
    );
    insta::assert_snapshot!(s);
    for _ in 0..20 {
        key(&mut a, KeyCode::Right);
    }
    assert_eq!(a.matrix_sel.1, a.ws.competencies.len() - 1);
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.view, View::Main);
}

#[test]
fn quitting_with_unsaved_changes_asks_first() {
    let mut a = app("retrofit-gaps.yaml", 120, 40);
    assert_eq!(key(&mut a, KeyCode::Char('q')), Some(Effect::Quit));
    key(&mut a, KeyCode::Char('T'));
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Char('x'));
    keys(&mut a, "too basic");
    key(&mut a, KeyCode::Enter);
    assert!(a.dirty);
    assert_eq!(key(&mut a, KeyCode::Char('q')), None);
    assert!(matches!(a.front(), Some(Modal::Confirm(..))));
    assert_eq!(key(&mut a, KeyCode::Esc), None);
    assert!(a.front().is_none());
    key(&mut a, KeyCode::Char('q'));
    assert_eq!(
        key(&mut a, KeyCode::Char('y')),
        Some(Effect::Save(PathBuf::from("examples/retrofit-gaps.yaml")))
    );
    assert_eq!(
        a.saved(Ok(PathBuf::from("examples/retrofit-gaps.yaml"))),
        Some(Effect::Quit)
    );
}

#[test]
fn viewer_role_is_refused_with_a_reason() {
    let (ws, cat) = example("retrofit-gaps.yaml");
    let mut a = App::new(
        ws.clone(),
        cat,
        None,
        Actor {
            name: "vic".into(),
            role: microcred::edit::Role::Viewer,
        },
    );
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Char('y'));
    assert_eq!(*a.ws, ws);
    assert!(
        a.status.error && a.status.text.contains("Viewers follow the design"),
        "{:?}",
        a.status
    );
}

#[test]
fn mouse_click_selects_and_wheel_scrolls() {
    let mut a = app("retrofit-gaps.yaml", 120, 40);
    let click = |a: &mut App, col, row| {
        a.handle(Event::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: col,
            row,
            modifiers: KeyModifiers::NONE,
        }));
    };
    // Click the screen row that shows N2 (statements wrap, so it is found on the screen).
    let row_of = |a: &App, id: &str| {
        screen(a)
            .lines()
            .position(|l| l.starts_with("│ ") && l.contains(&format!(" {id} ")))
            .expect("on screen") as u16
    };
    let row = row_of(&a, "N2");
    click(&mut a, 5, row);
    assert_eq!(a.selected_need().unwrap().id, "N2");
    // The selected statement is shown in full; a click on its second row selects it too.
    key(&mut a, KeyCode::Char('j'));
    assert_eq!(a.selected_need().unwrap().id, "N5");
    let row = row_of(&a, "N2");
    assert!(
        screen(&a)
            .lines()
            .nth(row as usize + 1)
            .unwrap()
            .starts_with("│     "),
        "N2's statement continues on the next row"
    );
    click(&mut a, 5, row + 1);
    assert_eq!(a.selected_need().unwrap().id, "N2");
    a.handle(Event::Mouse(MouseEvent {
        kind: MouseEventKind::ScrollDown,
        column: 100,
        row: 10,
        modifiers: KeyModifiers::NONE,
    }));
    assert_eq!(a.focus, Focus::Gaps);
    assert_eq!(a.gap_sel, 1);
}

#[test]
fn untitled_workspace_asks_where_to_save() {
    let cat = Arc::new(Catalog::embedded().unwrap());
    let mut a = App::new(Workspace::default(), cat, None, Actor::designer("dana"));
    assert!(a.status.text.contains("untitled"));
    assert_eq!(key(&mut a, KeyCode::Char('s')), None);
    let Some(Modal::Form(_)) = a.front() else {
        panic!()
    };
    ctrl(&mut a, 'u');
    keys(&mut a, "new.yaml");
    assert_eq!(
        key(&mut a, KeyCode::Enter),
        Some(Effect::Save(PathBuf::from("new.yaml")))
    );
}

#[test]
fn export_writes_beside_the_saved_workspace_or_says_why_not() {
    use microcred::export::Format;
    let usual = [Format::Yaml, Format::Ob3, Format::Markdown];
    let mut a = app("retail-data-analyst.yaml", 120, 40);
    let files = a
        .export_files(&usual)
        .expect("the complete example exports");
    let names: Vec<String> = files.iter().map(|(p, _)| p.display().to_string()).collect();
    assert_eq!(
        names,
        [
            "examples/retail-data-analyst.spec.yaml",
            "examples/retail-data-analyst.ob3.json",
            "examples/retail-data-analyst.md"
        ]
    );
    assert!(String::from_utf8_lossy(&files[0].1).contains("schema: microcred/spec@1"));
    // X offers every format, each saying what its registry still needs; Enter takes the usual
    // three, and a format chosen alone is exported alone.
    assert_eq!(key(&mut a, KeyCode::Char('X')), None);
    let s = screen(&a);
    assert!(s.contains("Export beside the workspace"), "{s}");
    assert_eq!(
        key(&mut a, KeyCode::Enter),
        Some(Effect::Export(usual.to_vec()))
    );
    key(&mut a, KeyCode::Char('X'));
    key(&mut a, KeyCode::Right);
    key(&mut a, KeyCode::Right);
    assert_eq!(
        key(&mut a, KeyCode::Enter),
        Some(Effect::Export(vec![Format::Ob3]))
    );
    let mut gaps = app("retrofit-gaps.yaml", 120, 40);
    let err = gaps.export_files(&usual).unwrap_err();
    assert!(
        err.contains("must be fixed before the YAML spec can be exported"),
        "{err}"
    );
    key(&mut gaps, KeyCode::Char('X'));
    assert!(
        screen(&gaps).contains("4 blocker(s) first"),
        "{}",
        screen(&gaps)
    );
    key(&mut gaps, KeyCode::Esc);
    gaps.exported(Err(err));
    assert!(gaps.status.error && screen(&gaps).contains("Not exported"));
}

#[test]
fn two_sessions_on_one_hub_see_each_others_changes() {
    let (ws, cat) = example("retrofit-gaps.yaml");
    let hub = microcred::document::hub::Hub::new(ws, cat, None);
    let mut dana = App::with_hub(hub.clone(), Actor::designer("dana"));
    let mut lee = App::with_hub(
        hub.clone(),
        Actor {
            name: "lee".into(),
            role: microcred::edit::Role::Partner("brightwater-mechanical".into()),
        },
    );
    while dana.selected_need().map(|n| n.id.as_str()) != Some("N3") {
        key(&mut dana, KeyCode::Char('j'));
    }
    key(&mut dana, KeyCode::Tab);
    key(&mut dana, KeyCode::Char('y'));
    assert!(
        !lee.ws
            .mappings
            .iter()
            .any(|m| m.need == "N3" && m.status == MappingStatus::Agreed)
    );
    assert!(lee.sync());
    assert!(
        lee.ws
            .mappings
            .iter()
            .any(|m| m.need == "N3" && m.status == MappingStatus::Agreed)
    );
    assert_eq!(lee.report.coverage_percent, dana.report.coverage_percent);
    // Each session undoes its own changes.
    key(&mut lee, KeyCode::Char('u'));
    assert!(
        lee.status.text.contains("Nothing to undo"),
        "{:?}",
        lee.status
    );
    key(&mut dana, KeyCode::Char('u'));
    assert!(lee.sync());
    assert_eq!(lee.ws, dana.ws);
}

/// The finder takes fzf's extended query as it is typed: terms in any order, punctuation
/// ignored, `!` leaving competencies out; backspacing widens the results again.
#[test]
fn the_finder_matches_terms_in_any_order_as_typed() {
    let mut a = app("retrofit-gaps.yaml", 120, 40);
    key(&mut a, KeyCode::Char('m'));
    let refs = |a: &App| match a.front() {
        Some(Modal::Finder(f)) => f.hits.iter().map(|h| h.reference.clone()).collect(),
        _ => Vec::<String>::new(),
    };
    let hvac = "building-retrofit:BR-HVAC-02".to_string();
    keys(&mut a, "mini split");
    assert_eq!(refs(&a).first(), Some(&hvac));
    let Some(Modal::Finder(f)) = a.front() else {
        panic!("the finder closed")
    };
    assert_eq!(f.hits[0].via.as_deref(), Some("ductless mini-split"));
    assert!(screen(&a).contains("search> mini split"));
    for _ in 0.."mini split".len() {
        key(&mut a, KeyCode::Backspace);
    }
    keys(&mut a, "pump commission");
    assert_eq!(refs(&a).first(), Some(&hvac));
    for _ in 0.."commission".len() {
        key(&mut a, KeyCode::Backspace);
    }
    let pump = refs(&a);
    assert!(pump.contains(&hvac) && pump.len() > 1, "{pump:?}");
    keys(&mut a, "!heat");
    let not_heat = refs(&a);
    assert!(!not_heat.contains(&hvac), "{not_heat:?}");
    assert!(not_heat.iter().all(|r| pump.contains(r)));
    for _ in 0.."heat".len() {
        key(&mut a, KeyCode::Backspace);
    }
    assert_eq!(refs(&a), pump, "a lone `!` is no term");
}

#[test]
fn snapshots_of_each_example_at_both_sizes() {
    for name in ["retail-data-analyst.yaml", "retrofit-gaps.yaml"] {
        for (w, h) in [(80, 24), (120, 40)] {
            let a = app(name, w, h);
            insta::assert_snapshot!(format!("main_{name}_{w}x{h}"), screen(&a));
        }
    }
}

#[test]
fn snapshots_of_overlays() {
    let mut a = app("retrofit-gaps.yaml", 120, 40);
    key(&mut a, KeyCode::Char('m'));
    keys(&mut a, "blower");
    insta::assert_snapshot!("finder_with_query", screen(&a));
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::F(1));
    insta::assert_snapshot!("help_overlay", screen(&a));
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Char(':'));
    keys(&mut a, "exp");
    insta::assert_snapshot!("palette", screen(&a));
    key(&mut a, KeyCode::Esc);
    a.handle(Event::Resize(50, 12));
    insta::assert_snapshot!("too_small", screen(&a));
}

#[test]
fn monochrome_uses_no_colour_at_all() {
    let mut a = app("retrofit-gaps.yaml", 120, 40);
    for setup in [vec![], vec!['m'], vec!['C'], vec!['M']] {
        for c in &setup {
            key(&mut a, KeyCode::Char(*c));
        }
        let mut t = Terminal::new(TestBackend::new(120, 40)).unwrap();
        t.draw(|f| microcred::tui::view::draw(f, &a)).unwrap();
        let buf = t.backend().buffer();
        for cell in buf.content() {
            assert_eq!(
                cell.fg,
                ratatui::style::Color::Reset,
                "coloured cell {:?}",
                cell.symbol()
            );
            assert_eq!(
                cell.bg,
                ratatui::style::Color::Reset,
                "coloured cell {:?}",
                cell.symbol()
            );
        }
        key(&mut a, KeyCode::Esc);
    }
    // The default theme does use colour, so the check above can fail.
    a.theme = Theme {
        kind: ThemeKind::Default,
    };
    let mut t = Terminal::new(TestBackend::new(120, 40)).unwrap();
    t.draw(|f| microcred::tui::view::draw(f, &a)).unwrap();
    assert!(
        t.backend()
            .buffer()
            .content()
            .iter()
            .any(|c| c.fg != ratatui::style::Color::Reset)
    );
}

#[test]
fn palette_runs_a_command() {
    let mut a = app("retrofit-gaps.yaml", 120, 40);
    key(&mut a, KeyCode::Char(':'));
    keys(&mut a, "matrix");
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.view, View::Matrix);
}

#[test]
fn undo_and_redo() {
    let mut a = app("retrofit-gaps.yaml", 120, 40);
    let original = a.ws.clone();
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Char('x'));
    keys(&mut a, "too basic");
    key(&mut a, KeyCode::Enter);
    let disputed = a.ws.clone();
    assert_ne!(disputed, original);
    // The reason went in with the status, as one step that undo takes back whole.
    let m = a.selected_mapping().unwrap();
    assert_eq!(m.comments.last().unwrap().text, "Disputed: too basic");
    key(&mut a, KeyCode::Char('u'));
    assert_eq!(a.ws, original);
    ctrl(&mut a, 'r');
    assert_eq!(a.ws, disputed);
    ctrl(&mut a, 'r');
    assert!(a.status.text.contains("Nothing to redo"));
}

#[test]
fn delete_need_asks_then_removes_it_with_its_mappings() {
    let mut a = app("retrofit-gaps.yaml", 120, 40);
    let id = a.selected_need().unwrap().id.clone();
    key(&mut a, KeyCode::Char('d'));
    assert!(matches!(a.front(), Some(Modal::Confirm(..))));
    key(&mut a, KeyCode::Esc);
    assert!(a.ws.need(&id).is_some());
    key(&mut a, KeyCode::Char('d'));
    key(&mut a, KeyCode::Char('y'));
    assert!(a.ws.need(&id).is_none());
    assert!(a.ws.mappings.iter().all(|m| m.need != id));
    key(&mut a, KeyCode::Char('u'));
    assert!(a.ws.need(&id).is_some());
}

#[test]
fn edit_partner_and_browse_frameworks_to_add_a_competency() {
    let mut a = app("retrofit-gaps.yaml", 120, 40);
    key(&mut a, KeyCode::Char('E'));
    key(&mut a, KeyCode::Down);
    ctrl(&mut a, 'u');
    keys(&mut a, "Coastline Energy");
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.ws.partners[0].name, "Coastline Energy");
    let before = a.ws.competencies.len();
    key(&mut a, KeyCode::Char('b'));
    // Framework 2 (digital-data), its first category, its first competency.
    key(&mut a, KeyCode::Down);
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::Enter);
    let s = screen(&a);
    assert!(s.contains("Frameworks") && s.contains("DD-DATA"), "{s}");
    // The competencies are sorted by name: the second by name is picked.
    let mut names: Vec<(String, String)> = a
        .catalog
        .entries()
        .iter()
        .find(|e| e.framework.id == "digital-data")
        .unwrap()
        .framework
        .competencies
        .iter()
        .filter(|c| c.category.as_deref() == Some("Data"))
        .map(|c| (c.name.to_lowercase(), c.id.clone()))
        .collect();
    names.sort();
    key(&mut a, KeyCode::Down);
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.ws.competencies.len(), before + 1);
    let picked = format!("digital-data:{}", names[1].1);
    assert_eq!(a.ws.competencies.last().unwrap().reference, picked);
    // The competency's form opens to set hours, outcome and assessment.
    let Some(Modal::Form(_)) = a.front() else {
        panic!("no form")
    };
    // A new credential competency no need asks for is an orphan and has no assessment.
    assert!(a.report.orphans.contains(&picked));
    assert!(a.report.assessment_gaps.contains(&picked));
}

#[test]
fn a_keymap_file_overrides_keys_and_bad_files_are_located() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("keymap.yaml");
    std::fs::write(&p, "bindings:\n  - { key: n, command: add-need, context: needs }\n  - { key: ctrl-q, command: quit }\n").unwrap();
    let km = microcred::tui::keys::Keymap::load(&p).unwrap();
    let mut a = app("retrofit-gaps.yaml", 120, 40);
    a.keymap = Arc::new(km);
    key(&mut a, KeyCode::Char('n'));
    let Some(Modal::Form(f)) = a.front() else {
        panic!("n did not add a need")
    };
    assert_eq!(f.title, "Add a need");
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::F(1));
    assert!(screen(&a).contains("C-q"));
    std::fs::write(
        &p,
        "bindings:\n  - { key: ctrl-, command: quit }\n  - { key: x, command: fly }\n",
    )
    .unwrap();
    let err = microcred::tui::keys::Keymap::load(&p)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("keymap.yaml:3:") && err.contains("fly"),
        "{err}"
    );
    std::fs::write(&p, "bindings:\n  - { key: ctrl-, command: quit }\n").unwrap();
    let err = microcred::tui::keys::Keymap::load(&p)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("keymap.yaml:2:") && err.contains("`ctrl-`"),
        "{err}"
    );
}

/// A 1 MB paste goes into the field at once, cut to the field's limit, and the status says how
/// much was left out and why (it used to insert one character at a time: quadratic, a hang).
#[test]
fn a_megabyte_paste_is_cut_to_the_field_limit_with_a_message() {
    let mut a = app("retrofit-gaps.yaml", 120, 40);
    key(&mut a, KeyCode::Char('a'));
    let big: String = "word\nword\t".repeat(100_000); // 1,000,000 characters
    a.handle(Event::Paste(big));
    let Some(Modal::Form(f)) = a.front() else {
        panic!("the need form closed")
    };
    let value = f.fields[f.sel].value();
    assert_eq!(f.fields[f.sel].key, "statement");
    assert_eq!(
        value.chars().count(),
        5000,
        "the field holds exactly its limit"
    );
    assert!(
        value.starts_with("word\nword word\nword "),
        "a multi-line field keeps line breaks; tabs became spaces: {:?}",
        &value[..20]
    );
    assert!(
        a.status.text.contains("995000") && a.status.text.contains("5000"),
        "{:?}",
        a.status
    );
    // The text stays editable and is saved whole.
    key(&mut a, KeyCode::Backspace);
    a.handle(Event::Paste("!".into()));
    key(&mut a, KeyCode::Enter);
    let n = a.ws.needs.last().unwrap();
    assert_eq!(n.statement.chars().count(), 5000);
    assert!(n.statement.ends_with('!'));
}

/// Typing stops at a field's limit, with a message; the limit is per field.
#[test]
fn typing_stops_at_the_field_limit() {
    let mut a = app("retrofit-gaps.yaml", 120, 40);
    key(&mut a, KeyCode::Char('P'));
    keys(&mut a, &"p".repeat(105));
    let Some(Modal::Form(f)) = a.front() else {
        panic!("the partner form closed")
    };
    assert_eq!(f.fields[0].value().len(), 100);
    assert!(
        a.status.error && a.status.text.contains("100 characters"),
        "{:?}",
        a.status
    );
    key(&mut a, KeyCode::Down);
    a.handle(Event::Paste("N".repeat(300)));
    let Some(Modal::Form(f)) = a.front() else {
        panic!("the partner form closed")
    };
    assert_eq!(f.fields[1].value().len(), 200);
    key(&mut a, KeyCode::Enter);
    assert!(a.ws.partner(&"p".repeat(100)).is_some(), "{:?}", a.status);
}

/// A paste with no text field to take it changes nothing; the finder's query is capped too.
#[test]
fn a_paste_outside_any_form_does_nothing_harmful() {
    let mut a = app("retrofit-gaps.yaml", 120, 40);
    let before = a.ws.clone();
    a.handle(Event::Paste("x".repeat(1_000_000)));
    assert!(a.front().is_none());
    assert_eq!(a.ws, before);
    let _ = screen(&a);
    key(&mut a, KeyCode::Char('/'));
    a.handle(Event::Paste("y".repeat(1_000_000)));
    let Some(Modal::Finder(f)) = a.front() else {
        panic!("the finder closed")
    };
    assert_eq!(f.input.value().len(), 200);
    assert!(a.status.text.contains("200"), "{:?}", a.status);
    let _ = screen(&a);
    key(&mut a, KeyCode::Esc);
    assert_eq!(a.ws, before);
}

// ----- long text readable (issue 15, section 4) ----------------------------------------------

/// The comment "Our installers on…" the issue saw cut: long, with a line break.
const LONG_COMMENT: &str = "Our installers only see the attic hatch and the basement on a \
    standard audit, so the level 3 descriptor (complex or multi-unit buildings) is further than \
    our crews go in their first year.\nWe would rather see level 2 with a supervised multi-unit \
    audit at the end of the placement. END-OF-COMMENT";

/// The gaps example with a long comment on N1's mapping, focused on that mapping.
fn with_long_comment(w: u16, h: u16) -> App {
    let (mut ws, cat) = example("retrofit-gaps.yaml");
    let m = ws.mappings.iter_mut().find(|m| m.need == "N1").unwrap();
    m.comments.push(microcred::model::Comment {
        by: "marie@coastline-energy".into(),
        at: "2026-11-24T09:00:00Z".into(),
        text: LONG_COMMENT.into(),
    });
    let mut a = App::new(
        ws,
        cat,
        Some(PathBuf::from("examples/retrofit-gaps.yaml")),
        Actor::designer("dana"),
    );
    a.theme = Theme {
        kind: ThemeKind::Mono,
    };
    a.size = (w, h);
    key(&mut a, KeyCode::Tab);
    assert_eq!(a.focus, Focus::Mappings);
    a
}

/// Every word of `text` is on `screen`, in order (wrapping may put any space at a line end).
fn reads_in_full(screen: &str, text: &str) -> bool {
    let flat: String = screen
        .lines()
        .map(|l| l.trim_matches(|c: char| c == '│' || c == ' '))
        .collect::<Vec<_>>()
        .join(" ");
    let mut rest = flat.as_str();
    for word in text.split_whitespace() {
        match rest.find(word) {
            Some(i) => rest = &rest[i + word.len()..],
            None => return false,
        }
    }
    true
}

#[test]
fn the_selected_mapping_shows_its_comments_in_full_at_every_size() {
    for (w, h) in [(80, 24), (120, 40), (200, 60)] {
        let mut a = with_long_comment(w, h);
        let s = screen(&a);
        insta::assert_snapshot!(format!("long_comment_{w}x{h}"), s);
        if (w, h) != (80, 24) {
            assert!(reads_in_full(&s, LONG_COMMENT), "{w}x{h}:\n{s}");
            assert!(
                reads_in_full(
                    &s,
                    "Technicians complete a whole-home energy assessment to the provincial rebate program's standard."
                ),
                "the selected need in full at {w}x{h}:\n{s}"
            );
        }
        // Zoomed, the mappings pane fills the screen: the comment can be read at 80×24 too.
        key(&mut a, KeyCode::Char('+'));
        let z = screen(&a);
        assert!(reads_in_full(&z, LONG_COMMENT), "zoomed {w}x{h}:\n{z}");
        assert!(!z.contains("Gaps ("), "only the zoomed pane:\n{z}");
    }
}

#[test]
fn zoom_makes_the_focused_pane_fill_the_screen_and_follows_tab() {
    for (w, h) in [(80, 24), (120, 40), (200, 60)] {
        let mut a = with_long_comment(w, h);
        key(&mut a, KeyCode::Char('+'));
        assert!(a.zoom);
        let s = screen(&a);
        insta::assert_snapshot!(format!("zoomed_mappings_{w}x{h}"), s);
        // The pane's top border spans the whole width.
        let top = s.lines().nth(if w < 100 { 1 } else { 0 }).unwrap();
        assert!(
            top.starts_with("┌Mappings of N1") && top.ends_with('┐'),
            "{s}"
        );
        assert_eq!(top.chars().count(), w as usize);
        assert!(
            !s.contains("Needs (10)") && !s.contains("Competency"),
            "{s}"
        );
        // Tab zooms the next pane; + restores every pane.
        key(&mut a, KeyCode::Tab);
        let g = screen(&a);
        assert!(g.contains("Gaps (18)") && !g.contains("Mappings of"), "{g}");
        key(&mut a, KeyCode::Char('+'));
        assert!(!a.zoom);
        if w >= 100 {
            let all = screen(&a);
            assert!(
                all.contains("Needs (10)") && all.contains("Mappings of N1"),
                "{all}"
            );
        }
    }
}

#[test]
fn the_map_dialog_shows_the_need_it_maps() {
    for (w, h) in [(80, 24), (120, 40), (200, 60)] {
        let mut a = app("retrofit-gaps.yaml", w, h);
        while a.selected_need().map(|n| n.id.as_str()) != Some("N9") {
            key(&mut a, KeyCode::Char('j'));
        }
        key(&mut a, KeyCode::Char('m'));
        let s = screen(&a);
        insta::assert_snapshot!(format!("map_dialog_{w}x{h}"), s);
        let statement = a.ws.need("N9").unwrap().statement.clone();
        assert!(s.contains("Need N9:"), "{s}");
        if w >= 120 {
            assert!(reads_in_full(&s, &statement), "{s}");
        }
        // Suggestions name the competency first, then its short id.
        let Some(Modal::Finder(f)) = a.front() else {
            panic!("no finder")
        };
        let first = f.hits.first().expect("suggestions");
        let id = first.reference.split(':').nth(1).unwrap();
        assert!(
            s.contains(&format!(" {} ({id})", first.name)) || s.contains(&first.name),
            "{s}"
        );
    }
}

#[test]
fn a_multi_line_field_wraps_keeps_line_breaks_and_enter_still_saves() {
    let mut a = with_long_comment(120, 40);
    key(&mut a, KeyCode::Char('c'));
    let Some(Modal::Form(f)) = a.front() else {
        panic!("no comment form")
    };
    assert!(f.fields[0].is_multiline());
    keys(&mut a, "First line");
    // Alt-Enter and C-j break the line; a paste keeps its line breaks (CRLF too).
    a.handle(Event::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::ALT)));
    keys(&mut a, "second");
    ctrl(&mut a, 'j');
    a.handle(Event::Paste(
        "pasted one\r\npasted two, which is long enough to wrap in the field: ".repeat(2),
    ));
    let s = screen(&a);
    insta::assert_snapshot!("multi_line_comment_field_120x40", s);
    // The form shows what the comment is about: the need and the competency, by name.
    assert!(s.contains("Need N1: Technicians complete"), "{s}");
    assert!(
        s.contains("Competency: Conduct energy audits (BR-ASSESS-01)"),
        "{s}"
    );
    assert!(s.contains("Alt-Enter or C-j: new line"), "the hint:\n{s}");
    // ↑ moves up through the lines of the text, not out of the field.
    key(&mut a, KeyCode::Up);
    let Some(Modal::Form(f)) = a.front() else {
        panic!("the form closed")
    };
    assert_eq!(f.sel, 0);
    key(&mut a, KeyCode::Enter);
    assert!(a.front().is_none(), "{:?}", a.status);
    let m = a.selected_mapping().unwrap();
    let text = &m.comments.last().unwrap().text;
    assert_eq!(
        text.lines().take(4).collect::<Vec<_>>(),
        [
            "First line",
            "second",
            "pasted one",
            "pasted two, which is long enough to wrap in the field: pasted one"
        ]
    );
    // The new comment reads in full in the mappings pane, zoomed.
    key(&mut a, KeyCode::Char('+'));
    let s = screen(&a);
    assert!(reads_in_full(&s, "First line second pasted one"), "{s}");
    // A one-line field still makes a pasted line break a space.
    key(&mut a, KeyCode::BackTab);
    key(&mut a, KeyCode::Char('P'));
    key(&mut a, KeyCode::Down);
    a.handle(Event::Paste("Acme\nRetrofit".into()));
    let Some(Modal::Form(f)) = a.front() else {
        panic!("no partner form")
    };
    assert!(!f.fields[1].is_multiline());
    assert_eq!(f.fields[1].value(), "Acme Retrofit");
}

#[test]
fn multi_line_fields_at_80x24_and_200x60() {
    for (w, h) in [(80, 24), (200, 60)] {
        let mut a = app("retrofit-gaps.yaml", w, h);
        key(&mut a, KeyCode::Char('e'));
        let Some(Modal::Form(f)) = a.front() else {
            panic!("the form closed")
        };
        assert_eq!(f.fields[f.sel].key, "statement");
        let s = screen(&a);
        insta::assert_snapshot!(format!("need_form_{w}x{h}"), s);
        assert!(
            reads_in_full(&s, &a.selected_need().unwrap().statement),
            "the statement is shown whole:\n{s}"
        );
    }
}

/// Labels never run into their values: a label longer than its column is cut with an
/// ellipsis and a space, in forms, help and the framework browser.
#[test]
fn labels_and_columns_keep_a_space_before_what_follows() {
    let (mut ws, cat) = example("retrofit-gaps.yaml");
    ws.credential.equity.recognition_of_prior_learning =
        Some("RPL challenge assessment for experienced installers".into());
    let mut a = App::new(ws, cat, None, Actor::designer("dana"));
    a.size = (120, 40);
    key(&mut a, KeyCode::Char('C'));
    let s = screen(&a);
    assert!(!s.contains("learningRPL"), "{s}");
    assert!(
        !s.contains("150)Ceiling") && !s.contains("150)\u{20}"),
        "{s}"
    );
    let row = s
        .lines()
        .find(|l| l.contains("RPL challenge"))
        .expect("the RPL row");
    assert!(
        row.contains("Equity: recognition of prior…       RPL"),
        "{row}"
    );
    key(&mut a, KeyCode::Esc);
    // The browser: Building Retrofit and Clean Energy beside essential skills' categories.
    key(&mut a, KeyCode::Char('b'));
    let s = screen(&a);
    assert!(s.contains("Numeracy"), "{s}");
    assert!(
        !s.contains("EnergyNumeracy") && !s.contains("Energy (5"),
        "{s}"
    );
    for l in s.lines().filter(|l| l.contains("Building Retrofit")) {
        let after = l.split("Building Retrofit").nth(1).unwrap();
        assert!(
            after.contains("… ") || after.contains(") "),
            "the framework column ends before the next: {l}"
        );
    }
}

/// Competencies are named before their ids everywhere, and a long id (ESCO's UUIDs) is
/// shortened: the gap pane, finder rows, the browser and the mapping form's title.
#[test]
fn names_before_ids_and_long_ids_shortened() {
    let cat = Catalog::embedded().unwrap();
    let mut frameworks: Vec<_> = cat.entries().iter().map(|e| e.framework.clone()).collect();
    let uuid = "0005c151-5b5a-4a66-8aac-60e734beb1ab";
    let mut esco = frameworks[0].clone();
    esco.id = "esco".into();
    esco.name = "ESCO".into();
    esco.competencies.truncate(1);
    esco.competencies[0].id = uuid.into();
    esco.competencies[0].name = "Manage musical staff".into();
    frameworks.push(esco);
    let cat = Arc::new(Catalog::from_frameworks(frameworks));
    let (mut ws, _) = example("retrofit-gaps.yaml");
    let reference = format!("esco:{uuid}");
    ws.mappings.push(microcred::model::Mapping {
        need: "N1".into(),
        competency: reference.clone(),
        required_level: None,
        rationale: None,
        status: MappingStatus::Proposed,
        ..Default::default()
    });
    let mut a = App::new(ws, cat, None, Actor::designer("dana"));
    a.size = (120, 40);
    // The gap pane (zoomed, alone on screen) names it, and never shows the whole UUID.
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Char('+'));
    while !a.gap_lines[a.gap_sel].text.contains("Manage musical") {
        key(&mut a, KeyCode::Down);
    }
    let s = screen(&a);
    assert!(s.contains("N1 → Manage musical staff (0005c151…)"), "{s}");
    assert!(!s.contains("0005c151-"), "{s}");
    // The mappings pane (zoomed) and the mapping form's title.
    key(&mut a, KeyCode::BackTab);
    while a.selected_mapping().unwrap().competency != reference {
        key(&mut a, KeyCode::Down);
    }
    let s = screen(&a);
    assert!(s.contains("Manage musical staff (0005c151…)"), "{s}");
    assert!(!s.contains("0005c151-"), "{s}");
    key(&mut a, KeyCode::Char('e'));
    let s = screen(&a);
    assert!(
        s.contains("Mapping N1 → Manage musical staff (0005c151…)"),
        "{s}"
    );
    key(&mut a, KeyCode::Esc);
    // Finder rows: the name, then the short id.
    key(&mut a, KeyCode::Char('/'));
    keys(&mut a, "musical staff");
    while a.idle() {}
    let s = screen(&a);
    let search = s
        .lines()
        .position(|l| l.contains("search> musical staff"))
        .expect("the search row");
    let row = s.lines().nth(search + 2).expect("a hit");
    assert!(row.contains("Manage musical staff (0005c151…)"), "{row}");
}

/// A comment longer than even the zoomed pane: the pane says there is more, and C-d / C-u
/// scroll the selected mapping's text.
#[test]
fn a_comment_longer_than_the_pane_scrolls_with_ctrl_d_and_ctrl_u() {
    let mut a = with_long_comment(80, 24);
    let long = format!("{} FINAL-WORD", LONG_COMMENT.repeat(3));
    key(&mut a, KeyCode::Char('c'));
    a.handle(Event::Paste(long.clone()));
    key(&mut a, KeyCode::Enter);
    assert!(a.front().is_none(), "{:?}", a.status);
    key(&mut a, KeyCode::Char('+'));
    let s = screen(&a);
    assert!(
        s.contains("✓ agreed   Conduct") && !s.contains("FINAL-WORD"),
        "{s}"
    );
    assert!(s.contains("more below · C-d scrolls"), "{s}");
    let mut pressed = 0;
    while !screen(&a).contains("FINAL-WORD") {
        ctrl(&mut a, 'd');
        pressed += 1;
        assert!(pressed < 20, "C-d never reached the end");
    }
    let s = screen(&a);
    insta::assert_snapshot!("scrolled_comment_80x24", s);
    assert!(
        !s.contains("✓ agreed   Conduct") && !s.contains("more below"),
        "{s}"
    );
    // More C-d changes nothing; C-u goes back to the top as many times.
    ctrl(&mut a, 'd');
    assert_eq!(screen(&a), s);
    for _ in 0..pressed {
        ctrl(&mut a, 'u');
    }
    assert!(screen(&a).contains("✓ agreed   Conduct"));
    // Another selection starts unscrolled.
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::BackTab);
    assert!(screen(&a).contains("✓ agreed   Conduct"));
}

/// The selected mapping's rows are laid out only as far as the pane can show: 500 comments
/// cost what a screenful does, and the pane still reads and scrolls.
#[test]
fn many_comments_are_laid_out_only_as_far_as_shown() {
    let mut a = with_long_comment(120, 40);
    let (need, comp) = {
        let m = a.selected_mapping().unwrap();
        (m.need.clone(), m.competency.clone())
    };
    let mut ws = (*a.ws).clone();
    let i = ws.mapping_index(&need, &comp).unwrap();
    for k in 0..500 {
        ws.mappings[i].comments.push(microcred::model::Comment {
            by: "dana".into(),
            at: "2026-11-28T10:00:00Z".into(),
            text: format!("comment number {k}: {LONG_COMMENT}"),
        });
    }
    a.ws = Arc::new(ws);
    let selected_rows = |budget| {
        a.mapping_lines(80, budget)
            .iter()
            .filter(|(pos, _)| *pos == a.map_sel)
            .count()
    };
    assert_eq!(selected_rows(10), 10);
    assert_eq!(selected_rows(40), 40);
    let s = screen(&a);
    assert!(s.contains("more below"), "{s}");
    let last_shown = |s: &str| {
        s.split("comment number ")
            .skip(1)
            .filter_map(|t| t.split(':').next()?.parse::<usize>().ok())
            .max()
    };
    let before = last_shown(&s);
    for _ in 0..6 {
        ctrl(&mut a, 'd');
    }
    let after = last_shown(&screen(&a));
    assert!(
        after > before,
        "C-d shows later comments: {before:?} then {after:?}"
    );
}

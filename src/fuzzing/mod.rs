//! Entry points shared by the fuzz targets (`fuzz/`), the bounded stress runs and their
//! regression tests: each takes arbitrary bytes and must never panic.
//!
//! The key-input path turns bytes into terminal events (keys with modifiers, pastes, mouse,
//! resizes down to 0×0) and feeds them to [`App::handle`], drawing after each one.

use std::sync::{Arc, OnceLock};

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::analysis::search::SearchIndex;
use crate::analysis::suggest::Suggester;
use crate::catalog::Catalog;
use crate::document::hub::Hub;
use crate::edit::Actor;
use crate::model::Workspace;
use crate::tui::app::{App, Modal};
use crate::tui::form::Form;

fn catalog() -> Arc<Catalog> {
    static CAT: OnceLock<Arc<Catalog>> = OnceLock::new();
    CAT.get_or_init(|| Arc::new(Catalog::embedded().unwrap_or_default()))
        .clone()
}

/// A session on `ws` over the shared catalog, reusing one search index and suggester for every
/// input (building them is most of a short input's cost, and they depend on the catalog only).
fn session(ws: Workspace) -> App {
    static INDEXES: OnceLock<(Arc<SearchIndex>, Arc<Suggester>)> = OnceLock::new();
    let cat = catalog();
    let (search, suggest) = INDEXES.get_or_init(|| {
        (
            Arc::new(SearchIndex::new(&cat)),
            Arc::new(Suggester::new(&cat)),
        )
    });
    let hub = Hub::new(ws, cat, None);
    hub.share_indexes(search.clone(), suggest.clone());
    let mut app = App::with_hub(hub, Actor::designer("fuzz")).with_clock("2026-11-28T10:00:00Z");
    app.size = (80, 24);
    app
}

fn text(data: &[u8]) -> Option<String> {
    crate::store::text_from_bytes(data.to_vec(), "fuzz").ok()
}

/// The framework reader on `data`.
pub fn framework(data: &[u8]) {
    if let Some(src) = text(data) {
        let _ = crate::catalog::framework_from_str(&src, "fuzz.yaml");
        let _ = crate::export::detect_kind(&src);
    }
}

/// The workspace reader on `data`, against the embedded catalog; a workspace that loads must
/// also save and load back equal.
pub fn workspace(data: &[u8]) {
    let Some(src) = text(data) else { return };
    let cat = catalog();
    if let Ok(l) = crate::document::workspace_from_str(&src, "fuzz.yaml", &cat) {
        let again = crate::document::workspace_to_string(&l.workspace);
        match crate::document::workspace_from_str(&again, "again.yaml", &cat) {
            Ok(back) => assert_eq!(back.workspace, l.workspace, "round trip changed it"),
            Err(p) => panic!("saved text does not load back: {p}\n{again}"),
        }
    }
}

/// The keymap-file reader on `data`.
pub fn keymap(data: &[u8]) {
    if let Some(src) = text(data) {
        let _ = crate::tui::keys::Keymap::parse(&src, "keys.yaml");
    }
}

/// The people-file reader (`microcred serve --people`) on `data`, against an example workspace.
pub fn people(data: &[u8]) {
    static WS: OnceLock<Option<Workspace>> = OnceLock::new();
    let ws = WS.get_or_init(|| {
        let src = include_str!("../../examples/retrofit-gaps.yaml");
        crate::document::workspace_from_str(src, "example.yaml", &catalog())
            .ok()
            .map(|l| l.workspace)
    });
    if let (Some(src), Some(ws)) = (text(data), ws) {
        let _ = crate::serve::people::People::from_str(&src, "people.yaml", ws);
    }
}

/// The ESCO CSV importer on `data`; a framework it returns must pass the framework checks.
pub fn esco(data: &[u8]) {
    let opts = crate::import::esco::Options::default();
    if let Ok(fw) = crate::import::esco::import(data, "skills.csv", &opts, &mut |_| {}) {
        assert!(
            crate::import::check(&fw, "skills.csv").is_ok(),
            "imported framework does not validate"
        );
    }
}

/// The CASE package importer on `data`; a framework it returns must pass the framework checks.
pub fn case(data: &[u8]) {
    if let Ok(fw) = crate::import::case::import(data, "package.json", None) {
        assert!(
            crate::import::check(&fw, "package.json").is_ok(),
            "imported framework does not validate"
        );
    }
}

/// The SSH session's terminal-input decoder on raw bytes, split into reads at the positions the
/// first byte picks; every decoded event is then handled by an App (as `keys`). Feeding the
/// same bytes in one read or in pieces must give the same events when no read ends in a lone ESC.
pub fn terminal(data: &[u8]) {
    let Some((&split, rest)) = data.split_first() else {
        return;
    };
    let step = usize::from(split % 16) + 1;
    let mut whole = crate::serve::input::Decoder::new();
    let all = whole.feed(rest);
    let mut pieces = crate::serve::input::Decoder::new();
    let mut evs = Vec::new();
    for chunk in rest.chunks(step) {
        evs.extend(pieces.feed(chunk));
    }
    if !rest.chunks(step).any(|c| c.last() == Some(&0x1b)) {
        assert_eq!(evs, all, "events depend on how the bytes were split");
    }
    let cat = catalog();
    let src = include_str!("../../examples/retrofit-gaps.yaml");
    let Ok(l) = crate::document::workspace_from_str(src, "example.yaml", &cat) else {
        return;
    };
    let mut app = session(l.workspace);
    for ev in all.into_iter().take(512) {
        let _ = app.handle(ev);
        check(&app);
    }
    draw(&app);
}

/// Decode bytes into terminal events: each event takes a tag byte and its arguments.
pub fn events(data: &[u8]) -> Vec<Event> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut next = || {
        let b = data.get(i).copied();
        i += 1;
        b
    };
    while let Some(tag) = next() {
        let ev = match tag % 8 {
            0..=3 => {
                let Some(b) = next() else { break };
                let code = match b {
                    0 => KeyCode::Enter,
                    1 => KeyCode::Esc,
                    2 => KeyCode::Tab,
                    3 => KeyCode::BackTab,
                    4 => KeyCode::Backspace,
                    5 => KeyCode::Delete,
                    6 => KeyCode::Up,
                    7 => KeyCode::Down,
                    8 => KeyCode::Left,
                    9 => KeyCode::Right,
                    10 => KeyCode::Home,
                    11 => KeyCode::End,
                    12 => KeyCode::PageUp,
                    13 => KeyCode::PageDown,
                    14..=25 => KeyCode::F(b - 13),
                    26..=31 => KeyCode::Char(
                        ['é', '中', '🙂', '\u{202E}', '\u{0}', '\t'][usize::from(b - 26)],
                    ),
                    _ => KeyCode::Char(char::from(b.min(126))),
                };
                let mods = match tag / 8 % 4 {
                    0 => KeyModifiers::NONE,
                    1 => KeyModifiers::CONTROL,
                    2 => KeyModifiers::SHIFT,
                    _ => KeyModifiers::ALT,
                };
                Event::Key(KeyEvent::new(code, mods))
            }
            4 => {
                let Some(len) = next() else { break };
                let bytes: Vec<u8> = (0..len).filter_map(|_| next()).collect();
                Event::Paste(String::from_utf8_lossy(&bytes).into_owned())
            }
            5 => {
                let (Some(w), Some(h)) = (next(), next()) else {
                    break;
                };
                // Mostly small and odd sizes, sometimes large.
                let scale = |b: u8| {
                    if b > 250 {
                        u16::from(b) * 2
                    } else {
                        u16::from(b) % 200
                    }
                };
                Event::Resize(scale(w), scale(h))
            }
            6 => {
                let (Some(k), Some(x), Some(y)) = (next(), next(), next()) else {
                    break;
                };
                let kind = match k % 4 {
                    0 => MouseEventKind::Down(MouseButton::Left),
                    1 => MouseEventKind::ScrollDown,
                    2 => MouseEventKind::ScrollUp,
                    _ => MouseEventKind::Up(MouseButton::Left),
                };
                Event::Mouse(MouseEvent {
                    kind,
                    column: u16::from(x),
                    row: u16::from(y),
                    modifiers: KeyModifiers::NONE,
                })
            }
            _ => Event::FocusGained,
        };
        out.push(ev);
    }
    out
}

/// A session on one of the examples (by the first byte), driven by the events in the rest;
/// drawn after every event. The document must stay valid and the selections in range.
pub fn keys(data: &[u8]) {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let cat = catalog();
    let src = if which % 2 == 0 {
        include_str!("../../examples/retrofit-gaps.yaml")
    } else {
        include_str!("../../examples/retail-data-analyst.yaml")
    };
    let ws: Workspace = match crate::document::workspace_from_str(src, "example.yaml", &cat) {
        Ok(l) => l.workspace,
        Err(_) => return,
    };
    let mut app = session(ws);
    for ev in events(rest) {
        let _ = app.handle(ev);
        check(&app);
        draw(&app);
    }
}

/// The forms an App can show for `ws`, in a fixed order: each kind of form, on the first
/// need, partner, mapping and credential competency where there is one.
fn forms(ws: &Workspace, cat: &Catalog) -> Vec<Form> {
    let mut out = vec![
        Form::new_need(ws, ws.partners.first().map(|p| p.id.as_str())),
        Form::partner(None),
        Form::credential(&ws.credential),
        Form::save_as(),
    ];
    out.extend(ws.needs.first().map(|n| Form::edit_need(ws, n)));
    out.extend(ws.partners.first().map(|p| Form::partner(Some(p))));
    if let Some(m) = ws.mappings.first() {
        out.push(Form::mapping(ws, cat, m));
        out.push(Form::comment(ws, cat, m));
    }
    out.extend(
        ws.competencies
            .first()
            .and_then(|cc| Form::credential_competency(cat, cc)),
    );
    out
}

/// Decode bytes into events for a form: typed characters, pastes of arbitrary bytes (some of
/// hundreds of kilobytes), cursor motions and deletions, moves between fields, Enter and Esc.
pub fn form_events(data: &[u8]) -> Vec<Event> {
    let key = |code: KeyCode, mods: KeyModifiers| Event::Key(KeyEvent::new(code, mods));
    let (none, ctrl, alt) = (KeyModifiers::NONE, KeyModifiers::CONTROL, KeyModifiers::ALT);
    let mut out = Vec::new();
    let mut i = 0;
    let mut next = || {
        let b = data.get(i).copied();
        i += 1;
        b
    };
    while let Some(tag) = next() {
        let Some(b) = next() else { break };
        let ev = match tag % 8 {
            0..=2 => {
                let c = match b {
                    0..=5 => ['é', '中', '🙂', '\u{202E}', '\u{0}', '\t'][usize::from(b)],
                    _ => char::from(b.min(126)),
                };
                key(KeyCode::Char(c), none)
            }
            3 => {
                // A paste: `b` bytes follow; above 240, a 16-byte pattern repeated to
                // (b - 240) × 64 KiB.
                let (len, reps) = match b {
                    0..=240 => (usize::from(b), 1),
                    _ => (16, usize::from(b - 240) * 4096),
                };
                let bytes: Vec<u8> = (0..len).filter_map(|_| next()).collect();
                Event::Paste(String::from_utf8_lossy(&bytes).repeat(reps))
            }
            4 => {
                let motions = [
                    (KeyCode::Left, none),
                    (KeyCode::Right, none),
                    (KeyCode::Home, none),
                    (KeyCode::End, none),
                    (KeyCode::Left, ctrl),
                    (KeyCode::Right, alt),
                    (KeyCode::Backspace, none),
                    (KeyCode::Delete, none),
                    (KeyCode::Backspace, ctrl),
                    (KeyCode::Char('w'), ctrl),
                    (KeyCode::Char('u'), ctrl),
                    (KeyCode::Char('k'), ctrl),
                    (KeyCode::Char('a'), ctrl),
                    (KeyCode::Char('e'), ctrl),
                    (KeyCode::Char('d'), alt),
                    (KeyCode::Char('b'), alt),
                ];
                let (code, mods) = motions[usize::from(b) % motions.len()];
                key(code, mods)
            }
            5 => {
                let moves = [
                    KeyCode::Up,
                    KeyCode::Down,
                    KeyCode::Tab,
                    KeyCode::BackTab,
                    KeyCode::Char(' '),
                ];
                key(moves[usize::from(b) % moves.len()], none)
            }
            6 => match b % 4 {
                0 => key(KeyCode::Esc, none),
                1 => key(KeyCode::Char('s'), ctrl),
                _ => key(KeyCode::Enter, none),
            },
            _ => Event::Resize(u16::from(b % 160), u16::from(b / 4)),
        };
        out.push(ev);
    }
    out
}

/// Forms and pastes: a session on an example (by the first byte) with one of its forms open
/// (by the second), driven by [`form_events`]; when a form closes, the next kind opens. After
/// every event the document must validate, the selections must be in range and no text
/// field may hold more than its limit; it is drawn after every event.
pub fn form(data: &[u8]) {
    let _ = form_session(data);
}

/// The session [`form`] drives, as it is at the end (`None` for input too short to start).
pub fn form_session(data: &[u8]) -> Option<App> {
    let [which, first, rest @ ..] = data else {
        return None;
    };
    let cat = catalog();
    let src = if which % 2 == 0 {
        include_str!("../../examples/retrofit-gaps.yaml")
    } else {
        include_str!("../../examples/retail-data-analyst.yaml")
    };
    let l = crate::document::workspace_from_str(src, "example.yaml", &cat).ok()?;
    let mut app = session(l.workspace);
    let mut kind = usize::from(*first);
    for ev in form_events(rest).into_iter().take(256) {
        if !matches!(app.front(), Some(Modal::Form(_))) {
            let forms = forms(&app.ws, &cat);
            if let Some(f) = forms.into_iter().cycle().nth(kind) {
                app.close_layers();
                app.push_layer(Modal::Form(Box::new(f)));
            }
            kind += 1;
        }
        let _ = app.handle(ev);
        check(&app);
        check_form(&app);
        draw(&app);
    }
    Some(app)
}

/// No text field of an open form holds more than its limit.
pub fn check_form(app: &App) {
    if let Some(Modal::Form(f)) = app.front() {
        for field in f.fields.iter().filter(|f| !f.is_choice()) {
            let n = field.value().chars().count();
            assert!(
                n <= field.max(),
                "{} holds {n} > {}",
                field.key,
                field.max()
            );
        }
    }
}

/// The invariants of a session: the document validates, the selections are in range.
pub fn check(app: &App) {
    let errors: Vec<_> = crate::model::validate::workspace(&app.ws, &app.catalog)
        .into_iter()
        .filter(|f| !f.warning)
        .collect();
    assert!(errors.is_empty(), "document invalid: {errors:?}");
    let needs = app.need_order().len();
    assert!(app.need_sel < needs.max(1), "need_sel out of range");
    assert!(
        app.map_sel < app.selected_mappings().len().max(1),
        "map_sel out of range"
    );
    assert!(
        app.gap_sel < app.gap_lines.len().max(1),
        "gap_sel out of range"
    );
    assert!(
        app.matrix_sel.0 < app.ws.needs.len().max(1),
        "matrix row out of range"
    );
    assert!(
        app.matrix_sel.1 < app.ws.competencies.len().max(1),
        "matrix column out of range"
    );
}

/// Draw the session at its size.
pub fn draw(app: &App) {
    // One terminal per size, kept between draws as a real one is: allocating a fresh 500×500
    // buffer for every frame was nearly all of a large input's time.
    thread_local! {
        static TERM: std::cell::RefCell<Option<Terminal<TestBackend>>> =
            const { std::cell::RefCell::new(None) };
    }
    TERM.with(|cell| {
        let mut term = cell.borrow_mut();
        let fits = term.as_ref().is_some_and(|t| {
            let a = t.backend().buffer().area;
            (a.width, a.height) == app.size
        });
        if !fits {
            *term = Terminal::new(TestBackend::new(app.size.0, app.size.1)).ok();
        }
        if let Some(t) = term.as_mut() {
            let _ = t.draw(|f| crate::tui::view::draw(f, app));
        }
    });
}

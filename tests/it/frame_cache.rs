//! The served session's pane cache (`view::FrameCache`): a frame drawn with the cache, which
//! copies the panes whose content is that of the last frame, is cell for cell the frame drawn
//! afresh — through random keys of the session itself, changes other people make on the same
//! hub, and resizes; and a change elsewhere leaves the panes it does not touch copied. The
//! served screen (`serve::screen::ServedScreen`), which sends only the parts that changed, leaves
//! the client's screen cell for cell as the fresh frame through the same steps and lost frames.

use crate::common;
use common::screen::{key, keys};

use std::sync::Arc;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use microcred::document::Hub;
use microcred::edit::{Actor, Role};
use microcred::serve::screen::ServedScreen;
use microcred::tui::app::App;
use microcred::tui::view::{FrameCache, render, render_with};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

/// What happens between two frames of the session under test.
#[derive(Debug, Clone)]
enum Step {
    /// A key of the session itself.
    Mine(Event),
    /// A key of the other session (a designer on the same hub); the session then syncs.
    Theirs(Event),
    /// The session's terminal takes another size.
    Resize(u16, u16),
    /// A frame did not reach the client: its screen is cleared and drawn again.
    Lost,
}

fn a_key() -> impl Strategy<Value = Event> {
    let code = prop_oneof![
        8 => proptest::sample::select("jjjkkJKgG123hlyprdc+x ab?z:AOVDHmfe".chars().collect::<Vec<_>>())
            .prop_map(KeyCode::Char),
        3 => proptest::sample::select(vec![
            KeyCode::Enter,
            KeyCode::Esc,
            KeyCode::Tab,
            KeyCode::BackTab,
            KeyCode::Down,
            KeyCode::Up,
            KeyCode::PageDown,
            KeyCode::PageUp,
        ]),
    ];
    code.prop_map(|c| Event::Key(KeyEvent::new(c, KeyModifiers::NONE)))
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => a_key().prop_map(Step::Mine),
        4 => a_key().prop_map(Step::Theirs),
        1 => proptest::sample::select(vec![(200u16, 60u16), (120, 40), (100, 30), (80, 24), (60, 20)])
            .prop_map(|(w, h)| Step::Resize(w, h)),
        1 => Just(Step::Lost),
    ]
}

/// The frame `app` draws afresh, on a terminal of its own.
fn fresh(app: &App) -> Buffer {
    fresh_screen(app).0
}

/// The frame `app` draws afresh, and where it puts the cursor (None: hidden).
fn fresh_screen(app: &App) -> (Buffer, Option<ratatui::layout::Position>) {
    let (w, h) = app.size;
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| {
        render(f, app);
    })
    .expect("drawn");
    (t.backend().buffer().clone(), cursor(&t))
}

/// Where the terminal's cursor is (None: hidden).
fn cursor(t: &Terminal<TestBackend>) -> Option<ratatui::layout::Position> {
    let b = t.backend();
    b.cursor_visible().then(|| b.cursor_position())
}

/// The session's frame drawn with `cache` on its own terminal (kept from frame to frame, as a
/// served session keeps it), and the hit map.
fn cached(t: &mut Terminal<TestBackend>, app: &App, cache: &mut FrameCache) -> Buffer {
    let (w, h) = app.size;
    if t.size().map(|s| (s.width, s.height)) != Ok((w, h)) {
        t.backend_mut().resize(w, h);
        t.resize(ratatui::layout::Rect::new(0, 0, w, h))
            .expect("resized");
    }
    t.draw(|f| {
        render_with(f, app, cache);
    })
    .expect("drawn")
    .buffer
    .clone()
}

/// The buffer as text, one line per row.
fn text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

fn sessions(example: &str, me: Role) -> (Arc<Hub>, App, App) {
    let hub = common::screen::hub(example);
    let mut mine = App::with_hub(
        hub.clone(),
        Actor {
            name: "me".into(),
            role: me,
        },
    )
    .with_clock(common::screen::CLOCK);
    mine.size = (200, 60);
    let mut theirs =
        App::with_hub(hub.clone(), Actor::designer("them")).with_clock(common::screen::CLOCK);
    theirs.size = (120, 40);
    (hub, mine, theirs)
}

/// The session `mine` takes step `s` (a key, the other session's key and a sync, a size);
/// a lost frame changes nothing in it.
fn take(s: Step, mine: &mut App, theirs: &mut App) {
    match s {
        Step::Mine(ev) => {
            let _ = mine.handle(ev);
        }
        Step::Theirs(ev) => {
            let _ = theirs.handle(ev);
            mine.sync();
        }
        Step::Resize(w, h) => {
            let _ = mine.handle(Event::Resize(w, h));
        }
        Step::Lost => {}
    }
}

fn run(example: &str, me: Role, steps: Vec<Step>) -> Result<(u64, u64), TestCaseError> {
    let (_hub, mut mine, mut theirs) = sessions(example, me);
    let mut cache = FrameCache::new();
    let mut t = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
    prop_assert_eq!(cached(&mut t, &mine, &mut cache), fresh(&mine));
    for (i, s) in steps.into_iter().enumerate() {
        take(s, &mut mine, &mut theirs);
        let with = cached(&mut t, &mine, &mut cache);
        let without = fresh(&mine);
        prop_assert!(
            with == without,
            "step {}: the cached frame differs from the fresh one\ncached:\n{}\nfresh:\n{}",
            i,
            text(&with),
            text(&without)
        );
    }
    Ok(cache.counts())
}

/// The served screen through `steps`: after every frame, what the client shows (the test
/// backend's own buffer, which only the cells sent change) is the fresh frame. Returns the
/// screen's counts of whole and incremental frames.
fn served(example: &str, me: Role, steps: Vec<Step>) -> Result<(u64, u64), TestCaseError> {
    let (_hub, mut mine, mut theirs) = sessions(example, me);
    let mut cache = FrameCache::new();
    let mut screen = ServedScreen::new();
    let mut t = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
    screen.draw(&mut t, &mine, &mut cache).expect("drawn");
    prop_assert_eq!(t.backend().buffer().clone(), fresh(&mine));
    for (i, s) in steps.into_iter().enumerate() {
        // The session's own terminal: a new size, or a screen cleared for a lost frame.
        match s {
            Step::Resize(w, h) => {
                t.backend_mut().resize(w, h);
                t.resize(ratatui::layout::Rect::new(0, 0, w, h))
                    .expect("resized");
                screen.forget(&mut cache);
            }
            Step::Lost => {
                t.clear().expect("cleared");
                screen.forget(&mut cache);
            }
            _ => {}
        }
        take(s, &mut mine, &mut theirs);
        screen.draw(&mut t, &mine, &mut cache).expect("drawn");
        let shown = t.backend().buffer().clone();
        let (without, fresh_cursor) = fresh_screen(&mine);
        prop_assert_eq!(cursor(&t), fresh_cursor, "step {}: the cursor", i);
        prop_assert!(
            shown == without,
            "step {}: the client's screen differs from the fresh frame\nshown:\n{}\nfresh:\n{}",
            i,
            text(&shown),
            text(&without)
        );
    }
    Ok(screen.counts())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    #[test]
    fn the_served_screen_is_the_fresh_frame_on_retrofit(steps in proptest::collection::vec(step(), 1..60)) {
        served("retrofit-gaps.yaml", Role::Designer, steps)?;
    }

    #[test]
    fn the_served_screen_is_the_fresh_frame_for_a_partner_on_retail(steps in proptest::collection::vec(step(), 1..60)) {
        served("retail-data-analyst.yaml", Role::Partner("northwind-retail".into()), steps)?;
    }

    #[test]
    fn a_cached_frame_is_the_fresh_frame_on_retrofit(steps in proptest::collection::vec(step(), 1..60)) {
        run("retrofit-gaps.yaml", Role::Designer, steps)?;
    }

    #[test]
    fn a_cached_frame_is_the_fresh_frame_for_a_partner_on_retail(steps in proptest::collection::vec(step(), 1..60)) {
        run("retail-data-analyst.yaml", Role::Partner("northwind-retail".into()), steps)?;
    }
}

/// A comment another person makes on a mapping the session does not show redraws the panes
/// it changes only: the needs, gaps and competency panes are copied, and the frame is the
/// fresh one. (Drawn afresh every time, the counts would show no copies.)
#[test]
fn a_change_elsewhere_copies_the_panes_it_leaves_alone() {
    let (_hub, mut mine, mut theirs) = sessions("retrofit-gaps.yaml", Role::Designer);
    let mut cache = FrameCache::new();
    let mut t = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
    // The session on its first need's first mapping; the other on the last need's.
    keys(&mut mine, "1g2");
    cached(&mut t, &mine, &mut cache);
    assert_eq!(
        cache.counts(),
        (5, 0),
        "the first frame draws every pane and the status line"
    );
    cached(&mut t, &mine, &mut cache);
    assert_eq!(
        cache.counts(),
        (5, 5),
        "an unchanged frame copies every pane"
    );
    comment(
        &mut theirs,
        "1G2cseen on site",
        &mut mine,
        &mut t,
        &mut cache,
    );
    assert_eq!(
        cache.counts(),
        (6, 9),
        "the comment is on a mapping this session does not show: every pane copied, the \
         status line (its notice of the comment) drawn again"
    );
    // Now a comment on the mapping the session shows: the mappings pane is drawn again.
    comment(&mut theirs, "1g2chere too", &mut mine, &mut t, &mut cache);
    assert_eq!(
        cache.counts(),
        (7, 13),
        "only the mappings pane is drawn again"
    );
}

/// `theirs` types `typed` and Enter (a comment); `mine` takes the new version and draws it
/// with `cache`, which gives the frame drawn afresh.
fn comment(
    theirs: &mut App,
    typed: &str,
    mine: &mut App,
    t: &mut Terminal<TestBackend>,
    cache: &mut FrameCache,
) {
    keys(theirs, typed);
    key(theirs, KeyCode::Enter);
    assert!(mine.sync(), "the comment is a new version");
    assert_eq!(cached(t, mine, cache), fresh(mine));
}

/// A comment another person makes reaches the served screen as an incremental frame (the
/// parts it changes only); layers opened and closed over the main view are incremental too,
/// with the cursor where a fresh frame puts it; the screen is the fresh frame each time.
#[test]
fn a_change_elsewhere_sends_only_the_parts_it_changes() {
    let (_hub, mut mine, mut theirs) = sessions("retrofit-gaps.yaml", Role::Designer);
    let mut cache = FrameCache::new();
    let mut screen = ServedScreen::new();
    let mut t = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
    keys(&mut mine, "1g2");
    screen.draw(&mut t, &mine, &mut cache).expect("drawn");
    assert_eq!(screen.counts(), (1, 0), "the first frame is drawn whole");
    keys(&mut theirs, "1g2chere too");
    key(&mut theirs, KeyCode::Enter);
    assert!(mine.sync(), "the comment is a new version");
    let before = cache.counts();
    screen.draw(&mut t, &mine, &mut cache).expect("drawn");
    assert_eq!(
        screen.counts(),
        (1, 1),
        "the comment's frame is incremental"
    );
    assert_eq!(t.backend().buffer().clone(), fresh(&mine));
    assert_eq!(
        cache.counts().0 - before.0,
        2,
        "the mappings pane and the status line (its notice) are drawn again, nothing else"
    );
    // Help over the screen, closed; a comment form (with its cursor), typed in, closed.
    for step in ["?", "\x1b", "c", "seen", "\x1b"] {
        match step {
            "\x1b" => key(&mut mine, KeyCode::Esc),
            typed => keys(&mut mine, typed),
        }
        screen.draw(&mut t, &mine, &mut cache).expect("drawn");
        let (screen_now, cursor_now) = fresh_screen(&mine);
        assert_eq!(t.backend().buffer().clone(), screen_now, "after {step:?}");
        assert_eq!(cursor(&t), cursor_now, "after {step:?}");
    }
    assert!(
        fresh_screen(&mine).1.is_none(),
        "no cursor once the form is closed"
    );
    assert_eq!(
        screen.counts(),
        (1, 6),
        "layers over the main view are drawn incrementally"
    );
    // A resize is drawn whole, then frames are incremental again.
    let _ = mine.handle(Event::Resize(120, 40));
    t.backend_mut().resize(120, 40);
    t.resize(ratatui::layout::Rect::new(0, 0, 120, 40))
        .expect("resized");
    screen.forget(&mut cache);
    screen.draw(&mut t, &mine, &mut cache).expect("drawn");
    screen.draw(&mut t, &mine, &mut cache).expect("drawn");
    assert_eq!(screen.counts(), (2, 7));
    assert_eq!(t.backend().buffer().clone(), fresh(&mine));
}

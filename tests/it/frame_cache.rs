//! The served session's pane cache (`view::FrameCache`): a frame drawn with the cache, which
//! copies the panes whose content is that of the last frame, is cell for cell the frame drawn
//! afresh — through random keys of the session itself, changes other people make on the same
//! hub, and resizes; and a change elsewhere leaves the panes it does not touch copied.

use crate::common;
use common::screen::{key, keys};

use std::sync::Arc;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use microcred::document::Hub;
use microcred::edit::{Actor, Role};
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
}

fn a_key() -> impl Strategy<Value = Event> {
    let code = prop_oneof![
        8 => proptest::sample::select("jjjkkJKgG123hlyprdc+x ab".chars().collect::<Vec<_>>())
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
    ]
}

/// The frame `app` draws afresh, on a terminal of its own.
fn fresh(app: &App) -> Buffer {
    let (w, h) = app.size;
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| {
        render(f, app);
    })
    .expect("drawn")
    .buffer
    .clone()
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

fn run(example: &str, me: Role, steps: Vec<Step>) -> Result<(u64, u64), TestCaseError> {
    let (_hub, mut mine, mut theirs) = sessions(example, me);
    let mut cache = FrameCache::new();
    let mut t = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
    prop_assert_eq!(cached(&mut t, &mine, &mut cache), fresh(&mine));
    for (i, s) in steps.into_iter().enumerate() {
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
        }
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

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
    assert_eq!(cache.counts(), (4, 0), "the first frame draws every pane");
    cached(&mut t, &mine, &mut cache);
    assert_eq!(
        cache.counts(),
        (4, 4),
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
        (4, 8),
        "the comment is on a mapping this session does not show: every pane copied"
    );
    // Now a comment on the mapping the session shows: the mappings pane is drawn again.
    comment(&mut theirs, "1g2chere too", &mut mine, &mut t, &mut cache);
    assert_eq!(
        cache.counts(),
        (5, 11),
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

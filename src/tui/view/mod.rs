//! Drawing: reads the `App`, never changes it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Gauge, Paragraph, Wrap};

use super::app::{
    App, COMMENT_INDENT, FrameRows, GAP_LEAD, GapRow, MAPPING_INDENT, MAPPING_LEAD, MapLine, Modal,
    NeedRow, SUPPORT_COLS, View, need_lead, palette_items, short_time,
};
use super::finder::Browser;
use super::form::{Form, PROSE_HINT};
use super::history::{Change, HistoryView};
use super::keys::{Cmd, Context};
use super::layout::{Focus, HitMap, MIN_SIZE, offset};
use super::theme::{Theme, priority_label};
use super::wrap::{self, column, fit, short_id};
use crate::analysis::gap::NeedStatus;
use crate::edit::Role;

mod cache;
mod confirm;
mod demand;
mod details;
mod finder;
mod form;
mod help;
mod history;
mod lists;
mod main;
mod matrix;
mod palette;
mod portfolio;
mod status;
mod vote;

use cache::Framed;
pub use cache::{FrameCache, Pane, Part};
pub use help::{help_lines, help_lines_for};
pub use portfolio::{portfolio_help_lines, render_portfolio};
pub use status::hints;

/// Draw the whole screen.
pub fn draw(f: &mut Frame, app: &App) {
    render(f, app);
}

/// Draw the whole screen and return its hit map (what each pane shows on which row), for the
/// runner to keep beside the app for the mouse handler.
pub fn render(f: &mut Frame, app: &App) -> HitMap {
    render_with(f, app, &mut FrameCache::off())
}

/// [`render`], copying the panes whose content is that of `cache`'s last frame instead of
/// drawing them again (a served session keeps one `cache` for all its frames).
pub fn render_with(f: &mut Frame, app: &App, cache: &mut FrameCache) -> HitMap {
    NOTES.with_borrow_mut(|n| *n = FrameNotes::default());
    // The lists are laid out once per frame, for the hit map and the drawing.
    let (hits, rows) = app.frame_layout();
    paint(f, app, cache, &hits, rows);
    hits
}

/// The areas of the screen's parts when the screen is the main view (large enough), with or
/// without layers over it: a frame with the same plan as the frame before it may be drawn
/// incrementally (see [`FrameCache::begin`]); None when it must be drawn whole.
pub fn incremental_plan(app: &App) -> Option<super::layout::Areas> {
    let a = app.areas();
    (!a.too_small && app.view == View::Main).then_some(a)
}

/// Draw the screen, each list scrolled as `hits` says (so a click reads what was drawn), from
/// the lists' `rows` the hit map was made from.
fn paint(f: &mut Frame, app: &App, cache: &mut FrameCache, hits: &HitMap, rows: FrameRows) {
    let a = app.areas();
    let t = app.theme;
    if a.too_small {
        let (w, h) = app.size;
        let msg = vec![
            Line::from(Span::styled("Terminal too small", t.title())),
            Line::from(format!(
                "{w}×{h}; microcred needs at least {}×{}.",
                MIN_SIZE.0, MIN_SIZE.1
            )),
            Line::from("Enlarge the window or make the font smaller."),
        ];
        f.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), a.body);
        return;
    }
    if a.compact {
        main::tabs(f, app, a.tabs);
        cache.mark(a.tabs);
    }
    match app.view {
        View::Main => {
            main::needs(f, app, cache, a.needs, hits.needs.first, rows.needs);
            main::mappings(f, app, cache, a.mappings, hits.mappings.first);
            let reference = app.detail_reference();
            details::details(f, app, cache, a.details, reference.as_deref());
            main::gaps(f, app, cache, a.gaps, hits.gaps.first, rows.gaps);
        }
        View::Matrix => matrix::matrix(f, app, a.body),
    }
    status::status(f, app, cache, a.status);
    for m in app.layers() {
        modal(f, app, m);
    }
    let _ = t;
}

fn block(title: String, focused: bool, t: Theme) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(t.border(focused))
        .title(Span::styled(title, t.title()))
}

/// The area of a layer over the whole screen (two columns and a row kept free around it, at
/// most `max_w` wide), cleared of what is under it.
fn overlay(f: &mut Frame, max_w: u16) -> Rect {
    let screen = f.area();
    let area = centered(
        screen,
        screen.width.saturating_sub(4).min(max_w),
        screen.height.saturating_sub(2),
    );
    clear_layer(f, area);
    area
}

/// Clear `area` for a layer drawn over the screen, and note it (see [`FrameNotes`]): a layer
/// draws only within the area it cleared.
fn clear_layer(f: &mut Frame, area: Rect) {
    f.render_widget(Clear, area);
    NOTES.with_borrow_mut(|n| n.layers.push(area));
}

/// Place the terminal's cursor at `pos` for this frame, and note it (see [`FrameNotes`]).
fn place_cursor(f: &mut Frame, pos: (u16, u16)) {
    f.set_cursor_position(pos);
    NOTES.with_borrow_mut(|n| n.cursor = Some(pos.into()));
}

/// What a frame's drawing did besides its cells, which ratatui's `Frame` does not tell once
/// drawn: the areas its layers cleared and where it placed the cursor. Noted while
/// [`render_with`] draws, on the thread that draws, and read right after it with
/// [`frame_notes`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrameNotes {
    /// The areas the layers cleared, front last.
    pub layers: Vec<Rect>,
    /// Where the cursor is, when a layer shows it.
    pub cursor: Option<ratatui::layout::Position>,
}

thread_local! {
    static NOTES: std::cell::RefCell<FrameNotes> = std::cell::RefCell::default();
}

/// The notes of the last frame [`render_with`] drew on this thread.
pub fn frame_notes() -> FrameNotes {
    NOTES.with_borrow(|n| n.clone())
}

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn modal(f: &mut Frame, app: &App, m: &Modal) {
    match m {
        Modal::Help(scroll) => help::help(f, app, scroll),
        Modal::Messages(scroll) => help::messages(f, app, scroll),
        Modal::Palette(input, sel) => palette::palette(f, app, input, sel),
        Modal::Confirm(c) => confirm::confirm(f, app, c),
        Modal::Finder(finder) => finder::finder(f, app, finder),
        Modal::Browser(br) => finder::browser(f, app, br),
        Modal::Activity(sel) => lists::activity(f, app, *sel),
        Modal::History(h) => history::history(f, app, h),
        Modal::Partners(sel) => lists::partners(f, app, *sel),
        Modal::Vote(v) => vote::vote(f, app, v),
        Modal::Demand(v) => demand::demand(f, app, v),
        Modal::Form(form) => form::form_modal(f, app, form),
    }
}

/// "Enter save · Esc cancel": the first key of each command in `ctx`, with its label.
fn keys_line(app: &App, ctx: Context, cmds: &[Cmd]) -> String {
    cmds.iter()
        .filter_map(|&c| {
            let key = app.keymap.keys_for(ctx, c).into_iter().next()?;
            let label = app
                .keymap
                .bindings()
                .iter()
                .find(|b| b.context == ctx && b.cmd == c)
                .map_or(c.label(), |b| b.label());
            Some(format!("{key} {label}"))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

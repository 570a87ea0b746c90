//! What a served session's client shows, and frames that send only what changed on it.
//!
//! ratatui's `Terminal` draws every frame whole and compares every cell of it with the frame
//! before. In a room, a change someone makes redraws every session, and most of each screen
//! stays as it was: a comment on one mapping changes that session's mappings pane and status
//! line, not its needs, gaps or details. A [`ServedScreen`] keeps the cells the client shows.
//! While the screen is the main view and its parts keep their areas, a frame draws the parts
//! whose content changed (the [`FrameCache`] leaves the others alone: neither copied nor
//! compared) and the layers over them (a form, help: each within the area it cleared), and
//! sends the cells of those that differ from what the client shows, found with ratatui's own
//! diff row by row; where a layer was, the panes under it are sent again. Any other frame (the
//! portfolio matrix, a screen too small, a resize, a lost frame, the frame after one of those)
//! is drawn whole through the `Terminal`, after telling it what the client shows.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;

use crate::tui::app::App;
use crate::tui::layout::{Areas, HitMap};
use crate::tui::view::{self, FrameCache, Pane, Part};

/// The client's screen as the last frame left it (see the module's comment).
#[derive(Debug, Default)]
pub struct ServedScreen {
    /// The cells the client shows, when the last frame was the main view (layers or not).
    shown: Option<Buffer>,
    /// The areas of the last frame's parts, when it was the main view (see
    /// [`view::incremental_plan`]).
    plan: Option<Areas>,
    /// The `Terminal`'s own last buffer is older than `shown` (incremental frames bypass it).
    stale: bool,
    /// Frames drawn whole and frames drawn incrementally, for tests and measurements.
    counts: (u64, u64),
    /// Scratch rows for the diff.
    rows: Rows,
    /// Drawings the client shows but `shown` does not have yet (see [`settle`]): kept, since
    /// the pane's own drawing may change before `shown` needs them.
    behind: Vec<(Pane, Arc<Buffer>)>,
    /// The last frame showed the cursor (a layer's text field).
    cursor: bool,
}

impl ServedScreen {
    /// A screen nothing is known of: the first frame is drawn whole.
    pub fn new() -> Self {
        ServedScreen::default()
    }

    /// Frames drawn whole and frames drawn incrementally so far.
    pub fn counts(&self) -> (u64, u64) {
        self.counts
    }

    /// Forget what the client shows: its screen was cleared (`Terminal::clear`, a resize).
    /// The next frame is drawn whole.
    pub fn forget(&mut self, cache: &mut FrameCache) {
        self.shown = None;
        self.plan = None;
        self.stale = false;
        self.behind.clear();
        self.cursor = false;
        cache.forget_screen();
    }

    /// Draw `app`'s frame on `terminal`, incrementally when the last frame allows it, and
    /// return the frame's hit map.
    pub fn draw<B: Backend>(
        &mut self,
        terminal: &mut Terminal<B>,
        app: &App,
        cache: &mut FrameCache,
    ) -> Result<HitMap, B::Error> {
        let plan = view::incremental_plan(app);
        let incremental = plan.is_some() && plan == self.plan && self.shown.is_some();
        if incremental && let Some(shown) = self.shown.as_mut() {
            cache.begin(true, !app.layers().is_empty());
            let hits = view::render_with(&mut terminal.get_frame(), app, cache);
            let notes = view::frame_notes();
            let cur = terminal.current_buffer_mut();
            let mut updates = Vec::new();
            let mut parts = cache.take_dirty();
            // A layer draws within the area it cleared, over the panes: on the frame. Where the
            // last frame's layers were, the panes under them are drawn again (they were not on
            // screen as drawn: see `FrameCache::landed`).
            parts.extend(notes.layers.iter().map(|&area| Part::Frame(area)));
            // The frame's parts may overlap (a layer over a pane): blanked once all are sent.
            let mut drawn_on = Vec::new();
            for part in parts {
                match part {
                    Part::Frame(area) => {
                        settle(shown, &mut self.behind);
                        let area = area.intersection(cur.area);
                        self.rows.send(shown, cur, area, &mut updates);
                        drawn_on.push(area);
                    }
                    Part::Pane(pane) => {
                        settle(shown, &mut self.behind);
                        if let Some(drawing) = cache.drawing(pane) {
                            self.rows.send(shown, drawing, drawing.area, &mut updates);
                        }
                    }
                    Part::Changed(pane, was) => {
                        // What the client shows there is `was`: the change from it to the new
                        // drawing is the same for every session making it, so it is found once
                        // (see `changes`); `shown` catches up later (see `settle`).
                        if let Some(now) = cache.drawing(pane) {
                            updates.extend(changes(&was, now, &mut self.rows).iter().cloned());
                            self.behind.retain(|(p, _)| *p != pane);
                            self.behind.push((pane, now.clone()));
                        }
                    }
                }
            }
            for area in drawn_on {
                blank(cur, area);
            }
            let backend = terminal.backend_mut();
            backend.draw(updates.iter().map(|(x, y, c)| (*x, *y, c)))?;
            // The cursor after the cells, as ratatui places it.
            match notes.cursor {
                Some(pos) => {
                    backend.show_cursor()?;
                    backend.set_cursor_position(pos)?;
                }
                None if self.cursor => backend.hide_cursor()?,
                None => {}
            }
            self.cursor = notes.cursor.is_some();
            backend.flush()?;
            cache.landed(true, &notes.layers);
            self.stale = true;
            self.counts.1 += 1;
            return Ok(hits);
        }
        if self.stale {
            // The terminal compares the frame with what the client shows, not with the last
            // frame it drew itself.
            if let Some(shown) = self.shown.as_mut() {
                settle(shown, &mut self.behind);
                terminal.current_buffer_mut().clone_from(shown);
                terminal.swap_buffers();
            }
            self.stale = false;
        }
        cache.begin(false, false);
        let mut hits = None;
        let done = terminal.draw(|f| hits = Some(view::render_with(f, app, cache)))?;
        let notes = view::frame_notes();
        self.shown = plan.map(|_| done.buffer.clone());
        self.plan = plan;
        self.cursor = notes.cursor.is_some();
        cache.landed(plan.is_some(), &notes.layers);
        self.counts.0 += 1;
        Ok(hits.unwrap_or_default())
    }
}

/// Two rows of cells reused from frame to frame, for ratatui's diff of one changed row.
#[derive(Debug, Default)]
struct Rows(Buffer, Buffer);

impl Rows {
    /// Push to `out` what the client must be sent for `was`'s cells within `area` to become
    /// `now`'s, and return the rows that differ. A row equal in both costs one comparison; a
    /// changed row goes through ratatui's own diff (wide characters and all). `area` lies
    /// inside both buffers and ends at a column no wide character spans (a pane's border, the
    /// screen's edge), so its rows are compared one by one.
    fn diff(&mut self, was: &Buffer, now: &Buffer, area: Rect, out: &mut Vec<Update>) -> Vec<u16> {
        let area = area.intersection(was.area).intersection(now.area);
        let w = area.width as usize;
        let mut changed = Vec::new();
        for y in area.top()..area.bottom() {
            let (s, n) = (was.index_of(area.x, y), now.index_of(area.x, y));
            let (a, b) = (&was.content[s..s + w], &now.content[n..n + w]);
            if a == b {
                continue;
            }
            let row = Rect::new(area.x, y, area.width, 1);
            self.0.resize(row);
            self.1.resize(row);
            self.0.content.clone_from_slice(a);
            self.1.content.clone_from_slice(b);
            out.extend(
                self.0
                    .diff(&self.1)
                    .into_iter()
                    .map(|(x, y, c)| (x, y, c.clone())),
            );
            changed.push(y);
        }
        changed
    }

    /// [`Rows::diff`] from what the client shows, `shown`, to `next`, and make `shown` so.
    fn send(&mut self, shown: &mut Buffer, next: &Buffer, area: Rect, out: &mut Vec<Update>) {
        let area = area.intersection(shown.area).intersection(next.area);
        let changed = self.diff(shown, next, area, out);
        copy_rows(shown, next, area, changed);
    }
}

/// The changes from one drawing to another, newest first, shared by the sessions of a
/// process: in a room, many sessions show the same pane change the same way. Kept while their
/// drawings are (so a drawing's address is not taken by another); bounded to [`CHANGES_KEPT`].
static CHANGES: Mutex<VecDeque<Change>> = Mutex::new(VecDeque::new());

/// A drawing, the drawing that replaced it, and what the client is sent for that.
type Change = (Arc<Buffer>, Arc<Buffer>, Arc<[Update]>);

/// How many changes [`CHANGES`] keeps.
const CHANGES_KEPT: usize = 16;

/// What the client is sent for drawing `was` (on its screen) to become `now` (same area).
fn changes(was: &Arc<Buffer>, now: &Arc<Buffer>, rows: &mut Rows) -> Arc<[Update]> {
    if let Ok(memo) = CHANGES.lock()
        && let Some((_, _, u)) = memo
            .iter()
            .find(|(a, b, _)| Arc::ptr_eq(a, was) && Arc::ptr_eq(b, now))
    {
        return u.clone();
    }
    let mut out = Vec::new();
    rows.diff(was, now, now.area, &mut out);
    let out: Arc<[Update]> = out.into();
    if let Ok(mut memo) = CHANGES.lock() {
        memo.push_front((was.clone(), now.clone(), out.clone()));
        memo.truncate(CHANGES_KEPT);
    }
    out
}

/// Bring `shown` up to what the client shows: the drawings in `behind`, each in its area.
fn settle(shown: &mut Buffer, behind: &mut Vec<(Pane, Arc<Buffer>)>) {
    for (_, d) in behind.drain(..) {
        let area = d.area.intersection(shown.area);
        copy_rows(shown, &d, area, area.top()..area.bottom());
    }
}

/// Copy the `rows` of `area` (inside both buffers) from `src` to `dst`.
fn copy_rows(dst: &mut Buffer, src: &Buffer, area: Rect, rows: impl IntoIterator<Item = u16>) {
    let w = area.width as usize;
    for y in rows {
        let (d, s) = (dst.index_of(area.x, y), src.index_of(area.x, y));
        dst.content[d..d + w].clone_from_slice(&src.content[s..s + w]);
    }
}

/// A cell the client is sent, at its column and row.
type Update = (u16, u16, Cell);

/// Blank the cells of `buf` within `area` (inside it), for the next frame to draw on.
fn blank(buf: &mut Buffer, area: Rect) {
    for y in area.top()..area.bottom() {
        let i = buf.index_of(area.x, y);
        for cell in &mut buf.content[i..i + area.width as usize] {
            cell.reset();
        }
    }
}

//! Panes drawn once and copied while what they show stays the same. A served room draws every
//! session's frame for every change, and most changes leave most panes as they were (a comment
//! on one mapping changes the mappings pane, not the needs, the gaps or the competency). Each
//! pane is described by a key — its frame's title and style and the lines it shows, already
//! made — and drawn by a plain function of that key and its area alone (a `fn`, so it cannot
//! read anything the key does not hold). While a pane's key and area equal the last frame's,
//! its cells are copied from the last drawing instead of laid out again (grapheme by grapheme).
//! In an incremental frame (`serve::screen`) such a pane is left alone altogether, and the
//! panes drawn again are reported as [`Part`]s; drawings are shared by the sessions of a
//! process (see [`SHARED`]).

use std::any::Any;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

/// The panes of one session's last frame (see the module's comment). A session keeps one and
/// draws with [`super::render_with`]; [`FrameCache::off`] draws every pane afresh.
#[derive(Debug, Default)]
pub struct FrameCache {
    on: bool,
    pub(super) needs: Slot<Framed>,
    pub(super) mappings: Slot<Framed>,
    pub(super) details: Slot<Framed>,
    pub(super) gaps: Slot<super::main::GapsKey>,
    pub(super) status: Slot<super::status::StatusKey>,
    /// Panes drawn and panes copied, for tests and measurements.
    counts: (u64, u64),
    /// Drawing an incremental frame (see [`FrameCache::begin`]).
    incremental: bool,
    /// With a layer over the panes (see [`FrameCache::begin`]).
    layered: bool,
    /// The parts an incremental frame drew, to send to the client.
    dirty: Vec<Part>,
}

/// A part of the screen an incremental frame drew (see [`FrameCache::take_dirty`]).
#[derive(Debug, Clone)]
pub enum Part {
    /// Drawn on the frame's buffer in this area.
    Frame(Rect),
    /// A pane whose drawing ([`FrameCache::drawing`]) is not what the client shows; it is not
    /// copied onto the frame's buffer.
    Pane(Pane),
    /// A pane drawn anew in place of the drawing the client shows, which is this one (same
    /// area): the client needs what differs between the two.
    Changed(Pane, Arc<Buffer>),
}

/// The main view's panes a [`FrameCache`] keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Needs,
    Mappings,
    Details,
    Gaps,
    Status,
}

impl FrameCache {
    /// A cache that keeps each pane's last drawing.
    pub fn new() -> Self {
        FrameCache {
            on: true,
            ..FrameCache::default()
        }
    }

    /// No cache: every pane is drawn afresh (the local editor, tests).
    pub fn off() -> Self {
        FrameCache::default()
    }

    /// How many panes were drawn and how many copied since the cache was made.
    pub fn counts(&self) -> (u64, u64) {
        self.counts
    }

    /// Start a frame. An `incremental` frame is drawn on the screen the last frame left, with
    /// the same areas: a pane whose key and area are unchanged and whose drawing that frame put
    /// on screen is left alone (neither copied nor compared), and every part drawn is noted
    /// for [`FrameCache::take_dirty`]. In a `layered` one (a layer will be drawn over the
    /// panes), a pane drawn is copied onto the frame, under the layer, as a whole frame copies
    /// it. Any other frame is drawn whole, as before.
    pub fn begin(&mut self, incremental: bool, layered: bool) {
        self.incremental = incremental && self.on;
        self.layered = layered;
        self.dirty.clear();
    }

    /// After a frame reached the client: `whole` when the client's screen is this frame, so
    /// that each pane drawn in it is on screen as drawn — except where one of the `covered`
    /// areas (its layers) lies over it.
    pub fn landed(&mut self, whole: bool, covered: &[Rect]) {
        self.needs.land(whole, covered);
        self.mappings.land(whole, covered);
        self.details.land(whole, covered);
        self.gaps.land(whole, covered);
        self.status.land(whole, covered);
        self.incremental = false;
    }

    /// Forget what is on screen (the client's screen was cleared or resized).
    pub fn forget_screen(&mut self) {
        self.landed(false, &[]);
    }

    /// The parts the incremental frame drew (empty after a whole frame).
    pub fn take_dirty(&mut self) -> Vec<Part> {
        std::mem::take(&mut self.dirty)
    }

    /// A pane's last drawing (its area is the buffer's).
    pub fn drawing(&self, pane: Pane) -> Option<&Arc<Buffer>> {
        match pane {
            Pane::Needs => self.needs.cells(),
            Pane::Mappings => self.mappings.cells(),
            Pane::Details => self.details.cells(),
            Pane::Gaps => self.gaps.cells(),
            Pane::Status => self.status.cells(),
        }
    }

    /// Note `area` as drawn into by the incremental frame (a part drawn every frame).
    pub(super) fn mark(&mut self, area: Rect) {
        if self.incremental && !area.is_empty() {
            self.dirty.push(Part::Frame(area));
        }
    }

    /// Draw one pane from `key` into `area` of `buf` with `paint`, or copy its last drawing
    /// when `key` and `area` are those it was drawn from. The cells of `area` in `buf` are blank
    /// (the panes are drawn first, side by side, on a frame that starts blank).
    pub(super) fn pane<K: PartialEq + Clone + Send + Sync + 'static>(
        &mut self,
        which: Pane,
        slot: impl FnOnce(&mut Self) -> &mut Slot<K>,
        buf: &mut Buffer,
        area: Rect,
        key: K,
        paint: fn(&K, Rect, &mut Buffer),
    ) {
        if !self.on {
            paint(&key, area, buf);
            return;
        }
        let (incremental, layered) = (self.incremental, self.layered);
        let slot = slot(self);
        let hit = slot
            .last
            .as_ref()
            .is_some_and(|(k, cells)| cells.area == area && *k == key);
        // The drawing the client shows in this area, when this one replaces it.
        let mut was = None;
        if !hit {
            if incremental && slot.on_screen {
                was = slot.last.take().map(|(_, c)| c).filter(|c| c.area == area);
            }
            let cells = shared(which, &key, area, paint);
            slot.runs = None;
            slot.last = Some((key, cells));
        }
        slot.drawn = true;
        if incremental {
            let unchanged_on_screen = hit && slot.on_screen;
            if unchanged_on_screen || area.is_empty() {
                // Left alone.
            } else if layered {
                // Under a layer: on the frame, compared as the frame's part.
                if let Some((_, cells)) = &slot.last {
                    copy(cells, slot.runs.get_or_insert_with(|| runs(cells)), buf);
                }
                self.dirty.push(Part::Frame(area));
            } else {
                // The screen sends the drawing itself where the client shows something else.
                self.dirty.push(match was {
                    Some(was) => Part::Changed(which, was),
                    None => Part::Pane(which),
                });
            }
        } else if let Some((_, cells)) = &slot.last {
            copy(cells, slot.runs.get_or_insert_with(|| runs(cells)), buf);
        }
        if hit {
            self.counts.1 += 1;
        } else {
            self.counts.0 += 1;
        }
    }
}

/// Drawings the sessions of a process share, newest first: in a room, many people look at
/// the same pane (the need under discussion, the same width), and a drawing is a plain function
/// of its key and area, so each is drawn once. Bounded to [`SHARED_KEPT`] drawings.
static SHARED: Mutex<VecDeque<Shared>> = Mutex::new(VecDeque::new());

/// How many drawings [`SHARED`] keeps.
const SHARED_KEPT: usize = 32;

/// A drawing in [`SHARED`]: the pane, its key, the cells (their area is the pane's).
struct Shared {
    pane: Pane,
    key: Box<dyn Any + Send + Sync>,
    cells: Arc<Buffer>,
}

/// The drawing of `key` in `area` with `paint`: the one another session made, when [`SHARED`]
/// still has it, else drawn now (outside the lock) and kept.
fn shared<K: PartialEq + Clone + Send + Sync + 'static>(
    pane: Pane,
    key: &K,
    area: Rect,
    paint: fn(&K, Rect, &mut Buffer),
) -> Arc<Buffer> {
    if let Ok(mut memo) = SHARED.lock() {
        let found = memo.iter().position(|e| {
            e.pane == pane && e.cells.area == area && e.key.downcast_ref::<K>() == Some(key)
        });
        if let Some(e) = found.and_then(|i| memo.remove(i)) {
            let cells = e.cells.clone();
            memo.push_front(e);
            return cells;
        }
    }
    let mut cells = Buffer::empty(area);
    paint(key, area, &mut cells);
    let cells = Arc::new(cells);
    if let Ok(mut memo) = SHARED.lock() {
        memo.push_front(Shared {
            pane,
            key: Box::new(key.clone()),
            cells: cells.clone(),
        });
        memo.truncate(SHARED_KEPT);
    }
    cells
}

/// One pane's key and the cells drawn from it.
#[derive(Debug)]
pub(super) struct Slot<K> {
    last: Option<(K, Arc<Buffer>)>,
    /// The runs of the drawing's cells that are not blank (see [`runs`]), once a whole
    /// frame has needed them.
    runs: Option<Vec<(u16, u16, u16)>>,
    /// Drawn (or copied, or left alone) in the frame being made.
    drawn: bool,
    /// The client's screen shows this drawing in its area, nothing over it.
    on_screen: bool,
}

impl<K> Default for Slot<K> {
    fn default() -> Self {
        Slot {
            last: None,
            runs: None,
            drawn: false,
            on_screen: false,
        }
    }
}

impl<K> Slot<K> {
    /// The last drawing's cells.
    fn cells(&self) -> Option<&Arc<Buffer>> {
        self.last.as_ref().map(|(_, b)| b)
    }

    /// The frame reached the client (see [`FrameCache::landed`]).
    fn land(&mut self, whole: bool, covered: &[Rect]) {
        let area = self.last.as_ref().map(|(_, c)| c.area);
        self.on_screen =
            whole && self.drawn && area.is_some_and(|a| !covered.iter().any(|r| r.intersects(a)));
        self.drawn = false;
    }
}

/// The runs of `cells` that differ from a blank cell, as (x, y, length): a pane is drawn onto
/// a frame that starts blank, so only these need copying.
fn runs(cells: &Buffer) -> Vec<(u16, u16, u16)> {
    let a = cells.area;
    let mut out = Vec::new();
    for y in a.top()..a.bottom() {
        let mut start = None;
        for x in a.left()..=a.right() {
            let blank = x == a.right() || cells[(x, y)] == Cell::EMPTY;
            match (start, blank) {
                (None, false) => start = Some(x),
                (Some(s), true) => {
                    out.push((s, y, x - s));
                    start = None;
                }
                _ => {}
            }
        }
    }
    out
}

/// Copy the `runs` of `from` into the same place in `to`, whose cells there are blank (what
/// lies outside `to` is left out).
fn copy(from: &Buffer, runs: &[(u16, u16, u16)], to: &mut Buffer) {
    let area = from.area.intersection(to.area);
    if area.is_empty() {
        return;
    }
    for &(x, y, n) in runs {
        let x2 = (x + n).min(area.right());
        if y < area.top() || y >= area.bottom() || x < area.left() || x >= x2 {
            continue;
        }
        let w = (x2 - x) as usize;
        let src = from.index_of(x, y);
        let dst = to.index_of(x, y);
        to.content[dst..dst + w].clone_from_slice(&from.content[src..src + w]);
    }
}

/// A bordered pane with a title and lines of text: everything its drawing reads.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Framed {
    pub title: Span<'static>,
    pub border: Style,
    pub lines: Vec<Line<'static>>,
    /// Wrapped at word boundaries (trimmed), else cut at the pane's edge.
    pub wrap: bool,
    /// Rows scrolled off the top.
    pub scroll: u16,
    /// A note on the bottom border (its style, its text), inside the corners.
    pub bottom: Option<(Style, Span<'static>)>,
}

impl Framed {
    /// A pane of `lines` under `title`, neither wrapped, scrolled nor noted.
    pub fn new(title: Span<'static>, border: Style, lines: Vec<Line<'static>>) -> Self {
        Framed {
            title,
            border,
            lines,
            wrap: false,
            scroll: 0,
            bottom: None,
        }
    }

    /// The pane's frame.
    pub fn block(&self) -> Block<'static> {
        Block::default()
            .borders(Borders::ALL)
            .border_style(self.border)
            .title(self.title.clone())
    }

    /// Draw the pane (a [`FrameCache::pane`] painter).
    pub fn paint(&self, area: Rect, buf: &mut Buffer) {
        use ratatui::widgets::Widget;
        let b = self.block();
        let inner = b.inner(area);
        b.render(area, buf);
        if let Some((style, note)) = &self.bottom {
            Block::default()
                .borders(Borders::BOTTOM)
                .border_style(*style)
                .title_bottom(note.clone())
                .render(
                    Rect::new(
                        area.x + 1,
                        area.bottom() - 1,
                        area.width.saturating_sub(2),
                        1,
                    ),
                    buf,
                );
        }
        let mut p = Paragraph::new(self.lines.clone());
        if self.wrap {
            p = p.wrap(Wrap { trim: true });
        }
        if self.scroll > 0 {
            p = p.scroll((self.scroll, 0));
        }
        p.render(inner, buf);
    }
}

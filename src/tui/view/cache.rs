//! Panes drawn once and copied while what they show stays the same. A served room draws every
//! session's frame for every change, and most changes leave most panes as they were (a comment
//! on one mapping changes the mappings pane, not the needs, the gaps or the competency). Each
//! pane is described by a key — its frame's title and style and the lines it shows, already
//! made — and drawn by a plain function of that key and its area alone (a `fn`, so it cannot
//! read anything the key does not hold). While a pane's key and area equal the last frame's,
//! its cells are copied from the last drawing instead of laid out again (grapheme by grapheme).

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
    /// Panes drawn and panes copied, for tests and measurements.
    counts: (u64, u64),
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

    /// Draw one pane from `key` into `area` of `buf` with `paint`, or copy its last drawing
    /// when `key` and `area` are those it was drawn from. The cells of `area` in `buf` are blank
    /// (the panes are drawn first, side by side, on a frame that starts blank).
    pub(super) fn pane<K: PartialEq>(
        &mut self,
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
        let slot = slot(self);
        let hit = slot
            .last
            .as_ref()
            .is_some_and(|(k, cells)| cells.area == area && *k == key);
        if !hit {
            let mut cells = Buffer::empty(area);
            paint(&key, area, &mut cells);
            slot.runs = runs(&cells);
            slot.last = Some((key, cells));
        }
        if let Some((_, cells)) = &slot.last {
            copy(cells, &slot.runs, buf);
        }
        if hit {
            self.counts.1 += 1;
        } else {
            self.counts.0 += 1;
        }
    }
}

/// One pane's key and the cells drawn from it.
#[derive(Debug)]
pub(super) struct Slot<K> {
    last: Option<(K, Buffer)>,
    /// The runs of the drawing's cells that are not blank (see [`runs`]).
    runs: Vec<(u16, u16, u16)>,
}

impl<K> Default for Slot<K> {
    fn default() -> Self {
        Slot {
            last: None,
            runs: Vec::new(),
        }
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

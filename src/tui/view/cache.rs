//! Panes drawn once and copied while what they show stays the same. A served room draws every
//! session's frame for every change, and most changes leave most panes as they were (a comment
//! on one mapping changes the mappings pane, not the needs, the gaps or the competency). Each
//! pane is described by a key — its frame's title and style and the lines it shows, already
//! made — and drawn by a plain function of that key and its area alone (a `fn`, so it cannot
//! read anything the key does not hold). While a pane's key and area equal the last frame's,
//! its cells are copied from the last drawing instead of laid out again (grapheme by grapheme).

use ratatui::buffer::Buffer;
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
    /// when `key` and `area` are those it was drawn from.
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
            slot.last = Some((key, cells));
        }
        if let Some((_, cells)) = &slot.last {
            copy(cells, buf);
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
}

impl<K> Default for Slot<K> {
    fn default() -> Self {
        Slot { last: None }
    }
}

/// Copy the cells of `from` into the same place in `to` (what lies outside `to` is left out).
fn copy(from: &Buffer, to: &mut Buffer) {
    let area = from.area.intersection(to.area);
    if area.is_empty() {
        return;
    }
    let w = area.width as usize;
    for y in area.top()..area.bottom() {
        let src = from.index_of(area.x, y);
        let dst = to.index_of(area.x, y);
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

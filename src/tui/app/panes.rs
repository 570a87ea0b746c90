//! The main screen's panes laid out: their rows, the text wrapped for reading and the hit map
//! the mouse reads.

use super::*;

// ----- text laid out for reading (wrapped where it is read) -------------------------------

/// Columns before a need's statement in the needs pane: status mark (3), priority (6), the
/// need's (shortened) id and a space. Wrapped rows of the statement are indented as far.
/// Columns of the needs pane's support column ("2·15 ": endorsing partners · postings).
pub const SUPPORT_COLS: usize = 6;

/// Columns before a need's statement in the needs pane, without the support column: status
/// mark (3), priority (6), id and a space.
pub fn need_lead(id: &str) -> usize {
    9 + wrap::width(&wrap::short_id(id)) + 1
}

/// Columns before a competency's name in the mappings pane: status mark (3) and status (9).
pub const MAPPING_LEAD: usize = 12;
/// Indent of the facts, rationale and comment rows of a mapping.
pub const MAPPING_INDENT: usize = 5;
/// Indent of the wrapped rows of a comment.
pub const COMMENT_INDENT: usize = 7;
/// Columns before a gap line's text (its mark).
pub const GAP_LEAD: usize = 3;

/// One row of the mappings pane, for the mapping it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MapLine {
    /// A row of the competency's name and shortened id (the first carries the status).
    Name { text: String, first: bool },
    /// The levels, the comment count and whether the credential includes it.
    Facts,
    /// Who last changed the status, and when (selected mapping only, when recorded).
    Status,
    /// A row of the rationale (selected mapping only).
    Why { text: String, first: bool },
    /// A row of a comment, by index into the mapping's comments (selected mapping only).
    Comment {
        index: usize,
        text: String,
        first: bool,
    },
}

impl App {
    /// Areas of the current screen (the focused pane alone when zoomed).
    pub fn areas(&self) -> Areas {
        let a = layout::areas(self.size.0, self.size.1, self.focus);
        if self.zoom {
            layout::zoom(a, self.focus)
        } else {
            a
        }
    }

    /// The rows of the needs pane: each partner's heading, then its needs; partners without
    /// needs come last, each with a "no needs yet" line. Made once per version and shared.
    /// A version whose order of needs and partners' need counts are the previous version's
    /// (shared: a change of a mapping, a comment, a need's text) shares its rows.
    pub fn need_rows(&self) -> Arc<Vec<NeedRow>> {
        let d = &self.derived;
        let at = self
            .hub
            .per_version_after(self.version, |prev: Option<Arc<NeedRowsAt>>| {
                let rows = match prev {
                    Some(p)
                        if Arc::ptr_eq(&p.order, &d.need_order)
                            && Arc::ptr_eq(&p.needs_of, &d.needs_of) =>
                    {
                        Arc::clone(&p.rows)
                    }
                    _ => Arc::new(self.make_need_rows()),
                };
                NeedRowsAt {
                    order: Arc::clone(&d.need_order),
                    needs_of: Arc::clone(&d.needs_of),
                    rows,
                }
            });
        Arc::clone(&at.rows)
    }

    pub(super) fn make_need_rows(&self) -> Vec<NeedRow> {
        let mut rows = Vec::new();
        let mut last_partner: Option<&str> = None;
        for (pos, &i) in self.need_order().iter().enumerate() {
            let n = &self.ws.needs[i];
            if last_partner != Some(n.partner.as_str()) {
                rows.push(NeedRow::Partner(n.partner.clone()));
                last_partner = Some(n.partner.as_str());
            }
            rows.push(NeedRow::Need(pos));
        }
        for p in &self.ws.partners {
            if !self.derived.needs_of.contains_key(&p.id) {
                rows.push(NeedRow::Partner(p.id.clone()));
                rows.push(NeedRow::NoNeeds);
            }
        }
        rows
    }

    /// How many lines each gap section has (made once per version and shared).
    pub fn gap_section_count(&self, section: &str) -> usize {
        self.gap_rows_at()
            .counts
            .iter()
            .filter(|(s, _)| *s == section)
            .map(|(_, n)| n)
            .sum()
    }

    /// The rows of the gap list: a heading before each section's lines (made once per
    /// version's lines and shared: a frame reads them twice, for the hit map and to draw).
    pub fn gap_rows(&self) -> Arc<GapRows> {
        self.gap_rows_at()
    }

    /// How many gaps the version's report counts (the gaps pane's title): counted once per
    /// version and shared, not per frame (the count walks every need).
    pub fn gap_total(&self) -> usize {
        let count = || GapTotal {
            report: Arc::as_ptr(&self.report) as usize,
            total: self.report.counts().iter().map(|(_, n)| n).sum(),
        };
        let at = self.hub.per_version(self.version, count);
        // A report not the shared one (a screen test's): counted here.
        if at.report == Arc::as_ptr(&self.report) as usize {
            at.total
        } else {
            count().total
        }
    }

    fn gap_rows_at(&self) -> Arc<GapRows> {
        let at = self
            .hub
            .per_version(self.version, || GapRows::new(&self.gap_lines));
        // Lines made for another clock (a screen test's) than the shared ones: made here.
        if Arc::ptr_eq(&at.lines, &self.gap_lines) {
            at
        } else {
            Arc::new(GapRows::new(&self.gap_lines))
        }
    }

    /// The hit map of the main screen as it is drawn now: one entry per screen row, so a
    /// wrapped text's rows all lead to its item.
    pub fn hit_map(&self) -> HitMap {
        self.frame_layout().0
    }

    /// The hit map and the needs' and gap list's rows it was made from, laid out once per
    /// frame: the drawing takes the rows from here instead of laying them out again.
    pub fn frame_layout(&self) -> (HitMap, FrameRows) {
        let a = self.areas();
        let inner = |r: ratatui::layout::Rect| {
            (
                r.width.saturating_sub(2) as usize,
                r.height.saturating_sub(2) as usize,
            )
        };
        let (nw, nh) = inner(a.needs);
        let (need_base, need_lines) = self.need_lines(nw, nh);
        // Each list's items sized at once: a row is one line unless it is near the selection.
        let mut needs = Vec::with_capacity(need_lines.len() + nh);
        needs.extend(need_lines.iter().flat_map(|(r, lines)| {
            let item = match r {
                NeedRow::Need(pos) => Some(*pos),
                _ => None,
            };
            // A row not laid out (far from the selection) is one line.
            std::iter::repeat_n(item, lines.len().max(1))
        }));
        let (gw, gh) = inner(a.gaps);
        let (gap_base, gap_text) = self.gap_text(gw);
        let mut gaps = Vec::with_capacity(gap_text.len() + gh + 8);
        gaps.extend(gap_text.iter().flat_map(|(r, lines)| {
            let item = match r {
                GapRow::Line(i) => Some(*i),
                GapRow::Section(_) => None,
            };
            // A row not laid out (far from the selection) is one line.
            std::iter::repeat_n(item, lines.len().max(1))
        }));
        let hits = HitMap {
            needs: PaneHits::within(a.needs, 0, need_base, needs, self.need_sel),
            mappings: self.scrolled(self.mapping_hits(&a, self.text_scroll() + 1)),
            // The gaps pane shows the coverage gauge and a blank row above its list.
            gaps: PaneHits::within(a.gaps, 2, gap_base, gaps, self.gap_sel),
        };
        let rows = FrameRows {
            needs: need_lines,
            gaps: gap_text,
        };
        (hits, rows)
    }

    /// The mappings pane's rows as a list, unscrolled: one entry per row, for its mapping;
    /// the selected mapping's rows laid out to `extra` rows past a pane's height.
    pub(super) fn mapping_hits(&self, a: &Areas, extra: usize) -> PaneHits {
        let width = a.mappings.width.saturating_sub(2) as usize;
        let height = a.mappings.height.saturating_sub(2) as usize;
        let items = self
            .mapping_lines(width, height + extra)
            .iter()
            .map(|(pos, _)| Some(*pos))
            .collect();
        PaneHits::new(a.mappings, 0, items, self.map_sel)
    }

    /// Rows the mappings pane is scrolled for the current selection.
    pub(super) fn text_scroll(&self) -> usize {
        match self.read_scroll {
            (n, m, rows) if (n, m) == (self.need_sel, self.map_sel) => rows,
            _ => 0,
        }
    }

    /// The mappings pane's list scrolled by [`App::text_scroll`], never past its last row.
    pub(super) fn scrolled(&self, mut p: PaneHits) -> PaneHits {
        let height = p.area.height.saturating_sub(2) as usize;
        let last_first = p.items.len().saturating_sub(height);
        p.first = (p.first + self.text_scroll()).min(last_first.max(p.first));
        p
    }

    /// The names of the version shown, for messages (see [`crate::text::names`]).
    pub fn names(&self) -> crate::document::names::Named<'_> {
        crate::document::names::Named {
            ws: &self.ws,
            derived: &self.derived,
            catalog: &self.catalog,
        }
    }

    /// A mapping as messages name it: `N13 "Wire the outdoor…" → Install heat pumps
    /// (esco:6575ae00…)`.
    pub fn mapping_name(&self, need: &str, reference: &str) -> String {
        crate::text::names::mapping_in(&self.names(), need, reference)
    }

    /// A partner as messages name it: its organisation's name.
    pub fn partner_name(&self, id: &str) -> String {
        crate::text::names::partner_in(&self.names(), id).to_string()
    }

    /// The credential's competency `reference`, looked up in the version's index (the first
    /// listed, as `Workspace::competency` finds by a scan).
    pub fn credential_competency(
        &self,
        reference: &str,
    ) -> Option<&crate::model::CredentialCompetency> {
        self.derived
            .competency_index
            .get(reference)
            .and_then(|&i| self.ws.competencies.get(i))
    }

    /// A competency as lists name it: its name, then its shortened id.
    pub fn competency_label(&self, reference: &str) -> String {
        let name = self
            .catalog
            .resolve(reference)
            .map_or("", |(_, c)| c.name.as_str());
        wrap::named(name, reference)
    }

    /// The needs pane's rows at `width`×`height` inside its borders, each with its lines of
    /// text: a need's statement wrapped after [`need_lead`] columns. The selected need is shown
    /// in full; the others get as many rows each as lets every row fit in the pane (at least
    /// one, cut with an ellipsis), so a tall pane shows more of every statement. Partner
    /// headings and "no needs" rows take one (empty) line. Only the rows within a screen of the
    /// selection are laid out and returned, with the number of rows before them: those are
    /// never drawn, and each would be one line.
    pub fn need_lines(&self, width: usize, height: usize) -> (usize, Vec<(NeedRow, Vec<String>)>) {
        let support_cols = self.support_cols();
        let order = self.need_order();
        let rows = self.need_rows();
        let rows: &[NeedRow] = &rows;
        let text = |pos: usize, max_rows: usize| {
            let n = &self.ws.needs[order[pos]];
            let room = width.saturating_sub(need_lead(&n.id) + support_cols).max(1);
            wrap::hanging(&n.statement, room, room, max_rows)
        };
        // Rows each need takes in full (up to the pane's height); only when every row can
        // have one line, so the work is bounded by the screen, not the document.
        let mut per_need = 1;
        if rows.len() <= height {
            let full: Vec<usize> = rows
                .iter()
                .map(|r| match r {
                    NeedRow::Need(pos) => text(*pos, height + 1).len(),
                    _ => 1,
                })
                .collect();
            let total = |k: usize| -> usize {
                rows.iter()
                    .zip(&full)
                    .map(|(r, &n)| match r {
                        NeedRow::Need(pos) if *pos == self.need_sel => n,
                        _ => n.min(k),
                    })
                    .sum()
            };
            let most = full.iter().copied().max().unwrap_or(1);
            per_need = (2..=most)
                .take_while(|&k| total(k) <= height)
                .last()
                .unwrap_or(1);
        }
        // Past a screenful each row but the selected need's is one line, and the pane scrolls
        // to keep the selection in view: rows further than a screen from it are never drawn,
        // so they are left out (each would be one line; the cost follows the screen).
        let selected = rows
            .iter()
            .position(|r| matches!(r, NeedRow::Need(p) if *p == self.need_sel));
        let near = near_selection(rows.len(), height, selected);
        let out = rows[near.clone()]
            .iter()
            .map(|r| {
                let lines = match r {
                    NeedRow::Need(pos) if *pos == self.need_sel => text(*pos, height.max(1)),
                    NeedRow::Need(pos) => text(*pos, per_need),
                    NeedRow::Partner(_) | NeedRow::NoNeeds | NeedRow::Offscreen => {
                        vec![String::new()]
                    }
                };
                (r.clone(), lines)
            })
            .collect();
        (near.start, out)
    }

    /// The mappings pane's rows at `width` columns, each with the position (in
    /// [`App::selected_mappings`]) of its mapping: every mapping's name and facts, and for the
    /// selected one its whole name, rationale and comments, wrapped. Rows of the selected
    /// mapping past `budget` (counted from its first row) are left out: the cost follows what
    /// the pane can show, not how many comments there are.
    pub fn mapping_lines(&self, width: usize, budget: usize) -> Vec<(usize, MapLine)> {
        let mut out = Vec::new();
        if width == 0 {
            // The pane is not shown.
            return out;
        }
        for (pos, &i) in self.selected_mappings().iter().enumerate() {
            let m = &self.ws.mappings[i];
            let selected = pos == self.map_sel;
            let start = out.len();
            // Rows of this mapping still wanted (the selected one's are counted).
            let left = |out: &Vec<(usize, MapLine)>| {
                if selected {
                    budget.saturating_sub(out.len() - start)
                } else {
                    usize::MAX
                }
            };
            let name = self.competency_label(&m.competency);
            let room = width.saturating_sub(MAPPING_LEAD).max(1);
            let rows = if selected { 8.min(budget.max(1)) } else { 1 };
            for (k, text) in wrap::hanging(&name, room, room, rows)
                .into_iter()
                .enumerate()
            {
                let first = k == 0;
                out.push((pos, MapLine::Name { text, first }));
            }
            out.push((pos, MapLine::Facts));
            if !selected {
                continue;
            }
            if m.status_by.is_some() && left(&out) > 0 {
                out.push((pos, MapLine::Status));
            }
            if let Some(r) = &m.rationale {
                let room = width.saturating_sub(MAPPING_INDENT + 5).max(1);
                let n = left(&out);
                for (k, text) in wrap::hanging(r, room, room, n.saturating_add(1))
                    .into_iter()
                    .take(n)
                    .enumerate()
                {
                    out.push((
                        pos,
                        MapLine::Why {
                            text,
                            first: k == 0,
                        },
                    ));
                }
            }
            for (index, c) in m.comments.iter().enumerate() {
                let n = left(&out);
                if n == 0 {
                    break;
                }
                let by = wrap::width(&c.by) + 2;
                let first = width.saturating_sub(MAPPING_INDENT + by).max(8);
                let rest = width.saturating_sub(COMMENT_INDENT).max(1);
                for (k, text) in wrap::hanging(&c.text, first, rest, n.saturating_add(1))
                    .into_iter()
                    .take(n)
                    .enumerate()
                {
                    let first = k == 0;
                    out.push((pos, MapLine::Comment { index, text, first }));
                }
            }
        }
        out
    }

    /// The gap list's rows at `width` columns, each with its lines: the selected gap line
    /// wrapped in full after [`GAP_LEAD`] columns, the others on one row each. Section
    /// headings take one (empty) line. As for the needs, only the rows within a screen of the
    /// selection are returned, with the number of rows before them (one line each).
    pub fn gap_text(&self, width: usize) -> (usize, Vec<(GapRow, Vec<String>)>) {
        let room = width.saturating_sub(GAP_LEAD).max(1);
        let at = self.gap_rows();
        // As for the needs: rows more than a screen from the selection are never drawn.
        let height = self.areas().gaps.height as usize;
        let near = near_selection(at.len(), height, at.row_of(self.gap_sel));
        let out = near
            .clone()
            .filter_map(|k| at.row(k))
            .map(|r| {
                let lines = match r {
                    GapRow::Line(i) => {
                        let rows = if i == self.gap_sel { 8 } else { 1 };
                        wrap::hanging(&self.gap_lines[i].text, room, room, rows)
                    }
                    GapRow::Section(_) => vec![String::new()],
                };
                (r, lines)
            })
            .collect();
        (near.start, out)
    }
}

/// The rows of a list of `len` within a screen (`height` rows) of the selected row: every
/// row when the list fits a few screens or nothing is selected.
pub(super) fn near_selection(
    len: usize,
    height: usize,
    selected: Option<usize>,
) -> std::ops::Range<usize> {
    let reach = height + 2;
    match selected {
        Some(sel) if len > 3 * reach => {
            sel.saturating_sub(reach)..sel.saturating_add(reach + 1).min(len)
        }
        _ => 0..len,
    }
}

/// The needs' and the gap list's rows of one frame, each with its lines (see
/// [`App::need_lines`], [`App::gap_text`]), as [`App::frame_layout`] laid them out.
#[derive(Debug, Clone, Default)]
pub struct FrameRows {
    pub needs: Vec<(NeedRow, Vec<String>)>,
    pub gaps: Vec<(GapRow, Vec<String>)>,
}

/// The needs pane's rows with the lookups they were made from.
struct NeedRowsAt {
    order: Arc<Vec<usize>>,
    needs_of: Arc<std::collections::HashMap<String, usize>>,
    rows: Arc<Vec<NeedRow>>,
}

/// A version's count of gaps, and the report (its address) it was counted from.
struct GapTotal {
    report: usize,
    total: usize,
}

/// The gap list's rows for one version's gap lines, with what a frame looks up in them: a
/// heading before each run of lines of one section, then the lines. Kept as the runs, not a
/// row per line, so that making them costs one comparison per line and nothing is copied.
#[derive(Debug)]
pub struct GapRows {
    /// The lines they were made from.
    lines: Arc<Vec<Arc<GapLine>>>,
    /// Each run's section and number of lines, in order.
    pub counts: Vec<(&'static str, usize)>,
    /// The first line of each run.
    starts: Vec<usize>,
}

impl GapRows {
    /// The rows of `lines` (in section order), in one pass.
    pub fn new(lines: &Arc<Vec<Arc<GapLine>>>) -> Self {
        let mut counts: Vec<(&'static str, usize)> = Vec::new();
        let mut starts = Vec::new();
        for (i, g) in lines.iter().enumerate() {
            match counts.last_mut() {
                // The same text is most often the same pointer: compared first.
                Some((s, n)) if std::ptr::eq(*s, g.section) || *s == g.section => *n += 1,
                _ => {
                    counts.push((g.section, 1));
                    starts.push(i);
                }
            }
        }
        GapRows {
            lines: Arc::clone(lines),
            counts,
            starts,
        }
    }

    /// How many rows: a heading per run and the lines.
    pub fn len(&self) -> usize {
        self.lines.len() + self.starts.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Row `k`.
    pub fn row(&self, k: usize) -> Option<GapRow> {
        // Each run is its heading's row, then its lines' (runs are few: one per section).
        let mut heading = 0;
        for (&(section, n), &start) in self.counts.iter().zip(&self.starts) {
            if k == heading {
                return Some(GapRow::Section(section));
            }
            if k <= heading + n {
                return Some(GapRow::Line(start + (k - heading - 1)));
            }
            heading += n + 1;
        }
        None
    }

    /// The row of line `i`.
    pub fn row_of(&self, i: usize) -> Option<usize> {
        if i >= self.lines.len() {
            return None;
        }
        // The run holding line `i`: the last starting at or before it.
        let j = self.starts.partition_point(|&s| s <= i).checked_sub(1)?;
        Some(i + j + 1)
    }

    /// Every row, in order.
    pub fn rows(&self) -> impl Iterator<Item = GapRow> + '_ {
        self.counts
            .iter()
            .zip(&self.starts)
            .flat_map(|(&(section, n), &start)| {
                std::iter::once(GapRow::Section(section))
                    .chain((start..start + n).map(GapRow::Line))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SECTIONS: [&str; 4] = ["Critical needs", "Uncovered needs", "Orphans", "Workload"];

    proptest! {
        /// The rows made in one pass are the rows and counts the frame used to make by a
        /// scan of every line (a heading where the section changes; counts over all lines of
        /// a section, wherever they are), and each line's row holds that line.
        #[test]
        fn gap_rows_are_the_scan(sections in proptest::collection::vec(0..SECTIONS.len(), 0..60)) {
            let lines: Arc<Vec<Arc<GapLine>>> = Arc::new(
                sections
                    .iter()
                    .map(|&k| {
                        Arc::new(GapLine {
                            section: SECTIONS[k],
                            text: String::new(),
                            jump: Jump::Credential(String::new()),
                            critical: false,
                        })
                    })
                    .collect(),
            );
            let mut rows = Vec::new();
            let mut section = "";
            for (i, g) in lines.iter().enumerate() {
                if g.section != section {
                    rows.push(GapRow::Section(g.section));
                    section = g.section;
                }
                rows.push(GapRow::Line(i));
            }
            let made = GapRows::new(&lines);
            prop_assert_eq!(&made.rows().collect::<Vec<_>>(), &rows);
            prop_assert_eq!(made.len(), rows.len());
            for (k, &r) in rows.iter().enumerate() {
                prop_assert_eq!(made.row(k), Some(r));
            }
            prop_assert_eq!(made.row(rows.len()), None);
            for i in 0..lines.len() {
                let r = made.row_of(i).expect("each line has a row");
                prop_assert_eq!(rows[r], GapRow::Line(i));
            }
            prop_assert_eq!(made.row_of(lines.len()), None);
            for s in SECTIONS {
                let scan = lines.iter().filter(|g| g.section == s).count();
                let sum: usize = made.counts.iter().filter(|(x, _)| *x == s).map(|(_, n)| n).sum();
                prop_assert_eq!(sum, scan);
            }
        }
    }
}

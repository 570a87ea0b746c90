//! Where each pane goes, as a pure function of the screen size and focus, and the hit map of
//! what a frame shows in each pane, so the renderer and the mouse handler always agree. This
//! module knows neither the app nor the view: both use it.

use ratatui::layout::{Constraint, Direction, Layout, Position, Rect};

/// The panes of the main screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Needs,
    Mappings,
    Gaps,
}

/// Smallest usable screen.
pub const MIN_SIZE: (u16, u16) = (60, 16);
/// From this size on, all panes are shown at once; below it, one pane at a time with tabs.
pub const FULL_SIZE: (u16, u16) = (100, 30);

/// The screen's areas; a pane not shown has an empty rect.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Areas {
    pub too_small: bool,
    pub compact: bool,
    pub tabs: Rect,
    pub body: Rect,
    pub needs: Rect,
    pub mappings: Rect,
    pub details: Rect,
    pub gaps: Rect,
    pub status: Rect,
}

/// Lay out a `w`×`h` screen.
pub fn areas(w: u16, h: u16, focus: Focus) -> Areas {
    let screen = Rect::new(0, 0, w, h);
    if w < MIN_SIZE.0 || h < MIN_SIZE.1 {
        return Areas {
            too_small: true,
            body: screen,
            ..Areas::default()
        };
    }
    let compact = w < FULL_SIZE.0 || h < FULL_SIZE.1;
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints(if compact {
            vec![
                Constraint::Length(1),
                Constraint::Min(1),
                Constraint::Length(2),
            ]
        } else {
            vec![
                Constraint::Length(0),
                Constraint::Min(1),
                Constraint::Length(2),
            ]
        })
        .split(screen);
    let (tabs, body, status) = (rows[0], rows[1], rows[2]);
    let mut a = Areas {
        compact,
        tabs,
        body,
        status,
        ..Areas::default()
    };
    if compact {
        match focus {
            Focus::Needs => a.needs = body,
            Focus::Gaps => a.gaps = body,
            Focus::Mappings => {
                let parts = Layout::default()
                    .direction(Direction::Vertical)
                    .constraints([Constraint::Percentage(50), Constraint::Percentage(50)])
                    .split(body);
                a.mappings = parts[0];
                a.details = parts[1];
            }
        }
        return a;
    }
    let cols = Layout::default()
        .direction(Direction::Horizontal)
        .constraints(columns(w, focus))
        .split(body);
    // The focused mappings pane gets the larger share, for its wrapped comments.
    let share = if focus == Focus::Mappings { 65 } else { 45 };
    let mid = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Percentage(share),
            Constraint::Percentage(100 - share),
        ])
        .split(cols[1]);
    a.needs = cols[0];
    a.mappings = mid[0];
    a.details = mid[1];
    a.gaps = cols[2];
    a
}

/// Columns the focused needs pane gets on a full screen, borders included, where the others
/// keep their room: a statement keeps 30 columns beside its status, priority, a short id
/// ("N13") and the support column (2 + 13 + 6 + 30). At 120 columns it has 51 instead of 38;
/// from 160 columns on its third of the width is as much.
pub const NEEDS_LEAST: u16 = 51;
/// Columns the mappings pane keeps when the needs pane takes more than its third.
pub const MAPPINGS_LEAST: u16 = 30;

/// The three columns of a full screen `w` wide: the needs, the mappings and details, the gaps
/// (about a third each). The focused needs pane takes up to [`NEEDS_LEAST`] columns from the
/// mappings pane, which keeps [`MAPPINGS_LEAST`]; the gaps keep their third.
fn columns(w: u16, focus: Focus) -> Vec<Constraint> {
    let thirds = vec![
        Constraint::Percentage(32),
        Constraint::Percentage(36),
        Constraint::Percentage(32),
    ];
    let gaps = u32::from(w) * 32 / 100;
    let needs =
        u32::from(NEEDS_LEAST).min(u32::from(w).saturating_sub(gaps + u32::from(MAPPINGS_LEAST)));
    if focus != Focus::Needs || needs <= gaps {
        return thirds;
    }
    vec![
        // Below `w`, so it fits.
        Constraint::Length(u16::try_from(needs).unwrap_or(NEEDS_LEAST)),
        Constraint::Fill(1),
        Constraint::Percentage(32),
    ]
}

/// The areas with the pane of `focus` filling the body (the zoom key, for projectors): the
/// other panes are not shown. Too small a screen stays as it is.
pub fn zoom(a: Areas, focus: Focus) -> Areas {
    if a.too_small {
        return a;
    }
    let mut z = Areas {
        too_small: false,
        compact: a.compact,
        tabs: a.tabs,
        body: a.body,
        status: a.status,
        ..Areas::default()
    };
    match focus {
        Focus::Needs => z.needs = a.body,
        Focus::Mappings => z.mappings = a.body,
        Focus::Gaps => z.gaps = a.body,
    }
    z
}

/// The first row of a list shown in `height` rows with `selected_row` selected: the list scrolls
/// just enough to keep the selection in view.
pub fn offset(selected_row: usize, height: usize) -> usize {
    selected_row.saturating_sub(height.saturating_sub(1))
}

/// What one pane's list shows: the item (if any) of each row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaneHits {
    /// The pane, borders included.
    pub area: Rect,
    /// The list index shown at the first row inside the borders, counting `lead` rows that
    /// show no list entry (a heading, a gauge) as part of the list.
    pub first: usize,
    /// Rows inside the borders before the list starts.
    pub lead: usize,
    /// Every list row: the item it stands for, or `None` for a heading.
    pub items: Vec<Option<usize>>,
}

impl PaneHits {
    /// A list of `items` shown in `area` with `lead` rows above it, scrolled to keep the
    /// rows of item `selected` in view (an item may take several rows: a wrapped text); when
    /// they do not all fit, its first row is the first shown.
    pub fn new(area: Rect, lead: usize, items: Vec<Option<usize>>, selected: usize) -> Self {
        let height = area.height.saturating_sub(2 + lead as u16) as usize;
        let first_row = items.iter().position(|p| *p == Some(selected)).unwrap_or(0);
        let last_row = items
            .iter()
            .rposition(|p| *p == Some(selected))
            .unwrap_or(first_row);
        PaneHits {
            area,
            first: offset(last_row, height).min(first_row),
            lead,
            items,
        }
    }

    /// [`PaneHits::new`] for a list of which only `items` are laid out, from list row `base`
    /// on (each row before them is one screen row, and none is shown): the pane scrolls as for
    /// the whole list, and `first` and `items` count from `base`.
    pub fn within(
        area: Rect,
        lead: usize,
        base: usize,
        items: Vec<Option<usize>>,
        selected: usize,
    ) -> Self {
        let height = area.height.saturating_sub(2 + lead as u16) as usize;
        let first_row = items.iter().position(|p| *p == Some(selected));
        let last_row = items.iter().rposition(|p| *p == Some(selected));
        let (first_row, last_row) = match (first_row, last_row) {
            (Some(f), Some(l)) => (base + f, base + l),
            _ => (0, 0),
        };
        PaneHits {
            area,
            first: offset(last_row, height).min(first_row).saturating_sub(base),
            lead,
            items,
        }
    }

    /// The item shown at `row` inside the pane's borders (0 is the first row inside).
    pub fn item_at(&self, row: usize) -> Option<usize> {
        let i = (self.first + row).checked_sub(self.lead)?;
        self.items.get(i).copied().flatten()
    }
}

/// What a frame of the main screen shows where: the runner keeps the map of the last frame
/// drawn, and the mouse handler reads it instead of asking the view.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HitMap {
    /// The needs pane: partner headings and needs (positions in `App::need_order`).
    pub needs: PaneHits,
    /// The selected need's mappings.
    pub mappings: PaneHits,
    /// The gap list (indexes into `App::gap_lines`).
    pub gaps: PaneHits,
}

impl HitMap {
    /// The pane under screen cell (`column`, `row`) and the item at that row, if any.
    pub fn at(&self, column: u16, row: u16) -> Option<(Focus, Option<usize>)> {
        let at = Position { x: column, y: row };
        [
            (&self.needs, Focus::Needs),
            (&self.mappings, Focus::Mappings),
            (&self.gaps, Focus::Gaps),
        ]
        .into_iter()
        .find(|(p, _)| p.area.width > 0 && p.area.contains(at))
        .map(|(p, focus)| {
            let inside = row.saturating_sub(p.area.y + 1) as usize;
            (focus, p.item_at(inside))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_needs_pane_is_wide_enough_for_statements_from_120_columns() {
        // 120×40 with the needs focused: 51 columns (was 38), taken from the mappings pane;
        // the gaps keep theirs.
        let a = areas(120, 40, Focus::Needs);
        assert_eq!(a.needs.width, NEEDS_LEAST);
        assert_eq!(a.needs.width + a.mappings.width + a.gaps.width, 120);
        assert_eq!(a.gaps.width, areas(120, 40, Focus::Gaps).gaps.width);
        assert!(a.mappings.width >= MAPPINGS_LEAST, "{a:?}");
        // Focused elsewhere, a third each as before.
        assert_eq!(areas(120, 40, Focus::Mappings).needs.width, 38);
        // 200×60 as it was; 100×30 a little wider; 80×24 is one pane.
        let wide = areas(200, 60, Focus::Needs);
        assert_eq!((wide.needs.width, wide.mappings.width), (64, 72));
        assert_eq!(areas(100, 30, Focus::Needs).needs.width, 38);
        assert!(areas(80, 24, Focus::Needs).compact);
    }

    #[test]
    fn a_click_reads_the_row_the_frame_showed() {
        // Twelve rows, every fourth a heading; a needs pane 6 rows high (4 inside the borders)
        // scrolled to keep item 7 (row 10) in view.
        let items: Vec<Option<usize>> = (0..12)
            .map(|r| (r % 4 != 0).then(|| r - r / 4 - 1))
            .collect();
        assert_eq!(items[10], Some(7));
        let needs = PaneHits::new(Rect::new(0, 1, 30, 6), 0, items, 7);
        assert_eq!(needs.first, 7, "rows 7 to 10 are shown");
        let map = HitMap {
            needs,
            ..HitMap::default()
        };
        assert_eq!(map.at(3, 2), Some((Focus::Needs, Some(5))), "row 7");
        assert_eq!(
            map.at(3, 3),
            Some((Focus::Needs, None)),
            "row 8 is a heading"
        );
        assert_eq!(map.at(3, 5), Some((Focus::Needs, Some(7))), "row 10");
        assert_eq!(map.at(40, 2), None, "outside every pane");
    }

    #[test]
    fn an_item_of_several_rows_is_shown_whole_or_from_its_first_row() {
        // Items 0..5 of one row, then item 5 of three rows; 4 rows inside the borders.
        let mut items: Vec<Option<usize>> = (0..5).map(Some).collect();
        items.extend([Some(5); 3]);
        let p = PaneHits::new(Rect::new(0, 0, 30, 6), 0, items.clone(), 5);
        assert_eq!(p.first, 4, "rows 4 to 7: item 5 whole");
        // Six rows of item 5 in a pane of four: its first row leads.
        items.extend([Some(5); 3]);
        let p = PaneHits::new(Rect::new(0, 0, 30, 6), 0, items, 5);
        assert_eq!(p.first, 5);
        assert_eq!(p.item_at(3), Some(5));
    }

    #[test]
    fn zoom_gives_the_focused_pane_the_body() {
        let a = areas(120, 40, Focus::Mappings);
        let z = zoom(a, Focus::Mappings);
        assert_eq!(z.mappings, a.body);
        assert_eq!(
            (z.needs, z.details, z.gaps),
            (Rect::default(), Rect::default(), Rect::default())
        );
        assert_eq!(
            zoom(areas(20, 5, Focus::Needs), Focus::Needs).needs,
            Rect::default()
        );
    }
}

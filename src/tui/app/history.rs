//! The history view's keys (its state and reading are in [`crate::tui::history`]).

use super::dispatch::scroll_overlay;
use super::*;

impl App {
    /// Open the history view of the design's file; the host reads the history in the
    /// background ([`Effect::ReadHistory`], then [`App::start_history`]).
    pub(super) fn open_history(&mut self) -> Option<Effect> {
        match self.path.clone() {
            Some(p) => {
                self.push_layer(Modal::History(Box::new(HistoryView::waiting(&p))));
                Some(Effect::ReadHistory(p))
            }
            None => {
                self.info("This design has no file yet, so it has no history: save it first.");
                None
            }
        }
    }

    /// Start reading the history of `path` into the history view (the host, for
    /// [`Effect::ReadHistory`]); nothing when the view was closed meanwhile.
    pub fn start_history(&mut self, path: &std::path::Path) {
        let view = self.layers.iter_mut().rev().find_map(|l| match l {
            Modal::History(h) => Some(h),
            _ => None,
        });
        if let Some(h) = view {
            h.start_reading(path, Some(self.catalog.clone()));
        }
    }

    /// A key in the history view: moving in the list, Enter for the whole difference of the
    /// selected commit (where the keys scroll), Esc back to the list, then closed.
    pub(super) fn history_key(&mut self, h: &mut HistoryView, cmd: Option<Cmd>) -> Flow {
        if let Some(scroll) = h.detail {
            // The view shows the screen's height less 4 rows (margin and borders).
            let shown = (self.size.1 as usize).saturating_sub(4).max(1);
            let rows = h
                .detail_rows(crate::tui::history::text_width(self.size.0))
                .len();
            let max = rows.saturating_sub(shown);
            h.detail = match cmd {
                Some(Cmd::Cancel | Cmd::Submit) => None,
                Some(Cmd::Bottom) => Some(max),
                other => scroll_overlay(other, scroll).map(|s| s.min(max)),
            };
            return Flow::Stay;
        }
        let last = h.rows.len().saturating_sub(1);
        h.sel = match cmd {
            Some(Cmd::Down) => (h.sel + 1).min(last),
            Some(Cmd::Up) => h.sel.saturating_sub(1),
            Some(Cmd::PageDown) => (h.sel + 10).min(last),
            Some(Cmd::PageUp) => h.sel.saturating_sub(10),
            Some(Cmd::Top) => 0,
            Some(Cmd::Bottom) => last,
            Some(Cmd::Submit) => {
                if !h.rows.is_empty() {
                    h.detail = Some(0);
                }
                h.sel
            }
            Some(Cmd::Cancel) => return Flow::Close(None),
            _ => h.sel,
        };
        Flow::Stay
    }
}

//! Where each pane goes, as a pure function of the screen size and focus, so the renderer and
//! the mouse handler always agree.

use ratatui::layout::{Constraint, Direction, Layout, Rect};

use super::app::Focus;

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
        .constraints([
            Constraint::Percentage(32),
            Constraint::Percentage(36),
            Constraint::Percentage(32),
        ])
        .split(body);
    let mid = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Percentage(45), Constraint::Percentage(55)])
        .split(cols[1]);
    a.needs = cols[0];
    a.mappings = mid[0];
    a.details = mid[1];
    a.gaps = cols[2];
    a
}

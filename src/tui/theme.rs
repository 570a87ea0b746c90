//! Colours and symbols. Status is always shown by symbol too, never by colour alone.

use ratatui::style::{Color, Modifier, Style};

use crate::analysis::gap::NeedStatus;
use crate::model::{MappingStatus, Priority};

/// The themes a user can switch between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeKind {
    Default,
    /// Bright, bold, for projectors.
    HighContrast,
    /// No colour at all (NO_COLOR, or chosen).
    Mono,
}

/// Styles used by the views.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub kind: ThemeKind,
}

impl Theme {
    /// The theme to start with: monochrome when NO_COLOR is set.
    pub fn from_env() -> Self {
        let mono = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme {
            kind: if mono {
                ThemeKind::Mono
            } else {
                ThemeKind::Default
            },
        }
    }

    /// The next theme in the cycle.
    pub fn next(self) -> Self {
        Theme {
            kind: match self.kind {
                ThemeKind::Default => ThemeKind::HighContrast,
                ThemeKind::HighContrast => ThemeKind::Mono,
                ThemeKind::Mono => ThemeKind::Default,
            },
        }
    }

    /// The theme's name for the status bar.
    pub fn name(self) -> &'static str {
        match self.kind {
            ThemeKind::Default => "default",
            ThemeKind::HighContrast => "high contrast",
            ThemeKind::Mono => "monochrome",
        }
    }

    fn fg(self, c: Color) -> Style {
        match self.kind {
            ThemeKind::Mono => Style::default(),
            ThemeKind::Default => Style::default().fg(c),
            ThemeKind::HighContrast => Style::default().fg(c).add_modifier(Modifier::BOLD),
        }
    }

    pub fn good(self) -> Style {
        self.fg(Color::Green)
    }
    pub fn warn(self) -> Style {
        self.fg(Color::Yellow)
    }
    pub fn bad(self) -> Style {
        match self.kind {
            ThemeKind::Mono => Style::default().add_modifier(Modifier::BOLD),
            _ => self.fg(Color::Red),
        }
    }
    pub fn dim(self) -> Style {
        match self.kind {
            ThemeKind::Default => Style::default().fg(Color::DarkGray),
            ThemeKind::HighContrast => Style::default().fg(Color::White),
            ThemeKind::Mono => Style::default(),
        }
    }
    pub fn accent(self) -> Style {
        self.fg(Color::Cyan)
    }
    pub fn title(self) -> Style {
        Style::default().add_modifier(Modifier::BOLD)
    }
    pub fn selected(self) -> Style {
        match self.kind {
            ThemeKind::Mono => Style::default().add_modifier(Modifier::REVERSED),
            ThemeKind::Default => Style::default().bg(Color::Blue).fg(Color::White),
            ThemeKind::HighContrast => Style::default()
                .bg(Color::Yellow)
                .fg(Color::Black)
                .add_modifier(Modifier::BOLD),
        }
    }
    pub fn border(self, focused: bool) -> Style {
        match (self.kind, focused) {
            (ThemeKind::Mono, true) => Style::default().add_modifier(Modifier::BOLD),
            (ThemeKind::Mono, false) => Style::default(),
            (_, true) => self.fg(Color::Cyan).add_modifier(Modifier::BOLD),
            (_, false) => self.dim(),
        }
    }
    pub fn highlight(self) -> Style {
        match self.kind {
            ThemeKind::Mono => Style::default().add_modifier(Modifier::UNDERLINED),
            _ => self.fg(Color::Yellow).add_modifier(Modifier::BOLD),
        }
    }

    /// Symbol and style of a need's coverage.
    pub fn need_status(self, s: NeedStatus) -> (&'static str, Style) {
        match s {
            NeedStatus::Covered => ("●", self.good()),
            NeedStatus::Partial => ("◐", self.warn()),
            NeedStatus::Uncovered => ("○", self.bad()),
        }
    }

    /// Symbol and style of a mapping's review status.
    pub fn mapping_status(self, s: MappingStatus) -> (&'static str, Style) {
        match s {
            MappingStatus::Agreed => ("✓", self.good()),
            MappingStatus::Proposed => ("?", self.warn()),
            MappingStatus::Disputed => ("!", self.bad()),
            MappingStatus::Rejected => ("✗", self.dim()),
        }
    }
}

/// A short label for a priority: MUST, SHLD, COULD.
pub fn priority_label(p: Priority) -> &'static str {
    match p {
        Priority::Must => "MUST",
        Priority::Should => "SHLD",
        Priority::Could => "could",
    }
}

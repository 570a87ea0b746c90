//! The portfolio view's session: which pane has the keyboard, the matrix's selection and
//! scroll, the tree's and the findings' selections, help, and what Enter asks the host to do.
//!
//! It is its own small state, not a layer of [`super::App`]: `App` is one design's session
//! (its hub, its undo history, its lock); the portfolio view holds no document at all, only
//! the sheet derived from the portfolio file ([`PortfolioSheet`]), and opens a design by
//! handing the host a [`PortfolioEffect::Open`], which runs the normal editor over that design
//! and comes back here.

use std::sync::Arc;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::edit::Role;
use crate::tui::keys::{Cmd, Context, Keymap};
use crate::tui::portfolio::{self as sheet, FindingRow, PortfolioSheet};
use crate::tui::theme::Theme;

/// The panes of the portfolio view, in Tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortfolioPane {
    Matrix,
    Tree,
    Findings,
}

/// What the host must do after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortfolioEffect {
    /// Open the credential of this matrix row in the editor, then come back.
    Open(usize),
    Quit,
}

/// One session of the portfolio view.
pub struct PortfolioApp {
    pub sheet: Arc<PortfolioSheet>,
    pub pane: PortfolioPane,
    /// Matrix selection (credential row, competency column).
    pub sel: (usize, usize),
    /// First shown (row, column) of the matrix.
    pub scroll: (usize, usize),
    /// Selected tree row and first shown.
    pub tree_sel: usize,
    pub tree_scroll: usize,
    /// Selected findings row and first shown.
    pub finding_sel: usize,
    pub finding_scroll: usize,
    /// Help in front, scrolled this many lines.
    pub help: Option<usize>,
    /// The status line's message, and whether it is an error.
    pub message: Option<(String, bool)>,
    pub keymap: Arc<Keymap>,
    pub theme: Theme,
    pub size: (u16, u16),
    /// Who is looking (a designer opens credentials to edit; others to read).
    pub role: Role,
}

impl PortfolioApp {
    /// A session over `sheet` for someone with `role`.
    pub fn new(sheet: Arc<PortfolioSheet>, role: Role) -> Self {
        PortfolioApp {
            sheet,
            pane: PortfolioPane::Matrix,
            sel: (0, 0),
            scroll: (0, 0),
            tree_sel: 0,
            tree_scroll: 0,
            finding_sel: 0,
            finding_scroll: 0,
            help: None,
            message: None,
            keymap: Arc::new(Keymap::default()),
            theme: Theme::from_env(),
            size: (80, 24),
            role,
        }
    }

    /// Take a newer version of the portfolio (re-analysed after a credential was edited),
    /// keeping the selection on the same credential and competency where they still are.
    pub fn reload(&mut self, new: Arc<PortfolioSheet>) {
        let row = self.sheet.credentials.get(self.sel.0).map(|c| c.id.clone());
        let col = self
            .sheet
            .columns
            .get(self.sel.1)
            .map(|c| c.reference.clone());
        self.sheet = new;
        if let Some(r) = row.and_then(|id| self.sheet.credentials.iter().position(|c| c.id == id)) {
            self.sel.0 = r;
        }
        if let Some(c) = col.and_then(|r| self.sheet.columns.iter().position(|c| c.reference == r))
        {
            self.sel.1 = c;
        }
        self.clamp();
    }

    /// Say something in the status line.
    pub fn info(&mut self, text: impl Into<String>) {
        self.message = Some((text.into(), false));
    }

    /// Say something wrong in the status line.
    pub fn error(&mut self, text: impl Into<String>) {
        self.message = Some((text.into(), true));
    }

    /// The first key of `cmd` in the portfolio view, for "press X" texts.
    pub fn key_for(&self, cmd: Cmd) -> String {
        self.keymap.key_for(Context::Portfolio, cmd)
    }

    /// The matrix's visible (rows, columns) at the current size.
    pub fn matrix_window(&self) -> (usize, usize) {
        let a = sheet::areas(self.size.0, self.size.1);
        sheet::matrix_window(sheet::inner(a.matrix))
    }

    fn pane_height(&self, pane: PortfolioPane) -> usize {
        let a = sheet::areas(self.size.0, self.size.1);
        let r = match pane {
            PortfolioPane::Tree => a.tree,
            _ => a.findings,
        };
        (r.height.saturating_sub(2) as usize).max(1)
    }

    /// Handle one terminal event.
    pub fn handle(&mut self, ev: Event) -> Option<PortfolioEffect> {
        match ev {
            Event::Resize(w, h) => {
                self.size = (w, h);
                self.clamp();
                None
            }
            Event::Key(k) if k.kind != KeyEventKind::Release => self.key(k),
            _ => None,
        }
    }

    fn key(&mut self, k: KeyEvent) -> Option<PortfolioEffect> {
        if k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL) {
            return Some(PortfolioEffect::Quit);
        }
        if let Some(scroll) = self.help {
            match self.keymap.lookup(Context::Help, &k) {
                Some(Cmd::Cancel) => self.help = None,
                Some(Cmd::Down) => self.help = Some(scroll + 1),
                Some(Cmd::Up) => self.help = Some(scroll.saturating_sub(1)),
                Some(Cmd::PageDown) => self.help = Some(scroll + 10),
                Some(Cmd::PageUp) => self.help = Some(scroll.saturating_sub(10)),
                Some(Cmd::Top) => self.help = Some(0),
                _ => {}
            }
            return None;
        }
        let cmd = self.keymap.lookup(Context::Portfolio, &k)?;
        self.message = None;
        self.run(cmd)
    }

    /// Carry out `cmd`.
    pub fn run(&mut self, cmd: Cmd) -> Option<PortfolioEffect> {
        let (rows, cols) = self.matrix_window();
        match cmd {
            Cmd::Quit | Cmd::ForceQuit => return Some(PortfolioEffect::Quit),
            Cmd::Help => self.help = Some(0),
            Cmd::Theme => self.theme = self.theme.next(),
            Cmd::NextPane | Cmd::PrevPane => {
                let order = [
                    PortfolioPane::Matrix,
                    PortfolioPane::Tree,
                    PortfolioPane::Findings,
                ];
                let at = order.iter().position(|p| *p == self.pane).unwrap_or(0);
                let step = if cmd == Cmd::NextPane { 1 } else { 2 };
                self.pane = order[(at + step) % 3];
            }
            Cmd::Open => return self.open(),
            Cmd::Left | Cmd::Right if self.pane == PortfolioPane::Matrix => {
                self.sel.1 = if cmd == Cmd::Left {
                    self.sel.1.saturating_sub(1)
                } else {
                    self.sel.1 + 1
                };
            }
            Cmd::Up | Cmd::Down | Cmd::PageUp | Cmd::PageDown | Cmd::Top | Cmd::Bottom => {
                let page = match self.pane {
                    PortfolioPane::Matrix => rows,
                    p => self.pane_height(p),
                };
                let at = self.selected_row_mut();
                *at = match cmd {
                    Cmd::Up => at.saturating_sub(1),
                    Cmd::Down => *at + 1,
                    Cmd::PageUp => at.saturating_sub(page),
                    Cmd::PageDown => *at + page,
                    Cmd::Top => 0,
                    _ => usize::MAX,
                };
                if self.pane == PortfolioPane::Findings {
                    self.skip_heading(cmd);
                }
            }
            _ => {}
        }
        self.clamp_to(rows, cols);
        None
    }

    fn selected_row_mut(&mut self) -> &mut usize {
        match self.pane {
            PortfolioPane::Matrix => &mut self.sel.0,
            PortfolioPane::Tree => &mut self.tree_sel,
            PortfolioPane::Findings => &mut self.finding_sel,
        }
    }

    /// Move the findings selection off a heading, the way it was going.
    fn skip_heading(&mut self, cmd: Cmd) {
        let rows = &self.sheet.findings;
        let n = rows.len();
        if n == 0 {
            return;
        }
        let up = matches!(cmd, Cmd::Up | Cmd::PageUp | Cmd::Bottom);
        let mut at = self.finding_sel.min(n - 1);
        let is_heading = |i: usize| matches!(rows[i], FindingRow::Section(_));
        while is_heading(at) {
            match (up, at) {
                (true, 0) => break,
                (true, _) => at -= 1,
                (false, _) if at + 1 < n => at += 1,
                _ => break,
            }
        }
        if is_heading(at) {
            // Nothing that way: the nearest finding the other way.
            at = (0..n).find(|&i| !is_heading(i)).unwrap_or(at);
        }
        self.finding_sel = at;
    }

    /// The credential Enter opens from the pane in front.
    pub fn target(&self) -> Option<usize> {
        match self.pane {
            PortfolioPane::Matrix => Some(self.sel.0),
            PortfolioPane::Tree => self.sheet.tree.get(self.tree_sel)?.open,
            PortfolioPane::Findings => match self.sheet.findings.get(self.finding_sel)? {
                FindingRow::Line { open, .. } => *open,
                FindingRow::Section(_) => None,
            },
        }
    }

    fn open(&mut self) -> Option<PortfolioEffect> {
        let Some(row) = self.target() else {
            self.error("This row names no credential of the portfolio to open.");
            return None;
        };
        let c = self.sheet.credentials.get(row)?;
        if let Some(why) = &c.unavailable {
            let why = format!("{} cannot be opened: {why}", c.id);
            self.error(why);
            return None;
        }
        Some(PortfolioEffect::Open(row))
    }

    fn clamp(&mut self) {
        let (rows, cols) = self.matrix_window();
        self.clamp_to(rows, cols);
    }

    /// Keep every selection inside its list and every scroll showing its selection.
    fn clamp_to(&mut self, rows: usize, cols: usize) {
        let s = &self.sheet;
        let last = |n: usize| n.saturating_sub(1);
        self.sel.0 = self.sel.0.min(last(s.credentials.len()));
        self.sel.1 = self.sel.1.min(last(s.columns.len()));
        self.tree_sel = self.tree_sel.min(last(s.tree.len()));
        self.finding_sel = self.finding_sel.min(last(s.findings.len()));
        follow(&mut self.scroll.0, self.sel.0, rows);
        follow(&mut self.scroll.1, self.sel.1, cols);
        let th = self.pane_height(PortfolioPane::Tree);
        follow(&mut self.tree_scroll, self.tree_sel, th);
        let fh = self.pane_height(PortfolioPane::Findings);
        follow(&mut self.finding_scroll, self.finding_sel, fh);
    }
}

/// Scroll `first` (the first shown of `shown` rows) only as far as it takes to show `sel`.
fn follow(first: &mut usize, sel: usize, shown: usize) {
    let shown = shown.max(1);
    if sel < *first {
        *first = sel;
    } else if sel >= *first + shown {
        *first = sel + 1 - shown;
    }
}

/// True when `ev` is Esc on a design editor's main screen with nothing in front: a design
/// opened from the portfolio view then quits back to it, as `q` does (asking first about
/// unsaved changes).
pub fn leaves_on_esc(app: &super::App, ev: &Event) -> bool {
    matches!(ev, Event::Key(k) if k.code == KeyCode::Esc && k.kind != KeyEventKind::Release)
        && app.front().is_none()
        && app.view == super::View::Main
}

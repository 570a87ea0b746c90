//! Per-session state and `update`: events in, state changes and effects out. Rendering only
//! reads this; only `Op`s (through `History`) change the document.

use std::path::PathBuf;
use std::sync::Arc;

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use tui_input::InputRequest;

use super::finder::{Browser, Finder, FinderPurpose};
use super::form::{Form, Purpose};
use super::keys::{self, Cmd, Context, Keymap};
use super::layout::{self, Areas, Focus, HitMap, PaneHits};
use super::theme::Theme;
use super::wrap;
use crate::analysis::gap::{GapReport, NeedStatus};
use crate::catalog::Catalog;
use crate::document::hub::Hub;
use crate::edit::{Actor, History, Op};
use crate::model::*;

/// The main views.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Main,
    Matrix,
}

/// Where a gap line leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Jump {
    Need(String),
    Mapping(String, String),
    Competency(String),
    Credential(String),
    Nothing,
}

/// One row of the needs pane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NeedRow {
    /// The heading of a partner's needs (the partner's id).
    Partner(String),
    /// A need: its position in [`App::need_order`].
    Need(usize),
    /// The line under a partner that has no needs yet.
    NoNeeds,
}

/// One row of the gap list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GapRow {
    /// A section heading.
    Section(&'static str),
    /// A gap line (index into [`App::gap_lines`]).
    Line(usize),
}

/// One line of the gap panes.
#[derive(Debug, Clone, PartialEq)]
pub struct GapLine {
    /// The section it belongs to (its heading).
    pub section: &'static str,
    pub text: String,
    pub jump: Jump,
    /// Critical lines are shown in the "bad" style.
    pub critical: bool,
}

/// A modal on top of the main screen.
#[derive(Debug)]
pub enum Modal {
    Help(usize),
    Palette(tui_input::Input, usize),
    Confirm(String, Pending),
    Form(Box<Form>),
    Finder(Box<Finder>),
    Browser(Browser),
}

/// What a confirmation does on "yes".
#[derive(Debug, Clone)]
pub enum Pending {
    Quit,
    Apply(Op),
}

/// What the runner must do after an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Save(PathBuf),
    /// Write the YAML spec, the Open Badges achievement and the summary beside the workspace.
    Export,
    Quit,
}

/// A status-bar message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// Asked before each change a session makes (an `Op`, an undo, a redo): `Err` refuses it
/// with the reason, and nothing is done. The SSH server limits each person's rate with it.
pub type ChangeGate = Box<dyn FnMut() -> Result<(), String> + Send>;

/// Everything one session shows.
pub struct App {
    /// The document owner this session edits through.
    pub hub: Arc<Hub>,
    /// The hub version shown on screen.
    pub version: u64,
    /// The document at `version` (a read copy; only `Op`s through the hub change it).
    pub ws: Workspace,
    pub catalog: Arc<Catalog>,
    /// This session's own undo and redo.
    pub history: History,
    pub actor: Actor,
    pub path: Option<PathBuf>,
    pub dirty: bool,
    /// Why the last save failed (shown until a save succeeds), from the hub.
    pub save_error: Option<String>,
    /// Why this session cannot change the document (open for editing elsewhere).
    pub read_only: Option<String>,
    pub report: Arc<GapReport>,
    pub gap_lines: Vec<GapLine>,
    pub focus: Focus,
    pub view: View,
    /// Index into `need_order()`.
    pub need_sel: usize,
    /// Index into the selected need's mappings.
    pub map_sel: usize,
    pub gap_sel: usize,
    /// Matrix selection (row, column) and first shown (row, column).
    pub matrix_sel: (usize, usize),
    pub matrix_scroll: (usize, usize),
    pub modal: Option<Modal>,
    pub status: Status,
    pub theme: Theme,
    pub size: (u16, u16),
    /// The hit map of the last frame drawn, kept by the runner (`None` before the first): the
    /// mouse handler reads what was on screen from it.
    pub hits: Option<HitMap>,
    /// Quit after the pending save succeeds.
    pub quit_after_save: bool,
    /// A fixed clock for tests; the real time otherwise.
    pub clock: Option<String>,
    pub keymap: Arc<Keymap>,
    /// Who else is connected (served sessions); shown in the status bar.
    pub presence: Vec<String>,
    /// Asked before each change, if set.
    pub change_gate: Option<ChangeGate>,
    /// The focused pane fills the screen (the zoom key).
    pub zoom: bool,
    /// Rows the mappings pane is scrolled past the selected mapping's first row (C-d, C-u),
    /// with the need and mapping it was scrolled for: another selection starts unscrolled.
    pub read_scroll: (usize, usize, usize),
}

impl App {
    /// A session over `ws`, saved to `path`.
    pub fn new(ws: Workspace, catalog: Arc<Catalog>, path: Option<PathBuf>, actor: Actor) -> Self {
        App::with_hub(Hub::new(ws, catalog, path), actor)
    }

    /// A session over a shared document.
    pub fn with_hub(hub: Arc<Hub>, actor: Actor) -> Self {
        let snap = hub.snapshot();
        let mut app = App {
            catalog: hub.catalog().clone(),
            hub,
            version: snap.version,
            ws: snap.ws,
            history: History::default(),
            actor,
            path: snap.path,
            dirty: snap.dirty,
            save_error: snap.save_error,
            read_only: snap.read_only,
            report: snap.report,
            gap_lines: Vec::new(),
            focus: Focus::Needs,
            view: View::Main,
            need_sel: 0,
            map_sel: 0,
            gap_sel: 0,
            matrix_sel: (0, 0),
            matrix_scroll: (0, 0),
            modal: None,
            status: Status {
                text: String::new(),
                error: false,
            },
            theme: Theme::from_env(),
            size: (120, 40),
            hits: None,
            quit_after_save: false,
            clock: None,
            keymap: Arc::new(Keymap::default()),
            presence: Vec::new(),
            change_gate: None,
            zoom: false,
            read_scroll: (0, 0, 0),
        };
        app.gap_lines = gap_lines(&app.ws, &app.catalog, &app.report);
        app.clamp();
        app.status = Status {
            text: match &app.path {
                None => {
                    "New untitled design: press s to choose a file and save it. ? for help.".into()
                }
                Some(p) if !p.exists() => {
                    format!("New design; s saves it to {}. ? for help.", p.display())
                }
                Some(_) => "? help · : commands · Tab next pane".into(),
            },
            error: false,
        };
        app
    }

    // ----- derived data -------------------------------------------------------------------

    /// Take the hub's latest version (if newer) and recompute this session's derived views.
    /// Returns true when something changed.
    pub fn sync(&mut self) -> bool {
        if self.hub.version() == self.version {
            return false;
        }
        let snap = self.hub.snapshot();
        self.version = snap.version;
        self.ws = snap.ws;
        self.report = snap.report;
        self.path = snap.path;
        self.dirty = snap.dirty;
        self.read_only = snap.read_only;
        if snap.save_error != self.save_error {
            match &snap.save_error {
                Some(e) => self.error(format!("Not saved: {e}")),
                None if self.status.text.starts_with("Not saved") => {
                    self.info("Saved.".to_string());
                }
                None => {}
            }
            self.save_error = snap.save_error;
        }
        self.gap_lines = gap_lines(&self.ws, &self.catalog, &self.report);
        self.clamp();
        true
    }

    fn clamp(&mut self) {
        let n = self.need_order().len();
        self.need_sel = self.need_sel.min(n.saturating_sub(1));
        self.map_sel = self
            .map_sel
            .min(self.selected_mappings().len().saturating_sub(1));
        self.gap_sel = self.gap_sel.min(self.gap_lines.len().saturating_sub(1));
        let (r, c) = self.matrix_sel;
        self.matrix_sel = (
            r.min(self.ws.needs.len().saturating_sub(1)),
            c.min(self.ws.competencies.len().saturating_sub(1)),
        );
    }

    /// Needs in display order: grouped by partner in partner order, then document order.
    pub fn need_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.ws.needs.len()).collect();
        let rank = |p: &str| {
            self.ws
                .partners
                .iter()
                .position(|x| x.id == p)
                .unwrap_or(usize::MAX)
        };
        order.sort_by_key(|&i| (rank(&self.ws.needs[i].partner), i));
        order
    }

    /// The selected need.
    pub fn selected_need(&self) -> Option<&Need> {
        self.need_order()
            .get(self.need_sel)
            .map(|&i| &self.ws.needs[i])
    }

    /// Indexes (into `ws.mappings`) of the selected need's mappings.
    pub fn selected_mappings(&self) -> Vec<usize> {
        match self.selected_need() {
            None => Vec::new(),
            Some(n) => self
                .ws
                .mappings
                .iter()
                .enumerate()
                .filter(|(_, m)| m.need == n.id)
                .map(|(i, _)| i)
                .collect(),
        }
    }

    /// The selected mapping.
    pub fn selected_mapping(&self) -> Option<&Mapping> {
        self.selected_mappings()
            .get(self.map_sel)
            .map(|&i| &self.ws.mappings[i])
    }

    /// The competency whose details are shown: the selected mapping's.
    pub fn detail_reference(&self) -> Option<String> {
        match (&self.modal, self.focus) {
            (Some(Modal::Finder(f)), _) => f.selected().map(|h| h.reference.clone()),
            (Some(Modal::Browser(b)), _) => b.selected(&self.catalog),
            (_, Focus::Gaps) => match self.gap_lines.get(self.gap_sel).map(|g| &g.jump) {
                Some(Jump::Mapping(_, c) | Jump::Competency(c)) => Some(c.clone()),
                _ => self.selected_mapping().map(|m| m.competency.clone()),
            },
            _ => self.selected_mapping().map(|m| m.competency.clone()),
        }
    }

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
    /// needs come last, each with a "no needs yet" line.
    pub fn need_rows(&self) -> Vec<NeedRow> {
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
            if !self.ws.needs.iter().any(|n| n.partner == p.id) {
                rows.push(NeedRow::Partner(p.id.clone()));
                rows.push(NeedRow::NoNeeds);
            }
        }
        rows
    }

    /// The rows of the gap list: a heading before each section's lines.
    pub fn gap_rows(&self) -> Vec<GapRow> {
        let mut rows = Vec::new();
        let mut section = "";
        for (i, g) in self.gap_lines.iter().enumerate() {
            if g.section != section {
                rows.push(GapRow::Section(g.section));
                section = g.section;
            }
            rows.push(GapRow::Line(i));
        }
        rows
    }

    /// The hit map of the main screen as it is drawn now: one entry per screen row, so a
    /// wrapped text's rows all lead to its item.
    pub fn hit_map(&self) -> HitMap {
        let a = self.areas();
        let inner = |r: ratatui::layout::Rect| {
            (
                r.width.saturating_sub(2) as usize,
                r.height.saturating_sub(2) as usize,
            )
        };
        let (nw, nh) = inner(a.needs);
        let needs = self
            .need_lines(nw, nh)
            .iter()
            .flat_map(|(r, lines)| {
                let item = match r {
                    NeedRow::Need(pos) => Some(*pos),
                    _ => None,
                };
                std::iter::repeat_n(item, lines.len())
            })
            .collect();
        let (gw, _) = inner(a.gaps);
        let gaps = self
            .gap_text(gw)
            .iter()
            .flat_map(|(r, lines)| {
                let item = match r {
                    GapRow::Line(i) => Some(*i),
                    GapRow::Section(_) => None,
                };
                std::iter::repeat_n(item, lines.len())
            })
            .collect();
        HitMap {
            needs: PaneHits::new(a.needs, 0, needs, self.need_sel),
            mappings: self.scrolled(self.mapping_hits(&a, self.text_scroll() + 1)),
            // The gaps pane shows the coverage gauge and a blank row above its list.
            gaps: PaneHits::new(a.gaps, 2, gaps, self.gap_sel),
        }
    }

    fn context(&self) -> Context {
        if self.view == View::Matrix {
            return Context::Matrix;
        }
        match self.focus {
            Focus::Needs => Context::Needs,
            Focus::Mappings => Context::Mappings,
            Focus::Gaps => Context::Gaps,
        }
    }

    /// The bindings that work here, for the status bar.
    pub fn context_keys(&self) -> Vec<&keys::Binding> {
        self.keymap.shown(self.context())
    }

    fn now(&self) -> String {
        self.clock.clone().unwrap_or_else(crate::clock::now_rfc3339)
    }

    fn info(&mut self, text: impl Into<String>) {
        self.status = Status {
            text: text.into(),
            error: false,
        };
    }

    fn error(&mut self, text: impl Into<String>) {
        self.status = Status {
            text: text.into(),
            error: true,
        };
    }

    // ----- changes --------------------------------------------------------------------------

    /// Apply an op through the history; the gap panes recompute at once.
    pub fn apply(&mut self, op: Op, done: &str) -> bool {
        if let Err(e) = self.may_change() {
            self.error(format!("Not done: {e}"));
            return false;
        }
        match self.hub.apply(&self.actor, op) {
            Ok(inverse) => {
                self.history.record(inverse);
                self.sync();
                self.info(done.to_string());
                true
            }
            Err(e) => {
                self.error(format!("Not done: {e}"));
                false
            }
        }
    }

    /// Ask the change gate, if any, for one change.
    fn may_change(&mut self) -> Result<(), String> {
        self.change_gate.as_mut().map_or(Ok(()), |gate| gate())
    }

    fn undo(&mut self, redo: bool) {
        if let Err(e) = self.may_change() {
            self.error(format!("Cannot: {e}"));
            return;
        }
        let (hub, actor) = (self.hub.clone(), self.actor.clone());
        let mut through_hub = |op| hub.apply(&actor, op);
        let r = if redo {
            self.history.redo_with(&mut through_hub)
        } else {
            self.history.undo_with(&mut through_hub)
        };
        match r {
            Ok(true) => {
                self.sync();
                self.info(if redo { "Redone." } else { "Undone." });
            }
            Ok(false) => self.info(if redo {
                "Nothing to redo."
            } else {
                "Nothing to undo."
            }),
            Err(e) => self.error(format!("Cannot: {e}")),
        }
    }

    /// Tell the session how the save went.
    pub fn saved(&mut self, result: Result<PathBuf, String>) -> Option<Effect> {
        match result {
            Ok(p) => {
                self.sync();
                self.info(format!("Saved {}.", p.display()));
                if self.quit_after_save {
                    return Some(Effect::Quit);
                }
            }
            Err(e) => {
                self.quit_after_save = false;
                self.error(format!("Not saved: {e}"));
            }
        }
        None
    }

    /// The export files to write beside the saved workspace (spec, badge, summary), or why not.
    pub fn export_files(&self) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
        use crate::export::{Format, Options, export};
        let path = match &self.path {
            Some(p) if !self.dirty => p,
            _ => return Err("save the design first (s), then export".into()),
        };
        let opts = Options {
            force: false,
            timestamp: None,
            workspace_sha256: None,
        };
        let mut out = Vec::new();
        for format in [Format::Yaml, Format::Ob3, Format::Markdown] {
            let bytes = export(&self.ws, &self.catalog, &self.report, format, &opts).map_err(|r| {
                let first = r.problems.first().map_or(String::new(), |p| format!(" — first: {} {}", p.at, p.message));
                format!(
                    "{} problem(s) must be fixed before export{first}. The gap panes list them; `microcred export --force` writes a draft.",
                    r.problems.len()
                )
            })?;
            out.push((crate::export::path_beside(path, format), bytes));
        }
        Ok(out)
    }

    /// Work left over from the last keystroke (an unfinished search); true when the screen
    /// should be drawn again. The runner calls this while no input is waiting.
    pub fn idle(&mut self) -> bool {
        match &mut self.modal {
            Some(Modal::Finder(f)) => f.refine(),
            _ => false,
        }
    }

    /// True while `idle` has work to do.
    pub fn busy(&self) -> bool {
        matches!(&self.modal, Some(Modal::Finder(f)) if f.searching())
    }

    /// Tell the session how the export went.
    pub fn exported(&mut self, result: Result<Vec<PathBuf>, String>) {
        match result {
            Ok(paths) => {
                let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                self.info(format!("Exported {}.", names.join(", ")));
            }
            Err(e) => self.error(format!("Not exported: {e}")),
        }
    }

    fn save(&mut self) -> Option<Effect> {
        match &self.path {
            Some(p) => Some(Effect::Save(p.clone())),
            None => {
                self.modal = Some(Modal::Form(Box::new(Form::save_as())));
                None
            }
        }
    }

    // ----- events -------------------------------------------------------------------------

    /// Handle one terminal event.
    pub fn handle(&mut self, ev: Event) -> Option<Effect> {
        match ev {
            Event::Key(k) if k.kind != KeyEventKind::Release => self.key(k),
            Event::Paste(text) => {
                self.paste(&text);
                None
            }
            Event::Mouse(m) => {
                self.mouse(m);
                None
            }
            Event::Resize(w, h) => {
                self.size = (w, h);
                None
            }
            _ => None,
        }
    }

    /// A paste goes into the text field in front, at once and cut to the field's limit (a
    /// search query to [`crate::limits::QUERY`]); anywhere else it is ignored.
    fn paste(&mut self, text: &str) {
        use super::form::insert_capped;
        let max = crate::limits::QUERY;
        let note = match &mut self.modal {
            Some(Modal::Form(f)) => f.paste(text),
            Some(Modal::Finder(f)) => {
                let pasted = insert_capped(&mut f.input, text, max, true);
                f.sel = 0;
                f.refresh();
                pasted.note("the search", max)
            }
            Some(Modal::Palette(input, _)) => {
                insert_capped(input, text, max, false).note("the command search", max)
            }
            _ => None,
        };
        if let Some(note) = note {
            self.error(note);
        }
    }

    fn key(&mut self, k: KeyEvent) -> Option<Effect> {
        if k.code == KeyCode::Char('c')
            && k.modifiers.contains(KeyModifiers::CONTROL)
            && self.modal.is_none()
        {
            return self.run(Cmd::Quit);
        }
        match self.modal.take() {
            None => {
                let cmd = self.keymap.lookup(self.context(), &k)?;
                self.run(cmd)
            }
            Some(modal) => self.modal_key(modal, k),
        }
    }

    /// Run a command (from a key or the palette).
    pub fn run(&mut self, cmd: Cmd) -> Option<Effect> {
        if self.view == View::Matrix {
            if let Some(e) = self.matrix_cmd(cmd) {
                return e;
            }
        }
        match cmd {
            Cmd::Up => self.move_sel(-1),
            Cmd::Down => self.move_sel(1),
            Cmd::PageUp => self.move_sel(-10),
            Cmd::PageDown => self.move_sel(10),
            Cmd::Top => self.move_sel(-1_000_000),
            Cmd::Bottom => self.move_sel(1_000_000),
            Cmd::Left | Cmd::Right => {}
            Cmd::NextPane | Cmd::PrevPane => {
                let order = [Focus::Needs, Focus::Mappings, Focus::Gaps];
                let i = order.iter().position(|f| *f == self.focus).unwrap_or(0);
                let step = if cmd == Cmd::NextPane { 1 } else { 2 };
                self.focus = order[(i + step) % 3];
            }
            Cmd::Open => self.open(),
            Cmd::AddNeed => {
                if self.ws.partners.is_empty() {
                    self.error("Add a partner first: press P.");
                } else {
                    let partner = self.selected_need().map(|n| n.partner.clone());
                    self.modal = Some(Modal::Form(Box::new(Form::new_need(
                        &self.ws,
                        partner.as_deref(),
                    ))));
                }
            }
            Cmd::AddPartner => self.modal = Some(Modal::Form(Box::new(Form::partner(None)))),
            Cmd::EditPartner => {
                let p = self
                    .selected_need()
                    .and_then(|n| self.ws.partner(&n.partner))
                    .cloned();
                match p {
                    Some(p) => self.modal = Some(Modal::Form(Box::new(Form::partner(Some(&p))))),
                    None => self.error("Select a need of the partner to edit."),
                }
            }
            Cmd::Edit => self.edit(),
            Cmd::Delete => self.delete(),
            Cmd::MapNeed => match self.selected_need() {
                Some(n) => {
                    let (id, text) = (n.id.clone(), n.statement.clone());
                    self.modal = Some(Modal::Finder(Box::new(Finder::new(
                        FinderPurpose::MapNeed(id),
                        &self.hub,
                        Some(&text),
                    ))));
                }
                None => self.error("Select a need to map (or add one with a)."),
            },
            Cmd::Agree => self.set_status(MappingStatus::Agreed),
            Cmd::Dispute => self.set_status(MappingStatus::Disputed),
            Cmd::Reject => self.set_status(MappingStatus::Rejected),
            Cmd::Propose => self.set_status(MappingStatus::Proposed),
            Cmd::Comment => match self.selected_mapping() {
                Some(m) => {
                    self.modal = Some(Modal::Form(Box::new(Form::comment(
                        &self.ws,
                        &self.catalog,
                        m,
                    ))))
                }
                None => self.error("Select a mapping to comment on."),
            },
            Cmd::ToggleInclude => self.toggle_include(),
            Cmd::EditCredential => {
                self.modal = Some(Modal::Form(Box::new(Form::credential(&self.ws.credential))))
            }
            Cmd::Browse => self.modal = Some(Modal::Browser(Browser::default())),
            Cmd::Matrix => {
                self.view = if self.view == View::Matrix {
                    View::Main
                } else {
                    View::Matrix
                };
            }
            Cmd::Search => {
                self.modal = Some(Modal::Finder(Box::new(Finder::new(
                    FinderPurpose::AddToCredential,
                    &self.hub,
                    None,
                ))))
            }
            Cmd::Undo => self.undo(false),
            Cmd::Redo => self.undo(true),
            Cmd::Save => return self.save(),
            Cmd::Quit => {
                if self.dirty {
                    self.modal = Some(Modal::Confirm(
                        "There are unsaved changes. y: save and quit · n: quit without saving · Esc: stay".into(),
                        Pending::Quit,
                    ));
                } else {
                    return Some(Effect::Quit);
                }
            }
            Cmd::Help => self.modal = Some(Modal::Help(0)),
            Cmd::Palette => self.modal = Some(Modal::Palette(tui_input::Input::default(), 0)),
            Cmd::Export => return Some(Effect::Export),
            Cmd::Theme => {
                self.theme = self.theme.next();
                let name = self.theme.name();
                self.info(format!("Theme: {name}."));
            }
            Cmd::Zoom => self.toggle_zoom(),
            Cmd::ScrollDown | Cmd::ScrollUp => self.scroll_text(cmd == Cmd::ScrollDown),
        }
        None
    }

    fn move_sel(&mut self, delta: i64) {
        let step = |cur: usize, len: usize| -> usize {
            if len == 0 {
                return 0;
            }
            (cur as i64 + delta).clamp(0, len as i64 - 1) as usize
        };
        match self.focus {
            Focus::Needs => {
                self.need_sel = step(self.need_sel, self.need_order().len());
                self.map_sel = 0;
            }
            Focus::Mappings => self.map_sel = step(self.map_sel, self.selected_mappings().len()),
            Focus::Gaps => self.gap_sel = step(self.gap_sel, self.gap_lines.len()),
        }
    }

    fn select_need(&mut self, id: &str) {
        let order = self.need_order();
        if let Some(pos) = order.iter().position(|&i| self.ws.needs[i].id == id) {
            self.need_sel = pos;
            self.map_sel = 0;
        }
    }

    fn select_mapping(&mut self, need: &str, comp: &str) {
        self.select_need(need);
        if let Some(pos) = self
            .selected_mappings()
            .iter()
            .position(|&i| self.ws.mappings[i].competency == comp)
        {
            self.map_sel = pos;
        }
    }

    fn open(&mut self) {
        match self.focus {
            Focus::Needs => self.focus = Focus::Mappings,
            Focus::Mappings => self.edit(),
            Focus::Gaps => {
                let Some(line) = self.gap_lines.get(self.gap_sel).cloned() else {
                    return;
                };
                self.jump(&line);
            }
        }
    }

    /// Go to the thing a gap line names, and open what fixes it.
    pub fn jump(&mut self, line: &GapLine) {
        match &line.jump {
            Jump::Need(id) => {
                self.select_need(id);
                self.focus = Focus::Needs;
                self.info(format!("{id}: press m to map it to a competency."));
            }
            Jump::Mapping(n, c) => {
                self.select_mapping(n, c);
                self.focus = Focus::Mappings;
                match line.section {
                    "Level gaps" => self.edit(),
                    "Mapped but not included" => {
                        self.info("Press i to include the competency in the credential.")
                    }
                    _ => self.info("y agree · x dispute · r reject · c comment"),
                }
            }
            Jump::Competency(r) => {
                if let Some(cc) = self.ws.competency(r).cloned() {
                    if let Some(f) = Form::credential_competency(&self.catalog, &cc) {
                        let f = if line.section == "Assessment gaps" {
                            f.focus("assessment.method")
                        } else {
                            f
                        };
                        self.modal = Some(Modal::Form(Box::new(f)));
                    }
                }
            }
            Jump::Credential(field) => {
                let key = field.trim_start_matches("credential.");
                let key = match key {
                    "level" => "level.scheme",
                    "workload" => "workload.hours",
                    k => k,
                };
                self.modal = Some(Modal::Form(Box::new(
                    Form::credential(&self.ws.credential).focus(key),
                )));
            }
            Jump::Nothing => {}
        }
    }

    fn edit(&mut self) {
        match self.focus {
            Focus::Needs | Focus::Gaps => {
                if let Some(n) = self.selected_need().cloned() {
                    self.modal = Some(Modal::Form(Box::new(Form::edit_need(&self.ws, &n))));
                }
            }
            Focus::Mappings => match self.selected_mapping().cloned() {
                Some(m) => {
                    self.modal = Some(Modal::Form(Box::new(Form::mapping(
                        &self.ws,
                        &self.catalog,
                        &m,
                    ))))
                }
                None => self.error("This need has no mappings yet: press m to map it."),
            },
        }
    }

    fn delete(&mut self) {
        match self.focus {
            Focus::Needs => {
                let Some(n) = self.selected_need().cloned() else {
                    return;
                };
                let mut ops: Vec<Op> = self
                    .ws
                    .mappings
                    .iter()
                    .filter(|m| m.need == n.id)
                    .map(|m| Op::RemoveMapping {
                        need: m.need.clone(),
                        competency: m.competency.clone(),
                    })
                    .collect();
                let count = ops.len();
                ops.push(Op::RemoveNeed { id: n.id.clone() });
                self.modal = Some(Modal::Confirm(
                    format!(
                        "Delete need {} and its {count} mapping(s)? y: delete · Esc: keep (u undoes)",
                        n.id
                    ),
                    Pending::Apply(Op::Batch { ops }),
                ));
            }
            Focus::Mappings => {
                if let Some(m) = self.selected_mapping().cloned() {
                    self.apply(
                        Op::RemoveMapping {
                            need: m.need.clone(),
                            competency: m.competency.clone(),
                        },
                        &format!(
                            "Removed mapping {} → {} (u undoes).",
                            m.need,
                            self.competency_label(&m.competency)
                        ),
                    );
                }
            }
            Focus::Gaps => {}
        }
    }

    fn set_status(&mut self, status: MappingStatus) {
        let Some(m) = self.selected_mapping().cloned() else {
            self.error("Select a mapping first (Tab to the mappings pane).");
            return;
        };
        let agreed_by = (status == MappingStatus::Agreed).then(|| self.actor.name.clone());
        self.apply(
            Op::SetMappingStatus {
                need: m.need.clone(),
                competency: m.competency.clone(),
                status,
                agreed_by,
            },
            &format!(
                "{} → {} is now {}.",
                m.need,
                self.competency_label(&m.competency),
                status.as_str()
            ),
        );
    }

    fn toggle_include(&mut self) {
        let Some(m) = self.selected_mapping().cloned() else {
            return;
        };
        if self.ws.competency(&m.competency).is_some() {
            self.apply(
                Op::RemoveCompetency {
                    reference: m.competency.clone(),
                },
                &format!(
                    "Dropped {} from the credential.",
                    self.competency_label(&m.competency)
                ),
            );
        } else {
            let target = m
                .required_level
                .or_else(|| self.default_level(&m.competency))
                .unwrap_or(1);
            let cc = CredentialCompetency {
                reference: m.competency.clone(),
                target_level: target,
                hours: None,
                outcome: None,
                assessment: None,
            };
            self.apply(
                Op::InsertCompetency {
                    at: self.ws.competencies.len(),
                    competency: cc,
                },
                &format!(
                    "Included {} in the credential.",
                    self.competency_label(&m.competency)
                ),
            );
        }
    }

    /// A sensible first target level: the second allowed level, or the first.
    fn default_level(&self, reference: &str) -> Option<u32> {
        let (fw, comp) = self.catalog.resolve(reference)?;
        let allowed: Vec<u32> = fw
            .levels
            .iter()
            .map(|l| l.level)
            .filter(|l| comp.allows_level(fw, *l))
            .collect();
        allowed.get(1).or(allowed.first()).copied()
    }

    /// Pick a competency from the finder or browser.
    fn pick(&mut self, purpose: FinderPurpose, reference: String) {
        let in_credential = self.ws.competency(&reference).is_some();
        let target = self.default_level(&reference).unwrap_or(1);
        let cc = CredentialCompetency {
            reference: reference.clone(),
            target_level: target,
            hours: None,
            outcome: None,
            assessment: None,
        };
        match purpose {
            FinderPurpose::MapNeed(need) => {
                let mut ops = Vec::new();
                if !in_credential {
                    ops.push(Op::InsertCompetency {
                        at: self.ws.competencies.len(),
                        competency: cc,
                    });
                }
                let mapping = Mapping {
                    need: need.clone(),
                    competency: reference.clone(),
                    required_level: None,
                    rationale: None,
                    status: MappingStatus::Proposed,
                    agreed_by: None,
                    comments: Vec::new(),
                };
                ops.push(Op::InsertMapping {
                    at: self.ws.mappings.len(),
                    mapping: mapping.clone(),
                });
                if self.apply(
                    Op::Batch { ops },
                    &format!(
                        "Mapped {need} → {}. Set the levels, hours and assessment.",
                        self.competency_label(&reference)
                    ),
                ) {
                    self.select_mapping(&need, &reference);
                    self.focus = Focus::Mappings;
                    self.modal = Some(Modal::Form(Box::new(
                        Form::mapping(&self.ws, &self.catalog, &mapping).focus("required_level"),
                    )));
                }
            }
            FinderPurpose::AddToCredential => {
                if in_credential {
                    self.error(format!(
                        "{} is already in the credential.",
                        self.competency_label(&reference)
                    ));
                    return;
                }
                if self.apply(
                    Op::InsertCompetency {
                        at: self.ws.competencies.len(),
                        competency: cc.clone(),
                    },
                    &format!(
                        "Added {} to the credential.",
                        self.competency_label(&reference)
                    ),
                ) {
                    if let Some(f) = Form::credential_competency(&self.catalog, &cc) {
                        self.modal = Some(Modal::Form(Box::new(f)));
                    }
                }
            }
        }
    }

    // ----- modals ---------------------------------------------------------------------------

    fn modal_key(&mut self, modal: Modal, k: KeyEvent) -> Option<Effect> {
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        match modal {
            Modal::Help(scroll) => {
                self.modal = match k.code {
                    KeyCode::Down | KeyCode::Char('j') => Some(Modal::Help(scroll + 1)),
                    KeyCode::Up | KeyCode::Char('k') => Some(Modal::Help(scroll.saturating_sub(1))),
                    KeyCode::PageDown => Some(Modal::Help(scroll + 10)),
                    KeyCode::PageUp => Some(Modal::Help(scroll.saturating_sub(10))),
                    _ => None,
                };
            }
            Modal::Confirm(msg, pending) => match (k.code, pending) {
                (KeyCode::Char('y' | 'Y'), Pending::Quit) => {
                    self.quit_after_save = true;
                    return self.save();
                }
                (KeyCode::Char('n' | 'N'), Pending::Quit) => return Some(Effect::Quit),
                (KeyCode::Char('y' | 'Y') | KeyCode::Enter, Pending::Apply(op)) => {
                    self.apply(op, "Done (u undoes).");
                }
                (KeyCode::Esc | KeyCode::Char('n' | 'N' | 'q'), _) => self.info("Cancelled."),
                (_, pending) => self.modal = Some(Modal::Confirm(msg, pending)),
            },
            Modal::Palette(mut input, mut sel) => {
                let items = palette_items(&self.keymap, input.value());
                match k.code {
                    KeyCode::Esc => return None,
                    KeyCode::Enter => {
                        if let Some(b) = items.get(sel) {
                            return self.run(b.cmd);
                        }
                        return None;
                    }
                    KeyCode::Down => sel = (sel + 1).min(items.len().saturating_sub(1)),
                    KeyCode::Up => sel = sel.saturating_sub(1),
                    _ => {
                        if let Some(req) = input_request(&k) {
                            input.handle(req);
                            sel = 0;
                        }
                    }
                }
                self.modal = Some(Modal::Palette(input, sel));
            }
            Modal::Form(mut form) => {
                if let Some(note) = form.text_key(&k) {
                    if let Some(note) = note {
                        self.error(note);
                    }
                    self.modal = Some(Modal::Form(form));
                    return None;
                }
                match k.code {
                    KeyCode::Esc => {
                        self.info("Closed without changes.");
                        return None;
                    }
                    KeyCode::Enter => return self.submit(form),
                    KeyCode::Char('s') if ctrl => return self.submit(form),
                    KeyCode::Down | KeyCode::Tab => form.move_sel(true),
                    KeyCode::Up | KeyCode::BackTab => form.move_sel(false),
                    KeyCode::Left | KeyCode::Right
                        if form.fields.get(form.sel).is_some_and(|f| f.is_choice()) =>
                    {
                        form.cycle(k.code == KeyCode::Right)
                    }
                    KeyCode::Char(' ')
                        if form.fields.get(form.sel).is_some_and(|f| f.is_choice()) =>
                    {
                        form.cycle(true)
                    }
                    _ => {
                        if let Some(note) = input_request(&k).and_then(|req| form.edit(req)) {
                            self.error(note);
                        }
                    }
                }
                self.modal = Some(Modal::Form(form));
            }
            Modal::Finder(mut f) => {
                match k.code {
                    KeyCode::Esc => return None,
                    KeyCode::Enter => {
                        if let Some(hit) = f.selected() {
                            let reference = hit.reference.clone();
                            self.pick(f.purpose.clone(), reference);
                        }
                        return None;
                    }
                    KeyCode::Down => f.sel = (f.sel + 1).min(f.hits.len().saturating_sub(1)),
                    KeyCode::Up => f.sel = f.sel.saturating_sub(1),
                    KeyCode::PageDown => f.sel = (f.sel + 10).min(f.hits.len().saturating_sub(1)),
                    KeyCode::PageUp => f.sel = f.sel.saturating_sub(10),
                    _ => {
                        if let Some(req) = input_request(&k) {
                            f.input.handle(req);
                            f.sel = 0;
                            f.refresh();
                        }
                    }
                }
                self.modal = Some(Modal::Finder(f));
            }
            Modal::Browser(mut b) => {
                let cats = Browser::categories(&self.catalog, b.fw);
                let comps = cats
                    .get(b.cat)
                    .map(|c| Browser::competencies(&self.catalog, b.fw, c))
                    .unwrap_or_default();
                let len = [self.catalog.entries().len(), cats.len(), comps.len()];
                match k.code {
                    KeyCode::Esc | KeyCode::Char('q') => return None,
                    KeyCode::Left | KeyCode::Char('h') | KeyCode::BackTab => {
                        b.column = b.column.saturating_sub(1)
                    }
                    KeyCode::Right | KeyCode::Char('l') | KeyCode::Tab => {
                        b.column = (b.column + 1).min(2)
                    }
                    KeyCode::Down | KeyCode::Char('j') | KeyCode::Up | KeyCode::Char('k') => {
                        let down = matches!(k.code, KeyCode::Down | KeyCode::Char('j'));
                        let n = len[b.column];
                        let cur = match b.column {
                            0 => &mut b.fw,
                            1 => &mut b.cat,
                            _ => &mut b.comp,
                        };
                        *cur = if down {
                            (*cur + 1).min(n.saturating_sub(1))
                        } else {
                            cur.saturating_sub(1)
                        };
                        if b.column == 0 {
                            b.cat = 0;
                            b.comp = 0;
                        } else if b.column == 1 {
                            b.comp = 0;
                        }
                    }
                    KeyCode::Enter | KeyCode::Char('a') => {
                        if b.column < 2 {
                            b.column += 1;
                        } else if let Some(r) = b.selected(&self.catalog) {
                            self.pick(FinderPurpose::AddToCredential, r);
                            return None;
                        }
                    }
                    _ => {}
                }
                self.modal = Some(Modal::Browser(b));
            }
        }
        None
    }

    fn submit(&mut self, form: Box<Form>) -> Option<Effect> {
        if form.purpose == Purpose::SaveAs {
            let path = form.get("path");
            if path.is_empty() {
                self.modal = Some(Modal::Form(form));
                return None;
            }
            return Some(Effect::Save(PathBuf::from(path)));
        }
        let op = form.to_op(&self.ws, &self.actor.name, &self.now());
        let done = match &form.purpose {
            Purpose::Comment { .. } => "Comment added.",
            Purpose::Credential => "Credential updated.",
            _ => "Saved in the design (u undoes).",
        };
        match op {
            Ok(op) => {
                if !self.apply(op, done) {
                    let mut form = form;
                    form.error = Some(self.status.text.clone());
                    self.modal = Some(Modal::Form(form));
                } else if let Purpose::NewNeed = form.purpose {
                    let id = form.get("id");
                    self.select_need(&id);
                }
            }
            Err(e) => {
                let mut form = form;
                form.error = Some(e);
                self.modal = Some(Modal::Form(form));
            }
        }
        None
    }

    // ----- matrix ---------------------------------------------------------------------------

    /// Matrix navigation; `Some` when the command was a matrix command.
    fn matrix_cmd(&mut self, cmd: Cmd) -> Option<Option<Effect>> {
        let rows = self.ws.needs.len();
        let cols = self.ws.competencies.len();
        let (r, c) = &mut self.matrix_sel;
        match cmd {
            Cmd::Up => *r = r.saturating_sub(1),
            Cmd::Down => *r = (*r + 1).min(rows.saturating_sub(1)),
            Cmd::Left => *c = c.saturating_sub(1),
            Cmd::Right => *c = (*c + 1).min(cols.saturating_sub(1)),
            Cmd::PageUp => *r = r.saturating_sub(10),
            Cmd::PageDown => *r = (*r + 10).min(rows.saturating_sub(1)),
            Cmd::Top => *r = 0,
            Cmd::Bottom => *r = rows.saturating_sub(1),
            Cmd::Open => {
                let need = self.ws.needs.get(*r).map(|n| n.id.clone());
                let comp = self.ws.competencies.get(*c).map(|x| x.reference.clone());
                self.view = View::Main;
                if let (Some(n), Some(cp)) = (need, comp) {
                    if self.ws.mapping_index(&n, &cp).is_some() {
                        self.select_mapping(&n, &cp);
                        self.focus = Focus::Mappings;
                    } else {
                        self.select_need(&n);
                        self.focus = Focus::Needs;
                    }
                }
            }
            Cmd::NextPane | Cmd::PrevPane => self.view = View::Main,
            _ => return None,
        }
        Some(None)
    }

    // ----- mouse ----------------------------------------------------------------------------

    fn mouse(&mut self, m: MouseEvent) {
        if self.modal.is_some() || self.view != View::Main {
            if let (Some(Modal::Finder(f)), MouseEventKind::ScrollDown | MouseEventKind::ScrollUp) =
                (&mut self.modal, m.kind)
            {
                f.sel = if m.kind == MouseEventKind::ScrollDown {
                    (f.sel + 1).min(f.hits.len().saturating_sub(1))
                } else {
                    f.sel.saturating_sub(1)
                };
            }
            return;
        }
        let at = match &self.hits {
            Some(hits) => hits.at(m.column, m.row),
            // Not drawn yet (a test, a script): what a frame would show now.
            None => self.hit_map().at(m.column, m.row),
        };
        let Some((pane, item)) = at else { return };
        match m.kind {
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                self.focus = pane;
                self.move_sel(if m.kind == MouseEventKind::ScrollDown {
                    1
                } else {
                    -1
                });
            }
            MouseEventKind::Down(MouseButton::Left) => {
                self.focus = pane;
                match (pane, item) {
                    (Focus::Needs, Some(i)) => {
                        self.need_sel = i;
                        self.map_sel = 0;
                    }
                    (Focus::Mappings, Some(i)) => self.map_sel = i,
                    (Focus::Gaps, Some(i)) => self.gap_sel = i,
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

/// Palette entries matching `query` (every command with a label, once).
pub fn palette_items<'k>(keymap: &'k Keymap, query: &str) -> Vec<&'k keys::Binding> {
    use fuzzy_matcher::FuzzyMatcher;
    let matcher = fuzzy_matcher::skim::SkimMatcherV2::default()
        .ignore_case()
        .element_limit(1); // the linear path: no state between calls (see analysis::search::matcher)
    let mut seen = Vec::new();
    let mut items: Vec<(i64, &keys::Binding)> = Vec::new();
    for b in &keymap.bindings {
        if seen.contains(&b.cmd)
            || matches!(
                b.cmd,
                Cmd::Up
                    | Cmd::Down
                    | Cmd::Left
                    | Cmd::Right
                    | Cmd::Top
                    | Cmd::Bottom
                    | Cmd::PageUp
                    | Cmd::PageDown
                    | Cmd::Palette
            )
        {
            continue;
        }
        seen.push(b.cmd);
        if query.is_empty() {
            items.push((0, b));
        } else if let Some(s) = matcher.fuzzy_match(b.label, query) {
            items.push((s, b));
        }
    }
    items.sort_by_key(|(s, _)| -s);
    items.into_iter().map(|(_, b)| b).collect()
}

/// A key as a text-editing request: characters, cursor and word motions, deletions.
pub fn input_request(k: &KeyEvent) -> Option<InputRequest> {
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    let alt = k.modifiers.contains(KeyModifiers::ALT);
    Some(match k.code {
        KeyCode::Char('a') if ctrl => InputRequest::GoToStart,
        KeyCode::Char('e') if ctrl => InputRequest::GoToEnd,
        KeyCode::Char('w') if ctrl => InputRequest::DeletePrevWord,
        KeyCode::Char('u') if ctrl => InputRequest::DeleteFromStart,
        KeyCode::Char('k') if ctrl => InputRequest::DeleteTillEnd,
        KeyCode::Char('b') if alt => InputRequest::GoToPrevWord,
        KeyCode::Char('f') if alt => InputRequest::GoToNextWord,
        KeyCode::Char('d') if alt => InputRequest::DeleteNextWord,
        KeyCode::Char(c) if !ctrl && !c.is_control() => InputRequest::InsertChar(c),
        KeyCode::Backspace if ctrl || alt => InputRequest::DeletePrevWord,
        KeyCode::Backspace => InputRequest::DeletePrevChar,
        KeyCode::Delete => InputRequest::DeleteNextChar,
        KeyCode::Left if ctrl || alt => InputRequest::GoToPrevWord,
        KeyCode::Right if ctrl || alt => InputRequest::GoToNextWord,
        KeyCode::Left => InputRequest::GoToPrevChar,
        KeyCode::Right => InputRequest::GoToNextChar,
        KeyCode::Home => InputRequest::GoToStart,
        KeyCode::End => InputRequest::GoToEnd,
        _ => return None,
    })
}

/// The gap panes' lines, in section order.
pub fn gap_lines(ws: &Workspace, catalog: &Catalog, r: &GapReport) -> Vec<GapLine> {
    let mut out = Vec::new();
    let need_text = |id: &str| ws.need(id).map_or(String::new(), |n| n.statement.clone());
    // Names before ids: a competency is named, then its shortened id.
    let comp_name =
        |r: &str| wrap::named(catalog.resolve(r).map_or("", |(_, c)| c.name.as_str()), r);
    let mut push = |section: &'static str, text: String, jump: Jump, critical: bool| {
        out.push(GapLine {
            section,
            text,
            jump,
            critical,
        })
    };
    for id in &r.critical {
        push(
            "Critical needs",
            format!("{id} {}", need_text(id)),
            Jump::Need(id.clone()),
            true,
        );
    }
    for n in &r.needs {
        if n.status == NeedStatus::Uncovered && !r.critical.contains(&n.id) {
            push(
                "Uncovered needs",
                format!("{} {}", n.id, need_text(&n.id)),
                Jump::Need(n.id.clone()),
                false,
            );
        }
    }
    for n in r.needs.iter().filter(|n| n.status == NeedStatus::Partial) {
        push(
            "Partial needs",
            format!("{} {:.0}% {}", n.id, n.credit * 100.0, need_text(&n.id)),
            Jump::Need(n.id.clone()),
            false,
        );
    }
    for g in &r.level_gaps {
        push(
            "Level gaps",
            format!(
                "{} → {} needs {}, targets {} (−{})",
                g.need,
                comp_name(&g.competency),
                g.required,
                g.target,
                g.shortfall
            ),
            Jump::Mapping(g.need.clone(), g.competency.clone()),
            false,
        );
    }
    for o in &r.orphans {
        push("Orphans", comp_name(o), Jump::Competency(o.clone()), false);
    }
    for a in &r.assessment_gaps {
        push(
            "Assessment gaps",
            comp_name(a),
            Jump::Competency(a.clone()),
            false,
        );
    }
    for m in &r.mapped_not_included {
        push(
            "Mapped but not included",
            format!("{} → {}", m.need, comp_name(&m.competency)),
            Jump::Mapping(m.need.clone(), m.competency.clone()),
            false,
        );
    }
    let w = &r.workload;
    let declared = w
        .declared_hours
        .map_or("not declared".to_string(), |h| format!("{h} h declared"));
    push(
        "Workload",
        format!(
            "{} h of competencies; {declared}; ceiling {} h",
            w.competency_hours, w.max_hours
        ),
        Jump::Credential("credential.workload".into()),
        w.over_max,
    );
    for a in &r.awaiting_review {
        push(
            "Awaiting review",
            format!(
                "{} {} → {}",
                a.status.as_str(),
                a.need,
                comp_name(&a.competency)
            ),
            Jump::Mapping(a.need.clone(), a.competency.clone()),
            a.status == MappingStatus::Disputed,
        );
    }
    for m in &r.missing_elements {
        push(
            "Missing export elements",
            m.clone(),
            Jump::Credential(m.clone()),
            false,
        );
    }
    for e in &r.equity_questions {
        push(
            "Equity questions",
            e.clone(),
            Jump::Credential(e.clone()),
            false,
        );
    }
    out
}

// ----- text laid out for reading (wrapped where it is read) -------------------------------

/// Columns before a need's statement in the needs pane: status mark (3), priority (6), the
/// need's (shortened) id and a space. Wrapped rows of the statement are indented as far.
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
    /// Make the focused pane fill the screen, or restore the panes.
    fn toggle_zoom(&mut self) {
        self.zoom = !self.zoom;
        if self.zoom {
            self.info("Zoomed: the pane fills the screen; + restores, Tab zooms the next pane.");
        } else {
            self.info("All panes shown.");
        }
    }

    /// Scroll the mappings pane's text half a pane down or up (for a comment longer than
    /// the pane).
    fn scroll_text(&mut self, down: bool) {
        let a = self.areas();
        let height = a.mappings.height.saturating_sub(2) as usize;
        let now = self.text_scroll();
        let half = (height / 2).max(1);
        let p = self.mapping_hits(&a, now + half + 1);
        let most = p.items.len().saturating_sub(height).saturating_sub(p.first);
        let rows = if down {
            (now + half).min(most)
        } else {
            now.saturating_sub(half)
        };
        self.read_scroll = (self.need_sel, self.map_sel, rows);
    }

    /// The mappings pane's rows as a list, unscrolled: one entry per row, for its mapping;
    /// the selected mapping's rows laid out to `extra` rows past a pane's height.
    fn mapping_hits(&self, a: &Areas, extra: usize) -> PaneHits {
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
    fn text_scroll(&self) -> usize {
        match self.read_scroll {
            (n, m, rows) if (n, m) == (self.need_sel, self.map_sel) => rows,
            _ => 0,
        }
    }

    /// The mappings pane's list scrolled by [`App::text_scroll`], never past its last row.
    fn scrolled(&self, mut p: PaneHits) -> PaneHits {
        let height = p.area.height.saturating_sub(2) as usize;
        let last_first = p.items.len().saturating_sub(height);
        p.first = (p.first + self.text_scroll()).min(last_first.max(p.first));
        p
    }

    /// A competency as lists and messages name it: its name, then its shortened id.
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
    /// headings and "no needs" rows take one (empty) line.
    pub fn need_lines(&self, width: usize, height: usize) -> Vec<(NeedRow, Vec<String>)> {
        let order = self.need_order();
        let rows = self.need_rows();
        let text = |pos: usize, max_rows: usize| {
            let n = &self.ws.needs[order[pos]];
            let room = width.saturating_sub(need_lead(&n.id)).max(1);
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
        rows.into_iter()
            .map(|r| {
                let lines = match &r {
                    NeedRow::Need(pos) if *pos == self.need_sel => text(*pos, height.max(1)),
                    NeedRow::Need(pos) => text(*pos, per_need),
                    NeedRow::Partner(_) | NeedRow::NoNeeds => vec![String::new()],
                };
                (r, lines)
            })
            .collect()
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
    /// headings take one (empty) line.
    pub fn gap_text(&self, width: usize) -> Vec<(GapRow, Vec<String>)> {
        let room = width.saturating_sub(GAP_LEAD).max(1);
        self.gap_rows()
            .into_iter()
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
            .collect()
    }
}

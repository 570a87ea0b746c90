//! Per-session state and `update`: events in, state changes and effects out. Rendering only
//! reads this; only `Op`s (through `History`) change the document.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

use super::demand::{DemandSheet, DemandView};
use super::finder::{Browser, Finder, FinderPurpose};
use super::form::{Form, Purpose};
use super::history::HistoryView;
use super::keys::{self, Access, Cmd, Context, Keymap};
use super::layout::{self, Areas, Focus, HitMap, PaneHits};
pub use super::postings_job::PostingRequest;
use super::theme::Theme;
use super::vote::{VoteSheet, VoteView};
use super::wrap;
use crate::analysis::gap::{GapReport, NeedStatus};
use crate::catalog::Catalog;
use crate::document::activity::{Activity, Target};
use crate::document::derived::Derived;
use crate::document::hub::Hub;
use crate::document::journal;
use crate::edit::{Actor, History, Op, Role, StatusRecord};
use crate::model::*;

mod access;
mod changes;
mod demand;
mod dispatch;
mod finder;
mod form_keys;
mod gaps;
mod handoff;
mod history;
mod lists;
mod main_screen;
mod palette;
mod panes;
pub mod portfolio;
mod postings;
mod recovery;
mod vote;

#[cfg(test)]
mod tests;

pub use gaps::{GapLinesAt, gap_lines, gap_lines_after};
pub use palette::{palette_cmd, palette_items, short_time};
pub use panes::{
    COMMENT_INDENT, FrameRows, GAP_LEAD, GapRows, MAPPING_INDENT, MAPPING_LEAD, MapLine,
    SUPPORT_COLS, need_lead,
};
pub use portfolio::leaves_on_esc;
pub use recovery::{Recovered, Recovery};

/// A direction through a list (or a text) that wraps around or stops at its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Toward {
    Next,
    Previous,
}

impl Toward {
    /// The direction of a command of a pair (next or previous to-do, scrolling down or up).
    pub fn of(cmd: Cmd) -> Toward {
        match cmd {
            Cmd::PrevToDo | Cmd::ScrollUp | Cmd::Up | Cmd::PrevPane => Toward::Previous,
            _ => Toward::Next,
        }
    }
}

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
    /// A partner whose sign-off is missing or stale.
    SignOff(String),
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
    /// A row more than a screen from the selection: never drawn, so not laid out (the frame
    /// now leaves such rows out, see [`App::need_lines`]).
    Offscreen,
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

/// A layer over the main screen: a view (vote, demand, history, lists), a form, a question,
/// the finder, the browser, the palette, help. Layers stack ([`App::layers`]); the front one
/// has the keyboard, and its handler gets it by `&mut` ([`Flow`] says whether it stays).
#[derive(Debug)]
pub enum Modal {
    /// Help, scrolled this many lines.
    Help(usize),
    /// The message log (`:messages`), scrolled this many lines from the newest.
    Messages(usize),
    Palette(crate::tui::text::TextField, usize),
    Confirm(Box<Confirm>),
    Form(Box<Form>),
    Finder(Box<Finder>),
    Browser(Browser),
    /// The activity feed, newest first, with the selected row.
    Activity(usize),
    /// The history of the design's file: commits newest first, or one commit's difference.
    History(Box<HistoryView>),
    /// The partner list, with the selected row.
    Partners(usize),
    /// The dot vote view.
    Vote(VoteView),
    /// The demand view: competencies job postings mention.
    Demand(DemandView),
}

impl Modal {
    /// The keymap context of this modal.
    pub fn context(&self) -> Context {
        match self {
            Modal::Help(_) | Modal::Messages(_) => Context::Help,
            Modal::Palette(..) => Context::Palette,
            Modal::Confirm(_) => Context::Confirm,
            Modal::Form(_) => Context::Form,
            Modal::Finder(_) => Context::Finder,
            Modal::Browser(_) => Context::Browser,
            Modal::Activity(_) => Context::Activity,
            Modal::History(_) => Context::History,
            Modal::Partners(_) => Context::Partners,
            Modal::Vote(_) => Context::Vote,
            Modal::Demand(_) => Context::Demand,
        }
    }
}

/// What a layer's handler decided about its layer: it stays (under any layer it opened), or
/// it closes, with what the host must then do.
#[derive(Debug)]
pub(crate) enum Flow {
    Stay,
    Close(Option<Effect>),
}

/// An answer to a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Yes,
    No,
    Cancel,
}

/// A question with its answers, one of them selected (Enter chooses it).
#[derive(Debug)]
pub struct Confirm {
    pub title: String,
    pub text: String,
    /// Each answer with what it does, in words.
    pub choices: Vec<(Answer, String)>,
    pub sel: usize,
    pub pending: Pending,
}

/// What a question decides.
#[derive(Debug)]
pub enum Pending {
    /// Quit with unsaved changes: yes saves first, no discards them.
    Quit,
    /// Apply this op on yes.
    Apply(Box<Op>),
    /// Unsaved changes left in a journal by an earlier session: yes recovers them, no
    /// discards them, cancel quits and leaves them for later.
    Recover(Box<journal::Found>),
}

/// One line of the message log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// When it was shown (HH:MM:SS).
    pub at: String,
    pub text: String,
    pub error: bool,
}

/// How many messages the log keeps.
pub const MESSAGE_LOG: usize = 500;

/// What the runner must do after an update: everything that touches files or other
/// processes (saving, exporting, reading postings, the journal) is carried out by the host
/// (`tui::carry_out`), which then tells the session how it went.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Save(PathBuf),
    /// Write these formats beside the workspace.
    Export(Vec<crate::export::Format>),
    /// Read job postings and add them as evidence, in the background.
    AddPostings(PostingRequest),
    /// Remove the journal of unsaved changes (quitting without saving them), then quit.
    DiscardAndQuit,
    /// Answer the journal found when the design was opened (see [`App::offer_recovery`]).
    Recover(Box<journal::Found>, Recovery),
    /// Read the history of the design's file (git) into the history view, in the background.
    ReadHistory(PathBuf),
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

/// What the host of a session sets when it starts (the SSH server; the local editor keeps the
/// defaults): given once, with [`App::with_session`].
#[derive(Default)]
pub struct SessionOptions {
    /// The SSH key fingerprint the session connected with (recorded on sign-offs). A session
    /// with a key never reads the server's files.
    pub key: Option<String>,
    /// Asked before each change, if set.
    pub change_gate: Option<ChangeGate>,
    /// The document is saved by someone else (the server): quitting never asks.
    pub autosaved: bool,
}

/// Everything one session shows.
pub struct App {
    /// The document owner this session edits through.
    pub hub: Arc<Hub>,
    /// The hub version shown on screen.
    pub version: u64,
    /// The document at `version` (shared with the hub and every session; only `Op`s through
    /// the hub change it).
    pub ws: Arc<Workspace>,
    pub catalog: Arc<Catalog>,
    /// This session's own undo and redo.
    pub history: History,
    pub actor: Actor,
    /// What the host told this session when it started (see [`App::with_session`]).
    session: SessionOptions,
    pub path: Option<PathBuf>,
    pub dirty: bool,
    /// Why the last save failed (shown until a save succeeds), from the hub.
    pub save_error: Option<String>,
    /// Why this session cannot change the document (open for editing elsewhere).
    pub read_only: Option<String>,
    pub report: Arc<GapReport>,
    /// Orders and lookups by id of the version shown (shared with every session).
    pub derived: Arc<Derived>,
    /// The gap panes' lines of the version shown (made once per version, shared).
    pub gap_lines: Arc<Vec<Arc<GapLine>>>,
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
    /// The layers over the main screen, bottom first (see [`App::front`]).
    layers: Vec<Modal>,
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
    /// Every message shown, oldest first (at most [`MESSAGE_LOG`]).
    pub messages: VecDeque<Message>,
    /// Recent changes by everyone, oldest first (from the hub, at most its log's bound).
    pub activity: Vec<Activity>,
    /// Partners' disputes, rejections and comments not yet jumped to (designers only),
    /// oldest first.
    pub notices: std::collections::VecDeque<Activity>,
    /// The focused pane fills the screen (the zoom key).
    pub zoom: bool,
    /// Rows the mappings pane is scrolled past the selected mapping's first row (C-d, C-u),
    /// with the need and mapping it was scrolled for: another selection starts unscrolled.
    pub read_scroll: (usize, usize, usize),
    /// The coverage gauge weights needs by their evidence, not only their priority (the
    /// weighting key; see [`crate::analysis::support`]).
    pub by_evidence: bool,
    /// Job postings being read and extracted in the background (the add-postings form).
    pub postings_job: Option<super::postings_job::PostingsJob>,
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
            session: SessionOptions::default(),
            path: snap.path,
            dirty: snap.dirty,
            save_error: snap.save_error,
            read_only: snap.read_only,
            report: snap.report,
            derived: snap.derived,
            gap_lines: Arc::default(),
            focus: Focus::Needs,
            view: View::Main,
            need_sel: 0,
            map_sel: 0,
            gap_sel: 0,
            matrix_sel: (0, 0),
            matrix_scroll: (0, 0),
            layers: Vec::new(),
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
            messages: VecDeque::new(),
            activity: Vec::new(),
            notices: std::collections::VecDeque::new(),
            zoom: false,
            read_scroll: (0, 0, 0),
            by_evidence: false,
            postings_job: None,
        };
        app.activity = app.hub.activity_since(0);
        app.gap_lines = app.shared_gap_lines();
        app.clamp();
        app.greet();
        app
    }

    /// The layer in front (it has the keyboard), if any.
    pub fn front(&self) -> Option<&Modal> {
        self.layers.last()
    }

    /// The layers over the main screen, bottom first: drawn in this order.
    pub fn layers(&self) -> &[Modal] {
        &self.layers
    }

    /// Open a layer in front of the others.
    pub fn push_layer(&mut self, layer: Modal) {
        self.layers.push(layer);
    }

    /// Close every layer: back to the main screen.
    pub fn close_layers(&mut self) {
        self.layers.clear();
    }

    /// This session as its host started it: connected with a key, behind a change gate,
    /// saved by the host.
    pub fn with_session(mut self, session: SessionOptions) -> Self {
        self.session = session;
        self
    }

    /// This session with a fixed clock (screen tests, fuzzing): what depends on today's date
    /// (stale evidence among the gap lines) is derived again for it.
    pub fn with_clock(mut self, clock: &str) -> Self {
        self.clock = Some(clock.to_string());
        let today: String = clock.chars().take(10).collect();
        self.gap_lines = Arc::new(gap_lines(
            &self.ws,
            &self.derived,
            &self.catalog,
            &self.report,
            &today,
        ));
        self
    }

    /// Take the hub's latest version (if newer) and recompute this session's derived views.
    /// Returns true when something changed.
    pub fn sync(&mut self) -> bool {
        let mut read = false;
        for layer in &mut self.layers {
            if let Modal::History(h) = layer {
                read |= h.poll();
            }
        }
        let read = self.poll_postings() || read;
        if self.hub.version() == self.version {
            return read;
        }
        let snap = self.hub.snapshot();
        let signed = self.own_sign_off_current();
        self.version = snap.version;
        self.ws = snap.ws;
        self.report = snap.report;
        self.derived = snap.derived;
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
        self.gap_lines = self.shared_gap_lines();
        self.take_activity();
        if signed && !self.own_sign_off_current() {
            self.sign_off_went_stale();
        }
        self.clamp();
        true
    }

    /// True when this session is a partner's whose organisation signed off the version shown.
    fn own_sign_off_current(&self) -> bool {
        match &self.actor.role {
            Role::Partner(org) => {
                self.ws.sign_offs.iter().any(|s| &s.partner == org)
                    && !self.report.sign_offs.iter().any(|g| &g.partner == org)
            }
            _ => false,
        }
    }

    /// A partner's notice that their organisation's sign-off went stale.
    fn sign_off_went_stale(&mut self) {
        let who = self
            .activity
            .last()
            .map_or(String::new(), |a| a.who.clone());
        self.notices.push_back(Activity {
            seq: 0,
            at: self.now(),
            who,
            role: Role::Designer,
            what: format!(
                "changed the design: your sign-off is stale ({} signs off again)",
                self.key_for(Cmd::SignOff)
            ),
            target: match &self.actor.role {
                Role::Partner(org) => Target::Partner(org.clone()),
                _ => Target::Nothing,
            },
            notice: true,
            about: crate::document::activity::About::Other,
        });
    }

    /// The gap lines of the version shown, made by the first session that needs them.
    fn shared_gap_lines(&self) -> Arc<Vec<Arc<GapLine>>> {
        let today: String = self.now().chars().take(10).collect();
        let at = self.hub.per_version_after(self.version, |prev| {
            gaps::gap_lines_after(
                prev.as_deref(),
                &self.ws,
                &self.derived,
                &self.catalog,
                &self.report,
                &today,
            )
        });
        Arc::clone(&at.lines)
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

    /// Needs in display order: grouped by partner in partner order, then document order
    /// (derived once per version).
    pub fn need_order(&self) -> &[usize] {
        &self.derived.need_order
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
            Some(n) => self.derived.mappings(&n.id).to_vec(),
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
        match (self.layers.last(), self.focus) {
            (Some(Modal::Finder(f)), _) => f.selected().map(|h| h.reference.clone()),
            (Some(Modal::Browser(b)), _) => b.selected(&self.catalog),
            (_, Focus::Gaps) => match self.gap_lines.get(self.gap_sel).map(|g| &g.jump) {
                Some(Jump::Mapping(_, c) | Jump::Competency(c)) => Some(c.clone()),
                _ => self.selected_mapping().map(|m| m.competency.clone()),
            },
            _ => self.selected_mapping().map(|m| m.competency.clone()),
        }
    }

    /// The keymap context of what has the keyboard: the modal in front, else the pane.
    pub fn context(&self) -> Context {
        if let Some(m) = self.layers.last() {
            return m.context();
        }
        self.pane_context()
    }

    /// The keymap context of the main screen (ignoring any modal).
    pub fn pane_context(&self) -> Context {
        if self.view == View::Matrix {
            return Context::Matrix;
        }
        match self.focus {
            Focus::Needs => Context::Needs,
            Focus::Mappings => Context::Mappings,
            Focus::Gaps => Context::Gaps,
        }
    }

    /// The bindings that work here and that this person may use, each with its hint text (the
    /// hint bar's entries; see [`keys::Keymap::hint_entries`]).
    pub fn context_keys(&self) -> Vec<(keys::Binding, String)> {
        let ctx = self.context();
        self.keymap
            .hint_entries(ctx)
            .iter()
            .filter(|(b, _)| self.offers(ctx, b.cmd))
            .cloned()
            .collect()
    }

    /// Whether the hint bar offers `cmd` in `ctx` to this person (what they may run here).
    fn offers(&self, ctx: Context, cmd: Cmd) -> bool {
        (ctx != self.pane_context() || self.permits(cmd).is_ok())
            && (!matches!(ctx, Context::Vote | Context::Partners) || self.role_allows(cmd))
    }

    /// The key that runs `cmd` on the main screen, as the keymap in force has it.
    pub fn key_for(&self, cmd: Cmd) -> String {
        self.keymap.main_key(cmd)
    }

    /// The first status line of a session.
    pub fn greet(&mut self) {
        let text = match &self.path {
            None => format!(
                "New untitled design: press {} to choose a file and save it. {} for help.",
                self.key_for(Cmd::Save),
                self.key_for(Cmd::Help)
            ),
            Some(p) if !p.exists() => format!(
                "New design; {} saves it to {}. {} for help.",
                self.key_for(Cmd::Save),
                p.display(),
                self.key_for(Cmd::Help)
            ),
            Some(_) => format!(
                "{} help · {} commands · {} next pane",
                self.key_for(Cmd::Help),
                self.key_for(Cmd::Palette),
                self.key_for(Cmd::NextPane)
            ),
        };
        self.status = Status { text, error: false };
    }

    fn now(&self) -> String {
        self.clock.clone().unwrap_or_else(crate::clock::now_rfc3339)
    }

    /// Show a message (and keep it in the log).
    pub fn info(&mut self, text: impl Into<String>) {
        self.say(text.into(), false);
    }

    /// Show an error (and keep it in the log).
    pub fn error(&mut self, text: impl Into<String>) {
        self.say(text.into(), true);
    }

    fn say(&mut self, text: String, error: bool) {
        // Messages quote names and text written by others: shown escaped, never raw.
        let text = crate::problem::visible(text);
        let now = self.now();
        let at = now.get(11..19).unwrap_or(&now).to_string();
        if self.messages.len() >= MESSAGE_LOG {
            self.messages.pop_front();
        }
        self.messages.push_back(Message {
            at,
            text: text.clone(),
            error,
        });
        self.status = Status { text, error };
    }
}

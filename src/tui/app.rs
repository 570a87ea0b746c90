//! Per-session state and `update`: events in, state changes and effects out. Rendering only
//! reads this; only `Op`s (through `History`) change the document.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use tui_input::InputRequest;

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
    /// A row more than a screen from the selection: never drawn, so not laid out.
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

/// A modal on top of the main screen.
#[derive(Debug)]
pub enum Modal {
    /// Help, scrolled this many lines.
    Help(usize),
    /// The message log (`:messages`), scrolled this many lines from the newest.
    Messages(usize),
    Palette(tui_input::Input, usize),
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

/// What the runner must do after an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Save(PathBuf),
    /// Write these formats beside the workspace.
    Export(Vec<crate::export::Format>),
    /// Read job postings and add them as evidence, in the background.
    AddPostings(PostingRequest),
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
    /// The document at `version` (shared with the hub and every session; only `Op`s through
    /// the hub change it).
    pub ws: Arc<Workspace>,
    pub catalog: Arc<Catalog>,
    /// This session's own undo and redo.
    pub history: History,
    pub actor: Actor,
    /// The SSH key fingerprint this session connected with (recorded on sign-offs).
    pub key: Option<String>,
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
    pub gap_lines: Arc<Vec<GapLine>>,
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
    /// Every message shown, oldest first (at most [`MESSAGE_LOG`]).
    pub messages: VecDeque<Message>,
    /// The document is saved by someone else (the server): quitting never asks.
    pub autosaved: bool,
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
            key: None,
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
            messages: VecDeque::new(),
            autosaved: false,
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

    /// This session with a fixed clock (screen tests, fuzzing): what depends on today's date
    /// (stale evidence among the gap lines) is derived again for it.
    pub fn with_clock(mut self, clock: &str) -> Self {
        self.clock = Some(clock.to_string());
        let today: String = clock.chars().take(10).collect();
        self.gap_lines = Arc::new(gap_lines(&self.ws, &self.catalog, &self.report, &today));
        self
    }

    // ----- derived data -------------------------------------------------------------------

    /// Take the hub's latest version (if newer) and recompute this session's derived views.
    /// Returns true when something changed.
    pub fn sync(&mut self) -> bool {
        let read = match &mut self.modal {
            Some(Modal::History(h)) => h.poll(),
            _ => false,
        };
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
    fn shared_gap_lines(&self) -> Arc<Vec<GapLine>> {
        let today: String = self.now().chars().take(10).collect();
        self.hub.per_version(self.version, || {
            gap_lines(&self.ws, &self.catalog, &self.report, &today)
        })
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
    /// needs come last, each with a "no needs yet" line. Made once per version and shared.
    pub fn need_rows(&self) -> Arc<Vec<NeedRow>> {
        self.hub.per_version(self.version, || self.make_need_rows())
    }

    fn make_need_rows(&self) -> Vec<NeedRow> {
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
    pub fn gap_section_counts(&self) -> Arc<std::collections::HashMap<&'static str, usize>> {
        self.hub.per_version(self.version, || {
            let mut counts = std::collections::HashMap::new();
            for g in self.gap_lines.iter() {
                *counts.entry(g.section).or_insert(0) += 1;
            }
            counts
        })
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
                // A row not laid out (far from the selection) is one line.
                std::iter::repeat_n(item, lines.len().max(1))
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
                // A row not laid out (far from the selection) is one line.
                std::iter::repeat_n(item, lines.len().max(1))
            })
            .collect();
        HitMap {
            needs: PaneHits::new(a.needs, 0, needs, self.need_sel),
            mappings: self.scrolled(self.mapping_hits(&a, self.text_scroll() + 1)),
            // The gaps pane shows the coverage gauge and a blank row above its list.
            gaps: PaneHits::new(a.gaps, 2, gaps, self.gap_sel),
        }
    }

    /// The keymap context of what has the keyboard: the modal in front, else the pane.
    pub fn context(&self) -> Context {
        if let Some(m) = &self.modal {
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

    /// The bindings that work here and that this person may use, for the hint bar.
    pub fn context_keys(&self) -> Vec<&keys::Binding> {
        let ctx = self.context();
        self.keymap
            .shown(ctx)
            .into_iter()
            .filter(|b| ctx != self.pane_context() || self.permits(b.cmd).is_ok())
            .filter(|b| ctx != Context::Vote || self.role_allows(b.cmd))
            .collect()
    }

    /// The key that runs `cmd` on the main screen, as the keymap in force has it.
    pub fn key_for(&self, cmd: Cmd) -> String {
        self.keymap.main_key(cmd)
    }

    /// Whether this person's role allows `cmd` at all (whatever is selected): what help and
    /// the palette offer.
    pub fn role_allows(&self, cmd: Cmd) -> bool {
        match cmd.access() {
            Access::Read => true,
            _ if self.read_only.is_some() => false,
            access => match &self.actor.role {
                Role::Designer => true,
                Role::Viewer => false,
                Role::Partner(_) => access != Access::Design,
            },
        }
    }

    /// Whether this person may run `cmd` now, on what is selected; else why not, in words
    /// that say what to do instead.
    pub fn permits(&self, cmd: Cmd) -> Result<(), String> {
        let access = cmd.access();
        if access == Access::Read {
            return Ok(());
        }
        if let Some(why) = &self.read_only {
            return Err(format!("This copy is read-only: {why}"));
        }
        let org = match &self.actor.role {
            Role::Designer => return Ok(()),
            Role::Viewer if matches!(cmd, Cmd::PlaceDot | Cmd::RemoveDot) => {
                return Err(
                    "Viewers follow the design and the vote but cannot vote; partners place the dots.".into(),
                );
            }
            Role::Viewer => {
                return Err("Viewers follow the design; ask a designer to change it.".into());
            }
            Role::Partner(org) => org,
        };
        let for_designers = || {
            format!(
                "Partners review their own organisation's needs and mappings; ask a designer to {}.",
                cmd.label()
            )
        };
        match access {
            Access::Read | Access::Change => Ok(()),
            Access::Design => Err(for_designers()),
            Access::OwnNeeds => {
                if cmd == Cmd::AddNeed {
                    return Ok(());
                }
                if self.focus == Focus::Mappings && matches!(cmd, Cmd::Edit | Cmd::Delete) {
                    return Err(for_designers());
                }
                let Some(n) = self.selected_need() else {
                    return Ok(()); // the command itself says what to select
                };
                if &n.partner != org {
                    let owner = self
                        .ws
                        .partner(&n.partner)
                        .map_or(n.partner.as_str(), |p| &p.name);
                    return Err(format!(
                        "{} is {owner}'s need; partners work only on {org}'s needs.",
                        n.id
                    ));
                }
                if cmd == Cmd::Delete && !self.derived.mappings(&n.id).is_empty() {
                    return Err(format!(
                        "{} has mappings; ask a designer to remove it with them.",
                        n.id
                    ));
                }
                Ok(())
            }
        }
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

    // ----- changes --------------------------------------------------------------------------

    /// Apply an op through the history; the gap panes recompute at once. The message says
    /// `done`, or what the op changed when `done` is empty.
    pub fn apply(&mut self, op: Op, done: &str) -> bool {
        if let Err(e) = self.may_change() {
            self.error(format!("Not done: {e}"));
            return false;
        }
        let done = if done.is_empty() {
            crate::edit::sentence(&op)
        } else {
            done.to_string()
        };
        match self.hub.apply(&self.actor, op) {
            Ok(Op::Batch { ops }) if ops.is_empty() => {
                self.info("Nothing changed: the design is already so.");
                true
            }
            Ok(inverse) => {
                self.history.record(inverse);
                self.sync();
                self.info(done);
                true
            }
            Err(e) => {
                self.error(format!("Not done: {e}"));
                false
            }
        }
    }

    /// Sign off the whole design as this session shows it: a partner signs for their own
    /// organisation after one question; a designer records who signs for which partner (in
    /// the room) in a short form. Either way the sign-off names the design's hash, and is
    /// refused if the design changed in between.
    fn sign_off(&mut self, partner: Option<String>) {
        let design = crate::model::signoff::design_hash(&self.ws);
        let agreed = self
            .ws
            .mappings
            .iter()
            .filter(|m| m.status == MappingStatus::Agreed)
            .count();
        let what = format!(
            "the design as it is now: {} needs, {} mappings ({agreed} agreed), {} competencies, \
             coverage {:.1}% (design {}). Any later change makes the sign-off stale until it is \
             signed again.",
            self.ws.needs.len(),
            self.ws.mappings.len(),
            self.ws.competencies.len(),
            self.report.coverage_percent,
            design.get(..12).unwrap_or(&design),
        );
        let org = match &self.actor.role {
            Role::Partner(org) => org.clone(),
            _ => {
                let note = format!("Signs off {what}");
                self.modal = Some(Modal::Form(Box::new(Form::sign_off(
                    &self.ws,
                    partner.as_deref(),
                    note,
                ))));
                return;
            }
        };
        let name = self
            .ws
            .partner(&org)
            .map_or(org.as_str(), |p| p.name.as_str())
            .to_string();
        let op = Op::SetSignOff {
            person: self.actor.name.clone(),
            partner: org.clone(),
            sign_off: Some(crate::model::SignOff {
                person: self.actor.name.clone(),
                partner: org,
                at: self.clock.clone().unwrap_or_else(crate::clock::now_rfc3339),
                design,
                key: self.key.clone(),
            }),
            signing: true,
            at: None,
        };
        self.modal = Some(Modal::Confirm(Box::new(Confirm {
            title: "Sign off the whole design".into(),
            text: format!(
                "Sign off for {name} as {}? You agree to {what}",
                self.actor.name
            ),
            choices: vec![
                (Answer::Yes, "sign off".into()),
                (Answer::No, "not now".into()),
            ],
            sel: 1,
            pending: Pending::Apply(Box::new(op)),
        })));
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
        // Both name the change the person made (an undo applies its inverse: named after
        // the undo, from the redo it leaves).
        let what = self.history.next_redo().map(crate::edit::describe);
        let mut through_hub = |op| hub.apply(&actor, op);
        let r = if redo {
            self.history.redo_with(&mut through_hub)
        } else {
            self.history.undo_with(&mut through_hub)
        };
        match r {
            Ok(true) => {
                self.sync();
                let what = if redo {
                    what
                } else {
                    self.history.next_redo().map(crate::edit::describe)
                }
                .unwrap_or_default();
                self.info(if redo {
                    format!("Redone: {what}.")
                } else {
                    format!("Undone: {what}.")
                });
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
                let had_id = self.ws.credential.id.is_some();
                self.sync();
                match (&self.ws.credential.id, had_id) {
                    (Some(id), false) => self.info(format!(
                        "Saved {}. The design now has its stable id {id}, kept for its life.",
                        p.display()
                    )),
                    _ => self.info(format!("Saved {}.", p.display())),
                }
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

    /// The files of `formats` to write beside the saved workspace, or why not.
    pub fn export_files(
        &self,
        formats: &[crate::export::Format],
    ) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
        use crate::export::{Options, export};
        let path = match &self.path {
            Some(p) if !self.dirty => p,
            _ => return Err("save the design first (s), then export".into()),
        };
        let opts = Options::default();
        let mut out = Vec::new();
        for &format in formats {
            let bytes = export(&self.ws, &self.catalog, &self.report, format, &opts).map_err(|r| {
                let first = r.problems.first().map_or(String::new(), |p| format!(" — first: {} {}", p.at, p.message));
                format!(
                    "{} problem(s) must be fixed before the {} can be exported{first}. The gap panes list them; `microcred export --force` writes a draft.",
                    r.problems.len(),
                    format.label()
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
        self.paste_cut(text, 0);
    }

    /// A paste of which `text` arrived and `left_out` more characters were cut on the way (by
    /// the server's input decoder): as [`Event::Paste`], the message counting those too.
    pub fn paste_cut(&mut self, text: &str, left_out: usize) {
        use super::form::insert_capped;
        let max = crate::limits::QUERY;
        let cut = |mut p: super::form::Pasted| {
            p.dropped += left_out;
            p
        };
        let note = match &mut self.modal {
            Some(Modal::Form(f)) => f.paste_cut(text, left_out),
            Some(Modal::Finder(f)) => {
                let pasted = cut(insert_capped(&mut f.input, text, max, true));
                f.sel = 0;
                f.refresh();
                pasted.note("the search", max)
            }
            Some(Modal::Palette(input, _)) => {
                cut(insert_capped(input, text, max, false)).note("the command search", max)
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

    /// Run a command (from a key or the palette). A command this person may not use is
    /// refused at once, saying why; nothing opens.
    pub fn run(&mut self, cmd: Cmd) -> Option<Effect> {
        if let Err(why) = self.permits(cmd) {
            self.error(why);
            return None;
        }
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
            Cmd::Left | Cmd::Right => {
                let order = [Focus::Needs, Focus::Mappings, Focus::Gaps];
                let i = order.iter().position(|f| *f == self.focus).unwrap_or(0);
                let i = if cmd == Cmd::Right {
                    (i + 1).min(2)
                } else {
                    i.saturating_sub(1)
                };
                self.focus = order[i];
            }
            Cmd::NextPane | Cmd::PrevPane => {
                let order = [Focus::Needs, Focus::Mappings, Focus::Gaps];
                let i = order.iter().position(|f| *f == self.focus).unwrap_or(0);
                let step = if cmd == Cmd::NextPane { 1 } else { 2 };
                self.focus = order[(i + step) % 3];
            }
            Cmd::FocusNeeds => self.focus = Focus::Needs,
            Cmd::FocusMappings => self.focus = Focus::Mappings,
            Cmd::FocusGaps => self.focus = Focus::Gaps,
            Cmd::NextToDo | Cmd::PrevToDo if matches!(self.actor.role, Role::Partner(_)) => {
                self.goto_awaiting(cmd == Cmd::NextToDo);
            }
            Cmd::NextToDo | Cmd::PrevToDo => self.goto_work(cmd == Cmd::NextToDo, false),
            Cmd::Open => self.open(),
            Cmd::AddNeed => {
                if self.ws.partners.is_empty() {
                    self.error(format!(
                        "Add a partner first: press {}.",
                        self.key_for(Cmd::AddPartner)
                    ));
                } else {
                    let mut partner = self.selected_need().map(|n| n.partner.clone());
                    if let Role::Partner(org) = &self.actor.role {
                        partner = Some(org.clone());
                    }
                    let mut form = Form::new_need(&self.ws, partner.as_deref());
                    if let Role::Partner(org) = &self.actor.role {
                        form.only_choice("partner", org);
                    }
                    self.modal = Some(Modal::Form(Box::new(form)));
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
                    // No need to tell which partner (none has needs yet): choose from the list.
                    None => self.open_partners(None),
                }
            }
            Cmd::Edit => self.edit(),
            Cmd::Delete => self.delete(),
            Cmd::MapNeed => match self.selected_need() {
                Some(n) => {
                    let (id, text) = (n.id.clone(), n.statement.clone());
                    let context = crate::analysis::suggest::context::for_need(&self.ws, &id);
                    self.modal = Some(Modal::Finder(Box::new(Finder::in_context(
                        FinderPurpose::MapNeed(id),
                        &self.hub,
                        Some(&text),
                        context,
                    ))));
                }
                None => self.error(format!(
                    "Select a need to map (or add one with {}).",
                    self.key_for(Cmd::AddNeed)
                )),
            },
            Cmd::Agree => self.set_status(MappingStatus::Agreed),
            Cmd::Dispute => self.ask_reason(MappingStatus::Disputed),
            Cmd::Reject => self.ask_reason(MappingStatus::Rejected),
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
            Cmd::SignOff => {
                let partner = self.selected_need().map(|n| n.partner.clone());
                self.sign_off(partner);
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
            Cmd::SaveQuit => {
                if self.autosaved || !self.dirty {
                    return Some(Effect::Quit);
                }
                self.quit_after_save = true;
                return self.save();
            }
            Cmd::Quit => {
                if self.dirty && !self.autosaved {
                    self.modal = Some(Modal::Confirm(Box::new(Confirm {
                        title: "Quit".into(),
                        text: "There are unsaved changes.".into(),
                        choices: vec![
                            (Answer::Yes, "save them and quit".into()),
                            (
                                Answer::No,
                                "quit without saving (they are discarded)".into(),
                            ),
                            (Answer::Cancel, "stay".into()),
                        ],
                        sel: 0,
                        pending: Pending::Quit,
                    })));
                } else {
                    return Some(Effect::Quit);
                }
            }
            Cmd::ForceQuit => {
                if !self.autosaved {
                    let _ = self.hub.discard_journal();
                }
                return Some(Effect::Quit);
            }
            Cmd::Help => self.modal = Some(Modal::Help(0)),
            Cmd::Messages => self.modal = Some(Modal::Messages(0)),
            Cmd::Palette => self.modal = Some(Modal::Palette(tui_input::Input::default(), 0)),
            Cmd::Export => {
                let blockers =
                    crate::export::verdict::problems(&self.ws, &self.catalog, &self.report);
                self.modal = Some(Modal::Form(Box::new(Form::export(
                    &self.ws,
                    blockers.len(),
                ))));
            }
            Cmd::Theme => {
                self.theme = self.theme.next();
                let name = self.theme.name();
                self.info(format!("Theme: {name}."));
            }
            // Commands of modals; on the main screen they do nothing.
            Cmd::Submit
            | Cmd::Cancel
            | Cmd::NextField
            | Cmd::PrevField
            | Cmd::NextChoice
            | Cmd::PrevChoice
            | Cmd::Yes
            | Cmd::No => {}
            Cmd::Activity => self.open_activity(),
            Cmd::History => self.open_history(),
            Cmd::NextNotice => self.next_notice(),
            Cmd::Partners => self.open_partners(None),
            Cmd::DeletePartner => match self.selected_need().map(|n| n.partner.clone()) {
                Some(id) => self.confirm_delete_partner(&id),
                None => self.open_partners(None),
            },
            Cmd::Zoom => self.toggle_zoom(),
            Cmd::ScrollDown | Cmd::ScrollUp => self.scroll_text(cmd == Cmd::ScrollDown),
            Cmd::Vote => self.modal = Some(Modal::Vote(self.new_vote_view())),
            Cmd::Demand => self.modal = Some(Modal::Demand(self.new_demand_view())),
            Cmd::NeedFromDemand | Cmd::OnlyUncovered | Cmd::AddPostings => {
                let view = self.new_demand_view();
                self.demand_cmd(view, cmd);
            }
            Cmd::Weighting => {
                self.by_evidence = !self.by_evidence;
                self.info(if self.by_evidence {
                    "The coverage gauge now weights needs by evidence: priority × (endorsing partners + log2(1 + postings))."
                } else {
                    "The coverage gauge weights needs by priority again (must 3, should 2, could 1)."
                });
            }
            Cmd::PlaceDot
            | Cmd::RemoveDot
            | Cmd::VoteFor
            | Cmd::OpenVote
            | Cmd::CloseVote
            | Cmd::ApplyVote => {
                let view = self.new_vote_view();
                self.vote_cmd(view, cmd);
            }
        }
        None
    }

    /// Move to the next (or previous) need that still needs work (uncovered or partial),
    /// wrapping around; `after_change` words the message for a selection that moved on by
    /// itself.
    fn goto_work(&mut self, forward: bool, after_change: bool) {
        let derived = self.derived.clone();
        let (status, order) = (&derived.status, &derived.need_order);
        let n = order.len();
        if n == 0 {
            return;
        }
        let found = (1..=n)
            .map(|k| {
                if forward {
                    (self.need_sel + k) % n
                } else {
                    (self.need_sel + n - k % n) % n
                }
            })
            .find(|&pos| {
                let id = self.ws.needs[order[pos]].id.as_str();
                status.get(id).is_some_and(|s| *s != NeedStatus::Covered)
            });
        match found {
            Some(pos) => {
                self.need_sel = pos;
                self.map_sel = 0;
                self.focus = Focus::Needs;
                let need = &self.ws.needs[order[pos]];
                let st = status.get(need.id.as_str()).map_or("", |s| s.as_str());
                let text = format!(
                    "{} ({st}): {} — {} maps it.",
                    need.id,
                    super::wrap::fit(&need.statement, 60),
                    self.key_for(Cmd::MapNeed)
                );
                if after_change {
                    let last = self.status.text.clone();
                    self.info(format!("{last} Next: {text}"));
                } else {
                    self.info(text);
                }
            }
            None if !after_change => self.info("Every need is covered."),
            None => {}
        }
    }

    /// What awaits this session's partner organisation (nothing for other roles).
    fn awaiting(&self) -> super::awaiting::Awaiting {
        match &self.actor.role {
            Role::Partner(org) => {
                super::awaiting::awaiting(&self.ws, &self.report, &self.derived, org)
            }
            _ => Default::default(),
        }
    }

    /// A partner's first screen: select the first need with a mapping awaiting their review
    /// (that mapping selected for when they move to the mappings pane) and say how much
    /// awaits them.
    pub fn welcome_partner(&mut self) {
        let awaiting = self.awaiting();
        if let Some(first) = awaiting.reviews.first() {
            self.need_sel = first.need_pos;
            self.map_sel = first.map_pos;
        }
        if let Some(text) = awaiting.summary() {
            self.info(format!(
                "{text} — {} goes to the next",
                self.key_for(Cmd::NextToDo)
            ));
        }
    }

    /// Move a partner to the next (or previous) mapping awaiting their review, wrapping
    /// around; say what else awaits them.
    fn goto_awaiting(&mut self, forward: bool) {
        let awaiting = self.awaiting();
        let here = (self.focus == Focus::Mappings).then_some(self.map_sel);
        match awaiting.next(self.need_sel, here, forward).cloned() {
            Some(item) => {
                self.need_sel = item.need_pos;
                self.map_sel = item.map_pos;
                self.focus = Focus::Mappings;
                let total = awaiting.summary().unwrap_or_default();
                self.info(format!(
                    "{} → {} awaits your review ({total}).",
                    item.need,
                    self.competency_label(&item.competency)
                ));
            }
            None => match awaiting.sign_off {
                Some(_) => self.info(format!(
                    "No mapping awaits your review; {} — {} signs off.",
                    awaiting.summary().unwrap_or_default(),
                    self.key_for(Cmd::SignOff)
                )),
                None => self.info("Nothing awaits your review or sign-off."),
            },
        }
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
        if let Some(&pos) = self.derived.need_pos.get(id) {
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
                self.info(format!(
                    "{id}: press {} to map it to a competency.",
                    self.key_for(Cmd::MapNeed)
                ));
            }
            Jump::Mapping(n, c) => {
                self.select_mapping(n, c);
                self.focus = Focus::Mappings;
                match line.section {
                    "Level gaps" if self.permits(Cmd::Edit).is_ok() => self.edit(),
                    "Mapped but not included" => self.info(format!(
                        "Press {} to include the competency in the credential.",
                        self.key_for(Cmd::ToggleInclude)
                    )),
                    _ => self.review_hint(),
                }
            }
            Jump::Competency(_) | Jump::Credential(_)
                if self.permits(Cmd::EditCredential).is_err() =>
            {
                self.focus = Focus::Gaps;
            }
            Jump::Competency(r) => {
                if let Some(cc) = self.ws.competency(r).cloned() {
                    if let Some(f) = Form::credential_competency(&self.catalog, &cc) {
                        let f = match line.section {
                            "Assessment gaps" => f.focus("assessment.method"),
                            "Outcomes" => f.focus("outcome"),
                            _ => f,
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
            Jump::SignOff(p) => match (&self.actor.role, self.permits(Cmd::SignOff)) {
                (_, Err(why)) => self.error(why),
                (Role::Partner(org), Ok(())) if org != p => {
                    self.info(format!("Waiting for {p} to sign off the design."));
                }
                (_, Ok(())) => self.sign_off(Some(p.clone())),
            },
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
                None => self.error(format!(
                    "This need has no mappings yet: press {} to map it.",
                    self.key_for(Cmd::MapNeed)
                )),
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
                self.modal = Some(Modal::Confirm(Box::new(Confirm {
                    title: format!("Delete need {}", n.id),
                    text: format!(
                        "Delete need {} “{}” and its {count} mapping(s)? {} undoes it.",
                        n.id,
                        super::wrap::fit(&n.statement, 80),
                        self.key_for(Cmd::Undo)
                    ),
                    choices: vec![
                        (Answer::Yes, "delete".into()),
                        (Answer::No, "keep it".into()),
                    ],
                    sel: 1,
                    pending: Pending::Apply(Box::new(Op::Batch { ops })),
                })));
            }
            Focus::Mappings => {
                if let Some(m) = self.selected_mapping().cloned() {
                    self.apply(
                        Op::RemoveMapping {
                            need: m.need.clone(),
                            competency: m.competency.clone(),
                        },
                        &format!(
                            "Removed mapping {} → {} ({} undoes).",
                            m.need,
                            self.competency_label(&m.competency),
                            self.key_for(Cmd::Undo)
                        ),
                    );
                }
            }
            Focus::Gaps => {}
        }
    }

    fn set_status(&mut self, status: MappingStatus) {
        let Some(m) = self.selected_mapping().cloned() else {
            self.error(format!(
                "Select a mapping first ({} to the mappings pane).",
                self.key_for(Cmd::FocusMappings)
            ));
            return;
        };
        let agreed_by = (status == MappingStatus::Agreed).then(|| self.actor.name.clone());
        let record = Some(StatusRecord::new(&self.actor.name, &self.now()));
        if self.apply(
            Op::SetMappingStatus {
                need: m.need.clone(),
                competency: m.competency.clone(),
                status,
                agreed_by,
                reason: None,
                record,
            },
            &format!(
                "{} → {} is now {}.",
                m.need,
                self.competency_label(&m.competency),
                status.as_str()
            ),
        ) && status != MappingStatus::Proposed
        {
            self.next_to_review();
        }
    }

    /// Say which review keys work on the selected mapping (for this person).
    fn review_hint(&mut self) {
        let hints: Vec<String> = [Cmd::Agree, Cmd::Dispute, Cmd::Reject, Cmd::Comment]
            .into_iter()
            .filter(|c| self.permits(*c).is_ok())
            .map(|c| format!("{} {}", self.key_for(c), c.name()))
            .collect();
        if !hints.is_empty() {
            self.info(hints.join(" · "));
        }
    }

    /// After a review, select the next of this need's mappings still awaiting one (proposed
    /// or disputed), so that agreeing to several in a row is one key each.
    fn next_to_review(&mut self) {
        let maps = self.selected_mappings();
        let n = maps.len();
        let waiting = |i: usize| {
            matches!(
                self.ws.mappings[maps[i]].status,
                MappingStatus::Proposed | MappingStatus::Disputed
            )
        };
        if let Some(pos) = (1..n).map(|k| (self.map_sel + k) % n).find(|&i| waiting(i)) {
            self.map_sel = pos;
        } else {
            self.next_need_to_review();
        }
    }

    /// Select the first mapping awaiting review in the next need (in display order) that has
    /// one: for a partner, awaiting their review; otherwise proposed or disputed. From the gap
    /// report's list, so the cost is that list's length.
    fn next_need_to_review(&mut self) {
        let next = if let Role::Partner(_) = self.actor.role {
            let awaiting = self.awaiting();
            awaiting
                .reviews
                .iter()
                .find(|i| i.need_pos > self.need_sel)
                .map(|i| (i.need_pos, i.need.clone(), i.competency.clone()))
        } else {
            self.report
                .awaiting_review
                .iter()
                .filter_map(|r| {
                    let pos = *self.derived.need_pos.get(&r.need)?;
                    (pos > self.need_sel).then(|| (pos, r.need.clone(), r.competency.clone()))
                })
                .min_by_key(|(pos, _, _)| *pos)
        };
        if let Some((_, need, comp)) = next {
            self.select_mapping(&need, &comp);
            let last = self.status.text.clone();
            self.info(format!(
                "{last} Next: {need} → {}.",
                self.competency_label(&comp)
            ));
        }
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
                silence: Vec::new(),
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
        self.catalog.default_level(reference)
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
            silence: Vec::new(),
        };
        match purpose {
            FinderPurpose::MapNeed(need) => {
                if self.ws.mapping_index(&need, &reference).is_some() {
                    self.select_mapping(&need, &reference);
                    self.focus = Focus::Mappings;
                    self.error(format!(
                        "{need} is already mapped to {}.",
                        self.competency_label(&reference)
                    ));
                    return;
                }
                // Nothing changes until the form is saved: Esc leaves the design as it was.
                let existing = self.ws.competency(&reference).cloned();
                let form = Form::new_mapping(
                    &self.ws,
                    &self.catalog,
                    &need,
                    existing.as_ref().unwrap_or(&cc),
                    existing.is_none(),
                );
                self.modal = Some(Modal::Form(Box::new(form)));
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
        let cmd = self.keymap.lookup(modal.context(), &k);
        match modal {
            Modal::Help(scroll) => {
                self.modal = scroll_overlay(cmd, scroll).map(Modal::Help);
            }
            Modal::Messages(scroll) => {
                self.modal = scroll_overlay(cmd, scroll).map(Modal::Messages);
            }
            Modal::Confirm(mut c) => {
                let n = c.choices.len().max(1);
                let answer = match cmd {
                    Some(Cmd::Yes) => Some(Answer::Yes),
                    Some(Cmd::No) => Some(Answer::No),
                    Some(Cmd::Cancel) => Some(Answer::Cancel),
                    Some(Cmd::Submit) => c.choices.get(c.sel).map(|(a, _)| *a),
                    Some(Cmd::NextChoice) => {
                        c.sel = (c.sel + 1) % n;
                        None
                    }
                    Some(Cmd::PrevChoice) => {
                        c.sel = (c.sel + n - 1) % n;
                        None
                    }
                    _ => None,
                };
                match answer {
                    Some(a) => return self.answer(*c, a),
                    None => self.modal = Some(Modal::Confirm(c)),
                }
            }
            Modal::Palette(mut input, mut sel) => {
                let items = palette_items(self, input.value());
                match cmd {
                    Some(Cmd::Cancel) => return None,
                    Some(Cmd::Submit) => {
                        let typed = input.value().trim().trim_start_matches(':');
                        let exact = keys::PALETTE_ALIASES
                            .iter()
                            .find(|(a, _)| *a == typed)
                            .map(|(_, c)| *c)
                            .or_else(|| Cmd::from_name(typed).filter(|c| palette_cmd(*c)));
                        if let Some(c) = exact.or_else(|| items.get(sel).map(|(c, _)| *c)) {
                            return self.run(c);
                        }
                        if !typed.is_empty() {
                            self.error(format!(
                                "No command matches “{typed}”; {} lists them all.",
                                self.key_for(Cmd::Help)
                            ));
                        }
                        return None;
                    }
                    Some(Cmd::Down) => sel = (sel + 1).min(items.len().saturating_sub(1)),
                    Some(Cmd::Up) => sel = sel.saturating_sub(1),
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
                let on_choice = form.fields.get(form.sel).is_some_and(|f| f.is_choice());
                match cmd {
                    Some(Cmd::Cancel) => {
                        self.info("Closed without changes.");
                        return None;
                    }
                    Some(Cmd::Submit) => return self.submit(form),
                    Some(Cmd::NextField) => form.move_sel(true),
                    Some(Cmd::PrevField) => form.move_sel(false),
                    Some(Cmd::NextChoice) if on_choice => form.cycle(true),
                    Some(Cmd::PrevChoice) if on_choice => form.cycle(false),
                    _ => {
                        if let Some(note) = input_request(&k).and_then(|req| form.edit(req)) {
                            self.error(note);
                        }
                    }
                }
                self.modal = Some(Modal::Form(form));
            }
            Modal::Finder(mut f) => {
                let last = f.hits.len().saturating_sub(1);
                match cmd {
                    Some(Cmd::Cancel) => return None,
                    Some(Cmd::Submit) => {
                        if let Err(why) = self.permits(Cmd::EditCredential) {
                            self.error(why);
                        } else if let Some(hit) = f.selected() {
                            let reference = hit.reference.clone();
                            self.pick(f.purpose.clone(), reference);
                            return None;
                        } else {
                            return None;
                        }
                    }
                    Some(Cmd::Down) => f.sel = (f.sel + 1).min(last),
                    Some(Cmd::Up) => f.sel = f.sel.saturating_sub(1),
                    Some(Cmd::PageDown) => f.sel = (f.sel + 10).min(last),
                    Some(Cmd::PageUp) => f.sel = f.sel.saturating_sub(10),
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
            Modal::Activity(sel) => return self.activity_key(sel, k),
            Modal::History(h) => self.history_key(h, cmd),
            Modal::Partners(sel) => return self.partners_key(sel, k),
            Modal::Demand(view) => match cmd {
                Some(Cmd::Cancel) => {}
                Some(cmd) => {
                    if let Err(why) = self.permits(cmd) {
                        self.error(why);
                        self.modal = Some(Modal::Demand(view));
                    } else {
                        self.demand_cmd(view, cmd);
                    }
                }
                None => self.modal = Some(Modal::Demand(view)),
            },
            Modal::Vote(view) => match self.keymap.lookup(Context::Vote, &k) {
                Some(Cmd::Cancel) => {}
                Some(cmd) => {
                    if let Err(why) = self.permits(cmd) {
                        self.error(why);
                        self.modal = Some(Modal::Vote(view));
                    } else {
                        self.vote_cmd(view, cmd);
                    }
                }
                None => self.modal = Some(Modal::Vote(view)),
            },
            Modal::Browser(mut b) => {
                let cats = Browser::categories(&self.catalog, b.fw);
                let comps = cats
                    .get(b.cat)
                    .map(|c| Browser::competencies(&self.catalog, b.fw, c))
                    .unwrap_or_default();
                let len = [self.catalog.entries().len(), cats.len(), comps.len()];
                match cmd {
                    Some(Cmd::Cancel) => return None,
                    Some(Cmd::Left) => b.column = b.column.saturating_sub(1),
                    Some(Cmd::Right) => b.column = (b.column + 1).min(2),
                    Some(c @ (Cmd::Down | Cmd::Up)) => {
                        let n = len[b.column];
                        let cur = match b.column {
                            0 => &mut b.fw,
                            1 => &mut b.cat,
                            _ => &mut b.comp,
                        };
                        *cur = if c == Cmd::Down {
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
                    Some(Cmd::Submit) => {
                        if b.column < 2 {
                            b.column += 1;
                        } else if let Some(r) = b.selected(&self.catalog) {
                            if let Err(why) = self.permits(Cmd::EditCredential) {
                                self.error(why);
                            } else {
                                self.pick(FinderPurpose::AddToCredential, r);
                                return None;
                            }
                        }
                    }
                    _ => {}
                }
                self.modal = Some(Modal::Browser(b));
            }
        }
        None
    }

    /// Carry out the answer to a question.
    fn answer(&mut self, c: Confirm, a: Answer) -> Option<Effect> {
        match (c.pending, a) {
            (Pending::Quit, Answer::Yes) => {
                self.quit_after_save = true;
                return self.save();
            }
            (Pending::Quit, Answer::No) => {
                if let Err(e) = self.hub.discard_journal() {
                    self.error(format!("The journal could not be removed: {e}"));
                }
                return Some(Effect::Quit);
            }
            (Pending::Apply(op), Answer::Yes) => {
                self.apply(*op, "");
            }
            (Pending::Recover(found), a) => return self.recovery_answer(&found, a),
            (_, _) => self.info("Cancelled; nothing changed."),
        }
        None
    }

    /// Ask whether to recover the unsaved changes a journal holds (an earlier session ended
    /// without saving). Changes that would change nothing are discarded without asking.
    pub fn offer_recovery(&mut self, found: journal::Found) {
        let name = self
            .path
            .as_ref()
            .map_or("the design".to_string(), |p| p.display().to_string());
        if self.hub.changes_nothing(&found) {
            let _ = self.hub.discard_journal();
            self.info(format!(
                "An earlier session left changes to {name} that change nothing; they were discarded."
            ));
            return;
        }
        let (text, yes) = if found.file_changed {
            (
                format!(
                    "{name} was changed on disk (by another program or a checkout) after its last unsaved changes were made here: the journal holds {}.",
                    found.summary()
                ),
                "recover them into a conflict copy beside it, leaving the file as it is",
            )
        } else {
            (
                format!(
                    "{name} was not saved after its last changes: the journal holds {}.",
                    found.summary()
                ),
                "recover them",
            )
        };
        self.modal = Some(Modal::Confirm(Box::new(Confirm {
            title: "Unsaved changes found".into(),
            text,
            choices: vec![
                (Answer::Yes, yes.into()),
                (Answer::No, "discard them".into()),
                (
                    Answer::Cancel,
                    "quit and decide later (the journal stays)".into(),
                ),
            ],
            sel: 0,
            pending: Pending::Recover(Box::new(found)),
        })));
    }

    fn recovery_answer(&mut self, found: &journal::Found, a: Answer) -> Option<Effect> {
        let problems = |p: &[String]| {
            p.first()
                .map_or(String::new(), |f| format!(" ({} not: {f})", p.len()))
        };
        match a {
            Answer::Yes if found.file_changed => match self.hub.recover_into_copy(found) {
                Ok((n, p, copy)) => self.info(format!(
                    "Recovered {n} change(s) into {}{}; the file is as it was on disk. Compare and merge.",
                    copy.display(),
                    problems(&p)
                )),
                Err(e) => self.error(format!(
                    "The changes could not be recovered ({e}); the journal was left as it is."
                )),
            },
            Answer::Yes => {
                let (n, p) = self.hub.recover(found);
                self.sync();
                self.info(format!(
                    "Recovered {n} unsaved change(s){}. {} saves them.",
                    problems(&p),
                    self.key_for(Cmd::Save)
                ));
            }
            Answer::No => match self.hub.discard_journal() {
                Ok(()) => self.info(format!(
                    "Discarded {} unsaved change(s).",
                    found.entries.len()
                )),
                Err(e) => self.error(format!("The journal could not be removed: {e}")),
            },
            Answer::Cancel => return Some(Effect::Quit),
        }
        None
    }

    fn submit(&mut self, form: Box<Form>) -> Option<Effect> {
        if form.purpose == Purpose::Export {
            use crate::export::Format;
            let chosen = form.get("format");
            let formats = match Format::ALL.iter().find(|f| f.name() == chosen) {
                Some(&f) => vec![f],
                None => vec![Format::Yaml, Format::Ob3, Format::Markdown],
            };
            return Some(Effect::Export(formats));
        }
        if form.purpose == Purpose::AddPostings {
            return self.posting_request(form);
        }
        if form.purpose == Purpose::SaveAs {
            let path = form.get("path");
            if path.is_empty() {
                self.modal = Some(Modal::Form(form));
                return None;
            }
            return Some(Effect::Save(PathBuf::from(path)));
        }
        let op = form.to_op(&self.ws, &self.actor.name, &self.now());
        match op {
            Ok(op) => {
                if !self.apply(op, "") {
                    let mut form = form;
                    form.error = Some(self.status.text.clone());
                    self.modal = Some(Modal::Form(form));
                    return None;
                }
                match &form.purpose {
                    Purpose::NewNeed => {
                        let id = form.get("id");
                        self.select_need(&id);
                    }
                    Purpose::NewMapping { need, competency } => {
                        self.select_mapping(need, competency);
                        self.goto_work(true, true);
                    }
                    Purpose::OpenVote => self.modal = Some(Modal::Vote(self.new_vote_view())),
                    _ => {}
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

    // ----- review: reasons, activity, notices, partners --------------------------------------

    /// Dispute or reject the selected mapping: ask why first (the reason becomes a comment).
    /// Refused at once, without the form, when this session may not make that change.
    fn ask_reason(&mut self, status: MappingStatus) {
        let Some(m) = self.selected_mapping().cloned() else {
            self.error("Select a mapping first (Tab to the mappings pane).");
            return;
        };
        if let Some(why) = &self.read_only {
            self.error(format!("Not done: {why}"));
            return;
        }
        let probe = Op::SetMappingStatus {
            need: m.need.clone(),
            competency: m.competency.clone(),
            status,
            agreed_by: None,
            reason: None,
            record: None,
        };
        // The role check of `edit::apply`, without applying (or copying the document).
        if let Err(e) = crate::edit::permit(&self.ws, &self.actor, &probe) {
            self.error(format!("Not done: {e}"));
            return;
        }
        self.modal = Some(Modal::Form(Box::new(Form::reason(
            &m.need,
            &m.competency,
            status,
        ))));
    }

    /// Take the hub's changes made since the last look: the feed grows, and a designer gets a
    /// notice for each partner's dispute, rejection or comment.
    fn take_activity(&mut self) {
        let seen = self.activity.last().map_or(0, |a| a.seq);
        let new = self.hub.activity_since(seen);
        if new.is_empty() {
            return;
        }
        if self.actor.role == Role::Designer {
            for a in new.iter().filter(|a| a.notice) {
                self.notices.push_back(a.clone());
            }
        }
        if let Role::Partner(org) = &self.actor.role {
            let (ws, derived) = (&self.ws, &self.derived);
            let partner_of = |id: &str| {
                let i = *derived.need_order.get(*derived.need_pos.get(id)?)?;
                ws.needs.get(i).map(|n| n.partner.as_str())
            };
            for a in &new {
                if super::awaiting::notifies_partner(a, org, &self.actor.name, partner_of) {
                    self.notices.push_back(a.clone());
                }
            }
        }
        {
            while self.notices.len() > crate::document::activity::MAX_ACTIVITY {
                self.notices.pop_front();
            }
        }
        self.activity.extend(new);
        let extra = self
            .activity
            .len()
            .saturating_sub(crate::document::activity::MAX_ACTIVITY);
        self.activity.drain(..extra);
    }

    /// The notice line of the status area: the oldest notice not yet jumped to, if any.
    pub fn notice_text(&self) -> Option<String> {
        let n = self.notices.front()?;
        let more = match self.notices.len() {
            1 => String::new(),
            k => format!(" (+{} more)", k - 1),
        };
        Some(format!(
            "● {} jumps to: {} {}{more} · {} activity",
            self.key_for(Cmd::NextNotice),
            n.who,
            n.what,
            self.key_for(Cmd::Activity)
        ))
    }

    fn open_activity(&mut self) {
        if self.activity.is_empty() {
            self.info("No changes yet in this session of the design.");
        } else {
            self.modal = Some(Modal::Activity(0));
        }
    }

    /// Jump to the oldest notice not yet seen.
    fn next_notice(&mut self) {
        match self.notices.pop_front() {
            Some(n) => {
                let target = n.target.clone();
                // A vote's notice leads nowhere in particular: it is only told.
                if target != Target::Nothing {
                    self.jump_to(&target);
                }
                if self.modal.is_none() && !self.status.error {
                    self.info(format!("{} {} — {}", n.who, n.what, short_time(&n.at)));
                }
            }
            None => self.info(format!(
                "No new notices; {} shows recent activity.",
                self.key_for(Cmd::Activity)
            )),
        }
    }

    /// Go to what an activity item names.
    pub fn jump_to(&mut self, target: &Target) {
        self.view = View::Main;
        match target {
            Target::Need(id) if self.ws.need(id).is_some() => {
                self.select_need(id);
                self.focus = Focus::Needs;
            }
            Target::Mapping(n, c) if self.ws.mapping_index(n, c).is_some() => {
                self.select_mapping(n, c);
                self.focus = Focus::Mappings;
                self.review_hint();
            }
            Target::Partner(id) if self.ws.partner(id).is_some() => {
                match self.ws.needs.iter().find(|n| &n.partner == id) {
                    Some(n) => {
                        let n = n.id.clone();
                        self.select_need(&n);
                        self.focus = Focus::Needs;
                    }
                    None => self.open_partners(Some(id)),
                }
            }
            Target::Competency(r) if self.ws.competency(r).is_some() => {
                self.jump(&GapLine {
                    section: "Activity",
                    text: String::new(),
                    jump: Jump::Competency(r.clone()),
                    critical: false,
                });
            }
            Target::Credential => {
                self.modal = Some(Modal::Form(Box::new(Form::credential(&self.ws.credential))))
            }
            _ => self.error("That is no longer in the design."),
        }
    }

    /// Open the history view of the design's file; its reading starts in the background.
    fn open_history(&mut self) {
        match self.path.clone() {
            Some(p) => self.modal = Some(Modal::History(Box::new(HistoryView::open(&p)))),
            None => self.info("This design has no file yet, so it has no history: save it first."),
        }
    }

    /// A key in the history view: moving in the list, Enter for the whole difference of the
    /// selected commit (where the keys scroll), Esc back to the list, then closed.
    fn history_key(&mut self, mut h: Box<HistoryView>, cmd: Option<Cmd>) {
        if let Some(scroll) = h.detail {
            // The view shows the screen's height less 4 rows (margin and borders).
            let shown = (self.size.1 as usize).saturating_sub(4).max(1);
            let rows = h.detail_rows(super::history::text_width(self.size.0)).len();
            let max = rows.saturating_sub(shown);
            h.detail = match cmd {
                Some(Cmd::Cancel | Cmd::Submit) => None,
                Some(Cmd::Bottom) => Some(max),
                other => scroll_overlay(other, scroll).map(|s| s.min(max)),
            };
            self.modal = Some(Modal::History(h));
            return;
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
            Some(Cmd::Cancel) => return,
            _ => h.sel,
        };
        self.modal = Some(Modal::History(h));
    }

    fn activity_key(&mut self, sel: usize, k: KeyEvent) -> Option<Effect> {
        let len = self.activity.len();
        let last = len.saturating_sub(1);
        let sel = match self.keymap.lookup(Context::Activity, &k) {
            Some(Cmd::Down) => (sel + 1).min(last),
            Some(Cmd::Up) => sel.saturating_sub(1),
            Some(Cmd::PageDown) => (sel + 10).min(last),
            Some(Cmd::PageUp) => sel.saturating_sub(10),
            Some(Cmd::Top) => 0,
            Some(Cmd::Bottom) => last,
            Some(Cmd::Submit) => {
                // Newest first on screen.
                if let Some(a) = self.activity.iter().rev().nth(sel).cloned() {
                    self.notices.retain(|n| n.seq != a.seq);
                    self.jump_to(&a.target);
                }
                return None;
            }
            Some(Cmd::Cancel) => return None,
            _ => sel,
        };
        self.modal = Some(Modal::Activity(sel));
        None
    }

    /// Open the partner list, on `id` if given, else on the selected need's partner.
    fn open_partners(&mut self, id: Option<&str>) {
        let id = id
            .map(str::to_string)
            .or_else(|| self.selected_need().map(|n| n.partner.clone()));
        let sel = id
            .and_then(|id| self.ws.partners.iter().position(|p| p.id == id))
            .unwrap_or(0);
        self.modal = Some(Modal::Partners(sel));
    }

    fn partners_key(&mut self, sel: usize, k: KeyEvent) -> Option<Effect> {
        let len = self.ws.partners.len();
        let partner = self.ws.partners.get(sel).cloned();
        let cmd = self.keymap.lookup(Context::Partners, &k);
        if let Some(c) = cmd.filter(|c| !matches!(c, Cmd::Up | Cmd::Down | Cmd::Cancel)) {
            if let Err(why) = self.permits(c) {
                self.error(why);
                self.modal = Some(Modal::Partners(sel));
                return None;
            }
        }
        let sel = match cmd {
            Some(Cmd::Down) => (sel + 1).min(len.saturating_sub(1)),
            Some(Cmd::Up) => sel.saturating_sub(1),
            Some(Cmd::EditPartner) => {
                if let Some(p) = partner {
                    self.modal = Some(Modal::Form(Box::new(Form::partner(Some(&p)))));
                }
                return None;
            }
            Some(Cmd::AddPartner) => {
                self.modal = Some(Modal::Form(Box::new(Form::partner(None))));
                return None;
            }
            Some(Cmd::DeletePartner) => {
                if let Some(p) = partner {
                    self.confirm_delete_partner(&p.id);
                }
                return None;
            }
            Some(Cmd::Cancel) => return None,
            _ => sel,
        };
        self.modal = Some(Modal::Partners(sel));
        None
    }

    // ----- demand from job postings -------------------------------------------------------

    /// Start reading job postings in the background (see [`super::postings_job`]).
    pub fn start_postings(&mut self, req: PostingRequest) {
        if let Some(job) = &self.postings_job {
            self.error(format!(
                "Postings from {} are still being read; add more when they are in.",
                job.path.display()
            ));
            return;
        }
        if let Err(e) = self.may_change() {
            self.error(format!("Not added: {e}"));
            return;
        }
        let today: String = self.now().chars().take(10).collect();
        self.info(format!(
            "Reading postings from {} in the background…",
            req.path.display()
        ));
        self.postings_job = Some(super::postings_job::PostingsJob::start(
            &self.hub,
            Arc::clone(&self.ws),
            req,
            today,
        ));
    }

    /// Show the postings job's progress, or add what it found; true when the screen changed.
    fn poll_postings(&mut self) -> bool {
        use super::postings_job::{Poll, insert_op};
        let Some(job) = &self.postings_job else {
            return false;
        };
        let path = job.path.display().to_string();
        match job.poll() {
            Poll::Running(done, total) => {
                let text = if total == 0 {
                    format!("Reading postings from {path}…")
                } else {
                    format!("Reading postings from {path}: {done} of {total} ranked…")
                };
                if self.status.text == text {
                    return false;
                }
                self.info(text);
            }
            Poll::Done(result) => {
                self.postings_job = None;
                match result {
                    Err(why) => self.error(format!("Postings not added: {why}")),
                    Ok(prepared) => {
                        let read = prepared.postings.len();
                        let mentions: usize =
                            prepared.postings.iter().map(|p| p.mentions.len()).sum();
                        let (op, n) = insert_op(&self.ws, prepared.postings);
                        // Already there when read, or added by someone else meanwhile.
                        let skipped = prepared.skipped.len() + (read - n);
                        let also = if skipped > 0 {
                            format!(" ({skipped} already in the design, skipped)")
                        } else {
                            String::new()
                        };
                        match op {
                            None => self
                                .info(format!("Every posting in {path} is already in the design.")),
                            Some(op) => {
                                let _ = self.apply(
                                    op,
                                    &format!(
                                        "Added {n} posting(s) from {path}{also}: {mentions} competency mention(s). {} shows the demand.",
                                        self.key_for(Cmd::Demand)
                                    ),
                                );
                            }
                        }
                    }
                }
            }
        }
        true
    }

    /// The request the add-postings form stands for, or the form again with what is wrong.
    fn posting_request(&mut self, mut form: Box<Form>) -> Option<Effect> {
        let path = form.get("path");
        let date = form.get_opt("date");
        let column = form.get_opt("column");
        let why = if path.is_empty() {
            Some("name a posting file, a folder of them, or a CSV file".to_string())
        } else {
            date.as_deref()
                .filter(|d| !crate::model::validate::valid_date(d))
                .map(|d| format!("`{d}` is not a date: write it as YYYY-MM-DD"))
        };
        if let Some(why) = why {
            form.error = Some(why);
            self.modal = Some(Modal::Form(form));
            return None;
        }
        let partner = form.get("partner");
        if self.postings_job.is_some() {
            form.error = Some("postings are still being read; wait for them first".into());
            self.modal = Some(Modal::Form(form));
            return None;
        }
        Some(Effect::AddPostings(PostingRequest {
            path: PathBuf::from(path),
            column,
            partner: (partner != super::form::NO_PARTNER && !partner.is_empty()).then_some(partner),
            date,
            source: form.get_opt("source"),
        }))
    }

    /// Columns of the needs pane's support column: [`SUPPORT_COLS`] when any need has support
    /// beyond its own partner (postings, or another partner's dots), else none.
    pub fn support_cols(&self) -> usize {
        if self.ws.postings.is_empty() && self.ws.votes.is_empty() {
            return 0;
        }
        if self.demand_sheet().any {
            SUPPORT_COLS
        } else {
            0
        }
    }

    /// The demand and support of the version shown (made once per version, shared).
    pub fn demand_sheet(&self) -> Arc<DemandSheet> {
        self.hub
            .per_version(self.version, || DemandSheet::new(&self.ws, &self.report))
    }

    /// A demand view on the first row.
    fn new_demand_view(&self) -> DemandView {
        DemandView::default()
    }

    /// Carry out a command of the demand view; the view stays open unless the command
    /// leads elsewhere.
    fn demand_cmd(&mut self, mut view: DemandView, cmd: Cmd) {
        let sheet = self.demand_sheet();
        let rows = sheet.rows(view.only_uncovered);
        let len = rows.len();
        let page = (self.size.1 as usize).saturating_sub(12).max(1);
        view.sel = view.sel.min(len.saturating_sub(1));
        let row = rows.get(view.sel).copied();
        match cmd {
            Cmd::Up => view.sel = view.sel.saturating_sub(1),
            Cmd::Down => view.sel = (view.sel + 1).min(len.saturating_sub(1)),
            Cmd::PageUp => view.sel = view.sel.saturating_sub(page),
            Cmd::PageDown => view.sel = (view.sel + page).min(len.saturating_sub(1)),
            Cmd::Top => view.sel = 0,
            Cmd::Bottom => view.sel = len.saturating_sub(1),
            Cmd::OnlyUncovered => {
                // Keep the selected competency selected when it is still shown.
                view.only_uncovered = !view.only_uncovered;
                let rows = sheet.rows(view.only_uncovered);
                view.sel = row
                    .and_then(|r| rows.iter().position(|&x| x == r))
                    .unwrap_or(0);
            }
            Cmd::Open => {
                let need = row.and_then(|r| sheet.covering[r].first().cloned());
                match need {
                    Some(id) => {
                        self.select_need(&id);
                        self.focus = Focus::Needs;
                        self.info(format!(
                            "{id} covers it. {} shows the demand again.",
                            self.key_for(Cmd::Demand)
                        ));
                        return;
                    }
                    None => self.error(format!(
                        "No need covers it yet; {} makes it one.",
                        self.keymap.key_for(Context::Demand, Cmd::NeedFromDemand)
                    )),
                }
            }
            Cmd::NeedFromDemand => match row {
                None => self.error("Nothing is selected: no posting mentions a competency yet."),
                Some(r) if sheet.demand.competencies[r].covered => self.error(format!(
                    "{} covers it already; Enter goes to it.",
                    sheet.covering[r].join(", ")
                )),
                Some(r) => {
                    let reference = sheet.demand.competencies[r].competency.clone();
                    match super::demand::need_from_demand(&self.ws, &self.catalog, &sheet, r) {
                        Err(why) => self.error(format!("Not added: {why}.")),
                        Ok((op, id)) => {
                            let label = self.competency_label(&reference);
                            if self.apply(
                                op,
                                &format!(
                                    "Added need {id} for {label}, mapped to it (proposed); {} edits it.", self.key_for(Cmd::Edit)
                                ),
                            ) {
                                self.select_need(&id);
                                self.focus = Focus::Needs;
                                return;
                            }
                        }
                    }
                }
            },
            // A session over SSH (it has a key) never reads the server's files: say so before
            // the form is filled in (the server's host refuses it as well).
            Cmd::AddPostings if self.key.is_some() => self.error(
                "Over SSH the editor does not read files on the server; add postings there with `microcred evidence add WORKSPACE FILE...`.",
            ),
            Cmd::AddPostings => {
                self.modal = Some(Modal::Form(Box::new(Form::add_postings(
                    &self.ws,
                    &self.now(),
                ))));
                return;
            }
            _ => {}
        }
        self.modal = Some(Modal::Demand(view));
    }

    // ----- dot voting ---------------------------------------------------------------------

    /// The vote view's rows and tally of the version shown (made once per version, shared).
    pub fn vote_sheet(&self) -> Arc<VoteSheet> {
        self.hub.per_version(self.version, || {
            VoteSheet::new(&self.ws, &self.catalog, &self.derived.need_order)
        })
    }

    /// A vote view on the selected need, if it is voted on.
    fn new_vote_view(&self) -> VoteView {
        let sheet = self.vote_sheet();
        let sel = self
            .selected_need()
            .and_then(|n| {
                sheet
                    .needs
                    .iter()
                    .position(|&i| self.ws.needs[i].id == n.id)
            })
            .unwrap_or(0);
        VoteView {
            sel,
            for_partner: None,
        }
    }

    /// Carry out a command of the vote view; the view stays open (forms and questions it
    /// opens come back to the main screen).
    fn vote_cmd(&mut self, mut view: VoteView, cmd: Cmd) {
        let sheet = self.vote_sheet();
        let len = sheet.len();
        view.sel = view.sel.min(len.saturating_sub(1));
        let target = sheet.target(&self.ws, view.sel);
        let vote = self.ws.votes.last().cloned();
        let open = vote.as_ref().is_some_and(|v| v.is_open());
        match cmd {
            Cmd::Down => view.sel = (view.sel + 1).min(len.saturating_sub(1)),
            Cmd::Up => view.sel = view.sel.saturating_sub(1),
            Cmd::VoteFor => {
                let ps = &self.ws.partners;
                let cur = super::vote::voting_for(&self.ws, &self.actor.role, &view)
                    .and_then(|c| ps.iter().position(|p| p.id == c));
                let next = cur.map_or(0, |i| (i + 1) % ps.len().max(1));
                view.for_partner = ps.get(next).map(|p| p.id.clone());
                match &view.for_partner {
                    Some(p) => self.info(format!("Placing dots for {p}.")),
                    None => self.error(format!(
                        "Add a partner first ({}): dots are a partner's.",
                        self.keymap.key_for(Context::Needs, Cmd::AddPartner)
                    )),
                }
            }
            Cmd::PlaceDot | Cmd::RemoveDot => {
                let partner =
                    super::vote::voting_for(&self.ws, &self.actor.role, &view).map(str::to_string);
                match (partner, target, open) {
                    (_, _, false) => self.error(match vote {
                        Some(_) => "The vote is closed; dots can no longer change.".to_string(),
                        None => format!(
                            "No vote is open; a designer opens one ({}).",
                            self.keymap.key_for(Context::Vote, Cmd::OpenVote)
                        ),
                    }),
                    (None, _, _) => self.error(format!(
                        "Add a partner first ({}): dots are a partner's.",
                        self.keymap.key_for(Context::Needs, Cmd::AddPartner)
                    )),
                    (_, None, _) => self.error(if sheet.over_competencies() {
                        "There are no candidates to vote on."
                    } else {
                        "There are no needs to vote on."
                    }),
                    (Some(partner), Some((need, competency)), true) => {
                        let op = if cmd == Cmd::PlaceDot {
                            Op::PlaceDot {
                                dot: Dot {
                                    need,
                                    competency,
                                    partner,
                                    person: self.actor.name.clone(),
                                    at: self.now(),
                                },
                                at: None,
                            }
                        } else {
                            Op::RemoveDot {
                                need,
                                partner,
                                competency,
                            }
                        };
                        self.apply(op, "");
                    }
                }
            }
            Cmd::OpenVote => {
                if open {
                    self.error(format!(
                        "A vote is open already; close it first ({}).",
                        self.keymap.key_for(Context::Vote, Cmd::CloseVote)
                    ));
                } else {
                    self.modal = Some(Modal::Form(Box::new(Form::open_vote(&self.ws))));
                    return;
                }
            }
            Cmd::CloseVote => match &vote {
                None => self.error("There is no vote yet; o opens one."),
                Some(v) if v.is_open() => {
                    let op = Op::SetVoteClosed {
                        closed_by: Some(self.actor.name.clone()),
                        closed_at: Some(self.now()),
                    };
                    if self.apply(op, "") {
                        let after = self.vote_sheet();
                        let proposed = if after.over_competencies() {
                            format!("{} candidate(s) proposed as needs", after.promoted.len())
                        } else {
                            format!("{} priority change(s) proposed", after.proposed.len())
                        };
                        self.info(format!(
                            "Closed the vote: {} dots from {} partner(s); {proposed} — {} shows them.",
                            sheet.tally.total,
                            sheet.voters,
                            self.keymap.key_for(Context::Vote, Cmd::ApplyVote)
                        ));
                    }
                }
                Some(_) => {
                    self.apply(
                        Op::SetVoteClosed {
                            closed_by: None,
                            closed_at: None,
                        },
                        "",
                    );
                }
            },
            Cmd::ApplyVote => {
                if vote.is_none() || open {
                    self.error(format!(
                        "Close the vote first ({}); its result then {}.",
                        self.keymap.key_for(Context::Vote, Cmd::CloseVote),
                        if sheet.over_competencies() {
                            "turns the most voted candidates into needs"
                        } else {
                            "sets priorities"
                        }
                    ));
                } else {
                    if sheet.over_competencies() {
                        self.confirm_vote_needs();
                    } else {
                        self.confirm_vote_priorities();
                    }
                    if self.modal.is_some() {
                        return;
                    }
                }
            }
            _ => {}
        }
        self.modal = Some(Modal::Vote(view));
    }

    /// Ask before setting the priorities the closed vote proposes, listing each change; yes
    /// applies them as one step (one undo).
    fn confirm_vote_priorities(&mut self) {
        let sheet = self.vote_sheet();
        let changes = &sheet.proposed;
        if changes.is_empty() {
            self.info(if sheet.tally.total == 0 {
                "No dots were placed; priorities stay as they are."
            } else {
                "The priorities already follow the vote; nothing to change."
            });
            return;
        }
        let mut ops = Vec::with_capacity(changes.len());
        let mut lines = Vec::with_capacity(changes.len());
        for (id, from, to) in changes {
            let Some(n) = self.ws.need(id) else { continue };
            let dots = sheet.tally.on(id);
            lines.push(format!(
                "{id} ({dots} dot{}): {} → {}",
                if dots == 1 { "" } else { "s" },
                from.as_str(),
                to.as_str()
            ));
            ops.push(Op::UpdateNeed {
                id: id.clone(),
                need: Need {
                    priority: *to,
                    ..n.clone()
                },
            });
        }
        self.modal = Some(Modal::Confirm(Box::new(Confirm {
            title: "Set priorities from the vote".into(),
            text: format!(
                "Rule: must with at least half the top need's {} dots, should with one or more, could with none. {}",
                sheet.tally.max,
                lines.join("; ")
            ),
            choices: vec![
                (
                    Answer::Yes,
                    format!("set {} priorities (one undo)", ops.len()),
                ),
                (Answer::No, "leave them".into()),
            ],
            sel: 0,
            pending: Pending::Apply(Box::new(Op::Batch { ops })),
        })));
    }

    /// Ask before turning the candidates a closed vote over competencies proposes into needs
    /// (each with a proposed mapping, and in the credential), listing each; yes adds them all
    /// as one step (one undo).
    fn confirm_vote_needs(&mut self) {
        let sheet = self.vote_sheet();
        if sheet.promoted.is_empty() {
            self.info(if sheet.tally.total == 0 {
                "No dots were placed; no candidate becomes a need."
            } else {
                "Needs already cover the most voted candidates; nothing to add."
            });
            return;
        }
        let date = self
            .ws
            .votes
            .last()
            .and_then(|v| v.closed_at.as_deref())
            .map_or_else(|| self.now(), str::to_string);
        let date = date.get(..10).unwrap_or(&date).to_string();
        let (op, lines) =
            super::vote::needs_from_vote(&self.ws, &self.catalog, &sheet.promoted, &date);
        self.modal = Some(Modal::Confirm(Box::new(Confirm {
            title: "Turn voted competencies into needs".into(),
            text: format!(
                "Rule: a candidate no need covers, with at least half the top candidate's {} dots, becomes a should need of the partner that put the most dots on it, with a proposed mapping to it. {}",
                sheet.tally.max,
                lines.join("; ")
            ),
            choices: vec![
                (
                    Answer::Yes,
                    if lines.len() == 1 {
                        "add the need (one undo)".to_string()
                    } else {
                        format!("add the {} needs (one undo)", lines.len())
                    },
                ),
                (Answer::No, "leave them".into()),
            ],
            sel: 0,
            pending: Pending::Apply(Box::new(op)),
        })));
    }

    /// Ask before deleting partner `id` with its needs and their mappings (one step: u
    /// brings all of it back), saying how much goes.
    fn confirm_delete_partner(&mut self, id: &str) {
        let Some(p) = self.ws.partner(id).cloned() else {
            return;
        };
        let needs: Vec<&Need> = self.ws.needs.iter().filter(|n| n.partner == p.id).collect();
        let ids: std::collections::HashSet<&str> = needs.iter().map(|n| n.id.as_str()).collect();
        let mappings: Vec<&Mapping> = self
            .ws
            .mappings
            .iter()
            .filter(|m| ids.contains(m.need.as_str()))
            .collect();
        let comments: usize = mappings.iter().map(|m| m.comments.len()).sum();
        let mut ops: Vec<Op> = mappings
            .iter()
            .map(|m| Op::RemoveMapping {
                need: m.need.clone(),
                competency: m.competency.clone(),
            })
            .collect();
        ops.extend(needs.iter().map(|n| Op::RemoveNeed { id: n.id.clone() }));
        // Its sign-offs go with it (the file cannot keep a sign-off of a partner not listed).
        ops.extend(
            self.ws
                .sign_offs
                .iter()
                .filter(|s| s.partner == p.id)
                .map(|s| Op::SetSignOff {
                    person: s.person.clone(),
                    partner: s.partner.clone(),
                    sign_off: None,
                    signing: false,
                    at: None,
                }),
        );
        ops.push(Op::RemovePartner { id: p.id.clone() });
        let what = if needs.is_empty() {
            "It has no needs.".to_string()
        } else {
            format!(
                "Its {} need(s) are deleted with it, with their {} mapping(s) and {comments} comment(s); the competencies stay in the credential.",
                needs.len(),
                mappings.len()
            )
        };
        self.modal = Some(Modal::Confirm(Box::new(Confirm {
            title: format!("Delete partner {}", p.id),
            text: format!(
                "Delete partner {} ({})? {what} {} undoes all of it.",
                p.id,
                p.name,
                self.key_for(Cmd::Undo)
            ),
            choices: vec![
                (Answer::Yes, "delete".into()),
                (Answer::No, "keep it".into()),
            ],
            sel: 1,
            pending: Pending::Apply(Box::new(Op::Batch { ops })),
        })));
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

    /// The compact layout's tab labels, each with the pane it shows and its first column.
    pub fn tabs(&self) -> Vec<(String, Focus, u16)> {
        let mut x = 0u16;
        [
            (Cmd::FocusNeeds, "Needs", Focus::Needs),
            (Cmd::FocusMappings, "Mappings", Focus::Mappings),
            (Cmd::FocusGaps, "Gaps", Focus::Gaps),
        ]
        .into_iter()
        .map(|(cmd, name, focus)| {
            let keys = self.keymap.keys_for(Context::Global, cmd);
            let label = match keys.first() {
                Some(k) => format!(" {k} {name} "),
                None => format!(" {name} "),
            };
            let at = x;
            x += label.chars().count() as u16 + 1;
            (label, focus, at)
        })
        .collect()
    }

    fn mouse(&mut self, m: MouseEvent) {
        let a = self.areas();
        if self.modal.is_none()
            && a.compact
            && m.kind == MouseEventKind::Down(MouseButton::Left)
            && m.row == a.tabs.y
        {
            for (label, focus, at) in self.tabs() {
                let x = a.tabs.x + at;
                if m.column >= x && m.column < x + label.chars().count() as u16 {
                    self.view = View::Main;
                    self.focus = focus;
                }
            }
            return;
        }
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

/// Whether the palette offers `cmd` (moving and the keys of modals are not commands to run
/// from it).
pub fn palette_cmd(cmd: Cmd) -> bool {
    !cmd.is_moving()
        && !matches!(
            cmd,
            Cmd::Palette
                | Cmd::Submit
                | Cmd::Cancel
                | Cmd::NextField
                | Cmd::PrevField
                | Cmd::NextChoice
                | Cmd::PrevChoice
                | Cmd::Yes
                | Cmd::No
                | Cmd::DeletePartner
        )
}

/// An RFC 3339 time as `MM-DD HH:MM` (UTC), or as it is when it is not one.
pub fn short_time(at: &str) -> String {
    let b = at.as_bytes();
    if at.len() >= 16 && at.is_char_boundary(16) && b.get(10) == Some(&b'T') {
        format!("{} {}", &at[5..10], &at[11..16])
    } else {
        at.to_string()
    }
}

/// Palette entries matching `query`: every command this person may run, with its keys on the
/// main screen, best match first (by label or name).
pub fn palette_items(app: &App, query: &str) -> Vec<(Cmd, String)> {
    use fuzzy_matcher::FuzzyMatcher;
    let matcher = fuzzy_matcher::skim::SkimMatcherV2::default()
        .ignore_case()
        .element_limit(1); // skim's linear path: no cache kept between calls
    let query = query.trim().trim_start_matches(':');
    let mut items: Vec<(i64, Cmd, String)> = Vec::new();
    for &cmd in Cmd::ALL {
        if !palette_cmd(cmd) || !app.role_allows(cmd) {
            continue;
        }
        let keys = [
            Context::Global,
            Context::Needs,
            Context::Mappings,
            Context::Gaps,
        ]
        .into_iter()
        .flat_map(|c| app.keymap.keys_for(c, cmd))
        .fold(Vec::<String>::new(), |mut v, k| {
            if !v.contains(&k) {
                v.push(k);
            }
            v
        })
        .join(" ");
        let alias = keys::PALETTE_ALIASES
            .iter()
            .filter(|(_, c)| *c == cmd)
            .map(|(a, _)| *a)
            .collect::<Vec<_>>();
        let score = if query.is_empty() {
            Some(0)
        } else if cmd.name() == query || alias.contains(&query) {
            Some(i64::MAX)
        } else {
            let by_label = matcher.fuzzy_match(cmd.label(), query);
            let by_name = matcher.fuzzy_match(cmd.name(), query);
            by_label.max(by_name)
        };
        if let Some(s) = score {
            items.push((s, cmd, keys));
        }
    }
    items.sort_by_key(|(s, _, _)| -s);
    items.into_iter().map(|(_, c, k)| (c, k)).collect()
}

/// A help or message overlay after `cmd`: its new scroll, or `None` when it closes.
fn scroll_overlay(cmd: Option<Cmd>, scroll: usize) -> Option<usize> {
    Some(match cmd {
        Some(Cmd::Cancel) => return None,
        Some(Cmd::Down) => scroll + 1,
        Some(Cmd::Up) => scroll.saturating_sub(1),
        Some(Cmd::PageDown) => scroll + 10,
        Some(Cmd::PageUp) => scroll.saturating_sub(10),
        Some(Cmd::Top) => 0,
        _ => scroll,
    })
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
pub fn gap_lines(ws: &Workspace, catalog: &Catalog, r: &GapReport, today: &str) -> Vec<GapLine> {
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
    // Kept after its mappings were rejected: the designer decides to keep or drop it.
    let rejected: std::collections::HashSet<&str> = ws
        .mappings
        .iter()
        .filter(|m| m.status == MappingStatus::Rejected)
        .map(|m| m.competency.as_str())
        .collect();
    for o in &r.orphans {
        let text = if rejected.contains(o.as_str()) {
            format!("{} kept after a rejection", comp_name(o))
        } else {
            comp_name(o)
        };
        push("Orphans", text, Jump::Competency(o.clone()), false);
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
    for g in &r.sign_offs {
        let name = ws.partner(&g.partner).map_or("", |p| p.name.as_str());
        let state = match g.state {
            crate::model::signoff::SignOffState::Stale => "stale",
            _ => "missing",
        };
        push(
            "Sign-offs",
            format!("{state} {}", wrap::named(name, &g.partner)),
            Jump::SignOff(g.partner.clone()),
            false,
        );
    }
    // Needs whose newest evidence (dated postings) is older than the review period.
    if !ws.postings.is_empty() {
        let demand = crate::analysis::demand::demand(ws);
        for st in crate::analysis::demand::stale_evidence(ws, &demand, today) {
            push(
                "Stale evidence",
                format!(
                    "{} newest posting {} (before {})",
                    st.need, st.newest, st.before
                ),
                Jump::Need(st.need.clone()),
                false,
            );
        }
    }
    for &format in crate::export::Format::ALL {
        let missing = crate::export::readiness::missing(ws, format);
        if let Some(first) = missing.first() {
            let jump = if first.at.starts_with("credential.") {
                Jump::Credential(first.at.to_string())
            } else {
                Jump::Nothing
            };
            push(
                "Registry formats",
                crate::export::readiness::sentence(format, &missing),
                jump,
                false,
            );
        }
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
    // Learning outcomes that cannot be assessed as written, then the rules the design
    // silenced, with the reason reviewers read.
    let findings = r.outcomes.iter().map(|f| {
        let warning = if f.rule.is_warning() { "warning " } else { "" };
        (
            &f.competency,
            format!("{warning}{}: {}", f.rule.as_str(), f.message),
        )
    });
    let silenced = r.outcomes_silenced.iter().map(|s| {
        (
            &s.competency,
            format!("silenced {}: {}", s.rule.as_str(), s.reason),
        )
    });
    for (c, text) in findings.chain(silenced) {
        let text = format!("{} {text}", comp_name(c));
        push("Outcomes", text, Jump::Competency(c.clone()), false);
    }
    out
}

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
    /// Make the focused pane fill the screen, or restore the panes.
    fn toggle_zoom(&mut self) {
        self.zoom = !self.zoom;
        if self.zoom {
            self.info(format!(
                "Zoomed: {} restores, {} zooms the next pane.",
                self.key_for(Cmd::Zoom),
                self.key_for(Cmd::NextPane)
            ));
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
    /// headings and "no needs" rows take one (empty) line; rows more than a screen from the
    /// selection are [`NeedRow::Offscreen`] with no lines (they count as one).
    pub fn need_lines(&self, width: usize, height: usize) -> Vec<(NeedRow, Vec<String>)> {
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
        // so they are laid out as one blank line each (the cost follows the screen).
        let near = near_selection(
            rows.len(),
            height,
            rows.iter()
                .position(|r| matches!(r, NeedRow::Need(p) if *p == self.need_sel)),
        );
        rows.iter()
            .enumerate()
            .map(|(k, r)| {
                if !near(k) {
                    return (NeedRow::Offscreen, Vec::new());
                }
                let lines = match r {
                    NeedRow::Need(pos) if *pos == self.need_sel => text(*pos, height.max(1)),
                    NeedRow::Need(pos) => text(*pos, per_need),
                    NeedRow::Partner(_) | NeedRow::NoNeeds | NeedRow::Offscreen => {
                        vec![String::new()]
                    }
                };
                (r.clone(), lines)
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
    /// headings take one (empty) line; rows more than a screen from the selection have no
    /// lines (they count as one).
    pub fn gap_text(&self, width: usize) -> Vec<(GapRow, Vec<String>)> {
        let room = width.saturating_sub(GAP_LEAD).max(1);
        let rows = self.gap_rows();
        // As for the needs: rows more than a screen from the selection are never drawn.
        let height = self.areas().gaps.height as usize;
        let near = near_selection(
            rows.len(),
            height,
            rows.iter()
                .position(|r| matches!(r, GapRow::Line(i) if *i == self.gap_sel)),
        );
        rows.into_iter()
            .enumerate()
            .map(|(k, r)| {
                if !near(k) {
                    return (r, Vec::new());
                }
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

/// Whether row `k` of `len` is within a screen (`height` rows) of the selected row: every
/// row when the list fits a few screens or nothing is selected.
fn near_selection(len: usize, height: usize, selected: Option<usize>) -> impl Fn(usize) -> bool {
    let reach = height + 2;
    let all = len <= 3 * reach || selected.is_none();
    let sel = selected.unwrap_or(0);
    move |k: usize| all || k.abs_diff(sel) <= reach
}

//! The keymap: one table of bindings for every mode (the main panes, forms, the finder, the
//! browser, the palette, confirmations, help). The key handler, the help overlay, the hint bar,
//! the palette and every "press X" text read it, so what they show is what works, with the
//! user's overrides.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

use crate::problem::{Problem, Problems};

mod defaults;

pub use defaults::{BINDINGS, PALETTE_ALIASES, TEXT_KEYS};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    /// Everywhere on the main screens (the panes and the matrix).
    Global,
    Needs,
    Mappings,
    Gaps,
    Matrix,
    /// A form (need, mapping, partner, credential, comment, …).
    Form,
    /// The competency finder (search and suggestions).
    Finder,
    /// The framework browser.
    Browser,
    /// The command palette.
    Palette,
    /// A question with answers (quit, delete, recover).
    Confirm,
    /// The help and message overlays.
    Help,
    /// The activity feed.
    Activity,
    /// The history view (commits of the design's file).
    History,
    /// The partner list.
    Partners,
    /// The dot vote view.
    Vote,
    /// The demand view (competencies job postings mention).
    Demand,
    /// The portfolio view (`microcred PORTFOLIO.yaml`).
    Portfolio,
}

impl Context {
    /// Every context, in the order help lists them.
    pub const ALL: [Context; 17] = [
        Context::Global,
        Context::Needs,
        Context::Mappings,
        Context::Gaps,
        Context::Matrix,
        Context::Form,
        Context::Finder,
        Context::Browser,
        Context::Palette,
        Context::Confirm,
        Context::Help,
        Context::Activity,
        Context::History,
        Context::Partners,
        Context::Vote,
        Context::Demand,
        Context::Portfolio,
    ];

    /// The name used in keymap files.
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Needs => "needs",
            Context::Mappings => "mappings",
            Context::Gaps => "gaps",
            Context::Matrix => "matrix",
            Context::Form => "form",
            Context::Finder => "finder",
            Context::Browser => "browser",
            Context::Palette => "palette",
            Context::Confirm => "confirm",
            Context::Help => "help",
            Context::Activity => "activity",
            Context::History => "history",
            Context::Partners => "partners",
            Context::Vote => "vote",
            Context::Demand => "demand",
            Context::Portfolio => "portfolio",
        }
    }

    /// The heading help shows for it.
    pub fn title(self) -> &'static str {
        match self {
            Context::Global => "Everywhere on the main screen",
            Context::Needs => "Needs pane",
            Context::Mappings => "Mappings pane",
            Context::Gaps => "Gap panes",
            Context::Matrix => "Matrix",
            Context::Form => "Forms",
            Context::Finder => "Competency finder",
            Context::Browser => "Framework browser",
            Context::Palette => "Command palette",
            Context::Confirm => "Questions",
            Context::Help => "Help and messages",
            Context::Activity => "Activity feed",
            Context::History => "History",
            Context::Partners => "Partner list",
            Context::Vote => "Dot vote",
            Context::Demand => "Demand",
            Context::Portfolio => "Portfolio view",
        }
    }

    /// The context named `name` in a keymap file.
    pub fn from_name(name: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == name)
    }

    /// True for the main-screen contexts, whose lookups fall back to the global bindings.
    pub fn is_main(self) -> bool {
        matches!(
            self,
            Context::Global | Context::Needs | Context::Mappings | Context::Gaps | Context::Matrix
        )
    }
}

/// Who may run a command (see [`crate::edit::Role`]); the editor hides and refuses the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, viewers included: moving, reading, searching.
    Read,
    /// Anyone who may change the document: designers, and partners for their own needs.
    Change,
    /// Designers, and partners on their own organisation's needs and their mappings.
    OwnNeeds,
    /// Designers only.
    Design,
}

macro_rules! commands {
    (
        $($variant:ident $name:literal $access:ident $label:literal,)*
        ;
        $($event:ident $ev_name:literal $ev_label:literal,)*
    ) => {
        /// A command a key or the palette can run (named in kebab-case in the keymap file), or
        /// one that a terminal event other than a key stands for (a click, a paste, a new
        /// size): every event reaches the layer in front as a command.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Cmd { $($variant,)* $($event,)* }

        impl Cmd {
            /// Every command a key can run, in the order help and `microcred keys` list them.
            pub const ALL: &'static [Cmd] = &[$(Cmd::$variant,)*];

            /// The commands terminal events stand for: no key binds them, no list shows them.
            pub const EVENTS: &'static [Cmd] = &[$(Cmd::$event,)*];

            /// The command's name in keymap files and the palette.
            pub fn name(self) -> &'static str {
                match self { $(Cmd::$variant => $name,)* $(Cmd::$event => $ev_name,)* }
            }

            /// What the command does, in a few words.
            pub fn label(self) -> &'static str {
                match self { $(Cmd::$variant => $label,)* $(Cmd::$event => $ev_label,)* }
            }

            /// Who may run it (anyone may click, paste or resize: what that leads to is
            /// checked where it leads).
            pub fn access(self) -> Access {
                match self { $(Cmd::$variant => Access::$access,)* $(Cmd::$event => Access::Read,)* }
            }

            /// True for a command a terminal event stands for, not a key.
            pub fn is_event(self) -> bool {
                matches!(self, $(Cmd::$event)|*)
            }
        }
    };
}

commands! {
    Up "up" Read "move up",
    Down "down" Read "move down",
    Left "left" Read "previous pane / column",
    Right "right" Read "next pane / column",
    Top "top" Read "first item",
    Bottom "bottom" Read "last item",
    PageUp "page-up" Read "page up",
    PageDown "page-down" Read "page down",
    NextPane "next-pane" Read "next pane",
    PrevPane "prev-pane" Read "previous pane",
    FocusNeeds "focus-needs" Read "go to the needs pane",
    FocusMappings "focus-mappings" Read "go to the mappings pane",
    FocusGaps "focus-gaps" Read "go to the gap panes",
    NextToDo "next-to-do" Read "next need that still needs work",
    PrevToDo "prev-to-do" Read "previous need that still needs work",
    Open "open" Read "open / jump to it",
    AddNeed "add-need" OwnNeeds "add a need",
    AddPartner "add-partner" Design "add a partner",
    EditPartner "edit-partner" Design "edit the partner",
    Edit "edit" OwnNeeds "edit",
    Delete "delete" OwnNeeds "delete",
    MapNeed "map-need" Design "map the need to a competency",
    Agree "agree" OwnNeeds "agree to the mapping",
    Dispute "dispute" OwnNeeds "dispute the mapping",
    Reject "reject" Design "reject the mapping",
    Propose "propose" OwnNeeds "set the mapping back to proposed",
    Comment "comment" OwnNeeds "comment on the mapping",
    ToggleInclude "toggle-include" Design "include the competency in the credential, or drop it",
    EditCredential "edit-credential" Design "edit the credential",
    SignOff "sign-off" Change "sign off the whole design as it is now",
    Browse "browse" Read "browse frameworks",
    Matrix "matrix" Read "needs × competencies matrix",
    Search "search" Read "search competencies",
    Undo "undo" Change "undo your last change",
    Redo "redo" Change "redo",
    Save "save" Change "save",
    SaveQuit "save-quit" Change "save and quit",
    Quit "quit" Read "quit",
    ForceQuit "force-quit" Read "quit, discarding unsaved changes",
    Help "help" Read "help",
    Messages "messages" Read "messages shown so far",
    Palette "palette" Read "command palette",
    Theme "theme" Read "switch theme (default, high contrast, monochrome)",
    Export "export" Design "export spec, badge and summary beside the workspace",
    Submit "submit" Read "save the form / pick / run / choose",
    Cancel "cancel" Read "close without changes",
    NextField "next-field" Read "next field",
    PrevField "prev-field" Read "previous field",
    NextChoice "next-choice" Read "next choice (levels show their descriptors)",
    PrevChoice "prev-choice" Read "previous choice",
    Yes "yes" Read "answer yes",
    No "no" Read "answer no",
    Activity "activity" Read "activity: recent changes by everyone",
    History "history" Read "history: commits of the file, what each changed",
    NextNotice "next-notice" Read "jump to the next notice",
    Partners "partners" Read "partners: list, edit, delete",
    DeletePartner "delete-partner" Design "delete the partner (with its needs)",
    Zoom "zoom" Read "zoom: the focused pane fills the screen, or restore",
    ScrollDown "scroll-down" Read "scroll the selected mapping's text down",
    ScrollUp "scroll-up" Read "scroll the selected mapping's text up",
    Vote "vote" Read "dot vote on needs or competencies",
    PlaceDot "place-dot" Change "place a dot on the need or candidate",
    RemoveDot "remove-dot" Change "take a dot back from the need or candidate",
    VoteFor "vote-for" Design "choose the partner you place dots for (in the room)",
    OpenVote "open-vote" Design "open a vote on needs or competencies",
    CloseVote "close-vote" Design "close the vote, or open it again",
    ApplyVote "apply-vote" Design "apply the closed vote's result",
    Demand "demand" Read "demand: what job postings ask for",
    NeedFromDemand "need-from-demand" Design "make the competency a need, mapped to it",
    OnlyUncovered "only-uncovered" Read "only what is in demand, not in the design",
    AddPostings "add-postings" Design "add job postings (a file, a folder, a CSV)",
    Weighting "weighting" Read "coverage weighted by priority or evidence",
    ;
    Click "click" "select what the pointer is on",
    Paste "paste" "insert pasted text into the field in front",
    Resize "resize" "the terminal changed size",
}

/// One key binding.
#[derive(Debug, Clone)]
pub struct Binding {
    pub context: Context,
    pub key: KeyCode,
    pub mods: KeyModifiers,
    pub cmd: Cmd,
    /// Shown in help and the hint bar (empty: the command's own label).
    pub label: &'static str,
}

/// How a key is written in help, hints and messages: `a`, `P`, `C-s`, `Alt-b`, `Enter`, `↑`.
pub fn key_text(key: KeyCode, mods: KeyModifiers) -> String {
    let base = match key {
        KeyCode::Char(' ') => "Space".to_string(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => return "S-Tab".into(),
        KeyCode::Backspace => "Backspace".into(),
        KeyCode::Delete => "Del".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    };
    let mut out = String::new();
    if mods.contains(KeyModifiers::CONTROL) {
        out.push_str("C-");
    }
    if mods.contains(KeyModifiers::ALT) {
        out.push_str("Alt-");
    }
    if mods.contains(KeyModifiers::SHIFT) && !matches!(key, KeyCode::Char(_)) {
        out.push_str("S-");
    }
    out.push_str(&base);
    out
}

impl Binding {
    /// How this binding's key is written.
    pub fn key_text(&self) -> String {
        key_text(self.key, self.mods)
    }

    /// What it does, as help and `microcred keys` say it: the longer of the binding's own
    /// label and the command's.
    pub fn long_label(&self) -> &'static str {
        let own = self.label();
        if own.len() >= self.cmd.label().len() {
            own
        } else {
            self.cmd.label()
        }
    }

    /// What it does, in a few words (the hint bar).
    pub fn label(&self) -> &'static str {
        if self.label.is_empty() {
            self.cmd.label()
        } else {
            self.label
        }
    }
}

/// The keymap in force: the built-in bindings with the user's overrides in front. It does
/// not change once made (what the hint bar shows per context is kept).
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Binding>,
    hints: HintMemo,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap {
            bindings: BINDINGS.to_vec(),
            hints: HintMemo::default(),
        }
    }
}

/// The hint bar's entries per context, made once (see [`Keymap::hint_entries`]).
#[derive(Default)]
struct HintMemo(std::sync::Mutex<HashMap<Context, HintEntries>>);

/// A context's hint bar entries: each binding shown and its text.
type HintEntries = Arc<[(Binding, String)]>;

impl Clone for HintMemo {
    fn clone(&self) -> Self {
        HintMemo(std::sync::Mutex::new(
            self.0.lock().map(|m| m.clone()).unwrap_or_default(),
        ))
    }
}

impl std::fmt::Debug for HintMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HintMemo")
    }
}

/// The user's keymap file: `MICROCRED_KEYMAP`, else `keymap.yaml` in the user's config folder
/// (`$XDG_CONFIG_HOME/microcred` or `~/.config/microcred`).
pub fn keymap_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("MICROCRED_KEYMAP") {
        return Some(PathBuf::from(p));
    }
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("microcred").join("keymap.yaml"))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeymapFile {
    bindings: Vec<KeymapEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeymapEntry {
    key: String,
    command: String,
    #[serde(default)]
    context: Option<String>,
}

/// Parse a key written like `ctrl-s`, `alt-b`, `shift-tab`, `f2`, `enter`, `n` or `N`.
pub fn parse_key(s: &str) -> Option<(KeyCode, KeyModifiers)> {
    let mut mods = KeyModifiers::NONE;
    let mut rest = s;
    loop {
        let lower = rest.to_ascii_lowercase();
        if let Some(r) = lower
            .strip_prefix("ctrl-")
            .or_else(|| lower.strip_prefix("c-"))
        {
            mods |= KeyModifiers::CONTROL;
            rest = &rest[rest.len() - r.len()..];
        } else if let Some(r) = lower
            .strip_prefix("alt-")
            .or_else(|| lower.strip_prefix("m-"))
        {
            mods |= KeyModifiers::ALT;
            rest = &rest[rest.len() - r.len()..];
        } else if let Some(r) = lower.strip_prefix("shift-") {
            mods |= KeyModifiers::SHIFT;
            rest = &rest[rest.len() - r.len()..];
        } else {
            break;
        }
    }
    let code = match rest.to_ascii_lowercase().as_str() {
        "enter" | "return" => KeyCode::Enter,
        "esc" | "escape" => KeyCode::Esc,
        "tab" if mods.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
        "tab" => KeyCode::Tab,
        "backtab" => KeyCode::BackTab,
        "space" => KeyCode::Char(' '),
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pageup" | "pgup" => KeyCode::PageUp,
        "pagedown" | "pgdn" => KeyCode::PageDown,
        "delete" | "del" => KeyCode::Delete,
        "backspace" => KeyCode::Backspace,
        f if f.len() > 1
            && f.starts_with('f')
            && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) =>
        {
            KeyCode::F(f[1..].parse().ok()?)
        }
        _ => {
            let mut chars = rest.chars();
            let c = chars.next()?;
            if chars.next().is_some() {
                return None;
            }
            if c.is_uppercase() {
                mods |= KeyModifiers::SHIFT;
            }
            KeyCode::Char(c)
        }
    };
    Some((code, mods))
}

/// Every command name, for messages ("one of: up, down, …").
pub fn command_names() -> String {
    Cmd::ALL
        .iter()
        .map(|c| c.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every context name, for messages.
pub fn context_names() -> String {
    Context::ALL
        .iter()
        .map(|c| c.name())
        .collect::<Vec<_>>()
        .join(", ")
}

impl Cmd {
    /// True for the commands that move a selection or a scroll (up, down, left, right, first,
    /// last, a page): help and the keymap list them, the hint bar and the palette leave them out.
    pub fn is_moving(self) -> bool {
        matches!(
            self,
            Cmd::Up
                | Cmd::Down
                | Cmd::Left
                | Cmd::Right
                | Cmd::Top
                | Cmd::Bottom
                | Cmd::PageUp
                | Cmd::PageDown
        )
    }

    /// The command named `name` in a keymap file or the palette.
    pub fn from_name(name: &str) -> Option<Cmd> {
        Cmd::ALL.iter().copied().find(|c| c.name() == name)
    }
}

fn same_key(b: &Binding, key: KeyCode, mods: KeyModifiers) -> bool {
    let m = KeyModifiers::CONTROL | KeyModifiers::ALT;
    b.key == key && (b.mods & m) == (mods & m)
}

impl Keymap {
    /// The built-in keymap with the overrides of the user's keymap file, if there is one.
    pub fn load_user() -> Result<Keymap, Problems> {
        match keymap_path() {
            Some(p) if p.exists() => Keymap::load(&p),
            _ => Ok(Keymap::default()),
        }
    }

    /// The built-in keymap with the overrides in `path`.
    pub fn load(path: &Path) -> Result<Keymap, Problems> {
        let src = crate::store::read_text(path)?;
        Keymap::parse(&src, &path.display().to_string())
    }

    /// The built-in keymap with the overrides in keymap-file text; `name` labels problems.
    pub fn parse(src: &str, name: &str) -> Result<Keymap, Problems> {
        let file: KeymapFile = crate::store::yaml::parse_named(src, name)?;
        let mut map = Keymap::default();
        let mut problems = Vec::new();
        let mut added = Vec::new();
        let locate = |i: usize, field: &str, p: Problem| match crate::store::yaml::locate(
            src,
            &crate::path!["bindings", i, field],
        ) {
            Some((l, c)) => p.at(l, c),
            None => p,
        };
        for (i, entry) in file.bindings.iter().enumerate() {
            let key = parse_key(&entry.key);
            if key.is_none() {
                problems.push(locate(
                    i,
                    "key",
                    Problem::error(
                        name,
                        format!("`{}` is not a key this keymap understands", entry.key),
                    )
                    .hint(
                        "write keys like ctrl-s, alt-b, shift-tab, f2, enter, esc, space, n or N",
                    ),
                ));
            }
            let cmd = Cmd::from_name(&entry.command);
            if cmd.is_none() {
                problems.push(locate(
                    i,
                    "command",
                    Problem::error(name, format!("`{}` is not a command", entry.command)).hint(
                        format!(
                            "use one of: {} (`microcred keys` lists them with their keys)",
                            command_names()
                        ),
                    ),
                ));
            }
            let context = match &entry.context {
                None => Some(Context::Global),
                Some(c) => Context::from_name(c),
            };
            if context.is_none() {
                problems.push(locate(
                    i,
                    "context",
                    Problem::error(
                        name,
                        format!(
                            "`{}` is not a context",
                            entry.context.as_deref().unwrap_or_default()
                        ),
                    )
                    .hint(format!("use one of: {}", context_names())),
                ));
            }
            let (Some((key, mods)), Some(cmd), Some(context)) = (key, cmd, context) else {
                continue;
            };
            map.bindings
                .retain(|b| !(b.context == context && same_key(b, key, mods)));
            let label = BINDINGS
                .iter()
                .find(|b| b.cmd == cmd && b.context == context)
                .map_or("", |b| b.label);
            added.push(Binding {
                context,
                key,
                mods,
                cmd,
                label,
            });
        }
        if !problems.is_empty() {
            return Err(Problems(problems));
        }
        added.extend(map.bindings);
        map.bindings = added;
        Ok(map)
    }

    /// The command `key` runs in `context`. On the main screen a pane's own bindings win over
    /// the global ones; a modal has only its own.
    pub fn lookup(&self, context: Context, key: &KeyEvent) -> Option<Cmd> {
        let found = |ctx: Context| {
            self.bindings
                .iter()
                .find(|b| b.context == ctx && same_key(b, key.code, key.modifiers))
                .map(|b| b.cmd)
        };
        found(context).or_else(|| {
            (context.is_main() && context != Context::Global)
                .then(|| found(Context::Global))
                .flatten()
        })
    }

    /// Every binding, the user's first.
    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// [`Keymap::shown`] in `context`, each with its hint text ("KEYS label": its first two
    /// keys there, then what it does). Made once per context: the keymap does not change.
    pub fn hint_entries(&self, context: Context) -> HintEntries {
        if let Ok(memo) = self.hints.0.lock()
            && let Some(e) = memo.get(&context)
        {
            return e.clone();
        }
        let entries: HintEntries = self
            .shown(context)
            .into_iter()
            .map(|b| {
                let keys = self.keys_for(context, b.cmd);
                let keys = keys.iter().take(2).cloned().collect::<Vec<_>>().join("/");
                (b.clone(), format!("{keys} {}", b.label()))
            })
            .collect();
        if let Ok(mut memo) = self.hints.0.lock() {
            memo.insert(context, entries.clone());
        }
        entries
    }

    /// The bindings that work in `context`, one per command (its first), own ones first.
    pub fn shown(&self, context: Context) -> Vec<&Binding> {
        let mut seen = Vec::new();
        let mut out = Vec::new();
        let global = context.is_main() && context != Context::Global;
        for bd in self.bindings.iter().filter(|b| b.context == context).chain(
            self.bindings
                .iter()
                .filter(|b| global && b.context == Context::Global),
        ) {
            // A key the pane rebinds is not the global command's any more.
            if bd.context == Context::Global
                && self
                    .bindings
                    .iter()
                    .any(|o| o.context == context && same_key(o, bd.key, bd.mods))
            {
                continue;
            }
            if !seen.contains(&bd.cmd) {
                seen.push(bd.cmd);
                out.push(bd);
            }
        }
        out
    }

    /// Every key that runs `cmd` in `context` (with the global ones on the main screen),
    /// written as help shows them: `↑ k`.
    pub fn keys_for(&self, context: Context, cmd: Cmd) -> Vec<String> {
        let global = context.is_main() && context != Context::Global;
        let mut out: Vec<String> = Vec::new();
        for bd in self.bindings.iter().filter(|b| {
            b.cmd == cmd && (b.context == context || (global && b.context == Context::Global))
        }) {
            if self.lookup(context, &KeyEvent::new(bd.key, bd.mods)) != Some(cmd) {
                continue; // shadowed by another binding
            }
            let t = bd.key_text();
            if !out.contains(&t) {
                out.push(t);
            }
        }
        out
    }

    /// The first key for `cmd` in `context`, for "press X" texts; the palette's name when no
    /// key runs it there.
    pub fn key_for(&self, context: Context, cmd: Cmd) -> String {
        self.keys_for(context, cmd)
            .into_iter()
            .next()
            .unwrap_or_else(|| format!(":{}", cmd.name()))
    }

    /// The first key for `cmd` anywhere on the main screen (a pane's, else the global one).
    pub fn main_key(&self, cmd: Cmd) -> String {
        [
            Context::Global,
            Context::Needs,
            Context::Mappings,
            Context::Gaps,
        ]
        .into_iter()
        .find_map(|c| self.keys_for(c, cmd).into_iter().next())
        .unwrap_or_else(|| format!(":{}", cmd.name()))
    }
}

#[cfg(test)]
mod tests;

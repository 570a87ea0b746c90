//! The keymap: one table of bindings, read by the key handler, the help overlay, the status bar
//! and the command palette, so what they show is always what works.

use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

use crate::problem::{Problem, Problems};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Context {
    /// Everywhere on the main screens.
    Global,
    Needs,
    Mappings,
    Gaps,
    Matrix,
}

/// A command a key (or the palette) can run; named in kebab-case in the keymap file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cmd {
    Up,
    Down,
    Left,
    Right,
    Top,
    Bottom,
    PageUp,
    PageDown,
    NextPane,
    PrevPane,
    Open,
    AddNeed,
    AddPartner,
    EditPartner,
    Edit,
    Delete,
    MapNeed,
    Agree,
    Dispute,
    Reject,
    Propose,
    Comment,
    ToggleInclude,
    EditCredential,
    Browse,
    Matrix,
    Undo,
    Redo,
    Save,
    Quit,
    Help,
    Palette,
    Search,
    Theme,
    Export,
    // text
    /// Make the focused pane fill the screen, or restore the panes.
    Zoom,
    /// Scroll the selected mapping's text (rationale, comments) down half a pane.
    ScrollDown,
    /// Scroll it back up.
    ScrollUp,
}

/// One key binding.
#[derive(Debug, Clone)]
pub struct Binding {
    pub context: Context,
    pub key: KeyCode,
    pub mods: KeyModifiers,
    pub cmd: Cmd,
    /// Shown in help, the status bar and the palette.
    pub label: &'static str,
    /// How the key is written in help.
    pub keys: std::borrow::Cow<'static, str>,
}

const fn b(
    context: Context,
    key: KeyCode,
    mods: KeyModifiers,
    cmd: Cmd,
    keys: &'static str,
    label: &'static str,
) -> Binding {
    Binding {
        context,
        key,
        mods,
        cmd,
        label,
        keys: std::borrow::Cow::Borrowed(keys),
    }
}

const N: KeyModifiers = KeyModifiers::NONE;
const C: KeyModifiers = KeyModifiers::CONTROL;
const S: KeyModifiers = KeyModifiers::SHIFT;

use Cmd::*;
use Context::*;
use KeyCode::Char;

/// Every binding. The first binding of a command is the one shown in the status bar.
pub const BINDINGS: &[Binding] = &[
    b(Global, KeyCode::Up, N, Up, "↑/k", "move up"),
    b(Global, Char('k'), N, Up, "k", "move up"),
    b(Global, KeyCode::Down, N, Down, "↓/j", "move down"),
    b(Global, Char('j'), N, Down, "j", "move down"),
    b(Global, KeyCode::Left, N, Left, "←/h", "scroll left"),
    b(Global, Char('h'), N, Left, "h", "scroll left"),
    b(Global, KeyCode::Right, N, Right, "→/l", "scroll right"),
    b(Global, Char('l'), N, Right, "l", "scroll right"),
    b(Global, Char('g'), N, Top, "g", "first item"),
    b(Global, KeyCode::Home, N, Top, "Home", "first item"),
    b(Global, Char('G'), S, Bottom, "G", "last item"),
    b(Global, KeyCode::End, N, Bottom, "End", "last item"),
    b(Global, KeyCode::PageUp, N, PageUp, "PgUp", "page up"),
    b(Global, KeyCode::PageDown, N, PageDown, "PgDn", "page down"),
    b(Global, KeyCode::Tab, N, NextPane, "Tab", "next pane"),
    b(
        Global,
        KeyCode::BackTab,
        S,
        PrevPane,
        "S-Tab",
        "previous pane",
    ),
    b(
        Global,
        KeyCode::Enter,
        N,
        Open,
        "Enter",
        "open / jump to it",
    ),
    b(Needs, Char('a'), N, AddNeed, "a", "add need"),
    b(Needs, Char('e'), N, Edit, "e", "edit need"),
    b(Needs, Char('d'), N, Delete, "d", "delete need"),
    b(
        Needs,
        Char('m'),
        N,
        MapNeed,
        "m",
        "map need to a competency",
    ),
    b(Needs, Char('P'), S, AddPartner, "P", "add partner"),
    b(Needs, Char('E'), S, EditPartner, "E", "edit partner"),
    b(
        Mappings,
        Char('m'),
        N,
        MapNeed,
        "m",
        "map to another competency",
    ),
    b(Mappings, Char('e'), N, Edit, "e", "edit mapping"),
    b(Mappings, Char('d'), N, Delete, "d", "delete mapping"),
    b(Mappings, Char('y'), N, Agree, "y", "agree"),
    b(Mappings, Char('x'), N, Dispute, "x", "dispute"),
    b(Mappings, Char('r'), N, Reject, "r", "reject"),
    b(Mappings, Char('p'), N, Propose, "p", "back to proposed"),
    b(Mappings, Char('c'), N, Comment, "c", "comment"),
    b(
        Mappings,
        Char('i'),
        N,
        ToggleInclude,
        "i",
        "include in / drop from credential",
    ),
    b(Global, Char('C'), S, EditCredential, "C", "edit credential"),
    b(Global, Char('b'), N, Browse, "b", "browse frameworks"),
    b(
        Global,
        Char('M'),
        S,
        Cmd::Matrix,
        "M",
        "needs × competencies matrix",
    ),
    b(Global, Char('/'), N, Search, "/", "search competencies"),
    b(Global, Char('u'), N, Undo, "u", "undo"),
    b(Global, Char('z'), C, Undo, "C-z", "undo"),
    b(Global, Char('r'), C, Redo, "C-r", "redo"),
    b(Global, Char('s'), C, Save, "C-s", "save"),
    b(Global, Char('s'), N, Save, "s", "save"),
    b(Global, Char('q'), N, Quit, "q", "quit"),
    b(Global, Char('?'), N, Help, "?", "help"),
    b(Global, KeyCode::F(1), N, Help, "F1", "help"),
    b(
        Global,
        Char('X'),
        S,
        Export,
        "X",
        "export spec, badge and summary beside the workspace",
    ),
    b(Global, Char(':'), N, Palette, ":", "command palette"),
    b(Global, Char('p'), C, Palette, "C-p", "command palette"),
    b(
        Global,
        Char('T'),
        S,
        Theme,
        "T",
        "switch theme (default, high contrast, monochrome)",
    ),
    // text
    b(
        Global,
        Char('+'),
        N,
        Zoom,
        "+",
        "zoom: the pane fills the screen (again to restore)",
    ),
    b(
        Global,
        Char('d'),
        C,
        ScrollDown,
        "C-d",
        "scroll the mapping's comments down",
    ),
    b(
        Global,
        Char('u'),
        C,
        ScrollUp,
        "C-u",
        "scroll the mapping's comments up",
    ),
];

/// The keymap in force: the built-in bindings with the user's overrides in front.
#[derive(Debug, Clone)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap {
            bindings: BINDINGS.to_vec(),
        }
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
    command: Cmd,
    #[serde(default = "global")]
    context: Context,
}

fn global() -> Context {
    Context::Global
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
        let src = src.to_string();
        let name = name.to_string();
        let file: KeymapFile = crate::store::yaml::parse_named(&src, &name)?;
        let mut map = Keymap::default();
        let mut problems = Vec::new();
        let mut added = Vec::new();
        for (i, entry) in file.bindings.iter().enumerate() {
            let Some((key, mods)) = parse_key(&entry.key) else {
                let mut p = Problem::error(
                    &name,
                    format!("`{}` is not a key this keymap understands", entry.key),
                )
                .hint("write keys like ctrl-s, alt-b, shift-tab, f2, enter, esc, n or N");
                if let Some((l, c)) =
                    crate::store::yaml::locate(&src, &crate::path!["bindings", i, "key"])
                {
                    p = p.at(l, c);
                }
                problems.push(p);
                continue;
            };
            let label = BINDINGS
                .iter()
                .find(|b| b.cmd == entry.command)
                .map_or("", |b| b.label);
            let clash = |b: &Binding| {
                b.context == entry.context
                    && b.key == key
                    && b.mods & !KeyModifiers::SHIFT == mods & !KeyModifiers::SHIFT
            };
            map.bindings.retain(|b| !clash(b));
            added.push(Binding {
                context: entry.context,
                key,
                mods,
                cmd: entry.command,
                label,
                keys: entry.key.clone().into(),
            });
        }
        if !problems.is_empty() {
            return Err(Problems(problems));
        }
        added.extend(map.bindings);
        map.bindings = added;
        Ok(map)
    }

    /// The command `key` runs in `context` (context bindings win over global ones).
    pub fn lookup(&self, context: Context, key: &KeyEvent) -> Option<Cmd> {
        let mods = key.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        let matches = |bd: &&Binding| {
            bd.key == key.code && (bd.mods & (KeyModifiers::CONTROL | KeyModifiers::ALT)) == mods
        };
        self.bindings
            .iter()
            .filter(|bd| bd.context == context)
            .find(matches)
            .or_else(|| {
                self.bindings
                    .iter()
                    .filter(|bd| bd.context == Context::Global)
                    .find(matches)
            })
            .map(|bd| bd.cmd)
    }

    /// Bindings to show for `context`: its own, then the global ones, one per command.
    pub fn shown(&self, context: Context) -> Vec<&Binding> {
        let mut seen = Vec::new();
        let mut out = Vec::new();
        for bd in self
            .bindings
            .iter()
            .filter(|bd| bd.context == context)
            .chain(
                self.bindings
                    .iter()
                    .filter(|bd| bd.context == Context::Global),
            )
        {
            if !seen.contains(&bd.cmd) {
                seen.push(bd.cmd);
                out.push(bd);
            }
        }
        out
    }
}

//! The keymap: one table of bindings, read by the key handler, the help overlay, the status bar
//! and the command palette, so what they show is always what works.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Everywhere on the main screens.
    Global,
    Needs,
    Mappings,
    Gaps,
    Matrix,
}

/// A command a key (or the palette) can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
}

/// One key binding.
pub struct Binding {
    pub context: Context,
    pub key: KeyCode,
    pub mods: KeyModifiers,
    pub cmd: Cmd,
    /// Shown in help, the status bar and the palette.
    pub label: &'static str,
    /// How the key is written in help.
    pub keys: &'static str,
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
        keys,
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
];

/// The command `key` runs in `context` (context bindings win over global ones).
pub fn lookup(context: Context, key: &KeyEvent) -> Option<Cmd> {
    let mods = key.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
    let matches = |bd: &&Binding| {
        bd.key == key.code && (bd.mods & (KeyModifiers::CONTROL | KeyModifiers::ALT)) == mods
    };
    BINDINGS
        .iter()
        .filter(|bd| bd.context == context)
        .find(matches)
        .or_else(|| {
            BINDINGS
                .iter()
                .filter(|bd| bd.context == Global)
                .find(matches)
        })
        .map(|bd| bd.cmd)
}

/// Bindings to show for `context`: its own, then the global ones, one per command.
pub fn shown(context: Context) -> Vec<&'static Binding> {
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for bd in BINDINGS
        .iter()
        .filter(|bd| bd.context == context)
        .chain(BINDINGS.iter().filter(|bd| bd.context == Global))
    {
        if !seen.contains(&bd.cmd) {
            seen.push(bd.cmd);
            out.push(bd);
        }
    }
    out
}

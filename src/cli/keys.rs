//! `microcred keys`: every editor command with its keys in each context.

use std::process::ExitCode;

use crate::tui::keys::{Cmd, Context, Keymap};

/// How `microcred keys` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KeysFormat {
    /// One line per command and context: context, keys, command name, what it does.
    Text,
    /// The README's key table: one row per context.
    Markdown,
}

/// Print the keymap in force (or the built-in one).
pub fn run(format: KeysFormat, default: bool) -> ExitCode {
    let keymap = if default {
        Keymap::default()
    } else {
        match Keymap::load_user() {
            Ok(k) => k,
            Err(p) => {
                super::report(&p);
                return ExitCode::from(1);
            }
        }
    };
    super::print_out(&match format {
        KeysFormat::Text => text(&keymap),
        KeysFormat::Markdown => markdown(&keymap),
    })
}

/// Each context's commands with their keys, in keymap order, one per command.
fn rows(keymap: &Keymap, ctx: Context) -> Vec<(Cmd, Vec<String>, &'static str)> {
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for b in keymap.bindings().iter().filter(|b| b.context == ctx) {
        if seen.contains(&b.cmd) {
            continue;
        }
        seen.push(b.cmd);
        let keys: Vec<String> = keymap
            .bindings()
            .iter()
            .filter(|o| o.context == ctx && o.cmd == b.cmd)
            .map(|o| o.key_text())
            .fold(Vec::new(), |mut v, k| {
                if !v.contains(&k) {
                    v.push(k);
                }
                v
            });
        out.push((b.cmd, keys, b.long_label()));
    }
    out
}

/// Commands no key runs anywhere (the palette runs them by name).
fn unbound(keymap: &Keymap) -> Vec<Cmd> {
    Cmd::ALL
        .iter()
        .copied()
        .filter(|c| !keymap.bindings().iter().any(|b| b.cmd == *c))
        .collect()
}

/// The plain listing.
pub fn text(keymap: &Keymap) -> String {
    let mut out = format!(
        "{:<10} {:<20} {:<16} {}\n",
        "CONTEXT", "KEYS", "COMMAND", "WHAT"
    );
    for ctx in Context::ALL {
        for (cmd, keys, label) in rows(keymap, ctx) {
            out.push_str(&format!(
                "{:<10} {:<20} {:<16} {}\n",
                ctx.name(),
                keys.join(" "),
                cmd.name(),
                label
            ));
        }
    }
    for cmd in unbound(keymap) {
        out.push_str(&format!(
            "{:<10} {:<20} {:<16} {}\n",
            "palette",
            format!(":{}", cmd.name()),
            cmd.name(),
            cmd.label()
        ));
    }
    out
}

/// The README's table, one row per context.
pub fn markdown(keymap: &Keymap) -> String {
    let mut out = String::from("| where | keys |\n|---|---|\n");
    for ctx in Context::ALL {
        let cells: Vec<String> = rows(keymap, ctx)
            .into_iter()
            .map(|(_, keys, label)| {
                let keys: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
                format!("{} {label}", keys.join(" "))
            })
            .collect();
        if !cells.is_empty() {
            out.push_str(&format!("| {} | {} |\n", ctx.title(), cells.join(" · ")));
        }
    }
    let names: Vec<String> = unbound(keymap)
        .iter()
        .map(|c| format!("`:{}`", c.name()))
        .collect();
    if !names.is_empty() {
        out.push_str(&format!("| Palette only | {} |\n", names.join(" · ")));
    }
    out.push_str("| Palette words | `:w` save · `:q` quit · `:q!` quit discarding changes · `:wq` `:x` save and quit · `:messages` every message shown |\n");
    out
}

//! The command palette: what it offers and how it matches.

use super::*;

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

impl App {
    /// A key in the palette: typing filters the commands, Enter runs the chosen one.
    pub(super) fn palette_key(
        &mut self,
        input: &mut crate::tui::text::TextField,
        sel: &mut usize,
        cmd: Option<Cmd>,
        k: Option<KeyEvent>,
    ) -> Flow {
        let items = palette_items(self, input.value());
        match cmd {
            Some(Cmd::Cancel) => return Flow::Close(None),
            Some(Cmd::Submit) => {
                let typed = input.value().trim().trim_start_matches(':');
                let exact = keys::PALETTE_ALIASES
                    .iter()
                    .find(|(a, _)| *a == typed)
                    .map(|(_, c)| *c)
                    .or_else(|| Cmd::from_name(typed).filter(|c| palette_cmd(*c)));
                if let Some(c) = exact.or_else(|| items.get(*sel).map(|(c, _)| *c)) {
                    return Flow::Close(self.run(c));
                }
                if !typed.is_empty() {
                    self.error(format!(
                        "No command matches “{typed}”; {} lists them all.",
                        self.key_for(Cmd::Help)
                    ));
                }
                return Flow::Close(None);
            }
            Some(Cmd::Down) => *sel = (*sel + 1).min(items.len().saturating_sub(1)),
            Some(Cmd::Up) => *sel = sel.saturating_sub(1),
            _ => {
                if k.is_some_and(|k| input.key(&k) == crate::tui::text::Keyed::Taken) {
                    *sel = 0;
                }
            }
        }
        Flow::Stay
    }
}

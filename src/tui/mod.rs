//! The co-design TUI: needs, mappings, competency details and live gap panes.
//!
//! `App` holds one session's state and handles events ([`app`]); [`view`] draws it; [`keys`]
//! is the single keymap; [`layout`] places panes. The runner below owns the terminal.

pub mod app;
pub mod finder;
pub mod form;
pub mod keys;
pub mod layout;
pub mod theme;
pub mod view;

use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;

use crate::catalog::Catalog;
use crate::edit::Actor;
use crate::model::Workspace;
use crate::store;
use app::{App, Effect};

/// The name a local session acts under.
pub fn local_actor() -> Actor {
    let name = std::env::var("USER")
        .ok()
        .filter(|u| !u.is_empty())
        .unwrap_or_else(|| "designer".into());
    Actor::designer(&name)
}

/// How the editor looks and which keys it uses.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Monochrome, whatever NO_COLOR says.
    pub no_color: bool,
    pub keymap: keys::Keymap,
}

/// Run the TUI on `ws` until the user quits.
pub fn run(
    ws: Workspace,
    catalog: Catalog,
    path: Option<PathBuf>,
    options: Options,
) -> io::Result<()> {
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        return Err(io::Error::other(
            "the editor needs a terminal; in scripts use `microcred check`, `validate` or `fmt`",
        ));
    }
    let mut app = App::new(ws, Arc::new(catalog), path, local_actor());
    app.keymap = Arc::new(options.keymap);
    if options.no_color {
        app.theme = theme::Theme {
            kind: theme::ThemeKind::Mono,
        };
    }
    let mut terminal = ratatui::init();
    execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste)?;
    let size = terminal.size()?;
    app.size = (size.width, size.height);
    let result = (|| -> io::Result<()> {
        loop {
            terminal.draw(|f| view::draw(f, &app))?;
            if !event::poll(Duration::from_millis(500))? {
                app.sync();
                continue;
            }
            let ev = event::read()?;
            let mut effect = app.handle(ev);
            while let Some(e) = effect.take() {
                match e {
                    Effect::Quit => return Ok(()),
                    Effect::Export => {
                        let r = app.export_files().and_then(|files| {
                            files
                                .into_iter()
                                .map(|(p, bytes)| {
                                    store::write_atomic(&p, &bytes)
                                        .map(|()| p)
                                        .map_err(|e| e.to_string())
                                })
                                .collect::<Result<Vec<_>, _>>()
                        });
                        app.exported(r);
                    }
                    Effect::Save(p) => {
                        let r = app.hub.save(Some(&p)).map_err(|e| e.to_string());
                        effect = app.saved(r);
                    }
                }
            }
        }
    })();
    let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
    ratatui::restore();
    result
}

//! `microcred PORTFOLIO.yaml`: the portfolio view in the terminal. Enter on a credential runs
//! the normal design editor over that design (its lock, its journal, recovery) on the same
//! terminal; quitting it (q, or Esc on its main screen) comes back to the portfolio view,
//! re-analysed, since the design may have changed.

use std::io::{self, IsTerminal};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;

use super::Options;
use super::app::portfolio::{PortfolioApp, PortfolioEffect};
use super::portfolio::PortfolioSheet;
use crate::analysis::portfolio::analyse;
use crate::catalog::Catalog;
use crate::document::hub::Hub;
use crate::document::journal::Found;
use crate::edit::Role;

/// A design opened for the editor: its hub, a message for the status bar, and unsaved changes
/// an earlier session left in its journal (offered first).
pub type OpenedDesign = (Arc<Hub>, Option<String>, Option<Found>);

/// Read the portfolio at `path`, load the designs it names and analyse it: the view's sheet.
/// The located problems of a portfolio file that cannot be read, as text.
pub fn load_sheet(path: &Path, catalog: &Catalog) -> Result<PortfolioSheet, String> {
    let src = crate::store::read_text(path).map_err(|p| p.to_string())?;
    let loaded = crate::document::portfolio::load_portfolio(path, &src, catalog)
        .map_err(|p| p.to_string())?;
    let report = analyse(&loaded.portfolio, &loaded.members);
    Ok(PortfolioSheet::new(
        path.to_path_buf(),
        &loaded,
        report,
        catalog,
    ))
}

/// Run the portfolio view over `sheet` until the user quits or a stop signal arrives; `open`
/// opens a design for the editor (or says why it cannot), `reload` reads the portfolio again.
pub fn run_portfolio(
    sheet: PortfolioSheet,
    options: Options,
    mut open: impl FnMut(&Path) -> Result<OpenedDesign, String>,
    mut reload: impl FnMut() -> Result<PortfolioSheet, String>,
) -> io::Result<()> {
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        return Err(io::Error::other(
            "the portfolio view needs a terminal; in scripts use `microcred check PORTFOLIO`",
        ));
    }
    let stop = super::stop_signals()?;
    let mut app = PortfolioApp::new(Arc::new(sheet), Role::Designer);
    app.keymap = Arc::new(options.keymap.clone());
    if options.no_color {
        app.theme = super::theme::Theme {
            kind: super::theme::ThemeKind::Mono,
        };
    }
    super::watch_for_hangup();
    let mut terminal = super::init_terminal()?;
    execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste)?;
    let result = (|| -> io::Result<()> {
        loop {
            if stop.load(Ordering::SeqCst) != 0 {
                return Err(io::Error::other("stopped by a signal"));
            }
            terminal.draw(|f| {
                let a = f.area();
                app.size = (a.width, a.height);
                super::view::render_portfolio(f, &app);
            })?;
            if !event::poll(Duration::from_millis(100))? {
                continue;
            }
            let effect = app.handle(event::read()?);
            match effect {
                None => {}
                Some(PortfolioEffect::Quit) => return Ok(()),
                Some(PortfolioEffect::Open(row)) => {
                    let Some(c) = app.sheet.credentials.get(row).cloned() else {
                        continue;
                    };
                    match open(&c.path) {
                        Err(why) => app.error(why),
                        Ok((hub, message, recovery)) => {
                            hub.prepare_in_background();
                            let mut ed =
                                super::session_app(hub, message, recovery, options.clone());
                            let r = super::drive(&mut terminal, &mut ed, &stop, true);
                            let _ = ed.hub.flush_journal();
                            drop(ed);
                            r?;
                            match reload() {
                                Ok(s) => {
                                    app.reload(Arc::new(s));
                                    app.info(format!(
                                        "Back from {}; the portfolio was analysed again.",
                                        c.id
                                    ));
                                }
                                Err(why) => app.error(why),
                            }
                        }
                    }
                }
            }
        }
    })();
    let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
    super::restore_terminal();
    result
}

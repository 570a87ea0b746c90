//! One connection to a served portfolio: the portfolio view, and the editor of the credential
//! it opens, on the same channel (see [`super::portfolio`]).

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::event::Event;
use tokio::sync::{mpsc, watch};

use super::Shared;
use super::input::Decoder;
use super::portfolio::Served;
use super::session::{
    IN_QUEUE, Input, REMOTE_FRAME, Start, channel_terminal, resize_terminal, theme_for,
};
use crate::edit::{Actor, Role};
use crate::tui::app::portfolio::{PortfolioApp, PortfolioEffect};
use crate::tui::portfolio::PortfolioSheet;

/// How often the view looks whether a frame was dropped and the screen must be redrawn.
const REDRAW_CHECK: std::time::Duration = std::time::Duration::from_millis(100);

/// How the portfolio view was left.
enum Leave {
    /// The session ends, with this last line for the person.
    End(String),
    /// Open the credential of this matrix row.
    Open(usize),
}

/// How a credential's editor was left.
enum Back {
    /// To the portfolio view (with an error to show, if it ended by one).
    Portfolio(Option<String>),
    /// The connection closed.
    Closed,
    /// The server stopped, saying this.
    Stopped(String),
}

/// The session of one connection to a served portfolio: the portfolio view until the person
/// leaves; Enter runs the served editor over a credential, with their role, and Esc or `q`
/// comes back.
pub(super) async fn session(
    front: Arc<Shared>,
    served: Arc<Served>,
    start: Start,
    mut rx: mpsc::Receiver<Input>,
    otx: mpsc::Sender<Vec<u8>>,
) -> io::Result<String> {
    let Start {
        actor,
        key,
        term,
        mut sizes,
        rate,
        ..
    } = start;
    let mut sheets = served.subscribe();
    let mut app = PortfolioApp::new(sheets.borrow_and_update().clone(), actor.role.clone());
    app.theme = theme_for(&term);
    app.info(welcome(&actor));
    loop {
        let row = match view(&front, &mut app, &mut sheets, &mut rx, &otx, &mut sizes).await? {
            Leave::End(msg) => return Ok(msg),
            Leave::Open(row) => row,
        };
        let Some(id) = app.sheet.credentials.get(row).map(|c| c.id.clone()) else {
            continue;
        };
        let cred = match served.open_credential(row).await {
            Ok(s) => s,
            Err(why) => {
                app.error(format!("{id} cannot be opened: {why}"));
                continue;
            }
        };
        let editor = Start {
            actor: actor.clone(),
            key: key.clone(),
            term: term.clone(),
            size: *sizes.borrow(),
            sizes: sizes.clone(),
            rate,
            esc_leaves: true,
        };
        match edit(&cred, editor, &mut rx, &otx).await? {
            Back::Closed => return Ok(String::new()),
            Back::Stopped(msg) => return Ok(msg),
            Back::Portfolio(problem) => {
                app.reload(sheets.borrow_and_update().clone());
                match problem {
                    Some(e) => app.error(e),
                    None => app.info(format!(
                        "Back from {id}; the findings follow every change to the credentials."
                    )),
                }
            }
        }
    }
}

/// The first line a person sees: who they are here and what Enter does for them.
fn welcome(actor: &Actor) -> String {
    let what = match &actor.role {
        Role::Designer => "to edit it with everyone who opens it",
        Role::Partner(_) => "to review and comment on it",
        Role::Viewer => "to read it",
    };
    format!(
        "Connected as {}. Enter opens a credential {what}; Esc comes back here.",
        actor.name
    )
}

/// Show the portfolio view until the person opens a credential or leaves, the connection
/// closes or the server stops. The sheet follows the analysis as credentials change.
async fn view(
    front: &Shared,
    app: &mut PortfolioApp,
    sheets: &mut watch::Receiver<Arc<PortfolioSheet>>,
    rx: &mut mpsc::Receiver<Input>,
    otx: &mpsc::Sender<Vec<u8>>,
    sizes: &mut watch::Receiver<(u16, u16)>,
) -> io::Result<Leave> {
    let size = *sizes.borrow_and_update();
    app.handle(Event::Resize(size.0, size.1));
    let lost = Arc::new(AtomicBool::new(false));
    let mut terminal = channel_terminal(otx, &lost, size)?;
    let mut shutdown = front.shutdown.subscribe();
    let mut decoder = Decoder::new();
    // A frame dropped for a slow client (the first ones can be) is redrawn at the next tick.
    let mut tick = tokio::time::interval(REDRAW_CHECK);
    let mut dirty = true;
    // Size changes are applied at most once per REMOTE_FRAME (the latest), as in the editor.
    let (mut resize, mut resized) = (false, tokio::time::Instant::now());
    let (mut sizes_open, mut sheets_open) = (true, true);
    loop {
        if resize && resized.elapsed() >= REMOTE_FRAME {
            resize = false;
            resized = tokio::time::Instant::now();
            let s = *sizes.borrow_and_update();
            resize_terminal(&mut terminal, s)?;
            app.handle(Event::Resize(s.0, s.1));
            dirty = true;
        }
        if lost.load(Ordering::SeqCst) && otx.capacity() > 0 {
            lost.store(false, Ordering::SeqCst);
            terminal.clear()?;
            dirty = true;
        }
        if dirty {
            terminal.draw(|f| crate::tui::view::render_portfolio(f, app))?;
            dirty = false;
        }
        if let Some(msg) = shutdown.borrow().clone() {
            return Ok(Leave::End(msg));
        }
        tokio::select! {
            input = rx.recv() => {
                let events = match input {
                    None | Some(Input::Close) => return Ok(Leave::End(String::new())),
                    Some(Input::Data(bytes)) => decoder.feed_counted(&bytes),
                };
                for (ev, _) in events {
                    match app.handle(ev) {
                        None => {}
                        Some(PortfolioEffect::Quit) => {
                            return Ok(Leave::End("bye; the portfolio's designs are saved by the server".into()));
                        }
                        Some(PortfolioEffect::Open(row)) => {
                            // Opening a design the first time reads it and its frameworks:
                            // say so meanwhile.
                            if let Some(c) = app.sheet.credentials.get(row) {
                                let text = format!("Opening {}…", c.id);
                                app.info(text);
                                terminal.draw(|f| crate::tui::view::render_portfolio(f, app))?;
                            }
                            return Ok(Leave::Open(row));
                        }
                    }
                }
                dirty = true;
            }
            r = sheets.changed(), if sheets_open => match r {
                Ok(()) => {
                    app.reload(sheets.borrow_and_update().clone());
                    dirty = true;
                }
                Err(_) => sheets_open = false,
            },
            r = sizes.changed(), if sizes_open && !resize => match r {
                Ok(()) => resize = true,
                Err(_) => sizes_open = false,
            },
            _ = tokio::time::sleep_until(resized + REMOTE_FRAME), if resize => {}
            _ = shutdown.changed() => {}
            _ = tick.tick() => {}
        }
    }
}

/// Run the served editor over the credential `cred` on this connection until the person
/// leaves it, the connection closes or the server stops. Input goes on reaching the editor
/// through this session, which keeps the connection's queue for the portfolio view after.
async fn edit(
    cred: &Arc<Shared>,
    start: Start,
    rx: &mut mpsc::Receiver<Input>,
    otx: &mpsc::Sender<Vec<u8>>,
) -> io::Result<Back> {
    let id = cred.join(&start.actor.name);
    let (tx, editor_rx) = mpsc::channel(IN_QUEUE);
    let mut task = tokio::spawn(super::session::run(
        cred.clone(),
        start,
        editor_rx,
        otx.clone(),
    ));
    let mut closed = false;
    let ended = loop {
        tokio::select! {
            r = &mut task => break r,
            input = rx.recv(), if !closed => match input {
                // Waits when the editor is behind: back-pressure on this connection only. A
                // send after the editor ended fails, and the loop sees the end.
                Some(Input::Data(bytes)) => {
                    let _ = tx.send(Input::Data(bytes)).await;
                }
                None | Some(Input::Close) => {
                    closed = true;
                    let _ = tx.send(Input::Close).await;
                }
            },
        }
    };
    cred.leave(id);
    if closed {
        return Ok(Back::Closed);
    }
    if let Some(msg) = cred.shutdown.borrow().clone() {
        return Ok(Back::Stopped(msg));
    }
    match ended {
        Ok(Ok(_)) => Ok(Back::Portfolio(None)),
        Ok(Err(e)) => Err(e),
        Err(_) => Ok(Back::Portfolio(Some(
            "the credential's session ended by an internal error; its changes so far are kept"
                .into(),
        ))),
    }
}

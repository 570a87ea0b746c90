//! One SSH connection: the russh handler (auth, channel requests) and the session task that
//! runs an [`App`] over the channel.

use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event,
};
use crossterm::style::{Attribute, SetAttribute};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, queue};
use ratatui::backend::CrosstermBackend;
use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Rect, Size};
use ratatui::{Terminal, TerminalOptions, Viewport};
use russh::server::{Auth, ChannelOpenHandle, Handle, Msg, Session};
use russh::{Channel, ChannelId, ChannelWriteHalf};
use tokio::sync::{mpsc, watch};

use super::input::Decoder;
use super::rate::Rate;
use super::{Limits, Shared};
use crate::edit::Actor;
use crate::tui::app::{App, ChangeGate, SessionOptions};
use crate::tui::theme::{Theme, ThemeKind};
use crate::tui::view;

/// Largest window a client may ask for (columns, rows).
pub const MAX_SIZE: (u16, u16) = (500, 200);
/// Frames queued for a client before new ones are dropped (and a full redraw is owed).
const OUT_FRAMES: usize = 4;
/// Shortest time between two redraws for other people's changes (own keys redraw at once),
/// and between two changes of the window's size.
pub(super) const REMOTE_FRAME: Duration = Duration::from_millis(25);
/// Reads queued from a client before its connection waits.
pub(super) const IN_QUEUE: usize = 64;

/// Clamp a requested window size; 0 (unknown) becomes 80×24.
pub fn clamp_size(cols: u32, rows: u32) -> (u16, u16) {
    let c = if cols == 0 {
        80
    } else {
        cols.min(MAX_SIZE.0 as u32) as u16
    };
    let r = if rows == 0 {
        24
    } else {
        rows.min(MAX_SIZE.1 as u32) as u16
    };
    (c, r)
}

/// What the handler passes to the session task.
#[derive(Debug)]
pub(super) enum Input {
    Data(Vec<u8>),
    Close,
}

/// The russh handler of one connection.
pub struct Conn {
    shared: Arc<Shared>,
    peer: Option<SocketAddr>,
    /// This connection's place among those the server counts.
    slot: u64,
    /// How fast the person may change the document.
    rate: Rate,
    actor: Option<Actor>,
    /// The fingerprint (`SHA256:…`) of the key they authenticated with.
    key: Option<String>,
    channel: Option<ChannelWriteHalf<Msg>>,
    channel_id: Option<ChannelId>,
    pty: Option<(String, u16, u16)>,
    input: Option<mpsc::Sender<Input>>,
    /// The window's latest size: a flood of size changes is coalesced into the last one
    /// (each used to queue a resize and a full redraw: 42,000 in 20 s took more than a core).
    size: Option<watch::Sender<(u16, u16)>>,
}

impl Conn {
    /// A handler for connection `slot` (as counted by the server) from `peer`.
    pub fn new(shared: Arc<Shared>, peer: Option<SocketAddr>, slot: u64, limits: &Limits) -> Self {
        Conn {
            shared,
            peer,
            slot,
            rate: Rate {
                burst: limits.change_burst,
                per_second: limits.changes_per_second,
            },
            actor: None,
            key: None,
            channel: None,
            channel_id: None,
            pty: None,
            input: None,
            size: None,
        }
    }

    fn ours(&self, ch: ChannelId) -> bool {
        self.channel_id == Some(ch)
    }
}

/// Refuse a request on the session channel: a protocol failure, then the reason on stderr,
/// exit status 1 and close. Used for subsystems, whose clients (sftp) expect the failure.
fn refuse(session: &mut Session, ch: ChannelId, why: &str) -> Result<(), russh::Error> {
    session.channel_failure(ch)?;
    say_and_close(session, ch, why)
}

/// Refuse a command or a shell without a terminal so that a person sees why: the OpenSSH
/// client exits at once on a failed `exec`/`shell` request, before it prints anything the
/// server said, so these are answered with success, and then nothing runs: the reason on
/// stderr, exit status 1, and close.
fn refuse_with_reason(session: &mut Session, ch: ChannelId, why: &str) -> Result<(), russh::Error> {
    session.channel_success(ch)?;
    say_and_close(session, ch, why)
}

fn say_and_close(session: &mut Session, ch: ChannelId, why: &str) -> Result<(), russh::Error> {
    session.extended_data(ch, 1, format!("microcred: {why}\r\n").into_bytes())?;
    session.exit_status_request(ch, 1)?;
    session.eof(ch)?;
    session.close(ch)
}

impl russh::server::Handler for Conn {
    type Error = russh::Error;

    async fn auth_publickey_offered(
        &mut self,
        _user: &str,
        offer: russh::server::PublicKeyOffer<'_>,
    ) -> Result<Auth, Self::Error> {
        Ok(
            if self.shared.people.actor_for(offer.public_key).is_some() {
                Auth::Accept
            } else {
                Auth::reject()
            },
        )
    }

    async fn auth_publickey(
        &mut self,
        _user: &str,
        key: russh::server::VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        // Identity comes from the key alone, never from the user name.
        match self.shared.people.actor_for(key.public_key) {
            // Counted as authenticated from now on: never closed to make room for others.
            // (A connection closed meanwhile, for time or room, is not let in.)
            Some(a) if self.shared.promote(self.slot) => {
                self.actor = Some(a.clone());
                self.key = Some(
                    key.public_key
                        .fingerprint(russh::keys::HashAlg::Sha256)
                        .to_string(),
                );
                self.shared.log(&format!(
                    "{} connected from {}",
                    a.name,
                    peer_text(self.peer)
                ));
                Ok(Auth::Accept)
            }
            _ => Ok(Auth::reject()),
        }
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.channel_id.is_some() || self.actor.is_none() {
            // One editor per connection; dropping `reply` refuses the channel.
            return Ok(());
        }
        self.channel_id = Some(channel.id());
        // Requests and reads reach us through the handler; drain the channel's own queue so it
        // never fills and stalls the connection.
        let (mut read, write) = channel.split();
        tokio::spawn(async move { while read.wait().await.is_some() {} });
        self.channel = Some(write);
        reply.accept().await;
        Ok(())
    }

    async fn pty_request(
        &mut self,
        ch: ChannelId,
        term: &str,
        cols: u32,
        rows: u32,
        _pw: u32,
        _ph: u32,
        _modes: &[(russh::Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if !self.ours(ch) || self.input.is_some() {
            return session.channel_failure(ch);
        }
        let (c, r) = clamp_size(cols, rows);
        let term: String = term
            .chars()
            .filter(|c| c.is_ascii_graphic())
            .take(64)
            .collect();
        self.pty = Some((term, c, r));
        session.channel_success(ch)
    }

    async fn shell_request(
        &mut self,
        ch: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if !self.ours(ch) || self.input.is_some() {
            return session.channel_failure(ch);
        }
        let (Some((term, c, r)), Some(actor), Some(channel)) =
            (self.pty.clone(), self.actor.clone(), self.channel.take())
        else {
            return refuse_with_reason(
                session,
                ch,
                "the editor needs a terminal: connect with `ssh -t` (no command)",
            );
        };
        session.channel_success(ch)?;
        let (tx, rx) = mpsc::channel(IN_QUEUE);
        self.input = Some(tx);
        let (size_tx, sizes) = watch::channel((c, r));
        self.size = Some(size_tx);
        let start = Start {
            actor,
            key: self.key.clone(),
            term,
            size: (c, r),
            sizes,
            rate: self.rate,
            esc_leaves: false,
        };
        let handle = session.handle();
        tokio::spawn(supervise(
            self.shared.clone(),
            handle,
            ch,
            channel,
            start,
            rx,
        ));
        Ok(())
    }

    async fn exec_request(
        &mut self,
        ch: ChannelId,
        _data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        refuse_with_reason(
            session,
            ch,
            "commands are not run here; connect with plain `ssh -t`",
        )
    }

    async fn subsystem_request(
        &mut self,
        ch: ChannelId,
        _name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        refuse(session, ch, "no subsystems (sftp) here")
    }

    async fn x11_request(
        &mut self,
        ch: ChannelId,
        _single: bool,
        _proto: &str,
        _cookie: &str,
        _screen: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(ch)
    }

    async fn agent_request(
        &mut self,
        _ch: ChannelId,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        Ok(false)
    }

    async fn tcpip_forward(
        &mut self,
        _address: &str,
        _port: &mut u32,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        Ok(false)
    }

    async fn window_change_request(
        &mut self,
        ch: ChannelId,
        cols: u32,
        rows: u32,
        _pw: u32,
        _ph: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        let (c, r) = clamp_size(cols, rows);
        if let (true, Some(tx)) = (self.ours(ch), &self.size) {
            tx.send_replace((c, r));
        } else if let Some(p) = &mut self.pty {
            (p.1, p.2) = (c, r);
        }
        Ok(())
    }

    async fn data(
        &mut self,
        ch: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let (true, Some(tx)) = (self.ours(ch), &self.input) {
            // Waits when the session is behind: back-pressure on this connection only.
            let _ = tx.send(Input::Data(data.to_vec())).await;
        }
        Ok(())
    }

    async fn channel_eof(
        &mut self,
        ch: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let (true, Some(tx)) = (self.ours(ch), &self.input) {
            let _ = tx.send(Input::Close).await;
        }
        Ok(())
    }

    async fn channel_close(
        &mut self,
        ch: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if let (true, Some(tx)) = (self.ours(ch), &self.input) {
            let _ = tx.try_send(Input::Close);
        }
        Ok(())
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        if let Some(tx) = &self.input {
            let _ = tx.try_send(Input::Close);
        }
    }
}

/// A `Write` for ratatui: bytes collect until `flush`, which queues them as one frame for the
/// channel's writer task. A full queue drops the frame and owes a full redraw, so a slow
/// client never holds anybody up.
pub struct ChanWriter {
    buf: Vec<u8>,
    tx: mpsc::Sender<Vec<u8>>,
    lost: Arc<AtomicBool>,
    /// While set, `flush` keeps the bytes for the next flush (see [`Hold`]).
    hold: Arc<AtomicBool>,
}

/// Holds a [`ChanWriter`]'s flushes back while it lives.
struct Hold<'a>(&'a AtomicBool);

impl<'a> Hold<'a> {
    fn new(flag: &'a AtomicBool) -> Self {
        flag.store(true, Ordering::Relaxed);
        Hold(flag)
    }
}

impl Drop for Hold<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Relaxed);
    }
}

impl Write for ChanWriter {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() || self.hold.load(Ordering::Relaxed) {
            return Ok(());
        }
        let frame = std::mem::take(&mut self.buf);
        match self.tx.try_send(frame) {
            Ok(()) => Ok(()),
            Err(mpsc::error::TrySendError::Full(_)) => {
                self.lost.store(true, Ordering::SeqCst);
                Ok(())
            }
            Err(mpsc::error::TrySendError::Closed(_)) => {
                Err(io::Error::new(io::ErrorKind::BrokenPipe, "client gone"))
            }
        }
    }
}

/// ratatui's backend for a channel: crossterm's escape sequences into a [`ChanWriter`], with
/// the client's window size (never the server's own terminal).
pub struct ChanBackend {
    inner: CrosstermBackend<ChanWriter>,
    size: Size,
    cursor: Position,
    /// The writer's hold (see [`Hold`]).
    hold: Arc<AtomicBool>,
}

impl Backend for ChanBackend {
    type Error = io::Error;
    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        self.inner.draw(content)
    }
    // The cursor's commands are held, not flushed one by one: the frame's last flush sends
    // them with its cells, one write (one SSH packet where it fits) per frame.
    fn hide_cursor(&mut self) -> io::Result<()> {
        let _held = Hold::new(&self.hold);
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> io::Result<()> {
        let _held = Hold::new(&self.hold);
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(self.cursor)
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.cursor = position.into();
        let _held = Hold::new(&self.hold);
        self.inner.set_cursor_position(self.cursor)
    }
    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }
    fn size(&self) -> io::Result<Size> {
        Ok(self.size)
    }
    fn window_size(&mut self) -> io::Result<WindowSize> {
        Ok(WindowSize {
            columns_rows: self.size,
            pixels: Size::new(0, 0),
        })
    }
    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

/// Terminal set-up for a session. It starts by resetting the modes a session sets, because a
/// terminal that reconnects after the server was killed (no restore was ever sent) may still
/// be in the alternate screen with mouse reporting and bracketed paste on; then it enters the
/// alternate screen afresh.
fn setup_bytes() -> Vec<u8> {
    let mut v = Vec::new();
    let _ = queue!(
        v,
        DisableMouseCapture,
        DisableBracketedPaste,
        SetAttribute(Attribute::Reset),
        cursor::Show,
        LeaveAlternateScreen,
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste,
        cursor::Hide
    );
    v
}

/// Terminal restore for a session, with a last line for the person.
fn restore_bytes(msg: &str) -> Vec<u8> {
    let mut v = Vec::new();
    let _ = queue!(
        v,
        DisableBracketedPaste,
        DisableMouseCapture,
        cursor::Show,
        LeaveAlternateScreen
    );
    if !msg.is_empty() {
        v.extend_from_slice(format!("microcred: {msg}\r\n").as_bytes());
    }
    v
}

/// A theme for the client's TERM: monochrome where it cannot show colour.
pub(super) fn theme_for(term: &str) -> Theme {
    let mono = matches!(
        term,
        "" | "dumb" | "vt100" | "vt102" | "vt220" | "ansi-mono"
    );
    Theme {
        kind: if mono {
            ThemeKind::Mono
        } else {
            ThemeKind::Default
        },
    }
}

/// What a session starts from: who, their terminal, and their allowance of changes.
pub(super) struct Start {
    pub(super) actor: Actor,
    /// The fingerprint of the key they connected with.
    pub(super) key: Option<String>,
    pub(super) term: String,
    pub(super) size: (u16, u16),
    /// The window's size as it changes.
    pub(super) sizes: watch::Receiver<(u16, u16)>,
    pub(super) rate: Rate,
    /// Esc on the editor's main screen leaves it, as `q` does (a credential opened from a
    /// served portfolio goes back to the portfolio).
    pub(super) esc_leaves: bool,
}

/// Run a session and, whatever happens to it (a panic too), restore the client's terminal
/// and close the channel.
async fn supervise(
    shared: Arc<Shared>,
    handle: Handle,
    ch: ChannelId,
    write: ChannelWriteHalf<Msg>,
    start: Start,
    rx: mpsc::Receiver<Input>,
) {
    let actor = start.actor.clone();
    let id = shared.join(&actor.name);
    let (otx, mut orx) = mpsc::channel::<Vec<u8>>(OUT_FRAMES);
    let writer = tokio::spawn(async move {
        while let Some(frame) = orx.recv().await {
            // Waits for the client's window: flow control for this client only.
            if write.data(&frame[..]).await.is_err() {
                break;
            }
        }
    });
    let task = match shared.portfolio.get() {
        Some(p) => tokio::spawn(super::portfolio_session::session(
            shared.clone(),
            p.clone(),
            start,
            rx,
            otx,
        )),
        None => tokio::spawn(run(shared.clone(), start, rx, otx)),
    };
    let msg = match task.await {
        Ok(Ok(msg)) => msg,
        Ok(Err(e)) => format!("session ended: {e}"),
        Err(_) => "session ended by an internal error; your changes so far are kept".into(),
    };
    shared.leave(id);
    shared.log(&format!("{} disconnected", actor.name));
    // The writer may be stuck on a frozen client: give it a moment, then go around it.
    let _ = tokio::time::timeout(Duration::from_secs(2), writer).await;
    let _ = handle.data(ch, restore_bytes(&msg)).await;
    let _ = handle.exit_status_request(ch, 0).await;
    let _ = handle.eof(ch).await;
    let _ = handle.close(ch).await;
}

/// A gate for `who`'s changes: each takes one from their allowance (shared by all their
/// connections); past it the change is refused and nothing is done.
fn change_gate(shared: Arc<Shared>, who: String, rate: Rate) -> ChangeGate {
    Box::new(move || {
        if shared.take_change(&who, rate) {
            Ok(())
        } else {
            Err("too many changes at once; wait a moment".into())
        }
    })
}

/// The session loop: input, hub versions, presence and shutdown in; frames out.
pub(super) async fn run(
    shared: Arc<Shared>,
    start: Start,
    mut rx: mpsc::Receiver<Input>,
    otx: mpsc::Sender<Vec<u8>>,
) -> io::Result<String> {
    let Start {
        actor,
        key,
        term,
        size,
        mut sizes,
        rate,
        esc_leaves,
    } = start;
    let who = actor.name.clone();
    let mut app = App::with_hub(shared.hub.clone(), actor).with_session(SessionOptions {
        key,
        change_gate: Some(change_gate(shared.clone(), who, rate)),
        autosaved: true,
    });
    app.theme = theme_for(&term);
    app.size = size;
    app.welcome_partner();
    if let Some(text) = shared.notice() {
        app.info(text);
    }
    let mut presence = shared.presence.subscribe();
    app.presence = presence.borrow_and_update().clone();
    let mut versions = shared.version.subscribe();
    let mut shutdown = shared.shutdown.subscribe();
    let (_place, mut handoffs) = super::handoff::register(&shared, &app.actor);
    let lost = Arc::new(AtomicBool::new(false));
    let mut terminal = channel_terminal(&otx, &lost, size)?;
    let mut decoder = Decoder::new();
    // Each pane's last drawing: a change others make redraws only the panes it changes.
    let mut panes = view::FrameCache::new();
    // What the client shows: frames send only the parts that changed on it.
    let mut screen = super::screen::ServedScreen::new();
    let mut tick = tokio::time::interval(Duration::from_millis(250));
    let mut dirty = true;
    // Other people's changes are shown at most once per `remote` (REMOTE_FRAME, longer in a
    // full room: see `pace`): under a burst of edits a session redraws once for several
    // versions instead of once for each.
    let _drawing = shared.frames.join();
    let mut remote = shared.frames.interval();
    let mut behind = false;
    let mut shown = tokio::time::Instant::now();
    let mut drawn = tokio::time::Instant::now();
    // A size change waiting to be applied, at most one per REMOTE_FRAME (the latest size).
    let mut resize = false;
    let mut resized = tokio::time::Instant::now();
    let mut sizes_open = true;
    loop {
        if resize && resized.elapsed() >= REMOTE_FRAME {
            resize = false;
            resized = tokio::time::Instant::now();
            let (c, r) = *sizes.borrow_and_update();
            resize_terminal(&mut terminal, (c, r))?;
            screen.forget(&mut panes);
            let _ = handle_event(&shared, &mut app, Event::Resize(c, r));
            shared.sizes_applied.fetch_add(1, Ordering::Relaxed);
            dirty = true;
        }
        if lost.load(Ordering::SeqCst) && otx.capacity() > 0 {
            lost.store(false, Ordering::SeqCst);
            terminal.clear()?;
            screen.forget(&mut panes);
            dirty = true;
        }
        if behind && shown.elapsed() >= remote {
            behind = false;
            shown = tokio::time::Instant::now();
            dirty |= app.sync();
        }
        if dirty {
            let t = std::time::Instant::now();
            let hits = screen.draw(&mut terminal, &app, &mut panes)?;
            shared.frames.drew(t.elapsed());
            app.hits = Some(hits);
            dirty = false;
            drawn = tokio::time::Instant::now();
        }
        if !behind {
            remote = shared.frames.interval();
        }
        if let Some(msg) = shutdown.borrow().clone() {
            return Ok(msg);
        }
        tokio::select! {
            input = rx.recv() => {
                let events = match input {
                    None | Some(Input::Close) => return Ok(String::new()),
                    Some(Input::Data(bytes)) => decoder.feed_counted(&bytes),
                };
                // An edit waits for the journal's disk flush (and `s` for a save): let the
                // runtime move the other sessions off this thread meanwhile.
                let end = blocking(|| {
                    events.into_iter().find_map(|(ev, left_out)| match ev {
                        // A paste cut short by the decoder: the message counts what was cut.
                        Event::Paste(text) if left_out > 0 => {
                            app.paste_cut(&text, left_out);
                            None
                        }
                        ev if esc_leaves && crate::tui::app::leaves_on_esc(&app, &ev) => {
                            let effect = app.run(crate::tui::keys::Cmd::Quit);
                            carry_out(&shared, &mut app, effect)
                        }
                        ev => handle_event(&shared, &mut app, ev),
                    })
                });
                if let Some(msg) = end {
                    return Ok(msg);
                }
                shared.publish();
                dirty = true;
            }
            r = versions.changed() => {
                if r.is_err() {
                    return Ok("the server stopped".into());
                }
                behind = true;
            }
            _ = tokio::time::sleep_until(shown + remote), if behind => {}
            r = sizes.changed(), if sizes_open && !resize => match r {
                Ok(()) => resize = true,
                Err(_) => sizes_open = false,
            },
            _ = tokio::time::sleep_until(resized + REMOTE_FRAME), if resize => {}
            r = presence.changed() => {
                if r.is_ok() {
                    app.presence = presence.borrow_and_update().clone();
                    dirty = true;
                }
            }
            _ = shutdown.changed() => {}
            Some(h) = handoffs.recv() => {
                // A change from the command line, made as this session's (`u` undoes it).
                blocking(|| h.answer_with(|who, op| app.take_handoff(who, op)));
                shared.publish();
                dirty = true;
            }
            _ = tick.tick() => {
                dirty |= app.sync();
            }
            // Idle work (an unfinished search) runs to its end without waiting for input, as
            // in the local editor; yielding between steps lets the other sessions run.
            _ = tokio::task::yield_now(), if app.busy() => {
                dirty |= blocking(|| idle_step(&mut app, drawn));
            }
        }
    }
}

/// One step of `app`'s idle work; true when the screen should be redrawn: when the work is
/// done, or at most once per [`REMOTE_FRAME`] (since `drawn`) while it goes on.
fn idle_step(app: &mut App, drawn: tokio::time::Instant) -> bool {
    app.idle() && (!app.busy() || drawn.elapsed() >= REMOTE_FRAME)
}

/// Run `f`, which may block on the disk, without stalling the other tasks of this worker
/// thread (on a multi-threaded runtime; elsewhere it just runs).
fn blocking<T>(f: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current().map(|h| h.runtime_flavor()) {
        Ok(tokio::runtime::RuntimeFlavor::MultiThread) => tokio::task::block_in_place(f),
        _ => f(),
    }
}

/// The server's rules for a session's effects: the design is saved to the server's own file
/// only, and only designers export.
struct ServerHost<'a>(&'a Shared);

impl crate::tui::Host for ServerHost<'_> {
    fn save(&mut self, app: &App, path: &Path) -> Result<PathBuf, String> {
        if Some(path) == app.path.as_deref() {
            self.0.hub.save(None).map_err(|e| e.to_string())
        } else {
            Err("the server saves this design to its own file".into())
        }
    }

    fn may_export(&self, app: &App) -> Result<(), String> {
        if app.actor.role == crate::edit::Role::Designer {
            Ok(())
        } else {
            Err("only designers export".into())
        }
    }

    fn may_read_files(&self, _app: &App) -> Result<(), String> {
        Err("over SSH the editor does not read files on the server; add postings there with `microcred evidence add WORKSPACE FILE...`: the server takes them into this design at once".into())
    }
}

/// Handle one event and its effects; `Some(message)` ends the session.
fn handle_event(shared: &Shared, app: &mut App, ev: Event) -> Option<String> {
    let effect = app.handle(ev);
    carry_out(shared, app, effect)
}

/// Carry out `effect` with the server's rules; `Some(message)` ends the session.
fn carry_out(
    shared: &Shared,
    app: &mut App,
    effect: Option<crate::tui::app::Effect>,
) -> Option<String> {
    crate::tui::carry_out(app, effect, &mut ServerHost(shared))
        .then(|| "bye; your changes are saved by the server".into())
}

/// A terminal on a session's channel for a view of its own (a served portfolio's): frames
/// go to `otx` as [`ChanWriter`]s send them, and `lost` is set when one is dropped.
pub(super) fn channel_terminal(
    otx: &mpsc::Sender<Vec<u8>>,
    lost: &Arc<AtomicBool>,
    size: (u16, u16),
) -> io::Result<Terminal<ChanBackend>> {
    let hold = Arc::new(AtomicBool::new(false));
    let mut writer = ChanWriter {
        buf: Vec::new(),
        tx: otx.clone(),
        lost: lost.clone(),
        hold: hold.clone(),
    };
    writer.write_all(&setup_bytes())?;
    writer.flush()?;
    let backend = ChanBackend {
        inner: CrosstermBackend::new(writer),
        size: Size::new(size.0, size.1),
        cursor: Position::new(0, 0),
        hold,
    };
    let mut terminal = Terminal::with_options(
        backend,
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, size.0, size.1)),
        },
    )?;
    terminal.clear()?;
    Ok(terminal)
}

/// Give `terminal` (from [`channel_terminal`]) the client's new window size.
pub(super) fn resize_terminal(
    terminal: &mut Terminal<ChanBackend>,
    (c, r): (u16, u16),
) -> io::Result<()> {
    terminal.backend_mut().size = Size::new(c, r);
    terminal.resize(Rect::new(0, 0, c, r))
}

/// A peer address for the log ("an unknown address" when the transport gave none).
fn peer_text(peer: Option<std::net::SocketAddr>) -> String {
    peer.map_or_else(|| "an unknown address".into(), |p| p.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_is_one_write_with_or_without_a_cursor() {
        let (tx, mut rx) = mpsc::channel(OUT_FRAMES);
        let lost = Arc::new(AtomicBool::new(false));
        let mut terminal = channel_terminal(&tx, &lost, (20, 4)).expect("terminal");
        // The set-up and the first clearing.
        while rx.try_recv().is_ok() {}
        terminal
            .draw(|f| f.render_widget(ratatui::widgets::Paragraph::new("hello"), f.area()))
            .expect("drawn");
        let frame = rx.try_recv().expect("a frame");
        assert!(String::from_utf8_lossy(&frame).contains("hello"));
        assert!(rx.try_recv().is_err(), "one write for the frame");
        // A form shows the cursor: its position goes with the frame, not after it.
        terminal
            .draw(|f| {
                f.render_widget(ratatui::widgets::Paragraph::new("typed"), f.area());
                f.set_cursor_position(Position::new(5, 0));
            })
            .expect("drawn");
        let frame = String::from_utf8_lossy(&rx.try_recv().expect("a frame")).into_owned();
        assert!(frame.contains("typed"), "{frame:?}");
        // Show the cursor, then move it to row 1, column 6 (1-based).
        assert!(frame.ends_with("\u{1b}[?25h\u{1b}[1;6H"), "{frame:?}");
        assert!(rx.try_recv().is_err(), "one write for the frame");
    }

    #[test]
    fn sizes_are_clamped_and_zero_is_survivable() {
        assert_eq!(clamp_size(0, 0), (80, 24));
        assert_eq!(clamp_size(100_000, 100_000), MAX_SIZE);
        assert_eq!(clamp_size(80, 24), (80, 24));
    }
}

//! The co-design TUI: needs, mappings, competency details and live gap panes.
//!
//! `App` holds one session's state and handles events ([`app`]); [`view`] draws it; [`keys`]
//! is the single keymap; [`layout`] places panes. The runner below owns the terminal.

pub mod app;
pub mod awaiting;
pub mod demand;
pub mod finder;
pub mod form;
pub mod history;
pub mod keys;
pub mod layout;
pub mod portfolio;
pub mod portfolio_run;
pub mod postings_job;
pub mod text;
pub mod theme;
pub mod view;
pub mod vote;
pub mod wrap;

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use ratatui::backend::CrosstermBackend;

use crate::document::hub::Hub;
use crate::edit::Actor;
use crate::store;
use app::{App, Effect};

/// The name a local session acts under (and signs its comments with): the setting
/// `MICROCRED_NAME`, else git's `user.name` (in the workspace's folder, `dir`), else the login
/// name `USER`, else "designer".
pub fn local_actor(dir: Option<&Path>) -> Actor {
    let git = || store::git::user_name(dir.unwrap_or_else(|| Path::new(".")));
    Actor::designer(&local_name(
        std::env::var("MICROCRED_NAME").ok(),
        git,
        std::env::var("USER").ok(),
    ))
}

/// The first of `setting`, `git()` (asked only when needed) and `user` that is not blank,
/// cleaned of control characters and cut to the name limit; else "designer".
pub fn local_name(
    setting: Option<String>,
    git: impl FnOnce() -> Option<String>,
    user: Option<String>,
) -> String {
    let clean = |s: String| crate::text::names::person_name(&s, crate::limits::NAME);
    setting
        .and_then(clean)
        .or_else(|| git().and_then(clean))
        .or_else(|| user.and_then(clean))
        .unwrap_or_else(|| "designer".into())
}

/// How the editor looks and which keys it uses.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Monochrome, whatever NO_COLOR says.
    pub no_color: bool,
    pub keymap: keys::Keymap,
}

/// The signals that end a local session cleanly: the journal is flushed and the terminal
/// restored (a closed terminal sends SIGHUP; `kill` sends SIGTERM).
pub const STOP_SIGNALS: [i32; 3] = [
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGINT,
];

/// A terminal that went away (a closed window, a dropped connection) can leave the input
/// reader spinning on end-of-file without the hang-up signal reaching us. Every applied change
/// is already in the journal, so when the process has no controlling terminal any more, end it.
pub(crate) fn watch_for_hangup() {
    let had_tty = std::fs::File::open("/dev/tty").is_ok();
    if !had_tty {
        return;
    }
    std::thread::spawn(|| {
        loop {
            std::thread::sleep(Duration::from_millis(500));
            if std::fs::File::open("/dev/tty").is_err() {
                // stderr is most likely that terminal: a failed write is no reason to panic
                // (`eprintln!` would, and the panic hook's own message then aborted).
                say_if_heard(
                    "microcred: the terminal went away; unsaved changes are kept in the journal",
                );
                std::process::exit(1);
            }
        }
    });
}

/// Writes `message` and a newline to stderr, ignoring a failure (a terminal that went away).
pub(crate) fn say_if_heard(message: &str) {
    let _ = writeln!(io::stderr().lock(), "{message}");
}

/// Restores the terminal, saying nothing when it is gone: `ratatui::restore` reports a failure
/// with `eprintln!`, which panics when stderr is that terminal.
pub(crate) fn restore_terminal() {
    let _ = ratatui::try_restore();
}

/// Name of a stop signal, for messages.
fn signal_name(sig: usize) -> &'static str {
    match sig as i32 {
        signal_hook::consts::SIGTERM => "SIGTERM",
        signal_hook::consts::SIGHUP => "SIGHUP",
        signal_hook::consts::SIGINT => "SIGINT",
        _ => "a signal",
    }
}

/// Run the TUI over `hub` until the user quits or a stop signal arrives; `message` is shown
/// in the status bar first; `recovery`, unsaved changes an earlier session left in the
/// journal, is offered in a dialog before anything else.
pub fn run_with(
    hub: Arc<Hub>,
    message: Option<String>,
    recovery: Option<crate::document::journal::Found>,
    options: Options,
) -> io::Result<()> {
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        return Err(io::Error::other(
            "the editor needs a terminal; in scripts use `microcred check`, `validate` or `fmt`",
        ));
    }
    hub.prepare_in_background();
    let stop = stop_signals()?;
    let mut app = session_app(hub, message, recovery, options);
    watch_for_hangup();
    let mut terminal = init_terminal()?;
    execute!(io::stdout(), EnableMouseCapture, EnableBracketedPaste)?;
    let result = drive(&mut terminal, &mut app, &stop, false);
    let _ = app.hub.flush_journal();
    let _ = execute!(io::stdout(), DisableMouseCapture, DisableBracketedPaste);
    restore_terminal();
    result
}

/// Bytes of a frame gathered before they are written: the frame of an edit at 200×60 is 4–5 kB,
/// a whole screen redrawn a few times that. (Rust's stdout alone writes every KiB, so a frame
/// went out in pieces, each waking the terminal.)
const FRAME_BUFFER: usize = 1 << 16;

/// The local editor's terminal: each frame reaches it in one write, when it is done.
pub(crate) type LocalTerminal = ratatui::Terminal<CrosstermBackend<BufWriter<io::Stdout>>>;

/// A backend over `out` that writes each frame at once (ratatui flushes after every frame).
fn frame_backend<W: Write>(out: W) -> CrosstermBackend<BufWriter<W>> {
    CrosstermBackend::new(BufWriter::with_capacity(FRAME_BUFFER, out))
}

/// The terminal set up as `ratatui::init` does (raw mode, the alternate screen, a panic hook
/// that restores it), drawn through [`frame_backend`].
pub(crate) fn init_terminal() -> io::Result<LocalTerminal> {
    drop(ratatui::try_init()?);
    ratatui::Terminal::new(frame_backend(io::stdout()))
}

/// Register the stop signals: the first one asks the loop to end (the number of the signal is
/// put in the returned flag); a second one, if the loop is stuck, takes the default action
/// (the journal is already on disk either way).
pub(crate) fn stop_signals() -> io::Result<Arc<AtomicUsize>> {
    let stop = Arc::new(AtomicUsize::new(0));
    let stopping = Arc::new(AtomicBool::new(false));
    for sig in STOP_SIGNALS {
        signal_hook::flag::register_conditional_default(sig, stopping.clone())?;
        signal_hook::flag::register(sig, stopping.clone())?;
        signal_hook::flag::register_usize(sig, stop.clone(), sig as usize)?;
    }
    Ok(stop)
}

/// A local session's `App` over `hub`: named after the local user, with `message` in the
/// status bar and `recovery` offered first.
pub(crate) fn session_app(
    hub: Arc<Hub>,
    message: Option<String>,
    recovery: Option<crate::document::journal::Found>,
    options: Options,
) -> App {
    let dir = hub
        .snapshot()
        .path
        .and_then(|p| p.parent().map(Path::to_path_buf));
    let mut app = App::with_hub(
        hub,
        local_actor(dir.as_deref().filter(|d| !d.as_os_str().is_empty())),
    );
    app.keymap = Arc::new(options.keymap);
    app.greet();
    if let Some(text) = message {
        app.info(text);
    }
    if let Some(found) = recovery {
        let effect = app.offer_recovery(found);
        carry_out(&mut app, effect, &mut LocalHost);
    }
    if options.no_color {
        app.theme = theme::Theme {
            kind: theme::ThemeKind::Mono,
        };
    }
    app
}

/// Draw `app` and handle its events on `terminal` until it quits (`Ok`) or a stop signal is
/// put in `stop` (an error saying what became of the unsaved changes). With `esc_quits` (a
/// design opened from the portfolio view), Esc on the main screen quits as `q` does.
pub(crate) fn drive(
    terminal: &mut LocalTerminal,
    app: &mut App,
    stop: &AtomicUsize,
    esc_quits: bool,
) -> io::Result<()> {
    // Changes from the command line (`evidence add`) reach the design while it is open here.
    let handoff = crate::document::handoff::listen(&app.hub).ok();
    let size = terminal.size()?;
    app.size = (size.width, size.height);
    let mut redraw = true;
    loop {
        let sig = stop.load(Ordering::SeqCst);
        if sig != 0 {
            return Err(io::Error::other(stopped_message(app, sig)));
        }
        if let Some((_, inbox)) = &handoff {
            redraw |= app.take_handoffs(inbox);
        }
        if redraw {
            // The terminal may have been resized after the last Resize event was read:
            // lay out for the size the frame has (a stale size drew out of bounds).
            if let Ok(size) = terminal.size() {
                app.size = (size.width, size.height);
            }
            let mut hits = None;
            terminal.draw(|f| {
                // The frame has the terminal's size now, which may be newer than the last
                // resize event read: lay out for the frame, or a pane runs off its edge.
                let area = f.area();
                app.size = (area.width, area.height);
                hits = Some(view::render(f, app));
            })?;
            app.hits = hits;
        }
        let wait = if app.busy() { 0 } else { 100 };
        if !event::poll(Duration::from_millis(wait))? {
            // Idle: finish an unfinished search; redraw only when something changed.
            let synced = app.sync();
            redraw = app.idle() || synced;
            continue;
        }
        redraw = true;
        // Every event already waiting is handled before the next frame: a paste without
        // bracketed paste comes as a key per character, and a frame for each froze the
        // screen (200 KB: 61 s).
        let first = event::read()?;
        let ready = ready_events(first, MAX_EVENTS_PER_FRAME, || {
            // Not `Duration::ZERO`: crossterm's /dev/tty source reads nothing new when
            // given no time at all, so only the first key of a paste would be handled
            // per frame (2 ms a character at 120x40).
            if event::poll(READY_WAIT)? {
                event::read().map(Some)
            } else {
                Ok(None)
            }
        })?;
        for ev in ready {
            let effect = if esc_quits && app::leaves_on_esc(app, &ev) {
                app.run(keys::Cmd::Quit)
            } else {
                app.handle(ev)
            };
            if carry_out(app, effect, &mut LocalHost) {
                return Ok(());
            }
        }
    }
}

/// Most events handled between two frames (a frame still comes at least this often).
const MAX_EVENTS_PER_FRAME: usize = 4096;

/// How long to look for a further event already on its way before drawing: long enough for
/// the terminal source to read what the kernel holds, far too short for a person to notice.
const READY_WAIT: Duration = Duration::from_micros(50);

/// `first` and the events `next` has ready after it, at most `max` in all: what is handled
/// before the next frame.
fn ready_events<E>(
    first: E,
    max: usize,
    mut next: impl FnMut() -> io::Result<Option<E>>,
) -> io::Result<Vec<E>> {
    let mut out = vec![first];
    while out.len() < max {
        match next()? {
            Some(e) => out.push(e),
            None => break,
        }
    }
    Ok(out)
}

/// What the editor and the server do differently when they carry out a session's effects.
pub trait Host {
    /// Save the document to `path` (the path the user chose; the document's own or another).
    fn save(&mut self, app: &App, path: &Path) -> Result<PathBuf, String>;
    /// `Ok` when this session may export; else why not.
    fn may_export(&self, app: &App) -> Result<(), String>;
    /// `Ok` when this session may read files of the machine it runs on (job postings);
    /// else why not.
    fn may_read_files(&self, app: &App) -> Result<(), String>;
}

/// The local editor: saves wherever the user says, and anyone at the keyboard may export.
struct LocalHost;

impl Host for LocalHost {
    fn save(&mut self, app: &App, path: &Path) -> Result<PathBuf, String> {
        app.hub.save(Some(path)).map_err(|e| e.to_string())
    }

    fn may_export(&self, _app: &App) -> Result<(), String> {
        Ok(())
    }

    fn may_read_files(&self, _app: &App) -> Result<(), String> {
        Ok(())
    }
}

/// Carry out `effect` (from [`App::handle`]) and every effect it leads to, with what differs
/// between the editor and the server left to `host`. True when the session asked to quit.
pub fn carry_out(app: &mut App, mut effect: Option<Effect>, host: &mut impl Host) -> bool {
    while let Some(e) = effect.take() {
        match e {
            Effect::Quit => return true,
            Effect::Save(p) => {
                let r = host.save(app, &p);
                effect = app.saved(r);
            }
            Effect::Export(formats) => {
                let r = host
                    .may_export(app)
                    .and_then(|()| app.export_files(&formats))
                    .and_then(|files| {
                        // Every name is checked before any is written: a refused one (a link
                        // planted beside the design) leaves all of them as they were.
                        for (p, _) in &files {
                            store::check_output(p).map_err(|e| e.to_string())?;
                        }
                        files
                            .into_iter()
                            .map(|(p, bytes)| {
                                store::write_output(&p, &bytes)
                                    .map(|()| p)
                                    .map_err(|e| e.to_string())
                            })
                            .collect::<Result<Vec<_>, _>>()
                    });
                app.exported(r);
            }
            Effect::AddPostings(req) => match host.may_read_files(app) {
                Ok(()) => app.start_postings(req),
                Err(why) => app.error(why),
            },
            Effect::ReadHistory(p) => app.start_history(&p),
            Effect::DiscardAndQuit => {
                if let Err(e) = app.hub.discard_journal() {
                    app.error(format!("The journal could not be removed: {e}"));
                }
                return true;
            }
            Effect::Recover(found, how) => {
                use app::{Recovered, Recovery};
                let hub = app.hub.clone();
                let result = match how {
                    Recovery::IntoDocument => {
                        let (n, problems) = hub.recover(&found);
                        Ok(Recovered::Into(n, problems))
                    }
                    Recovery::IntoCopy => hub
                        .recover_into_copy(&found)
                        .map(|(n, problems, copy)| Recovered::Copy(n, problems, copy)),
                    Recovery::Discard | Recovery::DiscardNoOp => {
                        hub.discard_journal().map(|()| Recovered::Discarded)
                    }
                };
                app.recovered(&found, how, result.map_err(|e| e.to_string()));
            }
        }
    }
    false
}

/// What to tell the user after a stop signal.
fn stopped_message(app: &App, sig: usize) -> String {
    let _ = app.hub.flush_journal();
    let snap = app.hub.snapshot();
    let kept = match (&snap.path, snap.dirty) {
        (Some(p), true) => format!(
            "; the unsaved changes are in the journal {} — open {} again to recover them",
            crate::document::journal::path_for(p).display(),
            p.display()
        ),
        (None, true) => "; the untitled design had never been saved, so it is lost".into(),
        (_, false) => "; nothing was unsaved".into(),
    };
    format!("stopped by {}{kept}", signal_name(sig))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_local_name_comes_from_the_setting_then_git_then_the_login() {
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            local_name(some("Ada Lovelace"), || panic!("not asked"), some("ada")),
            "Ada Lovelace"
        );
        assert_eq!(
            local_name(None, || some("Dee Designer"), some("dee")),
            "Dee Designer"
        );
        assert_eq!(
            local_name(some("  "), || some(" \u{1b}[31m"), some("dee")),
            "[31m"
        );
        assert_eq!(local_name(None, || None, some("dee")), "dee");
        assert_eq!(local_name(None, || None, None), "designer");
    }

    /// A frame of the editor at 200×60 reaches the terminal in one write, the first frame
    /// (the whole screen) and an edit's (without the buffer: a write per KiB).
    #[test]
    fn a_frame_reaches_the_terminal_in_one_write() {
        struct Writes(Arc<std::sync::Mutex<Vec<usize>>>);
        impl Write for Writes {
            fn write(&mut self, b: &[u8]) -> io::Result<usize> {
                self.0.lock().expect("not poisoned").push(b.len());
                Ok(b.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let writes = Arc::new(std::sync::Mutex::new(Vec::new()));
        let area = ratatui::layout::Rect::new(0, 0, 200, 60);
        let mut terminal = ratatui::Terminal::with_options(
            frame_backend(Writes(writes.clone())),
            ratatui::TerminalOptions {
                viewport: ratatui::Viewport::Fixed(area),
            },
        )
        .expect("a terminal");
        let cat = crate::catalog::Catalog::embedded().expect("the built-in frameworks");
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/retrofit-gaps.yaml");
        let ws = crate::document::load_workspace(&path, &cat)
            .expect("the example loads")
            .workspace;
        let mut app = App::new(ws, Arc::new(cat), None, Actor::designer("dee"));
        app.size = (200, 60);
        let mut frame = |app: &mut App| {
            writes.lock().expect("not poisoned").clear();
            terminal
                .draw(|f| {
                    app.hits = Some(view::render(f, app));
                })
                .expect("drawn");
            writes.lock().expect("not poisoned").clone()
        };
        let first = frame(&mut app);
        assert!(first.len() == 1 && first[0] > 4096, "{first:?}");
        app.handle(crossterm::event::Event::Key(
            crossterm::event::KeyEvent::from(crossterm::event::KeyCode::Char('j')),
        ));
        let next = frame(&mut app);
        assert!(next.len() == 1 && next[0] > 0, "{next:?}");
    }

    /// A 200,000-character paste without bracketed paste (a key event per character, all
    /// waiting at once) is handled in a frame per [`MAX_EVENTS_PER_FRAME`] events, not a frame
    /// per character.
    #[test]
    fn keys_waiting_at_once_share_a_frame() {
        let mut waiting = 200_000usize;
        let mut frames = 0;
        let mut handled = 0;
        while waiting > 0 {
            waiting -= 1;
            let batch = ready_events('x', MAX_EVENTS_PER_FRAME, || {
                Ok(waiting.checked_sub(1).map(|w| {
                    waiting = w;
                    'x'
                }))
            })
            .expect("no error");
            handled += batch.len();
            frames += 1;
        }
        assert_eq!(handled, 200_000);
        assert_eq!(frames, 200_000usize.div_ceil(MAX_EVENTS_PER_FRAME));
        // An event that comes alone is drawn at once.
        let one = ready_events('y', MAX_EVENTS_PER_FRAME, || Ok(None)).expect("no error");
        assert_eq!(one, ['y']);
    }
}

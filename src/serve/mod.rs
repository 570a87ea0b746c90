//! `microcred serve`: the co-design editor over SSH. Each connection runs its own
//! [`App`](crate::tui::app::App) over one shared [`Hub`]; see `docs/serve.md`.
//!
//! - [`people`]: PEOPLE.yaml, who may connect and as whom (identity from the key only).
//! - [`input`]: terminal input bytes to crossterm events.
//! - [`session`]: the russh handler and the per-connection session task.
//! - [`slots`]: the connections held, authenticated or not, and making room under a flood.
//! - [`admission`]: who may start to log in (an allowance per address, random early drop).
//! - [`refuse`]: telling a refused client why.
//! - [`rate`]: how fast each person may change the document.
//! - [`commit`]: `--commit`, committing the design file to git after saves.
//! - [`handoff`]: changes from the command line, given to a designer's session.
//! - [`portfolio`]: `serve PORTFOLIO.yaml`, the portfolio view with a hub per credential.
//! - [`malloc`]: the allocator settings the server runs with.
//! - [`pace`]: how often a session redraws for other people's changes in a full room.

pub mod admission;
pub mod autosave;
pub mod commit;
pub mod handoff;
pub mod input;
mod launch;
pub mod malloc;
pub mod pace;
pub mod people;
pub mod portfolio;
mod portfolio_session;
pub mod rate;
pub mod refuse;
pub mod screen;
pub mod session;
pub mod slots;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use russh::keys::{Algorithm, PrivateKey};
use russh::{MethodKind, MethodSet};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::document::{Busy, Hub, Leftover, OpenError};
use people::People;

/// Limits a server enforces; see `docs/serve.md`.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Connections at once, in total.
    pub max_connections: usize,
    /// Connections at once from one address that have not logged in yet (people who have
    /// logged in do not count: a room behind one address all get in).
    pub max_per_address: usize,
    /// Unauthenticated (half-open) connections at once, in total: the rest of
    /// `max_connections` is kept for people who have logged in.
    pub max_unauthenticated: usize,
    /// Time to authenticate after connecting.
    pub auth_timeout: Duration,
    /// A connection with no traffic for this long is closed.
    pub idle_timeout: Duration,
    /// Keepalive interval (three unanswered close the connection).
    pub keepalive: Duration,
    /// Delay before each authentication rejection.
    pub auth_rejection_delay: Duration,
    /// Authentication attempts per connection.
    pub max_auth_attempts: usize,
    /// Wait after a change before saving (changes in between join the same save).
    pub save_debounce: Duration,
    /// Changes one person may make at once over SSH (all their connections together).
    pub change_burst: u32,
    /// Changes per second one person may go on making after a burst.
    pub changes_per_second: u32,
    /// New connections per address, and random early drop under load.
    pub admission: admission::Rules,
    /// How often the log sums up the connections refused or closed before logging in.
    pub log_every: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 128,
            max_per_address: 32,
            max_unauthenticated: 64,
            auth_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(60 * 60),
            keepalive: Duration::from_secs(30),
            auth_rejection_delay: Duration::from_millis(500),
            max_auth_attempts: 3,
            save_debounce: Duration::from_secs(1),
            change_burst: 30,
            changes_per_second: 10,
            admission: admission::Rules::default(),
            log_every: admission::SUMMARY_EVERY,
        }
    }
}

/// State every connection shares.
pub struct Shared {
    /// The document owner.
    pub hub: Arc<Hub>,
    /// Who may connect.
    pub people: People,
    /// The hub version, published after each change so every session re-renders.
    pub version: watch::Sender<u64>,
    /// Names of the people connected, for the presence line.
    pub presence: watch::Sender<Vec<String>>,
    /// Set to a message when the server stops; sessions show it and close.
    pub shutdown: watch::Sender<Option<String>>,
    joined: Mutex<(u64, Vec<(u64, String)>)>,
    conns: Mutex<slots::Slots>,
    rates: Mutex<rate::Rates>,
    admission: Mutex<admission::Admission>,
    /// Shown in the status bar of every session when it opens (e.g. what was recovered).
    notice: Mutex<Option<String>>,
    quiet: bool,
    /// Window sizes applied by all sessions (each a resize and a full redraw): a flood of
    /// size changes is coalesced, so this grows far slower than the changes sent.
    pub sizes_applied: std::sync::atomic::AtomicU64,
    /// The sessions that take changes from the command line (see [`handoff`]).
    handoffs: Mutex<handoff::Inboxes>,
    /// Set when this server serves a portfolio: each session then opens its view (see
    /// [`portfolio`]).
    pub portfolio: std::sync::OnceLock<Arc<portfolio::Served>>,
    /// How many sessions draw and what their frames cost: how often each redraws for others'
    /// changes (see [`pace`]).
    pub frames: pace::Frames,
}

impl Shared {
    /// Shared state over `hub` for `people`.
    pub fn new(hub: Arc<Hub>, people: People, quiet: bool) -> Arc<Shared> {
        let v = hub.version();
        Arc::new(Shared {
            hub,
            people,
            version: watch::Sender::new(v),
            presence: watch::Sender::new(Vec::new()),
            shutdown: watch::Sender::new(None),
            joined: Mutex::new((0, Vec::new())),
            conns: Mutex::new(slots::Slots::default()),
            rates: Mutex::new(rate::Rates::default()),
            admission: Mutex::new(admission::Admission::new(
                admission::Rules::default(),
                std::time::Instant::now(),
            )),
            notice: Mutex::new(None),
            quiet,
            sizes_applied: std::sync::atomic::AtomicU64::new(0),
            handoffs: handoff::new_inboxes(),
            portfolio: std::sync::OnceLock::new(),
            frames: pace::Frames::default(),
        })
    }

    /// Show `msg` in the status bar of every session that opens from now on.
    pub fn set_notice(&self, msg: Option<String>) {
        *self.notice.lock().unwrap_or_else(|p| p.into_inner()) = msg;
    }

    /// The message a new session shows first, if any.
    pub fn notice(&self) -> Option<String> {
        self.notice
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Tell every session the hub's current version (no-op when unchanged).
    pub fn publish(&self) {
        let now = self.hub.version();
        self.version.send_if_modified(|v| {
            let changed = *v != now;
            *v = now;
            changed
        });
    }

    fn log(&self, msg: &str) {
        if !self.quiet {
            eprintln!("microcred serve: {msg}");
        }
    }

    fn join(&self, name: &str) -> u64 {
        let mut j = self.joined.lock().unwrap_or_else(|p| p.into_inner());
        j.0 += 1;
        let id = j.0;
        j.1.push((id, name.to_string()));
        self.send_presence(&j.1);
        id
    }

    fn leave(&self, id: u64) {
        let mut j = self.joined.lock().unwrap_or_else(|p| p.into_inner());
        j.1.retain(|(i, _)| *i != id);
        self.send_presence(&j.1);
    }

    fn send_presence(&self, list: &[(u64, String)]) {
        let mut names: Vec<String> = list.iter().map(|(_, n)| n.clone()).collect();
        names.sort();
        names.dedup();
        self.presence.send_replace(names);
    }

    /// Connections counted now: (unauthenticated, authenticated).
    pub fn connections(&self) -> (usize, usize) {
        self.slots().counts()
    }

    fn slots(&self) -> std::sync::MutexGuard<'_, slots::Slots> {
        self.conns.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn admission(&self) -> std::sync::MutexGuard<'_, admission::Admission> {
        self.admission.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Log what was refused or closed before logging in since the last summary, if anything.
    fn log_summary(&self) {
        let line = self.admission().summary(std::time::Instant::now());
        if let Some(line) = line {
            self.log(&line);
        }
    }

    /// May a new connection from `ip` start to log in, and may it make room? (See
    /// [`admission`].)
    fn decide(&self, ip: IpAddr) -> Result<bool, admission::Refusal> {
        let (unauthenticated, _) = self.slots().counts();
        let roll = rand::random::<f64>();
        self.admission()
            .decide(ip, unauthenticated, std::time::Instant::now(), roll)
    }

    /// Count a connection from `ip` whose socket `closer` is a second handle on, closing
    /// stale unauthenticated connections to make room; `Err` says which cap refused it.
    fn admit(
        self: &Arc<Self>,
        ip: IpAddr,
        closer: std::net::TcpStream,
        limits: &Limits,
        make_room: bool,
    ) -> Result<ConnGuard, &'static str> {
        let a = self.slots().admit(ip, closer, limits, make_room)?;
        // Summed up in the log once a minute (a line each was 22 MB in three minutes).
        self.admission().closed_for_room(a.closed);
        Ok(ConnGuard {
            shared: self.clone(),
            id: a.id,
        })
    }

    /// Count connection `id` as authenticated; false when it was closed meanwhile.
    fn promote(&self, id: u64) -> bool {
        let (ip, promoted) = {
            let mut slots = self.slots();
            (slots.ip(id), slots.promote(id))
        };
        if let (Some(ip), true) = (ip, promoted) {
            self.admission().logged_in(ip, std::time::Instant::now());
        }
        promoted
    }

    /// Take one change from `who`'s allowance; false when it is used up.
    fn take_change(&self, who: &str, rate: rate::Rate) -> bool {
        let mut r = self.rates.lock().unwrap_or_else(|p| p.into_inner());
        r.take(who, rate, std::time::Instant::now())
    }
}

/// Releases a counted connection when dropped.
struct ConnGuard {
    shared: Arc<Shared>,
    id: u64,
}

impl Drop for ConnGuard {
    fn drop(&mut self) {
        self.shared.slots().release(self.id);
    }
}

/// Largest host key file read (an OpenSSH ed25519 key is about 400 bytes, an RSA one 3 KiB).
const MAX_HOST_KEY_BYTES: u64 = 64 * 1024;

/// Load the host key at `path`, or make one (ed25519, file mode 0600) on first run. A key
/// file that others may read is used, with a warning on stderr (see [`host_key_warning`]).
pub fn host_key(path: &Path) -> Result<PrivateKey, String> {
    if std::fs::symlink_metadata(path).is_ok() {
        if let Some(w) = host_key_warning(path) {
            eprintln!("microcred serve: warning: {w}");
        }
        // A regular file of a key's size only: a FIFO would hang the start, a huge file would
        // be read whole.
        let text = crate::store::read_bytes(path, MAX_HOST_KEY_BYTES)
            .and_then(|b| crate::store::text_from_bytes(b, &path.display().to_string()))
            .map_err(|p| {
                format!(
                    "{p}; a host key is a small OpenSSH private key file: give another --host-key, or remove this one to have a new key made"
                )
            })?;
        return russh::keys::decode_secret_key(&text, None)
            .map_err(|e| format!("{}: cannot read the host key: {e}", path.display()));
    }
    let key = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519)
        .map_err(|e| format!("cannot make a host key: {e}"))?;
    let pem = key
        .to_openssh(russh::keys::ssh_key::LineEnding::LF)
        .map_err(|e| format!("cannot encode the host key: {e}"))?;
    write_private(path, pem.as_bytes())
        .map_err(|e| format!("{}: cannot write the host key: {e}", path.display()))?;
    Ok(key)
}

/// The host key's fingerprint as OpenSSH shows it (`SHA256:…`, what `ssh-keygen -lf` and the
/// first-connection question print), for the admin to send to everyone who connects.
pub fn fingerprint(key: &PrivateKey) -> String {
    key.public_key()
        .fingerprint(russh::keys::HashAlg::Sha256)
        .to_string()
}

/// What is wrong with the host key file at `path`, if group or others may read it (OpenSSH
/// refuses such private keys): its name, its mode and the fix.
pub fn host_key_warning(path: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            let p = path.display();
            return Some(format!(
                "{p}: the host key may be read by others (mode {mode:04o}), and whoever reads it can pretend to be this server; make it private: chmod 600 {p}"
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    None
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let mut f = o.open(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// The russh configuration for these limits and host key.
pub fn config(key: PrivateKey, limits: &Limits) -> russh::server::Config {
    let preferred = russh::Preferred {
        compression: std::borrow::Cow::Borrowed(&[russh::compression::NONE]),
        ..Default::default()
    };
    russh::server::Config {
        methods: MethodSet::from(&[MethodKind::PublicKey][..]),
        auth_rejection_time: limits.auth_rejection_delay,
        auth_rejection_time_initial: Some(Duration::from_millis(0)),
        keys: vec![key],
        max_auth_attempts: limits.max_auth_attempts,
        inactivity_timeout: Some(limits.idle_timeout),
        keepalive_interval: Some(limits.keepalive),
        keepalive_max: 3,
        nodelay: true,
        preferred,
        ..Default::default()
    }
}

/// Accept connections on `listener` until `shared.shutdown` is set.
pub async fn accept_loop(
    listener: TcpListener,
    config: Arc<russh::server::Config>,
    shared: Arc<Shared>,
    limits: Limits,
) {
    let mut stop = shared.shutdown.subscribe();
    shared.admission().set_rules(limits.admission);
    let every = limits.log_every.max(Duration::from_millis(10));
    let mut summary = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    loop {
        let (sock, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(e) => {
                    shared.log(&format!("accept failed: {e}"));
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = stop.changed() => {
                shared.log_summary();
                return;
            }
            _ = summary.tick() => {
                shared.log_summary();
                continue;
            }
        };
        let make_room = match shared.decide(peer.ip()) {
            Ok(m) => m,
            Err(why) => {
                refuse::tell_and_close(sock, why);
                continue;
            }
        };
        let (sock, closer) = match with_closer(sock) {
            Ok(x) => x,
            Err(e) => {
                shared.log(&format!("refused {peer}: {e}"));
                continue;
            }
        };
        let guard = match shared.admit(peer.ip(), closer, &limits, make_room) {
            Ok(g) => g,
            Err(why) => {
                let why = match why {
                    slots::NO_ROOM => admission::Refusal::Busy,
                    _ => admission::Refusal::Full,
                };
                shared.admission().count(why);
                refuse::tell_and_close(sock, why);
                continue;
            }
        };
        let _ = sock.set_nodelay(true);
        let (config, shared, limits) = (config.clone(), shared.clone(), limits.clone());
        tokio::spawn(async move {
            let id = guard.id;
            let _guard = guard;
            connection(sock, peer, id, config, shared, limits).await;
        });
    }
}

/// The socket, and a second handle on it with which it can be shut down from outside the
/// task that owns it: russh runs each session in a task of its own, which keeps the socket
/// open as long as it runs, whatever becomes of the future we hold.
fn with_closer(
    sock: tokio::net::TcpStream,
) -> std::io::Result<(tokio::net::TcpStream, std::net::TcpStream)> {
    let std = sock.into_std()?;
    let closer = std.try_clone()?;
    Ok((tokio::net::TcpStream::from_std(std)?, closer))
}

async fn connection(
    sock: tokio::net::TcpStream,
    peer: SocketAddr,
    id: u64,
    config: Arc<russh::server::Config>,
    shared: Arc<Shared>,
    limits: Limits,
) {
    let conn = session::Conn::new(shared.clone(), Some(peer), id, &limits);
    let deadline = tokio::time::Instant::now() + limits.auth_timeout;
    let running = match tokio::time::timeout_at(
        deadline,
        russh::server::run_stream(config, sock, conn),
    )
    .await
    {
        Ok(Ok(r)) => r,
        _ => return,
    };
    tokio::pin!(running);
    tokio::select! {
        _ = &mut running => return,
        _ = tokio::time::sleep_until(deadline) => {}
    }
    // Shutting the socket down ends the session task too (its reads see EOF); a goodbye
    // message would wait for the key exchange a flooder never finishes.
    if shared.slots().close_unauthenticated(id) {
        shared.admission().timed_out();
        let _ = tokio::time::timeout(Duration::from_secs(2), running).await;
        return;
    }
    let _ = running.await;
}

/// Save if there is anything to save; every session is told the outcome through the hub's
/// snapshot (`dirty`, `save_error`). Returns why it failed.
async fn save_now(shared: &Arc<Shared>) -> Result<(), String> {
    save_now_costing(shared).await.0
}

/// [`save_now`], and the CPU time the save took, where the system tells it.
async fn save_now_costing(
    shared: &Arc<Shared>,
) -> (Result<(), String>, Option<std::time::Duration>) {
    if let (false, None) = shared.hub.save_status() {
        return (Ok(()), None);
    }
    let hub = shared.hub.clone();
    let saving = tokio::task::spawn_blocking(move || {
        let before = autosave::thread_cpu();
        let saved = hub.save(None);
        let cpu = before
            .zip(autosave::thread_cpu())
            .map(|(a, b)| b.saturating_sub(a));
        (saved, cpu)
    });
    let (result, cpu) = match saving.await {
        Ok((Ok(_), cpu)) => (Ok(()), cpu),
        Ok((Err(e), cpu)) => (Err(e.to_string()), cpu),
        Err(_) => (Err("the save task failed".to_string()), None),
    };
    if let Err(e) = &result {
        shared.log(&format!("cannot save: {e}"));
    }
    shared.publish();
    (result, cpu)
}

/// How long a stopping server waits for git to commit (a hook or a signing passphrase
/// prompt could make it wait for ever).
const COMMIT_WAIT: Duration = Duration::from_secs(30);

/// A running server: its address and a way to stop it.
pub struct Running {
    /// Where it listens.
    pub addr: SocketAddr,
    /// The shared state (hub, presence).
    pub shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
    saver: tokio::task::JoinHandle<()>,
    /// What autosaving cost, and since when the server runs.
    save_stats: (Arc<autosave::Stats>, std::time::Instant),
    /// With `--commit`: the committer and its loop.
    committing: Option<(Arc<commit::Committer>, tokio::task::JoinHandle<()>)>,
    /// Listening for changes from the command line, while it runs.
    _handoff: Option<crate::document::handoff::Listener>,
}

impl Running {
    /// Commit the design file to git after changes, at most once per `every`, and once more
    /// when stopping (see [`commit`]); `recovered` are changes recovered from a journal at
    /// start, named first in the first commit. Call within the server's runtime.
    pub fn commit(&mut self, every: Duration, recovered: Vec<commit::Change>) {
        let Some(path) = self.shared.hub.snapshot().path.clone() else {
            return;
        };
        let first = !recovered.is_empty();
        let c = commit::Committer::new(path, self.shared.hub.activity_last(), recovered);
        let (shared, c2) = (self.shared.clone(), c.clone());
        let task = tokio::spawn(async move {
            if first {
                commit::report(&shared, c2.commit_now(&shared).await);
            }
            commit::run(shared, c2, every).await;
        });
        self.committing = Some((c, task));
    }

    /// Save, tell every client `why` and whether the design is saved, and stop accepting.
    /// Returns why the design could not be saved, if it could not.
    pub async fn stop(self, why: &str) -> Result<(), String> {
        let first = save_now(&self.shared).await;
        let told = match &first {
            Ok(()) => format!("{why}; the design is saved"),
            Err(e) => format!(
                "{why}; the design could NOT be saved ({e}); the changes are kept in the server's journal"
            ),
        };
        self.shared.shutdown.send_replace(Some(told));
        self.saver.abort();
        let (stats, since) = &self.save_stats;
        self.shared.log(&stats.summary(since.elapsed()));
        // The commit loop ends at the shutdown (after a commit under way).
        let committer = match self.committing {
            Some((c, task)) => match tokio::time::timeout(COMMIT_WAIT, task).await {
                Ok(_) => Some(c),
                Err(_) => {
                    self.shared.log(
                        "a commit under way did not finish in time; the design is saved but its last changes are not committed",
                    );
                    None
                }
            },
            None => None,
        };
        let _ = self.task.await;
        // Give sessions a moment to write their goodbye and restore each terminal.
        for _ in 0..20 {
            if self.shared.presence.borrow().is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let saved = save_now(&self.shared).await;
        if let (Some(c), Ok(())) = (committer, &saved) {
            match tokio::time::timeout(COMMIT_WAIT, c.commit_now(&self.shared)).await {
                Ok(r) => commit::report(&self.shared, r),
                Err(_) => self.shared.log(
                    "the last commit did not finish in time (is git waiting for a passphrase or a hook?); the design is saved but not committed",
                ),
            }
        }
        saved
    }
}

/// Start serving `hub` to `people` on `listen` (port 0 picks a free one). `notice`, if any, is
/// shown in every session's status bar when it opens (what was recovered from a journal, say).
pub async fn start(
    hub: Arc<Hub>,
    people: People,
    listen: SocketAddr,
    key: PrivateKey,
    limits: Limits,
    quiet: bool,
    notice: Option<String>,
) -> std::io::Result<Running> {
    let listener = TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    let shared = Shared::new(hub, people, quiet);
    shared.set_notice(notice);
    let config = Arc::new(config(key, &limits));
    let stats = Arc::new(autosave::Stats::default());
    let saver = tokio::spawn(autosave::run(
        shared.clone(),
        limits.save_debounce,
        stats.clone(),
    ));
    let task = tokio::spawn(accept_loop(listener, config, shared.clone(), limits));
    let handoff = handoff::start(&shared);
    Ok(Running {
        addr,
        shared,
        task,
        saver,
        save_stats: (stats, std::time::Instant::now()),
        committing: None,
        _handoff: handoff,
    })
}

/// Arguments of `microcred serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// The workspace to serve (a missing file starts a new design there), or a portfolio
    /// (`schema: microcred/portfolio@1`): its view, each credential opened when first needed.
    pub workspace: PathBuf,
    /// Who may connect: names, roles and public keys (see docs/serve.md).
    #[arg(long, value_name = "PEOPLE.yaml")]
    pub people: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:2222")]
    pub listen: SocketAddr,
    /// The server's host key (made on first run). Default: `.microcred-host-key` beside the
    /// workspace.
    #[arg(long, value_name = "FILE")]
    pub host_key: Option<PathBuf>,
    /// Seconds to wait after a change before saving (changes in between join the same save;
    /// every change is in the journal before it is shown, whatever this is).
    #[arg(long, value_name = "SECONDS", default_value_t = 1)]
    pub save_delay: u64,
    /// Commit the workspace file to its git repository after saves (at most once per
    /// --commit-every, and when stopping), naming the changes and the people who made them
    /// (author and Co-authored-by lines). Only that file is committed; nothing is pushed. The
    /// server refuses to start when the file is not in a repository, has changes not
    /// committed, or git is missing or has no identity to commit as.
    #[arg(long)]
    pub commit: bool,
    /// With --commit: the least number of seconds between two commits.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub commit_every: u64,
}

/// `microcred serve`: run until SIGINT or SIGTERM; returns the exit code (1 when the design
/// could not be saved at the end).
pub fn run(frameworks: &[PathBuf], args: &ServeArgs) -> ExitCode {
    // Before anything is opened or any thread started: may start the process again.
    malloc::start_tuned();
    // A portfolio (told apart by its `schema:` line) is served as the portfolio view.
    if crate::export::is_portfolio_file(&args.workspace) {
        return portfolio::run(frameworks, args);
    }
    // The server is the file's one editor: the lock is taken before the file and its journal
    // are read, and a file open in an editor is not served.
    let opened = match crate::document::open(
        frameworks,
        Some(&args.workspace),
        "microcred serve",
        Busy::Refuse,
    ) {
        Ok(o) => o,
        Err(OpenError::Catalog(p) | OpenError::Workspace(p)) => {
            eprintln!("{p}");
            return ExitCode::from(1);
        }
        Err(OpenError::Lock(why)) => {
            eprintln!("microcred: {why}");
            return ExitCode::from(1);
        }
        Err(OpenError::Busy(why)) => {
            eprintln!("microcred: cannot serve it: {why}; stop that editor first");
            return ExitCode::from(1);
        }
    };
    let hub = opened.hub;
    // Checked before any recovered change is saved: the file must be as git has it.
    let committing = if args.commit {
        match commit::check(&args.workspace) {
            Ok(how) => Some(how),
            Err(e) => {
                eprintln!("microcred serve: {e}");
                return ExitCode::from(1);
            }
        }
    } else {
        None
    };
    let recovered: Vec<commit::Change> = match &opened.leftover {
        Leftover::Found(f) if !f.file_changed => {
            // Named as the file names them (what the journal adds goes by its id).
            let snap = hub.snapshot();
            let names = crate::document::names::Named {
                ws: &snap.ws,
                derived: &snap.derived,
                catalog: hub.catalog(),
            };
            f.entries
                .iter()
                .map(|e| commit::Change {
                    who: e.actor.name.clone(),
                    what: crate::edit::describe_in(&e.op, &names),
                })
                .collect()
        }
        _ => Vec::new(),
    };
    hub.prepare_in_background();
    let notice = match recover(&hub, &args.workspace, opened.leftover) {
        Ok(n) => n,
        Err(e) => {
            eprintln!("microcred: {e}");
            return ExitCode::from(1);
        }
    };
    // Checked against the document as recovered (a recovered change may add a partner).
    let people = match People::load(&args.people, &hub.snapshot().ws) {
        Ok(p) => p,
        Err(p) => {
            eprintln!("{p}");
            return ExitCode::from(1);
        }
    };
    let (key_path, key, limits, rt) = match launch::launch(args) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let print = fingerprint(&key);
    rt.block_on(async {
        let n = people.key_count();
        let mut server = match start(hub, people, args.listen, key, limits, false, notice).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("microcred: cannot listen on {}: {e}", args.listen);
                return ExitCode::from(1);
            }
        };
        launch::announce(args, server.addr, n, &print, &key_path);
        if let Some(how) = &committing {
            eprintln!(
                "microcred serve: --commit: {how}; at most one commit every {} s, and one when stopping; nothing is pushed",
                args.commit_every
            );
            server.commit(Duration::from_secs(args.commit_every), recovered);
        }
        wait_for_signal().await;
        eprintln!("microcred serve: stopping; saving");
        match server.stop("the server is stopping").await {
            Ok(()) => {
                eprintln!("microcred serve: stopped; the design is saved");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!(
                    "microcred serve: stopped, but the design is NOT saved: {e}; the changes are kept in {} and are recovered when the server starts again",
                    crate::document::journal::path_for(&args.workspace).display()
                );
                ExitCode::from(1)
            }
        }
    })
}

/// Recover by itself the changes of a journal left behind by a server that stopped without
/// saving (a crash, a power cut): they are applied again, said on stderr, and the message for
/// every session is returned. The autosave then writes them to the file. When the file was
/// changed on disk since those changes were made, they go to a conflict copy instead and the
/// file is served as it is. A journal that cannot be read stops the start, so that nothing in
/// it is overwritten.
fn recover(hub: &Hub, workspace: &Path, leftover: Leftover) -> Result<Option<String>, String> {
    let found = match leftover {
        Leftover::Nothing => return Ok(None),
        Leftover::Unreadable { path, error: e, .. } => {
            return Err(format!(
                "{}: cannot read the journal of unsaved changes ({e}); move it aside to start without them",
                path.display()
            ));
        }
        Leftover::Empty { skipped } => {
            for w in &skipped {
                eprintln!("microcred serve: warning: {w}");
            }
            return Ok(None);
        }
        Leftover::Found(f) => f,
    };
    for w in &found.skipped {
        eprintln!("microcred serve: warning: {w}");
    }
    let summary = found.summary();
    let when = found.when();
    if found.file_changed {
        let (n, problems, copy) = hub.recover_into_copy(&found).map_err(|e| {
            format!(
                "{}: the file changed on disk after the unsaved changes in {} were made, and they could not be put in a conflict copy ({e}); move the journal aside to start without them",
                workspace.display(),
                found.path.display()
            )
        })?;
        for p in problems.iter().skip(found.skipped.len()) {
            eprintln!("microcred serve: warning: {p}");
        }
        eprintln!(
            "microcred serve: {} changed on disk after the {summary} were made; {n} of them were recovered into {} and the file is served as it is",
            workspace.display(),
            copy.display()
        );
        return Ok(Some(format!(
            "The server found {n} unsaved change(s){when} made before the file was changed on disk; they are in {}, not in this design. Compare and merge.",
            copy.display()
        )));
    }
    let (n, problems) = hub.recover(&found);
    for p in problems.iter().skip(found.skipped.len()) {
        eprintln!("microcred serve: warning: {p}");
    }
    let not = match problems.len() {
        0 => String::new(),
        k => format!(" ({k} could not be)"),
    };
    eprintln!(
        "microcred serve: {} was not saved after its last changes; recovered {n} of the {summary} from {}{not}",
        workspace.display(),
        found.path.display()
    );
    Ok(Some(format!(
        "The server recovered {n} unsaved change(s){when} from its journal after an unclean stop{not}."
    )))
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_host_key_others_may_read_is_warned_about() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("host_key");
        host_key(&path).expect("made");
        assert_eq!(host_key_warning(&path), None, "made private");
        let set = |m| std::fs::set_permissions(&path, std::fs::Permissions::from_mode(m));
        set(0o644).expect("chmod");
        let w = host_key_warning(&path).expect("a warning");
        assert!(w.contains(&path.display().to_string()), "{w}");
        assert!(w.contains("0644") && w.contains("chmod 600"), "{w}");
        set(0o640).expect("chmod");
        assert!(host_key_warning(&path).is_some(), "group may read it");
        host_key(&path).expect("still used");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_or_a_huge_file_as_host_key_is_refused_without_reading_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let fifo = dir.path().join("fifo_key");
        if std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success())
        {
            let e = host_key(&fifo).expect_err("a FIFO is no key");
            assert!(e.contains("FIFO") && e.contains("--host-key"), "{e}");
        }
        let big = dir.path().join("big_key");
        let f = std::fs::File::create(&big).expect("create");
        f.set_len(2 << 30).expect("a sparse 2 GiB file");
        let e = host_key(&big).expect_err("2 GiB is no key");
        assert!(
            e.contains("the limit is 64 KiB") || e.contains("limit"),
            "{e}"
        );
    }
}

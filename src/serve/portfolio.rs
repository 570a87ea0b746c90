//! `microcred serve PORTFOLIO.yaml`: the portfolio view over SSH (see `docs/serve.md`).
//!
//! Every connection opens the portfolio view (matrix, tree, findings) of one sheet that all
//! sessions share; Enter on a credential runs the served design editor over that credential
//! on the same connection, with the person's role, and Esc (or `q`) comes back (see
//! [`super::portfolio_session`]). Each credential workspace has a [`Shared`] of its own (hub,
//! edit lock, journal, autosave, changes from the command line), opened the first time
//! someone opens it and kept until the server stops, so everyone who opens the same
//! credential works on the same document. A change to it analyses the portfolio again, and
//! every portfolio view shows the new findings.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use russh::keys::PrivateKey;
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::people::People;
use super::{Limits, ServeArgs, Shared, autosave, handoff};
use crate::analysis::portfolio::{MemberState, analyse};
use crate::catalog::{self, Catalog, Sources};
use crate::document::portfolio::{LoadedPortfolio, load_portfolio};
use crate::document::{Busy, Hub, OpenError};
use crate::model::Workspace;
use crate::tui::portfolio::PortfolioSheet;

/// How long changes to the credentials gather before the portfolio is analysed again (a burst
/// of edits, in one credential or several, costs one analysis, not one each).
const REANALYSE_AFTER: Duration = Duration::from_millis(100);

/// The largest share of a core that analysing the portfolio again may take: after an
/// analysis that took `c`, the next waits at least `c / ANALYSIS_SHARE`.
const ANALYSIS_SHARE: f64 = 0.25;

/// A portfolio read and checked, ready to serve.
pub struct Prepared {
    path: PathBuf,
    frameworks: Vec<PathBuf>,
    catalog: Arc<Catalog>,
    loaded: LoadedPortfolio,
    people: People,
}

impl Prepared {
    /// How many credentials the portfolio names.
    pub fn credentials(&self) -> usize {
        self.loaded.portfolio.credentials.len()
    }

    /// How many keys may log in.
    pub fn key_count(&self) -> usize {
        self.people.key_count()
    }
}

/// Read the portfolio at `path`, load its designs, and read PEOPLE.yaml at `people`: one file
/// for the whole portfolio, each person's role the same in every credential, and a partner's
/// id one of the partners of the portfolio's designs. The located problems, as text, when
/// something cannot be read.
pub fn prepare(frameworks: &[PathBuf], path: &Path, people: &Path) -> Result<Prepared, String> {
    let catalog =
        catalog::load(&Sources::new(frameworks.to_vec(), Some(path))).map_err(|p| p.to_string())?;
    let src = crate::store::read_text(path).map_err(|p| p.to_string())?;
    let loaded = load_portfolio(path, &src, &catalog).map_err(|p| p.to_string())?;
    let people = People::load(people, &partners_of(&loaded)).map_err(|p| p.to_string())?;
    Ok(Prepared {
        path: path.to_path_buf(),
        frameworks: frameworks.to_vec(),
        catalog: Arc::new(catalog),
        loaded,
        people,
    })
}

/// A workspace holding every partner of the portfolio's designs once, for checking the
/// partner ids of PEOPLE.yaml.
fn partners_of(loaded: &LoadedPortfolio) -> Workspace {
    let mut ws = Workspace::default();
    let mut seen = std::collections::HashSet::new();
    for m in &loaded.members {
        let MemberState::Loaded(w) = m else { continue };
        for p in &w.partners {
            if seen.insert(p.id.clone()) {
                ws.partners.push(p.clone());
            }
        }
    }
    ws
}

/// A credential workspace opened for editing: its shared state and the tasks that serve it.
struct Credential {
    shared: Arc<Shared>,
    /// Its autosave and the task that analyses the portfolio again after its changes.
    tasks: Vec<tokio::task::JoinHandle<()>>,
    stats: Arc<autosave::Stats>,
    opened: std::time::Instant,
    /// Listening for changes from the command line to this design.
    _handoff: Option<crate::document::handoff::Listener>,
}

/// The state of a served portfolio that every connection shares.
pub struct Served {
    /// The portfolio file.
    path: PathBuf,
    frameworks: Vec<PathBuf>,
    catalog: Arc<Catalog>,
    people: People,
    limits: Limits,
    quiet: bool,
    /// The portfolio and its designs as last analysed (an opened credential as its hub has
    /// it).
    loaded: Mutex<LoadedPortfolio>,
    /// The view of the latest analysis, for every session.
    sheet: watch::Sender<Arc<PortfolioSheet>>,
    /// The credential workspaces opened so far, by their row of the matrix.
    open: tokio::sync::Mutex<HashMap<usize, Arc<Credential>>>,
    /// Set when the server stops: nothing more is opened.
    stopping: AtomicBool,
    /// The credentials changed since the portfolio was last analysed, with their hubs.
    changed: Mutex<HashMap<usize, Arc<Hub>>>,
    /// Wakes the task that analyses the portfolio again.
    wake: tokio::sync::Notify,
}

impl Served {
    /// The portfolio's sheet as last analysed, and its changes.
    pub fn subscribe(&self) -> watch::Receiver<Arc<PortfolioSheet>> {
        self.sheet.subscribe()
    }

    /// The portfolio's sheet as last analysed.
    pub fn sheet(&self) -> Arc<PortfolioSheet> {
        self.sheet.borrow().clone()
    }

    /// The shared state of the credential with portfolio id `id`, if someone opened it.
    pub async fn opened(&self, id: &str) -> Option<Arc<Shared>> {
        let row = self.sheet().credentials.iter().position(|c| c.id == id)?;
        let open = self.open.lock().await;
        open.get(&row).map(|c| c.shared.clone())
    }

    /// How many credential workspaces are open.
    pub async fn open_count(&self) -> usize {
        self.open.lock().await.len()
    }

    /// The shared state of the credential at `row` of the matrix, opened now (lock, journal,
    /// autosave) if nobody opened it before; else why it cannot be opened.
    pub(super) async fn open_credential(
        self: &Arc<Self>,
        row: usize,
    ) -> Result<Arc<Shared>, String> {
        let mut open = self.open.lock().await;
        if let Some(c) = open.get(&row) {
            return Ok(c.shared.clone());
        }
        if self.stopping.load(Ordering::SeqCst) {
            return Err("the server is stopping".into());
        }
        let Some(path) = self.sheet().credentials.get(row).map(|c| c.path.clone()) else {
            return Err("no such credential in the portfolio".into());
        };
        let me = self.clone();
        let shared = tokio::task::spawn_blocking(move || me.open_design(&path))
            .await
            .map_err(|_| "the design could not be opened (an internal error)".to_string())??;
        let stats = Arc::new(autosave::Stats::default());
        let saver = tokio::spawn(autosave::run(
            shared.clone(),
            self.limits.save_debounce,
            stats.clone(),
        ));
        let watcher = tokio::spawn(follow(self.clone(), row, shared.clone()));
        let handoff = handoff::start(&shared);
        open.insert(
            row,
            Arc::new(Credential {
                shared: shared.clone(),
                tasks: vec![saver, watcher],
                stats,
                opened: std::time::Instant::now(),
                _handoff: handoff,
            }),
        );
        Ok(shared)
    }

    /// Open the design at `path` as the server does: its one editor (a design open in an
    /// editor is refused), unsaved changes left in its journal recovered.
    fn open_design(&self, path: &Path) -> Result<Arc<Shared>, String> {
        // A design removed since the server started is not begun afresh in its place.
        if !path.is_file() {
            return Err(format!(
                "{} is no longer there; put the design back, or take it out of the portfolio and restart the server",
                path.display()
            ));
        }
        let opened = crate::document::open(
            &self.frameworks,
            Some(path),
            "microcred serve",
            Busy::Refuse,
        )
        .map_err(|e| match e {
            OpenError::Catalog(p) | OpenError::Workspace(p) => p.to_string(),
            OpenError::Lock(why) => why,
            OpenError::Busy(why) => {
                format!("{why}; it can be opened here once that editor is closed")
            }
        })?;
        let hub = opened.hub;
        hub.prepare_in_background();
        let notice = super::recover(&hub, path, opened.leftover)?;
        let shared = Shared::new(hub, self.people.clone(), self.quiet);
        shared.set_notice(notice);
        shared.log(&format!("opened {}", path.display()));
        Ok(shared)
    }

    /// The credential at `row`, served by `hub`, changed (or was opened): the portfolio is
    /// to be analysed again.
    fn changed(&self, row: usize, hub: &Arc<Hub>) {
        self.changed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(row, hub.clone());
        self.wake.notify_one();
    }

    /// Analyse the portfolio again with each of the `changed` credentials as its hub has it
    /// now, and give every session the new sheet.
    fn reanalyse(&self, changed: HashMap<usize, Arc<Hub>>) {
        let mut loaded = self.loaded.lock().unwrap_or_else(|p| p.into_inner());
        for (row, hub) in changed {
            if let Some(m) = loaded.members.get_mut(row) {
                *m = MemberState::Loaded(Box::new((*hub.snapshot().ws).clone()));
            }
        }
        let report = analyse(&loaded.portfolio, &loaded.members);
        let sheet = PortfolioSheet::new(self.path.clone(), &loaded, report, &self.catalog);
        // Sent under the lock: sheets reach sessions in the order they were made.
        self.sheet.send_replace(Arc::new(sheet));
    }
}

/// Have the portfolio analysed again when the credential at `row` (served by `shared`) was
/// opened and after each of its versions.
async fn follow(served: Arc<Served>, row: usize, shared: Arc<Shared>) {
    let mut versions = shared.version.subscribe();
    loop {
        served.changed(row, &shared.hub);
        if versions.changed().await.is_err() {
            return;
        }
    }
}

/// Analyse the portfolio again after changes to its credentials: the changes of
/// [`REANALYSE_AFTER`] at a time, and at most [`ANALYSIS_SHARE`] of a core however many
/// credentials change. Runs until aborted.
async fn analyse_changes(served: Arc<Served>, log: Arc<Shared>) {
    loop {
        served.wake.notified().await;
        tokio::time::sleep(REANALYSE_AFTER).await;
        let changed =
            std::mem::take(&mut *served.changed.lock().unwrap_or_else(|p| p.into_inner()));
        if changed.is_empty() {
            continue;
        }
        let s = served.clone();
        let t = std::time::Instant::now();
        if tokio::task::spawn_blocking(move || s.reanalyse(changed))
            .await
            .is_err()
        {
            log.log("the portfolio could not be analysed again");
        }
        tokio::time::sleep(t.elapsed().div_f64(ANALYSIS_SHARE)).await;
    }
}

/// A running portfolio server: its address and a way to stop it.
pub struct Running {
    /// Where it listens.
    pub addr: SocketAddr,
    /// What the connections share (slots, people, presence, shutdown); it serves no design
    /// of its own.
    pub front: Arc<Shared>,
    /// The portfolio and the credentials opened.
    pub served: Arc<Served>,
    task: tokio::task::JoinHandle<()>,
    /// The task that analyses the portfolio again after changes.
    analyser: tokio::task::JoinHandle<()>,
}

/// Start serving `prepared` on `listen` (port 0 picks a free one).
pub async fn start(
    prepared: Prepared,
    listen: SocketAddr,
    key: PrivateKey,
    limits: Limits,
    quiet: bool,
) -> std::io::Result<Running> {
    let listener = TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    let Prepared {
        path,
        frameworks,
        catalog,
        loaded,
        people,
    } = prepared;
    let report = analyse(&loaded.portfolio, &loaded.members);
    let sheet = PortfolioSheet::new(path.clone(), &loaded, report, &catalog);
    // The connections' shared state: its hub is an empty design that nobody sees or changes
    // (the sessions open the portfolio view instead), never saved.
    let front = Shared::new(
        Hub::new(Workspace::default(), catalog.clone(), None),
        people.clone(),
        quiet,
    );
    let served = Arc::new(Served {
        path,
        frameworks,
        catalog,
        people,
        limits: limits.clone(),
        quiet,
        loaded: Mutex::new(loaded),
        sheet: watch::Sender::new(Arc::new(sheet)),
        open: tokio::sync::Mutex::new(HashMap::new()),
        stopping: AtomicBool::new(false),
        changed: Mutex::new(HashMap::new()),
        wake: tokio::sync::Notify::new(),
    });
    let _ = front.portfolio.set(served.clone());
    let config = Arc::new(super::config(key, &limits));
    let task = tokio::spawn(super::accept_loop(listener, config, front.clone(), limits));
    let analyser = tokio::spawn(analyse_changes(served.clone(), front.clone()));
    Ok(Running {
        addr,
        front,
        served,
        task,
        analyser,
    })
}

impl Running {
    /// Save every credential opened, tell every client `why` and whether the designs are
    /// saved, and stop accepting. Returns the designs that could not be saved, and why.
    pub async fn stop(self, why: &str) -> Result<(), String> {
        self.served.stopping.store(true, Ordering::SeqCst);
        self.analyser.abort();
        let open: Vec<Arc<Credential>> = self.served.open.lock().await.values().cloned().collect();
        let mut failed = Vec::new();
        for c in &open {
            if let Err(e) = super::save_now(&c.shared).await {
                failed.push(format!("{}: {e}", name_of(&c.shared)));
            }
        }
        let told = match failed.len() {
            0 => format!("{why}; the portfolio's designs are saved"),
            _ => format!(
                "{why}; {} could NOT be saved; the changes are kept in the server's journals",
                failed.join(", ")
            ),
        };
        for c in &open {
            c.shared.shutdown.send_replace(Some(told.clone()));
            for t in &c.tasks {
                t.abort();
            }
            self.front.log(&format!(
                "{}: {}",
                name_of(&c.shared),
                c.stats.summary(c.opened.elapsed())
            ));
        }
        self.front.shutdown.send_replace(Some(told));
        let _ = self.task.await;
        // Give sessions a moment to write their goodbye and restore each terminal.
        for _ in 0..20 {
            if self.front.presence.borrow().is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let mut failed = Vec::new();
        for c in &open {
            if let Err(e) = super::save_now(&c.shared).await {
                failed.push(format!("{}: {e}", name_of(&c.shared)));
            }
        }
        // Each design's lock goes with the last hold on its hub.
        drop(open);
        self.served.open.lock().await.clear();
        self.served
            .changed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        match failed.is_empty() {
            true => Ok(()),
            false => Err(failed.join("; ")),
        }
    }
}

/// The design file `shared` serves, for messages.
fn name_of(shared: &Shared) -> String {
    shared
        .hub
        .snapshot()
        .path
        .map_or_else(|| "a design".into(), |p| p.display().to_string())
}

/// `microcred serve PORTFOLIO.yaml`: run until SIGINT or SIGTERM; returns the exit code (1
/// when a design could not be saved at the end).
pub fn run(frameworks: &[PathBuf], args: &ServeArgs) -> ExitCode {
    if args.commit {
        eprintln!(
            "microcred serve: --commit commits one design file, and {} is a portfolio: serve it without --commit and commit its designs yourself, or serve one design with --commit",
            args.workspace.display()
        );
        return ExitCode::from(1);
    }
    let prepared = match prepare(frameworks, &args.workspace, &args.people) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    let (key_path, key, limits, rt) = match super::launch::launch(args) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let print = super::fingerprint(&key);
    let (n, credentials) = (prepared.key_count(), prepared.credentials());
    rt.block_on(async {
        let server = match start(prepared, args.listen, key, limits, false).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("microcred: cannot listen on {}: {e}", args.listen);
                return ExitCode::from(1);
            }
        };
        super::launch::announce(args, server.addr, n, &print, &key_path);
        eprintln!(
            "microcred serve: a portfolio of {credentials} credential(s); each design is opened (locked, journaled, autosaved) when someone first opens it"
        );
        super::wait_for_signal().await;
        eprintln!("microcred serve: stopping; saving");
        match server.stop("the server is stopping").await {
            Ok(()) => {
                eprintln!("microcred serve: stopped; the portfolio's designs are saved");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!(
                    "microcred serve: stopped, but NOT saved: {e}; the changes are kept in each design's journal and are recovered when it is served again"
                );
                ExitCode::from(1)
            }
        }
    })
}

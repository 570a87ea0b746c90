//! The Hub: the single owner of a document. Every session (the local TUI, each SSH
//! connection) sends it `Op`s with its actor; the Hub applies them one at a time, bumps the
//! version, recomputes the gap report once for everyone, and saves.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use crate::analysis::gap::{GapReport, analyse};
use crate::analysis::search::SearchIndex;
use crate::analysis::suggest::Suggester;
use crate::catalog::Catalog;
use crate::document::activity::{self, Activity};
use crate::document::derived::Derived;
use crate::document::journal::{self, Journal};
use crate::edit::{Actor, Op, Refusal, apply, apply_stamped};
use crate::model::Workspace;
use crate::store;

/// A consistent view of the document at one version.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub version: u64,
    /// The document (shared: a session's copy costs a pointer, not the document).
    pub ws: Arc<Workspace>,
    pub report: Arc<GapReport>,
    /// Orders and lookups by id for this version (see [`Derived`]).
    pub derived: Arc<Derived>,
    pub path: Option<PathBuf>,
    /// Changed since the last save.
    pub dirty: bool,
    /// Why the last save failed, until a save succeeds (every session shows it).
    pub save_error: Option<String>,
    /// Why this document cannot be changed here (open for editing elsewhere), if so.
    pub read_only: Option<String>,
}

struct State {
    snapshot: Snapshot,
    /// The file as last loaded or saved, to notice changes made behind our back.
    disk: Option<store::Stamp>,
    /// The last conflict copy written: the hash of its text and its name. A save that would
    /// write the same text again names this copy instead of making another.
    conflict: Option<(String, PathBuf)>,
    /// An upper bound of the saved file's size, to refuse a change that would make it larger
    /// than a workspace may be without writing the whole document out on every change. Not
    /// known until the first change needs it, unless the opener knew it
    /// ([`Hub::know_size_bound`]): opening a design measures nothing.
    size_bound: Option<u64>,
    /// Recent changes by everyone, for the activity overlay and notices.
    activity: activity::Log,
}

/// What only a change (an apply, a recovery, a save) touches. Its lock is taken before the
/// state's and held for the whole change, so changes happen one at a time and the journal's
/// order is the order of versions, while readers wait only for the final swap, never for the
/// journal's disk flush.
struct Writer {
    /// Write every applied op to a journal beside the file (off for in-memory hubs).
    journaling: bool,
    journal: Option<Journal>,
    /// The lock that makes this hub the file's only editor, held for the hub's life.
    lock: Option<store::EditLock>,
    /// An older version of the document with the changes, as applied, that bring it up to
    /// the current one. Once no session shows it any more, the next change is made on it
    /// (those few changes applied again first) instead of on a copy of the whole document.
    spare: Option<Spare>,
    /// The gap report the last change replaced, changed in place by the next one (see
    /// [`super::derive_step::step`]).
    spare_report: Option<super::derive_step::SpareReport>,
}

/// An older document and the changes (actor, op as applied) since, oldest first.
type Spare = (Arc<Workspace>, Vec<(Actor, Op)>);

/// How many changes a spare document may fall behind before it is dropped.
const SPARE_BEHIND: usize = 8;

/// A view made for one version, of any type (see [`Hub::per_version`]).
type VersionedView = (u64, Arc<dyn Any + Send + Sync>);

/// The document owner shared by all sessions.
pub struct Hub {
    catalog: Arc<Catalog>,
    writer: Mutex<Writer>,
    state: Mutex<State>,
    /// Views that higher layers derive from a version (the editor's gap lines), made once per
    /// version by the first session that asks and shared by the others: by type, with the
    /// version each was made for.
    per_version: Mutex<HashMap<TypeId, VersionedView>>,
    /// Built on first use, shared by every session.
    search: OnceLock<Arc<SearchIndex>>,
    suggester: OnceLock<Arc<Suggester>>,
    /// The framework files the catalog was loaded from, when known: the search index and the
    /// suggester are then read from the snapshots `search` and `suggest` keep (see
    /// [`Hub::use_snapshots`]).
    framework_files: OnceLock<Vec<PathBuf>>,
    /// The largest the saved file may grow to: [`store::MAX_FILE_BYTES`] unless lowered with
    /// [`Hub::lower_size_limit`].
    max_bytes: AtomicU64,
}

impl Hub {
    /// A hub over `ws`, saved to `path`.
    pub fn new(ws: Workspace, catalog: Arc<Catalog>, path: Option<PathBuf>) -> Arc<Hub> {
        let report = Arc::new(analyse(&ws));
        let derived = Arc::new(Derived::new(&ws, &report));
        Arc::new(Hub {
            catalog,
            per_version: Mutex::new(HashMap::new()),
            search: OnceLock::new(),
            suggester: OnceLock::new(),
            framework_files: OnceLock::new(),
            max_bytes: AtomicU64::new(store::MAX_FILE_BYTES),
            writer: Mutex::new(Writer {
                journaling: false,
                journal: None,
                lock: None,
                spare: None,
                spare_report: None,
            }),
            state: Mutex::new(State {
                disk: path
                    .as_deref()
                    .and_then(|p| store::Stamp::read(p).ok().flatten()),
                conflict: None,
                size_bound: None,
                activity: activity::Log::default(),
                snapshot: Snapshot {
                    version: 0,
                    ws: Arc::new(ws),
                    report,
                    derived,
                    path,
                    dirty: false,
                    save_error: None,
                    read_only: None,
                },
            }),
        })
    }

    /// A hub like [`Hub::new`] that also journals every applied op beside its file (once it has
    /// one): the hub of an editing session. See [`crate::document::journal`]. The caller should hold the
    /// file's [`store::EditLock`] and give it to the hub with [`Hub::keep_lock`].
    pub fn open(ws: Workspace, catalog: Arc<Catalog>, path: Option<PathBuf>) -> Arc<Hub> {
        let hub = Hub::new(ws, catalog, path);
        {
            let mut w = hub.writer();
            w.journaling = true;
            let st = hub.lock();
            w.journal = st
                .snapshot
                .path
                .as_deref()
                .map(|p| Journal::new(journal::path_for(p), disk_hash(st.disk.as_ref())));
        }
        hub
    }

    /// A hub that shows the document but refuses every change and save, saying `why` (the
    /// file is open for editing elsewhere).
    pub fn read_only(
        ws: Workspace,
        catalog: Arc<Catalog>,
        path: Option<PathBuf>,
        why: String,
    ) -> Arc<Hub> {
        let hub = Hub::new(ws, catalog, path);
        hub.lock().snapshot.read_only = Some(why);
        hub
    }

    /// Tell the hub the size bound of the document it opened with ([`super::size::bound`]),
    /// known to an opener that read it from the design cache; ignored once the document has
    /// changed.
    pub fn know_size_bound(&self, bound: u64) {
        let mut st = self.lock();
        if st.snapshot.version == 0 && st.size_bound.is_none() {
            st.size_bound = Some(bound);
        }
    }

    /// Lower the largest size the design's file may grow to (never above
    /// [`store::MAX_FILE_BYTES`], which every reader enforces): for tests, which then reach
    /// the limit without writing 16 MiB documents, and for hosts that want a tighter bound.
    pub fn lower_size_limit(&self, bytes: u64) {
        self.max_bytes
            .store(bytes.min(store::MAX_FILE_BYTES), Ordering::Relaxed);
    }

    /// The largest size the design's file may grow to.
    pub fn size_limit(&self) -> u64 {
        self.max_bytes.load(Ordering::Relaxed)
    }

    /// Hold `lock` (this file's editing lock) for as long as the hub lives.
    pub fn keep_lock(&self, lock: store::EditLock) {
        self.writer().lock = Some(lock);
    }

    /// Whether this hub holds its file's editing lock (it is the file's one editor).
    pub fn holds_lock(&self) -> bool {
        self.writer().lock.is_some()
    }

    /// Re-apply the changes of a journal left behind (each with its own actor), then rewrite
    /// the journal to hold exactly them. Returns how many were applied and why the others
    /// were not.
    pub fn recover(&self, found: &journal::Found) -> (usize, Vec<String>) {
        let mut w = self.writer();
        // The document changes here without ops for the spare to follow.
        w.spare = None;
        let mut st = self.lock();
        let mut kept = Vec::new();
        let mut refused = found.skipped.clone();
        let mut bound = st
            .size_bound
            .unwrap_or_else(|| super::size::bound(&st.snapshot.ws));
        let mut over_from = None;
        let max = self.size_limit();
        for (i, e) in found.entries.iter().enumerate() {
            let growth = op_growth(&e.op);
            let ws = Arc::make_mut(&mut st.snapshot.ws);
            // Near the limit, the document before the change is kept to go back to.
            let before = (bound.saturating_add(growth) > max).then(|| ws.clone());
            match apply(ws, &self.catalog, &e.actor, e.op.clone()) {
                Ok(_) => match check_size(ws, bound.saturating_add(growth), max) {
                    Ok(b) => {
                        bound = b;
                        kept.push(e.clone());
                    }
                    Err(_) => {
                        if let Some(b) = before {
                            *ws = b;
                        }
                        over_from = Some(i);
                        break;
                    }
                },
                Err(r) => refused.push(format!("change {} not restored: {r}", i + 1)),
            }
        }
        if let Some(i) = over_from {
            refused.push(self.rest_into_copy(&st.snapshot, found, i));
        }
        if !kept.is_empty() {
            // The size bound must count what the recovered changes added.
            st.size_bound = Some(super::workspace_to_string(&st.snapshot.ws).len() as u64);
            let snap = &mut st.snapshot;
            snap.version += 1;
            snap.dirty = true;
            snap.report = Arc::new(analyse(&snap.ws));
            snap.derived = Arc::new(Derived::new(&snap.ws, &snap.report));
        }
        let base = disk_hash(st.disk.as_ref());
        if let Some(j) = &mut w.journal {
            if let Err(e) = j.rewrite(base, &kept) {
                refused.push(format!("the journal could not be rewritten: {e}"));
            }
        }
        (kept.len(), refused)
    }

    /// The changes of `found` from the `from`th on, which would take the design past the size
    /// limit, written with the document (`snap`) to a conflict copy, and the journal that held
    /// them set aside: nothing is lost, and the document itself stays one that can be saved.
    /// Returns what to tell the user.
    fn rest_into_copy(&self, snap: &Snapshot, found: &journal::Found, from: usize) -> String {
        let mut ws = (*snap.ws).clone();
        for e in &found.entries[from..] {
            let _ = apply(&mut ws, &self.catalog, &e.actor, e.op.clone());
        }
        let text = super::workspace_to_string(&ws);
        let n = found.entries.len();
        let what = format!(
            "changes {}–{n} not restored: with them the design would be {}, and a workspace file may be at most {}",
            from + 1,
            store::describe_size(text.len() as u64),
            describe_limit(self.size_limit())
        );
        let copy = snap
            .path
            .as_deref()
            .ok_or_else(|| std::io::Error::other("no file name yet"))
            .and_then(|p| store::write_conflict_copy(p, text.as_bytes()));
        let aside = journal::set_aside(&found.path);
        match (copy, aside) {
            (Ok(c), Ok(j)) => format!(
                "{what}; the design with every change is in {} (shorten text there, then merge), and the journal is kept as {}",
                c.display(),
                j.display()
            ),
            (Err(e), Ok(j)) => format!(
                "{what}; no conflict copy could be written ({e}), and the journal is kept as {}",
                j.display()
            ),
            (Ok(c), Err(e)) => format!(
                "{what}; the design with every change is in {} (the journal could not be set aside: {e})",
                c.display()
            ),
            (Err(e), Err(e2)) => format!(
                "{what}; neither a conflict copy ({e}) nor the journal ({e2}) could be kept"
            ),
        }
    }

    /// Recover the changes of a journal made to a file that has changed since (see
    /// [`journal::Found::file_changed`]) without touching that file: they are applied to the
    /// document as it is now, the result is written to a conflict copy beside the file, and the
    /// journal is set aside. Returns how many were applied, why the others were not, and the
    /// copy's name.
    pub fn recover_into_copy(
        &self,
        found: &journal::Found,
    ) -> std::io::Result<(usize, Vec<String>, PathBuf)> {
        let _w = self.writer();
        let st = self.lock();
        let path = st.snapshot.path.clone().ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "no file name yet")
        })?;
        let mut ws = (*st.snapshot.ws).clone();
        drop(st);
        let mut refused = found.skipped.clone();
        let mut n = 0;
        for (i, e) in found.entries.iter().enumerate() {
            match apply(&mut ws, &self.catalog, &e.actor, e.op.clone()) {
                Ok(_) => n += 1,
                Err(r) => refused.push(format!("change {} not restored: {r}", i + 1)),
            }
        }
        let copy = store::write_conflict_copy(&path, super::workspace_to_string(&ws).as_bytes())?;
        journal::set_aside(&found.path)?;
        Ok((n, refused, copy))
    }

    /// True when the changes of a journal left behind would leave the document exactly as it
    /// is (they cancel out, or none applies): there is nothing to recover.
    pub fn changes_nothing(&self, found: &journal::Found) -> bool {
        let st = self.lock();
        let mut ws = (*st.snapshot.ws).clone();
        drop(st);
        for e in &found.entries {
            let _ = apply(&mut ws, &self.catalog, &e.actor, e.op.clone());
        }
        ws == *self.lock().snapshot.ws
    }

    /// Remove the journal of unsaved changes, on purpose: the user chose to discard them (quit
    /// without saving, or declined to recover them). The document in memory is not touched.
    pub fn discard_journal(&self) -> std::io::Result<()> {
        let mut w = self.writer();
        match &mut w.journal {
            Some(j) => j.remove(),
            None => Ok(()),
        }
    }

    /// Flush the journal to disk (every apply already does; for signal handlers).
    pub fn flush_journal(&self) -> std::io::Result<()> {
        match &mut self.writer().journal {
            Some(j) => j.sync(),
            None => Ok(()),
        }
    }

    fn writer(&self) -> MutexGuard<'_, Writer> {
        // As for `lock`: a change that panicked changed nothing.
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the document half-changed: `apply`
        // changes it only after every check passed. So a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Read the search index and the suggester from the snapshots kept for `files` (the
    /// framework files the catalog was loaded from, as [`crate::catalog::Sources::files`] lists
    /// them) when they are current, instead of building them; a missing or stale snapshot is
    /// built and written as `search` and `suggest` would.
    pub fn use_snapshots(&self, files: Vec<PathBuf>) {
        let _ = self.framework_files.set(files);
    }

    /// The fuzzy-search index over the catalog (made once, on first use).
    pub fn search_index(&self) -> Arc<SearchIndex> {
        self.search
            .get_or_init(|| {
                Arc::new(match self.framework_files.get() {
                    Some(files) => crate::catalog::search_cache::index_for(
                        files,
                        &self.catalog,
                        crate::catalog::cache::dir().as_deref(),
                    ),
                    None => SearchIndex::new(&self.catalog),
                })
            })
            .clone()
    }

    /// Build the search index and the suggester on a background thread, so that the first
    /// finder opening does not wait for them (about a second with ESCO loaded). Opening the
    /// finder before they are ready waits only for the rest of the build.
    pub fn prepare_in_background(self: &Arc<Self>) {
        let hub = Arc::clone(self);
        let _ = std::thread::Builder::new()
            .name("microcred-indexes".into())
            .spawn(move || {
                hub.search_index();
                hub.suggester();
            });
    }

    /// Use an already built search index and suggester (made over the same catalog) instead
    /// of building them on first use; for harnesses that make many short-lived hubs.
    #[doc(hidden)]
    pub fn share_indexes(&self, search: Arc<SearchIndex>, suggester: Arc<Suggester>) {
        let _ = self.search.set(search);
        let _ = self.suggester.set(suggester);
    }

    /// The suggestion ranker over the catalog (made once, on first use).
    pub fn suggester(&self) -> Arc<Suggester> {
        self.suggester
            .get_or_init(|| {
                Arc::new(match self.framework_files.get() {
                    Some(files) => crate::catalog::suggest_cache::suggester_for(
                        files,
                        &self.catalog,
                        crate::catalog::cache::dir().as_deref(),
                    ),
                    None => Suggester::new(&self.catalog),
                })
            })
            .clone()
    }

    /// The catalog the document is checked against.
    pub fn catalog(&self) -> &Arc<Catalog> {
        &self.catalog
    }

    /// A view of version `version` made by `make`, made once and shared: every session showing
    /// that version gets the same one (a session behind the newest version makes its own).
    pub fn per_version<T: Any + Send + Sync>(
        &self,
        version: u64,
        make: impl FnOnce() -> T,
    ) -> Arc<T> {
        self.per_version_after(version, |_| make())
    }

    /// Like [`Hub::per_version`], but `make` is given the view kept for another version (the
    /// one before, as a rule), to make the new one from it.
    pub fn per_version_after<T: Any + Send + Sync>(
        &self,
        version: u64,
        make: impl FnOnce(Option<Arc<T>>) -> T,
    ) -> Arc<T> {
        let key = TypeId::of::<T>();
        let cached = {
            let views = self.per_version.lock().unwrap_or_else(|p| p.into_inner());
            views
                .get(&key)
                .and_then(|(v, view)| Some((*v, Arc::clone(view).downcast::<T>().ok()?)))
        };
        let prev = match cached {
            Some((v, view)) if v == version => return view,
            other => other.map(|(_, view)| view),
        };
        // Made outside the lock: sessions of other versions need not wait for it.
        let view = Arc::new(make(prev));
        let mut views = self.per_version.lock().unwrap_or_else(|p| p.into_inner());
        let newer = views.get(&key).is_some_and(|(v, _)| *v > version);
        if !newer {
            views.insert(key, (version, view.clone() as Arc<dyn Any + Send + Sync>));
        }
        view
    }

    /// The current version number.
    pub fn version(&self) -> u64 {
        self.lock().snapshot.version
    }

    /// Whether there are unsaved changes, and why the last save failed, if it did: what an
    /// autosave needs, without copying the document.
    pub fn save_status(&self) -> (bool, Option<String>) {
        let st = self.lock();
        (st.snapshot.dirty, st.snapshot.save_error.clone())
    }

    /// The changes made through this hub after the one numbered `seq` (0: all it keeps, at
    /// most [`activity::MAX_ACTIVITY`]), oldest first.
    pub fn activity_since(&self, seq: u64) -> Vec<Activity> {
        self.lock().activity.since(seq)
    }

    /// The number of the newest change in the activity log (0 before any).
    pub fn activity_last(&self) -> u64 {
        self.lock().activity.last()
    }

    /// The document as it is now.
    pub fn snapshot(&self) -> Snapshot {
        self.lock().snapshot.clone()
    }

    /// Apply `op` for `actor`; returns its inverse. Refused ops change nothing. With a journal,
    /// the op is on disk before the new version is visible to anyone.
    ///
    /// A change costs what it touches: it is made on the spare document when no session shows
    /// that any more (else on a copy of the current one), whether it changed anything is found
    /// by comparing what it touched, and the gap report and lookups are updated from what it
    /// touched where they can be (see [`super::derive_step`]).
    pub fn apply(&self, actor: &Actor, op: Op) -> Result<Op, Refusal> {
        let mut w = self.writer();
        // Changes happen only under the writer lock, so this copy stays current; readers go
        // on reading the old version while the op is checked, journaled and analysed.
        let (bound, before, report, derived) = {
            let st = self.lock();
            if let Some(why) = &st.snapshot.read_only {
                return Err(Refusal(why.clone()));
            }
            (
                st.size_bound,
                st.snapshot.ws.clone(),
                st.snapshot.report.clone(),
                st.snapshot.derived.clone(),
            )
        };
        // Measured on the first change when the opener did not know it.
        let bound = bound.unwrap_or_else(|| super::size::bound(&before));
        let mut ws = self
            .catch_up(w.spare.take())
            .unwrap_or_else(|| (*before).clone());
        let growth = op_growth(&op);
        let now = crate::clock::now_rfc3339();
        let entry = w.journal.as_ref().map(|_| journal::Entry {
            time: now.clone(),
            actor: actor.clone(),
            op: op.clone(),
        });
        // Named as the version it changes: a need removed is still there to be named.
        let named = crate::document::names::Named {
            ws: &before,
            derived: &derived,
            catalog: &self.catalog,
        };
        let item = Activity::of(actor, &op, &now, &named);
        let (inverse, applied) = match apply_stamped(&mut ws, &self.catalog, actor, op) {
            Ok(done) => done,
            Err(r) => {
                // Refused ops change nothing: the document is the current one still.
                w.spare = Some((Arc::new(ws), Vec::new()));
                return Err(r);
            }
        };
        if !crate::edit::changed(&before, &ws, &applied) {
            // A change that leaves the design as it was is none: no journal entry, no
            // version, no activity (and no stale sign-off). Its inverse is the empty batch.
            w.spare = Some((Arc::new(ws), Vec::new()));
            return Ok(Op::Batch { ops: Vec::new() });
        }
        let bound = check_size(&ws, bound.saturating_add(growth), self.size_limit())?;
        if let (Some(j), Some(entry)) = (&mut w.journal, entry) {
            if let Err(e) = j.append(&entry) {
                // Not on disk, so not done: the copy is dropped.
                return Err(Refusal(format!(
                    "the change could not be written to the journal {} ({e}); nothing was changed",
                    j.path().display()
                )));
            }
        }
        // Updated where the change touched them, else derived again.
        let (report, derived) = super::derive_step::step(
            &before,
            &ws,
            &applied,
            &report,
            &derived,
            &mut w.spare_report,
        )
        .unwrap_or_else(|| {
            let report = Arc::new(analyse(&ws));
            let derived = Arc::new(Derived::new(&ws, &report));
            (report, derived)
        });
        // The version replaced becomes the spare, one change behind.
        w.spare = Some((Arc::clone(&before), vec![(actor.clone(), applied)]));
        drop(before);
        let mut st = self.lock();
        st.size_bound = Some(bound);
        let snap = &mut st.snapshot;
        snap.ws = Arc::new(ws);
        snap.version += 1;
        snap.dirty = true;
        snap.report = report;
        snap.derived = derived;
        st.activity.push(item);
        Ok(inverse)
    }

    /// The spare document brought up to the current version, when no one else holds it and
    /// it is not too far behind: its changes applied again, as they were applied.
    fn catch_up(&self, spare: Option<Spare>) -> Option<Workspace> {
        let (old, behind) = spare?;
        if behind.len() > SPARE_BEHIND {
            return None;
        }
        let mut ws = Arc::try_unwrap(old).ok()?;
        for (actor, op) in behind {
            // Each applied to this very document before; should one not apply again, the
            // spare is not used.
            apply(&mut ws, &self.catalog, &actor, op).ok()?;
        }
        Some(ws)
    }

    /// Save atomically to `path` (or the current path) and remember it as the document's file.
    ///
    /// When saving to the document's own file and that file changed on disk since it was
    /// loaded or saved (size or content hash differ), nothing is overwritten: our version is
    /// written to a conflict copy beside it (once per distinct version: trying again names the
    /// same copy) and the error names that copy. A clean save removes the journal. A failed
    /// save is kept in the snapshot (`save_error`) for every session to show, until one
    /// succeeds.
    ///
    /// A design without a stable id gets one first (`credential.id`, a new `urn:uuid:`, and
    /// `version: "1"` when it has no version), as a change of its own in the journal and the
    /// activity log.
    ///
    /// The document is written out before any lock is taken, so neither changes nor readers
    /// (every session drawing its screen) wait for that; only when a change came in meanwhile
    /// is it written again, holding off further changes until the file is saved.
    pub fn save(&self, path: Option<&Path>) -> std::io::Result<PathBuf> {
        self.give_identity();
        let ws = self.lock().snapshot.ws.clone();
        let text = super::workspace_to_string(&ws);
        let mut w = self.writer();
        let result = self.save_locked(&mut w, path, (ws, text));
        drop(w);
        let mut st = self.lock();
        let error = result.as_ref().err().map(ToString::to_string);
        if st.snapshot.save_error != error {
            st.snapshot.save_error = error;
            st.snapshot.version += 1;
        }
        result
    }

    /// Give the design its stable id if it has none (and is not read-only). Two sessions
    /// saving at once cannot give it two: the second id is refused.
    fn give_identity(&self) {
        {
            let st = self.lock();
            if st.snapshot.read_only.is_some() || st.snapshot.ws.credential.id.is_some() {
                return;
            }
        }
        let id = crate::model::identity::stable_id(rand::random());
        let mut op = Op::SetCredentialId { id: Some(id) };
        let credential = self.snapshot().ws.credential.clone();
        if credential.version.is_none() {
            // A design without a version is its first version: say so in the file.
            op = Op::Batch {
                ops: vec![
                    op,
                    Op::SetCredential {
                        credential: Box::new(crate::model::Credential {
                            version: Some(crate::model::FIRST_VERSION.into()),
                            ..credential
                        }),
                    },
                ],
            };
        }
        let _ = self.apply(&Actor::designer("microcred"), op);
    }

    /// Save under the writer lock (no change can come in), taking the state's lock only to
    /// read and to record; `written` is the document as written out beforehand (used when it
    /// is still the current one).
    fn save_locked(
        &self,
        w: &mut Writer,
        path: Option<&Path>,
        written: (Arc<Workspace>, String),
    ) -> std::io::Result<PathBuf> {
        let (ws, own_path, disk, conflict) = {
            let st = self.lock();
            if let Some(why) = &st.snapshot.read_only {
                return Err(std::io::Error::other(why.clone()));
            }
            (
                st.snapshot.ws.clone(),
                st.snapshot.path.clone(),
                st.disk.clone(),
                st.conflict.clone(),
            )
        };
        let target = path
            .map(Path::to_path_buf)
            .or_else(|| own_path.clone())
            .ok_or_else(|| {
                std::io::Error::new(std::io::ErrorKind::InvalidInput, "no file name yet")
            })?;
        let text = if Arc::ptr_eq(&written.0, &ws) {
            written.1
        } else {
            super::workspace_to_string(&ws)
        };
        let max = self.size_limit();
        if text.len() as u64 > max {
            return Err(std::io::Error::other(too_big_message(
                text.len() as u64,
                max,
            )));
        }
        use sha2::{Digest, Sha256};
        let sha = crate::store::hex::hex(&Sha256::digest(text.as_bytes()));
        let own_file = own_path.as_deref() == Some(target.as_path());
        if own_file {
            let now = store::Stamp::read(&target).map_err(|e| store::with_path(&target, e))?;
            if store::changed_on_disk(disk.as_ref(), now.as_ref()) {
                let copy = match &conflict {
                    Some((h, p)) if *h == sha && p.exists() => p.clone(),
                    _ => {
                        let p = store::write_conflict_copy(&target, text.as_bytes())?;
                        self.lock().conflict = Some((sha, p.clone()));
                        p
                    }
                };
                return Err(std::io::Error::other(format!(
                    "the file changed on disk; your version is in {}; compare and merge, then open the one to keep",
                    copy.display()
                )));
            }
        } else if w.journaling {
            // Saving under a new name: that file becomes the one this hub edits.
            let lock = store::EditLock::acquire(&target, "microcred").map_err(|e| {
                std::io::Error::other(format!("not saved to {}: {e}", target.display()))
            })?;
            w.lock = Some(lock);
        }
        if let Some(j) = &mut w.journal {
            // If we die after the rename below but before the journal is removed, this mark
            // tells recovery that the changes before it are in the file already. Should it not
            // be written, the save goes on: at worst recovery offers those changes again.
            let _ = j.mark_saving(&sha, &crate::clock::now_rfc3339());
        }
        store::write_atomic(&target, text.as_bytes())?;
        if let Some(lock) = &mut w.lock {
            // The save may have made a new file: lock it, so that no other name opens it.
            lock.follow_file();
        }
        let disk = store::Stamp::read(&target).ok().flatten();
        if let Some(j) = &mut w.journal {
            // Saved: the journal's changes are in the file now.
            let _ = j.remove();
        }
        if w.journaling {
            w.journal = Some(Journal::new(
                journal::path_for(&target),
                disk_hash(disk.as_ref()),
            ));
        }
        let mut st = self.lock();
        st.disk = disk;
        st.size_bound = Some(text.len() as u64);
        let snap = &mut st.snapshot;
        snap.path = Some(target.clone());
        snap.dirty = false;
        snap.version += 1;
        Ok(target)
    }
}

/// The hash a journal records as its base: the file's SHA-256, empty when there is no file.
fn disk_hash(stamp: Option<&store::Stamp>) -> String {
    stamp.map_or_else(String::new, |s| crate::store::hex::hex(&s.sha256))
}

/// How much an op can grow the saved file, at most: its own text twice over (YAML's keys and
/// indentation against JSON's quotes) and a line's worth more.
fn op_growth(op: &Op) -> u64 {
    serde_json::to_vec(op).map_or(u64::MAX / 4, |v| v.len() as u64 * 2 + 256)
}

/// Refuse a changed document that would be larger than a workspace file may be; returns a
/// new upper bound of its size. Only when the cheap bound passes the limit is the document
/// written out to measure it exactly.
fn check_size(ws: &Workspace, bound: u64, max: u64) -> Result<u64, Refusal> {
    if bound <= max {
        return Ok(bound);
    }
    let exact = super::workspace_to_string(ws).len() as u64;
    if exact > max {
        return Err(Refusal(too_big_message(exact, max)));
    }
    Ok(exact)
}

fn too_big_message(len: u64, max: u64) -> String {
    format!(
        "this would make the design {}, and a workspace file may be at most {}; nothing was changed (shorten or remove comments and text first)",
        store::describe_size(len),
        describe_limit(max)
    )
}

/// A size limit as people read it: whole mebibytes as "16 MiB", else in bytes.
fn describe_limit(max: u64) -> String {
    if max.is_multiple_of(1_048_576) {
        format!("{} MiB", max / 1_048_576)
    } else {
        store::describe_size(max)
    }
}

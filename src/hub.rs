//! The Hub: the single owner of a document. Every session (the local TUI, each SSH
//! connection) sends it `Op`s with its actor; the Hub applies them one at a time, bumps the
//! version, recomputes the gap report once for everyone, and saves.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use crate::analysis::gap::{GapReport, analyse};
use crate::analysis::search::SearchIndex;
use crate::analysis::suggest::Suggester;
use crate::catalog::Catalog;
use crate::edit::{Actor, Op, Refusal, apply};
use crate::journal::{self, Journal};
use crate::model::Workspace;
use crate::store;

/// A consistent view of the document at one version.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub version: u64,
    pub ws: Workspace,
    pub report: Arc<GapReport>,
    pub path: Option<PathBuf>,
    /// Changed since the last save.
    pub dirty: bool,
}

struct State {
    snapshot: Snapshot,
    /// The file as last loaded or saved, to notice changes made behind our back.
    disk: Option<store::Stamp>,
}

/// What only a change (an apply, a recovery, a save) touches. Its lock is taken before the
/// state's and held for the whole change, so changes happen one at a time and the journal's
/// order is the order of versions, while readers wait only for the final swap, never for the
/// journal's disk flush.
struct Writer {
    /// Write every applied op to a journal beside the file (off for in-memory hubs).
    journaling: bool,
    journal: Option<Journal>,
}

/// The document owner shared by all sessions.
pub struct Hub {
    catalog: Arc<Catalog>,
    writer: Mutex<Writer>,
    state: Mutex<State>,
    /// Built on first use, shared by every session.
    search: OnceLock<Arc<SearchIndex>>,
    suggester: OnceLock<Arc<Suggester>>,
}

impl Hub {
    /// A hub over `ws`, saved to `path`.
    pub fn new(ws: Workspace, catalog: Arc<Catalog>, path: Option<PathBuf>) -> Arc<Hub> {
        let report = Arc::new(analyse(&ws, &catalog));
        Arc::new(Hub {
            catalog,
            search: OnceLock::new(),
            suggester: OnceLock::new(),
            writer: Mutex::new(Writer {
                journaling: false,
                journal: None,
            }),
            state: Mutex::new(State {
                disk: path
                    .as_deref()
                    .and_then(|p| store::Stamp::read(p).ok().flatten()),
                snapshot: Snapshot {
                    version: 0,
                    ws,
                    report,
                    path,
                    dirty: false,
                },
            }),
        })
    }

    /// A hub like [`Hub::new`] that also journals every applied op beside its file (once it has
    /// one): the hub of an editing session. See [`crate::journal`].
    pub fn open(ws: Workspace, catalog: Arc<Catalog>, path: Option<PathBuf>) -> Arc<Hub> {
        let hub = Hub::new(ws, catalog, path);
        {
            let mut w = hub.writer();
            w.journaling = true;
            w.journal = hub
                .lock()
                .snapshot
                .path
                .as_deref()
                .map(|p| Journal::new(journal::path_for(p)));
        }
        hub
    }

    /// Re-apply the changes of a journal left behind (each with its own actor), then rewrite
    /// the journal to hold exactly them. Returns how many were applied and why the others
    /// were not.
    pub fn recover(&self, found: &journal::Found) -> (usize, Vec<String>) {
        let mut w = self.writer();
        let mut st = self.lock();
        let mut kept = Vec::new();
        let mut refused = found.skipped.clone();
        for (i, e) in found.entries.iter().enumerate() {
            match apply(&mut st.snapshot.ws, &self.catalog, &e.actor, e.op.clone()) {
                Ok(_) => kept.push(e.clone()),
                Err(r) => refused.push(format!("change {} not restored: {r}", i + 1)),
            }
        }
        if !kept.is_empty() {
            let snap = &mut st.snapshot;
            snap.version += 1;
            snap.dirty = true;
            snap.report = Arc::new(analyse(&snap.ws, &self.catalog));
        }
        if let Some(j) = &mut w.journal {
            if let Err(e) = j.rewrite(&kept) {
                refused.push(format!("the journal could not be rewritten: {e}"));
            }
        }
        (kept.len(), refused)
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

    /// The fuzzy-search index over the catalog (built once, on first use).
    pub fn search_index(&self) -> Arc<SearchIndex> {
        self.search
            .get_or_init(|| Arc::new(SearchIndex::new(&self.catalog)))
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

    /// The suggestion ranker over the catalog (built once, on first use).
    pub fn suggester(&self) -> Arc<Suggester> {
        self.suggester
            .get_or_init(|| Arc::new(Suggester::new(&self.catalog)))
            .clone()
    }

    /// The catalog the document is checked against.
    pub fn catalog(&self) -> &Arc<Catalog> {
        &self.catalog
    }

    /// The current version number.
    pub fn version(&self) -> u64 {
        self.lock().snapshot.version
    }

    /// The document as it is now.
    pub fn snapshot(&self) -> Snapshot {
        self.lock().snapshot.clone()
    }

    /// Apply `op` for `actor`; returns its inverse. Refused ops change nothing. With a journal,
    /// the op is on disk before the new version is visible to anyone.
    pub fn apply(&self, actor: &Actor, op: Op) -> Result<Op, Refusal> {
        let mut w = self.writer();
        // Changes happen only under the writer lock, so this copy stays current; readers go
        // on reading the old version while the op is checked, journaled and analysed.
        let mut ws = self.lock().snapshot.ws.clone();
        let entry = w.journal.as_ref().map(|_| journal::Entry {
            time: crate::export::now_rfc3339(),
            actor: actor.clone(),
            op: op.clone(),
        });
        let inverse = apply(&mut ws, &self.catalog, actor, op)?;
        if let (Some(j), Some(entry)) = (&mut w.journal, entry) {
            if let Err(e) = j.append(&entry) {
                // Not on disk, so not done: the copy is dropped.
                return Err(Refusal(format!(
                    "the change could not be written to the journal {} ({e}); nothing was changed",
                    j.path().display()
                )));
            }
        }
        let report = Arc::new(analyse(&ws, &self.catalog));
        let mut st = self.lock();
        let snap = &mut st.snapshot;
        snap.ws = ws;
        snap.version += 1;
        snap.dirty = true;
        snap.report = report;
        Ok(inverse)
    }

    /// Save atomically to `path` (or the current path) and remember it as the document's file.
    ///
    /// When saving to the document's own file and that file changed on disk since it was
    /// loaded or saved (size or content hash differ), nothing is overwritten: our version is
    /// written to a conflict copy beside it and the error names that copy. A clean save
    /// removes the journal.
    pub fn save(&self, path: Option<&Path>) -> std::io::Result<PathBuf> {
        let mut w = self.writer();
        let mut st = self.lock();
        let st = &mut *st;
        let snap = &mut st.snapshot;
        let target = path
            .map(Path::to_path_buf)
            .or_else(|| snap.path.clone())
            .ok_or_else(|| {
                std::io::Error::new(std::io::ErrorKind::InvalidInput, "no file name yet")
            })?;
        if snap.path.as_deref() == Some(target.as_path()) {
            let now = store::Stamp::read(&target)?;
            if store::changed_on_disk(st.disk.as_ref(), now.as_ref()) {
                let copy = store::conflict_path(&target);
                store::save_workspace(&copy, &snap.ws)?;
                return Err(std::io::Error::other(format!(
                    "the file changed on disk; your version is in {}; compare and merge, then open the one to keep",
                    copy.display()
                )));
            }
        }
        let text = store::workspace_to_string(&snap.ws);
        if let Some(j) = &mut w.journal {
            // If we die after the rename below but before the journal is removed, this mark
            // tells recovery that the changes before it are in the file already. Should it not
            // be written, the save goes on: at worst recovery offers those changes again.
            use sha2::{Digest, Sha256};
            let sha = journal::hex(&Sha256::digest(text.as_bytes()));
            let _ = j.mark_saving(&sha, &crate::export::now_rfc3339());
        }
        store::write_atomic(&target, text.as_bytes())?;
        st.disk = store::Stamp::read(&target).ok().flatten();
        if let Some(j) = &mut w.journal {
            // Saved: the journal's changes are in the file now.
            let _ = j.remove();
        }
        if w.journaling {
            w.journal = Some(Journal::new(journal::path_for(&target)));
        }
        snap.path = Some(target.clone());
        snap.dirty = false;
        snap.version += 1;
        Ok(target)
    }
}

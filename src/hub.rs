//! The Hub: the single owner of a document. Every session (the local TUI, each SSH
//! connection) sends it `Op`s with its actor; the Hub applies them one at a time, bumps the
//! version, recomputes the gap report once for everyone, and saves.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::analysis::gap::{GapReport, analyse};
use crate::catalog::Catalog;
use crate::edit::{Actor, Op, Refusal, apply};
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
}

/// The document owner shared by all sessions.
pub struct Hub {
    catalog: Arc<Catalog>,
    state: Mutex<State>,
}

impl Hub {
    /// A hub over `ws`, saved to `path`.
    pub fn new(ws: Workspace, catalog: Arc<Catalog>, path: Option<PathBuf>) -> Arc<Hub> {
        let report = Arc::new(analyse(&ws, &catalog));
        Arc::new(Hub {
            catalog,
            state: Mutex::new(State {
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

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the document half-changed: `apply`
        // changes it only after every check passed. So a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
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

    /// Apply `op` for `actor`; returns its inverse. Refused ops change nothing.
    pub fn apply(&self, actor: &Actor, op: Op) -> Result<Op, Refusal> {
        let mut st = self.lock();
        let snap = &mut st.snapshot;
        let inverse = apply(&mut snap.ws, &self.catalog, actor, op)?;
        snap.version += 1;
        snap.dirty = true;
        snap.report = Arc::new(analyse(&snap.ws, &self.catalog));
        Ok(inverse)
    }

    /// Save atomically to `path` (or the current path) and remember it as the document's file.
    pub fn save(&self, path: Option<&Path>) -> std::io::Result<PathBuf> {
        let mut st = self.lock();
        let snap = &mut st.snapshot;
        let target = path
            .map(Path::to_path_buf)
            .or_else(|| snap.path.clone())
            .ok_or_else(|| {
                std::io::Error::new(std::io::ErrorKind::InvalidInput, "no file name yet")
            })?;
        store::save_workspace(&target, &snap.ws)?;
        snap.path = Some(target.clone());
        snap.dirty = false;
        snap.version += 1;
        Ok(target)
    }
}

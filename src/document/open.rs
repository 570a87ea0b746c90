//! Opening a document for editing, the same way for the editor and the server: load the
//! catalog, take the file's edit lock, load the workspace, make its [`Hub`] and read the
//! journal left behind. Nothing is printed: what was found comes back as data, and the caller
//! decides (the editor asks, the server recovers by itself).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Hub, journal};
use crate::catalog::{self, Sources};
use crate::model::Workspace;
use crate::problem::Problems;
use crate::store::{EditLock, LockError};

/// What to do when the file is open for editing elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Busy {
    /// Open it anyway, read-only: every change and save is refused.
    ReadOnly,
    /// Do not open it: [`OpenError::Busy`].
    Refuse,
}

/// Why a document could not be opened.
#[derive(Debug)]
pub enum OpenError {
    /// The frameworks could not be loaded.
    Catalog(Problems),
    /// The edit lock could not be taken (not because someone holds it): "FILE why".
    Lock(String),
    /// Someone else edits the file ("FILE is open for editing in …") and [`Busy::Refuse`].
    Busy(String),
    /// The workspace file is not a valid workspace.
    Workspace(Problems),
}

/// What was left behind in the journal of the file opened.
#[derive(Debug)]
pub enum Leftover {
    /// No journal, or none was read (the document is read-only or has no file).
    Nothing,
    /// A journal that holds no change: it was removed. `skipped` says which lines were not
    /// entries.
    Empty {
        /// One warning per line that was not an entry.
        skipped: Vec<String>,
    },
    /// A journal that could not be read (too big, not a file of ours); it was not changed.
    Unreadable {
        /// The journal's path.
        path: PathBuf,
        /// Why it could not be read.
        error: std::io::Error,
        /// Where the editor moved it aside, untouched ([`journal::move_unreadable`]), so that
        /// new changes go to a new journal and no save removes it; `None` where it was left
        /// in place (the server and `evidence add` refuse to go on instead).
        moved: Option<PathBuf>,
    },
    /// Unsaved changes, not applied yet: [`Hub::recover`] or [`Hub::recover_into_copy`] them,
    /// or [`journal::set_aside`] the journal.
    Found(journal::Found),
}

/// An opened document.
pub struct Opened {
    /// The document's owner (read-only when `busy`).
    pub hub: Arc<Hub>,
    /// Who edits the file when it was opened read-only ("FILE is open for editing in …").
    pub busy: Option<String>,
    /// What the journal held.
    pub leftover: Leftover,
}

/// Open the workspace at `workspace` (a missing file starts a new design there; `None` is a
/// design without a file) with the frameworks at `frameworks` as `program` (named in the edit
/// lock).
pub fn open(
    frameworks: &[PathBuf],
    workspace: Option<&Path>,
    program: &str,
    busy: Busy,
) -> Result<Opened, OpenError> {
    let sources = Sources::new(frameworks.to_vec(), workspace);
    let catalog = catalog::load(&sources).map_err(OpenError::Catalog)?;
    // The search index and the suggester are read from the snapshots `search` and `suggest`
    // keep for these files when current, instead of being built at every start.
    let files = sources.files().unwrap_or_default();
    // One editor per file: the lock is taken before the file and its journal are read.
    let lock = match workspace {
        None => None,
        Some(p) => match EditLock::acquire(p, program) {
            Ok(lock) => Some(Ok(lock)),
            Err(held @ LockError::Held(_)) => {
                let who = format!("{} {held}", p.display());
                if busy == Busy::Refuse {
                    return Err(OpenError::Busy(who));
                }
                Some(Err((
                    format!(
                        "Read-only: {who}. Changes here are refused; close that editor (or connect to that server) to edit."
                    ),
                    who,
                )))
            }
            // A file in a folder we may not write to can still be read: it opens read-only.
            Err(e) if busy == Busy::ReadOnly && p.is_file() => {
                let who = format!("{} {e}", p.display());
                Some(Err((
                    format!(
                        "Read-only: {who}. Changes here are refused, since they could be neither journaled nor saved."
                    ),
                    who,
                )))
            }
            Err(e) => return Err(OpenError::Lock(format!("{} {e}", p.display()))),
        },
    };
    // Through the parsed-design cache: a design unchanged since it was last read comes back
    // from its JSON copy (several times faster than parsing the YAML) and is checked against
    // the catalog as a parsed one is.
    let (ws, bound) = match workspace {
        Some(p) if p.exists() => {
            super::design_cache::load_design_measured(p, &catalog).map_err(OpenError::Workspace)?
        }
        _ => (Workspace::default(), None),
    };
    let path = workspace.map(Path::to_path_buf);
    let catalog = Arc::new(catalog);
    let opened = match lock {
        Some(Err((why, who))) => Opened {
            hub: Hub::read_only(ws, catalog, path, why),
            busy: Some(who),
            leftover: Leftover::Nothing,
        },
        lock => {
            let mut leftover = workspace.map_or(Leftover::Nothing, leftover);
            // The editor goes on with a journal it cannot read moved aside (never removed by a
            // save); if even that fails, it opens read-only and leaves the journal alone.
            if let (Busy::ReadOnly, Leftover::Unreadable { path: j, error, .. }) = (busy, &leftover)
            {
                match journal::move_unreadable(j) {
                    Ok(to) => {
                        leftover = Leftover::Unreadable {
                            path: j.clone(),
                            error: std::io::Error::new(error.kind(), error.to_string()),
                            moved: Some(to),
                        }
                    }
                    Err(e) => {
                        let why = format!(
                            "Read-only: the journal {} could not be read ({error}) nor moved aside ({e}); move it away yourself to edit this design.",
                            j.display()
                        );
                        let hub = Hub::read_only(ws, catalog, path, why.clone());
                        hub.use_snapshots(files);
                        return Ok(Opened {
                            hub,
                            busy: Some(why),
                            leftover,
                        });
                    }
                }
            }
            let hub = Hub::open(ws, catalog, path);
            if let Some(Ok(l)) = lock {
                hub.keep_lock(l);
            }
            Opened {
                hub,
                busy: None,
                leftover,
            }
        }
    };
    if let Some(b) = bound {
        opened.hub.know_size_bound(b);
    }
    opened.hub.use_snapshots(files);
    Ok(opened)
}

/// Read the journal left behind beside `workspace`; an empty one is removed.
fn leftover(workspace: &Path) -> Leftover {
    match journal::find(workspace) {
        Ok(None) => Leftover::Nothing,
        Err(error) => Leftover::Unreadable {
            path: journal::path_for(workspace),
            error,
            moved: None,
        },
        Ok(Some(found)) if found.entries.is_empty() => {
            let _ = std::fs::remove_file(&found.path);
            Leftover::Empty {
                skipped: found.skipped,
            }
        }
        Ok(Some(found)) => Leftover::Found(found),
    }
}

impl journal::Found {
    /// " made at T" or " made T1 – T2": when the changes were made, or nothing.
    pub fn when(&self) -> String {
        match (self.entries.first(), self.entries.last()) {
            (Some(a), Some(b)) if a.time == b.time => format!(" made at {}", a.time),
            (Some(a), Some(b)) => format!(" made {} – {}", a.time, b.time),
            _ => String::new(),
        }
    }
}

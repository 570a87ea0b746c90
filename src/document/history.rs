//! A design's history: the commits that touched its file (through [`crate::store::git`]), each
//! with what it changed in the design's terms ([`crate::analysis::diff`]), and the changes not
//! saved yet (the [`journal`](super::journal)). Shared by `microcred log` and the editor's
//! history view.
//!
//! Each version is parsed only (no check against the catalog: an old version may name a
//! framework no longer installed), so a version that does not parse is listed with its located
//! error. Reading versions costs a `git show` and a parse each; [`changes`] reads each version
//! once and reports commit by commit, so a caller can show the list while the rest is read.

use std::path::Path;

use crate::analysis::diff::{DesignDiff, diff};
use crate::model::Workspace;
use crate::store::git::{self, Commit};

/// How many commits are listed unless asked otherwise.
pub const DEFAULT_MAX: usize = 50;

/// Where the file's history is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Commits {
    /// git cannot be run: why.
    NoGit(String),
    /// The file is not in a git repository.
    NoRepository,
    /// The commits that touched the file, newest first: `shown` of them are to be listed; one
    /// more, when there is one, is the version the oldest listed one changed.
    Found { commits: Vec<Commit>, shown: usize },
}

/// The commits that touched the file at `path`, at most `max` listed (see [`Commits`]).
pub fn commits(path: &Path, max: usize, all: bool) -> Result<Commits, String> {
    match git::tracking(path) {
        git::Tracking::NoGit(e) => return Ok(Commits::NoGit(e)),
        git::Tracking::NoRepository => return Ok(Commits::NoRepository),
        git::Tracking::Repository(_) => {}
    }
    let commits = git::log(path, max.saturating_add(1), all)?;
    let shown = commits.len().min(max);
    Ok(Commits::Found { commits, shown })
}

/// The design as it was at `commit`, or the located reason it cannot be read.
pub fn version_at(path: &Path, commit: &Commit) -> Result<Workspace, String> {
    let text = commit.text(path)?;
    let name = format!("{}@{}", commit.path, git::short(&commit.hash));
    crate::store::yaml::parse_named(&text, &name).map_err(|p| p.to_string())
}

/// For each of the first `shown` commits, newest first, what it changed: the difference from
/// the version before it (the next commit in the list, or an empty design when it is the
/// first), or why that could not be read. Each version is read once. `each` is called with the
/// commit's index and its change; it returns false to stop (nobody is waiting any more).
pub fn changes(
    path: &Path,
    commits: &[Commit],
    shown: usize,
    each: impl FnMut(usize, Result<DesignDiff, String>) -> bool,
) {
    changes_with(path, commits, shown, version_at, diff, each);
}

/// [`changes`] for any kind of file: `read` gives the version at a commit, `compare` the
/// difference from an older version to a newer one (the oldest is compared with `V::default()`).
pub fn changes_with<V: Default, D>(
    path: &Path,
    commits: &[Commit],
    shown: usize,
    read: impl Fn(&Path, &Commit) -> Result<V, String>,
    compare: impl Fn(&V, &V) -> D,
    mut each: impl FnMut(usize, Result<D, String>) -> bool,
) {
    let Some(first) = commits.first() else {
        return;
    };
    let mut newer = read(path, first);
    for i in 0..shown.min(commits.len()) {
        let older = match commits.get(i + 1) {
            Some(c) => read(path, c),
            None => Ok(V::default()),
        };
        let change = match (&newer, &older) {
            (Ok(n), Ok(o)) => Ok(compare(o, n)),
            (Err(e), _) => Err(e.clone()),
            (Ok(_), Err(e)) => Err(format!("the version before it cannot be read: {e}")),
        };
        if !each(i, change) {
            return;
        }
        newer = older;
    }
}

/// One change not saved yet, from the journal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Unsaved {
    /// When (RFC 3339 UTC).
    pub time: String,
    /// Who made it.
    pub who: String,
    /// What it does, as a sentence.
    pub what: String,
}

/// The changes in the journal of the workspace at `path` (none when there is no journal).
/// With the frameworks (`catalog`), each names needs, partners and competencies as the saved
/// file does (a need added in the journal itself stands by its id); without, by ids.
pub fn unsaved(
    path: &Path,
    catalog: Option<&crate::catalog::Catalog>,
) -> Result<Vec<Unsaved>, String> {
    let found = super::journal::find(path).map_err(|e| e.to_string())?;
    let Some(found) = found else {
        return Ok(Vec::new());
    };
    let saved = catalog.and_then(|c| {
        let ws = super::load_workspace(path, c).ok()?.workspace;
        let derived = super::derived::Derived::new(&ws, &crate::analysis::gap::analyse(&ws));
        Some((ws, derived, c))
    });
    let named = saved
        .as_ref()
        .map(|(ws, derived, catalog)| super::names::Named {
            ws,
            derived,
            catalog,
        });
    let names: &dyn crate::text::names::Names = match &named {
        Some(n) => n,
        None => &crate::text::names::Unnamed,
    };
    Ok(found
        .entries
        .iter()
        .map(|e| Unsaved {
            time: e.time.clone(),
            who: e.actor.name.clone(),
            what: crate::edit::sentence_in(&e.op, names),
        })
        .collect())
}

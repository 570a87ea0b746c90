//! One open document: the workspace file (load, canonical text, save), the [`journal`] of
//! unsaved changes, the [`Hub`] that owns the document while it is open, and [`open`], the one
//! way the editor and the server open a file.

pub mod activity;
pub mod derive_step;
pub mod derived;
pub mod design_cache;
pub mod handoff;
pub mod history;
pub mod hub;
pub mod journal;
pub mod names;
mod open;
pub mod portfolio;
pub mod size;

pub use hub::Hub;
pub use open::{Busy, Leftover, OpenError, Opened, open};

use std::path::Path;

use crate::catalog::Catalog;
use crate::model::Workspace;
use crate::model::validate;
use crate::problem::{Problem, Problems};
use crate::store;

/// A workspace with the warnings found while loading it.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub workspace: Workspace,
    /// The exact text read, for conflict checks and hashing.
    pub text: String,
    pub warnings: Vec<Problem>,
}

/// Parse and check a workspace from text against the catalog.
pub fn workspace_from_str(src: &str, name: &str, catalog: &Catalog) -> Result<Loaded, Problems> {
    let ws: Workspace = store::yaml::parse_named(src, name)?;
    let problems = store::yaml::located(src, name, validate::workspace(&ws, catalog));
    if problems.iter().any(Problem::is_error) {
        return Err(Problems(problems));
    }
    Ok(Loaded {
        workspace: ws,
        text: src.to_string(),
        warnings: problems,
    })
}

/// Read and check a workspace file.
pub fn load_workspace(path: &Path, catalog: &Catalog) -> Result<Loaded, Problems> {
    let src = store::read_text(path)?;
    workspace_from_str(&src, &path.display().to_string(), catalog)
}

/// The canonical text of a workspace.
pub fn workspace_to_string(ws: &Workspace) -> String {
    // Workspace holds only strings, numbers, sequences and maps with string keys: it always
    // converts. The fallback keeps this total anyway.
    store::yaml::to_string(ws).unwrap_or_else(|e| format!("# cannot serialise: {e}\n"))
}

/// Save a workspace in canonical form, atomically.
pub fn save_workspace(path: &Path, ws: &Workspace) -> std::io::Result<()> {
    store::write_atomic(path, workspace_to_string(ws).as_bytes())
}

//! A command that changes a design open in an editor or a server hands its change to that
//! process (`document::handoff`) instead of refusing: it reads the document as the holder has
//! it, and sends its change there in the name of the person running it.

use std::path::Path;
use std::sync::Arc;

use crate::document::Hub;
use crate::document::handoff::{self, AskError, Reply, Request};
use crate::edit::{Actor, Op};
use crate::model::Workspace;

/// Where a command's change goes.
pub(super) enum Target {
    /// The design, opened (and locked) by this command.
    Here(Arc<Hub>),
    /// The process that has the design open; the document as it has it.
    Holder(Arc<Workspace>),
}

/// Why the holder could not be reached.
pub(super) enum Unreached {
    /// Nothing takes changes for this design: go on as if the holder did not listen.
    NotListening,
    /// It listens, but said no or could not be understood (what, in words).
    Failed(String),
}

impl Target {
    /// The document to work out the change from.
    pub(super) fn workspace(&self) -> Arc<Workspace> {
        match self {
            Target::Here(hub) => hub.snapshot().ws,
            Target::Holder(ws) => ws.clone(),
        }
    }
}

/// The document as the process that has `ws_path` open has it now.
pub(super) fn holder(ws_path: &Path) -> Result<Target, Unreached> {
    match handoff::ask(ws_path, &Request::Document) {
        Ok(Reply::Document { workspace, .. }) => Ok(Target::Holder(Arc::new(*workspace))),
        Ok(Reply::Refused { reason }) => Err(Unreached::Failed(reason)),
        Ok(Reply::Applied { .. }) => Err(Unreached::Failed("an answer out of turn".into())),
        Err(AskError::NotListening(_)) => Err(Unreached::NotListening),
        Err(AskError::Failed(e)) => Err(Unreached::Failed(e)),
    }
}

/// Hand `op` to the process that has `ws_path` open, as a change by the person running this
/// command; the version it made, or why nothing was changed.
pub(super) fn apply(ws_path: &Path, op: Op) -> Result<u64, String> {
    let who = person(ws_path);
    match handoff::ask(
        ws_path,
        &Request::Apply {
            who,
            op: Box::new(op),
        },
    ) {
        Ok(Reply::Applied { version }) => Ok(version),
        Ok(Reply::Refused { reason }) => Err(reason),
        Ok(Reply::Document { .. }) => Err("an answer out of turn; nothing was changed".into()),
        Err(AskError::NotListening(e)) => Err(format!(
            "the editor that has it open stopped listening ({e}); nothing was changed"
        )),
        Err(AskError::Failed(e)) => Err(e),
    }
}

/// The name of the person running the command, as the editor would name them.
fn person(ws_path: &Path) -> String {
    let dir = ws_path.parent().filter(|d| !d.as_os_str().is_empty());
    let Actor { name, .. } = crate::tui::local_actor(dir);
    name
}

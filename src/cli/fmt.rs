use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::store;

pub(super) fn run(paths: &[PathBuf], path: &Path, check: bool) -> ExitCode {
    // Never behind the back of an editor or a server that has the design open: their next
    // save would find the file changed and keep their version aside as a conflict copy. The
    // lock is taken before the file is read, so nobody saves it in between.
    let lock = (!check && path.is_file()).then(|| store::EditLock::acquire(path, "microcred fmt"));
    let _lock = match lock {
        None => None,
        Some(Ok(lock)) => Some(lock),
        Some(Err(held @ store::LockError::Held(_))) => {
            say!(
                "{}: not rewritten: it {held}\n    help: the editor that has it open writes it in canonical form when it saves",
                path.display()
            );
            return ExitCode::from(1);
        }
        Some(Err(e)) => {
            say!("{}: cannot write: the file {e}", path.display());
            return ExitCode::from(1);
        }
    };
    let cat = match super::load_catalog(paths, Some(path)) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let loaded = match crate::document::load_workspace(path, &cat) {
        Ok(l) => l,
        Err(p) => {
            super::report(&p);
            return ExitCode::from(1);
        }
    };
    let canonical = crate::document::workspace_to_string(&loaded.workspace);
    if canonical == loaded.text {
        return ExitCode::SUCCESS;
    }
    if check {
        say!(
            "{}: not in canonical form\n    help: run `microcred fmt {}` to rewrite it",
            path.display(),
            path.display()
        );
        return ExitCode::from(1);
    }
    match store::write_atomic(path, canonical.as_bytes()) {
        Ok(()) => {
            say!("{}: rewritten in canonical form", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            say!("{}: cannot write: {e}", path.display());
            ExitCode::from(1)
        }
    }
}

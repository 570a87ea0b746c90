//! One editor per file: an advisory lock (`flock`) on `.NAME.yaml.lock` beside the workspace,
//! held for as long as the design is open for editing. The file says who holds it (program,
//! pid, user, host, since when) so that a second opener can be told. The kernel releases the
//! lock when the holder dies, so a crash never leaves a design locked.
//!
//! The lock knows the file, not the name it was opened by: a symbolic link is followed to the
//! file it names (the lock file is beside that file), and the workspace file itself is locked
//! too, so that a second name for it (a hard link) finds it busy. A save that replaces the
//! file takes that lock again on the new file ([`EditLock::follow_file`]).

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::write::{open_own, sync_dir};

/// Who holds the lock, as written in the lock file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    /// `microcred` (the editor) or `microcred serve`.
    pub program: String,
    pub pid: u32,
    pub user: String,
    pub host: String,
    /// RFC 3339 UTC.
    pub since: String,
}

impl std::fmt::Display for Holder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} (pid {}, user {} on {}) since {}",
            self.program, self.pid, self.user, self.host, self.since
        )
    }
}

/// Why the lock was not taken.
#[derive(Debug)]
pub enum LockError {
    /// Someone else edits the file; who, when the lock file says (it may be unreadable).
    Held(Option<Holder>),
    /// The lock file could not be made or locked.
    Io(io::Error),
}

impl std::fmt::Display for LockError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LockError::Held(Some(h)) => write!(f, "is open for editing in {h}"),
            LockError::Held(None) => write!(f, "is open for editing in another microcred"),
            LockError::Io(e) => write!(f, "cannot be locked for editing: {e}"),
        }
    }
}

/// The lock of one open design; released (and its file removed) when dropped.
#[derive(Debug)]
pub struct EditLock {
    path: PathBuf,
    file: File,
    /// The workspace file, links followed.
    workspace: PathBuf,
    /// The workspace file itself, locked while it exists (none for a design not saved yet).
    held_file: Option<File>,
}

/// The lock file of the workspace at `workspace`: `.NAME.yaml.lock` in the same folder.
pub fn lock_path(workspace: &Path) -> PathBuf {
    let name = workspace
        .file_name()
        .map_or_else(|| "workspace".into(), |s| s.to_string_lossy().into_owned());
    workspace.with_file_name(format!(".{name}.lock"))
}

impl EditLock {
    /// Take the lock of `workspace` for `program`, or say who holds it.
    pub fn acquire(workspace: &Path, program: &str) -> Result<EditLock, LockError> {
        let workspace = super::write::resolve_links(workspace).map_err(LockError::Io)?;
        let path = lock_path(&workspace);
        // A holder that stops removes the file while it still holds the lock; whoever opened
        // the old file meanwhile sees that the name moved on and tries again.
        for _ in 0..16 {
            let file = open_own(&path).map_err(LockError::Io)?;
            if let Err(e) = lock_within(&file, HOLDER_GRACE) {
                return Err(match e {
                    fs::TryLockError::WouldBlock => LockError::Held(read_holder(&path)),
                    fs::TryLockError::Error(e) => LockError::Io(e),
                });
            }
            if !same_file(&path, &file) {
                continue;
            }
            let held_file = match lock_file_itself(&workspace, HOLDER_GRACE) {
                Ok(f) => f,
                // Someone holds the file under another name (a hard link): who, the lock file
                // beside that name says; this one cannot tell.
                Err(fs::TryLockError::WouldBlock) => return Err(LockError::Held(None)),
                Err(fs::TryLockError::Error(e)) => return Err(LockError::Io(e)),
            };
            let mut lock = EditLock {
                path,
                file,
                workspace,
                held_file,
            };
            lock.write_holder(program).map_err(LockError::Io)?;
            return Ok(lock);
        }
        Err(LockError::Io(io::Error::other(format!(
            "{}: the lock file keeps changing",
            lock_path(&workspace).display()
        ))))
    }

    /// Lock the workspace file again after a save that replaced it (a new file under the same
    /// name): another name made for it later then finds it busy. Best effort: the lock file
    /// keeps protecting the name whatever happens here.
    pub fn follow_file(&mut self) {
        if let Ok(f) = lock_file_itself(&self.workspace, std::time::Duration::ZERO) {
            self.held_file = f;
        }
    }

    fn write_holder(&mut self, program: &str) -> io::Result<()> {
        let holder = Holder {
            program: program.to_string(),
            pid: std::process::id(),
            user: std::env::var("USER")
                .ok()
                .filter(|u| !u.is_empty())
                .unwrap_or_else(|| "unknown".into()),
            host: host_name(),
            since: crate::clock::now_rfc3339(),
        };
        let mut line = serde_json::to_vec(&holder).map_err(io::Error::other)?;
        line.push(b'\n');
        self.file.set_len(0)?;
        self.file.write_all(&line)?;
        self.file.sync_data()
    }

    /// Where the lock file is.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for EditLock {
    fn drop(&mut self) {
        // Removed while still locked: nobody can take a lock on a file that is going away
        // without noticing (see `acquire`).
        let _ = fs::remove_file(&self.path);
        sync_dir(&self.path);
    }
}

/// How long a lock is waited for before its holder is taken to be alive: a holder that was
/// just killed keeps its lock until the kernel has closed its files, a few milliseconds
/// later (an editor reopened at once after a crash must not open read-only).
const HOLDER_GRACE: std::time::Duration = std::time::Duration::from_millis(1500);

/// Try to lock `file`, again every 50 ms for at most `grace` while someone else holds it.
fn lock_within(file: &File, grace: std::time::Duration) -> Result<(), fs::TryLockError> {
    let start = std::time::Instant::now();
    loop {
        match file.try_lock() {
            Err(fs::TryLockError::WouldBlock) if start.elapsed() < grace => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            r => return r,
        }
    }
}

/// Lock the workspace file itself, if it exists and is a regular file (opened without
/// following a link, without blocking): `None` when there is nothing to lock.
fn lock_file_itself(
    workspace: &Path,
    grace: std::time::Duration,
) -> Result<Option<File>, fs::TryLockError> {
    use std::os::unix::fs::OpenOptionsExt;
    let f = match fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(workspace)
    {
        Ok(f) => f,
        // Not there yet, or not ours to read: the lock file alone protects it.
        Err(_) => return Ok(None),
    };
    if !f.metadata().is_ok_and(|m| m.is_file()) {
        return Ok(None);
    }
    lock_within(&f, grace)?;
    Ok(Some(f))
}

/// Whether `path` still names the open `file`.
fn same_file(path: &Path, file: &File) -> bool {
    match (fs::symlink_metadata(path), file.metadata()) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

fn read_holder(path: &Path) -> Option<Holder> {
    let f = File::open(path).ok()?;
    let mut text = String::new();
    f.take(4096).read_to_string(&mut text).ok()?;
    serde_json::from_str(text.trim()).ok()
}

/// This machine's name, for telling people where a design is open.
fn host_name() -> String {
    fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "this machine".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_editor_is_told_who_has_the_file() {
        let d = tempfile::tempdir().expect("tempdir");
        let ws = d.path().join("w.yaml");
        let first = EditLock::acquire(&ws, "microcred serve").unwrap();
        match EditLock::acquire(&ws, "microcred") {
            Err(LockError::Held(Some(h))) => {
                assert_eq!(h.program, "microcred serve");
                assert_eq!(h.pid, std::process::id());
            }
            other => panic!("expected a held lock, got {other:?}"),
        }
        drop(first);
        assert!(!lock_path(&ws).exists(), "the lock file goes with the lock");
        let again = EditLock::acquire(&ws, "microcred").unwrap();
        assert!(again.path().exists());
    }

    #[test]
    fn a_lock_file_left_by_a_crash_does_not_lock() {
        let d = tempfile::tempdir().expect("tempdir");
        let ws = d.path().join("w.yaml");
        fs::write(lock_path(&ws), b"{\"program\":\"x\"}\n").unwrap();
        assert!(EditLock::acquire(&ws, "microcred").is_ok());
    }

    #[test]
    fn a_second_name_for_an_open_file_finds_it_busy() {
        let d = tempfile::tempdir().expect("tempdir");
        let ws = d.path().join("w.yaml");
        fs::write(&ws, b"schema: microcred/workspace@1\n").unwrap();
        let sym = d.path().join("link.yaml");
        std::os::unix::fs::symlink("w.yaml", &sym).unwrap();
        let other = tempfile::tempdir().expect("tempdir");
        let hard = other.path().join("copy.yaml");
        fs::hard_link(&ws, &hard).unwrap();
        let mut first = EditLock::acquire(&ws, "microcred serve").unwrap();
        match EditLock::acquire(&sym, "microcred") {
            Err(LockError::Held(Some(h))) => assert_eq!(h.program, "microcred serve"),
            other => panic!("through a symbolic link: expected busy, got {other:?}"),
        }
        assert!(matches!(
            EditLock::acquire(&hard, "microcred"),
            Err(LockError::Held(_))
        ));
        // A save that replaced the file: the new file is locked again.
        fs::remove_file(&hard).unwrap();
        fs::write(d.path().join("new"), b"x").unwrap();
        fs::rename(d.path().join("new"), &ws).unwrap();
        first.follow_file();
        fs::hard_link(&ws, &hard).unwrap();
        assert!(matches!(
            EditLock::acquire(&hard, "microcred"),
            Err(LockError::Held(_))
        ));
        drop(first);
        assert!(EditLock::acquire(&hard, "microcred").is_ok());
    }

    #[test]
    fn a_planted_link_as_lock_file_is_refused() {
        let d = tempfile::tempdir().expect("tempdir");
        let ws = d.path().join("w.yaml");
        let victim = d.path().join("victim");
        fs::write(&victim, b"keep").unwrap();
        std::os::unix::fs::symlink(&victim, lock_path(&ws)).unwrap();
        assert!(matches!(
            EditLock::acquire(&ws, "microcred"),
            Err(LockError::Io(_))
        ));
        assert_eq!(fs::read(&victim).unwrap(), b"keep");
    }
}

//! Bytes and files: bounded reads, atomic writes, the edit lock, file stamps and conflict
//! copies, YAML, the caches' binary codec and hex. Nothing here knows a document's meaning.
//!
//! - `read`: bounded reads of regular files only.
//! - `write`: atomic saves that keep links, modes and owners; files of our own that never
//!   follow a planted link.
//! - [`git`]: the `git` command for one file: its versions, its log, committing it alone.
//! - `lock`: one editor per file.
//! - [`socket`]: the hand-off socket of an open design (private, bounded lines).
//! - [`yaml`]: the only module that knows the YAML crate.
//! - `codec`: the caches' binary encoding and checksums.
//! - [`hex`]: lower-case hex and SHA-256 digests as text.
//! - [`postings`]: job postings read from text, Markdown and CSV files (bounded, checked).

pub(crate) mod codec;
pub mod git;
pub mod hex;
mod lock;
pub mod postings;
mod read;
pub mod socket;
mod write;
pub mod yaml;

pub use lock::{EditLock, Holder, LockError, lock_path};
pub use read::{
    MAX_FILE_BYTES, describe_size, open_regular, read_bytes, read_text, read_text_within,
};
pub use write::{
    check_output, check_own, create_new, move_to_free_name, open_own, replace_own, sync_dir,
    with_path, write_atomic, write_output,
};

use std::fs;
use std::path::{Path, PathBuf};

use crate::problem::Problem;

/// Decode UTF-8, naming the line and column of the first invalid byte.
pub fn text_from_bytes(bytes: Vec<u8>, name: &str) -> Result<String, Problem> {
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{FEFF}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..good]);
            let line = prefix.matches('\n').count() + 1;
            let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            Err(Problem::error(
                name,
                format!("byte 0x{:02X} is not valid UTF-8 text", bytes[good]),
            )
            .at(line, column)
            .hint("save the file as UTF-8"))
        }
    }
}

/// What a file looked like: size, modification time and SHA-256 of its content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub len: u64,
    pub modified: Option<std::time::SystemTime>,
    pub sha256: [u8; 32],
}

impl Stamp {
    /// The stamp of the file at `path` now; `None` when there is no such file.
    pub fn read(path: &Path) -> std::io::Result<Option<Stamp>> {
        use sha2::{Digest, Sha256};
        use std::io::Read;
        let (f, len) = match fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            // Anything over the limit counts as a change anyway: its hash is of the first part.
            _ => open_regular(path, u64::MAX).map_err(|p| std::io::Error::other(p.to_string()))?,
        };
        let mut bytes = Vec::with_capacity(len.min(MAX_FILE_BYTES) as usize);
        f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
        let modified = fs::metadata(path).and_then(|m| m.modified()).ok();
        Ok(Some(Stamp {
            len,
            modified,
            sha256: Sha256::digest(&bytes).into(),
        }))
    }
}

/// Whether the file changed between `then` (as loaded or saved) and `now`. A different size or
/// content is a change; a new modification time over the same bytes (a `touch`, a checkout of
/// the same content) is not. A file that was there and is gone is not either (saving it loses
/// nothing); a file that appeared where there was none is.
pub fn changed_on_disk(then: Option<&Stamp>, now: Option<&Stamp>) -> bool {
    match (then, now) {
        (_, None) => false,
        (None, Some(_)) => true,
        (Some(a), Some(b)) => a.len != b.len || a.sha256 != b.sha256,
    }
}

/// Write `bytes` as a conflict copy of `path`: `NAME.conflict-YYYYMMDD-HHMMSS.yaml` beside it
/// (with `-2`, `-3`… when that name is taken). Nothing existing is ever replaced. Returns the
/// copy's name.
pub fn write_conflict_copy(path: &Path, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let stem = path
        .file_stem()
        .map_or_else(|| "workspace".into(), |s| s.to_string_lossy().into_owned());
    let t = crate::clock::now_rfc3339();
    let compact: String = t.chars().filter(char::is_ascii_digit).collect();
    let (date, time) = compact.split_at(compact.len().min(8));
    let base = format!("{stem}.conflict-{date}-{time}");
    for n in 1..1000 {
        let name = match n {
            1 => format!("{base}.yaml"),
            n => format!("{base}-{n}.yaml"),
        };
        let candidate = path.with_file_name(name);
        match create_new(&candidate, bytes) {
            Ok(()) => return Ok(candidate),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other(format!(
        "{}: no free name for a conflict copy",
        path.display()
    )))
}

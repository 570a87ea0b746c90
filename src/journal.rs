//! The journal: every `Op` the Hub applies, one JSON line each (time, actor, op), appended and
//! flushed to disk before the change is shown as done. It lives beside the workspace as
//! `.NAME.yaml.journal`; a clean save removes it. A journal found on opening holds the changes
//! made since the last save, for recovery.

use std::fs;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::edit::{Actor, Op};

/// Largest journal read back (a bigger one is read up to this size; the rest is reported).
pub const MAX_JOURNAL_BYTES: u64 = 256 * 1024 * 1024;

/// The journal of the workspace at `workspace`: `.NAME.yaml.journal` in the same folder.
pub fn path_for(workspace: &Path) -> PathBuf {
    let name = workspace
        .file_name()
        .map_or_else(|| "workspace".into(), |s| s.to_string_lossy().into_owned());
    workspace.with_file_name(format!(".{name}.journal"))
}

/// One applied change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// When it was applied (RFC 3339 UTC).
    pub time: String,
    pub actor: Actor,
    pub op: Op,
}

/// A line written just before a save replaces the workspace file: the SHA-256 (hex) of what is
/// being saved. If the process dies after the file was replaced but before the journal was
/// removed, the file's hash equals this, and the entries before the line are known to be in
/// the file; recovery skips them (a comment would otherwise be added twice).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Saving {
    saving: String,
    time: String,
}

/// An open journal file, appended to and synced after every entry.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    file: Option<fs::File>,
}

impl Journal {
    /// The journal at `path` (opened on the first append).
    pub fn new(path: PathBuf) -> Self {
        Journal { path, file: None }
    }

    /// Where it is written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn open(&mut self) -> io::Result<&mut fs::File> {
        if self.file.is_none() {
            let mut f = fs::OpenOptions::new()
                .read(true)
                .append(true)
                .create(true)
                .open(&self.path)?;
            // A torn last line (a crash mid-write) must not swallow the next entry.
            let len = f.metadata()?.len();
            if len > 0 {
                let mut last = [0u8; 1];
                f.seek(SeekFrom::Start(len - 1))?;
                f.read_exact(&mut last)?;
                if last[0] != b'\n' {
                    f.write_all(b"\n")?;
                }
            }
            sync_dir(&self.path);
            self.file = Some(f);
        }
        self.file
            .as_mut()
            .ok_or_else(|| io::Error::other("journal not open"))
    }

    /// Append one entry and flush it to the disk (fsync) before returning.
    pub fn append(&mut self, entry: &Entry) -> io::Result<()> {
        let mut line = serde_json::to_vec(entry).map_err(io::Error::other)?;
        line.push(b'\n');
        let f = self.open()?;
        f.write_all(&line)?;
        f.sync_data()
    }

    /// Record that the workspace is about to be saved with content of SHA-256 `sha256_hex`
    /// (see `Saving`); nothing is written when nothing was journaled since the last save.
    pub fn mark_saving(&mut self, sha256_hex: &str, time: &str) -> io::Result<()> {
        if self.file.is_none() && !self.path.exists() {
            return Ok(());
        }
        let mut line = serde_json::to_vec(&Saving {
            saving: sha256_hex.to_string(),
            time: time.to_string(),
        })
        .map_err(io::Error::other)?;
        line.push(b'\n');
        let f = self.open()?;
        f.write_all(&line)?;
        f.sync_data()
    }

    /// Flush whatever was written (every append already does; for signal handlers).
    pub fn sync(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(f) => f.sync_all(),
            None => Ok(()),
        }
    }

    /// Remove the journal file (after a clean save).
    pub fn remove(&mut self) -> io::Result<()> {
        self.file = None;
        match fs::remove_file(&self.path) {
            Ok(()) => {
                sync_dir(&self.path);
                Ok(())
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Replace the journal with exactly `entries` (atomically), e.g. after a recovery.
    pub fn rewrite(&mut self, entries: &[Entry]) -> io::Result<()> {
        self.file = None;
        let mut out = Vec::new();
        for e in entries {
            out.extend(serde_json::to_vec(e).map_err(io::Error::other)?);
            out.push(b'\n');
        }
        crate::store::write_atomic(&self.path, &out)
    }
}

fn sync_dir(path: &Path) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// A journal left behind: the changes it holds and the lines that could not be read.
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub path: PathBuf,
    pub entries: Vec<Entry>,
    /// One warning per line skipped (torn write, not JSON, not an entry), with its line number.
    pub skipped: Vec<String>,
    /// Changes left out because the workspace file already holds them: a save replaced the
    /// file but the process stopped before it removed the journal.
    pub already_saved: usize,
    /// Save marks: how many entries came before each, and the hash being saved.
    saves: Vec<(usize, String)>,
}

impl Found {
    /// A one-line description: how many changes, from when to when.
    pub fn summary(&self) -> String {
        let n = self.entries.len();
        let plural = if n == 1 { "" } else { "s" };
        let when = match (self.entries.first(), self.entries.last()) {
            (Some(a), Some(b)) if a.time == b.time => format!(" made at {}", a.time),
            (Some(a), Some(b)) => format!(" made {} – {}", a.time, b.time),
            _ => String::new(),
        };
        let skipped = match self.skipped.len() {
            0 => String::new(),
            k => format!(" ({k} unreadable line(s) skipped)"),
        };
        let saved = match self.already_saved {
            0 => String::new(),
            k => format!(" ({k} earlier one(s) already in the file)"),
        };
        format!("{n} unsaved change{plural}{when}{skipped}{saved}")
    }
}

/// Read the journal of the workspace at `workspace`, if there is one. Unreadable lines are
/// skipped with a warning; this never fails on the content, only on I/O.
pub fn find(workspace: &Path) -> io::Result<Option<Found>> {
    let path = path_for(workspace);
    let f = match fs::File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut bytes = Vec::new();
    f.take(MAX_JOURNAL_BYTES).read_to_end(&mut bytes)?;
    let mut found = parse(&bytes);
    found.path = path;
    if !found.saves.is_empty() {
        if let Some(stamp) = crate::store::Stamp::read(workspace)? {
            let now = hex(&stamp.sha256);
            if let Some(&(k, _)) = found.saves.iter().rev().find(|(_, h)| *h == now) {
                found.entries.drain(..k);
                found.already_saved = k;
            }
        }
    }
    Ok(Some(found))
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Parse journal bytes: one entry per line; bad lines become warnings.
pub fn parse(bytes: &[u8]) -> Found {
    let mut found = Found::default();
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<Entry>(line) {
            Ok(e) => found.entries.push(e),
            Err(e) => match serde_json::from_slice::<Saving>(line) {
                Ok(m) => found.saves.push((found.entries.len(), m.saving)),
                Err(_) => found
                    .skipped
                    .push(format!("journal line {}: skipped: {e}", i + 1)),
            },
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_is_hidden_beside_the_workspace() {
        assert_eq!(
            path_for(Path::new("/x/plan.yaml")),
            PathBuf::from("/x/.plan.yaml.journal")
        );
        assert_eq!(
            path_for(Path::new("plan.yaml")),
            PathBuf::from(".plan.yaml.journal")
        );
    }

    #[test]
    fn torn_and_garbage_lines_are_skipped() {
        let e = Entry {
            time: "2026-01-01T00:00:00Z".into(),
            actor: Actor::designer("d"),
            op: Op::RemovePartner { id: "p".into() },
        };
        let good = serde_json::to_string(&e).unwrap_or_default();
        let text = format!(
            "{good}\n\0\u{1}garbage\n{good}\n{}",
            &good[..good.len() / 2]
        );
        let f = parse(text.as_bytes());
        assert_eq!(f.entries.len(), 2);
        assert_eq!(f.skipped.len(), 2);
        assert!(
            f.summary().starts_with("2 unsaved changes"),
            "{}",
            f.summary()
        );
    }

    #[test]
    fn changes_already_in_the_saved_file_are_not_recovered_twice() {
        use sha2::{Digest, Sha256};
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().join("w.yaml");
        let entry = |id: &str| Entry {
            time: "t".into(),
            actor: Actor::designer("d"),
            op: Op::RemovePartner { id: id.into() },
        };
        let mut j = Journal::new(path_for(&ws));
        j.mark_saving("00", "t").unwrap();
        assert!(!path_for(&ws).exists(), "no journal made by a save alone");
        j.append(&entry("a")).unwrap();
        j.append(&entry("b")).unwrap();
        let saved = b"schema: microcred/workspace@1\n";
        j.mark_saving(&hex(&Sha256::digest(saved)), "t").unwrap();
        j.append(&entry("c")).unwrap();
        // The process died before the rename: the file is the old one, everything is unsaved.
        fs::write(&ws, b"schema: microcred/workspace@1\n# old\n").unwrap();
        let f = find(&ws).unwrap().unwrap();
        assert_eq!((f.entries.len(), f.already_saved), (3, 0));
        // It died after the rename: a and b are in the file, only c is left.
        fs::write(&ws, saved).unwrap();
        let f = find(&ws).unwrap().unwrap();
        assert_eq!(f.entries, vec![entry("c")]);
        assert_eq!(f.already_saved, 2);
        assert!(
            f.summary()
                .ends_with("(2 earlier one(s) already in the file)")
        );
        assert!(f.skipped.is_empty());
    }

    #[test]
    fn append_after_a_torn_line_starts_a_new_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(".w.yaml.journal");
        fs::write(&p, b"{\"time\":\"x\"").unwrap();
        let mut j = Journal::new(p.clone());
        let e = Entry {
            time: "t".into(),
            actor: Actor::designer("d"),
            op: Op::RemovePartner { id: "p".into() },
        };
        j.append(&e).unwrap();
        let f = parse(&fs::read(&p).unwrap());
        assert_eq!(f.entries, vec![e]);
        assert_eq!(f.skipped.len(), 1);
    }
}

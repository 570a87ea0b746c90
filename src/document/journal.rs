//! The journal: every `Op` the Hub applies, one JSON line each (time, actor, op), appended and
//! flushed to disk before the change is shown as done. It lives beside the workspace as
//! `.NAME.yaml.journal`; a clean save removes it. A journal found on opening holds the changes
//! made since the last save, for recovery.
//!
//! Its first line names the file the changes were made to (`{"base": SHA-256}`), so that a
//! recovery can tell when the file was changed by someone else since: then the changes are
//! not applied over it but recovered into a conflict copy. A write that fails (a full disk)
//! is cut back to the last whole line, so the journal stays appendable and readable.

use std::fs;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::edit::{Actor, Op};
use crate::store::hex::hex;

/// Largest journal: a change that would make it bigger is refused (save to start a new one),
/// and a bigger one found on opening is refused with a message, never read in part.
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

/// The first line of a journal: the SHA-256 (hex) of the workspace file the changes apply to,
/// empty when there was no file yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Base {
    base: String,
    time: String,
}

/// An open journal file, appended to and synced after every entry.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    /// The hash of the file the changes apply to (see [`Base`]).
    base: String,
    file: Option<fs::File>,
    /// The journal's length after the last whole line written.
    good_len: u64,
}

impl Journal {
    /// The journal at `path` (opened on the first append) of changes made to the workspace
    /// file whose content has SHA-256 `base` (hex; empty when there is no file yet).
    pub fn new(path: PathBuf, base: String) -> Self {
        Journal {
            path,
            base,
            file: None,
            good_len: 0,
        }
    }

    /// Where it is written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn open(&mut self) -> io::Result<&mut fs::File> {
        if self.file.is_none() {
            let mut f = crate::store::open_own(&self.path)?;
            // A torn last line (a crash mid-write) is cut off: that change was never shown as
            // done, and it must not swallow the next entry.
            let len = whole_lines_len(&mut f)?;
            if len < f.metadata()?.len() {
                f.set_len(len)?;
            }
            self.good_len = len;
            self.file = Some(f);
            if len == 0 {
                let header = Base {
                    base: self.base.clone(),
                    time: crate::clock::now_rfc3339(),
                };
                let line = json_line(&header)?;
                self.write_line(&line)?;
            }
            crate::store::sync_dir(&self.path);
        }
        self.file
            .as_mut()
            .ok_or_else(|| io::Error::other("journal not open"))
    }

    /// Write one whole line and flush it to the disk; on failure cut the file back to the last
    /// whole line (or, if even that fails, reopen it next time, which cuts it then).
    fn write_line(&mut self, line: &[u8]) -> io::Result<()> {
        if self.good_len + line.len() as u64 > MAX_JOURNAL_BYTES {
            return Err(io::Error::other(format!(
                "the journal of unsaved changes is full ({} MiB); save to start a new one",
                MAX_JOURNAL_BYTES / 1_048_576
            )));
        }
        let f = self
            .file
            .as_mut()
            .ok_or_else(|| io::Error::other("journal not open"))?;
        match f.write_all(line).and_then(|()| f.sync_data()) {
            Ok(()) => {
                self.good_len += line.len() as u64;
                Ok(())
            }
            Err(e) => {
                if f.set_len(self.good_len)
                    .and_then(|()| f.sync_data())
                    .is_err()
                {
                    self.file = None;
                }
                Err(e)
            }
        }
    }

    /// Append one entry and flush it to the disk (fsync) before returning. When it fails,
    /// the journal is as it was before (the change must then be refused).
    pub fn append(&mut self, entry: &Entry) -> io::Result<()> {
        let line = json_line(entry)?;
        self.open()?;
        self.write_line(&line)
    }

    /// Record that the workspace is about to be saved with content of SHA-256 `sha256_hex`
    /// (see `Saving`); nothing is written when nothing was journaled since the last save.
    pub fn mark_saving(&mut self, sha256_hex: &str, time: &str) -> io::Result<()> {
        if self.file.is_none() && !self.path.exists() {
            return Ok(());
        }
        let line = json_line(&Saving {
            saving: sha256_hex.to_string(),
            time: time.to_string(),
        })?;
        self.open()?;
        self.write_line(&line)
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
                crate::store::sync_dir(&self.path);
                Ok(())
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Replace the journal with exactly `entries` (atomically), e.g. after a recovery, as
    /// changes to the file whose hash is `base`.
    pub fn rewrite(&mut self, base: String, entries: &[Entry]) -> io::Result<()> {
        self.file = None;
        self.base = base;
        let mut out = json_line(&Base {
            base: self.base.clone(),
            time: crate::clock::now_rfc3339(),
        })?;
        for e in entries {
            out.extend(json_line(e)?);
        }
        crate::store::replace_own(&self.path, &out)
    }
}

/// One JSON line.
fn json_line(value: &impl Serialize) -> io::Result<Vec<u8>> {
    let mut line = serde_json::to_vec(value).map_err(io::Error::other)?;
    line.push(b'\n');
    Ok(line)
}

/// The length of `f` up to and including its last line break (0 when it has none).
fn whole_lines_len(f: &mut fs::File) -> io::Result<u64> {
    const CHUNK: u64 = 64 * 1024;
    let mut end = f.metadata()?.len();
    let mut buf = vec![0u8; CHUNK as usize];
    while end > 0 {
        let start = end.saturating_sub(CHUNK);
        let part = &mut buf[..(end - start) as usize];
        f.seek(SeekFrom::Start(start))?;
        f.read_exact(part)?;
        if let Some(i) = part.iter().rposition(|&b| b == b'\n') {
            return Ok(start + i as u64 + 1);
        }
        end = start;
    }
    Ok(0)
}

/// A journal left behind: the changes it holds and the lines that could not be read.
#[derive(Debug, Clone, Default, PartialEq)]
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
    /// The hash of the file the changes were made to (`None` for a journal without one,
    /// written before microcred recorded it).
    base: Option<String>,
    /// The workspace file is not the one the changes were made to: someone changed it since.
    /// Applying the changes over it would undo theirs; recover into a conflict copy instead.
    pub file_changed: bool,
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
/// skipped with a warning; this fails only on I/O, on a journal over the size limit and on
/// a name that is not a regular file of ours (a planted link).
pub fn find(workspace: &Path) -> io::Result<Option<Found>> {
    let path = path_for(workspace);
    match fs::symlink_metadata(&path) {
        Ok(m) => crate::store::check_own(&path, &m)?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(crate::store::with_path(&path, e)),
    }
    let bytes = crate::store::read_bytes(&path, MAX_JOURNAL_BYTES).map_err(|p| {
        io::Error::other(format!(
            "{p}; move it aside to open the design without those changes"
        ))
    })?;
    let mut found = parse(&bytes);
    found.path = path;
    let now = crate::store::Stamp::read(workspace)?.map_or_else(String::new, |s| hex(&s.sha256));
    if let Some(&(k, _)) = found.saves.iter().rev().find(|(_, h)| *h == now) {
        found.entries.drain(..k);
        found.already_saved = k;
    } else if let Some(base) = &found.base {
        found.file_changed = *base != now;
    }
    Ok(Some(found))
}

/// How many set-aside journals of one workspace are kept (the oldest goes first).
pub const MAX_SET_ASIDE: usize = 10;

/// Move a journal whose changes were not recovered out of the way, as
/// `.NAME.yaml.journal-discarded` (then `-2` … `-10`), never replacing an earlier one; when
/// all ten names are taken the oldest of them is removed. Returns the new name.
pub fn set_aside(journal: &Path) -> io::Result<PathBuf> {
    let names = aside_names(journal, "discarded");
    if names.iter().all(|p| fs::symlink_metadata(p).is_ok()) {
        let oldest = names
            .iter()
            .filter_map(|p| Some((fs::symlink_metadata(p).ok()?.modified().ok()?, p)))
            .min()
            .map(|(_, p)| p.clone());
        if let Some(p) = oldest {
            fs::remove_file(&p).map_err(|e| crate::store::with_path(&p, e))?;
        }
    }
    crate::store::move_to_free_name(journal, names)
}

/// `NAME-WHY`, then `NAME-WHY-2` … `NAME-WHY-10`, beside `journal`.
fn aside_names(journal: &Path, why: &str) -> Vec<PathBuf> {
    let name = journal
        .file_name()
        .map_or_else(|| "journal".into(), |s| s.to_string_lossy().into_owned());
    (1..=MAX_SET_ASIDE)
        .map(|n| match n {
            1 => journal.with_file_name(format!("{name}-{why}")),
            n => journal.with_file_name(format!("{name}-{why}-{n}")),
        })
        .collect()
}

/// Move a journal that could not be read (too big, not ours) out of the way, untouched, as
/// `.NAME.yaml.journal-unreadable` (then `-2` … `-10`): never removed, never replaced, kept
/// until the person decides. Returns the new name; fails when all ten names are taken.
pub fn move_unreadable(journal: &Path) -> io::Result<PathBuf> {
    crate::store::move_to_free_name(journal, aside_names(journal, "unreadable"))
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
            Err(e) => {
                if let Ok(m) = serde_json::from_slice::<Saving>(line) {
                    found.saves.push((found.entries.len(), m.saving));
                } else if let Ok(b) = serde_json::from_slice::<Base>(line) {
                    found.base.get_or_insert(b.base);
                } else {
                    found
                        .skipped
                        .push(format!("journal line {}: skipped: {e}", i + 1));
                }
            }
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
        let mut j = Journal::new(path_for(&ws), String::new());
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
    fn append_after_a_torn_line_cuts_it_off() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(".w.yaml.journal");
        let e = Entry {
            time: "t".into(),
            actor: Actor::designer("d"),
            op: Op::RemovePartner { id: "p".into() },
        };
        let whole = String::from_utf8(json_line(&e).unwrap()).unwrap();
        fs::write(&p, format!("{whole}{{\"time\":\"x\"")).unwrap();
        let mut j = Journal::new(p.clone(), String::new());
        j.append(&e).unwrap();
        let f = parse(&fs::read(&p).unwrap());
        assert_eq!(f.entries, vec![e.clone(), e]);
        assert!(f.skipped.is_empty(), "{:?}", f.skipped);
    }

    #[test]
    fn a_journal_over_the_limit_is_refused_not_cut() {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().join("w.yaml");
        let f = fs::File::create(path_for(&ws)).unwrap();
        f.set_len(MAX_JOURNAL_BYTES + 1).unwrap();
        let e = find(&ws).unwrap_err().to_string();
        assert!(e.contains("the limit is 256 MiB"), "{e}");
        assert!(e.contains("move it aside"), "{e}");
    }

    #[test]
    fn a_file_changed_since_the_changes_is_noticed() {
        use sha2::{Digest, Sha256};
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().join("w.yaml");
        fs::write(&ws, b"schema: microcred/workspace@1\n").unwrap();
        let base = hex(&Sha256::digest(b"schema: microcred/workspace@1\n"));
        let mut j = Journal::new(path_for(&ws), base);
        j.append(&Entry {
            time: "t".into(),
            actor: Actor::designer("d"),
            op: Op::RemovePartner { id: "p".into() },
        })
        .unwrap();
        assert!(!find(&ws).unwrap().unwrap().file_changed);
        fs::write(&ws, b"schema: microcred/workspace@1\n# edited elsewhere\n").unwrap();
        assert!(find(&ws).unwrap().unwrap().file_changed);
    }
}

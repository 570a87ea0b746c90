//! A snapshot of the search index for one set of framework files, so that `microcred search`
//! over a large framework answers in a few milliseconds instead of re-reading the frameworks
//! and rebuilding the index on every call.
//!
//! The snapshot lives in the cache folder ([`crate::catalog_cache::dir`]) as
//! `search-HASH.bin`, one per list of framework files, and records each file's identity (path,
//! size, modification and change times, inode) and a fingerprint of the built-in frameworks.
//! Any difference, a missing file or a damaged snapshot means the frameworks are loaded and
//! checked as usual and the snapshot is written again. A file changed less than
//! [`RACY_SECS`] ago is not trusted by identity alone (its next change may keep the same
//! times), so no snapshot is written until it has settled. Only sets of files of at least
//! [`MIN_BYTES`] in all get a snapshot: smaller ones load fast anyway.

use std::hash::{Hash, Hasher};
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::analysis::search::SearchIndex;
use crate::catalog::{EMBEDDED, Sources};
use crate::catalog_cache::{Detail, MIN_BYTES, RACY_SECS, change_time_and_inode, content_hash};
use crate::problem::Problems;

const MAGIC: &[u8; 4] = b"MCSI";

/// Bump when the snapshot's layout or the way the index is built changes.
const FORMAT: u32 = 1;

/// What a framework file was when the snapshot was made.
#[derive(Debug, PartialEq)]
struct FileId {
    path: String,
    size: u64,
    mtime_ns: u128,
    ctime_ns: u128,
    inode: u64,
}

impl FileId {
    fn of(path: &Path) -> Option<FileId> {
        let meta = std::fs::metadata(path).ok()?;
        let canonical = std::fs::canonicalize(path).ok()?;
        let (ctime_ns, inode) = change_time_and_inode(&meta);
        Some(FileId {
            path: canonical.display().to_string(),
            size: meta.len(),
            mtime_ns: crate::catalog_cache::nanos(meta.modified()),
            ctime_ns,
            inode,
        })
    }

    /// Unchanged for long enough that its identity stands for its content.
    fn settled(&self) -> bool {
        let now = std::time::SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        self.ctime_ns != 0
            && now.saturating_sub(self.mtime_ns.max(self.ctime_ns))
                >= u128::from(RACY_SECS) * 1_000_000_000
    }
}

/// The search index over the built-in frameworks and every file `sources` names, from the
/// snapshot when it is current.
pub fn load_index(sources: &Sources) -> Result<SearchIndex, Problems> {
    let files = sources.files()?;
    load_index_with(files, crate::catalog_cache::dir().as_deref())
}

/// As [`load_index`], for `files` (as [`Sources::files`] lists them) and the cache folder
/// `cache_dir` (none: no snapshot).
pub(crate) fn load_index_with(
    files: Vec<PathBuf>,
    cache_dir: Option<&Path>,
) -> Result<SearchIndex, Problems> {
    let ids: Option<Vec<FileId>> = files.iter().map(|f| FileId::of(f)).collect();
    let snapshot = match (cache_dir, ids) {
        (Some(dir), Some(ids)) if ids.iter().map(|i| i.size).sum::<u64>() >= MIN_BYTES => {
            Some((dir.join(file_name_for(&ids)), ids))
        }
        _ => None,
    };
    if let Some((file, ids)) = &snapshot {
        if let Some(index) = read(file, ids) {
            return Ok(index);
        }
    }
    let catalog = crate::catalog::load_files(files, Detail::Labels)?;
    let index = SearchIndex::new(&catalog);
    if let Some((file, ids)) = snapshot {
        if ids.iter().all(FileId::settled) {
            if let Some(dir) = file.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            let _ = crate::store::write_atomic(&file, &encode(&ids, &index));
        }
    }
    Ok(index)
}

fn file_name_for(ids: &[FileId]) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for id in ids {
        id.path.hash(&mut h);
    }
    format!("search-{:016x}.bin", h.finish())
}

/// A fingerprint of the frameworks built into this binary.
fn embedded_fingerprint() -> u64 {
    EMBEDDED.iter().fold(0, |h, (name, text)| {
        (h ^ content_hash(name))
            .rotate_left(17)
            .wrapping_add(content_hash(text))
    })
}

fn encode(ids: &[FileId], index: &SearchIndex) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 << 20);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    let version = env!("CARGO_PKG_VERSION");
    out.extend_from_slice(&(version.len() as u32).to_le_bytes());
    out.extend_from_slice(version.as_bytes());
    out.extend_from_slice(&embedded_fingerprint().to_le_bytes());
    out.extend_from_slice(&(ids.len() as u32).to_le_bytes());
    for id in ids {
        out.extend_from_slice(&(id.path.len() as u32).to_le_bytes());
        out.extend_from_slice(id.path.as_bytes());
        out.extend_from_slice(&id.size.to_le_bytes());
        out.extend_from_slice(&id.mtime_ns.to_le_bytes());
        out.extend_from_slice(&id.ctime_ns.to_le_bytes());
        out.extend_from_slice(&id.inode.to_le_bytes());
    }
    index.write_to(&mut out);
    out
}

/// The snapshot in `file`, if it was made from exactly the files `ids` describe by this
/// binary, and is whole.
fn read(file: &Path, ids: &[FileId]) -> Option<SearchIndex> {
    let f = std::fs::File::open(file).ok()?;
    let len = f.metadata().ok()?.len();
    let mut r = BufReader::with_capacity(1 << 16, f).take(len);
    let mut magic = [0u8; 4];
    r.read_exact(&mut magic).ok()?;
    if &magic != MAGIC || read_u32(&mut r)? != FORMAT {
        return None;
    }
    if read_string(&mut r, 64)? != env!("CARGO_PKG_VERSION")
        || read_u64(&mut r)? != embedded_fingerprint()
        || read_u32(&mut r)? as usize != ids.len()
    {
        return None;
    }
    for id in ids {
        let cached = FileId {
            path: read_string(&mut r, 1 << 16)?,
            size: read_u64(&mut r)?,
            mtime_ns: read_u128(&mut r)?,
            ctime_ns: read_u128(&mut r)?,
            inode: read_u64(&mut r)?,
        };
        if &cached != id {
            return None;
        }
    }
    let left = r.limit();
    let index = SearchIndex::read_from(&mut r, left)?;
    // Nothing may follow: a longer file is not one this binary wrote.
    (r.limit() == 0).then_some(index)
}

fn read_u32(r: &mut impl Read) -> Option<u32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b).ok()?;
    Some(u32::from_le_bytes(b))
}

fn read_u64(r: &mut impl Read) -> Option<u64> {
    let mut b = [0u8; 8];
    r.read_exact(&mut b).ok()?;
    Some(u64::from_le_bytes(b))
}

fn read_u128(r: &mut impl Read) -> Option<u128> {
    let mut b = [0u8; 16];
    r.read_exact(&mut b).ok()?;
    Some(u128::from_le_bytes(b))
}

fn read_string(r: &mut impl Read, max: usize) -> Option<String> {
    let n = read_u32(r)? as usize;
    if n > max {
        return None;
    }
    let mut b = vec![0; n];
    r.read_exact(&mut b).ok()?;
    String::from_utf8(b).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog_cache::tests::big_framework;

    /// Both indexes hold the same competencies and answer these queries alike.
    fn assert_same(a: &SearchIndex, b: &SearchIndex) {
        assert_eq!(a.item_count(), b.item_count());
        assert_eq!(a.label_count(), b.label_count());
        for i in 0..a.item_count() {
            assert_eq!(a.item(i), b.item(i));
        }
        for q in [
            "comp",
            "number 7",
            "C12",
            "x",
            "Competency",
            "zz",
            "built",
            "É",
        ] {
            assert_eq!(a.search(q, 50), b.search(q, 50), "query {q:?}");
        }
    }

    fn snapshots(cache: &Path) -> Vec<PathBuf> {
        std::fs::read_dir(cache)
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.path())
                    .filter(|p| p.to_string_lossy().contains("search-"))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn settle() {
        std::thread::sleep(std::time::Duration::from_millis(RACY_SECS * 1000 + 200));
    }

    #[test]
    fn a_snapshot_answers_as_the_frameworks_do_and_follows_their_changes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = dir.path().join("cache");
        let f = dir.path().join("big.yaml");
        std::fs::write(&f, big_framework(" built")).expect("write");
        let files = vec![f.clone()];
        let direct = || {
            let cat = crate::catalog::load_files(files.clone(), Detail::Full).expect("loads");
            SearchIndex::new(&cat)
        };
        // Just written: not trusted by identity yet, so no snapshot.
        let first = load_index_with(files.clone(), Some(&cache)).expect("loads");
        assert_same(&first, &direct());
        assert!(snapshots(&cache).is_empty());
        settle();
        load_index_with(files.clone(), Some(&cache)).expect("loads");
        let snap = snapshots(&cache);
        assert_eq!(snap.len(), 1);
        let ids: Vec<FileId> = files.iter().filter_map(|f| FileId::of(f)).collect();
        let from_snapshot = read(&snap[0], &ids).expect("the snapshot is current");
        assert_same(&from_snapshot, &direct());
        assert_same(
            &load_index_with(files.clone(), Some(&cache)).expect("loads"),
            &direct(),
        );
        // Same size, one name changed: the change time tells.
        std::fs::write(
            &f,
            big_framework(" built").replace("number 7 ", "numbeR 7 "),
        )
        .expect("write");
        let ids: Vec<FileId> = files.iter().filter_map(|f| FileId::of(f)).collect();
        assert!(read(&snap[0], &ids).is_none(), "stale snapshot used");
        let changed = load_index_with(files.clone(), Some(&cache)).expect("reloads");
        assert_eq!(
            changed.search("numbeR 7 built", 1)[0].label,
            "Competency numbeR 7 built"
        );
        assert_same(&changed, &direct());
        // An invalid edit is reported, not hidden by the snapshot.
        std::fs::write(&f, big_framework(" built").replace("id: C3\n", "id: C2\n")).expect("write");
        assert!(load_index_with(files.clone(), Some(&cache)).is_err());
        // Another list of files gets its own snapshot, and the built-in frameworks are in it.
        let g = dir.path().join("more.yaml");
        std::fs::write(&f, big_framework(" built")).expect("write");
        std::fs::write(&g, big_framework(" more").replace("id: big", "id: more")).expect("write");
        settle();
        let both = vec![f.clone(), g.clone()];
        load_index_with(both.clone(), Some(&cache)).expect("loads");
        assert_eq!(snapshots(&cache).len(), 2);
        let again = load_index_with(both.clone(), Some(&cache)).expect("loads");
        assert!(again.search("more", 1)[0].label.ends_with(" more"));
        assert!(
            !again.search("clean dat", 1).is_empty(),
            "built-in frameworks"
        );
        let cat = crate::catalog::load_files(both, Detail::Full).expect("loads");
        assert_same(&again, &SearchIndex::new(&cat));
    }

    #[test]
    fn a_damaged_snapshot_is_ignored() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = dir.path().join("cache");
        let f = dir.path().join("big.yaml");
        std::fs::write(&f, big_framework(" built")).expect("write");
        let files = vec![f.clone()];
        settle();
        let good = load_index_with(files.clone(), Some(&cache)).expect("loads");
        let snap = snapshots(&cache).pop().expect("a snapshot");
        let bytes = std::fs::read(&snap).expect("read");
        let ids: Vec<FileId> = files.iter().filter_map(|f| FileId::of(f)).collect();
        assert!(read(&snap, &ids).is_some());
        let n = bytes.len();
        let mut damaged: Vec<Vec<u8>> = [0, 3, 40, n / 3, n / 2, n - 9, n - 1]
            .iter()
            .map(|&cut| bytes[..cut].to_vec())
            .collect();
        let mut longer = bytes.clone();
        longer.push(0);
        damaged.push(longer);
        // One bit flipped anywhere: the header, the text, the items, the labels, the checksum.
        for at in [5, 60, n / 4, n / 2, n * 3 / 4, n - 30, n - 3] {
            let mut b = bytes.clone();
            b[at] ^= 0x10;
            damaged.push(b);
        }
        for b in damaged {
            std::fs::write(&snap, &b).expect("damage");
            assert!(
                read(&snap, &ids).is_none(),
                "damaged snapshot of {} bytes read",
                b.len()
            );
            assert_same(
                &load_index_with(files.clone(), Some(&cache)).expect("loads"),
                &good,
            );
        }
    }
}

//! A snapshot of the search index for one set of framework files, so that `microcred search`
//! over a large framework answers in a few milliseconds instead of re-reading the frameworks
//! and rebuilding the index on every call.
//!
//! The snapshot lives in the cache folder ([`crate::catalog_cache::dir`]) as
//! `search-HASH.bin`, one per list of framework files, and records each file's identity (path,
//! size, modification and change times, inode) and a fingerprint of the built-in frameworks.
//! Any difference, a missing file or a damaged snapshot means the frameworks are loaded and
//! checked as usual and the snapshot is written again. A file changed in the last two seconds
//! is not trusted by identity alone (its next change may keep the same times), so no snapshot
//! is written until every file has settled (`FileId::settled`). Only sets of files of at least
//! [`MIN_BYTES`] in all get a snapshot: smaller ones load fast anyway.

use std::hash::{Hash, Hasher};
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use crate::analysis::search::SearchIndex;
use crate::catalog::{EMBEDDED, Sources};
use crate::catalog_cache::{Detail, FileId, MIN_BYTES, content_hash};
use crate::problem::Problems;
use crate::store::codec::{Writer, read_u32};

const MAGIC: &[u8; 4] = b"MCSI";

/// Bump when the snapshot's layout or the way the index is built changes.
const FORMAT: u32 = 2;

/// Largest snapshot read; a bigger file, or one that is not a regular file (a FIFO would
/// block), is not one this binary wrote.
const MAX_SNAPSHOT_BYTES: u64 = 256 * 1024 * 1024;

/// The most header bytes a snapshot may claim (its file list).
const MAX_HEADER: u32 = 1 << 20;

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
            let _ = crate::store::replace_own(&file, &encode(&ids, &index));
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

/// The header: what the snapshot was made from.
fn header(ids: &[FileId]) -> Vec<u8> {
    let mut w = Writer(Vec::new());
    w.u32(FORMAT);
    w.str(env!("CARGO_PKG_VERSION"));
    w.u64(embedded_fingerprint());
    w.u32(ids.len() as u32);
    for id in ids {
        id.write(&mut w);
    }
    w.0
}

/// Magic, the header with its length, then the index.
fn encode(ids: &[FileId], index: &SearchIndex) -> Vec<u8> {
    let header = header(ids);
    let mut w = Writer(Vec::with_capacity(1 << 20));
    w.0.extend_from_slice(MAGIC);
    w.u32(header.len() as u32);
    w.0.extend_from_slice(&header);
    index.write_to(&mut w);
    w.0
}

/// The snapshot in `file`, if it was made from exactly the files `ids` describe by this
/// binary, and is whole.
fn read(file: &Path, ids: &[FileId]) -> Option<SearchIndex> {
    let (f, len) = crate::store::open_regular(file, MAX_SNAPSHOT_BYTES).ok()?;
    let mut r = BufReader::with_capacity(1 << 16, f).take(len);
    let mut magic = [0u8; 4];
    r.read_exact(&mut magic).ok()?;
    let n = read_u32(&mut r)?;
    if &magic != MAGIC || n > MAX_HEADER {
        return None;
    }
    let mut cached = vec![0; n as usize];
    r.read_exact(&mut cached).ok()?;
    if cached != header(ids) {
        return None;
    }
    let left = r.limit();
    let index = SearchIndex::read_from(&mut r, left)?;
    // Nothing may follow: a longer file is not one this binary wrote.
    (r.limit() == 0).then_some(index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog_cache::tests::{big_file, big_framework, settle};

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

    #[test]
    fn a_snapshot_answers_as_the_frameworks_do_and_follows_their_changes() {
        let (dir, cache, f) = big_file(" built");
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
        let (_dir, cache, f) = big_file(" built");
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

    /// A snapshot path that holds a FIFO (opening it would block) or a link to /dev/zero is
    /// not read: the index is built from the frameworks.
    #[test]
    fn a_snapshot_that_is_not_a_regular_file_is_not_read() {
        use crate::catalog_cache::tests::{fifo, within_20s};
        let (_dir, cache, f) = big_file(" built");
        let files = vec![f.clone()];
        let ids: Vec<FileId> = files.iter().filter_map(|f| FileId::of(f)).collect();
        std::fs::create_dir_all(&cache).expect("cache dir");
        let snap = cache.join(file_name_for(&ids));
        fifo(&snap);
        let (fs, c) = (files.clone(), cache.clone());
        let n = within_20s(move || load_index_with(fs, Some(&c)).map(|i| i.item_count()));
        assert!(n.expect("loads") > 100);
        let _ = std::fs::remove_file(&snap);
        std::os::unix::fs::symlink("/dev/zero", &snap).expect("symlink");
        let n = within_20s(move || load_index_with(files, Some(&cache)).map(|i| i.item_count()));
        assert!(n.expect("loads") > 100);
    }
}

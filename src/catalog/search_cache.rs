//! A snapshot of the search index for one set of framework files, so that `microcred search`
//! over a large framework answers in a few milliseconds instead of re-reading the frameworks
//! and rebuilding the index on every call.
//!
//! The snapshot lives in the cache folder ([`crate::catalog::cache::dir`]) as
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

use crate::analysis::search::{self, SearchIndex};
use crate::catalog::cache::{Detail, FileId, MIN_BYTES, content_hash};
use crate::catalog::{EMBEDDED, Sources};
use crate::problem::Problems;
use crate::store::codec::{Writer, fnv64, read_u32, read_u64};

const MAGIC: &[u8; 4] = b"MCSI";

/// Bump when the snapshot's layout or the way the index is built changes (3: label masks are
/// of the folded text, accents removed).
const FORMAT: u32 = 3;

/// Largest snapshot read; a bigger file, or one that is not a regular file (a FIFO would
/// block), is not one this binary wrote.
const MAX_SNAPSHOT_BYTES: u64 = 256 * 1024 * 1024;

/// The most header bytes a snapshot may claim (its file list).
const MAX_HEADER: u32 = 1 << 20;

/// The search index over the built-in frameworks and every file `sources` names, from the
/// snapshot when it is current.
pub fn load_index(sources: &Sources) -> Result<SearchIndex, Problems> {
    let files = sources.files()?;
    load_index_with(files, crate::catalog::cache::dir().as_deref())
}

/// As [`load_index`], for `files` (as [`Sources::files`] lists them) and the cache folder
/// `cache_dir` (none: no snapshot).
pub(crate) fn load_index_with(
    files: Vec<PathBuf>,
    cache_dir: Option<&Path>,
) -> Result<SearchIndex, Problems> {
    let snapshot = snapshot_for(&files, cache_dir);
    if let Some((file, ids)) = &snapshot {
        if let Some(index) = read(file, ids) {
            return Ok(index);
        }
    }
    let catalog = crate::catalog::load_files(files, Detail::Labels)?;
    let index = SearchIndex::new(&catalog);
    write_snapshot(snapshot, &index);
    Ok(index)
}

/// The search index over `catalog`, loaded from the files `files` (as [`Sources::files`] lists
/// them): read from its snapshot in `cache_dir` when that is current (the editor and the server
/// start without building it), else built from `catalog` and its snapshot written.
pub fn index_for(
    files: &[PathBuf],
    catalog: &crate::catalog::Catalog,
    cache_dir: Option<&Path>,
) -> SearchIndex {
    let snapshot = snapshot_for(files, cache_dir);
    if let Some((file, ids)) = &snapshot {
        if let Some(index) = read(file, ids) {
            return index;
        }
    }
    let index = SearchIndex::new(catalog);
    write_snapshot(snapshot, &index);
    index
}

/// Where the snapshot of `files` lives in `cache_dir`, with the files' identities; none when
/// there is no cache folder, a file cannot be read, or the files are too small to need one.
fn snapshot_for(files: &[PathBuf], cache_dir: Option<&Path>) -> Option<(PathBuf, Vec<FileId>)> {
    let ids: Option<Vec<FileId>> = files.iter().map(|f| FileId::of(f)).collect();
    match (cache_dir, ids) {
        (Some(dir), Some(ids)) if ids.iter().map(|i| i.size).sum::<u64>() >= MIN_BYTES => {
            Some((dir.join(file_name_for(&ids)), ids))
        }
        _ => None,
    }
}

/// Write `index`'s snapshot where `snapshot` says, once every file has settled.
fn write_snapshot(snapshot: Option<(PathBuf, Vec<FileId>)>, index: &SearchIndex) {
    if let Some((file, ids)) = snapshot {
        if ids.iter().all(FileId::settled) {
            if let Some(dir) = file.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            crate::catalog::cache::write_bounded(&file, &encode(&ids, index));
        }
    }
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
    write_index(index, &mut w);
    w.0
}

/// The snapshot in `file`, if it was made from exactly the files `ids` describe by this
/// binary, and is whole.
fn read(file: &Path, ids: &[FileId]) -> Option<SearchIndex> {
    let (f, len) = crate::catalog::cache::open_cache_file(file, MAX_SNAPSHOT_BYTES)?;
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
    let index = read_index(&mut r, left)?;
    // Nothing may follow: a longer file is not one this binary wrote.
    (r.limit() == 0).then_some(index)
}

/// Bytes per item record in the snapshot format: framework, id span, name span.
const ITEM_BYTES: usize = 20;
/// Bytes per label record in the snapshot format: span, item, field, mask.
const LABEL_BYTES: usize = 21;

// The index format: the framework ids, then the counts, then the text, the items and the
// labels as fixed-size little-endian records, so that reading an index back is a few large
// reads and no per-label allocation.

/// Append `index` to `w`.
fn write_index(index: &SearchIndex, w: &mut Writer) {
    w.u32(index.frameworks.len() as u32);
    for f in &index.frameworks {
        w.str(f);
    }
    w.u32(index.items.len() as u32);
    w.u32(index.labels.len() as u32);
    w.u64(index.text.len() as u64);
    let mut sum = Checksum::default();
    sum.add(index.text.as_bytes());
    w.0.extend_from_slice(index.text.as_bytes());
    let start = w.0.len();
    for e in &index.items {
        for v in [e.framework, e.id.start, e.id.len, e.name.start, e.name.len] {
            w.u32(v);
        }
    }
    w.0[start..]
        .chunks(BLOCK * ITEM_BYTES)
        .for_each(|b| sum.add(b));
    let start = w.0.len();
    for l in &index.labels {
        for v in [l.text.start, l.text.len, l.item] {
            w.u32(v);
        }
        w.0.push(l.field as u8);
        w.u64(l.mask);
    }
    w.0[start..]
        .chunks(BLOCK * LABEL_BYTES)
        .for_each(|b| sum.add(b));
    w.u64(sum.0);
}

/// Read back what [`write_index`] wrote, from a reader that holds at most
/// `limit` more bytes. `None` for anything malformed: every span, item and framework
/// index is checked, so a damaged snapshot cannot cause a panic later.
fn read_index(r: &mut impl std::io::Read, limit: u64) -> Option<SearchIndex> {
    let nf = read_u32(r)? as usize;
    if nf as u64 > limit / 4 {
        return None;
    }
    let mut frameworks = Vec::with_capacity(nf);
    for _ in 0..nf {
        let n = read_u32(r)? as usize;
        if n as u64 > limit {
            return None;
        }
        let mut b = vec![0; n];
        r.read_exact(&mut b).ok()?;
        frameworks.push(String::from_utf8(b).ok()?);
    }
    let (n_items, n_labels) = (read_u32(r)? as usize, read_u32(r)? as usize);
    let text_len = read_u64(r)?;
    let need = (n_items as u64 * ITEM_BYTES as u64)
        .checked_add(n_labels as u64 * LABEL_BYTES as u64)?
        .checked_add(text_len)?
        .checked_add(8)?;
    if need > limit || text_len > u64::from(u32::MAX) {
        return None;
    }
    let mut text = vec![0; text_len as usize];
    r.read_exact(&mut text).ok()?;
    let mut sum = Checksum::default();
    sum.add(&text);
    let text = String::from_utf8(text).ok()?;
    let in_text = |start: u32, len: u32| u64::from(start) + u64::from(len) <= text_len;
    let word = |b: &[u8], i: usize| {
        u32::from_le_bytes([b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]])
    };
    let mut items = Vec::with_capacity(n_items);
    each_record(r, n_items, ITEM_BYTES, &mut sum, |b| {
        let w = |i| word(b, i);
        let e = search::Entry {
            framework: w(0),
            id: search::Span {
                start: w(1),
                len: w(2),
            },
            name: search::Span {
                start: w(3),
                len: w(4),
            },
        };
        let ok = (e.framework as usize) < nf
            && in_text(e.id.start, e.id.len)
            && in_text(e.name.start, e.name.len);
        items.push(e);
        ok
    })?;
    let mut labels = Vec::with_capacity(n_labels);
    each_record(r, n_labels, LABEL_BYTES, &mut sum, |b| {
        let (start, len, item) = (word(b, 0), word(b, 1), word(b, 2));
        let field = match b[12] {
            0 => search::Field::Name,
            1 => search::Field::Keyword,
            2 => search::Field::Id,
            _ => return false,
        };
        let mut m = [0u8; 8];
        m.copy_from_slice(&b[13..21]);
        labels.push(search::Label {
            text: search::Span { start, len },
            item,
            field,
            mask: u64::from_le_bytes(m),
        });
        (item as usize) < n_items && in_text(start, len)
    })?;
    if read_u64(r)? != sum.0 {
        return None;
    }
    Some(SearchIndex::from_parts(frameworks, items, labels, text))
}

/// Records per block in the snapshot's checksum (and per read).
const BLOCK: usize = 4096;

/// The snapshot's checksum: text, then each block of records, so that a reader can check it
/// as it goes.
#[derive(Default)]
struct Checksum(u64);

impl Checksum {
    fn add(&mut self, bytes: &[u8]) {
        self.0 = self.0.rotate_left(5) ^ fnv64(bytes);
    }
}

/// Read `n` records of `size` bytes, add them to `sum` a block at a time, and hand each to
/// `f`, which says whether it is valid.
fn each_record(
    r: &mut impl std::io::Read,
    n: usize,
    size: usize,
    sum: &mut Checksum,
    mut f: impl FnMut(&[u8]) -> bool,
) -> Option<()> {
    let mut buf = vec![0u8; BLOCK * size];
    let mut left = n;
    while left > 0 {
        let k = left.min(BLOCK);
        let b = &mut buf[..k * size];
        r.read_exact(b).ok()?;
        sum.add(b);
        if !b.chunks_exact(size).all(&mut f) {
            return None;
        }
        left -= k;
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::cache::tests::{big_file, big_framework, settle};

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
        use crate::catalog::cache::tests::{fifo, within_20s};
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

    use crate::analysis::search::tests::{catalog, comp};
    use crate::model::Competency;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// An index read back from its snapshot bytes answers as the original; damaged bytes
        /// are refused or, when the damage cannot be seen, still give a usable index.
        #[test]
        fn snapshot_round_trip(
            flips in prop::collection::vec((any::<prop::sample::Index>(), 1u8..), 0..3),
            cut in any::<prop::sample::Index>(),
            names in prop::collection::vec("[a-dA-Dé ]{1,12}", 1..30),
            keys in prop::collection::vec("[a-dA-D]{1,8}", 0..30),
        ) {
            let comps: Vec<Competency> = names.iter().enumerate().map(|(i, n)| {
                let k: Vec<&str> = keys.iter().skip(i % 3).step_by(3).map(String::as_str).collect();
                comp(&format!("c{i}"), n, &k)
            }).collect();
            let idx = SearchIndex::new(&catalog(comps));
            let mut w = Writer(Vec::new());
            write_index(&idx, &mut w);
            let bytes = w.0;
            let back = read_index(&mut &bytes[..], bytes.len() as u64);
            prop_assert!(back.is_some());
            let back = back.expect("checked");
            prop_assert_eq!(back.item_count(), idx.item_count());
            for i in 0..idx.item_count() {
                prop_assert_eq!(back.item(i), idx.item(i));
            }
            for q in ["a", "ab", "B", "é", "c1", "dd d"] {
                prop_assert_eq!(back.search(q, 100), idx.search(q, 100));
            }
            let mut damaged = bytes.clone();
            for (at, x) in &flips {
                let i = at.index(damaged.len());
                damaged[i] ^= x;
            }
            let keep = if flips.is_empty() { cut.index(damaged.len()) } else { damaged.len() };
            damaged.truncate(keep);
            if let Some(d) = read_index(&mut &damaged[..], damaged.len() as u64) {
                for i in 0..d.item_count() {
                    let _ = d.item(i);
                }
                let _ = d.search("a", 10);
                let mut s = search::Searcher::new(&d);
                s.update("ab");
                s.refine(usize::MAX);
                let _ = s.hits(10);
            }
        }
    }
}

//! A snapshot of the suggestion index ([`Suggester`]) for one set of framework files, so that
//! `microcred suggest` over a large framework reads a prebuilt index instead of loading the
//! frameworks and rebuilding it on every run (that was 87 % of a run over ESCO).
//!
//! As the search snapshot ([`super::search_cache`]): the snapshot lives in the cache folder as
//! `suggest-HASH.bin`, one per list of framework files (the hash of their paths). Its header
//! records the snapshot format, the microcred version, a fingerprint of the built-in
//! frameworks, a fingerprint of the ranking parameters the index was built with, and each
//! file's identity (path, size, modification and change times, inode); the body ends with a
//! checksum. Any difference, a missing file, a damaged or foreign snapshot (or a symbolic link
//! in its place) means the frameworks are loaded and checked as usual, the index is built and
//! the snapshot written again. No snapshot is written until every file has settled
//! (`FileId::settled`), and only sets of files of at least [`cache::MIN_BYTES`] in all get one.
//! Writing goes through [`cache::write_bounded`], so the cache folder stays within its bound.

use std::path::{Path, PathBuf};

use crate::analysis::suggest::{Item, Lists, Params, Posting, Suggester, Tables};
use crate::catalog::Sources;
use crate::catalog::cache::{self, Detail, FileId};
use crate::catalog::snapshot;
use crate::problem::Problems;
use crate::store::codec::{Reader, Writer, fnv64};

const MAGIC: &[u8; 4] = b"MCSG";

/// Bump when the snapshot's layout or the way the index is built changes.
const FORMAT: u32 = 1;

/// Largest snapshot read; a bigger file is not one this binary wrote.
const MAX_SNAPSHOT_BYTES: u64 = 1024 * 1024 * 1024;

/// The suggester over the built-in frameworks and every file `sources` names, with the default
/// parameters, from the snapshot when it is current.
pub fn load_suggester(sources: &Sources) -> Result<Suggester, Problems> {
    load_suggester_with(sources.files()?, cache::dir().as_deref())
}

/// As [`load_suggester`], for `files` (as [`Sources::files`] lists them) and the cache folder
/// `cache_dir` (none: no snapshot).
pub fn load_suggester_with(
    files: Vec<PathBuf>,
    cache_dir: Option<&Path>,
) -> Result<Suggester, Problems> {
    let params = Params::default();
    let snapshot = snapshot_for(&files, cache_dir);
    if let Some((file, ids)) = &snapshot {
        if let Some(tables) = read(file, &header(ids, &params)) {
            return Ok(Suggester::from_tables(tables, params));
        }
    }
    let catalog = crate::catalog::load_files(files, Detail::Full)?;
    let suggester = Suggester::with_params(&catalog, params);
    write_snapshot(snapshot, &suggester);
    Ok(suggester)
}

/// The suggester over `catalog`, loaded from the files `files` (as [`Sources::files`] lists
/// them), with the default parameters: read from the snapshot `suggest` keeps in `cache_dir`
/// when that is current (the editor and the server start without building it), else built
/// from `catalog` and its snapshot written.
pub fn suggester_for(
    files: &[PathBuf],
    catalog: &crate::catalog::Catalog,
    cache_dir: Option<&Path>,
) -> Suggester {
    let params = Params::default();
    let snapshot = snapshot_for(files, cache_dir);
    if let Some((file, ids)) = &snapshot {
        if let Some(tables) = read(file, &header(ids, &params)) {
            return Suggester::from_tables(tables, params);
        }
    }
    let suggester = Suggester::with_params(catalog, params);
    write_snapshot(snapshot, &suggester);
    suggester
}

/// Where the snapshot of `files` lives in `cache_dir`, with the files' identities.
fn snapshot_for(files: &[PathBuf], cache_dir: Option<&Path>) -> Option<(PathBuf, Vec<FileId>)> {
    snapshot::path_for("suggest", files, cache_dir)
}

/// Write `suggester`'s snapshot where `snapshot` says, once every file has settled.
fn write_snapshot(snapshot: Option<(PathBuf, Vec<FileId>)>, suggester: &Suggester) {
    if let Some((file, ids)) = snapshot {
        if ids.iter().all(FileId::settled) {
            let bytes = encode(&header(&ids, suggester.params()), suggester.tables());
            cache::write_bounded(&file, &bytes);
        }
    }
}

/// A fingerprint of the ranking parameters (an index built with others is not this one).
fn params_fingerprint(p: &Params) -> u64 {
    fnv64(format!("{p:?}").as_bytes())
}

/// The header: what the snapshot was made from and how.
fn header(ids: &[FileId], params: &Params) -> Vec<u8> {
    snapshot::header(FORMAT, &[params_fingerprint(params)], ids)
}

/// Magic, the header with its length, the tables, then the checksum of everything before it.
fn encode(header: &[u8], t: &Tables) -> Vec<u8> {
    let mut w = snapshot::start(MAGIC, header);
    w.u32(t.items.len() as u32);
    for it in &t.items {
        w.str(&it.reference);
        w.str(&it.name);
    }
    w.u32(t.terms.len() as u32);
    for term in &t.terms {
        w.str(term);
    }
    u32s(&mut w, &t.postings.start);
    w.u32(t.postings.values.len() as u32);
    for &(d, s, l) in &t.postings.values {
        w.u32(d);
        w.u32(s.to_bits());
        w.u32(l.to_bits());
    }
    f32s(&mut w, &t.norms);
    f32s(&mut w, &t.idf);
    w.u32(t.pair_keys.len() as u32);
    for &k in &t.pair_keys {
        w.u64(k);
    }
    lists(&mut w, &t.pair_docs);
    lists(&mut w, &t.label_terms);
    f32s(&mut w, &t.prior);
    lists(&mut w, &t.label_postings);
    u32s(&mut w, &t.label_doc);
    f32s(&mut w, &t.label_idf);
    snapshot::seal(w)
}

fn u32s(w: &mut Writer, v: &[u32]) {
    w.u32(v.len() as u32);
    for &x in v {
        w.u32(x);
    }
}

fn f32s(w: &mut Writer, v: &[f32]) {
    w.u32(v.len() as u32);
    for &x in v {
        w.u32(x.to_bits());
    }
}

fn lists(w: &mut Writer, l: &Lists<u32>) {
    u32s(w, &l.start);
    u32s(w, &l.values);
}

/// The tables in `file`, if it is a whole snapshot with exactly `header` (made from these
/// files, by this binary, with these parameters) and its tables are consistent.
fn read(file: &Path, header: &[u8]) -> Option<Tables> {
    let bytes = cache::read_cache_file(file, MAX_SNAPSHOT_BYTES)?;
    let mut r = snapshot::body(&bytes, MAGIC, header)?;
    let t = decode(&mut r)?;
    (r.at_end() && t.is_consistent()).then_some(t)
}

/// The tables as [`encode`] wrote them.
fn decode(r: &mut Reader) -> Option<Tables> {
    let n = r.count()?;
    let mut items = Vec::with_capacity(n);
    for _ in 0..n {
        items.push(Item {
            reference: r.string()?,
            name: r.string()?,
        });
    }
    let n = r.count()?;
    let mut terms = Vec::with_capacity(n);
    for _ in 0..n {
        terms.push(r.string()?);
    }
    let start = read_u32s(r)?;
    let n = r.u32()? as usize;
    let raw = r.take(n.checked_mul(12)?)?;
    let values: Vec<Posting> = raw
        .chunks_exact(12)
        .map(|c| {
            (
                word(c, 0),
                f32::from_bits(word(c, 1)),
                f32::from_bits(word(c, 2)),
            )
        })
        .collect();
    let postings = Lists { start, values };
    let norms = read_f32s(r)?;
    let idf = read_f32s(r)?;
    let n = r.u32()? as usize;
    let raw = r.take(n.checked_mul(8)?)?;
    let pair_keys = raw
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
        .collect();
    Some(Tables {
        items,
        terms,
        postings,
        norms,
        idf,
        pair_keys,
        pair_docs: read_lists(r)?,
        label_terms: read_lists(r)?,
        prior: read_f32s(r)?,
        label_postings: read_lists(r)?,
        label_doc: read_u32s(r)?,
        label_idf: read_f32s(r)?,
    })
}

/// The `i`th little-endian `u32` of `c`.
fn word(c: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([c[4 * i], c[4 * i + 1], c[4 * i + 2], c[4 * i + 3]])
}

fn read_u32s(r: &mut Reader) -> Option<Vec<u32>> {
    let n = r.u32()? as usize;
    let raw = r.take(n.checked_mul(4)?)?;
    Some(raw.chunks_exact(4).map(|c| word(c, 0)).collect())
}

fn read_f32s(r: &mut Reader) -> Option<Vec<f32>> {
    Some(read_u32s(r)?.into_iter().map(f32::from_bits).collect())
}

fn read_lists(r: &mut Reader) -> Option<Lists<u32>> {
    Some(Lists {
        start: read_u32s(r)?,
        values: read_u32s(r)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::cache::tests::{big_file, settle};

    /// The suggestions of `s` for a few needs, as references.
    fn answers(s: &Suggester) -> Vec<Vec<String>> {
        [
            "competency number 7",
            "a long enough description",
            "C12",
            "numbr sevn",
            "",
        ]
        .iter()
        .map(|q| {
            s.suggest(q, "description of competency", 10)
                .iter()
                .map(|g| s.items()[g.item].reference.clone())
                .collect()
        })
        .collect()
    }

    fn snapshot_files(cache: &Path) -> Vec<PathBuf> {
        crate::catalog::cache::tests::cache_files(cache, "suggest-")
    }

    #[test]
    fn the_snapshot_gives_the_same_index_and_answers() {
        let (_dir, cache, f) = big_file("");
        settle(&[&f]);
        let built = load_suggester_with(vec![f.clone()], Some(&cache)).expect("builds");
        let files = snapshot_files(&cache);
        assert_eq!(files.len(), 1, "the first run writes the snapshot");
        let header = header(&[FileId::of(&f).expect("id")], &Params::default());
        let read_back = read(&files[0], &header).expect("the snapshot reads back");
        assert_eq!(&read_back, built.tables());
        let loaded = load_suggester_with(vec![f], Some(&cache)).expect("loads");
        assert_eq!(answers(&loaded), answers(&built));
        assert!(!answers(&built)[0].is_empty());
    }

    #[test]
    fn a_changed_file_makes_the_snapshot_stale() {
        let (_dir, cache, f) = big_file("");
        settle(&[&f]);
        load_suggester_with(vec![f.clone()], Some(&cache)).expect("builds");
        std::fs::write(
            &f,
            crate::catalog::cache::tests::big_framework("").replace("number 7\n", "numbeR 7\n"),
        )
        .expect("write");
        let s = load_suggester_with(vec![f], Some(&cache)).expect("rebuilds");
        let it = s
            .items()
            .iter()
            .find(|i| i.reference == "big:C7")
            .expect("C7");
        assert_eq!(it.name, "Competency numbeR 7");
    }

    /// Every damage to a snapshot (cut short, a byte changed anywhere, a link or a FIFO in its
    /// place) is noticed: the index is rebuilt from the frameworks and answers as before.
    #[test]
    fn damaged_or_foreign_snapshots_are_ignored_and_rebuilt() {
        let (dir, cache, f) = big_file("");
        settle(&[&f]);
        let built = load_suggester_with(vec![f.clone()], Some(&cache)).expect("builds");
        let want = answers(&built);
        let file = snapshot_files(&cache).pop().expect("a snapshot");
        let good = std::fs::read(&file).expect("read");
        let header = header(&[FileId::of(&f).expect("id")], &Params::default());
        let step = (good.len() / 40).max(1);
        for at in (0..good.len()).step_by(step) {
            let mut bad = good.clone();
            bad[at] ^= 0x5a;
            std::fs::write(&file, &bad).expect("damage");
            assert!(read(&file, &header).is_none(), "a flipped byte at {at}");
            let mut cut = good.clone();
            cut.truncate(at);
            std::fs::write(&file, &cut).expect("cut");
            assert!(read(&file, &header).is_none(), "cut at {at}");
        }
        let s = load_suggester_with(vec![f.clone()], Some(&cache)).expect("rebuilds");
        assert_eq!(answers(&s), want);
        assert_eq!(std::fs::read(&file).expect("rewritten"), good);
        // A link planted in its place is not followed, and not written through.
        let victim = dir.path().join("victim.bin");
        std::fs::write(&victim, &good).expect("victim");
        std::fs::remove_file(&file).expect("remove");
        std::os::unix::fs::symlink(&victim, &file).expect("link");
        assert!(read(&file, &header).is_none(), "a link is not read");
        let s = load_suggester_with(vec![f.clone()], Some(&cache)).expect("loads");
        assert_eq!(answers(&s), want);
        assert!(std::fs::symlink_metadata(&file).expect("link").is_symlink());
        assert_eq!(std::fs::read(&victim).expect("victim"), good);
        // A FIFO is not waited on.
        std::fs::remove_file(&file).expect("remove");
        crate::catalog::cache::tests::fifo(&file);
        let (f2, c2) = (f.clone(), cache.clone());
        let n = crate::catalog::cache::tests::within_20s(move || {
            load_suggester_with(vec![f2], Some(&c2)).map(|s| s.items().len())
        });
        assert!(n.expect("loads") > 100);
    }

    /// A change to tables.
    type Damage = dyn Fn(&mut Tables);

    /// A snapshot whose checksum is right but whose tables point out of range (the checksum
    /// is no defence against a crafted file) is refused, not used to panic later.
    #[test]
    fn inconsistent_tables_are_refused_even_with_a_good_checksum() {
        let (_dir, cache, f) = big_file("");
        let built = load_suggester_with(vec![f.clone()], None).expect("builds");
        let header = header(&[FileId::of(&f).expect("id")], &Params::default());
        let file = cache.join("suggest-test.bin");
        std::fs::create_dir_all(&cache).expect("mkdir");
        let good = built.tables().clone();
        std::fs::write(&file, encode(&header, &good)).expect("write");
        assert_eq!(read(&file, &header).as_ref(), Some(&good));
        let docs = good.items.len() as u32;
        let terms = good.terms.len() as u32;
        let damages: Vec<Box<Damage>> = vec![
            Box::new(move |t| t.postings.values[0].0 = docs),
            Box::new(|t| t.postings.start[1] = u32::MAX),
            Box::new(|t| {
                t.postings.start.pop();
            }),
            Box::new(|t| {
                t.norms.pop();
            }),
            Box::new(move |t| t.label_terms.values[0] = terms),
            Box::new(move |t| t.label_doc[0] = docs),
            Box::new(|t| t.label_postings.values[0] = u32::MAX),
            Box::new(|t| t.pair_keys.reverse()),
            Box::new(move |t| t.pair_docs.values[0] = docs + 7),
            Box::new(|t| {
                t.idf.push(1.0);
            }),
        ];
        for (i, damage) in damages.iter().enumerate() {
            let mut bad = good.clone();
            damage(&mut bad);
            assert!(!bad.is_consistent(), "damage {i}");
            std::fs::write(&file, encode(&header, &bad)).expect("write");
            assert!(read(&file, &header).is_none(), "damage {i} was read");
        }
    }

    #[test]
    fn no_snapshot_for_small_sets_or_without_a_cache_folder() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = dir.path().join("cache");
        let small = dir.path().join("small.yaml");
        std::fs::write(
            &small,
            "id: s\nname: S\nversion: \"1\"\nlevels:\n  - level: 1\n    name: One\ncompetencies:\n  - id: A\n    name: Plumbing\n    description: Fit pipes.\n",
        )
        .expect("write");
        let s = load_suggester_with(vec![small.clone()], Some(&cache)).expect("loads");
        assert!(s.items().iter().any(|i| i.reference == "s:A"));
        assert!(snapshot_files(&cache).is_empty());
        let (_d, _c, f) = big_file("");
        assert!(load_suggester_with(vec![f], None).is_ok());
    }
}

//! What the snapshots of the cache folder share (the suggestion index, the catalog's
//! outline): their names, one per list of framework files; a header saying what a snapshot was
//! made from; the framing (magic, header, body) and the checksum that ends it.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::catalog::cache::{FileId, MIN_BYTES, content_hash};
use crate::store::codec::{Reader, Writer, fnv64};

/// A fingerprint of the frameworks built into this binary (a snapshot made with other
/// built-in frameworks is stale).
pub(crate) fn embedded_fingerprint() -> u64 {
    crate::catalog::EMBEDDED.iter().fold(0, |h, (name, text)| {
        (h ^ content_hash(name))
            .rotate_left(17)
            .wrapping_add(content_hash(text))
    })
}

/// A snapshot's header: its `format`, the microcred version, the built-in frameworks'
/// fingerprint, then `fingerprints` (of how it was built) and each file's identity.
pub(crate) fn header(format: u32, fingerprints: &[u64], ids: &[FileId]) -> Vec<u8> {
    let mut w = Writer(Vec::new());
    w.u32(format);
    w.str(env!("CARGO_PKG_VERSION"));
    w.u64(embedded_fingerprint());
    for &f in fingerprints {
        w.u64(f);
    }
    w.u32(ids.len() as u32);
    for id in ids {
        id.write(&mut w);
    }
    w.0
}

/// A snapshot being written: `magic`, then `header` with its length; the caller appends the
/// body, then [`seal`]s it.
pub(crate) fn start(magic: &[u8; 4], header: &[u8]) -> Writer {
    let mut w = Writer(Vec::with_capacity(1 << 20));
    w.0.extend_from_slice(magic);
    w.u32(header.len() as u32);
    w.0.extend_from_slice(header);
    w
}

/// The snapshot's bytes with the checksum of everything before it appended.
pub(crate) fn seal(mut w: Writer) -> Vec<u8> {
    let sum = fnv64(&w.0);
    w.u64(sum);
    w.0
}

/// The body of the snapshot `bytes`, when its checksum is right and it starts with `magic`
/// and exactly `header` (made from these files, by this binary, in this way).
pub(crate) fn body<'a>(bytes: &'a [u8], magic: &[u8; 4], header: &[u8]) -> Option<Reader<'a>> {
    let (body, sum) = bytes.split_at_checked(bytes.len().checked_sub(8)?)?;
    if u64::from_le_bytes(sum.try_into().ok()?) != fnv64(body) {
        return None;
    }
    let mut r = Reader::new(body);
    if r.take(4)? != magic {
        return None;
    }
    let n = r.u32()? as usize;
    if r.take(n)? != header {
        return None;
    }
    Some(r)
}

/// Where the snapshot `PREFIX-HASH.bin` of `files` lives in `cache_dir`, with the files'
/// identities; none when there is no cache folder, a file cannot be read, or the files are
/// too small to need one (under [`MIN_BYTES`] in all).
pub(crate) fn path_for(
    prefix: &str,
    files: &[PathBuf],
    cache_dir: Option<&Path>,
) -> Option<(PathBuf, Vec<FileId>)> {
    let ids: Option<Vec<FileId>> = files.iter().map(|f| FileId::of(f)).collect();
    match (cache_dir, ids) {
        (Some(dir), Some(ids)) if ids.iter().map(|i| i.size).sum::<u64>() >= MIN_BYTES => {
            Some((dir.join(name(prefix, &ids)), ids))
        }
        _ => None,
    }
}

/// The name of a snapshot for the list of framework files `ids`: `PREFIX-HASH.bin`, the hash
/// of their paths in order.
pub(crate) fn name(prefix: &str, ids: &[FileId]) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for id in ids {
        id.path.hash(&mut h);
    }
    format!("{prefix}-{:016x}.bin", h.finish())
}

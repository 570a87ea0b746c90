//! A cache of parsed framework files, so that a large framework (ESCO is about 9 MB of YAML)
//! loads in milliseconds instead of a quarter of a second.
//!
//! Each cached framework is a compact binary file (length-prefixed UTF-8 strings, written and
//! read by the small codec below) in the user's cache folder (`$MICROCRED_CACHE_DIR`,
//! else `$XDG_CACHE_HOME/microcred`, else `~/.cache/microcred`), named by a hash of the source
//! file's canonical path. It records the source's path, size, modification time and a hash of
//! its content, and the microcred version that wrote it; any difference makes it stale, and the
//! YAML is parsed and checked as usual (then the cache is rewritten). Only files of at least
//! [`MIN_BYTES`] are cached. `MICROCRED_NO_CACHE=1` turns the cache off. A cache that cannot be
//! read or written is ignored: it never changes what is loaded.
//!
//! The folder stays small: before a cache file is written, the least recently used files are
//! removed until the folder holds at most [`max_bytes`] (`MICROCRED_CACHE_MAX`, default
//! 512 MiB) with the new file ([`write_bounded`]). Reading a cache file marks it used. Cache
//! files are opened without following symbolic links ([`open_cache_file`]).

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::limits;
use crate::model::{Competency, CompetencyType, Framework, Level};
use crate::problem::Problems;
use crate::store;
use crate::store::codec::{Reader, Writer, fnv64};

/// Files smaller than this are parsed directly.
pub const MIN_BYTES: u64 = 512 * 1024;

/// Largest cache file read: a cached framework is smaller than its YAML (at most
/// [`limits::FRAMEWORK_FILE_BYTES`]); anything bigger, or not a regular file, is not ours.
const MAX_CACHE_BYTES: u64 = 4 * limits::FRAMEWORK_FILE_BYTES;

/// Bump when the cached representation changes.
const FORMAT: u32 = 3;

/// What a cached framework was made from. The file's identity ([`FileId`]) is enough, as for
/// git's index: any write changes the change time, which no tool can set back. A file written
/// less than [`RACY_SECS`] before the cache was made may change again within the file
/// system's timestamp granularity without a visible difference, so for such a file the content
/// hash is kept too and checked on every load.
#[derive(Debug, PartialEq)]
struct Key {
    format: u32,
    microcred: String,
    file: FileId,
    /// Content hash, for a file that was fresh when cached.
    hash: Option<u64>,
}

/// See [`Key`] and [`FileId::settled`].
const RACY_SECS: u64 = 2;

/// For tests of the whole program: `MICROCRED_CLOCK_AHEAD_SECS` moves the clock that
/// [`FileId::settled`] reads this many seconds ahead (at most a day), so that a test need not
/// wait [`RACY_SECS`] for the files it just wrote. Unset or unreadable, the real clock.
fn clock_ahead_secs() -> u64 {
    static AHEAD: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *AHEAD.get_or_init(|| {
        std::env::var("MICROCRED_CLOCK_AHEAD_SECS")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map_or(0, |s| s.min(86_400))
    })
}

impl Key {
    fn same_file(&self, other: &Key) -> bool {
        (self.format, &self.microcred, &self.file) == (other.format, &other.microcred, &other.file)
    }
}

/// A file's identity: canonical path, size, modification and change times (ns) and inode.
/// Any write to the file changes it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FileId {
    pub(crate) path: String,
    pub(crate) size: u64,
    mtime_ns: u128,
    ctime_ns: u128,
    inode: u64,
}

impl FileId {
    /// The identity of `path`, whose metadata is `meta`.
    fn new(path: &Path, meta: &std::fs::Metadata) -> FileId {
        let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let (ctime_ns, inode) = change_time_and_inode(meta);
        FileId {
            path: canonical.display().to_string(),
            size: meta.len(),
            mtime_ns: nanos(meta.modified()),
            ctime_ns,
            inode,
        }
    }

    /// The identity of `path`, if its metadata can be read.
    pub(crate) fn of(path: &Path) -> Option<FileId> {
        std::fs::metadata(path).ok().map(|m| FileId::new(path, &m))
    }

    /// Unchanged for at least [`RACY_SECS`] (and with a known change time), so that its
    /// identity stands for its content: a later write cannot leave every field as it was.
    pub(crate) fn settled(&self) -> bool {
        #[cfg(test)]
        if tests::SETTLED.with(|s| s.borrow().contains(self)) {
            return true;
        }
        let now = std::time::SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
            + u128::from(clock_ahead_secs()) * 1_000_000_000;
        self.ctime_ns != 0
            && now.saturating_sub(self.mtime_ns.max(self.ctime_ns))
                >= u128::from(RACY_SECS) * 1_000_000_000
    }

    pub(crate) fn write(&self, w: &mut Writer) {
        w.str(&self.path);
        w.u64(self.size);
        w.u128(self.mtime_ns);
        w.u128(self.ctime_ns);
        w.u64(self.inode);
    }

    pub(crate) fn read(r: &mut Reader) -> Option<FileId> {
        Some(FileId {
            path: r.string()?,
            size: r.u64()?,
            mtime_ns: r.u128()?,
            ctime_ns: r.u128()?,
            inode: r.u64()?,
        })
    }
}

fn nanos(t: std::io::Result<std::time::SystemTime>) -> u128 {
    t.ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

#[cfg(unix)]
fn change_time_and_inode(meta: &std::fs::Metadata) -> (u128, u64) {
    use std::os::unix::fs::MetadataExt;
    let ns = u128::try_from(meta.ctime()).unwrap_or(0) * 1_000_000_000
        + u128::try_from(meta.ctime_nsec()).unwrap_or(0);
    (ns, meta.ino())
}

#[cfg(not(unix))]
fn change_time_and_inode(_meta: &std::fs::Metadata) -> (u128, u64) {
    (0, 0)
}

const MAGIC: &[u8; 4] = b"MCFW";

/// The cache folder, unless the cache is turned off or no folder can be found.
pub fn dir() -> Option<PathBuf> {
    if std::env::var_os("MICROCRED_NO_CACHE").is_some_and(|v| !v.is_empty() && v != "0") {
        return None;
    }
    if let Some(d) = std::env::var_os("MICROCRED_CACHE_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d).join("microcred"));
    }
    std::env::var_os("HOME")
        .filter(|d| !d.is_empty())
        .map(|h| PathBuf::from(h).join(".cache").join("microcred"))
}

pub(crate) fn content_hash(text: &str) -> u64 {
    fnv64(text.as_bytes())
}

fn file_name_for(path: &str) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    path.hash(&mut h);
    format!("fw-{:016x}.bin", h.finish())
}

/// How much of a cached framework to decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// Everything.
    Full,
    /// Ids, names and keywords only (descriptions, levels, categories, URIs and parents are
    /// left empty): what a search needs, at a fraction of the cost.
    Labels,
}

/// Read and check a framework file, through the cache when it is large.
pub fn load_framework_cached(path: &Path) -> Result<Framework, Problems> {
    load_framework_cached_detail(path, Detail::Full)
}

/// As [`load_framework_cached`]; with [`Detail::Labels`] a cached framework is decoded only as far as
/// a search needs (a file read from YAML is complete either way).
pub fn load_framework_cached_detail(path: &Path, detail: Detail) -> Result<Framework, Problems> {
    match dir() {
        Some(d) => load_detail(path, &d, detail),
        None => crate::catalog::read_framework_file(path),
    }
}

/// As [`load_framework_cached`], with the cache in `cache_dir`.
pub fn load_with(path: &Path, cache_dir: &Path) -> Result<Framework, Problems> {
    load_detail(path, cache_dir, Detail::Full)
}

fn load_detail(path: &Path, cache_dir: &Path, detail: Detail) -> Result<Framework, Problems> {
    let Ok(meta) = std::fs::metadata(path) else {
        return crate::catalog::read_framework_file(path);
    };
    if meta.len() < MIN_BYTES || meta.len() > limits::FRAMEWORK_FILE_BYTES {
        return crate::catalog::read_framework_file(path);
    }
    let file = FileId::new(path, &meta);
    let cache_file = cache_dir.join(file_name_for(&file.path));
    let mut key = Key {
        format: FORMAT,
        microcred: env!("CARGO_PKG_VERSION").to_string(),
        file,
        hash: None,
    };
    let mut src = None;
    if let Some((cached, fw)) = read_cached(&cache_file, &key, detail) {
        match cached.hash {
            None => return Ok(fw),
            Some(h) => {
                let text = crate::catalog::read_framework_text(path)?;
                if content_hash(&text) == h {
                    if key.file.settled() {
                        // Settled since it was cached: drop the hash, so later loads need not
                        // read the YAML at all.
                        let full = match detail {
                            Detail::Full => Some(fw.clone()),
                            Detail::Labels => {
                                read_cached(&cache_file, &key, Detail::Full).map(|(_, f)| f)
                            }
                        };
                        if let Some(full) = full {
                            write_bounded(&cache_file, &encode(&key, &full));
                        }
                    }
                    return Ok(fw);
                }
                src = Some(text);
            }
        }
    }
    let src = match src {
        Some(s) => s,
        None => crate::catalog::read_framework_text(path)?,
    };
    let fw = crate::catalog::framework_from_str(&src, &path.display().to_string())?;
    if !key.file.settled() {
        key.hash = Some(content_hash(&src));
    }
    write_bounded(&cache_file, &encode(&key, &fw));
    Ok(fw)
}

/// The cached framework in `file` and its key, if it was made from the file `key` describes.
fn read_cached(file: &Path, key: &Key, detail: Detail) -> Option<(Key, Framework)> {
    let bytes = read_cache_file(file, MAX_CACHE_BYTES)?;
    let mut r = Reader::new(&bytes);
    if r.take(4)? != MAGIC {
        return None;
    }
    let k = Key {
        format: r.u32()?,
        microcred: r.string()?,
        file: FileId::read(&mut r)?,
        hash: match r.u8()? {
            0 => None,
            1 => Some(r.u64()?),
            _ => return None,
        },
    };
    if !k.same_file(key) {
        return None;
    }
    let fw = r.framework(detail == Detail::Full)?;
    r.at_end().then_some((k, fw))
}

fn encode(key: &Key, fw: &Framework) -> Vec<u8> {
    let mut w = Writer(Vec::with_capacity(1 << 20));
    w.0.extend_from_slice(MAGIC);
    w.u32(key.format);
    w.str(&key.microcred);
    key.file.write(&mut w);
    match key.hash {
        None => w.0.push(0),
        Some(h) => {
            w.0.push(1);
            w.u64(h);
        }
    }
    write_framework(&mut w, fw);
    w.0
}

/// `fw` in the cache's encoding (read back by `Reader::framework`).
pub(crate) fn write_framework(w: &mut Writer, fw: &Framework) {
    for s in [&fw.id, &fw.name, &fw.version] {
        w.str(s);
    }
    for o in [
        &fw.publisher,
        &fw.source,
        &fw.licence,
        &fw.language,
        &fw.description,
    ] {
        w.opt(o.as_deref());
    }
    w.u32(fw.levels.len() as u32);
    for l in &fw.levels {
        w.u32(l.level);
        w.str(&l.name);
        w.opt(l.description.as_deref());
    }
    w.u32(fw.competencies.len() as u32);
    for c in &fw.competencies {
        w.str(&c.id);
        w.str(&c.name);
        w.str(&c.description);
        w.opt(c.category.as_deref());
        w.0.push(match c.kind {
            None => 0,
            Some(CompetencyType::Skill) => 1,
            Some(CompetencyType::Knowledge) => 2,
            Some(CompetencyType::Attitude) => 3,
        });
        w.u32(c.keywords.len() as u32);
        for k in &c.keywords {
            w.str(k);
        }
        w.opt(c.parent.as_deref());
        w.opt(c.uri.as_deref());
        w.u32(c.levels.len() as u32);
        for (l, d) in &c.levels {
            w.u32(*l);
            w.str(d);
        }
        for o in [&c.code, &c.order, &c.notes] {
            w.opt(o.as_deref());
        }
        w.u32(c.education_level.len() as u32);
        for e in &c.education_level {
            w.str(e);
        }
        w.u32(c.links.len() as u32);
        for l in &c.links {
            w.str(&l.kind);
            w.str(&l.target);
            w.opt(l.title.as_deref());
        }
    }
}

impl Reader<'_> {
    /// A string, decoded when `keep`, else skipped (`Some(None)`).
    fn opt_string(&mut self, keep: bool) -> Option<Option<String>> {
        if keep {
            self.string().map(Some)
        } else {
            self.skip_string().map(|()| None)
        }
    }

    /// The framework; with `full` false, only ids, names and keywords (see [`Detail`]).
    pub(crate) fn framework(&mut self, full: bool) -> Option<Framework> {
        let (id, name, version) = (self.string()?, self.string()?, self.string()?);
        let (publisher, source, licence, language, description) = (
            self.opt()?,
            self.opt()?,
            self.opt()?,
            self.opt()?,
            self.opt()?,
        );
        let n = self.count()?;
        let mut levels = Vec::with_capacity(n);
        for _ in 0..n {
            levels.push(Level {
                level: self.u32()?,
                name: self.string()?,
                description: self.opt()?,
            });
        }
        let n = self.count()?;
        let mut competencies = Vec::with_capacity(n);
        for _ in 0..n {
            let (id, name, description, category) = (
                self.string()?,
                self.string()?,
                self.string_if(full)?,
                self.opt_if(full)?,
            );
            let kind = match self.u8()? {
                0 => None,
                1 => Some(CompetencyType::Skill),
                2 => Some(CompetencyType::Knowledge),
                3 => Some(CompetencyType::Attitude),
                _ => return None,
            };
            let k = self.count()?;
            let mut keywords = Vec::with_capacity(k);
            for _ in 0..k {
                keywords.push(self.string()?);
            }
            let (parent, uri) = (self.opt_if(full)?, self.opt_if(full)?);
            let mut lv = std::collections::BTreeMap::new();
            for _ in 0..self.count()? {
                let level = self.u32()?;
                if full {
                    lv.insert(level, self.string()?);
                } else {
                    self.skip_string()?;
                }
            }
            let (code, order, notes) = (self.opt_if(full)?, self.opt_if(full)?, self.opt_if(full)?);
            let mut education_level = Vec::new();
            for _ in 0..self.count()? {
                if let Some(e) = self.opt_string(full)? {
                    education_level.push(e);
                }
            }
            let mut links = Vec::new();
            for _ in 0..self.count()? {
                let (kind, target, title) = (
                    self.opt_string(full)?,
                    self.opt_string(full)?,
                    self.opt_if(full)?,
                );
                if let (Some(kind), Some(target)) = (kind, target) {
                    links.push(crate::model::Link {
                        kind,
                        target,
                        title,
                    });
                }
            }
            competencies.push(Competency {
                id,
                name,
                description,
                category,
                kind,
                keywords,
                parent,
                uri,
                levels: lv,
                code,
                order,
                notes,
                education_level,
                links,
            });
        }
        Some(Framework {
            id,
            name,
            version,
            publisher,
            source,
            licence,
            language,
            description,
            levels,
            competencies,
        })
    }
}

/// The default bound of the cache folder: 512 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 512 * 1024 * 1024;

/// The bound of the cache folder in bytes: `MICROCRED_CACHE_MAX` (a number of bytes, or with
/// a suffix `K`, `M` or `G` for KiB, MiB, GiB: `64M`), else [`DEFAULT_MAX_BYTES`]. A value that
/// cannot be read is refused by [`bound_at_start`] before any command runs; here it would
/// give the default.
pub fn max_bytes() -> u64 {
    max_bytes_setting().unwrap_or(DEFAULT_MAX_BYTES)
}

/// `MICROCRED_CACHE_MAX` read: the bound (the default when unset or empty), or a message that
/// names the variable and says what to write.
pub fn max_bytes_setting() -> Result<u64, String> {
    let v = match std::env::var("MICROCRED_CACHE_MAX") {
        Err(std::env::VarError::NotPresent) => return Ok(DEFAULT_MAX_BYTES),
        Err(std::env::VarError::NotUnicode(v)) => v.to_string_lossy().into_owned(),
        Ok(v) if v.trim().is_empty() => return Ok(DEFAULT_MAX_BYTES),
        Ok(v) => v,
    };
    parse_size(&v).ok_or_else(|| {
        format!(
            "MICROCRED_CACHE_MAX=`{}` is not a size; write a number of bytes, or one with K, M \
             or G (e.g. 64M), or unset it for the default (512M)",
            crate::problem::clip(v)
        )
    })
}

/// Run once at start: refuse an unreadable `MICROCRED_CACHE_MAX`, and bring the cache folder
/// within the bound now (a lowered bound takes effect at once, not at the next file written).
pub fn bound_at_start() -> Result<(), String> {
    let bound = max_bytes_setting()?;
    if let Some(d) = dir() {
        evict(&d, bound, 0, None);
    }
    Ok(())
}

/// `"64M"` → 67,108,864; `"1000"` → 1,000; `None` for anything else.
pub fn parse_size(s: &str) -> Option<u64> {
    let s = s.trim();
    let (digits, unit) = match s.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => s.split_at(i),
        None => (s, ""),
    };
    let n: u64 = digits.parse().ok()?;
    let unit = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        _ => return None,
    };
    n.checked_mul(unit)
}

/// The kinds of file the cache folder holds, by the start of their names.
const KINDS: &[(&str, &str)] = &[
    ("fw-", "parsed framework"),
    ("search-", "search index"),
    ("suggest-", "suggestion index"),
    ("design-", "parsed design"),
    ("outline-", "catalog outline"),
];

/// What a cache file holds, from its name; `None` for a name that is not one of ours.
pub fn kind_of(name: &str) -> Option<&'static str> {
    if !name.ends_with(".bin") {
        return None;
    }
    KINDS
        .iter()
        .find(|(prefix, _)| name.starts_with(prefix))
        .map(|&(_, kind)| kind)
}

/// One file of the cache folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheFile {
    pub path: PathBuf,
    /// The file name.
    pub name: String,
    /// What it holds ("parsed framework", "search index", "suggestion index").
    pub kind: &'static str,
    pub bytes: u64,
    /// When it was last written or read (seconds since 1970).
    pub used: u64,
}

/// The cache files in `dir` (regular files named as ours; anything else is left alone),
/// least recently used first.
pub fn list(dir: &Path) -> Vec<CacheFile> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<CacheFile> = rd
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let kind = kind_of(&name)?;
            // `DirEntry::metadata` does not follow a link: a link is not ours.
            let m = e.metadata().ok().filter(std::fs::Metadata::is_file)?;
            let secs = |t: std::io::Result<std::time::SystemTime>| {
                t.ok()
                    .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_secs())
            };
            Some(CacheFile {
                path: e.path(),
                name,
                kind,
                bytes: m.len(),
                used: secs(m.accessed()).max(secs(m.modified())),
            })
        })
        .collect();
    out.sort_by(|a, b| (a.used, &a.name).cmp(&(b.used, &b.name)));
    out
}

/// Remove least recently used cache files from `dir` until the others, plus `room` bytes
/// about to be written as `keep` (whose old copy does not count), fit in `bound`. Returns the
/// files removed.
pub fn evict(dir: &Path, bound: u64, room: u64, keep: Option<&Path>) -> Vec<CacheFile> {
    let files: Vec<CacheFile> = list(dir)
        .into_iter()
        .filter(|f| keep.is_none_or(|k| f.path != k))
        .collect();
    let mut total: u64 = files.iter().map(|f| f.bytes).sum::<u64>() + room;
    let mut removed = Vec::new();
    for f in files {
        if total <= bound {
            break;
        }
        if std::fs::remove_file(&f.path).is_ok() {
            total = total.saturating_sub(f.bytes);
            removed.push(f);
        }
    }
    removed
}

/// Remove every cache file from `dir`: (files removed, bytes freed).
pub fn clear(dir: &Path) -> (usize, u64) {
    let mut n = (0, 0);
    for f in list(dir) {
        if std::fs::remove_file(&f.path).is_ok() {
            n.0 += 1;
            n.1 += f.bytes;
        }
    }
    n
}

/// Write the cache file `file` (a file of our own: never through a link), first removing least
/// recently used files so that the folder stays within [`max_bytes`]. A file bigger than the
/// bound is not written (an old copy of it is removed). Returns whether it was written; a
/// cache that cannot be written is no error.
pub fn write_bounded(file: &Path, bytes: &[u8]) -> bool {
    write_bounded_in(file, bytes, max_bytes())
}

/// [`write_bounded`] with the bound given.
pub fn write_bounded_in(file: &Path, bytes: &[u8], bound: u64) -> bool {
    let Some(dir) = file.parent() else {
        return false;
    };
    if bytes.len() as u64 > bound {
        if std::fs::symlink_metadata(file).is_ok_and(|m| m.is_file()) {
            let _ = std::fs::remove_file(file);
        }
        return false;
    }
    if std::fs::create_dir_all(dir).is_err() {
        return false;
    }
    evict(dir, bound, bytes.len() as u64, Some(file));
    store::replace_own(file, bytes).is_ok()
}

/// Open a cache file to read: a regular file of at most `limit` bytes, never through a
/// symbolic link (a planted link is not ours) and without blocking (a FIFO is refused). The
/// file is marked used (its access time set to now) for the eviction order.
pub fn open_cache_file(file: &Path, limit: u64) -> Option<(std::fs::File, u64)> {
    use std::os::unix::fs::OpenOptionsExt;
    let f = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(file)
        .ok()?;
    let m = f.metadata().ok()?;
    if !m.is_file() || m.len() > limit {
        return None;
    }
    let now = std::time::SystemTime::now();
    let _ = f.set_times(std::fs::FileTimes::new().set_accessed(now));
    Some((f, m.len()))
}

/// The bytes of a cache file, as [`open_cache_file`] opens it.
pub fn read_cache_file(file: &Path, limit: u64) -> Option<Vec<u8>> {
    use std::io::Read;
    let (f, len) = open_cache_file(file, limit)?;
    let mut bytes = Vec::with_capacity(len as usize);
    f.take(limit + 1).read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 <= limit).then_some(bytes)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A framework file just over [`MIN_BYTES`], with `extra` after each name.
    pub(crate) fn big_framework(extra: &str) -> String {
        let mut s = String::from(
            "id: big\nname: Big\nversion: \"1\"\nlevels:\n  - level: 1\n    name: One\ncompetencies:\n",
        );
        let mut i = 0;
        while (s.len() as u64) < MIN_BYTES + 1000 {
            s.push_str(&format!(
                "  - id: C{i}\n    name: Competency number {i}{extra}\n    description: A long enough description of competency {i}.\n"
            ));
            i += 1;
        }
        s
    }

    /// A temporary folder with `big.yaml` holding [`big_framework`]`(extra)`, and a cache
    /// folder path in it: (folder, cache, file).
    pub(crate) fn big_file(extra: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = dir.path().join("cache");
        let f = dir.path().join("big.yaml");
        std::fs::write(&f, big_framework(extra)).expect("write");
        (dir, cache, f)
    }

    thread_local! {
        /// The test clock of [`FileId::settled`]: the identities of files for which this
        /// test's thread counts [`RACY_SECS`] as passed since they were written.
        pub(crate) static SETTLED: std::cell::RefCell<Vec<FileId>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }

    /// Let `files`, as they are now, count as settled ([`FileId::settled`]) in this test, as
    /// if [`RACY_SECS`] had passed; any later write makes a file fresh again (its identity
    /// changes), as with the real clock. Instead of waiting 2.2 s.
    pub(crate) fn settle(files: &[&Path]) {
        for f in files {
            let id = FileId::of(f).expect("the file to settle exists");
            SETTLED.with(|s| s.borrow_mut().push(id));
        }
    }

    #[test]
    fn cached_load_equals_parse_and_is_invalidated_by_changes() {
        let (_dir, cache, f) = big_file("");
        let direct = crate::catalog::read_framework_file(&f).expect("parses");
        let first = load_with(&f, &cache).expect("loads");
        assert_eq!(first, direct);
        assert_eq!(std::fs::read_dir(&cache).expect("cache").count(), 1);
        let second = load_with(&f, &cache).expect("loads from cache");
        assert_eq!(second, direct);
        // Same size, different content: the hash catches it even if mtime did not move.
        std::fs::write(&f, big_framework("").replace("number 7\n", "numbeR 7\n")).expect("write");
        let changed = load_with(&f, &cache).expect("reloads");
        assert_eq!(changed.competencies[7].name, "Competency numbeR 7");
        // An invalid edit is reported, not hidden by the cache.
        std::fs::write(&f, big_framework("").replace("id: C3\n", "id: C2\n")).expect("write");
        assert!(load_with(&f, &cache).is_err());
    }

    /// What importers add (code, order, notes, education levels, typed links) survives the
    /// cache, and the framework's language does too.
    #[test]
    fn imported_details_survive_the_cache() {
        let extra = "\n    code: C 1\n    order: b\n    notes: A note.\n    education_level: [KG, \"01\"]\n    links:\n      - type: precedes\n        target: C0\n      - type: exactMatchOf\n        target: https://example.org/x\n        title: X";
        let (_dir, cache, f) = big_file(extra);
        let text = std::fs::read_to_string(&f)
            .expect("read")
            .replace("version: \"1\"\n", "version: \"1\"\nlanguage: fr\n");
        std::fs::write(&f, text).expect("write");
        let direct = crate::catalog::read_framework_file(&f).expect("parses");
        assert_eq!(direct.language.as_deref(), Some("fr"));
        assert_eq!(direct.competencies[3].links.len(), 2);
        load_with(&f, &cache).expect("loads");
        assert_eq!(load_with(&f, &cache).expect("from the cache"), direct);
    }

    #[test]
    fn a_settled_file_is_trusted_by_identity_and_any_write_invalidates_it() {
        let (_dir, cache, f) = big_file("");
        // Cached while fresh: with a content hash.
        load_detail(&f, &cache, Detail::Labels).expect("loads");
        settle(&[&f]);
        // Settled now: the next load drops the hash from the cache.
        load_detail(&f, &cache, Detail::Labels).expect("loads");
        let file = std::fs::read_dir(&cache)
            .expect("cache")
            .flatten()
            .next()
            .expect("a cache file")
            .path();
        let bytes = std::fs::read(&file).expect("read");
        // The hash flag sits just before the framework: settled files are cached without one.
        // (flag 0, then the framework id "big" with its length.)
        assert!(
            bytes.windows(8).any(|w| w == b"\x00\x03\x00\x00\x00big"),
            "no content hash expected"
        );
        // Same size, mtime put back: the change time still tells.
        let mtime = std::fs::metadata(&f)
            .expect("meta")
            .modified()
            .expect("mtime");
        std::fs::write(&f, big_framework("").replace("number 7\n", "numbeR 7\n")).expect("write");
        std::fs::File::options()
            .write(true)
            .open(&f)
            .and_then(|h| h.set_modified(mtime))
            .expect("set mtime");
        let changed = load_with(&f, &cache).expect("reloads");
        assert_eq!(changed.competencies[7].name, "Competency numbeR 7");
    }

    #[test]
    fn labels_only_decoding_keeps_ids_names_and_keywords() {
        let (_dir, cache, f) = big_file("");
        let full = load_with(&f, &cache).expect("loads");
        let lite = load_detail(&f, &cache, Detail::Labels).expect("loads from cache");
        assert_eq!(lite.competencies.len(), full.competencies.len());
        for (a, b) in lite.competencies.iter().zip(&full.competencies) {
            assert_eq!((&a.id, &a.name, &a.keywords), (&b.id, &b.name, &b.keywords));
            assert!(a.description.is_empty() && !b.description.is_empty());
        }
    }

    #[test]
    fn a_corrupt_cache_is_ignored() {
        let (_dir, cache, f) = big_file("");
        load_with(&f, &cache).expect("loads");
        for e in std::fs::read_dir(&cache).expect("cache").flatten() {
            let p = e.path();
            let mut b = std::fs::read(&p).expect("read");
            b.truncate(b.len() / 2);
            std::fs::write(&p, b).expect("corrupt");
        }
        assert!(load_with(&f, &cache).expect("loads").competencies.len() > 100);
        assert!(
            load_with(&f, &cache)
                .expect("loads again")
                .competencies
                .len()
                > 100
        );
    }

    /// The files in `cache` whose names start with `prefix`.
    pub(crate) fn cache_files(cache: &Path, prefix: &str) -> Vec<PathBuf> {
        std::fs::read_dir(cache)
            .map(|rd| {
                rd.flatten()
                    .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
                    .map(|e| e.path())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Make a FIFO at `path` (no writer ever opens it: opening it to read would block).
    pub(crate) fn fifo(path: &Path) {
        let made = std::process::Command::new("mkfifo").arg(path).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo {}", path.display());
    }

    /// `f()` in a thread; its result, or a panic if it takes longer than 20 s (blocked).
    pub(crate) fn within_20s<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(f());
        });
        rx.recv_timeout(std::time::Duration::from_secs(20))
            .expect("blocked for 20 s")
    }

    /// A cache file replaced by a FIFO (which would block) or a link to /dev/zero (which never
    /// ends) is not read: the framework loads from its YAML.
    #[test]
    fn a_cache_file_that_is_not_a_regular_file_is_not_read() {
        let (_dir, cache, f) = big_file("");
        load_with(&f, &cache).expect("loads");
        let file = std::fs::read_dir(&cache)
            .expect("cache")
            .flatten()
            .next()
            .expect("a cache file")
            .path();
        std::fs::remove_file(&file).expect("remove");
        fifo(&file);
        let (f2, c2) = (f.clone(), cache.clone());
        let n = within_20s(move || load_with(&f2, &c2).map(|fw| fw.competencies.len()));
        assert!(n.expect("loads") > 100);
        let _ = std::fs::remove_file(&file);
        std::os::unix::fs::symlink("/dev/zero", &file).expect("symlink");
        let n = within_20s(move || load_with(&f, &cache).map(|fw| fw.competencies.len()));
        assert!(n.expect("loads") > 100);
    }

    #[test]
    fn sizes_are_read_with_units() {
        assert_eq!(parse_size("1000"), Some(1000));
        assert_eq!(parse_size("64K"), Some(64 << 10));
        assert_eq!(parse_size(" 512M "), Some(512 << 20));
        assert_eq!(parse_size("2g"), Some(2 << 30));
        assert_eq!(parse_size("3MiB"), Some(3 << 20));
        assert_eq!(parse_size("lots"), None);
        assert_eq!(parse_size("-5"), None);
        assert_eq!(parse_size("99999999999999999999G"), None);
    }

    /// Total bytes of our files in `dir`.
    fn total(dir: &Path) -> u64 {
        list(dir).iter().map(|f| f.bytes).sum()
    }

    #[test]
    fn writing_evicts_the_least_recently_used_and_never_passes_the_bound() {
        let d = tempfile::tempdir().expect("tempdir");
        let dir = d.path().join("cache");
        let bound = 10_000;
        // Someone else's file in the folder is neither counted nor removed.
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("notes.txt"), vec![b'x'; 50_000]).expect("write");
        let name = |i: usize| dir.join(format!("fw-{i:016x}.bin"));
        for i in 0..20 {
            assert!(write_bounded_in(&name(i), &vec![b'a'; 3_000], bound));
            assert!(total(&dir) <= bound, "after file {i}: {}", total(&dir));
            // Reading the first file marks it used: it outlives the others.
            let t = std::time::SystemTime::UNIX_EPOCH
                + std::time::Duration::from_secs(1_000 + i as u64);
            for f in list(&dir) {
                if f.path != name(0) {
                    let h = std::fs::File::open(&f.path).expect("open");
                    h.set_times(std::fs::FileTimes::new().set_accessed(t).set_modified(t))
                        .expect("times");
                }
            }
            assert!(open_cache_file(&name(0), 10_000).is_some());
        }
        let left: Vec<String> = list(&dir).into_iter().map(|f| f.name).collect();
        assert_eq!(left.len(), 3, "{left:?}");
        assert!(
            left.contains(&"fw-0000000000000000.bin".to_string()),
            "{left:?}"
        );
        assert!(
            left.contains(&"fw-0000000000000013.bin".to_string()),
            "{left:?}"
        );
        assert!(dir.join("notes.txt").exists());
        // Replacing a file does not count its old copy.
        assert!(write_bounded_in(&name(19), &vec![b'b'; 4_000], bound));
        assert!(total(&dir) <= bound);
        // A file bigger than the bound is not written, and its old copy goes.
        assert!(!write_bounded_in(&name(19), &vec![b'c'; 20_000], bound));
        assert!(!name(19).exists());
        assert_eq!(list(&dir).len(), 2);
        assert_eq!(clear(&dir), (2, 6_000));
        assert!(list(&dir).is_empty());
        assert!(dir.join("notes.txt").exists());
    }

    #[test]
    fn links_in_the_cache_folder_are_neither_read_nor_counted() {
        let d = tempfile::tempdir().expect("tempdir");
        let victim = d.path().join("victim");
        std::fs::write(&victim, b"secret").expect("write");
        let link = d.path().join("fw-0000000000000001.bin");
        std::os::unix::fs::symlink(&victim, &link).expect("link");
        assert!(open_cache_file(&link, 1000).is_none());
        assert!(list(d.path()).is_empty());
        assert!(!write_bounded_in(&link, b"x", 1000));
        assert_eq!(std::fs::read(&victim).expect("victim"), b"secret");
    }
}

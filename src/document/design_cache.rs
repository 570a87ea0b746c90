//! A cache of parsed designs for reading many at once (a portfolio's members): parsing YAML is
//! most of the time `check PORTFOLIO` takes (fifty 1.5 MB designs: 2.8 s of CPU), and a design
//! that has not changed since it was last read need not be parsed again.
//!
//! Each cached design is a file `design-HASH.bin` in the cache folder (the same folder, bound
//! and rules as the framework cache, [`crate::catalog::cache`]): a header naming the source
//! file's identity (canonical path, size, times, inode), its content hash when it was fresh
//! (as the framework cache does, for files that may still change within the timestamp
//! granularity), the microcred version and the design's size bound ([`super::size`], counted
//! from the JSON written here, so that opening a cached design measures nothing), then the
//! design as JSON, which reads back several times faster than its YAML. Anything that does not match is parsed from YAML as usual. The
//! design is checked against the catalog on every load either way; when that finds an error
//! the YAML is read again, so that the problems are located in the file.

use std::hash::{Hash, Hasher};
use std::path::Path;

use crate::catalog::Catalog;
use crate::catalog::cache::{self, FileId, content_hash};
use crate::limits;
use crate::model::Workspace;
use crate::problem::Problems;
use crate::store::codec::{Reader, Writer};

const MAGIC: &[u8; 4] = b"MCDS";

/// Bump when the cached representation changes.
const FORMAT: u32 = 2;

/// Largest cache file read: JSON of a design is about as large as its YAML.
const MAX_CACHE_BYTES: u64 = 4 * limits::WORKSPACE_FILE_BYTES;

fn file_name_for(path: &str) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    path.hash(&mut h);
    format!("design-{:016x}.bin", h.finish())
}

/// Read and check the design at `path` (as [`super::load_workspace`] does), through the
/// cache when there is one.
pub fn load_design_cached(path: &Path, catalog: &Catalog) -> Result<Workspace, Problems> {
    load_design_measured(path, catalog).map(|(ws, _)| ws)
}

/// As [`load_design_cached`], with the design's size bound ([`super::size::bound`]) when the
/// cache knew it or counted it from the JSON it wrote.
pub fn load_design_measured(
    path: &Path,
    catalog: &Catalog,
) -> Result<(Workspace, Option<u64>), Problems> {
    match cache::dir() {
        Some(dir) => load_measured_with(path, &dir, catalog),
        None => super::load_workspace(path, catalog).map(|l| (l.workspace, None)),
    }
}

/// As [`load_design_cached`], with the cache in `dir`.
pub fn load_with(path: &Path, dir: &Path, catalog: &Catalog) -> Result<Workspace, Problems> {
    load_measured_with(path, dir, catalog).map(|(ws, _)| ws)
}

/// As [`load_design_measured`], with the cache in `dir`.
pub fn load_measured_with(
    path: &Path,
    dir: &Path,
    catalog: &Catalog,
) -> Result<(Workspace, Option<u64>), Problems> {
    let Some(file) = FileId::of(path) else {
        return super::load_workspace(path, catalog).map(|l| (l.workspace, None));
    };
    let cache_file = dir.join(file_name_for(&file.path));
    let mut text = None;
    if let Some((hash, bound, ws)) = read_cached(&cache_file, &file) {
        let fresh = match hash {
            None => true,
            Some(h) => {
                let t = crate::store::read_text(path).map_err(Problems::from)?;
                let same = content_hash(&t) == h;
                text = Some(t);
                same
            }
        };
        if fresh {
            let findings = crate::model::validate::workspace(&ws, catalog);
            if !findings.iter().any(|f| !f.warning) {
                return Ok((ws, Some(bound)));
            }
        }
    }
    let src = match text {
        Some(t) => t,
        None => crate::store::read_text(path).map_err(Problems::from)?,
    };
    let loaded = super::workspace_from_str(&src, &path.display().to_string(), catalog)?;
    let hash = (!file.settled()).then(|| content_hash(&src));
    let (bytes, bound) = match encode(&file, hash, &loaded.workspace) {
        Some((bytes, bound)) => (Some(bytes), Some(bound)),
        None => (None, None),
    };
    if let Some(bytes) = bytes {
        cache::write_bounded(&cache_file, &bytes);
    }
    Ok((loaded.workspace, bound))
}

/// The cache file for `ws`, and the size bound counted from its JSON.
fn encode(file: &FileId, hash: Option<u64>, ws: &Workspace) -> Option<(Vec<u8>, u64)> {
    let json = serde_json::to_vec(ws).ok()?;
    let bound = super::size::bound_of_json(&json);
    let mut w = Writer(Vec::with_capacity(json.len() + 256));
    w.0.extend_from_slice(MAGIC);
    w.u32(FORMAT);
    w.str(env!("CARGO_PKG_VERSION"));
    file.write(&mut w);
    match hash {
        None => w.0.push(0),
        Some(h) => {
            w.0.push(1);
            w.u64(h);
        }
    }
    w.u64(bound);
    w.0.extend_from_slice(&json);
    Some((w.0, bound))
}

/// The design cached in `cache_file` if it was made from the file `file` is now, with the
/// content hash to check when the file was fresh then and the design's size bound.
fn read_cached(cache_file: &Path, file: &FileId) -> Option<(Option<u64>, u64, Workspace)> {
    let bytes = cache::read_cache_file(cache_file, MAX_CACHE_BYTES)?;
    let mut r = Reader::new(&bytes);
    if r.take(4)? != MAGIC || r.u32()? != FORMAT || r.string()? != env!("CARGO_PKG_VERSION") {
        return None;
    }
    if FileId::read(&mut r)? != *file {
        return None;
    }
    let hash = match r.u8()? {
        0 => None,
        1 => Some(r.u64()?),
        _ => return None,
    };
    // Never under the JSON it counts: a cache file that says less is not ours.
    let bound = r.u64()?;
    let json = r.rest();
    if bound < json.len() as u64 {
        return None;
    }
    let ws = serde_json::from_slice(json).ok()?;
    Some((hash, bound, ws))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn examples() -> Vec<std::path::PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        let mut out = Vec::new();
        for dir in [root.clone(), root.join("portfolio")] {
            for e in std::fs::read_dir(dir).expect("examples").flatten() {
                let p = e.path();
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                if p.extension().is_some_and(|x| x == "yaml")
                    && text.starts_with("schema: microcred/workspace@1")
                {
                    out.push(p);
                }
            }
        }
        out
    }

    /// Every example design reads back from the cache as it was parsed from YAML, and the
    /// second read comes from the cache (a cache file was written).
    #[test]
    fn a_cached_design_is_the_design() {
        let cat = Catalog::embedded().expect("built-in frameworks");
        let cache = tempfile::tempdir().expect("tempdir");
        let list = examples();
        assert!(list.len() >= 4, "{list:?}");
        for p in list {
            let Ok(direct) = super::super::load_workspace(&p, &cat) else {
                continue;
            };
            let first = load_with(&p, cache.path(), &cat).expect("loads");
            let id = FileId::of(&p).expect("stat");
            let (_, bound, cached) =
                read_cached(&cache.path().join(file_name_for(&id.path)), &id).expect("cached");
            assert_eq!(cached, direct.workspace, "{}", p.display());
            assert_eq!(bound, super::super::size::bound(&direct.workspace));
            assert_eq!(first, direct.workspace);
            let (again, measured) = load_measured_with(&p, cache.path(), &cat).expect("loads");
            assert_eq!(again, first);
            assert_eq!(
                measured,
                Some(bound),
                "the second open reads the bound it kept"
            );
        }
    }

    /// A design changed since it was cached is parsed again; a cache file that is not ours
    /// (garbage) is ignored.
    #[test]
    fn a_changed_design_or_a_broken_cache_is_read_from_yaml() {
        let cat = Catalog::embedded().expect("built-in frameworks");
        let cache = tempfile::tempdir().expect("tempdir");
        let dir = tempfile::tempdir().expect("tempdir");
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples/portfolio/heat-pump-fundamentals.yaml");
        let p = dir.path().join("d.yaml");
        std::fs::copy(&src, &p).expect("copy");
        let first = load_with(&p, cache.path(), &cat).expect("loads");
        let text = std::fs::read_to_string(&p)
            .expect("read")
            .replace("Heat Pump Fundamentals", "Heat Pump Basics");
        std::fs::write(&p, text).expect("write");
        let second = load_with(&p, cache.path(), &cat).expect("loads");
        assert_ne!(first.credential.title, second.credential.title);
        assert_eq!(second.credential.title.as_deref(), Some("Heat Pump Basics"));
        let id = FileId::of(&p).expect("stat");
        // A cache file claiming a size bound under its own JSON is not ours either.
        let cache_file = cache.path().join(file_name_for(&id.path));
        let good = std::fs::read(&cache_file).expect("cached");
        let (_, bound, _) = read_cached(&cache_file, &id).expect("reads");
        let at = good.len() - serde_json::to_vec(&second).expect("json").len() - 8;
        assert_eq!(
            good[at..at + 8],
            bound.to_le_bytes(),
            "the bound sits before the JSON"
        );
        let mut low = good.clone();
        low[at..at + 8].copy_from_slice(&1u64.to_le_bytes());
        std::fs::write(&cache_file, &low).expect("w");
        assert!(read_cached(&cache_file, &id).is_none());
        std::fs::write(cache.path().join(file_name_for(&id.path)), b"MCDSgarbage").expect("w");
        let third = load_with(&p, cache.path(), &cat).expect("loads");
        assert_eq!(third, second);
    }
}

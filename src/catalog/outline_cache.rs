//! The catalog's outline for one set of framework files: what checking a design's references
//! and finding its context need, and nothing else, so that `microcred suggest --need` over a
//! large framework reads a small file instead of the whole parsed catalog (with ESCO, reading
//! the catalog with its descriptions was 40 % of a run, parsing the built-in frameworks' YAML
//! another 8 %).
//!
//! The outline keeps, for every loaded framework in load order (built-in ones included), where
//! it came from, the framework's own fields and scale, and for each competency its id, the
//! levels it describes (their text left empty) and its occupation links (ESCO imported with
//! `--relations`, read by `context::occupation_for`); names, descriptions, keywords, other
//! links and the rest are left empty. Such a catalog answers every question a design's check
//! asks except the hints of a failed one, so a caller whose check fails reads the whole catalog
//! and checks again ([`Outline::whole`]).
//!
//! As the suggestion snapshot ([`super::suggest_cache`]): `outline-HASH.bin` in the cache
//! folder, one per list of framework files; its header records the format, the microcred
//! version, a fingerprint of the built-in frameworks and each file's identity, and the body ends
//! with a checksum. Any difference, a missing file, a damaged or foreign outline (a symbolic
//! link or a FIFO in its place) means the frameworks are loaded and checked as usual and the
//! outline written again, through [`cache::write_bounded`] (atomic, within the folder's bound),
//! once every file has settled. Sets of files under [`cache::MIN_BYTES`] in all get none.

use std::path::{Path, PathBuf};

use crate::catalog::cache::{self, Detail, FileId};
use crate::catalog::snapshot;
use crate::catalog::{Catalog, EMBEDDED, Entry, Origin};
use crate::limits;
use crate::model::{Competency, ESSENTIAL_FOR_OCCUPATION, Framework, OPTIONAL_FOR_OCCUPATION};
use crate::problem::Problems;

const MAGIC: &[u8; 4] = b"MCOL";

/// Bump when the outline's layout or what it keeps changes.
const FORMAT: u32 = 1;

/// Largest outline read: smaller than the parsed catalog it outlines; anything bigger, or not a
/// regular file, is not ours.
const MAX_OUTLINE_BYTES: u64 = 4 * limits::FRAMEWORK_FILE_BYTES;

/// A catalog for checking a design and finding its context.
#[derive(Debug)]
pub enum Outline {
    /// Every framework as loaded (no outline was current).
    Whole(Catalog),
    /// From the outline: ids, scales, levels and occupation links only.
    Outline(Catalog),
}

impl Outline {
    /// The catalog, whole or outlined.
    pub fn catalog(&self) -> &Catalog {
        match self {
            Outline::Whole(c) | Outline::Outline(c) => c,
        }
    }

    /// The whole catalog: this one when it is whole, else loaded from `files`.
    pub fn whole(self, files: &[PathBuf]) -> Result<Catalog, Problems> {
        match self {
            Outline::Whole(c) => Ok(c),
            Outline::Outline(_) => crate::catalog::load_files(files.to_vec(), Detail::Full),
        }
    }
}

/// The catalog of the built-in frameworks and `files` (as [`crate::catalog::Sources::files`]
/// lists them): outlined from `outline-HASH.bin` in `cache_dir` when that is current, else
/// loaded whole and its outline written.
pub fn load_outline(files: &[PathBuf], cache_dir: Option<&Path>) -> Result<Outline, Problems> {
    let snapshot = snapshot::path_for("outline", files, cache_dir);
    if let Some((file, ids)) = &snapshot {
        if let Some(cat) = read(file, &header(ids), files) {
            return Ok(Outline::Outline(cat));
        }
    }
    let catalog = crate::catalog::load_files(files.to_vec(), Detail::Full)?;
    if let Some((file, ids)) = snapshot {
        if ids.iter().all(FileId::settled) {
            cache::write_bounded(&file, &encode(&header(&ids), &catalog, files));
        }
    }
    Ok(Outline::Whole(catalog))
}

/// The header: what the outline was made from.
fn header(ids: &[FileId]) -> Vec<u8> {
    snapshot::header(FORMAT, &[], ids)
}

/// `fw` with only what the outline keeps.
fn outlined(fw: &Framework) -> Framework {
    let competencies = fw
        .competencies
        .iter()
        .map(|c| Competency {
            id: c.id.clone(),
            name: String::new(),
            description: String::new(),
            category: None,
            kind: None,
            keywords: Vec::new(),
            parent: None,
            uri: None,
            levels: c.levels.keys().map(|&l| (l, String::new())).collect(),
            code: None,
            order: None,
            notes: None,
            education_level: Vec::new(),
            links: c
                .links
                .iter()
                .filter(|l| l.kind == ESSENTIAL_FOR_OCCUPATION || l.kind == OPTIONAL_FOR_OCCUPATION)
                .cloned()
                .collect(),
        })
        .collect();
    Framework {
        id: fw.id.clone(),
        name: fw.name.clone(),
        version: fw.version.clone(),
        publisher: fw.publisher.clone(),
        source: fw.source.clone(),
        licence: fw.licence.clone(),
        language: fw.language.clone(),
        description: fw.description.clone(),
        levels: fw.levels.clone(),
        competencies,
    }
}

/// Magic, the header with its length, each entry (where it came from, whether it replaced a
/// built-in framework, the outlined framework), then the checksum of everything before it.
fn encode(header: &[u8], catalog: &Catalog, files: &[PathBuf]) -> Vec<u8> {
    let mut w = snapshot::start(MAGIC, header);
    w.u32(catalog.entries().len() as u32);
    for e in catalog.entries() {
        let (kind, i) = match &e.origin {
            Origin::Embedded(name) => (0, EMBEDDED.iter().position(|(n, _)| n == name)),
            Origin::File(p) => (1, files.iter().position(|f| f == p)),
        };
        let Some(i) = i else {
            // Not a catalog loaded from these files: no outline.
            return Vec::new();
        };
        w.0.push(kind);
        w.u32(i as u32);
        w.0.push(u8::from(e.overrides_embedded));
        cache::write_framework(&mut w, &outlined(&e.framework));
    }
    snapshot::seal(w)
}

/// The outlined catalog in `file`, if it is a whole outline with exactly `header`.
fn read(file: &Path, header: &[u8], files: &[PathBuf]) -> Option<Catalog> {
    let bytes = cache::read_cache_file(file, MAX_OUTLINE_BYTES)?;
    let mut r = snapshot::body(&bytes, MAGIC, header)?;
    let mut cat = Catalog::default();
    for _ in 0..r.count()? {
        let (kind, i, overrides) = (r.u8()?, r.u32()? as usize, r.u8()?);
        let origin = match kind {
            0 => Origin::Embedded(EMBEDDED.get(i)?.0),
            1 => Origin::File(files.get(i)?.clone()),
            _ => return None,
        };
        let fw = r.framework(true)?;
        if cat.framework(&fw.id).is_some() {
            return None;
        }
        let mut entry = Entry::new(fw, origin);
        entry.overrides_embedded = overrides == 1;
        cat.push(entry);
    }
    r.at_end().then_some(cat)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::suggest::context::occupation_for;
    use crate::catalog::cache::tests::{big_framework, fifo, settle, within_20s};
    use crate::model::Workspace;

    /// After each competency's name: two levels it describes, an occupation link and a link
    /// of another kind.
    const EXTRA: &str = "\n    levels:\n      1: Does it with help.\n      2: Does it alone.\n    links:\n      - type: isEssentialForOccupation\n        target: http://example.org/occupation/welder\n        title: pipe welder\n      - type: hasEssentialSkill\n        target: C0";

    /// [`big_framework`] on a three-level scale with [`EXTRA`], its competency `C7` named `c7`.
    fn framework(c7: &str) -> String {
        big_framework(EXTRA)
            .replacen(
                "levels:\n  - level: 1\n    name: One\n",
                "levels:\n  - level: 1\n    name: One\n  - level: 2\n    name: Two\n  - level: 3\n    name: Three\n",
                1,
            )
            .replace("id: C7\n", &format!("id: {c7}\n"))
    }

    /// A large framework file of [`framework`] (settled), and a cache folder: (folder, cache, file).
    fn big() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = dir.path().join("cache");
        let f = dir.path().join("big.yaml");
        std::fs::write(&f, framework("C7")).expect("write");
        settle(&[&f]);
        (dir, cache, f)
    }

    /// A design referring to `big` and the built-in frameworks, with `refs` as
    /// (competency reference, target level) and one mapping per reference.
    fn design(refs: &[(&str, u32)]) -> Workspace {
        let mut s = String::from(
            "schema: microcred/workspace@1\ncredential:\n  title: Pipe welder, level 1\nframeworks:\n  - id: big\n    version: \"2\"\npartners:\n  - { id: p, name: P, kind: industry }\nneeds:\n  - id: N1\n    partner: p\n    statement: Weld pipes\n    priority: must\ncompetencies:\n",
        );
        for (r, l) in refs {
            s.push_str(&format!("  - ref: {r}\n    target_level: {l}\n"));
        }
        s.push_str("mappings:\n");
        for (r, l) in refs {
            s.push_str(&format!(
                "  - need: N1\n    competency: {r}\n    required_level: {l}\n"
            ));
        }
        serde_yaml::from_str(&s).expect("the design parses")
    }

    fn outline_files(cache: &Path) -> Vec<PathBuf> {
        crate::catalog::cache::tests::cache_files(cache, "outline-")
    }

    /// Every check of a design, sound or not, and the occupation its title names come out
    /// the same from the outline as from the whole catalog.
    #[test]
    fn an_outline_checks_designs_and_finds_occupations_as_the_whole_catalog_does() {
        let (_dir, cache, f) = big();
        let files = vec![f.clone()];
        let whole = match load_outline(&files, Some(&cache)).expect("loads") {
            Outline::Whole(c) => c,
            Outline::Outline(_) => panic!("no outline yet"),
        };
        assert_eq!(
            outline_files(&cache).len(),
            1,
            "the first run writes the outline"
        );
        let outline = match load_outline(&files, Some(&cache)).expect("loads") {
            Outline::Outline(c) => c,
            Outline::Whole(_) => panic!("the outline is current"),
        };
        assert_eq!(
            outline.entries().len(),
            whole.entries().len(),
            "the built-in frameworks too"
        );
        let c7 = outline.resolve("big:C7").expect("big:C7").1;
        assert!(c7.description.is_empty() && c7.levels.len() == 2 && c7.links.len() == 1);
        let designs = [
            design(&[("big:C7", 2), ("digital-data:DD-DATA-03", 1)]),
            design(&[("big:C7", 3)]),
            design(&[("big:C99999", 1), ("big:C1", 9)]),
            design(&[("bog:C7", 1), ("digital-data:DD-DATA-99", 1)]),
        ];
        for (i, ws) in designs.iter().enumerate() {
            let want = crate::model::validate::workspace(ws, &whole);
            assert_eq!(
                crate::model::validate::workspace(ws, &outline),
                want,
                "design {i}"
            );
            assert_eq!(
                want.iter().any(|f| !f.warning),
                i > 0,
                "design {i}: {want:?}"
            );
        }
        for title in ["Pipe welder, level 1", "Welder", "Baker"] {
            assert_eq!(
                occupation_for(&outline, title),
                occupation_for(&whole, title),
                "{title}"
            );
        }
        assert!(occupation_for(&outline, "Pipe welder").is_some());
    }

    #[test]
    fn a_changed_file_makes_the_outline_stale() {
        let (_dir, cache, f) = big();
        let files = vec![f.clone()];
        load_outline(&files, Some(&cache)).expect("loads");
        std::fs::write(&f, framework("C7b")).expect("write");
        let cat = load_outline(&files, Some(&cache)).expect("reloads");
        assert!(matches!(cat, Outline::Whole(_)));
        assert!(cat.catalog().resolve("big:C7b").is_some());
        assert!(cat.catalog().resolve("big:C7").is_none());
    }

    /// A damaged outline (cut short or a byte changed anywhere), a link or a FIFO in its
    /// place: never read, the whole catalog is loaded instead, the link is not written through.
    #[test]
    fn damaged_or_foreign_outlines_are_ignored() {
        let (dir, cache, f) = big();
        let files = vec![f.clone()];
        load_outline(&files, Some(&cache)).expect("loads");
        let file = outline_files(&cache).pop().expect("an outline");
        let good = std::fs::read(&file).expect("read");
        let header = header(&[FileId::of(&f).expect("id")]);
        assert!(read(&file, &header, &files).is_some());
        let step = (good.len() / 40).max(1);
        for at in (0..good.len()).step_by(step) {
            let mut bad = good.clone();
            bad[at] ^= 0x5a;
            std::fs::write(&file, &bad).expect("damage");
            assert!(
                read(&file, &header, &files).is_none(),
                "a flipped byte at {at}"
            );
            std::fs::write(&file, &good[..at]).expect("cut");
            assert!(read(&file, &header, &files).is_none(), "cut at {at}");
        }
        assert!(matches!(
            load_outline(&files, Some(&cache)).expect("loads"),
            Outline::Whole(_)
        ));
        assert_eq!(std::fs::read(&file).expect("rewritten"), good);
        let victim = dir.path().join("victim.bin");
        std::fs::write(&victim, &good).expect("victim");
        std::fs::remove_file(&file).expect("remove");
        std::os::unix::fs::symlink(&victim, &file).expect("link");
        assert!(read(&file, &header, &files).is_none(), "a link is not read");
        assert!(matches!(
            load_outline(&files, Some(&cache)).expect("loads"),
            Outline::Whole(_)
        ));
        assert!(std::fs::symlink_metadata(&file).expect("link").is_symlink());
        assert_eq!(std::fs::read(&victim).expect("victim"), good);
        std::fs::remove_file(&file).expect("remove");
        fifo(&file);
        let n = within_20s(move || {
            load_outline(&files, Some(&cache)).map(|o| o.catalog().competency_count())
        });
        assert!(n.expect("loads") > 100);
    }

    #[test]
    fn no_outline_for_small_sets_or_without_a_cache_folder() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cache = dir.path().join("cache");
        assert!(matches!(
            load_outline(&[], Some(&cache)).expect("loads"),
            Outline::Whole(_)
        ));
        assert!(outline_files(&cache).is_empty());
        let (_d, _c, f) = big();
        assert!(matches!(
            load_outline(&[f], None).expect("loads"),
            Outline::Whole(_)
        ));
    }
}

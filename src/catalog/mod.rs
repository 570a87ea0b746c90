//! The catalog: every competency of every loaded framework, and where each framework came from.
//!
//! Frameworks come from, in order: the frameworks compiled into the binary, `--frameworks`
//! folders or files, the `MICROCRED_FRAMEWORKS` path list, and a `frameworks/` folder beside the
//! workspace. A file overrides the embedded framework with the same id; the same id in two
//! files is an error that names both.
//!
//! - `parse`: framework files to checked frameworks ([`framework_from_str`],
//!   [`read_framework_file`]).
//! - [`cache`]: the parsed-file cache ([`cache::load_framework_cached`]).
//! - [`search_cache`]: the search index snapshot.
//! - [`suggest_cache`]: the suggestion index snapshot.
//! - [`outline_cache`]: the catalog's outline (ids, scales, levels, occupation links), for
//!   checking a design and finding its context.
//! - `snapshot`: what those snapshots share (names, header, framing, checksum).

pub mod cache;
pub mod outline_cache;
mod parse;
pub mod search_cache;
mod snapshot;
pub mod suggest_cache;

pub use parse::{framework_from_str, read_framework_file, read_framework_text};

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::model::Framework;
use crate::problem::{Problem, Problems};

/// The frameworks compiled into the binary: (file name, YAML text).
pub const EMBEDDED: &[(&str, &str)] = &[
    (
        "essential-skills.yaml",
        include_str!("../../frameworks/essential-skills.yaml"),
    ),
    (
        "digital-data.yaml",
        include_str!("../../frameworks/digital-data.yaml"),
    ),
    (
        "building-retrofit.yaml",
        include_str!("../../frameworks/building-retrofit.yaml"),
    ),
    (
        "health-care-support.yaml",
        include_str!("../../frameworks/health-care-support.yaml"),
    ),
];

/// The embedded framework `i`, parsed on first use.
fn embedded_framework(i: usize) -> &'static Result<Framework, Problems> {
    static PARSED: std::sync::OnceLock<Vec<Result<Framework, Problems>>> =
        std::sync::OnceLock::new();
    &PARSED.get_or_init(|| {
        EMBEDDED
            .iter()
            .map(|(name, text)| framework_from_str(text, &format!("(built in) {name}")))
            .collect()
    })[i]
}

/// The parsed framework when `text` is exactly one of the embedded files (no second parse).
pub fn embedded_parse_of(text: &str) -> Option<&'static Framework> {
    let i = EMBEDDED.iter().position(|(_, t)| *t == text)?;
    embedded_framework(i).as_ref().ok()
}

pub use crate::model::catalog::{Catalog, Entry, Origin};

impl Catalog {
    /// The frameworks compiled into the binary (parsed once per process).
    pub fn embedded() -> Result<Catalog, Problems> {
        let mut cat = Catalog::default();
        let mut problems = Vec::new();
        for (i, (name, _)) in EMBEDDED.iter().enumerate() {
            match embedded_framework(i) {
                Ok(fw) => cat.push(Entry::new(fw.clone(), Origin::Embedded(name))),
                Err(p) => problems.extend(p.0.iter().cloned()),
            }
        }
        if problems.is_empty() {
            Ok(cat)
        } else {
            Err(Problems(problems))
        }
    }
}

/// Where to look for framework files beyond the embedded ones.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// `--frameworks` arguments: folders or files.
    pub paths: Vec<PathBuf>,
    /// The value of `MICROCRED_FRAMEWORKS`, if set.
    pub env: Option<std::ffi::OsString>,
    /// The workspace file, whose folder may hold a `frameworks/` folder.
    pub workspace: Option<PathBuf>,
}

impl Sources {
    /// Sources from the command line and the process environment.
    pub fn new(paths: Vec<PathBuf>, workspace: Option<&Path>) -> Self {
        Sources {
            paths,
            env: std::env::var_os("MICROCRED_FRAMEWORKS"),
            workspace: workspace.map(Path::to_path_buf),
        }
    }

    /// Every framework file to read, in order, without duplicates.
    pub fn files(&self) -> Result<Vec<PathBuf>, Problems> {
        let mut roots: Vec<PathBuf> = self.paths.clone();
        if let Some(env) = &self.env {
            roots.extend(std::env::split_paths(env).filter(|p| !p.as_os_str().is_empty()));
        }
        let mut problems = Vec::new();
        if let Some(ws) = &self.workspace {
            let beside = ws.parent().unwrap_or(Path::new(".")).join("frameworks");
            if beside.is_dir() {
                roots.push(beside);
            }
        }
        let mut files = Vec::new();
        for root in roots {
            if root.is_dir() {
                match std::fs::read_dir(&root) {
                    Ok(rd) => {
                        let mut found: Vec<PathBuf> = rd
                            .filter_map(|e| e.ok().map(|e| e.path()))
                            .filter(|p| {
                                p.is_file()
                                    && matches!(
                                        p.extension().and_then(|e| e.to_str()),
                                        Some("yaml" | "yml")
                                    )
                            })
                            .collect();
                        found.sort();
                        files.extend(found);
                    }
                    Err(e) => problems.push(Problem::error(
                        root.display().to_string(),
                        format!("cannot read the folder: {e}"),
                    )),
                }
            } else if root.is_file() {
                files.push(root);
            } else {
                problems.push(
                    Problem::error(
                        root.display().to_string(),
                        "no such framework file or folder",
                    )
                    .hint("check the path given with --frameworks or MICROCRED_FRAMEWORKS"),
                );
            }
        }
        if !problems.is_empty() {
            return Err(Problems(problems));
        }
        let mut seen = std::collections::HashSet::new();
        files.retain(|f| seen.insert(std::fs::canonicalize(f).unwrap_or_else(|_| f.clone())));
        Ok(files)
    }
}

/// Load the embedded frameworks and every file the sources name.
pub fn load(sources: &Sources) -> Result<Catalog, Problems> {
    load_files(sources.files()?, crate::catalog::cache::Detail::Full)
}

/// Load the embedded frameworks and `files` (as listed by [`Sources::files`]).
pub(crate) fn load_files(
    files: Vec<PathBuf>,
    detail: crate::catalog::cache::Detail,
) -> Result<Catalog, Problems> {
    let mut cat = Catalog::embedded()?;
    let mut problems = Vec::new();
    let mut from_file: HashMap<String, PathBuf> = HashMap::new();
    for path in files {
        let fw = match crate::catalog::cache::load_framework_cached_detail(&path, detail) {
            Ok(fw) => fw,
            Err(p) => {
                problems.extend(p.0);
                continue;
            }
        };
        if let Some(first) = from_file.get(&fw.id) {
            problems.push(
                Problem::error(
                    path.display().to_string(),
                    format!(
                        "framework id `{}` is also used by {}",
                        fw.id,
                        first.display()
                    ),
                )
                .hint("give each framework file its own id, or load only one of them"),
            );
            continue;
        }
        from_file.insert(fw.id.clone(), path.clone());
        let id = fw.id.clone();
        let mut entry = Entry::new(fw, Origin::File(path));
        match cat.by_id.get(&id) {
            Some(&i) => {
                entry.overrides_embedded = true;
                cat.entries[i] = entry;
            }
            None => cat.push(entry),
        }
    }
    if problems.is_empty() {
        Ok(cat)
    } else {
        Err(Problems(problems))
    }
}

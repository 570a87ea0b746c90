//! The catalog as data: every loaded framework, indexed for lookup by id and by reference. How
//! frameworks are found and loaded is in `crate::catalog`, which re-exports these types.

use std::collections::HashMap;
use std::path::PathBuf;

use super::{Competency, Framework, split_ref};

/// Where a loaded framework came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Compiled into the binary (the file name it was built from).
    Embedded(&'static str),
    /// Read from a file.
    File(PathBuf),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Embedded(name) => write!(f, "(built in) {name}"),
            Origin::File(p) => write!(f, "{}", p.display()),
        }
    }
}

/// One loaded framework.
#[derive(Debug, Clone)]
pub struct Entry {
    pub framework: Framework,
    pub origin: Origin,
    /// True when this file replaced the embedded framework of the same id.
    pub overrides_embedded: bool,
    by_id: HashMap<String, usize>,
}

impl Entry {
    pub(crate) fn new(framework: Framework, origin: Origin) -> Self {
        let by_id = framework
            .competencies
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        Entry {
            framework,
            origin,
            overrides_embedded: false,
            by_id,
        }
    }

    /// The competency with this id.
    pub fn competency(&self, id: &str) -> Option<&Competency> {
        self.by_id.get(id).map(|&i| &self.framework.competencies[i])
    }
}

/// Every loaded framework, indexed for lookup by id and by `framework:competency` reference.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub(crate) entries: Vec<Entry>,
    pub(crate) by_id: HashMap<String, usize>,
}

impl Catalog {
    /// A catalog of exactly these frameworks (tests, importers).
    pub fn from_frameworks(frameworks: impl IntoIterator<Item = Framework>) -> Catalog {
        let mut cat = Catalog::default();
        for fw in frameworks {
            let id = fw.id.clone();
            let entry = Entry::new(fw, Origin::Embedded("(in memory)"));
            match cat.by_id.get(&id) {
                Some(&i) => cat.entries[i] = entry,
                None => cat.push(entry),
            }
        }
        cat
    }

    pub(crate) fn push(&mut self, e: Entry) {
        self.by_id
            .insert(e.framework.id.clone(), self.entries.len());
        self.entries.push(e);
    }

    /// Every loaded framework, in load order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The framework with this id.
    pub fn framework(&self, id: &str) -> Option<&Framework> {
        self.entry(id).map(|e| &e.framework)
    }

    /// The loaded entry with this framework id.
    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }

    /// Resolve `FRAMEWORK_ID:COMPETENCY_ID`.
    pub fn resolve(&self, reference: &str) -> Option<(&Framework, &Competency)> {
        let (fw, id) = split_ref(reference)?;
        let e = self.entry(fw)?;
        Some((&e.framework, e.competency(id)?))
    }

    /// The level a competency gets when it is added to the credential: the second level its
    /// framework allows it, else the first; `None` when the reference does not resolve.
    pub fn default_level(&self, reference: &str) -> Option<u32> {
        let (fw, comp) = self.resolve(reference)?;
        let allowed: Vec<u32> = fw
            .levels
            .iter()
            .map(|l| l.level)
            .filter(|l| comp.allows_level(fw, *l))
            .collect();
        allowed.get(1).or(allowed.first()).copied()
    }

    /// How many competencies are loaded in all.
    pub fn competency_count(&self) -> usize {
        self.entries
            .iter()
            .map(|e| e.framework.competencies.len())
            .sum()
    }
}

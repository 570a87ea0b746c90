//! Checks a parsed framework or workspace beyond what its types enforce: identifiers,
//! duplicates, references, levels. Each finding carries the path of the node it is about, so
//! the loader can turn it into `file:line:column`.
//!
//! One [`Checker`] runs every check and counts the work its "did you mean" hints cost; the
//! functions below are its entry points. By what they check: a framework (`framework`), the
//! credential's own fields (`credential`) and the formats of their values (`formats`),
//! partners and needs (`partners`), references into the catalog from the credential's
//! competencies and the mappings (`references`), dot votes (`votes`), the workspace as a
//! whole with its sign-offs and postings (`workspace`), length limits (`limits`) and the
//! hints (`suggestions`).

use std::collections::HashMap;

mod credential;
mod formats;
mod framework;
pub mod limits;
mod partners;
mod references;
mod suggestions;
mod votes;
mod workspace;

pub use formats::{valid_country, valid_date, valid_isced_f, valid_language, valid_web_address};
pub use framework::scale_hint;
pub use suggestions::{MAX_CANDIDATES, MAX_COMPARED_CHARS, MAX_RANKED, Suggestions, did_you_mean};

use crate::model::catalog::Catalog;
use crate::model::*;
use crate::problem::DocPath;

/// One thing wrong (or worth a warning) at a path in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub path: DocPath,
    pub message: String,
    pub hint: Option<String>,
    pub warning: bool,
}

impl Finding {
    pub(crate) fn error(path: DocPath, message: impl Into<String>) -> Self {
        Finding {
            path,
            message: message.into(),
            hint: None,
            warning: false,
        }
    }
    pub(crate) fn hint(mut self, h: impl Into<String>) -> Self {
        self.hint = Some(h.into());
        self
    }
}

/// Runs the checks: the findings so far, in document order, and the suggestion work their
/// hints cost (bounded: see [`Suggestions`]).
#[derive(Debug, Default)]
pub struct Checker {
    /// What the checks found so far, each at its path from the document's root.
    pub findings: Vec<Finding>,
    /// The suggestion work spent so far.
    pub suggestions: Suggestions,
}

impl Checker {
    /// Run `check`, whose findings have paths relative to `base`, and put `base` in front of
    /// them.
    fn under(&mut self, base: &DocPath, check: impl FnOnce(&mut Self)) {
        let from = self.findings.len();
        check(self);
        for f in &mut self.findings[from..] {
            let mut p = base.clone();
            p.0.append(&mut f.path.0);
            f.path = p;
        }
    }
}

/// Check a framework on its own.
pub fn framework(fw: &Framework) -> Vec<Finding> {
    let mut c = Checker::default();
    c.framework(fw);
    c.findings
}

/// Check a workspace against the catalog.
pub fn workspace(ws: &Workspace, catalog: &Catalog) -> Vec<Finding> {
    let mut c = Checker::default();
    c.workspace(ws, catalog);
    c.findings
}

/// Check one partner (paths relative to the partner).
pub fn partner(p: &Partner) -> Vec<Finding> {
    let mut c = Checker::default();
    c.partner(p);
    c.findings
}

/// Check one need (paths relative to the need).
pub fn need(ws: &Workspace, n: &Need) -> Vec<Finding> {
    let mut c = Checker::default();
    c.need(ws, ws.partner(&n.partner).is_some(), n);
    c.findings
}

/// Check one credential competency (paths relative to it).
pub fn credential_competency(cc: &CredentialCompetency, catalog: &Catalog) -> Vec<Finding> {
    let mut c = Checker::default();
    c.credential_competency(cc, catalog);
    c.findings
}

/// Check one mapping (paths relative to it).
pub fn mapping(ws: &Workspace, m: &Mapping, catalog: &Catalog) -> Vec<Finding> {
    let mut c = Checker::default();
    c.mapping(ws, ws.need(&m.need).is_some(), m, catalog);
    c.findings
}

fn check_id(out: &mut Vec<Finding>, path: DocPath, what: &str, id: &str) {
    if !is_identifier(id) {
        out.push(
            Finding::error(path, format!("`{id}` is not a valid {what} id")).hint(
                "ids start with a letter or digit and use only letters, digits, `.`, `_` and `-`",
            ),
        );
    }
}

fn check_text(out: &mut Vec<Finding>, path: DocPath, what: &str, text: &str) {
    if text.trim().is_empty() {
        out.push(Finding::error(path, format!("the {what} is empty")).hint("write a few words"));
    }
}

fn check_unique<'a>(
    out: &mut Vec<Finding>,
    base: &DocPath,
    what: &str,
    ids: impl Iterator<Item = &'a str>,
) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, id) in ids.enumerate() {
        if let Some(first) = seen.insert(id, i) {
            out.push(
                Finding::error(
                    base.index(i).key("id"),
                    format!("duplicate {what} id `{id}`"),
                )
                .hint(format!(
                    "item {} already uses it; give each {what} its own id",
                    first + 1
                )),
            );
            seen.insert(id, first);
        }
    }
}

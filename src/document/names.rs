//! The names of a version's needs, partners and competencies, looked up by id through the
//! version's [`Derived`] lookups and the catalog, for the words people read: status messages,
//! the activity feed and notices, commit messages (see [`crate::text::names`]).

use crate::catalog::Catalog;
use crate::document::derived::Derived;
use crate::model::Workspace;
use crate::text::names::Names;

/// Names of one version of a workspace (with the lookups derived from it) and of the
/// competencies of a catalog.
pub struct Named<'a> {
    pub ws: &'a Workspace,
    pub derived: &'a Derived,
    pub catalog: &'a Catalog,
}

impl Names for Named<'_> {
    fn need(&self, id: &str) -> Option<&str> {
        self.derived.need(self.ws, id).map(|n| n.statement.as_str())
    }

    fn partner(&self, id: &str) -> Option<&str> {
        let i = *self.derived.partner_index.get(id)?;
        self.ws.partners.get(i).map(|p| p.name.as_str())
    }

    fn competency(&self, reference: &str) -> Option<&str> {
        self.catalog
            .resolve(reference)
            .map(|(_, c)| c.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::names::mapping_in;

    #[test]
    fn a_version_names_its_needs_partners_and_competencies() {
        let cat = Catalog::embedded().unwrap();
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/retrofit-gaps.yaml");
        let ws = crate::document::load_workspace(std::path::Path::new(path), &cat)
            .unwrap()
            .workspace;
        let derived = Derived::new(&ws, &crate::analysis::gap::analyse(&ws));
        let named = Named {
            ws: &ws,
            derived: &derived,
            catalog: &cat,
        };
        let m = &ws.mappings[0];
        let text = mapping_in(&named, &m.need, &m.competency);
        let need = ws.need(&m.need).unwrap();
        let word = need.statement.split(' ').next().unwrap();
        assert!(text.starts_with(&format!("{} \"{word}", m.need)), "{text}");
        let (_, c) = cat.resolve(&m.competency).unwrap();
        assert!(
            text.ends_with(&format!("→ {} ({})", c.name, m.competency)),
            "{text}"
        );
        let p = &ws.partners[0];
        assert_eq!(named.partner(&p.id), Some(p.name.as_str()));
        assert_eq!(named.partner("nobody"), None);
    }
}

//! What every view of a document needs to look things up by id and to list needs the way the
//! panes show them, computed once per document version (by the [`super::Hub`], beside the gap
//! report) and shared by every session, so that drawing and moving cost what is on screen.

use std::collections::HashMap;

use crate::analysis::gap::{GapReport, NeedStatus};
use crate::model::Workspace;

/// Lookups and orders derived from one version of a workspace.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Derived {
    /// Needs in display order (indexes into `needs`): grouped by partner in partner order
    /// (needs of unknown partners last), then in document order.
    pub need_order: Vec<usize>,
    /// Each need id's position in `need_order`.
    pub need_pos: HashMap<String, usize>,
    /// Each need id's mappings (indexes into `mappings`), in document order.
    pub mappings_of: HashMap<String, Vec<usize>>,
    /// How many needs each partner id has.
    pub needs_of: HashMap<String, usize>,
    /// Each need id's coverage status in the gap report.
    pub status: HashMap<String, NeedStatus>,
}

impl Derived {
    /// Derive from `ws` and its gap report, in time linear in the document.
    pub fn new(ws: &Workspace, report: &GapReport) -> Derived {
        let rank: HashMap<&str, usize> = ws
            .partners
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.as_str(), i))
            .collect();
        let mut need_order: Vec<usize> = (0..ws.needs.len()).collect();
        // A stable sort by partner rank keeps document order within a partner.
        need_order.sort_by_key(|&i| {
            rank.get(ws.needs[i].partner.as_str())
                .copied()
                .unwrap_or(usize::MAX)
        });
        let need_pos = need_order
            .iter()
            .enumerate()
            .map(|(pos, &i)| (ws.needs[i].id.clone(), pos))
            .collect();
        let mut mappings_of: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, m) in ws.mappings.iter().enumerate() {
            mappings_of.entry(m.need.clone()).or_default().push(i);
        }
        let mut needs_of: HashMap<String, usize> = HashMap::new();
        for n in &ws.needs {
            *needs_of.entry(n.partner.clone()).or_default() += 1;
        }
        let status = report
            .needs
            .iter()
            .map(|n| (n.id.clone(), n.status))
            .collect();
        Derived {
            need_order,
            need_pos,
            mappings_of,
            needs_of,
            status,
        }
    }

    /// The mappings (indexes into `mappings`) of need `id`.
    pub fn mappings(&self, id: &str) -> &[usize] {
        self.mappings_of.get(id).map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::gap::analyse;
    use crate::catalog::Catalog;

    #[test]
    fn order_groups_needs_by_partner_and_ids_find_them() {
        let cat = Catalog::embedded().unwrap();
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/retrofit-gaps.yaml");
        let ws = crate::document::load_workspace(std::path::Path::new(path), &cat)
            .unwrap()
            .workspace;
        let d = Derived::new(&ws, &analyse(&ws));
        let ids: Vec<&str> = d
            .need_order
            .iter()
            .map(|&i| ws.needs[i].id.as_str())
            .collect();
        assert_eq!(
            ids,
            ["N1", "N2", "N5", "N7", "N3", "N4", "N8", "N6", "N9", "N10"]
        );
        for (pos, &i) in d.need_order.iter().enumerate() {
            assert_eq!(d.need_pos[&ws.needs[i].id], pos);
        }
        let n3: Vec<usize> = ws
            .mappings
            .iter()
            .enumerate()
            .filter(|(_, m)| m.need == "N3")
            .map(|(i, _)| i)
            .collect();
        assert_eq!(d.mappings("N3"), n3.as_slice());
        assert_eq!(d.mappings("nope"), &[] as &[usize]);
        assert_eq!(d.needs_of["brightwater-mechanical"], 3);
    }
}

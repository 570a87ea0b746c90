//! What every view of a document needs to look things up by id and to list needs the way the
//! panes show them, computed once per document version (by the [`super::Hub`], beside the gap
//! report) and shared by every session, so that drawing and moving cost what is on screen.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::analysis::gap::{GapReport, NeedStatus};
use crate::model::{Need, Workspace};

/// Lookups and orders derived from one version of a workspace. The parts that follow only the
/// document's structure (which needs, partners and mappings there are, in what order) are
/// shared between versions that did not change it: a change of a mapping's status makes a new
/// `Derived` that shares them, and costs what it changed (see [`super::derive_step`]).
#[derive(Debug, Clone, Default)]
pub struct Derived {
    /// Needs in display order (indexes into `needs`): grouped by partner in partner order
    /// (needs of unknown partners last), then in document order.
    pub need_order: Arc<Vec<usize>>,
    /// Each need id's position in `need_order`.
    pub need_pos: Arc<HashMap<String, usize>>,
    /// Each need id's mappings (indexes into `mappings`), in document order.
    pub mappings_of: Arc<HashMap<String, Vec<usize>>>,
    /// Each competency's mappings (indexes into `mappings`), in document order.
    pub mappings_to: Arc<HashMap<String, Vec<usize>>>,
    /// How many needs each partner id has.
    pub needs_of: Arc<HashMap<String, usize>>,
    /// Each need's coverage status in the gap report, by index into `needs`.
    pub status: Arc<Vec<NeedStatus>>,
    /// The gap report's critical needs, by id.
    pub critical: Arc<HashSet<String>>,
    /// Each need id's index into `needs` (the first need with that id).
    pub need_index: Arc<HashMap<String, usize>>,
    /// Each partner id's index into `partners` (the first partner with that id).
    pub partner_index: Arc<HashMap<String, usize>>,
    /// Each credential competency's index into `competencies` (the first with that reference).
    pub competency_index: Arc<HashMap<String, usize>>,
    /// A number no other `Derived` made in this process has: what [`Step::from`] names.
    pub serial: u64,
    /// What changed from the version it was updated from, when it was updated from the
    /// version before (see [`super::derive_step`]) rather than derived from scratch. Neither
    /// this nor `serial` takes part in equality: they say how it was made, not what it holds.
    pub step: Option<Arc<Step>>,
}

/// What a change made in place touched, from one version's lookups and report to the next:
/// the only entries of the report's lists that may differ between the two are those of these
/// needs and mappings (and the sign-offs, always made again).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Step {
    /// The [`Derived::serial`] of the version it was made from.
    pub from: u64,
    /// Needs (by id) whose credit, status, priority or statement may have changed.
    pub needs: Vec<String>,
    /// Mappings (need, competency) changed in place.
    pub mappings: Vec<(String, String)>,
}

/// A new [`Derived::serial`].
pub fn next_serial() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl PartialEq for Derived {
    fn eq(&self, o: &Self) -> bool {
        self.need_order == o.need_order
            && self.need_pos == o.need_pos
            && self.mappings_of == o.mappings_of
            && self.mappings_to == o.mappings_to
            && self.needs_of == o.needs_of
            && self.status == o.status
            && self.critical == o.critical
            && self.need_index == o.need_index
            && self.partner_index == o.partner_index
            && self.competency_index == o.competency_index
    }
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
        let mut mappings_to: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, m) in ws.mappings.iter().enumerate() {
            mappings_of.entry(m.need.clone()).or_default().push(i);
            mappings_to.entry(m.competency.clone()).or_default().push(i);
        }
        let mut needs_of: HashMap<String, usize> = HashMap::new();
        for n in &ws.needs {
            *needs_of.entry(n.partner.clone()).or_default() += 1;
        }
        let mut need_index = HashMap::with_capacity(ws.needs.len());
        for (i, n) in ws.needs.iter().enumerate() {
            need_index.entry(n.id.clone()).or_insert(i);
        }
        let mut partner_index = HashMap::with_capacity(ws.partners.len());
        for (i, p) in ws.partners.iter().enumerate() {
            partner_index.entry(p.id.clone()).or_insert(i);
        }
        let mut competency_index = HashMap::with_capacity(ws.competencies.len());
        for (i, c) in ws.competencies.iter().enumerate() {
            competency_index.entry(c.reference.clone()).or_insert(i);
        }
        Derived {
            need_order: Arc::new(need_order),
            need_pos: Arc::new(need_pos),
            mappings_of: Arc::new(mappings_of),
            mappings_to: Arc::new(mappings_to),
            needs_of: Arc::new(needs_of),
            status: Arc::new(report.needs.iter().map(|n| n.status).collect()),
            critical: Arc::new(report.critical.iter().cloned().collect()),
            need_index: Arc::new(need_index),
            partner_index: Arc::new(partner_index),
            competency_index: Arc::new(competency_index),
            serial: next_serial(),
            step: None,
        }
    }

    /// The coverage status of need `id` (the first need with that id).
    pub fn status_of(&self, id: &str) -> Option<NeedStatus> {
        self.status.get(*self.need_index.get(id)?).copied()
    }

    /// The need `id` of `ws` (the workspace this was derived from), found by id: the first
    /// with that id, as [`Workspace::need`] finds it.
    pub fn need<'a>(&self, ws: &'a Workspace, id: &str) -> Option<&'a Need> {
        ws.needs.get(*self.need_index.get(id)?)
    }

    /// The mappings (indexes into `mappings`) of need `id`.
    pub fn mappings(&self, id: &str) -> &[usize] {
        self.mappings_of.get(id).map_or(&[], Vec::as_slice)
    }

    /// The mappings (indexes into `mappings`) to competency `reference`.
    pub fn mappings_to(&self, reference: &str) -> &[usize] {
        self.mappings_to.get(reference).map_or(&[], Vec::as_slice)
    }

    /// The index into `mappings` of the mapping of `need` to `competency` in `ws` (the
    /// workspace this was derived from, or one whose mappings are in the same places).
    pub fn mapping_index(&self, ws: &Workspace, need: &str, competency: &str) -> Option<usize> {
        self.mappings(need).iter().copied().find(|&i| {
            ws.mappings
                .get(i)
                .is_some_and(|m| m.competency == competency)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::gap::analyse;
    use crate::catalog::Catalog;
    use crate::model::Priority;

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

    proptest::proptest! {
        /// Looking a need up by id finds what the scan of `Workspace::need` finds, repeated
        /// ids included, and the critical set holds exactly the report's critical needs.
        #[test]
        fn lookups_by_id_equal_the_scans(
            needs in proptest::collection::vec(("N[0-9]{1}", "p[0-2]", 0u8..3), 0..30),
            probes in proptest::collection::vec("N[0-9]{1}", 1..10),
        ) {
            let mut ws = Workspace::default();
            for (i, (id, partner, p)) in needs.iter().enumerate() {
                ws.needs.push(Need {
                    id: id.clone(),
                    partner: partner.clone(),
                    statement: format!("need {i}"),
                    priority: [Priority::Must, Priority::Should, Priority::Could][*p as usize],
                    evidence: None,
                });
            }
            let report = analyse(&ws);
            let d = Derived::new(&ws, &report);
            for id in probes.iter().chain(needs.iter().map(|n| &n.0)) {
                proptest::prop_assert_eq!(
                    d.need(&ws, id).map(|n| n as *const Need),
                    ws.need(id).map(|n| n as *const Need)
                );
                proptest::prop_assert_eq!(d.critical.contains(id), report.critical.contains(id));
            }
        }
    }
}

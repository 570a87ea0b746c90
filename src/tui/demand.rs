//! The demand view's state: the competencies job postings mention, most mentioned first, with
//! the postings and sentences behind each, the needs that cover them, and each need's support
//! (endorsing partners, postings). Made once per document version and shared by every
//! session, so drawing and moving cost what is on screen.

use std::collections::HashMap;

use crate::analysis::demand::{self, Demand, IN_DEMAND_POSTINGS};
use crate::analysis::gap::GapReport;
use crate::analysis::support::{self, NeedSupport, Support};
use crate::edit::Op;
use crate::edit::compose::NewNeeds;
use crate::model::{Catalog, MappingStatus, Need, Priority, Workspace};

/// How many quotes of one competency the view keeps (the first postings' sentences).
pub const QUOTES: usize = 50;

/// The demand and support of one version of the document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DemandSheet {
    /// Counts per competency, most postings first (see [`crate::analysis::demand`]).
    pub demand: Demand,
    /// Each need's support, and coverage weighted by it.
    pub support: Support,
    /// Competency reference → its row in `demand.competencies`.
    pub row_of: HashMap<String, usize>,
    /// Need id → its index in `support.needs`.
    pub need_of: HashMap<String, usize>,
    /// Per row: the needs covering it (mappings not rejected), in document order.
    pub covering: Vec<Vec<String>>,
    /// Per row: up to [`QUOTES`] (posting index, quote) pairs, in posting order.
    pub quotes: Vec<Vec<(usize, String)>>,
    /// Whether any need has support beyond its own partner (postings, or dots of another
    /// partner): the panes show support only then.
    pub any: bool,
}

impl DemandSheet {
    /// The sheet of `ws`, with `report` its gap report.
    pub fn new(ws: &Workspace, report: &GapReport) -> DemandSheet {
        let demand = demand::demand(ws);
        let support = support::support(ws, report);
        let row_of: HashMap<String, usize> = demand
            .competencies
            .iter()
            .enumerate()
            .map(|(i, s)| (s.competency.clone(), i))
            .collect();
        let need_of = support
            .needs
            .iter()
            .enumerate()
            .map(|(i, n)| (n.need.clone(), i))
            .collect();
        let mut covering = vec![Vec::new(); demand.competencies.len()];
        for m in &ws.mappings {
            if m.status == MappingStatus::Rejected {
                continue;
            }
            if let Some(&r) = row_of.get(&m.competency)
                && !covering[r].contains(&m.need)
            {
                covering[r].push(m.need.clone());
            }
        }
        let mut quotes = vec![Vec::new(); demand.competencies.len()];
        for (i, p) in ws.postings.iter().enumerate() {
            for m in &p.mentions {
                if let Some(&r) = row_of.get(&m.competency) {
                    let q: &mut Vec<(usize, String)> = &mut quotes[r];
                    for text in &m.quotes {
                        if q.len() < QUOTES {
                            q.push((i, text.clone()));
                        }
                    }
                }
            }
        }
        let any = support
            .needs
            .iter()
            .any(|n| n.postings > 0 || n.partners.len() > 1);
        DemandSheet {
            demand,
            support,
            row_of,
            need_of,
            covering,
            quotes,
            any,
        }
    }

    /// The rows shown: all, or only those in demand and not covered.
    pub fn rows(&self, only_uncovered: bool) -> Vec<usize> {
        (0..self.demand.competencies.len())
            .filter(|&i| !only_uncovered || self.in_demand_uncovered(i))
            .collect()
    }

    /// Row `i` is in demand and no need covers it.
    pub fn in_demand_uncovered(&self, i: usize) -> bool {
        self.demand
            .competencies
            .get(i)
            .is_some_and(|s| !s.covered && s.postings >= IN_DEMAND_POSTINGS)
    }

    /// How many postings mention competency `reference`.
    pub fn postings_of(&self, reference: &str) -> usize {
        self.row_of
            .get(reference)
            .map_or(0, |&r| self.demand.competencies[r].postings)
    }

    /// The support of need `id`.
    pub fn need(&self, id: &str) -> Option<&NeedSupport> {
        self.need_of.get(id).map(|&i| &self.support.needs[i])
    }
}

/// One session's demand view.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemandView {
    /// Index into the rows shown.
    pub sel: usize,
    /// Show only what is in demand and not in the design.
    pub only_uncovered: bool,
}

/// The change that turns row `row` of `sheet` into a need: a `should` need of the partner
/// whose postings mention it most (else the first partner), its statement the competency's
/// name, its evidence the postings; a proposed mapping to the competency; and the competency
/// in the credential at its default level when it is not there yet ([`NewNeeds`]). Returns
/// the op and the need's id.
pub fn need_from_demand(
    ws: &Workspace,
    catalog: &Catalog,
    sheet: &DemandSheet,
    row: usize,
) -> Result<(Op, String), String> {
    let s = sheet
        .demand
        .competencies
        .get(row)
        .ok_or("nothing is selected")?;
    let reference = &s.competency;
    let name = catalog
        .resolve(reference)
        .map(|(_, c)| c.name.clone())
        .ok_or_else(|| format!("{reference} is not in the loaded frameworks"))?;
    // The partner whose postings mention it most (all of them, not only those quoted in the
    // sheet); ties go to the earlier partner. One pass over the postings, on one key press.
    let mut count: HashMap<&str, usize> = HashMap::new();
    let mut posting_ids = Vec::new();
    for p in ws
        .postings
        .iter()
        .filter(|p| p.mentions.iter().any(|m| &m.competency == reference))
    {
        posting_ids.push(p.id.as_str());
        if let Some(partner) = &p.partner {
            *count.entry(partner.as_str()).or_default() += 1;
        }
    }
    let best = count.values().copied().max().unwrap_or(0);
    let partner = ws
        .partners
        .iter()
        .find(|p| best > 0 && count.get(p.id.as_str()) == Some(&best))
        .or_else(|| ws.partners.first())
        .ok_or("add a partner first: a need is a partner's")?;
    let shown: Vec<&str> = posting_ids.iter().take(8).copied().collect();
    let more = s.postings.saturating_sub(shown.len());
    let evidence = format!(
        "In demand: {} job posting(s) mention it ({}{}).",
        s.postings,
        shown.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    );
    let mut b = NewNeeds::new(ws, catalog);
    let (id, _) = b.add(
        Need {
            id: String::new(),
            partner: partner.id.clone(),
            statement: name,
            priority: Priority::Should,
            evidence: Some(evidence),
        },
        reference,
    );
    Ok((b.into_op(), id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::gap::analyse;
    use crate::edit::{Actor, apply};

    fn evidence() -> (Workspace, std::sync::Arc<Catalog>) {
        let cat = std::sync::Arc::new(Catalog::embedded().unwrap());
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/retrofit-evidence.yaml"
        );
        let ws = crate::document::load_workspace(std::path::Path::new(path), &cat)
            .unwrap()
            .workspace;
        (ws, cat)
    }

    #[test]
    fn the_sheet_indexes_rows_quotes_and_covering_needs() {
        let (ws, _) = evidence();
        let sheet = DemandSheet::new(&ws, &analyse(&ws));
        assert!(sheet.any);
        assert!(!sheet.demand.competencies.is_empty());
        for (r, s) in sheet.demand.competencies.iter().enumerate() {
            assert_eq!(sheet.row_of[&s.competency], r);
            assert_eq!(s.covered, !sheet.covering[r].is_empty());
            assert_eq!(sheet.postings_of(&s.competency), s.postings);
            // Every quote is a sentence of a posting that mentions the competency.
            for (i, q) in &sheet.quotes[r] {
                let m = ws.postings[*i]
                    .mentions
                    .iter()
                    .find(|m| m.competency == s.competency)
                    .unwrap();
                assert!(m.quotes.contains(q));
            }
        }
        let uncovered = sheet.rows(true);
        assert_eq!(uncovered.len(), sheet.demand.uncovered.len());
        for r in uncovered {
            assert!(sheet.in_demand_uncovered(r));
        }
    }

    #[test]
    fn a_row_becomes_a_need_with_a_proposed_mapping_in_one_change() {
        let (mut ws, cat) = evidence();
        let sheet = DemandSheet::new(&ws, &analyse(&ws));
        let row = sheet.rows(true)[0];
        let reference = sheet.demand.competencies[row].competency.clone();
        let (op, id) = need_from_demand(&ws, &cat, &sheet, row).unwrap();
        let who = Actor::designer("d");
        let undo = apply(&mut ws, &cat, &who, op).unwrap();
        let need = ws.need(&id).unwrap();
        assert_eq!(need.priority, Priority::Should);
        assert!(need.evidence.as_deref().unwrap().starts_with("In demand: "));
        let m = &ws.mappings[ws.mapping_index(&id, &reference).unwrap()];
        assert_eq!(m.status, MappingStatus::Proposed);
        assert!(ws.competency(&reference).is_some());
        // Now covered: it leaves the "not in the design" list.
        let after = DemandSheet::new(&ws, &analyse(&ws));
        assert!(!after.demand.uncovered.contains(&reference));
        // And one undo takes all of it back.
        apply(&mut ws, &cat, &who, undo).unwrap();
        assert!(ws.need(&id).is_none());
    }

    #[test]
    fn the_need_goes_to_the_partner_with_most_postings_beyond_the_quotes_kept() {
        use crate::model::{Mention, Posting};
        let (mut ws, cat) = evidence();
        let reference = "building-retrofit:BR-ELEC-03".to_string();
        let (first, second) = (ws.partners[0].id.clone(), ws.partners[1].id.clone());
        // 30 postings of the first partner, then 40 of the second: the sheet keeps only the
        // first QUOTES (50) quotes, 30 of them the first partner's.
        ws.postings = (0..70)
            .map(|i| Posting {
                id: format!("P{}", i + 1),
                title: format!("Posting {i}"),
                source: None,
                date: None,
                partner: Some(if i < 30 {
                    first.clone()
                } else {
                    second.clone()
                }),
                sha256: format!("{i:064}"),
                text: format!("Posting {i}"),
                mentions: vec![Mention {
                    competency: reference.clone(),
                    score: 4.0,
                    quotes: vec![format!("Sentence {i}.")],
                }],
            })
            .collect();
        let sheet = DemandSheet::new(&ws, &analyse(&ws));
        let row = sheet.row_of[&reference];
        assert_eq!(sheet.quotes[row].len(), QUOTES);
        let (op, id) = need_from_demand(&ws, &cat, &sheet, row).unwrap();
        apply(&mut ws, &cat, &Actor::designer("d"), op).unwrap();
        let need = ws.need(&id).unwrap();
        assert_eq!(need.partner, second);
        assert_eq!(
            need.evidence.as_deref(),
            Some(
                "In demand: 70 job posting(s) mention it (P1, P2, P3, P4, P5, P6, P7, P8 and 62 more)."
            )
        );
    }
}

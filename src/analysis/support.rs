//! The support behind each need: the partners who endorse it and the job postings that back
//! it, and coverage weighted by that support (a switch beside the priority-weighted figure,
//! which stays the default). Pure, computed once per document version.
//!
//! - A partner **endorses** a need when it is the need's own partner, when one of its postings
//!   mentions a competency of the need's mappings (not rejected), or when it placed a dot on
//!   the need in a vote whose tally is visible (closed, or open and not hidden).
//! - A need's **postings** are the distinct postings that mention a competency of its mappings
//!   (not rejected).
//! - Its **evidence weight** is `priority weight × (endorsing partners + log2(1 + postings))`,
//!   with priority weights must 3, should 2, could 1. A need with only its own partner and no
//!   postings weighs exactly its priority weight, so without evidence both figures agree.
//! - **Evidence-weighted coverage** is `100 × Σ weight × credit / Σ weight` over the needs,
//!   with the same credit as the gap report (100 with no needs).

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::gap::GapReport;
use crate::model::{MappingStatus, Priority, Workspace};

/// The support one need has.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NeedSupport {
    /// The need id.
    pub need: String,
    /// The partner ids that endorse it, sorted (its own partner always among them).
    pub partners: Vec<String>,
    /// How many distinct postings back it.
    pub postings: usize,
    /// Its evidence weight (see the module documentation).
    pub weight: f64,
}

/// The support of every need, and the coverage it weights.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Support {
    /// Coverage weighted by evidence, 0–100.
    pub evidence_coverage_percent: f64,
    /// Every need's support, in document order.
    pub needs: Vec<NeedSupport>,
}

/// The evidence weight of a need with this priority, endorsing partners and postings.
pub fn evidence_weight(priority: Priority, partners: usize, postings: usize) -> f64 {
    priority.weight() * (partners as f64 + (1.0 + postings as f64).log2())
}

/// The support of each need of `ws`, and the coverage weighted by it, with the credits of
/// `report` (the gap report of the same version). Linear in the document: postings are
/// indexed by competency once; each need then visits its own mappings.
pub fn support(ws: &Workspace, report: &GapReport) -> Support {
    // Competency reference → the postings (indexes) that mention it.
    let mut postings_of: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in ws.postings.iter().enumerate() {
        for m in &p.mentions {
            postings_of
                .entry(m.competency.as_str())
                .or_default()
                .push(i);
        }
    }
    let mut mapped: HashMap<&str, Vec<&str>> = HashMap::new();
    for m in &ws.mappings {
        if m.status != MappingStatus::Rejected {
            mapped
                .entry(m.need.as_str())
                .or_default()
                .push(m.competency.as_str());
        }
    }
    let mut dots: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for v in ws
        .votes
        .iter()
        .filter(|v| v.over.is_needs() && (!v.hidden || !v.is_open()))
    {
        // Dots on candidate competencies endorse no need.
        for d in v.ballots.iter().filter(|d| d.competency.is_none()) {
            dots.entry(d.need.as_str())
                .or_default()
                .insert(d.partner.as_str());
        }
    }
    let credit: HashMap<&str, f64> = report
        .needs
        .iter()
        .map(|n| (n.id.as_str(), n.credit))
        .collect();
    let (mut weighted, mut total) = (0.0, 0.0);
    let mut needs = Vec::with_capacity(ws.needs.len());
    for n in &ws.needs {
        let mut partners: BTreeSet<&str> = BTreeSet::from([n.partner.as_str()]);
        let mut backing: BTreeSet<usize> = BTreeSet::new();
        for c in mapped.get(n.id.as_str()).into_iter().flatten() {
            for &i in postings_of.get(c).into_iter().flatten() {
                if backing.insert(i)
                    && let Some(p) = &ws.postings[i].partner
                {
                    partners.insert(p);
                }
            }
        }
        if let Some(d) = dots.get(n.id.as_str()) {
            partners.extend(d.iter().copied());
        }
        let weight = evidence_weight(n.priority, partners.len(), backing.len());
        weighted += weight * credit.get(n.id.as_str()).copied().unwrap_or(0.0);
        total += weight;
        needs.push(NeedSupport {
            need: n.id.clone(),
            partners: partners.into_iter().map(str::to_string).collect(),
            postings: backing.len(),
            weight,
        });
    }
    Support {
        evidence_coverage_percent: if total > 0.0 {
            100.0 * weighted / total
        } else {
            100.0
        },
        needs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::gap::analyse;
    use crate::model::{Dot, Mention, Posting, Vote};

    /// The gaps example, parsed as `analysis::diff`'s tests do (`analysis` may not use
    /// `catalog` or `document`, tests/it/layers.rs).
    /// The support of need `id`.
    fn of<'a>(s: &'a Support, id: &str) -> Option<&'a NeedSupport> {
        s.needs.iter().find(|n| n.need == id)
    }

    fn gaps() -> Workspace {
        let src = include_str!("../../examples/retrofit-gaps.yaml");
        crate::store::yaml::parse_named(src, "retrofit-gaps.yaml").unwrap()
    }

    fn posting(id: &str, partner: Option<&str>, refs: &[&str]) -> Posting {
        Posting {
            id: id.into(),
            title: id.into(),
            source: None,
            date: None,
            partner: partner.map(str::to_string),
            sha256: id.into(),
            text: id.into(),
            mentions: refs
                .iter()
                .map(|r| Mention {
                    competency: r.to_string(),
                    score: 4.0,
                    quotes: vec![],
                })
                .collect(),
        }
    }

    #[test]
    fn without_evidence_both_coverages_agree() {
        let ws = gaps();
        let report = analyse(&ws);
        let s = support(&ws, &report);
        assert!((s.evidence_coverage_percent - report.coverage_percent).abs() < 1e-9);
        for (n, need) in s.needs.iter().zip(&ws.needs) {
            assert_eq!(n.partners, vec![need.partner.clone()]);
            assert_eq!(n.postings, 0);
            assert_eq!(n.weight, need.priority.weight());
        }
    }

    #[test]
    fn postings_and_visible_dots_endorse_and_weigh() {
        let mut ws = gaps();
        let need = ws.needs[0].clone();
        let c = ws
            .mappings
            .iter()
            .find(|m| m.need == need.id && m.status != MappingStatus::Rejected)
            .unwrap()
            .competency
            .clone();
        let other = ws
            .partners
            .iter()
            .find(|p| p.id != need.partner)
            .unwrap()
            .id
            .clone();
        // Two postings mention it (one twice over: counted once), one from another partner.
        ws.postings = vec![
            posting("P1", Some(&other), &[&c]),
            posting("P2", None, &[&c, "nope:x"]),
            posting("P3", None, &["nope:x"]),
        ];
        let report = analyse(&ws);
        let s = support(&ws, &report);
        let n = of(&s, &need.id).unwrap();
        assert_eq!(n.postings, 2);
        let mut want = vec![need.partner.clone(), other.clone()];
        want.sort();
        assert_eq!(n.partners, want);
        assert!((n.weight - need.priority.weight() * (2.0 + 3f64.log2())).abs() < 1e-9);

        // A hidden open vote's dots do not endorse; once closed they do.
        let third = ws
            .partners
            .iter()
            .find(|p| p.id != need.partner && p.id != other)
            .map(|p| p.id.clone());
        if let Some(third) = third {
            ws.votes = vec![Vote {
                opened_by: "d".into(),
                opened_at: "2026-01-01T00:00:00Z".into(),
                dots: 3,
                over: crate::model::VoteOver::Needs,
                candidates: Vec::new(),
                partner: None,
                hidden: true,
                closed_by: None,
                closed_at: None,
                ballots: vec![Dot {
                    need: need.id.clone(),
                    competency: None,
                    partner: third.clone(),
                    person: "p".into(),
                    at: "2026-01-01T00:00:00Z".into(),
                }],
            }];
            let s = support(&ws, &report);
            assert_eq!(of(&s, &need.id).unwrap().partners.len(), 2);
            ws.votes[0].closed_at = Some("2026-01-02T00:00:00Z".into());
            ws.votes[0].closed_by = Some("d".into());
            let s = support(&ws, &report);
            assert!(of(&s, &need.id).unwrap().partners.contains(&third));
        }
        // Evidence moves the weighted figure only through the weights.
        let s = support(&ws, &report);
        assert!((0.0..=100.0).contains(&s.evidence_coverage_percent));
    }
}

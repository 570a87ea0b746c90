//! Demand from job postings, for the gap report: how many postings (and which partners'
//! postings) mention each competency, the in-demand competencies no need covers yet, and the
//! needs whose newest evidence is older than the review period. Pure: the date "today" is
//! passed in.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::model::{MappingStatus, Workspace};

/// A competency is "in demand" when at least this many postings mention it.
pub const IN_DEMAND_POSTINGS: usize = 2;
/// The review period when the credential does not set `evidence_review_months`.
pub const DEFAULT_REVIEW_MONTHS: u32 = 12;

/// The support postings give one competency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Support {
    /// `FRAMEWORK_ID:COMPETENCY_ID`.
    #[serde(rename = "ref")]
    pub competency: String,
    /// How many postings mention it.
    pub postings: usize,
    /// The partners whose postings mention it, sorted.
    pub partners: Vec<String>,
    /// The newest date of those postings (`YYYY-MM-DD`), when any is dated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub newest: Option<String>,
    /// Whether a need covers it (it is the competency of a mapping not rejected).
    pub covered: bool,
}

/// Demand over the whole workspace.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Demand {
    /// How many postings the workspace holds.
    pub postings: usize,
    /// Every competency a posting mentions, most postings first (then by reference).
    pub competencies: Vec<Support>,
    /// In demand (≥ [`IN_DEMAND_POSTINGS`] postings) and not covered by any need: the
    /// references, in the order of `competencies`.
    pub uncovered: Vec<String>,
}

/// A need whose newest evidence is older than the review period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StaleNeed {
    pub need: String,
    /// The newest date of a posting mentioning one of its competencies.
    pub newest: String,
    /// Evidence older than this date is stale (today minus the review period).
    pub before: String,
}

/// Count the postings' support for each competency.
pub fn demand(ws: &Workspace) -> Demand {
    let mut by_ref: BTreeMap<&str, (usize, BTreeSet<&str>, Option<&str>)> = BTreeMap::new();
    for p in &ws.postings {
        for m in &p.mentions {
            let e = by_ref.entry(m.competency.as_str()).or_default();
            e.0 += 1;
            if let Some(partner) = &p.partner {
                e.1.insert(partner);
            }
            if let Some(d) = p.date.as_deref() {
                e.2 = e.2.max(Some(d));
            }
        }
    }
    let covered: BTreeSet<&str> = ws
        .mappings
        .iter()
        .filter(|m| m.status != MappingStatus::Rejected)
        .map(|m| m.competency.as_str())
        .collect();
    let mut competencies: Vec<Support> = by_ref
        .into_iter()
        .map(|(r, (n, partners, newest))| Support {
            competency: r.to_string(),
            postings: n,
            partners: partners.into_iter().map(str::to_string).collect(),
            newest: newest.map(str::to_string),
            covered: covered.contains(r),
        })
        .collect();
    competencies.sort_by(|a, b| {
        b.postings
            .cmp(&a.postings)
            .then_with(|| a.competency.cmp(&b.competency))
    });
    let uncovered = competencies
        .iter()
        .filter(|s| s.postings >= IN_DEMAND_POSTINGS && !s.covered)
        .map(|s| s.competency.clone())
        .collect();
    Demand {
        postings: ws.postings.len(),
        competencies,
        uncovered,
    }
}

/// The needs whose newest evidence (the newest dated posting mentioning a competency of one of
/// their mappings not rejected) is older than `today` (`YYYY-MM-DD`) minus the review period
/// (`credential.evidence_review_months`, default 12). Needs with no dated evidence are not
/// listed. In the order of the needs.
pub fn stale_evidence(ws: &Workspace, demand: &Demand, today: &str) -> Vec<StaleNeed> {
    let months = ws
        .credential
        .evidence_review_months
        .unwrap_or(DEFAULT_REVIEW_MONTHS);
    let Some(before) = months_before(today, months) else {
        return Vec::new();
    };
    let newest: HashMap<&str, &str> = demand
        .competencies
        .iter()
        .filter_map(|s| Some((s.competency.as_str(), s.newest.as_deref()?)))
        .collect();
    let mut per_need: HashMap<&str, &str> = HashMap::new();
    for m in &ws.mappings {
        if m.status == MappingStatus::Rejected {
            continue;
        }
        if let Some(&d) = newest.get(m.competency.as_str()) {
            let e = per_need.entry(m.need.as_str()).or_insert(d);
            *e = (*e).max(d);
        }
    }
    ws.needs
        .iter()
        .filter_map(|n| {
            let d = *per_need.get(n.id.as_str())?;
            (d < before.as_str()).then(|| StaleNeed {
                need: n.id.clone(),
                newest: d.to_string(),
                before: before.clone(),
            })
        })
        .collect()
}

/// `date` (`YYYY-MM-DD…`) moved back `months` months, the day kept (clamped to 28 so the date
/// exists); `None` when `date` does not start with a date.
pub fn months_before(date: &str, months: u32) -> Option<String> {
    let num = |r: std::ops::Range<usize>| date.get(r)?.parse::<u32>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if date.get(4..5) != Some("-") || date.get(7..8) != Some("-") || !(1..=12).contains(&m) {
        return None;
    }
    let total = (y * 12 + (m - 1)).checked_sub(months)?;
    Some(format!(
        "{:04}-{:02}-{:02}",
        total / 12,
        total % 12 + 1,
        d.clamp(1, 28)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_before_crosses_years_and_clamps_the_day() {
        assert_eq!(
            months_before("2026-03-31", 12).as_deref(),
            Some("2025-03-28")
        );
        assert_eq!(
            months_before("2026-02-15", 3).as_deref(),
            Some("2025-11-15")
        );
        assert_eq!(
            months_before("2026-02-15T10:00:00Z", 0).as_deref(),
            Some("2026-02-15")
        );
        assert_eq!(months_before("yesterday", 3), None);
    }
}

//! Gap analysis: what the micro-credential still fails to deliver, with exactly the definitions
//! of DESIGN.md ("Gap analysis — definitions to test against").
//!
//! One pass over the needs, one over the credential competencies and one over the mappings,
//! with hash maps built once per call: linear in the size of the document.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::analysis::outcomes::{OutcomeFinding, SilencedFinding};
use crate::model::signoff::{self, SignOffState};
use crate::model::{Credential, DEFAULT_MAX_HOURS, LevelValue, MappingStatus, Priority, Workspace};

/// Tolerance for comparing sums of hours, so that 0.1 + 0.2 is not "over" 0.3.
const HOURS_EPSILON: f64 = 1e-9;

/// Everything still wrong with a design. Every list is in a stable order (document order;
/// `awaiting_review`: disputed first), and every entry carries the ids needed to jump to it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapReport {
    /// Weighted coverage of the needs, 0–100 (100 with no needs).
    pub coverage_percent: f64,
    /// Every need with its credit and status, in document order.
    pub needs: Vec<NeedGap>,
    /// Ids of uncovered `must` needs.
    pub critical: Vec<String>,
    /// Non-rejected mappings whose competency is not in the credential.
    pub mapped_not_included: Vec<NeedCompetency>,
    /// Credential competencies (`fw:ID`) that no non-rejected mapping ties to a need.
    pub orphans: Vec<String>,
    /// Counting mappings whose target level is below the required level.
    pub level_gaps: Vec<LevelGap>,
    /// Credential competencies (`fw:ID`) with no assessment method.
    pub assessment_gaps: Vec<String>,
    /// Competency hours against declared hours and the ceiling for "micro".
    pub workload: WorkloadGap,
    /// Non-rejected mappings that are not agreed: disputed first, then document order.
    pub awaiting_review: Vec<Review>,
    /// Partners with needs whose sign-off of the whole design is missing or stale, in
    /// partner order.
    pub sign_offs: Vec<SignOffGap>,
    /// Credential elements required to export that are empty, e.g. `credential.quality_assurance`.
    pub missing_elements: Vec<String>,
    /// Equity fields left empty, e.g. `credential.equity.cost`.
    pub equity_questions: Vec<String>,
    /// Learning outcomes that cannot be assessed as written (see
    /// [`crate::analysis::outcomes`]), in competency order. Listed beside the counts: neither
    /// [`GapReport::counts`] nor [`GapReport::is_clean`] include them.
    pub outcomes: Vec<OutcomeFinding>,
    /// Outcome findings the design silenced, each with its reason, for reviewers.
    pub outcomes_silenced: Vec<SilencedFinding>,
}

/// One need's coverage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NeedGap {
    pub id: String,
    /// The partner id.
    pub partner: String,
    pub priority: Priority,
    pub status: NeedStatus,
    /// Best min(1, target / required) over the need's counting mappings; 0 with none.
    pub credit: f64,
}

/// How well a need is covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NeedStatus {
    /// Credit 1.
    Covered,
    /// Credit between 0 and 1.
    Partial,
    /// Credit 0.
    Uncovered,
}

impl NeedStatus {
    /// The word used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            NeedStatus::Covered => "covered",
            NeedStatus::Partial => "partial",
            NeedStatus::Uncovered => "uncovered",
        }
    }
}

/// A mapping named by its need and competency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NeedCompetency {
    pub need: String,
    /// `fw:ID`.
    pub competency: String,
}

/// A counting mapping whose target level falls short of the required level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelGap {
    pub need: String,
    /// `fw:ID`.
    pub competency: String,
    pub required: u32,
    pub target: u32,
    /// `required - target`.
    pub shortfall: u32,
}

/// Workload against the declared hours and the ceiling for "micro".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkloadGap {
    /// Sum of the credential competencies' hours (unset counts as 0).
    pub competency_hours: f64,
    /// `credential.workload.hours`, if set.
    pub declared_hours: Option<f64>,
    /// `credential.max_hours`, or 150.
    pub max_hours: f64,
    /// Competency hours exceed the declared hours.
    pub over_declared: bool,
    /// Competency hours or declared hours exceed the ceiling.
    pub over_max: bool,
}

/// A partner whose sign-off of the design is missing or stale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignOffGap {
    /// The partner id.
    pub partner: String,
    /// `missing` or `stale`.
    pub state: SignOffState,
}

/// A mapping still waiting for a partner's agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Review {
    pub need: String,
    /// `fw:ID`.
    pub competency: String,
    /// `proposed` or `disputed`.
    pub status: MappingStatus,
}

impl GapReport {
    /// True when the report has no gap entry at all.
    pub fn is_clean(&self) -> bool {
        self.counts().iter().all(|&(_, n)| n == 0)
    }

    /// The number of entries of each gap kind, in report order, for headlines. The kinds are
    /// disjoint: `uncovered` counts uncovered needs that are not critical, and `workload` counts
    /// each limit exceeded (0–2).
    pub fn counts(&self) -> Vec<(&'static str, usize)> {
        let (mut partial, mut uncovered) = (0, 0);
        for n in &self.needs {
            match n.status {
                NeedStatus::Partial => partial += 1,
                NeedStatus::Uncovered if n.priority != Priority::Must => uncovered += 1,
                _ => {}
            }
        }
        vec![
            ("critical", self.critical.len()),
            ("uncovered", uncovered),
            ("partial", partial),
            ("level_gaps", self.level_gaps.len()),
            ("mapped_not_included", self.mapped_not_included.len()),
            ("orphans", self.orphans.len()),
            ("assessment_gaps", self.assessment_gaps.len()),
            (
                "workload",
                usize::from(self.workload.over_declared) + usize::from(self.workload.over_max),
            ),
            ("awaiting_review", self.awaiting_review.len()),
            ("sign_offs", self.sign_offs.len()),
            ("missing_elements", self.missing_elements.len()),
            ("equity_questions", self.equity_questions.len()),
        ]
    }

    /// How many mappings awaiting review are disputed (they come first in `awaiting_review`).
    pub fn disputed_count(&self) -> usize {
        self.awaiting_review
            .iter()
            .take_while(|r| r.status == MappingStatus::Disputed)
            .count()
    }
}

/// Credit of one counting mapping: min(1, target / required), 1 with no required level.
pub fn mapping_credit(target: u32, required: Option<u32>) -> f64 {
    match required {
        Some(r) if r > target => f64::from(target) / f64::from(r),
        _ => 1.0,
    }
}

fn blank(s: Option<&str>) -> bool {
    s.is_none_or(|s| s.trim().is_empty())
}

/// Credential elements required to export that are empty, as `credential.FIELD`.
fn missing_elements(c: &Credential) -> Vec<String> {
    let level_missing = c.level.as_ref().is_none_or(|l| {
        l.scheme.trim().is_empty() || matches!(&l.value, LevelValue::Text(t) if t.trim().is_empty())
    });
    let checks = [
        ("title", blank(c.title.as_deref())),
        ("summary", blank(c.summary.as_deref())),
        ("awarding_body", blank(c.awarding_body.as_deref())),
        ("country", blank(c.country.as_deref())),
        ("level", level_missing),
        ("workload", c.workload.is_none()),
        ("participation", c.participation.is_none()),
        ("assessment_type", blank(c.assessment_type.as_deref())),
        ("quality_assurance", blank(c.quality_assurance.as_deref())),
    ];
    checks
        .into_iter()
        .filter(|&(_, missing)| missing)
        .map(|(name, _)| format!("credential.{name}"))
        .collect()
}

/// Analyse a workspace. Pure and deterministic: the same document always gives the same report.
pub fn analyse(ws: &Workspace) -> GapReport {
    // Lookups built once: credential competency by reference, need by id.
    let mut in_credential: HashMap<&str, u32> = HashMap::with_capacity(ws.competencies.len());
    for c in &ws.competencies {
        in_credential
            .entry(c.reference.as_str())
            .or_insert(c.target_level);
    }
    let need_index: HashMap<&str, usize> = ws
        .needs
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();

    let mut best = vec![0.0_f64; ws.needs.len()];
    let mut tied: HashSet<&str> = HashSet::with_capacity(ws.mappings.len());
    let mut mapped_not_included = Vec::new();
    let mut level_gaps = Vec::new();
    let mut disputed = Vec::new();
    let mut proposed = Vec::new();

    for m in &ws.mappings {
        if m.status == MappingStatus::Rejected {
            continue;
        }
        let need = need_index.get(m.need.as_str()).copied();
        if need.is_some() {
            tied.insert(m.competency.as_str());
        }
        match m.status {
            MappingStatus::Disputed => disputed.push(review(m.need.as_str(), m)),
            MappingStatus::Proposed => proposed.push(review(m.need.as_str(), m)),
            MappingStatus::Agreed | MappingStatus::Rejected => {}
        }
        let Some(&target) = in_credential.get(m.competency.as_str()) else {
            mapped_not_included.push(NeedCompetency {
                need: m.need.clone(),
                competency: m.competency.clone(),
            });
            continue;
        };
        if let Some(i) = need {
            best[i] = best[i].max(mapping_credit(target, m.required_level));
        }
        if let Some(required) = m.required_level.filter(|&r| r > target) {
            level_gaps.push(LevelGap {
                need: m.need.clone(),
                competency: m.competency.clone(),
                required,
                target,
                shortfall: required - target,
            });
        }
    }

    let mut needs = Vec::with_capacity(ws.needs.len());
    let mut critical = Vec::new();
    let (mut weighted, mut total) = (0.0, 0.0);
    for (n, &credit) in ws.needs.iter().zip(&best) {
        let status = status_of(credit);
        if status == NeedStatus::Uncovered && n.priority == Priority::Must {
            critical.push(n.id.clone());
        }
        let w = n.priority.weight();
        weighted += w * credit;
        total += w;
        needs.push(NeedGap {
            id: n.id.clone(),
            partner: n.partner.clone(),
            priority: n.priority,
            status,
            credit,
        });
    }
    let coverage_percent = if total > 0.0 {
        100.0 * weighted / total
    } else {
        100.0
    };

    let mut orphans = Vec::new();
    let mut assessment_gaps = Vec::new();
    let mut competency_hours = 0.0;
    for c in &ws.competencies {
        if !tied.contains(c.reference.as_str()) {
            orphans.push(c.reference.clone());
        }
        if c.assessment.is_none() {
            assessment_gaps.push(c.reference.clone());
        }
        competency_hours += c.hours.unwrap_or(0.0);
    }

    let declared_hours = ws.credential.workload.as_ref().map(|w| w.hours);
    let max_hours = ws.credential.max_hours.unwrap_or(DEFAULT_MAX_HOURS);
    let workload = WorkloadGap {
        competency_hours,
        declared_hours,
        max_hours,
        over_declared: declared_hours.is_some_and(|d| competency_hours > d + HOURS_EPSILON),
        over_max: competency_hours > max_hours + HOURS_EPSILON
            || declared_hours.is_some_and(|d| d > max_hours + HOURS_EPSILON),
    };

    disputed.extend(proposed);
    let equity_questions = ws
        .credential
        .equity
        .fields()
        .into_iter()
        .filter(|&(_, v)| blank(v))
        .map(|(name, _)| format!("credential.equity.{name}"))
        .collect();

    let outcomes = crate::analysis::outcomes::analyse(ws);
    GapReport {
        coverage_percent,
        needs,
        critical,
        mapped_not_included,
        orphans,
        level_gaps,
        assessment_gaps,
        workload,
        awaiting_review: disputed,
        sign_offs: sign_off_gaps(ws),
        missing_elements: missing_elements(&ws.credential),
        equity_questions,
        outcomes: outcomes.findings,
        outcomes_silenced: outcomes.silenced,
    }
}

/// A need's status for its credit.
pub fn status_of(credit: f64) -> NeedStatus {
    if credit >= 1.0 {
        NeedStatus::Covered
    } else if credit > 0.0 {
        NeedStatus::Partial
    } else {
        NeedStatus::Uncovered
    }
}

/// Partners with needs and no current sign-off. The design is hashed only when there is a
/// sign-off to compare it with.
pub fn sign_off_gaps(ws: &Workspace) -> Vec<SignOffGap> {
    let hash = (!ws.sign_offs.is_empty()).then(|| signoff::design_hash(ws));
    signoff::states(ws, hash.as_deref())
        .into_iter()
        .filter(|(_, state)| *state != SignOffState::Current)
        .map(|(partner, state)| SignOffGap { partner, state })
        .collect()
}

/// The review entry of mapping `m` (of need `need`).
pub fn review(need: &str, m: &crate::model::Mapping) -> Review {
    Review {
        need: need.to_string(),
        competency: m.competency.clone(),
        status: m.status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_is_capped_and_defaults_to_one() {
        assert_eq!(mapping_credit(2, Some(4)), 0.5);
        assert_eq!(mapping_credit(4, Some(2)), 1.0);
        assert_eq!(mapping_credit(1, None), 1.0);
        assert_eq!(mapping_credit(0, Some(0)), 1.0);
    }

    #[test]
    fn empty_workspace_has_full_coverage_and_open_elements() {
        let r = analyse(&Workspace::default());
        assert_eq!(r.coverage_percent, 100.0);
        assert_eq!(r.missing_elements.len(), 9);
        assert_eq!(r.equity_questions.len(), 5);
        assert!(!r.is_clean());
    }
}

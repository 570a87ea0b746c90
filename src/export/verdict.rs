//! The one verdict on a design that `check` prints, `export` acts on and the editor shows:
//! what refuses an export ([`Verdict::blockers`], each a [`ProblemKind`] that
//! [`ProblemKind::blocks_export`]) and what else keeps it a draft ([`Verdict::pending`]), each
//! an [`OpenProblem`] that says where to fix it. The same open problems are listed in a draft
//! spec.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Format;
use super::spec::line;
use crate::analysis::gap::GapReport;
use crate::catalog::Catalog;
use crate::model::{Lookup, MappingStatus, Workspace};

/// The kind of an open problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// A credential element required to export is empty.
    MissingElement,
    /// An element the chosen format's registry needs is empty (see `export::readiness`).
    MissingForFormat,
    /// A `must` need that no counting mapping covers.
    CriticalNeed,
    /// A mapping a partner disputes.
    DisputedMapping,
    /// A competency reference the loaded frameworks do not define.
    UnresolvedCompetency,
    /// A mapping that counts (not rejected, its competency included) still only proposed.
    UnagreedMapping,
    /// A partner with needs has not signed off the design.
    SignOffMissing,
    /// A partner signed off an earlier version of the design.
    SignOffStale,
    /// A competency in the credential has no assessment method.
    AssessmentMissing,
    /// The competencies' hours do not fit the declared workload (more than it, or less than
    /// half of it).
    WorkloadMismatch,
}

impl ProblemKind {
    /// True for the kinds that refuse an export (unless `--force`); the others make it a
    /// draft.
    pub fn blocks_export(self) -> bool {
        matches!(
            self,
            ProblemKind::MissingElement
                | ProblemKind::MissingForFormat
                | ProblemKind::CriticalNeed
                | ProblemKind::DisputedMapping
                | ProblemKind::UnresolvedCompetency
        )
    }
}

/// One reason the design cannot be exported as final, and where to fix it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenProblem {
    pub kind: ProblemKind,
    /// Where in the workspace: `credential.title`, `needs.N1`, `mappings.N1.fw:ID`.
    pub at: String,
    /// What is wrong.
    pub message: String,
    /// Where and how to fix it.
    pub fix: String,
}

impl fmt::Display for OpenProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} — {}", self.message, self.fix)
    }
}

/// One verdict for `check` and `export`: what refuses an export, and what else keeps it a
/// draft. `check` prints it and `export` acts on it, so the two cannot disagree.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Verdict {
    /// What `export` refuses on (unless `--force`), each with where to fix it.
    pub blockers: Vec<OpenProblem>,
    /// What keeps an export a draft without refusing it: mappings not yet agreed, sign-offs
    /// missing or stale.
    pub pending: Vec<OpenProblem>,
}

impl Verdict {
    /// True when `export` writes without `--force`.
    pub fn export_ready(&self) -> bool {
        self.blockers.is_empty()
    }

    /// True when an export would be `final`.
    pub fn is_final(&self) -> bool {
        self.blockers.is_empty() && self.pending.is_empty()
    }
}

/// The verdict on a design for the YAML spec (and every format with no requirements of its
/// own): see [`Verdict`].
pub fn verdict(ws: &Workspace, catalog: &Catalog, gap: &GapReport) -> Verdict {
    verdict_for(ws, catalog, gap, Format::Yaml)
}

/// The verdict on a design for `format`: the blockers of every export, then what the
/// format's registry needs (`export::readiness`).
pub fn verdict_for(ws: &Workspace, catalog: &Catalog, gap: &GapReport, format: Format) -> Verdict {
    verdict_with(ws, &Lookup::new(ws), catalog, gap, format)
}

pub(super) fn verdict_with(
    ws: &Workspace,
    ids: &Lookup,
    catalog: &Catalog,
    gap: &GapReport,
    format: Format,
) -> Verdict {
    let mut blockers = problems_with(ws, ids, catalog, gap);
    blockers.extend(format_problems(ws, format));
    Verdict {
        blockers,
        pending: pending_with(ws, ids, gap),
    }
}

/// What `format`'s registry needs and the design lacks, as blockers.
pub fn format_problems(ws: &Workspace, format: Format) -> Vec<OpenProblem> {
    super::readiness::missing(ws, format)
        .into_iter()
        .map(|m| OpenProblem {
            kind: ProblemKind::MissingForFormat,
            at: m.at.to_string(),
            message: format!("the {} needs {} ({})", format.label(), m.what, m.at),
            fix: if m.at.starts_with("credential.") {
                "set it in the credential form (C) or the workspace file, or export another \
                 format"
                    .into()
            } else {
                "include a competency (/ searches the frameworks) or add it under \
                 `competencies:` in the workspace file, or export another format"
                    .into()
            },
        })
        .collect()
}

/// Every reason the design cannot be exported at all, each with where to fix it.
pub fn problems(ws: &Workspace, catalog: &Catalog, gap: &GapReport) -> Vec<OpenProblem> {
    problems_with(ws, &Lookup::new(ws), catalog, gap)
}

/// What keeps an exportable design a draft: counting mappings still proposed (in the gap
/// report's order) and partners without a current sign-off.
fn pending_with(ws: &Workspace, ids: &Lookup, gap: &GapReport) -> Vec<OpenProblem> {
    let mut out = Vec::new();
    for r in gap.awaiting_review.iter().filter(|r| {
        r.status == MappingStatus::Proposed && ids.competencies.contains_key(r.competency.as_str())
    }) {
        let (need, comp) = (line(&r.need), line(&r.competency));
        out.push(OpenProblem {
            kind: ProblemKind::UnagreedMapping,
            message: format!("the mapping of need {need} to {comp} is only proposed"),
            fix:
                "the need's partner agrees to it (y in the mappings pane), or a designer rejects it"
                    .into(),
            at: format!("mappings.{need}.{comp}"),
        });
    }
    for r in &gap.assessment_gaps {
        let comp = line(r);
        out.push(OpenProblem {
            kind: ProblemKind::AssessmentMissing,
            message: format!("{comp} has no assessment method"),
            fix: "choose how it is assessed in the competency's form (Enter on it in the gap \
                  panes) or set `assessment:` in the workspace file"
                .into(),
            at: format!("competencies.{comp}.assessment"),
        });
    }
    if let Some(problem) = workload_problem(&gap.workload) {
        out.push(problem);
    }
    for g in &gap.sign_offs {
        let id = line(&g.partner);
        let name = ids
            .partners
            .get(g.partner.as_str())
            .map_or_else(|| id.clone(), |&i| line(&ws.partners[i].name));
        let (kind, message) = match g.state {
            crate::model::signoff::SignOffState::Stale => (
                ProblemKind::SignOffStale,
                format!("{name} signed off an earlier version of the design"),
            ),
            _ => (
                ProblemKind::SignOffMissing,
                format!("{name} has not signed off the design"),
            ),
        };
        out.push(OpenProblem {
            kind,
            message,
            fix: format!("someone from {name} signs off the design as it is now (S in the editor)"),
            at: format!("sign_offs.{id}"),
        });
    }
    out
}

/// The competencies' hours against the declared workload: pending when they are more than
/// it, or less than half of it (the design does not yet say where the hours go).
fn workload_problem(w: &crate::analysis::gap::WorkloadGap) -> Option<OpenProblem> {
    let declared = w.declared_hours?;
    let (have, fmt) = (w.competency_hours, |h: f64| format!("{h} h"));
    let message = if w.over_declared {
        format!(
            "the competencies take {} and the declared workload is {}",
            fmt(have),
            fmt(declared)
        )
    } else if have < declared / 2.0 {
        format!(
            "the competencies account for {} of the declared workload of {}",
            fmt(have),
            fmt(declared)
        )
    } else {
        return None;
    };
    Some(OpenProblem {
        kind: ProblemKind::WorkloadMismatch,
        message,
        fix: "give each competency its hours (in its form, or `hours:` in the workspace file) \
              or change the declared workload (credential form, C), so that the competencies \
              hold between half and all of it"
            .into(),
        at: "credential.workload.hours".into(),
    })
}

/// [`problems`], with the workspace's lookups already built.
fn problems_with(
    ws: &Workspace,
    ids: &Lookup,
    catalog: &Catalog,
    gap: &GapReport,
) -> Vec<OpenProblem> {
    // The partner of a need, by id.
    let partner_of = |need: &str| {
        ids.needs
            .get(need)
            .and_then(|&i| ids.partners.get(ws.needs[i].partner.as_str()))
            .map(|&j| &ws.partners[j])
    };
    let mut out = Vec::new();
    for e in &gap.missing_elements {
        let e = line(e);
        out.push(OpenProblem {
            kind: ProblemKind::MissingElement,
            message: format!("{e} is empty"),
            fix: "set it in the credential form or the workspace file".into(),
            at: e,
        });
    }
    for id in &gap.critical {
        let id = line(id);
        let partner =
            partner_of(&id).map_or_else(String::new, |p| format!(" from {}", line(&p.name)));
        out.push(OpenProblem {
            kind: ProblemKind::CriticalNeed,
            message: format!(
                "need {id}{partner} is a must and no competency in the credential covers it"
            ),
            fix: format!(
                "map need {id} to a competency and include that competency in the credential \
                 (mappings pane, or `mappings:` and `competencies:` in the workspace file), \
                 or lower its priority"
            ),
            at: format!("needs.{id}"),
        });
    }
    for r in gap
        .awaiting_review
        .iter()
        .filter(|r| r.status == MappingStatus::Disputed)
    {
        let (need, comp) = (line(&r.need), line(&r.competency));
        let who = partner_of(&r.need).map_or_else(|| "the partner".to_string(), |p| line(&p.name));
        out.push(OpenProblem {
            kind: ProblemKind::DisputedMapping,
            message: format!("the mapping of need {need} to {comp} is disputed"),
            fix: format!(
                "settle it with {who}: agree or reject it in the mappings pane, or set its \
                 `status:` in the workspace file"
            ),
            at: format!("mappings.{need}.{comp}"),
        });
    }
    for c in &ws.competencies {
        if catalog.resolve(&c.reference).is_none() {
            let r = line(&c.reference);
            out.push(OpenProblem {
                kind: ProblemKind::UnresolvedCompetency,
                message: format!("competency {r} is not in any loaded framework"),
                fix: "load its framework with --frameworks, or fix the `ref:` in the workspace \
                      file"
                    .into(),
                at: format!("competencies.{r}"),
            });
        }
    }
    out
}

//! The YAML spec (`schema: microcred/spec@1`): the published record of a micro-credential.
//!
//! [`build`] resolves a workspace against the catalog and its gap report into a [`Spec`]; the
//! other formats render from the same [`Spec`]. Building is pure: the same inputs give the same
//! value, and no clock is read (a timestamp comes in through [`Options`]). Every string taken
//! from a file is cleaned of control characters on the way in (see [`text`] and [`line()`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::analysis::gap::{GapReport, NeedStatus};
use crate::catalog::Catalog;
use crate::model::{
    Assessment, AwardingBodyDetails, CompetencyType, DEFAULT_MAX_HOURS, Equity, LearningSetting,
    LevelValue, Lookup, MappingStatus, Participation, PartnerKind, Priority, QualificationLevel,
    Stackability, Workspace, split_ref,
};

/// The value of `schema:` in a spec file.
pub const SPEC_SCHEMA: &str = "microcred/spec@1";

/// Whether the spec is the agreed record or a forced draft with open problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SpecStatus {
    /// Nothing blocks the export, every mapping that counts is agreed, and every partner with
    /// needs has signed off this very design.
    Final,
    /// Not final yet: `open_problems` lists why (blockers only when forced with `--force`).
    Draft,
}

/// The published record of one micro-credential design.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Always `microcred/spec@1`.
    pub schema: String,
    pub status: SpecStatus,
    /// Why the spec is a draft (blockers first); present only in a draft.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub open_problems: Vec<OpenProblem>,
    /// The credential elements of the EU Council Recommendation on micro-credentials (2022),
    /// plus validity and equity.
    pub credential: SpecCredential,
    /// What the credential teaches and assesses, each resolved from its framework.
    #[serde(default)]
    pub competencies: Vec<SpecCompetency>,
    /// The organisations that took part in the design.
    #[serde(default)]
    pub partners: Vec<SpecPartner>,
    /// What the partners said they need, and how each need was answered.
    #[serde(default)]
    pub needs: Vec<SpecNeed>,
    /// Who signed off the design, and whether each sign-off names this very design.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sign_offs: Vec<SpecSignOff>,
    pub gaps: GapSummary,
    pub provenance: Provenance,
}

/// One sign-off, as recorded in the workspace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecSignOff {
    pub person: String,
    /// The partner id.
    pub partner: String,
    /// When (RFC 3339).
    pub at: String,
    /// SHA-256 of the design signed.
    pub design: String,
    /// True when it names the design as exported; false when the design changed since.
    pub current: bool,
    /// The SSH key fingerprint, when signed over SSH.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

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

/// The credential's own elements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecCredential {
    /// The design's stable id (a URN), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// This version of the design (`1` when the workspace names none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The version this one revises, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_version: Option<String>,
    /// EU: title of the micro-credential.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// What it is, in a paragraph.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// EU: awarding body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub awarding_body: Option<String>,
    /// EU: country (ISO 3166 code, region allowed: CA-BC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// EU: level (EQF, NQF or another scheme), where applicable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<QualificationLevel>,
    /// EU: learning outcomes, one per competency, in competency order.
    #[serde(default)]
    pub learning_outcomes: Vec<String>,
    /// EU: notional workload in hours, and ECTS where given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload: Option<SpecWorkload>,
    /// Sum of the competencies' hours.
    pub competency_hours: f64,
    /// Ceiling for "micro" (default 150).
    pub max_hours: f64,
    /// EU: form of participation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participation: Option<Participation>,
    /// EU: type of assessment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessment_type: Option<String>,
    /// EU: quality assurance used to validate the content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality_assurance: Option<String>,
    /// EU (optional): prerequisites needed to enrol.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prerequisites: Vec<String>,
    /// EU (optional): supervision and identity verification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supervision: Option<String>,
    /// EU (optional): grading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grading: Option<String>,
    /// EU (optional): integration and stackability options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stackability: Option<Stackability>,
    /// How long the credential stays valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validity: Option<String>,
    /// Languages of instruction (ISO 639 codes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// ISCED-F 2013 field code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isced_f: Option<String>,
    /// The credential's web page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub homepage: Option<String>,
    /// The badge image's URL, when the export was given one (`export --image`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// The awarding body's legal name, country and registry identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub awarding_body_details: Option<AwardingBodyDetails>,
    /// `formal` or `non-formal`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub learning_setting: Option<LearningSetting>,
    /// Equity and access; an absent field is an open equity question.
    #[serde(default)]
    pub equity: Equity,
}

/// Notional workload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecWorkload {
    pub hours: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ects: Option<f64>,
}

/// The framework a competency comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecFrameworkRef {
    pub id: String,
    pub name: String,
    pub version: String,
    /// Where the framework comes from (URL or citation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A level on a framework's scale, with its words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecLevel {
    pub level: u32,
    /// The scale's name for the level ("Advanced").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The competency's own descriptor at this level, or else the scale's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub descriptor: Option<String>,
}

/// A competency the credential teaches and assesses, resolved from its framework.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecCompetency {
    /// `FRAMEWORK_ID:COMPETENCY_ID`.
    #[serde(rename = "ref")]
    pub reference: String,
    pub framework: SpecFrameworkRef,
    /// The competency id within its framework.
    pub id: String,
    /// A stable URI for the concept (e.g. an ESCO concept URI), where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    pub name: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<CompetencyType>,
    pub target_level: SpecLevel,
    /// The framework's whole scale, lowest first.
    #[serde(default)]
    pub scale: Vec<SpecLevel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<f64>,
    /// The learning outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessment: Option<Assessment>,
    /// The code its framework cites it by (e.g. a CASE `humanCodingScheme`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Its framework's notes on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// The education levels its framework gives it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub education_level: Vec<String>,
    /// Its framework's typed links to other concepts; a target inside the framework is
    /// written `FRAMEWORK_ID:COMPETENCY_ID`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<crate::model::Link>,
}

/// An organisation that took part in the design.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecPartner {
    pub id: String,
    pub name: String,
    pub kind: PartnerKind,
}

/// How well a need is covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Coverage {
    Covered,
    Partial,
    Uncovered,
}

/// A partner's need and the mappings that answer it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecNeed {
    pub id: String,
    /// A partner id.
    pub partner: String,
    pub statement: String,
    pub priority: Priority,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// From the gap analysis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Coverage>,
    #[serde(default)]
    pub mappings: Vec<SpecMapping>,
}

/// One mapping of a need to a competency, with the partner's review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecMapping {
    /// `FRAMEWORK_ID:COMPETENCY_ID`.
    pub competency: String,
    /// Whether the competency is in the credential.
    pub included: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_level: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<String>,
    pub status: MappingStatus,
    /// Who agreed it: the partner's endorsement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreed_by: Option<String>,
}

/// The gap analysis in brief.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GapSummary {
    /// Weighted need coverage, rounded to one decimal.
    pub coverage_percent: f64,
    /// True when the analysis reports nothing.
    pub clean: bool,
    /// How many findings of each kind.
    pub counts: BTreeMap<String, usize>,
}

/// A framework the design draws on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecFramework {
    pub id: String,
    pub name: String,
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence: Option<String>,
    /// The version the workspace pins, when it pins one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned_version: Option<String>,
}

/// Where the spec came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// The microcred version that wrote the spec.
    pub microcred_version: String,
    /// SHA-256 of the workspace file's bytes, in lowercase hex.
    pub workspace_sha256: String,
    /// The frameworks used, by id.
    #[serde(default)]
    pub frameworks: Vec<SpecFramework>,
    /// When it was exported (RFC 3339, UTC); only with `--timestamp`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exported_at: Option<String>,
    /// The latest time the design records (see [`last_change`]), when it records one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub design_changed_at: Option<String>,
}

/// Export options that change the content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Export even with open problems, as a draft.
    pub force: bool,
    /// An RFC 3339 time to record; `None` keeps the output reproducible.
    pub timestamp: Option<String>,
    /// SHA-256 (hex) of the workspace file's bytes; `None` hashes the canonical workspace text.
    pub workspace_sha256: Option<String>,
    /// The format the spec is rendered in: its registry's requirements are blockers too.
    pub format: super::Format,
    /// The badge image's URL (`export --image`), for Open Badges.
    pub image: Option<String>,
}

/// The export was refused: these problems must be fixed first (or `--force` given).
#[derive(Debug, Clone, PartialEq)]
pub struct Refused {
    pub problems: Vec<OpenProblem>,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "cannot export: {} problem(s) must be fixed first (or export a draft with --force)",
            self.problems.len()
        )?;
        for p in &self.problems {
            writeln!(f, "  - {p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Refused {}

pub use crate::store::hex::sha256_hex;

/// Clean multi-line text: drop control characters except line feed and tab.
pub fn text(s: &str) -> String {
    s.chars()
        .filter(|&c| !c.is_control() || c == '\n' || c == '\t')
        .collect()
}

/// Clean one-line text: line breaks and tabs become spaces, other control characters go.
pub fn line(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\n' | '\t' | '\r' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

fn opt_text(s: &Option<String>) -> Option<String> {
    s.as_deref().map(text)
}

fn opt_line(s: &Option<String>) -> Option<String> {
    s.as_deref().map(line)
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
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
    verdict_for(ws, catalog, gap, super::Format::Yaml)
}

/// The verdict on a design for `format`: the blockers of every export, then what the
/// format's registry needs (`export::readiness`).
pub fn verdict_for(
    ws: &Workspace,
    catalog: &Catalog,
    gap: &GapReport,
    format: super::Format,
) -> Verdict {
    verdict_with(ws, &Lookup::new(ws), catalog, gap, format)
}

fn verdict_with(
    ws: &Workspace,
    ids: &Lookup,
    catalog: &Catalog,
    gap: &GapReport,
    format: super::Format,
) -> Verdict {
    let mut blockers = problems_with(ws, ids, catalog, gap);
    blockers.extend(format_problems(ws, format));
    Verdict {
        blockers,
        pending: pending_with(ws, ids, gap),
    }
}

/// What `format`'s registry needs and the design lacks, as blockers.
pub fn format_problems(ws: &Workspace, format: super::Format) -> Vec<OpenProblem> {
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

/// Resolve the workspace into a spec. Refused while [`problems`] finds any, unless forced.
pub fn build(
    ws: &Workspace,
    catalog: &Catalog,
    gap: &GapReport,
    opts: &Options,
) -> Result<Spec, Refused> {
    let ids = Lookup::new(ws);
    let verdict = verdict_with(ws, &ids, catalog, gap, opts.format);
    if !verdict.export_ready() && !opts.force {
        return Err(Refused {
            problems: verdict.blockers,
        });
    }
    let status = if verdict.is_final() {
        SpecStatus::Final
    } else {
        SpecStatus::Draft
    };
    let mut open = verdict.blockers;
    open.extend(verdict.pending);
    let competencies: Vec<SpecCompetency> = ws
        .competencies
        .iter()
        .map(|c| competency(c, catalog))
        .collect();
    let cr = &ws.credential;
    let credential = SpecCredential {
        id: opt_line(&cr.id),
        version: Some(line(
            cr.version.as_deref().unwrap_or(crate::model::FIRST_VERSION),
        )),
        previous_version: opt_line(&cr.previous_version),
        title: opt_line(&cr.title),
        summary: opt_text(&cr.summary),
        awarding_body: opt_line(&cr.awarding_body),
        country: opt_line(&cr.country),
        level: cr.level.as_ref().map(|l| QualificationLevel {
            scheme: line(&l.scheme),
            value: match &l.value {
                LevelValue::Number(n) => LevelValue::Number(*n),
                LevelValue::Text(t) => LevelValue::Text(line(t)),
            },
        }),
        learning_outcomes: competencies
            .iter()
            .filter_map(|c| c.outcome.clone())
            .collect(),
        workload: cr.workload.as_ref().map(|w| SpecWorkload {
            hours: w.hours,
            ects: w.ects,
        }),
        competency_hours: ws.competencies.iter().filter_map(|c| c.hours).sum(),
        max_hours: cr.max_hours.unwrap_or(DEFAULT_MAX_HOURS),
        participation: cr.participation,
        assessment_type: opt_text(&cr.assessment_type),
        quality_assurance: opt_text(&cr.quality_assurance),
        prerequisites: cr.prerequisites.iter().map(|p| line(p)).collect(),
        supervision: opt_text(&cr.supervision),
        grading: opt_line(&cr.grading),
        stackability: cr.stackability.as_ref().map(|s| Stackability {
            standalone: s.standalone,
            stacks_into: s.stacks_into.iter().map(|x| line(x)).collect(),
        }),
        validity: opt_line(&cr.validity),
        languages: cr.languages.iter().map(|l| line(l)).collect(),
        isced_f: opt_line(&cr.isced_f),
        homepage: opt_line(&cr.homepage),
        image: opt_line(&opts.image),
        awarding_body_details: cr
            .awarding_body_details
            .as_ref()
            .map(|d| AwardingBodyDetails {
                legal_name: opt_line(&d.legal_name),
                country: opt_line(&d.country),
                identifier: opt_line(&d.identifier),
                url: opt_line(&d.url),
                email: opt_line(&d.email),
                sector: d.sector,
            }),
        learning_setting: cr.learning_setting,
        equity: Equity {
            cost: opt_text(&cr.equity.cost),
            flexible_delivery: opt_text(&cr.equity.flexible_delivery),
            learner_supports: opt_text(&cr.equity.learner_supports),
            recognition_of_prior_learning: opt_text(&cr.equity.recognition_of_prior_learning),
            community_partners: opt_text(&cr.equity.community_partners),
        },
    };
    let partners = ws
        .partners
        .iter()
        .map(|p| SpecPartner {
            id: line(&p.id),
            name: line(&p.name),
            kind: p.kind,
        })
        .collect();
    // The gap report's entry of each need, by id (the first of a duplicated id, as before).
    let mut need_gap: HashMap<&str, NeedStatus> = HashMap::with_capacity(gap.needs.len());
    for g in &gap.needs {
        need_gap.entry(g.id.as_str()).or_insert(g.status);
    }
    let needs = ws
        .needs
        .iter()
        .map(|n| SpecNeed {
            id: line(&n.id),
            partner: line(&n.partner),
            statement: text(&n.statement),
            priority: n.priority,
            evidence: opt_text(&n.evidence),
            coverage: need_gap.get(n.id.as_str()).map(|status| match status {
                NeedStatus::Covered => Coverage::Covered,
                NeedStatus::Partial => Coverage::Partial,
                NeedStatus::Uncovered => Coverage::Uncovered,
            }),
            mappings: ids
                .mappings_of(&n.id)
                .iter()
                .map(|&i| &ws.mappings[i])
                .map(|m| SpecMapping {
                    competency: line(&m.competency),
                    included: ids.competencies.contains_key(m.competency.as_str()),
                    required_level: m.required_level,
                    rationale: opt_text(&m.rationale),
                    status: m.status,
                    agreed_by: opt_line(&m.agreed_by),
                })
                .collect(),
        })
        .collect();
    let gaps = GapSummary {
        coverage_percent: round(gap.coverage_percent, 1),
        clean: gap.is_clean(),
        counts: gap
            .counts()
            .into_iter()
            .map(|(k, n)| (k.to_string(), n))
            .collect(),
    };
    let provenance = Provenance {
        microcred_version: env!("CARGO_PKG_VERSION").to_string(),
        workspace_sha256: opts
            .workspace_sha256
            .clone()
            .unwrap_or_else(|| sha256_hex(crate::document::workspace_to_string(ws).as_bytes())),
        frameworks: frameworks_used(ws, catalog),
        exported_at: opt_line(&opts.timestamp),
        design_changed_at: last_change(ws),
    };
    Ok(Spec {
        schema: SPEC_SCHEMA.to_string(),
        status,
        open_problems: if status == SpecStatus::Draft {
            open
        } else {
            Vec::new()
        },
        credential,
        competencies,
        partners,
        needs,
        sign_offs: sign_offs(ws),
        gaps,
        provenance,
    })
}

/// The workspace's sign-offs, each marked current or not (the design is hashed once, and only
/// when there are sign-offs).
fn sign_offs(ws: &Workspace) -> Vec<SpecSignOff> {
    if ws.sign_offs.is_empty() {
        return Vec::new();
    }
    let hash = crate::model::signoff::design_hash(ws);
    ws.sign_offs
        .iter()
        .map(|s| SpecSignOff {
            person: line(&s.person),
            partner: line(&s.partner),
            at: line(&s.at),
            design: line(&s.design),
            current: s.design == hash,
            key: opt_line(&s.key),
        })
        .collect()
}

fn competency(c: &crate::model::CredentialCompetency, catalog: &Catalog) -> SpecCompetency {
    let (fw_id, comp_id) = split_ref(&c.reference).unwrap_or(("", c.reference.as_str()));
    let fw = catalog.framework(fw_id);
    let comp = catalog.resolve(&c.reference).map(|(_, comp)| comp);
    let framework = SpecFrameworkRef {
        id: line(fw_id),
        name: fw.map_or_else(|| line(fw_id), |f| line(&f.name)),
        version: fw.map_or_else(String::new, |f| line(&f.version)),
        source: fw.and_then(|f| opt_text(&f.source)),
    };
    let level_of = |n: u32| {
        let scale = fw.and_then(|f| f.level(n));
        SpecLevel {
            level: n,
            name: scale.map(|l| line(&l.name)),
            descriptor: comp
                .and_then(|k| k.levels.get(&n))
                .map(|d| text(d))
                .or_else(|| scale.and_then(|l| opt_text(&l.description))),
        }
    };
    let scale = fw.map_or_else(Vec::new, |f| {
        f.levels
            .iter()
            .filter(|l| comp.is_none_or(|k| k.levels.is_empty() || k.levels.contains_key(&l.level)))
            .map(|l| level_of(l.level))
            .collect()
    });
    SpecCompetency {
        reference: line(&c.reference),
        framework,
        id: line(comp_id),
        uri: comp.and_then(|k| opt_line(&k.uri)),
        name: comp.map_or_else(|| line(&c.reference), |k| line(&k.name)),
        description: comp.map_or_else(String::new, |k| text(&k.description)),
        category: comp.and_then(|k| opt_line(&k.category)),
        kind: comp.and_then(|k| k.kind),
        target_level: level_of(c.target_level),
        scale,
        hours: c.hours,
        outcome: opt_text(&c.outcome),
        assessment: c.assessment.as_ref().map(|a| Assessment {
            method: a.method,
            description: opt_text(&a.description),
        }),
        code: comp.and_then(|k| opt_line(&k.code)),
        notes: comp.and_then(|k| opt_text(&k.notes)),
        education_level: comp.map_or_else(Vec::new, |k| {
            k.education_level.iter().map(|e| line(e)).collect()
        }),
        links: comp.map_or_else(Vec::new, |k| {
            k.links
                .iter()
                .map(|l| crate::model::Link {
                    kind: line(&l.kind),
                    // A competency of the same framework, by reference.
                    target: match fw.filter(|f| f.competencies.iter().any(|x| x.id == l.target)) {
                        Some(_) => format!("{fw_id}:{}", line(&l.target)),
                        None => line(&l.target),
                    },
                    title: opt_line(&l.title),
                })
                .collect()
        }),
    }
}

/// The latest time the design records (a comment, a sign-off, a vote or a dot), as RFC 3339:
/// the design's last recorded change, the same for the same design.
pub fn last_change(ws: &Workspace) -> Option<String> {
    let mut times: Vec<&str> = Vec::new();
    for m in &ws.mappings {
        times.extend(m.comments.iter().map(|c| c.at.as_str()));
    }
    times.extend(ws.sign_offs.iter().map(|s| s.at.as_str()));
    for v in &ws.votes {
        times.push(v.opened_at.as_str());
        times.extend(v.closed_at.as_deref());
        times.extend(v.ballots.iter().map(|d| d.at.as_str()));
    }
    times
        .into_iter()
        .filter(|t| t.len() >= 19 && t.as_bytes()[4] == b'-' && t.as_bytes()[10] == b'T')
        .max()
        .map(line)
}

/// The frameworks the credential's competencies and the mappings draw on, plus pinned ones,
/// sorted by id.
fn frameworks_used(ws: &Workspace, catalog: &Catalog) -> Vec<SpecFramework> {
    let mut ids: BTreeSet<&str> = BTreeSet::new();
    for r in ws
        .competencies
        .iter()
        .map(|c| c.reference.as_str())
        .chain(ws.mappings.iter().map(|m| m.competency.as_str()))
    {
        if let Some((fw, _)) = split_ref(r) {
            ids.insert(fw);
        }
    }
    ids.extend(ws.frameworks.iter().map(|p| p.id.as_str()));
    ids.into_iter()
        .map(|id| {
            let fw = catalog.framework(id);
            SpecFramework {
                id: line(id),
                name: fw.map_or_else(|| line(id), |f| line(&f.name)),
                version: fw.map_or_else(String::new, |f| line(&f.version)),
                publisher: fw.and_then(|f| opt_line(&f.publisher)),
                source: fw.and_then(|f| opt_text(&f.source)),
                licence: fw.and_then(|f| opt_line(&f.licence)),
                pinned_version: ws
                    .frameworks
                    .iter()
                    .find(|p| p.id == id)
                    .map(|p| line(&p.version)),
            }
        })
        .collect()
}

/// Check a spec read back from a file: its schema, and that a final spec is complete.
/// Returns one message per problem.
pub fn check(spec: &Spec) -> Vec<String> {
    let mut out = Vec::new();
    if spec.schema != SPEC_SCHEMA {
        out.push(format!(
            "`schema:` is `{}`; a spec says `{SPEC_SCHEMA}`",
            spec.schema
        ));
    }
    let c = &spec.credential;
    if spec.status == SpecStatus::Final {
        if !spec.open_problems.is_empty() {
            out.push("a final spec lists open problems; it should say `status: draft`".into());
        }
        for n in &spec.needs {
            for m in n.mappings.iter().filter(|m| m.included) {
                if m.status == MappingStatus::Proposed {
                    out.push(format!(
                        "need {} maps to {} only as proposed in a final spec",
                        n.id, m.competency
                    ));
                }
            }
        }
        let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
        for (name, missing) in [
            ("title", blank(&c.title)),
            ("summary", blank(&c.summary)),
            ("awarding_body", blank(&c.awarding_body)),
            ("country", blank(&c.country)),
            (
                "level",
                c.level.as_ref().is_none_or(|l| {
                    l.scheme.trim().is_empty()
                        || matches!(&l.value, LevelValue::Text(t) if t.trim().is_empty())
                }),
            ),
            ("workload", c.workload.is_none()),
            ("participation", c.participation.is_none()),
            ("assessment_type", blank(&c.assessment_type)),
            ("quality_assurance", blank(&c.quality_assurance)),
        ] {
            if missing {
                out.push(format!("credential.{name} is empty in a final spec"));
            }
        }
    }
    let refs: BTreeSet<&str> = spec
        .competencies
        .iter()
        .map(|c| c.reference.as_str())
        .collect();
    let partners: BTreeSet<&str> = spec.partners.iter().map(|p| p.id.as_str()).collect();
    for n in &spec.needs {
        if !partners.contains(n.partner.as_str()) {
            out.push(format!(
                "need {} names partner `{}`, which is not among `partners`",
                n.id, n.partner
            ));
        }
        for m in &n.mappings {
            if m.included != refs.contains(m.competency.as_str()) {
                out.push(format!(
                    "need {} maps to {} with `included: {}`, but the competency is{} in \
                     `competencies`",
                    n.id,
                    m.competency,
                    m.included,
                    if m.included { " not" } else { "" }
                ));
            }
        }
    }
    if let Some(w) = &c.workload
        && (w.hours.is_nan() || w.hours <= 0.0)
    {
        out.push("credential.workload.hours must be greater than 0".into());
    }
    out
}

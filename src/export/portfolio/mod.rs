//! Exports of a portfolio: the YAML portfolio spec (`schema: microcred/portfolio-spec@1`),
//! CTDL pathways (`ctdl`), ELM part-of links between the credentials' specifications and
//! opportunities (`elm`) and an Open Badges 3.0 achievement per stack (`ob3`).
//!
//! [`build`] resolves the portfolio, its member designs and the portfolio's analysis into a
//! [`Built`]: the [`PortfolioSpec`] and each member's own [`Spec`]. Every format renders from
//! that, so the same files always give the same bytes (no clock unless a timestamp is given).

pub mod ctdl;
pub mod elm;
pub mod ob3;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Format;
use super::spec::{self, Options, Spec, SpecStatus};
use crate::analysis::gap;
use crate::analysis::portfolio::{MemberState, PortfolioReport, analyse};
use crate::catalog::Catalog;
use crate::model::portfolio::{Condition, Pathway, Portfolio};

/// The value of `schema:` in a portfolio spec.
pub const PORTFOLIO_SPEC_SCHEMA: &str = "microcred/portfolio-spec@1";

/// Analysis findings that refuse a portfolio export unless forced (as `check --fail-on
/// blockers` fails on them).
pub const BLOCKING: &[&str] = &[
    "unavailable",
    "id_changed",
    "cycle",
    "impossible_condition",
    "empty_condition",
];

/// The published record of a portfolio: its credentials as exported, its stacks with their
/// totals and coverage, its pathways, and what its analysis found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PortfolioSpec {
    /// Always `microcred/portfolio-spec@1`.
    pub schema: String,
    /// `final` when every credential's spec is final and nothing blocks; else `draft`.
    pub status: SpecStatus,
    /// The portfolio's stable id, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub homepage: Option<String>,
    /// Each credential, in the portfolio's order.
    pub credentials: Vec<SpecMember>,
    /// Each stack, in the portfolio's order.
    #[serde(default)]
    pub stacks: Vec<SpecStack>,
    /// The pathways as the portfolio states them.
    #[serde(default)]
    pub pathways: Vec<Pathway>,
    /// What the portfolio's analysis found (as `check PORTFOLIO`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<SpecFinding>,
    pub provenance: PortfolioProvenance,
}

/// One credential of a portfolio spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecMember {
    /// The id the portfolio uses for it.
    pub id: String,
    /// Its workspace file, relative to the portfolio.
    pub path: String,
    /// The design's stable id, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stable_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Its own spec's status.
    pub status: SpecStatus,
    /// The id its Open Badges achievement and ELM specification carry.
    pub achievement_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ects: Option<f64>,
    /// Its competencies (`fw:ID`), in its order.
    #[serde(default)]
    pub competencies: Vec<String>,
    /// SHA-256 of the design as exported.
    pub design_sha256: String,
}

/// One stack of a portfolio spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecStack {
    pub id: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// What earning it takes, as the portfolio states it.
    pub requires: Condition,
    /// The credentials it is made of (nested stacks flattened).
    pub parts: Vec<String>,
    pub hours: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ects: Option<f64>,
    /// Coverage (0–100) of the needs of the partners it serves.
    pub coverage_percent: f64,
    /// The id of its Open Badges achievement and ELM specification.
    pub achievement_id: String,
}

/// A finding of the portfolio's analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecFinding {
    pub kind: String,
    pub at: String,
    pub message: String,
    pub hint: String,
}

/// Where the portfolio spec comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PortfolioProvenance {
    pub microcred_version: String,
    /// SHA-256 of the portfolio file's bytes, in lowercase hex.
    pub portfolio_sha256: String,
    /// When it was exported (RFC 3339, UTC); only with `--timestamp`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exported_at: Option<String>,
}

/// A portfolio resolved for export: its spec, each member's spec (in the portfolio's order)
/// and the portfolio's analysis.
#[derive(Debug, Clone)]
pub struct Built {
    pub portfolio: Portfolio,
    pub spec: PortfolioSpec,
    pub members: Vec<Spec>,
    pub report: PortfolioReport,
}

/// Why a portfolio export was refused: each reason with where it is and what to do.
#[derive(Debug, Clone, PartialEq)]
pub struct Refused {
    /// (where, what is wrong, what to do).
    pub reasons: Vec<(String, String, String)>,
}

/// Build the export of `p`, whose members (in `p.credentials` order) were loaded as `states`;
/// `portfolio_sha256` is the hash of the portfolio file's bytes. Refused while a member cannot
/// be exported or the analysis finds something blocking, unless `opts.force`.
pub fn build(
    p: &Portfolio,
    states: &[MemberState],
    catalog: &Catalog,
    portfolio_sha256: &str,
    opts: &Options,
) -> Result<Built, Refused> {
    let report = analyse(p, states);
    let mut reasons = Vec::new();
    if opts.format == Format::Ctdl && p.pathways.is_empty() {
        reasons.push((
            "pathways".to_string(),
            "the portfolio has no pathway, and CTDL publishes a portfolio as pathways".to_string(),
            "add a pathway, or export another format (yaml, elm, ob3)".to_string(),
        ));
    }
    let mut members = Vec::with_capacity(p.credentials.len());
    for (m, s) in p.credentials.iter().zip(states) {
        let at = format!("credential {}", m.id);
        match s {
            MemberState::Unavailable(why) => reasons.push((
                at,
                format!("{} cannot be used: {why}", m.path),
                "fix the file, or correct its `path:` in the portfolio".into(),
            )),
            MemberState::Loaded(ws) => {
                let g = gap::analyse(ws);
                match spec::build(ws, catalog, &g, opts) {
                    Ok(s) => members.push(s),
                    Err(r) => {
                        reasons.extend(r.problems.into_iter().map(|pr| {
                            (format!("{at} ({}: {})", m.path, pr.at), pr.message, pr.fix)
                        }))
                    }
                }
            }
        }
    }
    let blocking: Vec<_> = report
        .findings
        .iter()
        .filter(|f| BLOCKING.contains(&f.kind))
        .collect();
    if !opts.force {
        reasons.extend(
            blocking
                .iter()
                .map(|f| (f.at.clone(), f.message.clone(), f.hint.clone())),
        );
    }
    // A design that cannot be read (or CTDL without a pathway) stops the export even when
    // forced (a design's spec is refused only without --force).
    if !reasons.is_empty() || members.len() != p.credentials.len() {
        return Err(Refused { reasons });
    }
    let status = if blocking.is_empty() && members.iter().all(|s| s.status == SpecStatus::Final) {
        SpecStatus::Final
    } else {
        SpecStatus::Draft
    };
    let seed = seed(p, portfolio_sha256);
    let credentials = p
        .credentials
        .iter()
        .zip(&members)
        .map(|(m, s)| SpecMember {
            id: m.id.clone(),
            path: m.path.clone(),
            stable_id: s.credential.id.clone(),
            version: s.credential.version.clone(),
            title: s.credential.title.clone(),
            status: s.status,
            achievement_id: super::ob3::achievement_id(s),
            hours: s.credential.workload.as_ref().map(|w| w.hours),
            ects: s.credential.workload.as_ref().and_then(|w| w.ects),
            competencies: s.competencies.iter().map(|c| c.reference.clone()).collect(),
            design_sha256: s.provenance.workspace_sha256.clone(),
        })
        .collect();
    let stacks = p
        .stacks
        .iter()
        .zip(&report.stacks)
        .map(|(s, r)| SpecStack {
            id: s.id.clone(),
            title: s.title.clone(),
            kind: s.kind.clone(),
            requires: s.requires.clone(),
            parts: r.parts.clone(),
            hours: r.hours,
            ects: r.ects,
            coverage_percent: r.coverage_percent,
            achievement_id: stack_id(&seed, &s.id),
        })
        .collect();
    let spec = PortfolioSpec {
        schema: PORTFOLIO_SPEC_SCHEMA.into(),
        status,
        id: p.id.clone(),
        title: p.title.clone(),
        homepage: p.homepage.clone(),
        credentials,
        stacks,
        pathways: p.pathways.clone(),
        findings: report
            .findings
            .iter()
            .map(|f| SpecFinding {
                kind: f.kind.into(),
                at: f.at.clone(),
                message: f.message.clone(),
                hint: f.hint.clone(),
            })
            .collect(),
        provenance: PortfolioProvenance {
            microcred_version: env!("CARGO_PKG_VERSION").into(),
            portfolio_sha256: portfolio_sha256.into(),
            exported_at: opts.timestamp.clone(),
        },
    };
    Ok(Built {
        portfolio: p.clone(),
        spec,
        members,
        report,
    })
}

/// The name every id of a portfolio export is derived from: its stable id, else the hash of
/// its file.
pub fn seed(p: &Portfolio, portfolio_sha256: &str) -> String {
    p.id.clone()
        .unwrap_or_else(|| format!("microcred:portfolio:{portfolio_sha256}"))
}

/// The id of a stack's achievement (and ELM specification): the same portfolio and stack id
/// always give the same id.
pub fn stack_id(seed: &str, stack: &str) -> String {
    super::ob3::urn_uuid(&format!("microcred:stack:{seed}\u{0}{stack}"))
}

/// The formats a portfolio exports to.
pub fn supports(format: Format) -> bool {
    matches!(
        format,
        Format::Yaml | Format::Ctdl | Format::Elm | Format::Ob3
    )
}

/// Render a built portfolio in a format; `None` for a format a portfolio has no export in
/// (Markdown, CASE).
pub fn render(b: &Built, format: Format) -> Option<Vec<u8>> {
    Some(match format {
        Format::Yaml => crate::store::yaml::to_string(&b.spec)
            .unwrap_or_else(|e| format!("# cannot serialise: {e}\n"))
            .into_bytes(),
        Format::Ctdl => ctdl::render(b),
        Format::Elm => elm::render(b),
        Format::Ob3 => ob3::render(b),
        Format::Markdown | Format::Case => return None,
    })
}

/// Pretty JSON with a final newline.
fn pretty(v: &serde_json::Value) -> Vec<u8> {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s.into_bytes()
}

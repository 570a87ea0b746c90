//! Reading exported specs back: telling a spec from a workspace or a framework by its content,
//! and parsing and checking a spec.

use std::collections::BTreeSet;

use super::spec::{SPEC_SCHEMA, Spec, SpecStatus};
use crate::model::{LevelValue, MappingStatus};
use crate::problem::{Problem, Problems};

/// What kind of document a file holds, judged by its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Workspace,
    Framework,
    /// An exported spec (`schema: microcred/spec@1`).
    Spec,
    /// A portfolio of designs (`schema: microcred/portfolio@1`).
    Portfolio,
    /// An exported portfolio spec (`schema: microcred/portfolio-spec@1`).
    PortfolioSpec,
}

/// A top-level `schema:` key makes a workspace, or a spec, a portfolio or a portfolio spec when
/// its value is `microcred/spec@1`, `microcred/portfolio@1` or `microcred/portfolio-spec@1`; anything else is read as a framework.
pub fn detect_kind(src: &str) -> Kind {
    let schema = src.lines().find_map(|l| {
        l.strip_prefix("schema:")
            .or_else(|| l.strip_prefix("\"schema\":"))
    });
    let value = schema.map(|v| {
        v.split(" #")
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches(['"', '\'', ','])
    });
    match value {
        Some(SPEC_SCHEMA) => Kind::Spec,
        Some(crate::model::portfolio::PORTFOLIO_SCHEMA) => Kind::Portfolio,
        Some(super::portfolio::PORTFOLIO_SPEC_SCHEMA) => Kind::PortfolioSpec,
        Some(_) => Kind::Workspace,
        None => Kind::Framework,
    }
}

/// Whether the file at `path` is a portfolio (`schema: microcred/portfolio@1`), told apart by
/// content as [`detect_kind`] does; a file that cannot be read is not one.
pub fn is_portfolio_file(path: &std::path::Path) -> bool {
    path.is_file()
        && crate::store::read_text(path).is_ok_and(|s| detect_kind(&s) == Kind::Portfolio)
}

/// Parse and check an exported spec (`schema: microcred/spec@1`); `name` labels its problems.
pub fn spec_from_str(src: &str, name: &str) -> Result<Spec, Problems> {
    let spec: Spec = crate::store::yaml::parse_named(src, name)?;
    let found = check(&spec);
    if found.is_empty() {
        Ok(spec)
    } else {
        Err(Problems(
            found.into_iter().map(|m| Problem::error(name, m)).collect(),
        ))
    }
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

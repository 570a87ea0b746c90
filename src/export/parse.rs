//! Reading exported specs back: telling a spec from a workspace or a framework by its content,
//! and parsing and checking a spec.

use super::Spec;
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
        Some(super::SPEC_SCHEMA) => Kind::Spec,
        Some(crate::model::portfolio::PORTFOLIO_SCHEMA) => Kind::Portfolio,
        Some(super::portfolio::PORTFOLIO_SPEC_SCHEMA) => Kind::PortfolioSpec,
        Some(_) => Kind::Workspace,
        None => Kind::Framework,
    }
}

/// Parse and check an exported spec (`schema: microcred/spec@1`); `name` labels its problems.
pub fn spec_from_str(src: &str, name: &str) -> Result<Spec, Problems> {
    let spec: Spec = crate::store::yaml::parse_named(src, name)?;
    let found = super::spec::check(&spec);
    if found.is_empty() {
        Ok(spec)
    } else {
        Err(Problems(
            found.into_iter().map(|m| Problem::error(name, m)).collect(),
        ))
    }
}

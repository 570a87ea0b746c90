//! Exporters: the YAML spec (the record of a micro-credential), an Open Badges 3.0 achievement,
//! a one-page Markdown summary, and the registry formats: a European Learning Model (ELM v3)
//! specification, CTDL JSON-LD for the Credential Registry and a CASE 1.1 package of the
//! competencies. Pure functions of the workspace, the catalog and the gap report: the same
//! inputs always give the same bytes.

pub mod case;
pub mod ctdl;
pub mod elm;
pub mod markdown;
pub mod ob3;
mod parse;
pub mod portfolio;
pub mod readiness;
pub mod schema;
pub mod spec;
pub mod verdict;

use std::path::{Path, PathBuf};

use crate::analysis::gap::GapReport;
use crate::catalog::Catalog;
use crate::model::Workspace;

pub use parse::{Kind, detect_kind, is_portfolio_file, spec_from_str};
pub use spec::{Options, Refused, SPEC_SCHEMA, Spec};

/// An export format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// The YAML spec, `schema: microcred/spec@1`.
    #[default]
    Yaml,
    /// An Open Badges 3.0 `Achievement` (JSON).
    Ob3,
    /// A one-page Markdown summary.
    Markdown,
    /// A European Learning Model v3 `LearningAchievementSpecification` and `LearningOpportunity`
    /// (JSON-LD, LOQ profile).
    Elm,
    /// CTDL JSON-LD for the Credential Registry, with a CTDL-ASN competency framework.
    Ctdl,
    /// A 1EdTech CASE 1.1 `CFPackage` (JSON) of the credential's competencies.
    Case,
}

impl Format {
    /// Every format, in the order menus and reports list them.
    pub const ALL: &'static [Format] = &[
        Format::Yaml,
        Format::Ob3,
        Format::Markdown,
        Format::Elm,
        Format::Ctdl,
        Format::Case,
    ];

    /// The format's name on the command line (`--format NAME`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Yaml => "yaml",
            Format::Ob3 => "ob3",
            Format::Markdown => "markdown",
            Format::Elm => "elm",
            Format::Ctdl => "ctdl",
            Format::Case => "case",
        }
    }

    /// The format's short name in reports and the gap panes: "ELM", "CTDL".
    pub fn short(self) -> &'static str {
        match self {
            Format::Yaml => "Spec",
            Format::Ob3 => "OB3",
            Format::Markdown => "Summary",
            Format::Elm => "ELM",
            Format::Ctdl => "CTDL",
            Format::Case => "CASE",
        }
    }

    /// What the format is, in a few words.
    pub fn label(self) -> &'static str {
        match self {
            Format::Yaml => "YAML spec",
            Format::Ob3 => "Open Badges 3.0 achievement",
            Format::Markdown => "Markdown summary",
            Format::Elm => "European Learning Model (ELM v3) JSON-LD",
            Format::Ctdl => "CTDL JSON-LD (Credential Registry)",
            Format::Case => "CASE 1.1 package (competency frameworks)",
        }
    }

    /// The usual file extension for the format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Yaml => "spec.yaml",
            Format::Ob3 => "ob3.json",
            Format::Markdown => "md",
            Format::Elm => "elm.jsonld",
            Format::Ctdl => "ctdl.jsonld",
            Format::Case => "case.json",
        }
    }
}

/// Render a spec in a format.
pub fn render(spec: &Spec, format: Format) -> Vec<u8> {
    match format {
        Format::Yaml => crate::store::yaml::to_string(spec)
            .unwrap_or_else(|e| format!("# cannot serialise: {e}\n"))
            .into_bytes(),
        Format::Ob3 => ob3::render(spec),
        Format::Markdown => markdown::to_markdown(spec).into_bytes(),
        Format::Elm => elm::render(spec),
        Format::Ctdl => ctdl::render(spec),
        Format::Case => case::render(spec),
    }
}

/// Export a workspace: refused while it has open problems, unless `opts.force`.
pub fn export(
    ws: &Workspace,
    catalog: &Catalog,
    gap: &GapReport,
    format: Format,
    opts: &Options,
) -> Result<Vec<u8>, Refused> {
    let opts = Options {
        format,
        ..opts.clone()
    };
    spec::build(ws, catalog, gap, &opts).map(|s| render(&s, format))
}

/// Where an export of the workspace at `workspace` is written beside it: `NAME.spec.yaml`,
/// `NAME.ob3.json`, `NAME.md` or `NAME.case.json` in the same folder.
pub fn path_beside(workspace: &Path, format: Format) -> PathBuf {
    let stem = workspace
        .file_stem()
        .map_or_else(|| "export".into(), |s| s.to_string_lossy().into_owned());
    workspace.with_file_name(format!("{stem}.{}", format.extension()))
}

/// Where the CTDL-ASN document of a CTDL export at `path` goes: `X.ctdl.jsonld` →
/// `X.ctdl-asn.jsonld`, any other name gets `.asn.jsonld` added.
pub fn ctdl_asn_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let new = match name.strip_suffix(".ctdl.jsonld") {
        Some(stem) => format!("{stem}.ctdl-asn.jsonld"),
        None => format!("{name}.asn.jsonld"),
    };
    path.with_file_name(new)
}

/// The files an export of `spec` to `path` consists of: the export itself, then for CTDL the
/// CTDL-ASN competency framework beside it ([`ctdl_asn_path`]; the registry publishes
/// frameworks apart from credentials) when the spec has competencies.
pub fn files(spec: &Spec, format: Format, path: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = vec![(path.to_path_buf(), render(spec, format))];
    if format == Format::Ctdl {
        let asn = ctdl::render_asn(spec);
        if !asn.is_empty() {
            out.push((ctdl_asn_path(path), asn));
        }
    }
    out
}

/// [`export`] to `path`, as the [`files`] to write.
pub fn export_files(
    ws: &Workspace,
    catalog: &Catalog,
    gap: &GapReport,
    format: Format,
    opts: &Options,
    path: &Path,
) -> Result<Vec<(PathBuf, Vec<u8>)>, Refused> {
    let opts = Options {
        format,
        ..opts.clone()
    };
    spec::build(ws, catalog, gap, &opts).map(|s| files(&s, format, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beside() {
        let p = Path::new("/x/retail.yaml");
        assert_eq!(
            path_beside(p, Format::Yaml),
            Path::new("/x/retail.spec.yaml")
        );
        assert_eq!(path_beside(p, Format::Ob3), Path::new("/x/retail.ob3.json"));
        assert_eq!(path_beside(p, Format::Markdown), Path::new("/x/retail.md"));
        assert_eq!(
            path_beside(p, Format::Elm),
            Path::new("/x/retail.elm.jsonld")
        );
        assert_eq!(
            path_beside(p, Format::Case),
            Path::new("/x/retail.case.json")
        );
    }
}

//! Exporters: the YAML spec (the record of a micro-credential), an Open Badges 3.0 achievement
//! and a one-page Markdown summary. Pure functions of the workspace, the catalog and the gap
//! report: the same inputs always give the same bytes.

pub mod markdown;
pub mod ob3;
pub mod spec;

use std::path::{Path, PathBuf};

use crate::analysis::gap::GapReport;
use crate::catalog::Catalog;
use crate::model::Workspace;

pub use spec::{Options, Refused, SPEC_SCHEMA, Spec};

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The YAML spec, `schema: microcred/spec@1`.
    Yaml,
    /// An Open Badges 3.0 `Achievement` (JSON).
    Ob3,
    /// A one-page Markdown summary.
    Markdown,
}

impl Format {
    /// The usual file extension for the format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Yaml => "spec.yaml",
            Format::Ob3 => "ob3.json",
            Format::Markdown => "md",
        }
    }
}

/// Render a spec in a format.
pub fn render(spec: &Spec, format: Format) -> Vec<u8> {
    match format {
        Format::Yaml => crate::yaml::to_string(spec)
            .unwrap_or_else(|e| format!("# cannot serialise: {e}\n"))
            .into_bytes(),
        Format::Ob3 => ob3::render(spec),
        Format::Markdown => markdown::to_markdown(spec).into_bytes(),
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
    spec::build(ws, catalog, gap, opts).map(|s| render(&s, format))
}

/// Where an export of the workspace at `workspace` is written beside it: `NAME.spec.yaml`,
/// `NAME.ob3.json` or `NAME.md` in the same folder.
pub fn path_beside(workspace: &Path, format: Format) -> PathBuf {
    let stem = workspace
        .file_stem()
        .map_or_else(|| "export".into(), |s| s.to_string_lossy().into_owned());
    workspace.with_file_name(format!("{stem}.{}", format.extension()))
}

/// Format seconds since the Unix epoch as RFC 3339 UTC, e.g. `2026-11-28T17:10:28Z`.
pub fn rfc3339_utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// The current time as RFC 3339 UTC (for `--timestamp`).
pub fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    rfc3339_utc(secs)
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
    }

    #[test]
    fn rfc3339() {
        assert_eq!(rfc3339_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_utc(1_795_885_828), "2026-11-28T17:10:28Z");
        assert_eq!(rfc3339_utc(951_782_400), "2000-02-29T00:00:00Z");
    }
}

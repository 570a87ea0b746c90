//! `microcred diff OLD NEW`: what changed between two versions of a design or of a portfolio. OLD and NEW are
//! files, or `FILE@REV` for the file as it was at a git revision (read with `git show`).
//! Exit codes as `diff`'s: 0 no differences, 1 differences, 2 trouble.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::TextOrJson;
use crate::analysis::diff::{diff, to_text_named};
use crate::catalog::Catalog;
use crate::model::Workspace;

/// Where a version of a design comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    File(PathBuf),
    /// The file at a git revision.
    Revision(PathBuf, String),
}

impl Source {
    /// `FILE` when such a file exists, else `FILE@REV` split at its last `@`.
    pub fn parse(arg: &str) -> Source {
        if Path::new(arg).exists() {
            return Source::File(arg.into());
        }
        match arg.rsplit_once('@') {
            Some((file, rev)) if !file.is_empty() && !rev.is_empty() => {
                Source::Revision(file.into(), rev.into())
            }
            _ => Source::File(arg.into()),
        }
    }

    fn path(&self) -> &Path {
        match self {
            Source::File(p) | Source::Revision(p, _) => p,
        }
    }

    fn name(&self) -> String {
        match self {
            Source::File(p) => p.display().to_string(),
            Source::Revision(p, r) => format!("{}@{r}", p.display()),
        }
    }

    /// The text of this version, bounded as every workspace read is.
    fn text(&self) -> Result<String, String> {
        match self {
            Source::File(p) => crate::store::read_text(p).map_err(|e| e.to_string()),
            Source::Revision(p, rev) => crate::store::git::show(p, rev),
        }
    }
}

/// A version: a design, or a portfolio (told apart by its `schema:` line).
enum Version {
    Design(Box<Workspace>),
    Portfolio(Box<crate::model::portfolio::Portfolio>),
}

fn load(src: &Source, cat: &Catalog) -> Result<Version, String> {
    let text = src.text()?;
    if crate::export::detect_kind(&text) == crate::export::Kind::Portfolio {
        return crate::document::portfolio::portfolio_from_str(&text, &src.name())
            .map(|p| Version::Portfolio(Box::new(p)))
            .map_err(|p| p.to_string());
    }
    crate::document::workspace_from_str(&text, &src.name(), cat)
        .map(|l| Version::Design(Box::new(l.workspace)))
        .map_err(|p| p.to_string())
}

/// A difference as text and JSON, and whether there is any.
fn compare(
    a: &Version,
    b: &Version,
    format: TextOrJson,
    cat: &Catalog,
) -> Result<(String, bool), String> {
    use crate::analysis::portfolio_diff;
    fn out<T: serde::Serialize>(d: &T, text: String, format: TextOrJson) -> Result<String, String> {
        match format {
            TextOrJson::Text => Ok(text),
            TextOrJson::Json => serde_json::to_string_pretty(d)
                .map(|j| j + "\n")
                .map_err(|e| e.to_string()),
        }
    }
    match (a, b) {
        (Version::Design(a), Version::Design(b)) => {
            let d = diff(a, b);
            let text = to_text_named(&d, &|r| cat.resolve(r).map(|(_, c)| c.name.clone()));
            Ok((out(&d, text, format)?, d.is_empty()))
        }
        (Version::Portfolio(a), Version::Portfolio(b)) => {
            let d = portfolio_diff::diff(a, b);
            Ok((out(&d, portfolio_diff::to_text(&d), format)?, d.is_empty()))
        }
        _ => Err("one is a portfolio and the other a design; compare like with like".into()),
    }
}

/// Compare two versions; prints the difference on stdout.
pub fn run(paths: &[PathBuf], old: &str, new: &str, format: TextOrJson) -> ExitCode {
    let (old, new) = (Source::parse(old), Source::parse(new));
    let cat = match super::load_catalog(paths, Some(new.path())) {
        Ok(c) => c,
        Err(_) => return ExitCode::from(2),
    };
    let (a, b) = match (load(&old, &cat), load(&new, &cat)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            say!("microcred diff: {e}");
            return ExitCode::from(2);
        }
    };
    let (text, same) = match compare(&a, &b, format, &cat) {
        Ok(x) => x,
        Err(e) => {
            say!("microcred diff: {e}");
            return ExitCode::from(2);
        }
    };
    let printed = super::print_as(&text, format == TextOrJson::Json);
    if printed != ExitCode::SUCCESS {
        return ExitCode::from(2);
    }
    if same {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_with_an_at_sign_is_a_revision_unless_the_file_exists() {
        assert_eq!(
            Source::parse("no-such-dir/w.yaml@HEAD~1"),
            Source::Revision("no-such-dir/w.yaml".into(), "HEAD~1".into())
        );
        assert_eq!(
            Source::parse("Cargo.toml"),
            Source::File("Cargo.toml".into())
        );
        assert_eq!(Source::parse("w.yaml@"), Source::File("w.yaml@".into()));
    }
}

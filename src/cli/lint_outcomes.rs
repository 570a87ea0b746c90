//! `microcred lint-outcomes FILE`: the learning-outcome rules over a list of outcomes, a TSV
//! file with a header naming an `id` and a `text` column (and optionally `lang`).

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use clap::ValueEnum;

use crate::analysis::outcomes::{Finding, lint};
use crate::problem::{Problem, Problems, visible};

/// Output of `lint-outcomes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    /// For people: each outcome's findings with their reasons, hints and sources.
    Text,
    /// One JSON object per outcome and line: `{"id": …, "rules": [rule ids]}`.
    Jsonl,
}

/// One outcome of the file: its line, id, text and language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Row {
    pub line: usize,
    pub id: String,
    pub text: String,
    pub lang: Option<String>,
}

/// The outcomes of a TSV text: a header with `id` and `text` (any order, any other columns),
/// then one outcome per line; blank lines are skipped. Tabs separate columns; there is no
/// quoting.
pub(crate) fn rows(text: &str, file: &str) -> Result<Vec<Row>, Problem> {
    let mut lines = text.lines().enumerate();
    let Some((_, header)) = lines.find(|(_, l)| !l.trim().is_empty()) else {
        return Err(Problem::error(file, "the file is empty")
            .hint("write a header line naming the `id` and `text` columns, separated by tabs"));
    };
    let cols: Vec<String> = header
        .split('\t')
        .map(|c| c.trim().to_ascii_lowercase())
        .collect();
    let col = |name: &str| cols.iter().position(|c| c == name);
    let (Some(id), Some(txt)) = (col("id"), col("text")) else {
        let missing = if col("id").is_none() { "id" } else { "text" };
        return Err(Problem::error(
            file,
            format!("the header has no `{missing}` column"),
        )
        .at(1, 1)
        .hint("the first line names the columns, separated by tabs: at least `id` and `text` (and `lang` if you wish)"));
    };
    let lang = col("lang");
    let mut out = Vec::new();
    for (n, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let get = |i: usize| fields.get(i).map(|s| s.trim());
        let (Some(id_v), Some(text_v)) = (get(id), get(txt)) else {
            let column = fields.iter().map(|f| f.chars().count() + 1).sum::<usize>();
            return Err(Problem::error(
                file,
                format!(
                    "this line has {} column(s); the header names {}",
                    fields.len(),
                    cols.len()
                ),
            )
            .at(n + 1, column.max(1))
            .hint("separate the columns with tabs, as in the header"));
        };
        if id_v.is_empty() {
            return Err(Problem::error(file, "this outcome has no id")
                .at(n + 1, 1)
                .hint("give every outcome an id in the `id` column"));
        }
        out.push(Row {
            line: n + 1,
            id: id_v.to_string(),
            text: text_v.to_string(),
            lang: lang
                .and_then(get)
                .filter(|l| !l.is_empty())
                .map(String::from),
        });
    }
    Ok(out)
}

fn render_text(rows: &[Row], found: &[Vec<Finding>]) -> String {
    let mut out = String::new();
    let mut flagged = 0;
    for (r, fs) in rows.iter().zip(found) {
        if fs.is_empty() {
            continue;
        }
        flagged += 1;
        let _ = writeln!(
            out,
            "{}: {}",
            visible(r.id.clone()),
            visible(r.text.clone())
        );
        for f in fs {
            let _ = writeln!(
                out,
                "  {}: {}\n    fix: {}\n    source: {}",
                f.rule.as_str(),
                visible(f.message.clone()),
                f.hint,
                f.source
            );
        }
    }
    let _ = writeln!(out, "{flagged} of {} outcome(s) have findings", rows.len());
    out
}

fn render_jsonl(rows: &[Row], found: &[Vec<Finding>]) -> String {
    let mut out = String::new();
    for (r, fs) in rows.iter().zip(found) {
        let rules: Vec<&str> = fs.iter().map(|f| f.rule.as_str()).collect();
        let line = serde_json::json!({ "id": r.id, "rules": rules });
        let _ = writeln!(out, "{line}");
    }
    out
}

pub(super) fn run(file: &Path, format: LintFormat) -> ExitCode {
    let name = file.display().to_string();
    let parsed = crate::store::read_text(file).and_then(|t| rows(&t, &name));
    let rows = match parsed {
        Ok(r) => r,
        Err(p) => {
            super::report(&Problems(vec![p]));
            return ExitCode::from(1);
        }
    };
    let found: Vec<Vec<Finding>> = rows
        .iter()
        .map(|r| lint(&r.text, r.lang.as_deref()))
        .collect();
    let text = match format {
        LintFormat::Text => render_text(&rows, &found),
        LintFormat::Jsonl => render_jsonl(&rows, &found),
    };
    super::print_out(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_found_by_name() {
        let r = rows(
            "lang\ttext\tid\nfr\tInstaller un poêle.\tO1\n\n\tWeld.\tO2\n",
            "f.tsv",
        )
        .expect("parses");
        assert_eq!(r.len(), 2);
        assert_eq!((r[0].id.as_str(), r[0].lang.as_deref()), ("O1", Some("fr")));
        assert_eq!((r[1].line, r[1].lang.as_deref()), (4, None));
    }

    #[test]
    fn a_missing_column_or_id_is_located() {
        let e = rows("id\toutcome\n", "f.tsv").expect_err("no text column");
        assert!(e.to_string().contains("f.tsv:1:1"), "{e}");
        assert!(e.to_string().contains("`text`"), "{e}");
        let e = rows("id\ttext\nO1\n", "f.tsv").expect_err("short line");
        assert!(e.to_string().contains("f.tsv:2:"), "{e}");
        let e = rows("id\ttext\n\tWeld a joint.\n", "f.tsv").expect_err("no id");
        assert!(e.to_string().contains("f.tsv:2:1"), "{e}");
        assert!(rows("", "f.tsv").is_err());
    }
}

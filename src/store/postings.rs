//! Reading job postings from files: text or Markdown files (`.txt`, `.md`, `.markdown`),
//! folders of them, and CSV files with a text column. Every read is bounded (a posting file by
//! [`limits::POSTING_FILE_BYTES`], a CSV by [`limits::WORKSPACE_FILE_BYTES`]); every text is
//! checked (UTF-8, no control or bidirectional characters, not empty, at most
//! [`limits::POSTING`] characters) with a located problem. Prints nothing: the CLI and the
//! editor (from a thread of its own) both call [`read_inputs`].

use std::path::{Path, PathBuf};

use crate::limits;
use crate::model::RawPosting;
use crate::problem::Problem;

/// How CSV files are read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// The CSV column holding a posting's text (required for CSV files).
    pub column: Option<String>,
    /// The CSV column holding a posting's title (else the title is the text's first line).
    pub title_column: Option<String>,
}

/// The postings of `files`, in order: a folder gives its `.txt`, `.md` and `.markdown` files
/// in order of name, a `.csv` file one posting per row, any other file one posting. The first
/// problem stops the reading, and so does more text in all than a workspace may hold
/// ([`limits::WORKSPACE_FILE_BYTES`]): a folder of many files is bounded as one file is.
pub fn read_inputs(files: &[PathBuf], opts: &ReadOptions) -> Result<Vec<RawPosting>, Problem> {
    let mut out = Vec::new();
    let mut total = 0;
    for f in files {
        read_input(f, opts, &mut out, &mut total)?;
    }
    Ok(out)
}

/// Add `posting` to `out`, counting its text into `total`; refuse, naming `name` (the file
/// being read), once all the text read is more than a workspace may hold.
fn push(
    out: &mut Vec<RawPosting>,
    posting: RawPosting,
    total: &mut u64,
    name: &str,
) -> Result<(), Problem> {
    *total += posting.text.len() as u64;
    if *total > limits::WORKSPACE_FILE_BYTES {
        return Err(Problem::error(
            name,
            format!(
                "the postings read so far hold more than {} MiB of text, more than a workspace may hold",
                limits::WORKSPACE_FILE_BYTES / (1024 * 1024)
            ),
        )
        .hint("add the postings in smaller batches, or keep only the postings that matter"));
    }
    out.push(posting);
    Ok(())
}

/// Read the postings of one argument: a folder, a CSV file or a text file.
fn read_input(
    path: &Path,
    opts: &ReadOptions,
    out: &mut Vec<RawPosting>,
    total: &mut u64,
) -> Result<(), Problem> {
    let name = path.display().to_string();
    if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| Problem::error(&name, format!("cannot read the folder: {e}")))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| matches!(e, "txt" | "md" | "markdown"))
            })
            .collect();
        files.sort();
        for f in files {
            push(out, read_posting_file(&f)?, total, &f.display().to_string())?;
        }
        return Ok(());
    }
    let is_csv = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if is_csv {
        return read_csv(path, opts, out, total);
    }
    push(out, read_posting_file(path)?, total, &name)
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

fn read_posting_file(path: &Path) -> Result<RawPosting, Problem> {
    let name = path.display().to_string();
    let text = super::read_text_within(path, limits::POSTING_FILE_BYTES)?;
    let text = posting_text(&name, &text, 1)?;
    Ok(RawPosting {
        source: file_name(path),
        title: None,
        text,
    })
}

/// A posting's text checked and tidied: line ends made `\n`, no control or bidirectional
/// characters (located: `first_line` is the line the text starts on in its file), not empty,
/// not over [`limits::POSTING`] characters.
fn posting_text(name: &str, text: &str, first_line: usize) -> Result<String, Problem> {
    let text = crate::problem::without_removable(text).replace("\r\n", "\n");
    for (i, line) in text.split('\n').enumerate() {
        if let Some((col, c)) = line
            .chars()
            .enumerate()
            .find(|&(_, c)| c != '\t' && crate::problem::is_hidden(c))
        {
            return Err(Problem::error(
                name,
                format!(
                    "the posting holds the control character U+{:04X}",
                    u32::from(c)
                ),
            )
            .at(first_line + i, col + 1)
            .hint("save the posting as plain text (UTF-8) without control characters"));
        }
    }
    let text = text.trim().to_string();
    if text.is_empty() {
        return Err(Problem::error(name, "the posting is empty")
            .at(first_line, 1)
            .hint("give a file that holds a job posting's text"));
    }
    let len = text.chars().count();
    if len > limits::POSTING {
        return Err(Problem::error(
            name,
            format!(
                "the posting has {len} characters; the limit is {}",
                limits::POSTING
            ),
        )
        .at(first_line, 1)
        .hint("a posting this long is probably not one posting; split it"));
    }
    Ok(text)
}

fn read_csv(
    path: &Path,
    opts: &ReadOptions,
    out: &mut Vec<RawPosting>,
    total: &mut u64,
) -> Result<(), Problem> {
    let name = path.display().to_string();
    let Some(column) = &opts.column else {
        return Err(Problem::error(&name, "a CSV file needs --column")
            .hint("name the column that holds the postings' text, e.g. --column description"));
    };
    let text = super::read_text(path)?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let located = |e: csv::Error| {
        let mut p = Problem::error(&name, format!("not valid CSV: {e}"));
        if let Some(pos) = e.position() {
            p = p.at(pos.line() as usize, 1);
        }
        p.hint("check the quotes and the number of fields on that line")
    };
    let headers = reader.headers().map_err(located)?.clone();
    let find = |col: &str| {
        headers.iter().position(|h| h == col).ok_or_else(|| {
            Problem::error(&name, format!("there is no column `{col}`"))
                .at(1, 1)
                .hint(format!(
                    "the columns are: {}",
                    headers.iter().collect::<Vec<_>>().join(", ")
                ))
        })
    };
    let text_col = find(column)?;
    let title_col = opts.title_column.as_deref().map(find).transpose()?;
    let file = file_name(path);
    for record in reader.records() {
        let record = record.map_err(located)?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cell = record.get(text_col).unwrap_or_default();
        let col_name = |p: Problem| Problem {
            message: format!("{} (column `{column}`)", p.message),
            ..p
        };
        let text = posting_text(&name, cell, line).map_err(col_name)?;
        let title = match title_col {
            Some(i) => {
                let t = crate::problem::without_removable(record.get(i).unwrap_or_default());
                let t = t.trim();
                if t.chars().any(crate::problem::is_hidden) {
                    return Err(Problem::error(&name, "the title holds a control character")
                        .at(line, i + 1)
                        .hint("remove it from the title column"));
                }
                (!t.is_empty()).then(|| t.to_string())
            }
            None => None,
        };
        push(
            out,
            RawPosting {
                source: format!("{file} line {line}"),
                title,
                text,
            },
            total,
            &name,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_give_their_text_files_in_order_and_csv_rows_their_lines() {
        let d = tempfile::tempdir().expect("tempdir");
        std::fs::write(d.path().join("b.md"), "# Welder\nWeld pipes.\r\n").unwrap();
        std::fs::write(d.path().join("a.txt"), "  Installer\nInstall pumps.\n\n").unwrap();
        std::fs::write(d.path().join("c.pdf"), "not read").unwrap();
        let csv = d.path().join("jobs.csv");
        std::fs::write(
            &csv,
            "job,text\nTech,\"Fix things.\nWell.\"\n,Sweep floors\n",
        )
        .unwrap();
        let opts = ReadOptions {
            column: Some("text".into()),
            title_column: Some("job".into()),
        };
        let raws = read_inputs(&[d.path().to_path_buf(), csv], &opts).expect("read");
        let got: Vec<(&str, Option<&str>, &str)> = raws
            .iter()
            .map(|r| (r.source.as_str(), r.title.as_deref(), r.text.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("a.txt", None, "Installer\nInstall pumps."),
                ("b.md", None, "# Welder\nWeld pipes."),
                ("jobs.csv line 2", Some("Tech"), "Fix things.\nWell."),
                ("jobs.csv line 4", None, "Sweep floors"),
            ]
        );
    }

    #[test]
    fn a_csv_without_a_column_and_a_bad_title_are_refused() {
        let d = tempfile::tempdir().expect("tempdir");
        let csv = d.path().join("jobs.csv");
        std::fs::write(&csv, "job,text\nA\u{7}b,Install pumps\n").unwrap();
        let err = read_inputs(std::slice::from_ref(&csv), &ReadOptions::default()).unwrap_err();
        assert!(err.message.contains("--column"), "{err}");
        let opts = ReadOptions {
            column: Some("text".into()),
            title_column: Some("job".into()),
        };
        let err = read_inputs(&[csv], &opts).unwrap_err();
        assert!(err.to_string().contains("jobs.csv:2:1"), "{err}");
    }

    #[test]
    fn a_folder_of_more_text_than_a_workspace_holds_is_refused_while_reading() {
        let d = tempfile::tempdir().expect("tempdir");
        // 400 postings of 45,000 characters: 18 MB, over the 16 MiB a workspace may hold.
        let body = "Install heat pumps. ".repeat(2_250);
        for i in 0..400 {
            std::fs::write(
                d.path().join(format!("p{i:03}.txt")),
                format!("Job {i}\n{body}"),
            )
            .unwrap();
        }
        let err = read_inputs(&[d.path().to_path_buf()], &ReadOptions::default()).unwrap_err();
        assert!(err.message.contains("more than 16 MiB of text"), "{err}");
        // The file that went over is named; the files after it were not read.
        assert!(err.file.ends_with(".txt"), "{err}");
        assert!(!err.file.ends_with("p399.txt"), "{err}");
    }
}

//! The history view's state: the commits that touched the design's file, newest first, each
//! with a one-line summary of what it changed, and the whole difference of one commit.
//!
//! Reading the history runs `git log` and then a `git show` and a parse per version, which can
//! take seconds on a long history of a large design. So it runs on a thread of its own,
//! started when the view opens: the list appears as soon as `git log` answers, each summary as
//! soon as its two versions are read, and the session never waits ([`HistoryView::poll`]
//! takes what has arrived; both the local runner and the server's sessions call it through
//! `App::sync` while idle). At most [`DEFAULT_MAX`] commits are listed; closing the view stops
//! the thread at its next commit.

use std::path::Path;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::sync::{Arc, Mutex};

use crate::analysis::diff::{summary, to_text};
use crate::catalog::Catalog;
use crate::document::history::{self, Commits, DEFAULT_MAX, Unsaved};
use crate::store::git::Commit;

/// What the reading thread sends.
#[derive(Debug)]
enum Msg {
    Unsaved(Vec<Unsaved>),
    /// No history: why.
    Note(String),
    Commits(Vec<Commit>),
    /// What commit N changed, already in words (made on the reading thread).
    Change(usize, Change),
    Failed(String),
    Done,
}

/// Rows wrapped for (commit, width).
type Wrapped = (usize, usize, Arc<Vec<String>>);

/// What one listed commit changed, once read.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Not read yet.
    Reading,
    /// Its one-line summary and the whole difference, as text.
    Read { summary: String, text: String },
    /// Why its version (or the one before) cannot be read: a located error.
    Unreadable(String),
}

/// One listed commit.
#[derive(Debug, Clone)]
pub struct Row {
    pub commit: Commit,
    pub change: Change,
}

/// The history modal.
#[derive(Debug)]
pub struct HistoryView {
    /// The design's file name, as shown.
    pub file: String,
    /// Why there is no history (not a git repository, no git), once known.
    pub note: Option<String>,
    /// Why reading the history failed, if it did.
    pub error: Option<String>,
    /// The commits, newest first.
    pub rows: Vec<Row>,
    /// The journal's unsaved changes.
    pub unsaved: Vec<Unsaved>,
    /// The selected commit.
    pub sel: usize,
    /// The whole difference of the selected commit is shown, scrolled this many lines.
    pub detail: Option<usize>,
    /// Still reading.
    pub loading: bool,
    rx: Option<Receiver<Msg>>,
    /// The wrapped rows of the last difference shown: for (commit, width), so that drawing and
    /// scrolling a long difference wrap it once, not on every frame.
    wrapped: Mutex<Option<Wrapped>>,
}

impl HistoryView {
    /// The view of the file at `path`, nothing read yet: the host starts the reading with
    /// [`HistoryView::start_reading`] (update code does no I/O).
    pub fn waiting(path: &Path) -> HistoryView {
        HistoryView::empty(path)
    }

    /// Start reading the history of the file at `path` on a thread of its own (the host does
    /// this when it carries out the effect the view's opening asked for); the unsaved changes
    /// are named with `catalog`'s competencies.
    pub fn start_reading(&mut self, path: &Path, catalog: Option<Arc<Catalog>>) {
        let (tx, rx) = channel();
        let p = path.to_path_buf();
        let started = std::thread::Builder::new()
            .name("history".into())
            .spawn(move || read(&p, &tx, catalog.as_deref()));
        match started {
            Ok(_) => self.rx = Some(rx),
            Err(e) => {
                self.error = Some(format!("cannot start reading the history: {e}"));
                self.loading = false;
            }
        }
    }

    /// A view with nothing read yet and no reader.
    fn empty(path: &Path) -> HistoryView {
        HistoryView {
            file: path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            note: None,
            error: None,
            rows: Vec::new(),
            unsaved: Vec::new(),
            sel: 0,
            detail: None,
            loading: true,
            rx: None,
            wrapped: Mutex::new(None),
        }
    }

    /// Read the whole history now, on this thread (tests and benchmarks).
    pub fn read_now(path: &Path) -> HistoryView {
        let (tx, rx) = channel();
        read(path, &tx, None);
        let mut v = HistoryView::empty(path);
        v.rx = Some(rx);
        v.poll();
        v
    }

    /// Take what the reading thread has sent since; true when anything changed.
    pub fn poll(&mut self) -> bool {
        let Some(rx) = &self.rx else {
            return false;
        };
        let mut changed = false;
        let mut msgs = Vec::new();
        loop {
            match rx.try_recv() {
                Ok(m) => msgs.push(m),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    self.rx = None;
                    if self.loading {
                        self.loading = false;
                        changed = true;
                    }
                    break;
                }
            }
        }
        for m in msgs {
            changed = true;
            self.take(m);
        }
        changed
    }

    fn take(&mut self, m: Msg) {
        match m {
            Msg::Unsaved(u) => self.unsaved = u,
            Msg::Note(n) => self.note = Some(n),
            Msg::Commits(c) => {
                self.rows = c
                    .into_iter()
                    .map(|commit| Row {
                        commit,
                        change: Change::Reading,
                    })
                    .collect();
            }
            Msg::Change(i, c) => {
                if let Some(r) = self.rows.get_mut(i) {
                    r.change = c;
                }
                *self.wrapped.lock().unwrap_or_else(|p| p.into_inner()) = None;
            }
            Msg::Failed(e) => self.error = Some(e),
            Msg::Done => self.loading = false,
        }
    }

    /// [`HistoryView::detail_lines`] wrapped to `width` columns, each continuation indented
    /// under its line's text.
    pub fn detail_rows(&self, width: usize) -> Arc<Vec<String>> {
        let width = width.max(8);
        let mut cache = self.wrapped.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((sel, w, rows)) = cache.as_ref() {
            if (*sel, *w) == (self.sel, width) {
                return rows.clone();
            }
        }
        let rows = Arc::new(self.wrap_detail(width));
        *cache = Some((self.sel, width, rows.clone()));
        rows
    }

    fn wrap_detail(&self, width: usize) -> Vec<String> {
        let mut out = Vec::new();
        for line in self.detail_lines() {
            let text = line.trim_start();
            let ind = (line.len() - text.len()).min(width / 2);
            if text.is_empty() {
                out.push(String::new());
                continue;
            }
            let first = width - ind;
            let rest = first.saturating_sub(4).max(4);
            for (i, row) in crate::tui::wrap::hanging(text, first, rest, usize::MAX)
                .into_iter()
                .enumerate()
            {
                let pad = if i == 0 { ind } else { ind + 4 };
                out.push(format!("{}{row}", " ".repeat(pad)));
            }
        }
        out
    }

    /// The lines of the whole difference of the selected commit: who, when, the message, the
    /// summary and every change.
    pub fn detail_lines(&self) -> Vec<String> {
        let Some(r) = self.rows.get(self.sel) else {
            return Vec::new();
        };
        let c = &r.commit;
        let who = if c.email.is_empty() {
            c.author.clone()
        } else {
            format!("{} <{}>", c.author, c.email)
        };
        let mut out = vec![
            format!("commit {}", c.hash),
            format!("Author: {who}"),
            format!("Date: {}", c.date),
            String::new(),
        ];
        out.extend(c.message.lines().map(|l| format!("    {l}")));
        out.push(String::new());
        match &r.change {
            Change::Reading => out.push("Reading this version…".into()),
            Change::Read { summary, text } => {
                out.push(summary.clone());
                out.push(String::new());
                out.extend(text.lines().map(str::to_string));
            }
            Change::Unreadable(e) => {
                out.push("This version cannot be read:".into());
                out.extend(e.lines().map(str::to_string));
            }
        }
        out
    }
}

/// The width of the text in the history view on a screen `screen_width` columns wide (the
/// view's box is at most 110 columns, 4 less than the screen, with its borders).
pub fn text_width(screen_width: u16) -> usize {
    (screen_width.saturating_sub(4).min(110) as usize).saturating_sub(2)
}

/// Read the history of `path` and send it piece by piece; stop when nobody listens.
fn read(path: &Path, tx: &Sender<Msg>, catalog: Option<&Catalog>) {
    let unsaved = history::unsaved(path, catalog).unwrap_or_default();
    if tx.send(Msg::Unsaved(unsaved)).is_err() {
        return;
    }
    let name = path.display();
    match history::commits(path, DEFAULT_MAX, false) {
        Ok(Commits::NoRepository) => {
            let _ = tx.send(Msg::Note(format!(
                "{name} is not in a git repository, so it has no history; below are the changes not saved yet"
            )));
        }
        Ok(Commits::NoGit(why)) => {
            let _ = tx.send(Msg::Note(format!(
                "{why}; without git there is no history; below are the changes not saved yet"
            )));
        }
        Ok(Commits::Found { commits, shown }) => {
            let listed = commits[..shown].to_vec();
            if tx.send(Msg::Commits(listed)).is_err() {
                return;
            }
            history::changes(path, &commits, shown, |i, c| {
                let c = match c {
                    Ok(d) => Change::Read {
                        summary: summary(&d),
                        text: to_text(&d),
                    },
                    Err(e) => Change::Unreadable(e),
                };
                tx.send(Msg::Change(i, c)).is_ok()
            });
        }
        Err(e) => {
            let _ = tx.send(Msg::Failed(e));
        }
    }
    let _ = tx.send(Msg::Done);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_of_a_difference_is_wrapped_under_its_text_and_nothing_is_lost() {
        let mut v = HistoryView::empty(Path::new("w.yaml"));
        let commit = Commit {
            hash: "0123456789abcdef".into(),
            author: "Ann".into(),
            email: String::new(),
            date: "2026-01-01T00:00:00Z".into(),
            message: "Add".into(),
            path: "w.yaml".into(),
        };
        v.take(Msg::Commits(vec![commit]));
        let long = "  + N1: ".to_string() + &"word ".repeat(30);
        v.take(Msg::Change(
            0,
            Change::Read {
                summary: "+1 need".into(),
                text: format!("Needs\n{long}\n"),
            },
        ));
        let rows = v.detail_rows(40);
        assert!(
            rows.iter().all(|r| crate::tui::wrap::width(r) <= 40),
            "{rows:#?}"
        );
        let words: usize = rows.iter().map(|r| r.matches("word").count()).sum();
        assert_eq!(words, 30);
        let first = rows.iter().position(|r| r.starts_with("  + N1:")).unwrap();
        assert!(rows[first + 1].starts_with("      word"), "{rows:#?}");
        assert_eq!(v.detail_lines()[0], "commit 0123456789abcdef");
    }
}

//! `serve --commit`: the design file is committed to its git repository after it is saved, at
//! most once per interval (a minute unless `--commit-every` says otherwise) and once more when
//! the server stops. The message lists the changes, in words, and the people who made them:
//! the one who made most is the author, the others are `Co-authored-by:` lines (with the email
//! PEOPLE.yaml gives, else an empty `<>`). The committer is the repository's own identity (whoever
//! runs the server). Only the design file is committed (`git commit --only -- FILE`): anything
//! else staged stays staged. Nothing is ever pushed.
//!
//! Git runs on a blocking thread of the runtime, off every session: no editor waits on it.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;

use super::Shared;
use crate::document::activity::Activity;
use crate::store::git;

/// How many changes a commit message lists one by one (the rest are counted).
pub const MAX_LISTED: usize = 100;

/// One change for the message: who made it and what it did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub who: String,
    pub what: String,
}

impl From<&Activity> for Change {
    fn from(a: &Activity) -> Change {
        Change {
            who: a.who.clone(),
            what: a.what.clone(),
        }
    }
}

/// Why the server cannot commit the file, found at start.
pub fn check(path: &Path) -> Result<String, String> {
    let name = path.display();
    match git::tracking(path) {
        git::Tracking::NoGit(why) => return Err(format!("--commit needs git: {why}")),
        git::Tracking::NoRepository => {
            return Err(format!(
                "--commit: {name} is not in a git repository; run `git init` in its folder (or serve without --commit)"
            ));
        }
        git::Tracking::Repository(_) => {}
    }
    let committer = git::committer(path).map_err(|e| {
        format!(
            "--commit: git has no identity to commit as ({e}); set it with `git config user.name` and `git config user.email`"
        )
    })?;
    match git::uncommitted(path)? {
        Some(st) if !st.starts_with("??") => Err(format!(
            "--commit: {name} has changes git has not committed ({st}); commit or stash them first, so that the server's commits hold only changes made through it"
        )),
        Some(_) => Ok(format!(
            "{name} is not tracked by git yet; the first commit adds it; committing as {committer}"
        )),
        None => Ok(format!("committing as {committer}")),
    }
}

/// Make a name safe for a `Name <email>` line: one line, no angle brackets.
fn clean_name(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '<' | '>') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.is_empty() { "someone".into() } else { s }
}

/// `Name <email>` for a person (an empty `<>` when no email is known).
pub fn ident(name: &str, email: Option<&str>) -> String {
    format!("{} <{}>", clean_name(name), email.unwrap_or(""))
}

/// The people who made `changes`: the one with most first (ties: who changed first), then the
/// others in the order of their first change.
pub fn people(changes: &[Change]) -> Vec<String> {
    let mut order: Vec<(String, usize, usize)> = Vec::new();
    for (i, c) in changes.iter().enumerate() {
        match order.iter_mut().find(|(n, _, _)| *n == c.who) {
            Some(e) => e.1 += 1,
            None => order.push((c.who.clone(), 1, i)),
        }
    }
    let mut by_count = order.clone();
    by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    let Some(author) = by_count.first().map(|a| a.0.clone()) else {
        return Vec::new();
    };
    let mut out = vec![author.clone()];
    out.extend(order.into_iter().map(|o| o.0).filter(|n| *n != author));
    out
}

/// The commit message and the author for `changes` to the file named `file`; `email` gives a
/// person's address.
pub fn message(
    file: &str,
    changes: &[Change],
    email: &dyn Fn(&str) -> Option<String>,
) -> (String, String) {
    let who = people(changes);
    let n = changes.len();
    let names = match who.len() {
        0 => "the server".to_string(),
        1 => clean_name(&who[0]),
        k => format!(
            "{} and {}",
            who[..k - 1]
                .iter()
                .map(|w| clean_name(w))
                .collect::<Vec<_>>()
                .join(", "),
            clean_name(&who[k - 1])
        ),
    };
    let what = match n {
        0 => "saved".to_string(),
        1 => "1 change".to_string(),
        n => format!("{n} changes"),
    };
    let mut msg = format!("{file}: {what} by {names}\n\n");
    for c in changes.iter().take(MAX_LISTED) {
        let line = format!("- {}: {}", clean_name(&c.who), c.what.replace('\n', " "));
        msg.push_str(&line);
        msg.push('\n');
    }
    if n > MAX_LISTED {
        msg.push_str(&format!("- … and {} more change(s)\n", n - MAX_LISTED));
    }
    if n == 0 {
        msg.push_str("Saved by microcred serve.\n");
    }
    let author = who.first().map_or_else(
        || "microcred serve <>".to_string(),
        |a| ident(a, email(a).as_deref()),
    );
    let co: Vec<String> = who
        .iter()
        .skip(1)
        .map(|w| format!("Co-authored-by: {}", ident(w, email(w).as_deref())))
        .collect();
    if !co.is_empty() {
        msg.push('\n');
        msg.push_str(&co.join("\n"));
        msg.push('\n');
    }
    (msg, author)
}

/// The committing state of a server.
pub struct Committer {
    path: PathBuf,
    /// Changes waiting for the next commit that the activity log does not hold (recovered
    /// from a journal at start).
    pending: std::sync::Mutex<Vec<Change>>,
    /// The newest activity item already in a commit; one commit at a time.
    last: Mutex<u64>,
}

impl Committer {
    /// Commit `path`, starting after the activity item `seen`, with `recovered` changes first.
    pub fn new(path: PathBuf, seen: u64, recovered: Vec<Change>) -> Arc<Committer> {
        Arc::new(Committer {
            path,
            pending: std::sync::Mutex::new(recovered),
            last: Mutex::new(seen),
        })
    }

    /// Save, then commit the file if it changed since the last commit. Returns the new commit's
    /// hash, `None` when there was nothing to commit.
    pub async fn commit_now(&self, shared: &Arc<Shared>) -> Result<Option<String>, String> {
        let mut last = self.last.lock().await;
        // Every change up to `upto` is in the file once the save below is done.
        let upto = shared.hub.activity_last();
        super::save_now(shared).await?;
        let mut changes: Vec<Change> =
            std::mem::take(&mut *self.pending.lock().unwrap_or_else(|p| p.into_inner()));
        let skipped = upto.saturating_sub(*last);
        let items: Vec<Activity> = shared
            .hub
            .activity_since(*last)
            .into_iter()
            .filter(|a| a.seq <= upto)
            .collect();
        // The activity log is bounded: changes that fell out of it are counted, not named.
        let lost = skipped.saturating_sub(items.len() as u64);
        let recovered = changes.len();
        changes.extend(items.iter().map(Change::from));
        let file = self
            .path
            .file_name()
            .map_or_else(|| "design".into(), |n| n.to_string_lossy().into_owned());
        let email = |name: &str| shared.people.email(name).map(str::to_string);
        let (mut msg, author) = message(&file, &changes, &email);
        if lost > 0 {
            msg = msg.replacen(
                "\n\n",
                &format!("\n\n({lost} earlier change(s) are no longer in the activity log.)\n"),
                1,
            );
        }
        let path = self.path.clone();
        let r = tokio::task::spawn_blocking(move || git::commit_file(&path, &msg, &author))
            .await
            .map_err(|_| "the commit task failed".to_string())?;
        match &r {
            Ok(_) => *last = upto,
            Err(_) => {
                // Keep the recovered changes for the next try (the others are read from the
                // activity log again, as `last` stays where it was).
                let mut p = self.pending.lock().unwrap_or_else(|p| p.into_inner());
                changes.truncate(recovered);
                changes.append(&mut p);
                *p = changes;
            }
        }
        r
    }
}

/// Commit after changes until the server stops: a change opens a window of `every`, changes
/// in it join the same commit, made when it ends; so commits are at least `every` apart.
pub async fn run(shared: Arc<Shared>, committer: Arc<Committer>, every: Duration) {
    let mut v = shared.version.subscribe();
    let mut stop = shared.shutdown.subscribe();
    loop {
        tokio::select! {
            r = v.changed() => if r.is_err() { return },
            _ = stop.changed() => return,
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => return,
        }
        v.borrow_and_update();
        report(&shared, committer.commit_now(&shared).await);
    }
}

/// Say on stderr what a commit did.
pub fn report(shared: &Shared, r: Result<Option<String>, String>) {
    match r {
        Ok(Some(h)) => shared.log(&format!("committed {}", git::short(&h))),
        Ok(None) => {}
        Err(e) => shared.log(&format!("cannot commit: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(who: &str, what: &str) -> Change {
        Change {
            who: who.into(),
            what: what.into(),
        }
    }

    #[test]
    fn the_one_with_most_changes_is_the_author_and_the_others_co_authors() {
        let changes = [
            ch("Bo", "agreed N1 → x:1"),
            ch("Ann", "added need N2"),
            ch("Ann", "added need N3"),
            ch("Cy <evil>\nX", "commented on N1"),
        ];
        let email = |n: &str| (n == "Ann").then(|| "ann@college.example".to_string());
        let (msg, author) = message("w.yaml", &changes, &email);
        assert_eq!(author, "Ann <ann@college.example>");
        assert!(
            msg.starts_with(
                "w.yaml: 4 changes by Ann, Bo and Cy evil X\n\n- Bo: agreed N1 → x:1\n"
            ),
            "{msg}"
        );
        assert!(
            msg.ends_with("\nCo-authored-by: Bo <>\nCo-authored-by: Cy evil X <>\n"),
            "{msg}"
        );
    }

    #[test]
    fn long_lists_are_cut() {
        let changes: Vec<Change> = (0..MAX_LISTED + 5)
            .map(|i| ch("Ann", &format!("added need N{i}")))
            .collect();
        let (msg, _) = message("w.yaml", &changes, &|_| None);
        assert!(msg.contains("- … and 5 more change(s)\n"), "{msg}");
        assert!(!msg.contains("Co-authored-by"), "{msg}");
    }
}

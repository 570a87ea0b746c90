//! The `git` command, for one file: its versions (`git show REV:./NAME`), the commits that
//! touched it (`git log --follow`), whether it has changes not committed, and committing it
//! alone. Every read of git's output is bounded; nothing here knows what the file means. No
//! git library: the `git` on PATH is run, as lazygit does, with settings that keep it from
//! running any command the repository's own configuration names (hooks, fsmonitor, filters,
//! signature checks, pagers, external diffs: see [`SAFE`]).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::limits::WORKSPACE_FILE_BYTES;

/// Most bytes of `git log` output read (the messages of the commits asked for).
const MAX_LOG_BYTES: u64 = 16 * 1024 * 1024;
/// Most bytes of git's error output kept for a message.
const MAX_ERR_BYTES: u64 = 64 * 1024;

/// The folder a file is in ("." for a bare name) and its name.
fn split(path: &Path) -> Result<(&Path, String), String> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .ok_or_else(|| format!("{}: not a file name", path.display()))?;
    Ok((dir, name.to_string_lossy().into_owned()))
}

/// What running git gave: success, standard output (at most `limit` bytes, `None` when there
/// was more) and the start of its error output.
struct Output {
    ok: bool,
    out: Option<Vec<u8>>,
    err: String,
}

/// Settings given on every git command line, so that git runs nothing a repository's own
/// configuration names (a repository may come from anyone: a clone, a shared folder, an
/// archive). Settings on the command line win over every configuration file.
const SAFE: &[&str] = &[
    "--no-pager",
    // `git status` would run the fsmonitor hook and `post-index-change`; `git commit` its hooks.
    "-c",
    "core.fsmonitor=false",
    "-c",
    "core.hooksPath=/dev/null",
    // `git log` would verify a `gpgsig` header with gpg.program; a commit would sign.
    "-c",
    "log.showSignature=false",
    "-c",
    "commit.gpgSign=false",
    "-c",
    "gpg.program=",
    "-c",
    "gpg.ssh.program=",
    "-c",
    "gpg.x509.program=",
    "-c",
    "core.pager=cat",
    "-c",
    "diff.external=",
    "-c",
    "core.editor=:",
    // No transport at all (a partial clone would fetch a missing object, with core.sshCommand).
    "-c",
    "protocol.allow=never",
    "-c",
    "core.sshCommand=",
    // A commit would start `git maintenance` or `git gc` in the background.
    "-c",
    "gc.auto=0",
    "-c",
    "maintenance.auto=false",
];

/// Run `git -C dir ARGS…` with its output bounded by `limit` bytes; `Err` when git could not
/// be run at all. Runs with [`SAFE`] and with every filter, diff and merge driver the
/// repository's own configuration defines switched off ([`driver_overrides`]).
fn run(dir: &Path, args: &[&str], limit: u64, env: &[(&str, &str)]) -> Result<Output, String> {
    let overrides = driver_overrides(dir)?;
    run_plain(dir, &overrides, args, limit, env)
}

/// The commands of the filter (`clean`, `smudge`, `process`), diff (`textconv`, `command`)
/// and merge (`driver`) drivers set in the repository's own configuration (local or worktree
/// scope, includes too), each as `-c KEY=` that switches it off. The user's own (global,
/// system) drivers, such as git-lfs, are left as they are.
fn driver_overrides(dir: &Path) -> Result<Vec<String>, String> {
    let o = run_plain(
        dir,
        &[],
        &[
            "config",
            "--show-scope",
            "--name-only",
            "--get-regexp",
            r"^(filter|diff|merge)\..*\.(clean|smudge|process|textconv|command|driver)$",
        ],
        MAX_ERR_BYTES,
        &[],
    )?;
    // Exit 1 means no such key; anything else (no repository) means nothing to switch off.
    let text = String::from_utf8_lossy(o.out.as_deref().unwrap_or_default()).into_owned();
    let mut out = Vec::new();
    for line in text.lines() {
        if let Some((scope, key)) = line.split_once('\t')
            && !matches!(scope, "global" | "system")
        {
            out.push("-c".to_string());
            out.push(format!("{key}="));
        }
    }
    Ok(out)
}

/// [`run`] with `extra` settings and no look at the repository's drivers.
fn run_plain(
    dir: &Path,
    extra: &[String],
    args: &[&str],
    limit: u64,
    env: &[(&str, &str)],
) -> Result<Output, String> {
    let mut cmd = Command::new("git");
    cmd.args(SAFE).args(extra).arg("-C").arg(dir).args(args);
    // A missing object of a partial clone is not fetched; no prompt for a password.
    cmd.env("GIT_NO_LAZY_FETCH", "1")
        .env("GIT_TERMINAL_PROMPT", "0");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("git could not be run ({e}); is git installed and on PATH?"))?;
    // Error output is read on a thread of its own so that a child writing much of both never
    // waits on a pipe nobody reads.
    let err_pipe = child.stderr.take();
    let err_reader = std::thread::spawn(move || {
        let mut err = String::new();
        if let Some(e) = err_pipe {
            let mut bytes = Vec::new();
            let mut e = e.take(MAX_ERR_BYTES);
            let _ = e.read_to_end(&mut bytes);
            // Drain the rest so git is not stopped by a full pipe.
            let _ = std::io::copy(&mut e.into_inner(), &mut std::io::sink());
            err = String::from_utf8_lossy(&bytes).into_owned();
        }
        err
    });
    let mut out = Vec::new();
    let mut over = false;
    if let Some(stdout) = child.stdout.take() {
        let mut s = stdout.take(limit + 1);
        s.read_to_end(&mut out)
            .map_err(|e| format!("reading git's output: {e}"))?;
        if out.len() as u64 > limit {
            over = true;
            let _ = child.kill();
        }
    }
    let status = child.wait().map_err(|e| format!("waiting for git: {e}"))?;
    let err = err_reader.join().unwrap_or_default();
    Ok(Output {
        ok: status.success() || over,
        out: (!over).then_some(out),
        err: err.trim().to_string(),
    })
}

/// The text of the file at `path` as it was at revision `rev` (`git show REV:./NAME`, run in
/// the file's folder), bounded by the workspace size limit.
pub fn show(path: &Path, rev: &str) -> Result<String, String> {
    let (dir, name) = split(path)?;
    show_in(
        dir,
        rev,
        &format!("./{name}"),
        &format!("{}@{rev}", path.display()),
    )
}

/// The text of `file` (`./NAME` from `dir`, or a path from the repository's root) at `rev`.
fn show_in(dir: &Path, rev: &str, file: &str, shown: &str) -> Result<String, String> {
    if rev.starts_with('-') {
        return Err(format!("`{rev}` is not a revision"));
    }
    let spec = format!("{rev}:{file}");
    let o = run(
        dir,
        &["show", "--no-textconv", &spec],
        WORKSPACE_FILE_BYTES,
        &[],
    )?;
    let Some(out) = o.out else {
        return Err(format!(
            "{shown} is over {} MiB, more than a workspace may be",
            WORKSPACE_FILE_BYTES / 1_048_576
        ));
    };
    if !o.ok {
        return Err(format!("git show {spec} in {}: {}", dir.display(), o.err));
    }
    String::from_utf8(out).map_err(|_| format!("{shown} is not UTF-8 text"))
}

/// One commit that touched a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// The full hash.
    pub hash: String,
    pub author: String,
    pub email: String,
    /// The author date, ISO 8601 as git writes it (`%aI`).
    pub date: String,
    /// The whole message, without trailing blank lines.
    pub message: String,
    /// The file's path at this commit, from the repository's root (it differs from today's
    /// when the file was renamed since).
    pub path: String,
}

impl Commit {
    /// The first line of the message.
    pub fn subject(&self) -> &str {
        self.message.lines().next().unwrap_or("")
    }

    /// The file as it was at this commit.
    pub fn text(&self, file: &Path) -> Result<String, String> {
        let (dir, _) = split(file)?;
        let shown = format!("{}@{}", self.path, short(&self.hash));
        show_in(dir, &self.hash, &self.path, &shown)
    }
}

/// The first 8 characters of a hash.
pub fn short(hash: &str) -> &str {
    hash.get(..8).unwrap_or(hash)
}

/// Where a file stands with git.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tracking {
    /// git cannot be run (not installed, not on PATH): why.
    NoGit(String),
    /// The file's folder is not in a git repository.
    NoRepository,
    /// In the repository whose work tree is at this path.
    Repository(PathBuf),
}

/// Is the file at `path` in a git repository (its folder must exist)?
pub fn tracking(path: &Path) -> Tracking {
    let Ok((dir, _)) = split(path) else {
        return Tracking::NoRepository;
    };
    match run(dir, &["rev-parse", "--show-toplevel"], 64 * 1024, &[]) {
        Err(e) => Tracking::NoGit(e),
        Ok(Output {
            ok: true,
            out: Some(out),
            ..
        }) => Tracking::Repository(PathBuf::from(String::from_utf8_lossy(&out).trim())),
        Ok(_) => Tracking::NoRepository,
    }
}

/// Field and record separators in the `git log` format (never in names, dates or hashes; a
/// message holding them is cut there).
const FIELD: char = '\u{1f}';
const RECORD: char = '\u{1e}';

/// The commits that touched the file at `path`, newest first, following renames, at most
/// `max` of them, from `HEAD` (or from every branch with `all`).
pub fn log(path: &Path, max: usize, all: bool) -> Result<Vec<Commit>, String> {
    let (dir, name) = split(path)?;
    let n = format!("-n{max}");
    let file = format!("./{name}");
    // Names as they are (not quoted octal escapes), to read each version by its name.
    let mut args = vec![
        "-c",
        "core.quotePath=false",
        "log",
        "--follow",
        "--no-color",
        "--no-show-signature",
        "--no-ext-diff",
        "--no-textconv",
        "--name-only",
        "--format=%x1e%H%x1f%an%x1f%ae%x1f%aI%x1f%B%x1f",
        &n,
    ];
    if all {
        args.push("--all");
    }
    args.extend(["--", &file]);
    let o = run(dir, &args, MAX_LOG_BYTES, &[])?;
    let Some(out) = o.out else {
        return Err(format!(
            "git log of {} is over {} MiB; ask for fewer commits",
            path.display(),
            MAX_LOG_BYTES / 1_048_576
        ));
    };
    if !o.ok {
        // A repository without a commit yet has no history: that is no error.
        if o.err.contains("does not have any commits") || o.err.contains("bad default revision") {
            return Ok(Vec::new());
        }
        return Err(format!("git log in {}: {}", dir.display(), o.err));
    }
    Ok(parse_log(&String::from_utf8_lossy(&out)))
}

/// Parse the output of [`log`]'s format.
fn parse_log(text: &str) -> Vec<Commit> {
    text.split(RECORD)
        .filter(|r| !r.trim().is_empty())
        .filter_map(|r| {
            let f: Vec<&str> = r.split(FIELD).collect();
            if f.len() < 6 {
                return None;
            }
            let path = f[5].lines().find(|l| !l.trim().is_empty())?.to_string();
            Some(Commit {
                hash: f[0].trim().to_string(),
                author: f[1].to_string(),
                email: f[2].to_string(),
                date: f[3].to_string(),
                message: f[4].trim_end().to_string(),
                path,
            })
        })
        .collect()
}

/// Has the file at `path` changes git has not committed (in the index or the work tree), or
/// is it not tracked? `Ok(None)` when it is clean, else what `git status` says of it.
pub fn uncommitted(path: &Path) -> Result<Option<String>, String> {
    let (dir, name) = split(path)?;
    let file = format!("./{name}");
    let o = run(
        dir,
        &["status", "--porcelain", "--no-renames", "--", &file],
        64 * 1024,
        &[],
    )?;
    if !o.ok {
        return Err(format!("git status in {}: {}", dir.display(), o.err));
    }
    let out = String::from_utf8_lossy(&o.out.unwrap_or_default())
        .trim()
        .to_string();
    Ok((!out.is_empty()).then_some(out))
}

/// The person's name as git knows it in `dir` (`git config user.name`), if one is set.
pub fn user_name(dir: &Path) -> Option<String> {
    // Reading a setting runs no filter or driver: no need to look for the repository's own
    // (a second git process, tens of milliseconds of the editor's start).
    let o = run_plain(dir, &[], &["config", "--get", "user.name"], 4096, &[]).ok()?;
    let name = String::from_utf8_lossy(&o.out?).trim().to_string();
    (o.ok && !name.is_empty()).then_some(name)
}

/// Can git make a commit here: `Err` with git's words when no committer name and email are
/// set (`user.name`, `user.email`).
pub fn committer(path: &Path) -> Result<String, String> {
    let (dir, _) = split(path)?;
    let o = run(dir, &["var", "GIT_COMMITTER_IDENT"], 64 * 1024, &[])?;
    if !o.ok {
        return Err(o.err);
    }
    // `Name <email> TIMESTAMP ZONE`: the identity is up to the `>`.
    let ident = String::from_utf8_lossy(&o.out.unwrap_or_default()).into_owned();
    Ok(match ident.rfind('>') {
        Some(end) => ident[..=end].to_string(),
        None => ident.trim().to_string(),
    })
}

/// Commit the file at `path`, and nothing else, with `message` and `author` (`Name <email>`):
/// the file is added (it may be new) and committed alone (`git commit --only -- FILE`), so
/// whatever else is staged stays staged and uncommitted. Returns the new commit's hash, or
/// `Ok(None)` when the file had no change to commit. Never pushes.
pub fn commit_file(path: &Path, message: &str, author: &str) -> Result<Option<String>, String> {
    let (dir, name) = split(path)?;
    let file = format!("./{name}");
    if uncommitted(path)?.is_none() {
        return Ok(None);
    }
    let add = run(dir, &["add", "--", &file], 64 * 1024, &[])?;
    if !add.ok {
        return Err(format!("git add {file} in {}: {}", dir.display(), add.err));
    }
    let author_arg = format!("--author={author}");
    commit_with_message_file(dir, &file, message, &author_arg)
}

fn commit_with_message_file(
    dir: &Path,
    file: &str,
    message: &str,
    author_arg: &str,
) -> Result<Option<String>, String> {
    let tmp = message_file(message)?;
    let msg_path = tmp.display().to_string();
    let c = run(
        dir,
        &[
            "commit",
            "--quiet",
            "--no-edit",
            "--no-verify",
            "--no-gpg-sign",
            author_arg,
            "--cleanup=strip",
            "-F",
            &msg_path,
            "--only",
            "--",
            file,
        ],
        64 * 1024,
        &[],
    );
    let _ = std::fs::remove_file(&tmp);
    let c = c?;
    if !c.ok {
        return Err(format!("git commit {file} in {}: {}", dir.display(), c.err));
    }
    let h = run(dir, &["rev-parse", "HEAD"], 1024, &[])?;
    Ok(Some(
        String::from_utf8_lossy(&h.out.unwrap_or_default())
            .trim()
            .to_string(),
    ))
}

/// Write `message` to a new file in the system's temporary folder, for `git commit -F`.
fn message_file(message: &str) -> Result<PathBuf, String> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let path = std::env::temp_dir().join(format!(
        "microcred-commit-{}-{stamp}.txt",
        std::process::id()
    ));
    super::create_new(&path, message.as_bytes()).map_err(|e| e.to_string())?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_log_is_parsed_with_renames_and_many_line_messages() {
        let text = "\u{1e}abc\u{1f}Ann\u{1f}ann@x\u{1f}2026-01-01T00:00:00Z\u{1f}First line\n\nBody\n\u{1f}\n\nnew.yaml\n\u{1e}def\u{1f}Bo\u{1f}\u{1f}2025-01-01T00:00:00Z\u{1f}Old\n\u{1f}\n\nold.yaml\n";
        let c = parse_log(text);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].subject(), "First line");
        assert_eq!(c[0].message, "First line\n\nBody");
        assert_eq!(c[0].path, "new.yaml");
        assert_eq!(c[1].path, "old.yaml");
        assert_eq!(c[1].email, "");
    }
}

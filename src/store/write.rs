//! Writing files without losing or clobbering anything.
//!
//! - [`write_atomic`] writes a file a user named (a workspace being saved): the
//!   new content appears whole or not at all, a symbolic link is kept (the write goes through
//!   to its target), hard links, mode and owner are kept, and a path that is not a regular
//!   file (a FIFO, a device such as `/dev/full`, a socket) is written to directly, never
//!   replaced.
//! - [`write_output`] writes an output we make (an export, an imported framework): never
//!   through a symbolic link, into a file with other hard links, or into a special file.
//! - [`create_new`] writes a file of our own under a name that must not exist yet (conflict
//!   copies): it never replaces anything, a planted symbolic link included.
//! - [`open_own`] opens a file of our own for appending (journals, locks): never through a
//!   symbolic link, never a file with other hard links, never anything but a regular file.
//!
//! Temporary files have unpredictable names and are created with `O_EXCL`.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Ending of the temporary files a save makes beside its target.
const TEMP_SUFFIX: &str = ".microcred-tmp";

/// The mode of a new file a user named (an export, a workspace, a conflict copy).
const NEW_MODE: u32 = 0o644;

/// Most symbolic links followed from a path to its target (as the kernel's own limit).
const MAX_LINKS: usize = 40;

/// An I/O error that names the file it is about.
pub fn with_path(path: &Path, e: io::Error) -> io::Error {
    let kind = e.kind();
    let text = e.to_string();
    let name = path.display().to_string();
    if text.contains(&name) {
        return e;
    }
    io::Error::new(kind, format!("{name}: {text}"))
}

/// The folder a path is in (`.` for a bare name).
pub fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Follow symbolic links from `path` to the file they finally name (which may not exist yet).
pub(crate) fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = fs::read_link(&p)?;
                p = if target.is_absolute() {
                    target
                } else {
                    parent_dir(&p).join(target)
                };
            }
            _ => return Ok(p),
        }
    }
    Err(io::Error::other(format!(
        "{}: too many levels of symbolic links",
        path.display()
    )))
}

/// Write `bytes` to the file at `path` as a user expects of a careful editor (see the module
/// documentation). The error names the file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let target = resolve_links(path).map_err(|e| with_path(path, e))?;
    write_resolved(&target, bytes).map_err(|e| with_path(&target, e))
}

fn write_resolved(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let meta = match fs::symlink_metadata(target) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    match meta {
        None => replace(target, bytes, None, NEW_MODE).map_err(io::Error::from),
        Some(m) if m.is_dir() => Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "this is a folder, not a file",
        )),
        Some(m) if !m.is_file() => write_special(target, bytes),
        // Several names for one file: replacing this name would split them; vim writes
        // such a file in place too.
        Some(m) if m.nlink() > 1 => write_in_place(target, bytes),
        Some(m) => match replace(target, bytes, Some(&m), NEW_MODE) {
            // The file may be writable where its folder is not, and a new file may not be
            // given the old one's owner: then it is written in place.
            Err(Beside::NotHere(_)) => write_in_place(target, bytes),
            r => r.map_err(io::Error::from),
        },
    }
}

/// Write an output we make (an export, an imported framework) to `path`: a new file, or a
/// regular file of one name replaced atomically (its mode kept). Never through a symbolic link,
/// never into a file with other hard links, never into a FIFO, device or socket: such a path is
/// refused by [`check_output`] and nothing is written. A name swapped for a link between the
/// check and the write is replaced, not followed (the new file is renamed over the name).
pub fn write_output(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let meta = check_output(path)?;
    match replace(path, bytes, meta.as_ref(), NEW_MODE) {
        Ok(()) => Ok(()),
        // A folder that takes no new file: the existing file (one name, regular) in place.
        Err(Beside::NotHere(_)) if meta.is_some() => {
            output_in_place(path, bytes).map_err(|e| with_path(path, e))
        }
        Err(e) => Err(with_path(path, e.into())),
    }
}

/// Why `path` may not take an output (see [`write_output`]); its metadata when it exists.
pub fn check_output(path: &Path) -> io::Result<Option<fs::Metadata>> {
    let m = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(with_path(path, e)),
    };
    let name = path.display();
    let refuse = |why: String| Err(io::Error::other(why));
    if m.file_type().is_symlink() {
        let to =
            fs::read_link(path).map_or_else(|_| "elsewhere".into(), |t| t.display().to_string());
        return refuse(format!(
            "{name}: is a symbolic link to {to}; microcred never writes an output through a \
             link (it would change that file): remove the link, or choose another file name"
        ));
    }
    if m.is_dir() {
        return refuse(format!(
            "{name}: is a folder, not a file; choose a file name"
        ));
    }
    if !m.is_file() {
        return refuse(format!(
            "{name}: is not a regular file (a FIFO, device or socket); microcred writes outputs \
             only to regular files: give `-o -` to write to standard output, or choose another \
             file name"
        ));
    }
    if m.nlink() > 1 {
        return refuse(format!(
            "{name}: has {} hard links; microcred never writes an output into a file with other \
             names (it would change them too): remove this name, or choose another file name",
            m.nlink()
        ));
    }
    Ok(Some(m))
}

/// [`write_output`] where no new file can be made: the file itself, opened without following a
/// link and checked again once open.
fn output_in_place(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)?;
    let m = f.metadata()?;
    if !m.is_file() || m.nlink() > 1 {
        check_output(path)?;
        return Err(io::Error::other(
            "the file changed while it was written; try again",
        ));
    }
    f.write_all(bytes)?;
    f.set_len(bytes.len() as u64)?;
    f.sync_all()
}

/// Why a new file could not be made beside a target.
enum Beside {
    /// The folder takes no new file, or the new file cannot have the old one's owner: write
    /// the target in place instead.
    NotHere(io::Error),
    /// Anything else.
    Failed(io::Error),
}

impl From<io::Error> for Beside {
    fn from(e: io::Error) -> Self {
        Beside::Failed(e)
    }
}

impl From<Beside> for io::Error {
    fn from(b: Beside) -> Self {
        match b {
            Beside::NotHere(e) | Beside::Failed(e) => e,
        }
    }
}

/// A FIFO, a terminal, a device: write to it as a shell redirection would.
fn write_special(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(target)?;
    f.write_all(bytes)?;
    f.flush()
}

/// Overwrite the file's content where it is (same inode: hard links, mode and owner stay).
/// Not atomic: used only where replacing would lose something. The journal still holds the
/// changes until this returns.
fn write_in_place(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(target)?;
    f.write_all(bytes)?;
    f.set_len(bytes.len() as u64)?;
    f.sync_all()
}

/// A new temporary file beside `target`: an unpredictable name, created exclusively (a name
/// taken, by a planted link or anything else, is never opened).
fn temp_beside(target: &Path) -> Result<(PathBuf, File), Beside> {
    let dir = parent_dir(target);
    let file_name = target
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file path"))?
        .to_string_lossy()
        .into_owned();
    remove_stale_temps(&dir, &file_name);
    let mut last = None;
    for _ in 0..8 {
        let tag: u64 = rand::random();
        let tmp = dir.join(format!(
            ".{file_name}.{}.{tag:016x}{TEMP_SUFFIX}",
            std::process::id()
        ));
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .custom_flags(libc::O_NOFOLLOW)
            .mode(0o600)
            .open(&tmp)
        {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
                return Err(Beside::NotHere(e));
            }
            Err(e) => return Err(Beside::Failed(e)),
        }
    }
    Err(Beside::Failed(last.unwrap_or_else(|| {
        io::Error::other("no free temporary name")
    })))
}

/// Write a temporary file with `bytes`, the mode (and owner) of `like` or else `new_mode`
/// ([`NEW_MODE`] for a file a user named, 0600 for a file of our own), flushed to the disk.
/// On failure nothing is left behind.
fn write_temp(
    target: &Path,
    bytes: &[u8],
    like: Option<&fs::Metadata>,
    new_mode: u32,
) -> Result<PathBuf, Beside> {
    let (tmp, mut f) = temp_beside(target)?;
    let result = (|| {
        match like {
            Some(m) => {
                f.set_permissions(fs::Permissions::from_mode(m.mode() & 0o7777))?;
                let now = f.metadata()?;
                if now.uid() != m.uid() || now.gid() != m.gid() {
                    std::os::unix::fs::fchown(&f, Some(m.uid()), Some(m.gid()))
                        .map_err(Beside::NotHere)?;
                }
            }
            None => f.set_permissions(fs::Permissions::from_mode(new_mode))?,
        }
        f.write_all(bytes)?;
        f.sync_all()?;
        Ok(())
    })();
    match result {
        Ok(()) => Ok(tmp),
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Replace (or create) the regular file `target` atomically: temporary file, fsync, rename,
/// fsync of the folder. The mode is `like`'s, else `new_mode`.
fn replace(
    target: &Path,
    bytes: &[u8],
    like: Option<&fs::Metadata>,
    new_mode: u32,
) -> Result<(), Beside> {
    let tmp = write_temp(target, bytes, like, new_mode)?;
    if let Err(e) = fs::rename(&tmp, target) {
        let _ = fs::remove_file(&tmp);
        return Err(Beside::Failed(e));
    }
    sync_dir(target);
    Ok(())
}

/// Write `bytes` to a new file at `path`, which must not exist (not even as a dangling link):
/// the file appears whole, under that name, or not at all.
pub fn create_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = write_temp(path, bytes, None, NEW_MODE).map_err(|e| with_path(path, e.into()))?;
    // A hard link never replaces an existing name (nor follows a link planted there).
    let linked = fs::hard_link(&tmp, path);
    let _ = fs::remove_file(&tmp);
    linked.map_err(|e| with_path(path, e))?;
    sync_dir(path);
    Ok(())
}

/// Move our own file `from` to the first free name that `names` gives (tried in order),
/// never replacing anything; returns the name used.
pub fn move_to_free_name(
    from: &Path,
    names: impl IntoIterator<Item = PathBuf>,
) -> io::Result<PathBuf> {
    for to in names {
        match fs::hard_link(from, &to) {
            Ok(()) => {
                fs::remove_file(from)?;
                sync_dir(&to);
                return Ok(to);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(with_path(&to, e)),
        }
    }
    Err(io::Error::other(format!(
        "{}: no free name to move it to",
        from.display()
    )))
}

/// Open (creating it if missing) a file of our own at `path` for reading and appending:
/// never through a symbolic link, and only a regular file with no other hard links, so that
/// a name planted in a shared folder cannot make us write elsewhere.
pub fn open_own(path: &Path) -> io::Result<File> {
    let f = OpenOptions::new()
        .read(true)
        .append(true)
        .create(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .mode(0o600)
        .open(path)
        .map_err(|e| {
            if e.raw_os_error() == Some(libc::ELOOP) {
                io::Error::other(format!(
                    "{}: is a symbolic link; microcred does not follow links for its own files: remove it",
                    path.display()
                ))
            } else {
                with_path(path, e)
            }
        })?;
    check_own(path, &f.metadata()?)?;
    Ok(f)
}

/// Refuse a file of ours that is not a regular file with one name.
pub fn check_own(path: &Path, m: &fs::Metadata) -> io::Result<()> {
    if !m.is_file() {
        return Err(io::Error::other(format!(
            "{}: is not a regular file; microcred will not write to it: remove it",
            path.display()
        )));
    }
    if m.nlink() > 1 {
        return Err(io::Error::other(format!(
            "{}: has other hard links; microcred will not write to it: remove it",
            path.display()
        )));
    }
    Ok(())
}

/// Replace a file of our own (a journal being rewritten, a cache file) atomically, readable
/// by its owner only (mode 0600, as [`open_own`] makes them); refuses when the name is taken
/// by anything but a regular file of one link (a planted FIFO would block the writer, a
/// planted link would redirect it).
pub fn replace_own(path: &Path, bytes: &[u8]) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(m) => check_own(path, &m)?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(with_path(path, e)),
    }
    replace(path, bytes, None, 0o600).map_err(|e| with_path(path, e.into()))
}

/// Flush the folder holding `path`, so that a rename or a new name in it is on the disk.
pub fn sync_dir(path: &Path) {
    if let Ok(d) = File::open(parent_dir(path)) {
        let _ = d.sync_all();
    }
}

/// Remove temporary files of `file_name` left by a process that was killed mid-save: regular
/// files named as ours whose process no longer runs (judged by /proc; without /proc, none).
fn remove_stale_temps(dir: &Path, file_name: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let prefix = format!(".{file_name}.");
    let Ok(rd) = fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = name
            .strip_prefix(&prefix)
            .and_then(|r| r.strip_suffix(TEMP_SUFFIX))
        else {
            continue;
        };
        let pid = rest.split('.').next().unwrap_or("");
        let ours = e.file_type().is_ok_and(|t| t.is_file());
        if ours && pid.parse::<u32>().is_ok() && !Path::new("/proc").join(pid).exists() {
            let _ = fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn dir() -> tempfile::TempDir {
        tempfile::tempdir().expect("tempdir")
    }

    #[test]
    fn a_new_file_is_written_whole_and_no_temporary_is_left() {
        let d = dir();
        let p = d.path().join("a.yaml");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        assert_eq!(fs::read_dir(d.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_symlinked_file_keeps_its_link_and_the_target_gets_the_content() {
        let d = dir();
        let real = d.path().join("real.yaml");
        fs::write(&real, b"old").unwrap();
        let link = d.path().join("link.yaml");
        symlink("real.yaml", &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&real).unwrap(), b"new");
    }

    #[test]
    fn hard_links_and_mode_are_kept() {
        let d = dir();
        let a = d.path().join("a.yaml");
        let b = d.path().join("b.yaml");
        fs::write(&a, b"old").unwrap();
        fs::set_permissions(&a, fs::Permissions::from_mode(0o640)).unwrap();
        fs::hard_link(&a, &b).unwrap();
        write_atomic(&a, b"new content").unwrap();
        assert_eq!(fs::read(&b).unwrap(), b"new content");
        let m = fs::metadata(&a).unwrap();
        assert_eq!((m.nlink(), m.mode() & 0o777), (2, 0o640));
        // One name: replaced atomically, the mode still kept.
        fs::remove_file(&b).unwrap();
        write_atomic(&a, b"x").unwrap();
        assert_eq!(fs::metadata(&a).unwrap().mode() & 0o777, 0o640);
    }

    #[test]
    fn a_device_or_fifo_is_written_to_not_replaced() {
        // /dev/null takes anything; /dev/full refuses with "no space": neither is replaced.
        write_atomic(Path::new("/dev/null"), b"x").unwrap();
        let e = write_atomic(Path::new("/dev/full"), b"x").unwrap_err();
        assert!(e.to_string().contains("/dev/full"), "{e}");
        let m = fs::symlink_metadata("/dev/full").unwrap();
        assert!(!m.is_file(), "/dev/full is still a device");
    }

    #[test]
    fn own_files_refuse_planted_links() {
        let d = dir();
        let victim = d.path().join("victim");
        fs::write(&victim, b"keep").unwrap();
        let journal = d.path().join(".w.yaml.journal");
        symlink(&victim, &journal).unwrap();
        let e = open_own(&journal).unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        assert!(replace_own(&journal, b"x").is_err());
        let hard = d.path().join(".w2.yaml.journal");
        fs::hard_link(&victim, &hard).unwrap();
        let e = open_own(&hard).unwrap_err();
        assert!(e.to_string().contains("hard links"), "{e}");
        assert_eq!(fs::read(&victim).unwrap(), b"keep");
    }

    #[test]
    fn a_rewritten_file_of_our_own_stays_private() {
        let d = dir();
        let j = d.path().join(".w.yaml.journal");
        drop(open_own(&j).unwrap());
        assert_eq!(fs::metadata(&j).unwrap().mode() & 0o777, 0o600);
        replace_own(&j, b"{}\n").unwrap();
        assert_eq!(fs::metadata(&j).unwrap().mode() & 0o777, 0o600);
    }

    #[test]
    fn create_new_never_replaces_even_a_dangling_link() {
        let d = dir();
        let p = d.path().join("copy.yaml");
        symlink(d.path().join("nowhere"), &p).unwrap();
        assert!(create_new(&p, b"x").is_err());
        assert!(!d.path().join("nowhere").exists());
        let q = d.path().join("copy2.yaml");
        create_new(&q, b"x").unwrap();
        assert!(create_new(&q, b"y").is_err());
        assert_eq!(fs::read(&q).unwrap(), b"x");
    }

    #[test]
    fn outputs_never_go_through_links_or_into_special_files() {
        let d = dir();
        let victim = d.path().join("authorized_keys");
        fs::write(&victim, b"keep").unwrap();
        let link = d.path().join("design.md");
        symlink(&victim, &link).unwrap();
        let e = write_output(&link, b"ssh-ed25519 AAAA").unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        assert!(e.to_string().contains("design.md"), "{e}");
        let dangling = d.path().join("new.md");
        symlink(d.path().join("nowhere"), &dangling).unwrap();
        assert!(write_output(&dangling, b"x").is_err());
        assert!(!d.path().join("nowhere").exists());
        let hard = d.path().join("design.ob3.json");
        fs::hard_link(&victim, &hard).unwrap();
        let e = write_output(&hard, b"x").unwrap_err();
        assert!(e.to_string().contains("hard links"), "{e}");
        assert_eq!(fs::read(&victim).unwrap(), b"keep");
        let e = write_output(Path::new("/dev/null"), b"x").unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        // A FIFO nobody reads: refused at once, not waited on.
        let fifo = d.path().join("out.fifo");
        if std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success())
        {
            let e = write_output(&fifo, b"x").unwrap_err();
            assert!(e.to_string().contains("`-o -`"), "{e}");
        }
        // A new file, then the same file replaced with its mode kept.
        let out = d.path().join("w.spec.yaml");
        write_output(&out, b"one").unwrap();
        fs::set_permissions(&out, fs::Permissions::from_mode(0o640)).unwrap();
        write_output(&out, b"two").unwrap();
        assert_eq!(fs::read(&out).unwrap(), b"two");
        assert_eq!(fs::metadata(&out).unwrap().mode() & 0o777, 0o640);
    }

    #[test]
    fn moving_aside_takes_the_first_free_name() {
        let d = dir();
        let j = d.path().join("j");
        let a = d.path().join("a");
        fs::write(&a, b"earlier").unwrap();
        fs::write(&j, b"now").unwrap();
        let got = move_to_free_name(&j, [a.clone(), d.path().join("b")]).unwrap();
        assert_eq!(got, d.path().join("b"));
        assert_eq!(fs::read(&a).unwrap(), b"earlier");
        assert!(!j.exists());
    }
}

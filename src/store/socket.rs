//! The hand-off socket of an open design: a Unix domain socket on which the process holding
//! the design's edit lock takes changes from the command line (see `document::handoff`).
//!
//! Its name is derived from the design's file (links followed, as the lock does): a folder of
//! our own, mode 0700 — `$XDG_RUNTIME_DIR/microcred` when that is set, else
//! `/tmp/microcred-UID` — and in it `HASH.sock`, the first 32 hex digits of the SHA-256 of the
//! file's absolute path (links followed, so that every name of the file finds it). That stays far below the 108 bytes a socket's name may have, however deep the
//! design lies. The socket itself is mode 0600: only its owner may connect.

use std::fs;
use std::io::{self, BufRead, Write};
use std::os::unix::fs::{DirBuilderExt, FileTypeExt, MetadataExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The uid this process runs as: the owner of `/proc/self`.
fn own_uid() -> io::Result<u32> {
    Ok(fs::metadata("/proc/self")?.uid())
}

/// The folder hand-off sockets live in (made mode 0700 when missing), checked to be ours: a
/// folder (not a link), owned by us, that nobody else may enter.
fn socket_dir(make: bool) -> io::Result<PathBuf> {
    let uid = own_uid()?;
    let dir = match std::env::var_os("XDG_RUNTIME_DIR").map(PathBuf::from) {
        Some(run) if run.is_absolute() && run.is_dir() => run.join("microcred"),
        _ => std::env::temp_dir().join(format!("microcred-{uid}")),
    };
    if make {
        match fs::DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(super::with_path(&dir, e)),
        }
    }
    let m = fs::symlink_metadata(&dir).map_err(|e| super::with_path(&dir, e))?;
    if !m.is_dir() || m.uid() != uid || m.permissions().mode() & 0o077 != 0 {
        return Err(io::Error::other(format!(
            "{}: not a private folder of this user (it must be a folder owned by uid {uid}, mode 0700)",
            dir.display()
        )));
    }
    Ok(dir)
}

/// The name of the hand-off socket of the design at `workspace` (made or not). `make` makes
/// its folder when missing.
pub fn socket_path(workspace: &Path, make: bool) -> io::Result<PathBuf> {
    // The file's absolute name, links followed (the one the lock is beside), however it was
    // named: relative, through a link, or through `..`.
    let file = super::write::resolve_links(workspace)?;
    let dir = fs::canonicalize(super::write::parent_dir(&file))?;
    let file = match file.file_name() {
        Some(name) => dir.join(name),
        None => dir,
    };
    let hash = super::hex::sha256_hex(file.as_os_str().as_encoded_bytes());
    Ok(socket_dir(make)?.join(format!("{}.sock", &hash[..32])))
}

/// Listen on the hand-off socket of `workspace`. A socket left there by a holder that died is
/// replaced (the caller holds the design's lock, so nobody else listens for it); anything else
/// under that name is left alone and refused. Returns the listener and its name.
pub fn bind(workspace: &Path) -> io::Result<(UnixListener, PathBuf)> {
    let path = socket_path(workspace, true)?;
    match fs::symlink_metadata(&path) {
        Ok(m) if m.file_type().is_socket() => fs::remove_file(&path)?,
        Ok(_) => {
            return Err(io::Error::other(format!(
                "{}: not a socket of ours; left alone",
                path.display()
            )));
        }
        Err(_) => {}
    }
    if let Some(dir) = path.parent() {
        sweep(dir);
    }
    let listener = UnixListener::bind(&path).map_err(|e| super::with_path(&path, e))?;
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600))?;
    Ok((listener, path))
}

/// Most sockets of the folder looked at by one [`sweep`].
const SWEEP_AT_MOST: usize = 256;

/// Remove the sockets in our folder `dir` that nobody listens on any more (left by holders
/// that were killed), so that they do not pile up; a socket someone listens on is left alone.
fn sweep(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten().take(SWEEP_AT_MOST) {
        let p = entry.path();
        let ours = p.extension().is_some_and(|e| e == "sock")
            && entry.file_type().is_ok_and(|t| t.is_socket());
        if ours
            && UnixStream::connect(&p).is_err_and(|e| e.kind() == io::ErrorKind::ConnectionRefused)
        {
            let _ = fs::remove_file(&p);
        }
    }
}

/// Whether `path` is still the socket `ino` named (not one a later holder made).
pub fn is_same_socket(path: &Path, ino: u64) -> bool {
    fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_socket() && m.ino() == ino)
}

/// The inode of the socket at `path`, to tell it from a later one of the same name.
pub fn socket_ino(path: &Path) -> io::Result<u64> {
    Ok(fs::symlink_metadata(path)?.ino())
}

/// Connect to the hand-off socket of `workspace`, if something answers there.
pub fn connect(workspace: &Path) -> io::Result<UnixStream> {
    let path = socket_path(workspace, false)?;
    UnixStream::connect(&path)
}

/// Why a line could not be read.
#[derive(Debug)]
pub enum LineError {
    /// More than the limit came without a line's end.
    TooLong(usize),
    /// The other side sent nothing for too long, or took longer than allowed in all.
    TimedOut,
    /// The other side closed before a whole line.
    Closed,
    Io(io::Error),
}

impl std::fmt::Display for LineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LineError::TooLong(max) => write!(
                f,
                "a line longer than {}",
                super::describe_size(*max as u64)
            ),
            LineError::TimedOut => write!(f, "no whole line in time"),
            LineError::Closed => write!(f, "closed before a whole line"),
            LineError::Io(e) => write!(f, "{e}"),
        }
    }
}

/// Read one line (without its `\n`) from `stream`: at most `max` bytes, each read waiting at
/// most `each`, the whole line at most `total`. One line per connection: what follows it is
/// not kept.
pub fn read_line(
    stream: &UnixStream,
    max: usize,
    each: Duration,
    total: Duration,
) -> Result<Vec<u8>, LineError> {
    stream.set_read_timeout(Some(each)).map_err(LineError::Io)?;
    let start = Instant::now();
    let mut reader = io::BufReader::with_capacity(64 * 1024, stream);
    let mut line = Vec::new();
    loop {
        if start.elapsed() > total {
            return Err(LineError::TimedOut);
        }
        let buf = match reader.fill_buf() {
            Ok(b) => b,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Err(LineError::TimedOut);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(LineError::Io(e)),
        };
        if buf.is_empty() {
            return Err(LineError::Closed);
        }
        let (part, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..i], i + 1),
            None => (buf, buf.len()),
        };
        if line.len() + part.len() > max {
            return Err(LineError::TooLong(max));
        }
        line.extend_from_slice(part);
        let ended = done > part.len();
        reader.consume(done);
        if ended {
            return Ok(line);
        }
    }
}

/// Write `line` and a `\n` to `stream`, waiting at most `each` for each write.
pub fn write_line(mut stream: &UnixStream, line: &[u8], each: Duration) -> io::Result<()> {
    stream.set_write_timeout(Some(each))?;
    stream.write_all(line)?;
    stream.write_all(b"\n")?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_socket_is_private_and_its_name_short() {
        let d = tempfile::tempdir().expect("tempdir");
        let deep = d.path().join("a".repeat(200));
        fs::create_dir(&deep).unwrap();
        let ws = deep.join("w.yaml");
        let (_l, path) = bind(&ws).expect("bound");
        assert!(path.as_os_str().len() < 108, "{}", path.display());
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let dir = fs::metadata(path.parent().unwrap()).unwrap();
        assert_eq!(dir.permissions().mode() & 0o777, 0o700);
        assert!(connect(&ws).is_ok());
        // Another name of the same file finds the same socket.
        let link = d.path().join("link.yaml");
        std::os::unix::fs::symlink(&ws, &link).unwrap();
        let dotted = deep.join("..").join("a".repeat(200)).join("w.yaml");
        assert_eq!(socket_path(&link, false).unwrap(), path);
        assert_eq!(socket_path(&dotted, false).unwrap(), path);
        let _ = fs::remove_file(&path);
    }

    #[test]
    fn sockets_nobody_listens_on_are_swept_and_live_ones_kept() {
        let d = tempfile::tempdir().expect("tempdir");
        let dead = d.path().join("dead.sock");
        drop(UnixListener::bind(&dead).unwrap());
        let live = d.path().join("live.sock");
        let _l = UnixListener::bind(&live).unwrap();
        let other = d.path().join("notes.txt");
        fs::write(&other, b"x").unwrap();
        sweep(d.path());
        assert!(!dead.exists() && live.exists() && other.exists());
    }

    #[test]
    fn a_line_is_bounded_in_length_and_time() {
        let (a, b) = UnixStream::pair().unwrap();
        (&a).write_all(b"hello\nrest").unwrap();
        let t = Duration::from_millis(50);
        assert_eq!(read_line(&b, 16, t, t).unwrap(), b"hello");
        // "rest" and then nothing: the read gives up.
        assert!(matches!(read_line(&b, 16, t, t), Err(LineError::TimedOut)));
        (&a).write_all(&[b'x'; 100]).unwrap();
        assert!(matches!(
            read_line(&b, 16, t, t),
            Err(LineError::TooLong(16))
        ));
        drop(a);
        let (a, b) = UnixStream::pair().unwrap();
        drop(a);
        assert!(matches!(read_line(&b, 16, t, t), Err(LineError::Closed)));
    }
}

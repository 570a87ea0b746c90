//! Reading files with bounds: only regular files (a FIFO would hang the reader, a device such
//! as `/dev/zero` never ends), never more than a limit, with messages that name the file.

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use crate::limits;
use crate::problem::Problem;

/// Largest file read as text (a workspace, people, a keymap), and largest workspace a change
/// may make: [`limits::WORKSPACE_FILE_BYTES`]. Framework files may be bigger
/// ([`limits::FRAMEWORK_FILE_BYTES`], read with [`read_text_within`]).
pub const MAX_FILE_BYTES: u64 = limits::WORKSPACE_FILE_BYTES;

/// A size for messages: exact bytes where MiB would round to the limit itself.
pub fn describe_size(bytes: u64) -> String {
    let mib = format!("{:.1}", bytes as f64 / 1_048_576.0);
    if mib.ends_with(".0") {
        format!("{} bytes", group_digits(bytes))
    } else {
        format!("{mib} MiB")
    }
}

/// `16777216` → `16,777,216`.
fn group_digits(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Open `path` for reading if it is a regular file no larger than `limit` bytes; the problem
/// says what it is otherwise. Opening never blocks (a FIFO is refused, not waited on).
pub fn open_regular(path: &Path, limit: u64) -> Result<(File, u64), Problem> {
    let name = path.display().to_string();
    let f = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| Problem::error(&name, format!("cannot read the file: {e}")))?;
    let meta = f
        .metadata()
        .map_err(|e| Problem::error(&name, format!("cannot read the file: {e}")))?;
    if meta.is_dir() {
        return Err(Problem::error(&name, "this is a folder, not a file"));
    }
    if !meta.is_file() {
        return Err(Problem::error(
            &name,
            format!(
                "this is not a regular file ({}); microcred reads only files",
                file_kind(meta.file_type())
            ),
        )
        .hint("save the content to a file and give that file's name"));
    }
    if meta.len() > limit {
        return Err(too_big(&name, meta.len(), limit));
    }
    Ok((f, meta.len()))
}

/// What a file that is not a regular file is, in words.
fn file_kind(t: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a file"
    }
}

fn too_big(name: &str, len: u64, limit: u64) -> Problem {
    let limit = if limit.is_multiple_of(1_048_576) {
        format!("{} MiB", limit / 1_048_576)
    } else {
        format!("{} bytes", group_digits(limit))
    };
    Problem::error(
        name,
        format!("the file is {}; the limit is {limit}", describe_size(len)),
    )
    .hint("split it into smaller files")
}

/// Read at most `limit` bytes of a regular file (a file that grew past it while being read is
/// refused, not cut).
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, Problem> {
    let name = path.display().to_string();
    let (f, len) = open_regular(path, limit)?;
    let mut bytes = Vec::with_capacity(len as usize);
    f.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Problem::error(&name, format!("cannot read the file: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(too_big(&name, bytes.len() as u64, limit));
    }
    Ok(bytes)
}

/// Read a text file: a regular file, size checked before reading, UTF-8 checked with the
/// position of the first bad byte, a byte-order mark dropped.
pub fn read_text(path: &Path) -> Result<String, Problem> {
    read_text_within(path, MAX_FILE_BYTES)
}

/// [`read_text`] with another size limit (framework files: [`limits::FRAMEWORK_FILE_BYTES`]).
pub fn read_text_within(path: &Path, limit: u64) -> Result<String, Problem> {
    let bytes = read_bytes(path, limit)?;
    super::text_from_bytes(bytes, &path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_near_the_limit_are_told_exactly() {
        assert_eq!(describe_size(MAX_FILE_BYTES + 3), "16,777,219 bytes");
        assert_eq!(describe_size(20 * 1_048_576), "20,971,520 bytes");
        assert_eq!(describe_size(20 * 1_048_576 + 300_000), "20.3 MiB");
    }

    #[test]
    fn fifos_and_devices_are_refused_at_once() {
        let d = tempfile::tempdir().expect("tempdir");
        let fifo = d.path().join("ws.yaml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            let e = read_text(&fifo).unwrap_err();
            assert!(e.to_string().contains("not a regular file"), "{e}");
        } else {
            println!("SKIPPED the FIFO case: mkfifo did not run");
        }
        let e = read_text(Path::new("/dev/zero")).unwrap_err();
        assert!(e.to_string().contains("/dev/zero"), "{e}");
        assert!(e.to_string().contains("not a regular file"), "{e}");
    }

    #[test]
    fn a_file_over_the_limit_is_refused_with_its_exact_size() {
        let d = tempfile::tempdir().expect("tempdir");
        let p = d.path().join("big.yaml");
        std::fs::write(&p, vec![b'a'; 1000]).unwrap();
        let e = read_bytes(&p, 999).unwrap_err();
        assert!(e.to_string().contains("1,000 bytes"), "{e}");
        assert_eq!(read_bytes(&p, 1000).unwrap().len(), 1000);
    }
}

//! `microcred cache [--clear]`: what the cache folder holds, or empty it.

use std::fmt::Write as _;
use std::process::ExitCode;

use crate::catalog::cache;

pub(super) fn run(clear: bool) -> ExitCode {
    let Some(dir) = cache::dir() else {
        let why = if std::env::var_os("MICROCRED_NO_CACHE").is_some() {
            "the cache is turned off (MICROCRED_NO_CACHE)"
        } else {
            "no cache folder: set MICROCRED_CACHE_DIR, XDG_CACHE_HOME or HOME"
        };
        return super::print_out(&format!("{why}\n"));
    };
    if clear {
        let (n, bytes) = cache::clear(&dir);
        let left = cache::list(&dir);
        let mut out = format!(
            "removed {n} file(s), {}, from {}\n",
            size(bytes),
            dir.display()
        );
        if !left.is_empty() {
            // Removing can fail (a read-only folder): say what is still there.
            let _ = writeln!(out, "{} file(s) could not be removed", left.len());
            let _ = super::print_out(&out);
            return ExitCode::from(1);
        }
        return super::print_out(&out);
    }
    super::print_out(&show(&dir, &cache::list(&dir), cache::max_bytes()))
}

/// The listing: folder, one line per file (least recently used first), total and bound.
fn show(dir: &std::path::Path, files: &[cache::CacheFile], bound: u64) -> String {
    let mut out = format!("cache folder: {}\n", dir.display());
    let total: u64 = files.iter().map(|f| f.bytes).sum();
    if files.is_empty() {
        out.push_str("no cache files\n");
    } else {
        let width = files.iter().map(|f| f.name.len()).max().unwrap_or(0);
        for f in files {
            let _ = writeln!(
                out,
                "  {:<width$}  {:<17}  {:>12}  used {}",
                f.name,
                f.kind,
                size(f.bytes),
                crate::clock::rfc3339_utc(f.used)
            );
        }
    }
    let _ = writeln!(
        out,
        "total: {} file(s), {} of at most {} (MICROCRED_CACHE_MAX)",
        files.len(),
        size(total),
        size(bound)
    );
    out
}

/// Bytes in words: `0.0 KiB`, `1.5 MiB`, `512 MiB`.
fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else if bytes < 1 << 20 {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MiB", bytes as f64 / 1_048_576.0)
    }
}

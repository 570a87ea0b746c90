//! What `serve` needs before it listens, for a design or a portfolio alike: the host key, the
//! limits from the command line and the runtime.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use russh::keys::PrivateKey;

use super::{Limits, ServeArgs, host_key};

/// The host key (made on first run) and where it is, the limits `args` ask for, and a
/// runtime to serve on; else the exit code, the reason said on stderr.
pub(super) fn launch(
    args: &ServeArgs,
) -> Result<(PathBuf, PrivateKey, Limits, tokio::runtime::Runtime), ExitCode> {
    let key_path = args.host_key.clone().unwrap_or_else(|| {
        let dir = args.workspace.parent().unwrap_or(Path::new("."));
        dir.join(".microcred-host-key")
    });
    let key = host_key(&key_path).map_err(|e| {
        eprintln!("microcred: {e}");
        ExitCode::from(1)
    })?;
    let limits = Limits {
        save_debounce: Duration::from_secs(args.save_delay),
        ..Limits::default()
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| {
            eprintln!("microcred: cannot start: {e}");
            ExitCode::from(1)
        })?;
    Ok((key_path, key, limits, rt))
}

/// Say on stderr where the server listens for how many keys, and the host key's fingerprint
/// `print` (from `key_path`) to send to everyone who connects.
pub(super) fn announce(
    args: &ServeArgs,
    addr: std::net::SocketAddr,
    keys: usize,
    print: &str,
    key_path: &Path,
) {
    eprintln!(
        "microcred serve: {} on {addr} ({keys} keys); Ctrl-C or SIGTERM saves and stops",
        args.workspace.display(),
    );
    eprintln!(
        "microcred serve: host key fingerprint {print} ({}); send it to everyone who connects, so they can check it the first time",
        key_path.display()
    );
}

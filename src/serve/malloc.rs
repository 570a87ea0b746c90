//! The server's memory allocator settings. Under a flood of changes the server frees and makes
//! again many large blocks (the document, the gap report, each frame's lists), and with glibc's
//! defaults those freed blocks stay in the process: a heap per thread that ever ran a session
//! (up to eight per core), and a threshold for giving large blocks back that rises with every
//! large block freed. Resident memory then grew to twice its size when connected, although
//! what was in use did not grow. The server therefore runs with two heaps and a fixed threshold
//! (`GLIBC_TUNABLES`), set by starting itself again once with them, before anything is opened.
//! Other C libraries ignore the variable.

use std::ffi::OsString;

/// The settings (glibc tunables) the server runs with.
pub const TUNABLES: &str = "glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=131072";

/// Set when the server started itself again with [`TUNABLES`], so it does so only once.
pub const STARTED_AGAIN: &str = "MICROCRED_SERVE_TUNED";

/// `GLIBC_TUNABLES` with [`TUNABLES`] added before what the user set: glibc reads them in
/// order, so a setting the user gave wins over ours.
pub fn with_ours(user: Option<OsString>) -> OsString {
    match user {
        Some(u) if !u.is_empty() => {
            let mut v = OsString::from(TUNABLES);
            v.push(":");
            v.push(u);
            v
        }
        _ => OsString::from(TUNABLES),
    }
}

/// Start this process again with [`TUNABLES`] set, unless it already runs with them; returns
/// only when it does (or cannot be started again: then it runs with the defaults).
pub fn start_tuned() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::os::unix::process::CommandExt;
        if std::env::var_os(STARTED_AGAIN).is_some() {
            return;
        }
        let Ok(exe) = std::env::current_exe() else {
            return;
        };
        let mut args = std::env::args_os();
        let arg0 = args.next().unwrap_or_else(|| exe.clone().into_os_string());
        // `exec` returns only when it failed: the server goes on with the defaults.
        let _ = std::process::Command::new(&exe)
            .arg0(arg0)
            .args(args)
            .env(
                "GLIBC_TUNABLES",
                with_ours(std::env::var_os("GLIBC_TUNABLES")),
            )
            .env(STARTED_AGAIN, "1")
            .exec();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn our_settings_come_first_and_the_users_are_kept() {
        assert_eq!(with_ours(None), OsString::from(TUNABLES));
        assert_eq!(with_ours(Some(OsString::new())), OsString::from(TUNABLES));
        let v = with_ours(Some("glibc.malloc.arena_max=4".into()));
        assert_eq!(
            v,
            OsString::from(format!("{TUNABLES}:glibc.malloc.arena_max=4"))
        );
    }
}

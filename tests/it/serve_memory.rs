//! The server's memory under edits (issue 26, point 4): it runs with the allocator settings
//! that keep freed memory from piling up (`serve::malloc`). The figures themselves are taken by
//! `benches/serve_edits.py` (README, Performance).

use std::path::Path;

use crate::common;
use common::client::{designer_people, key};
use common::server::Server;

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn the_server_runs_with_its_allocator_settings_and_keeps_the_users_own() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = dir.path().join("w.yaml");
    let people = designer_people(dir.path(), &key());
    let theirs = "glibc.malloc.tcache_count=0";
    let server = Server::start_env(
        &ws,
        &people,
        &dir.path().join("host_key"),
        &[],
        &[("GLIBC_TUNABLES", Path::new(theirs))],
    );
    // The process started is the one that serves (started again in place, not a child).
    let env = std::fs::read(format!("/proc/{}/environ", server.pid())).expect("environ");
    let vars: Vec<String> = env
        .split(|b| *b == 0)
        .map(|v| String::from_utf8_lossy(v).into_owned())
        .collect();
    assert!(
        vars.iter().any(|v| v == "MICROCRED_SERVE_TUNED=1"),
        "{vars:?}"
    );
    // glibc reads the settings in place, ending each at its `:`: put them together again.
    let at = vars
        .iter()
        .position(|v| v.starts_with("GLIBC_TUNABLES="))
        .expect("GLIBC_TUNABLES set");
    let mut tunables = vars[at]["GLIBC_TUNABLES=".len()..].to_string();
    for v in vars[at + 1..]
        .iter()
        .take_while(|v| v.starts_with("glibc."))
    {
        tunables.push(':');
        tunables.push_str(v);
    }
    assert_eq!(
        tunables,
        format!("{}:{theirs}", microcred::serve::malloc::TUNABLES)
    );
    assert!(tunables.contains("glibc.malloc.arena_max=2"), "{tunables}");
    assert!(server.terminate().success());
}

//! The real OpenSSH client against `microcred serve`: keys, the pinned host key and the
//! arguments that make `ssh` use only them.

use std::path::Path;
use std::process::Command;

/// Make an ed25519 key (no passphrase) at `path`; its public line.
pub fn keygen(path: &Path) -> String {
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "test", "-f"])
        .arg(path)
        .output()
        .expect("ssh-keygen");
    assert!(out.status.success(), "{out:?}");
    let publine = std::fs::read_to_string(path.with_extension("pub")).expect("public key");
    publine.trim().to_string()
}

/// Pin the server's host key (made at `host_key` on its first run, OpenSSH format) for
/// 127.0.0.1:`port` in `known_hosts`.
pub fn pin_host_key(host_key: &Path, known_hosts: &Path, port: u16) {
    let out = Command::new("ssh-keygen")
        .arg("-y")
        .arg("-f")
        .arg(host_key)
        .output()
        .expect("ssh-keygen -y");
    assert!(out.status.success(), "{out:?}");
    let public = String::from_utf8_lossy(&out.stdout).trim().to_string();
    std::fs::write(known_hosts, format!("[127.0.0.1]:{port} {public}\n")).expect("known_hosts");
}

/// The ssh arguments for the key at `key` against 127.0.0.1:`port`: no config files, this key
/// only, no prompts, and only the host key pinned in `known_hosts`.
pub fn ssh_args(key: &Path, known_hosts: &Path, port: u16) -> Vec<String> {
    vec![
        "-F".into(),
        "/dev/null".into(),
        "-i".into(),
        key.display().to_string(),
        "-o".into(),
        "IdentitiesOnly=yes".into(),
        "-o".into(),
        "BatchMode=yes".into(),
        "-o".into(),
        format!("UserKnownHostsFile={}", known_hosts.display()),
        "-o".into(),
        "GlobalKnownHostsFile=/dev/null".into(),
        "-o".into(),
        "StrictHostKeyChecking=yes".into(),
        "-p".into(),
        port.to_string(),
    ]
}

/// A PEOPLE.yaml in `dir` listing each `(key name, entry)`: the entry (`- name: …` and its
/// role lines) with a new key made at `dir/KEY NAME` (see [`keygen`]).
pub fn people_file(dir: &Path, people: &[(&str, &str)]) -> std::path::PathBuf {
    let mut lines = Vec::new();
    for (name, who) in people {
        let publine = keygen(&dir.join(name));
        lines.push(format!("{who}  keys: [\"{publine}\"]\n"));
    }
    let path = dir.join("people.yaml");
    std::fs::write(&path, format!("people:\n{}", lines.concat())).expect("people");
    path
}

/// A design served to real `ssh` clients: a copy of an example, PEOPLE.yaml with a key per
/// person, and the server's host key, all in a temporary folder.
pub struct Room {
    pub dir: tempfile::TempDir,
    pub ws: std::path::PathBuf,
    pub people: std::path::PathBuf,
    pub host_key: std::path::PathBuf,
}

impl Room {
    /// `examples/EXAMPLE` as `w.yaml` and the people of [`people_file`].
    pub fn new(example: &str, people: &[(&str, &str)]) -> Room {
        let (dir, ws) = super::example_copy(example);
        let people = people_file(dir.path(), people);
        let host_key = dir.path().join("host_key");
        Room {
            dir,
            ws,
            people,
            host_key,
        }
    }

    /// A file in the room's folder.
    pub fn path(&self, name: &str) -> std::path::PathBuf {
        self.dir.path().join(name)
    }

    /// Start the server (with `env` set for it) and pin its host key in `known_hosts`.
    pub fn serve_env(&self, extra: &[&str], env: &[(&str, &Path)]) -> super::server::Server {
        let server =
            super::server::Server::start_env(&self.ws, &self.people, &self.host_key, extra, env);
        pin_host_key(&self.host_key, &self.path("known_hosts"), server.port());
        server
    }

    /// The ssh arguments for the key named `key` against `server` (see [`ssh_args`]).
    pub fn ssh_args(&self, server: &super::server::Server, key: &str) -> Vec<String> {
        ssh_args(&self.path(key), &self.path("known_hosts"), server.port())
    }

    /// An interactive session for `key` in a tmux of its own, named `name`, `w`×`h`.
    pub fn client_sized(
        &self,
        name: &'static str,
        server: &super::server::Server,
        key: &str,
        (w, h): (u16, u16),
    ) -> super::tmux::Tmux {
        let cmd = format!(
            "exec ssh {} -tt 127.0.0.1",
            self.ssh_args(server, key).join(" ")
        );
        super::tmux::Tmux::start(name, w, h, &cmd, self.dir.path())
    }
}

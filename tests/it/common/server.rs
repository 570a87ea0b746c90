//! `microcred serve` as a child process (the binary from [`super::tmux::binary`]), for tests
//! that need the server's own process: the real OpenSSH client, its RSS, SIGKILL and SIGTERM.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::tmux::binary;

/// Is `name` an executable on PATH?
pub fn on_path(name: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths).any(|d| {
            let p = d.join(name);
            p.is_file()
                && std::fs::metadata(&p).is_ok_and(|m| {
                    use std::os::unix::fs::PermissionsExt;
                    m.permissions().mode() & 0o111 != 0
                })
        })
    })
}

/// True when every tool is installed; otherwise prints which are missing, so that a skipped
/// test says so in the test output (run with `--nocapture` to see it). Under `CI` a missing
/// tool fails the test instead.
pub fn have_tools(test: &str, tools: &[&str]) -> bool {
    let missing: Vec<&str> = tools.iter().copied().filter(|t| !on_path(t)).collect();
    if missing.is_empty() {
        return true;
    }
    // In CI a missing tool is a failure, never a quiet pass (.ci/run installs them).
    assert!(
        std::env::var_os("CI").is_none(),
        "{test}: {} not installed, and CI is set: .ci/run must install it",
        missing.join(", ")
    );
    eprintln!(
        "SKIPPED {test}: {} not installed (.ci/run installs tmux and openssh-client)",
        missing.join(", ")
    );
    println!("SKIPPED {test}: {} not installed", missing.join(", "));
    false
}

/// A running `microcred serve`; killed (SIGKILL) when dropped if still running.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    /// Start `microcred serve WS --people PEOPLE --host-key KEY --listen 127.0.0.1:0 EXTRA…` and
    /// wait (at most 60 s: the first run may build a catalog cache) until it listens.
    pub fn start(ws: &Path, people: &Path, host_key: &Path, extra: &[&str]) -> Server {
        Server::start_env(ws, people, host_key, extra, &[])
    }

    /// [`Server::start`] with environment variables `env` set for the server.
    pub fn start_env(
        ws: &Path,
        people: &Path,
        host_key: &Path,
        extra: &[&str],
        env: &[(&str, &Path)],
    ) -> Server {
        let mut child = Command::new(binary())
            .envs(env.iter().copied())
            .arg("serve")
            .arg(ws)
            .arg("--people")
            .arg(people)
            .arg("--host-key")
            .arg(host_key)
            .args(["--listen", "127.0.0.1:0"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start microcred serve");
        let stderr = Arc::new(Mutex::new(String::new()));
        let pipe = child.stderr.take().expect("stderr piped");
        let buf = stderr.clone();
        // Drain stderr for the server's whole life, so its log never blocks it.
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines() {
                let Ok(line) = line else { break };
                let mut b = buf.lock().unwrap_or_else(|p| p.into_inner());
                b.push_str(&line);
                b.push('\n');
            }
        });
        let start = Instant::now();
        let addr = loop {
            let text = stderr.lock().unwrap_or_else(|p| p.into_inner()).clone();
            if let Some(a) = text.lines().find_map(listening_on) {
                break a;
            }
            if let Ok(Some(st)) = child.try_wait() {
                panic!("microcred serve exited ({st}) before listening:\n{text}");
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "microcred serve did not listen within 60 s:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        Server {
            child,
            addr,
            stderr,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Everything the server wrote to stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// (VmHWM, VmRSS) of the server process, in kB, from /proc.
    pub fn memory_kb(&self) -> (u64, u64) {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.pid())).expect("proc status");
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|n| n.parse::<u64>().ok())
                .expect("a kB figure")
        };
        (field("VmHWM:"), field("VmRSS:"))
    }

    /// CPU seconds (user + system) the server used so far, from /proc.
    pub fn cpu_seconds(&self) -> f64 {
        cpu_seconds(&format!("/proc/{}/stat", self.pid()))
    }

    /// Is it still running?
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// Send SIGTERM (the server saves and stops) and wait for it, at most 20 s.
    pub fn terminate(mut self) -> ExitStatus {
        let ok = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .expect("kill");
        assert!(ok.success(), "kill -TERM");
        let start = Instant::now();
        loop {
            if let Ok(Some(st)) = self.child.try_wait() {
                return st;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "the server did not stop within 20 s of SIGTERM:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// [`Server::terminate`], and everything the server wrote to stderr until it stopped.
    pub fn terminate_with_log(self) -> (ExitStatus, String) {
        let log = self.stderr.clone();
        let st = self.terminate();
        // The reader thread drains the pipe until the server's end closes.
        std::thread::sleep(Duration::from_millis(100));
        let text = log.lock().unwrap_or_else(|p| p.into_inner()).clone();
        (st, text)
    }

    /// SIGKILL: no save, no goodbye (a crash or a power cut, as far as the files can tell).
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The address in the server's "… on ADDR (N keys); …" line.
fn listening_on(line: &str) -> Option<SocketAddr> {
    let rest = line.strip_prefix("microcred serve: ")?;
    let (head, _) = rest.split_once(" keys); ")?;
    let (head, _) = head.rsplit_once(" (")?;
    let (_, addr) = head.rsplit_once(" on ")?;
    addr.parse().ok()
}

/// Run `cmd` to completion with a time limit; returns (status, stdout, stderr).
pub fn run_with_timeout(cmd: &mut Command, limit: Duration) -> (ExitStatus, String, String) {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let t_out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut out, &mut s);
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut err, &mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Ok(Some(st)) = child.try_wait() {
            break st;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    (
        status,
        t_out.join().unwrap_or_default(),
        t_err.join().unwrap_or_default(),
    )
}

/// CPU seconds (user + system) of the process whose `stat` file this is (assumes 100 ticks/s,
/// as on Linux on x86 and arm).
pub fn cpu_seconds(stat_path: &str) -> f64 {
    let stat = std::fs::read_to_string(stat_path).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at field 3.
    let rest = stat.rsplit_once(") ").map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(11) + tick(12)) / 100.0
}

/// Limits for tests: a short delay after a refused key and a short save debounce.
pub fn quick_limits() -> microcred::serve::Limits {
    microcred::serve::Limits {
        auth_rejection_delay: Duration::from_millis(50),
        save_debounce: Duration::from_millis(200),
        ..microcred::serve::Limits::default()
    }
}

/// An IPv4 address.
pub fn ip(a: u8, b: u8, c: u8, d: u8) -> std::net::IpAddr {
    std::net::IpAddr::V4(std::net::Ipv4Addr::new(a, b, c, d))
}

/// A server in this process (`serve::start`) over the workspace and people files, with the
/// built-in frameworks and `limits`, quiet, listening on a free loopback port.
pub async fn start_in_process(
    ws_path: &Path,
    people_path: &Path,
    limits: microcred::serve::Limits,
) -> microcred::serve::Running {
    use microcred::catalog::{self, Sources};
    let cat = catalog::load(&Sources::new(vec![], Some(ws_path))).expect("catalog");
    let ws = microcred::document::load_workspace(ws_path, &cat)
        .expect("workspace")
        .workspace;
    let people = microcred::serve::people::People::load(people_path, &ws).expect("people");
    let hub = microcred::document::hub::Hub::new(ws, Arc::new(cat), Some(ws_path.to_path_buf()));
    microcred::serve::start(
        hub,
        people,
        "127.0.0.1:0".parse().expect("addr"),
        super::client::key(),
        limits,
        true,
        None,
    )
    .await
    .expect("server starts")
}

//! An in-process russh client for `microcred serve`: one editor session whose output is read
//! through a vt100 parser, with a hook called after every chunk of output.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use russh::client::{self, AuthResult};
use russh::keys::{Algorithm, PrivateKey, PrivateKeyWithHashAlg, PublicKeyOrCertificate};
use russh::{ChannelMsg, ChannelWriteHalf};

/// A fresh ed25519 key.
pub fn key() -> PrivateKey {
    PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519).expect("key")
}

/// The key's `ssh-ed25519 AAAA…` line for PEOPLE.yaml.
pub fn publine(k: &PrivateKey) -> String {
    k.public_key().to_openssh().expect("openssh")
}

/// A PEOPLE.yaml in `dir` with one person, Dee Designer (a designer), who logs in with `k`.
pub fn designer_people(dir: &std::path::Path, k: &PrivateKey) -> std::path::PathBuf {
    let people = dir.join("people.yaml");
    std::fs::write(
        &people,
        format!(
            "people:\n- name: Dee Designer\n  role: designer\n  keys: [\"{}\"]\n",
            publine(k)
        ),
    )
    .expect("write people");
    people
}

/// Trusts any host key (loopback tests; the OpenSSH tests pin it instead).
pub struct Trusting;

impl client::Handler for Trusting {
    type Error = russh::Error;
    async fn check_server_key(&mut self, _k: &PublicKeyOrCertificate) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

/// Offer key `k` (any user name: the server goes by the key); true when it is accepted.
pub async fn authenticate(h: &mut client::Handle<Trusting>, k: &PrivateKey) -> bool {
    let r = h
        .authenticate_publickey(
            "anyone",
            PrivateKeyWithHashAlg::new(Arc::new(k.clone()), None),
        )
        .await
        .expect("auth exchange");
    matches!(r, AuthResult::Success)
}

/// Called with the screen after each chunk of output is parsed.
pub type Hook = Box<dyn FnMut(&vt100::Screen) + Send>;

/// A connected editor session and the screen it shows.
pub struct Screen {
    pub screen: Arc<Mutex<vt100::Parser>>,
    pub closed: Arc<Mutex<bool>>,
    pub write: ChannelWriteHalf<client::Msg>,
    _h: client::Handle<Trusting>,
}

impl Screen {
    /// Connect to `addr` from `source` (any 127/8 address on Linux, so that many sessions do
    /// not hit the per-address cap), log in with `k`, and open an editor of `cols`×`rows`.
    pub async fn open(
        addr: SocketAddr,
        source: Option<IpAddr>,
        k: &PrivateKey,
        cols: u32,
        rows: u32,
        mut hook: Option<Hook>,
    ) -> Screen {
        let sock = tokio::net::TcpSocket::new_v4().expect("socket");
        if let Some(ip) = source {
            sock.bind(SocketAddr::new(ip, 0)).expect("bind source");
        }
        let stream = tokio::time::timeout(Duration::from_secs(10), sock.connect(addr))
            .await
            .expect("connect in time")
            .expect("connect");
        let _ = stream.set_nodelay(true);
        let cfg = Arc::new(client::Config::default());
        let mut h = client::connect_stream(cfg, stream, Trusting)
            .await
            .expect("ssh handshake");
        assert!(authenticate(&mut h, k).await, "key accepted");
        let ch = h.channel_open_session().await.expect("session channel");
        ch.request_pty(true, "xterm-256color", cols, rows, 0, 0, &[])
            .await
            .expect("pty");
        ch.request_shell(true).await.expect("shell");
        let (mut read, write) = ch.split();
        // The server draws a 0×0 window as 80×24 and clamps large ones to 500×200.
        let (r, c) = match (rows, cols) {
            (0, _) | (_, 0) => (24, 80),
            _ => (rows.min(200) as u16, cols.min(500) as u16),
        };
        let nz = |n: u16| std::num::NonZeroU16::new(n).expect("non-zero size");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(nz(r), nz(c), 0)));
        let closed = Arc::new(Mutex::new(false));
        let (s, c) = (screen.clone(), closed.clone());
        tokio::spawn(async move {
            while let Some(msg) = read.wait().await {
                match msg {
                    ChannelMsg::Data { data } => {
                        let mut p = s.lock().unwrap_or_else(|p| p.into_inner());
                        p.process(&data);
                        if let Some(h) = hook.as_mut() {
                            h(p.screen());
                        }
                    }
                    ChannelMsg::Close | ChannelMsg::Eof => break,
                    _ => {}
                }
            }
            *c.lock().unwrap_or_else(|p| p.into_inner()) = true;
        });
        Screen {
            screen,
            closed,
            write,
            _h: h,
        }
    }

    pub fn text(&self) -> String {
        self.screen
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .screen()
            .contents()
    }

    pub async fn send(&self, bytes: &[u8]) {
        self.write.data(bytes).await.expect("send");
    }

    /// Wait (bounded) until the screen contains `what`.
    pub async fn wait_for(&self, what: &str, limit: Duration) {
        let t = Instant::now();
        while t.elapsed() < limit {
            if self.text().contains(what) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        panic!("`{what}` not on screen after {limit:?}:\n{}", self.text());
    }

    /// Wait (bounded) until the server closes the session; false on time-out.
    pub async fn wait_closed(&self, limit: Duration) -> bool {
        let t = Instant::now();
        while t.elapsed() < limit {
            if *self.closed.lock().unwrap_or_else(|p| p.into_inner()) {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        false
    }

    /// Wait (bounded) until the screen no longer contains `what`; false on time-out.
    pub async fn wait_gone(&self, what: &str, limit: Duration) -> bool {
        let t = Instant::now();
        // Gone for good: absent at two looks 60 ms apart. A frame arrives over SSH in pieces,
        // and a screen read between two pieces may miss text that is still there (an editor
        // then typed on into a form it thought closed).
        let mut absent_since: Option<Instant> = None;
        while t.elapsed() < limit {
            if self.text().contains(what) {
                absent_since = None;
            } else {
                let since = *absent_since.get_or_insert_with(Instant::now);
                if since.elapsed() >= Duration::from_millis(60) {
                    return true;
                }
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        false
    }
}

//! Telling a refused client why: [`admission::refusal_bytes`] (a line, then an SSH disconnect
//! that a plain `ssh` prints), then the connection closes. Bounded: a few hundred refusals
//! linger at once, for a second at most; past that a refusal just closes.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::admission::{self, Refusal};

/// Refusals being told at once, at most.
const MAX_LINGERING: usize = 256;
/// How long a refused connection is kept open for the client to read why.
const LINGER: Duration = Duration::from_secs(1);

static LINGERING: AtomicUsize = AtomicUsize::new(0);

/// Send `sock` the reason it is refused and close it. The reason is written at once (a new
/// socket's buffer has room for it); the connection is then kept for up to a second while
/// what the client sent is read and dropped, because closing with unread data sends a reset
/// that may discard the reason before the client reads it.
pub fn tell_and_close(sock: TcpStream, why: Refusal) {
    let bytes = admission::refusal_bytes(why);
    let _ = sock.try_write(&bytes);
    if LINGERING.fetch_add(1, Ordering::SeqCst) >= MAX_LINGERING {
        LINGERING.fetch_sub(1, Ordering::SeqCst);
        return;
    }
    tokio::spawn(async move {
        let mut sock = sock;
        let _ = sock.shutdown().await;
        let mut buf = [0u8; 4096];
        let _ = tokio::time::timeout(LINGER, async {
            let mut left: usize = 64 * 1024;
            while left > 0 {
                match sock.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => left = left.saturating_sub(n),
                }
            }
        })
        .await;
        LINGERING.fetch_sub(1, Ordering::SeqCst);
    });
}

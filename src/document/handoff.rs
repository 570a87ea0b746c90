//! Changes from the command line handed to the process that has the design open.
//!
//! The process holding a design's edit lock (the local editor or `microcred serve`) listens on
//! the design's hand-off socket ([`crate::store::socket`]: owner-only, named from the file). A
//! command that would change the design (`evidence add`, `evidence remove`) and finds it open
//! connects there instead of refusing: it asks for the document as the holder has it
//! ([`Request::Document`]), works out its change, and sends it ([`Request::Apply`]) with the
//! person's name. The holder's event loop takes it ([`Handoff`]) and applies it as a change of
//! that person: journaled, on every screen at once, and undone with `u` like a typed one. The
//! reply says it was applied (with the version) or why it was refused, in the words the
//! command would have used itself.
//!
//! One request per connection, one JSON line each way. The listener runs on threads of its
//! own, never on the key path: every read is bounded in length ([`MAX_LINE`]) and in time, at
//! most [`MAX_CLIENTS`] connections are served at once, and a client that sends garbage, too
//! much or too slowly gets a refusal and is closed.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Weak, mpsc};
use std::thread;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::Hub;
use crate::edit::Op;
use crate::model::Workspace;
use crate::store::socket;

/// Longest line read either way: twice the largest workspace file (a request adding postings
/// near that size, or a document sent back, in JSON).
pub const MAX_LINE: usize = 2 * crate::store::MAX_FILE_BYTES as usize;
/// Connections served at once; more are refused at once.
pub const MAX_CLIENTS: usize = 4;
/// How long one read of a request may wait for bytes.
const EACH_READ: Duration = Duration::from_secs(2);
/// How long a whole request may take to arrive.
const REQUEST_TIME: Duration = Duration::from_secs(10);
/// How long one write of a reply may wait for the client to read.
const WRITE_WAIT: Duration = Duration::from_secs(5);
/// How long the listener waits for the editor to make a change.
const ANSWER_WAIT: Duration = Duration::from_secs(30);
/// How long the command waits for a reply (the change may be large, and the holder waits up
/// to [`ANSWER_WAIT`] for its editor).
const CLIENT_WAIT: Duration = Duration::from_secs(60);

/// What a command asks the holder.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "ask", rename_all = "snake_case", deny_unknown_fields)]
pub enum Request {
    /// The document as the holder has it now (with its unsaved changes).
    Document,
    /// Apply `op` as one change made by `who` (a person's name).
    Apply { who: String, op: Box<Op> },
}

/// What the holder answers.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum Reply {
    /// The document at `version`.
    Document {
        version: u64,
        workspace: Box<Workspace>,
    },
    /// The change was made; the document is at `version` now.
    Applied { version: u64 },
    /// Nothing was changed, for `reason`.
    Refused { reason: String },
}

/// [`Reply`] as written: the document is borrowed from the snapshot, not copied.
#[derive(Serialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
enum ReplyOut<'a> {
    Document {
        version: u64,
        workspace: &'a Workspace,
    },
    Applied {
        version: u64,
    },
    Refused {
        reason: String,
    },
}

/// A change handed over, for the holder's event loop to make and [`answer`](Handoff::answer).
#[derive(Debug)]
pub struct Handoff {
    /// Who made it (a name cleaned of control characters and cut to the name limit).
    pub who: String,
    /// The change.
    pub op: Op,
    reply: mpsc::Sender<Result<u64, String>>,
}

impl Handoff {
    /// A change `op` by `who` and the receiver of its answer (for hosts and tests).
    pub fn new(who: &str, op: Op) -> (Handoff, mpsc::Receiver<Result<u64, String>>) {
        let (tx, rx) = mpsc::channel();
        let h = Handoff {
            who: clean_name(who),
            op,
            reply: tx,
        };
        (h, rx)
    }

    /// Tell the command how it went: the new version, or why nothing was changed.
    pub fn answer(self, result: Result<u64, String>) {
        let _ = self.reply.send(result);
    }

    /// Make the change with `make` (given who made it and the change) and answer with what it
    /// returns.
    pub fn answer_with(self, make: impl FnOnce(&str, Op) -> Result<u64, String>) {
        let result = make(&self.who, self.op);
        let _ = self.reply.send(result);
    }
}

/// A person's name as a client gave it, made safe to show and store (see
/// [`crate::text::names::person_name`]); a blank one says where the change came from.
fn clean_name(who: &str) -> String {
    crate::text::names::person_name(who, crate::limits::NAME)
        .unwrap_or_else(|| "someone on the command line".into())
}

/// The listening side: stops listening and removes the socket when dropped.
#[derive(Debug)]
pub struct Listener {
    path: PathBuf,
    ino: u64,
    stop: Arc<AtomicBool>,
}

impl Listener {
    /// The socket's name.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accepting thread so that it sees the stop.
        let _ = std::os::unix::net::UnixStream::connect(&self.path);
        if socket::is_same_socket(&self.path, self.ino) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Listen for changes to the design `hub` holds (it must hold the file's edit lock: nobody
/// else can then listen for it). Changes come out of the receiver, for the event loop to make;
/// requests for the document are answered from the hub directly.
pub fn listen(hub: &Arc<Hub>) -> io::Result<(Listener, mpsc::Receiver<Handoff>)> {
    let path = hub
        .snapshot()
        .path
        .ok_or_else(|| io::Error::other("the design has no file yet"))?;
    if !hub.holds_lock() {
        return Err(io::Error::other("the design is not open for editing here"));
    }
    let (listener, sock) = socket::bind(&path)?;
    let ino = socket::socket_ino(&sock)?;
    let stop = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel();
    let weak = Arc::downgrade(hub);
    let stopping = stop.clone();
    let own = (path, sock.clone(), ino);
    thread::Builder::new()
        .name("microcred-handoff".into())
        .spawn(move || accept(listener, weak, tx, stopping, own))?;
    Ok((
        Listener {
            path: sock,
            ino,
            stop,
        },
        rx,
    ))
}

/// Take connections until stopped, each on a thread of its own, at most [`MAX_CLIENTS`].
/// `own` is the design's file, the socket's name and its inode: when the hub no longer edits
/// that file (it was saved under another name), listening stops and the socket goes.
fn accept(
    listener: std::os::unix::net::UnixListener,
    hub: Weak<Hub>,
    tx: mpsc::Sender<Handoff>,
    stop: Arc<AtomicBool>,
    own: (PathBuf, PathBuf, u64),
) {
    let active = Arc::new(AtomicUsize::new(0));
    for conn in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let edits = hub
            .upgrade()
            .is_some_and(|h| h.snapshot().path.as_deref() == Some(own.0.as_path()));
        if !edits {
            if socket::is_same_socket(&own.1, own.2) {
                let _ = std::fs::remove_file(&own.1);
            }
            return;
        }
        let Ok(stream) = conn else {
            // Out of file descriptors, say: do not spin.
            thread::sleep(Duration::from_millis(20));
            continue;
        };
        if active.fetch_add(1, Ordering::SeqCst) >= MAX_CLIENTS {
            active.fetch_sub(1, Ordering::SeqCst);
            let _ = send(
                &stream,
                &ReplyOut::Refused {
                    reason: "the editor is busy with other command-line changes; try again".into(),
                },
            );
            continue;
        }
        let (hub, tx, active) = (hub.clone(), tx.clone(), active.clone());
        let spawned = thread::Builder::new()
            .name("microcred-handoff-client".into())
            .spawn(move || {
                serve_one(&stream, &hub, &tx);
                active.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            // No thread, so nobody will count this one down.
            thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Read one request from `stream` and answer it.
fn serve_one(stream: &std::os::unix::net::UnixStream, hub: &Weak<Hub>, tx: &mpsc::Sender<Handoff>) {
    let refused = |reason: String| ReplyOut::Refused { reason };
    let line = match socket::read_line(stream, MAX_LINE, EACH_READ, REQUEST_TIME) {
        Ok(l) => l,
        Err(e) => {
            let _ = send(stream, &refused(format!("not a request: {e}")));
            return;
        }
    };
    let request = match serde_json::from_slice::<Request>(&line) {
        Ok(r) => r,
        Err(e) => {
            let _ = send(stream, &refused(format!("not a request: {e}")));
            return;
        }
    };
    drop(line);
    match request {
        Request::Document => match hub.upgrade() {
            Some(h) => {
                let snap = h.snapshot();
                drop(h);
                let _ = send(
                    stream,
                    &ReplyOut::Document {
                        version: snap.version,
                        workspace: &snap.ws,
                    },
                );
            }
            None => {
                let _ = send(stream, &refused("the editor has closed the design".into()));
            }
        },
        Request::Apply { who, op } => {
            let (h, answer) = Handoff::new(&who, *op);
            let reply = if tx.send(h).is_err() {
                refused("the editor is closing; nothing was changed".into())
            } else {
                match answer.recv_timeout(ANSWER_WAIT) {
                    Ok(Ok(version)) => ReplyOut::Applied { version },
                    Ok(Err(reason)) => refused(reason),
                    Err(mpsc::RecvTimeoutError::Timeout) => refused(format!(
                        "the editor did not answer within {} s; the change may still be made, so look (`microcred evidence list`) before trying again",
                        ANSWER_WAIT.as_secs()
                    )),
                    Err(mpsc::RecvTimeoutError::Disconnected) => refused(
                        "the editor closed before making the change; nothing was changed".into(),
                    ),
                }
            };
            let _ = send(stream, &reply);
        }
    }
}

fn send(stream: &std::os::unix::net::UnixStream, reply: &ReplyOut<'_>) -> io::Result<()> {
    let line = serde_json::to_vec(reply).map_err(io::Error::other)?;
    socket::write_line(stream, &line, WRITE_WAIT)
}

/// Why a request could not be put to the holder.
#[derive(Debug)]
pub enum AskError {
    /// Nothing listens for this design (no holder, or one that does not take hand-offs, or a
    /// socket left by a holder that died): go on as if there were no socket.
    NotListening(io::Error),
    /// Something listens but the exchange failed (what, in words).
    Failed(String),
}

/// Put `request` to the process that has the design at `workspace` open.
pub fn ask(workspace: &Path, request: &Request) -> Result<Reply, AskError> {
    let stream = socket::connect(workspace).map_err(AskError::NotListening)?;
    let line = serde_json::to_vec(request).map_err(|e| AskError::Failed(e.to_string()))?;
    if line.len() > MAX_LINE {
        return Err(AskError::Failed(format!(
            "the change is {} in JSON, more than the {} the editor takes at once",
            crate::store::describe_size(line.len() as u64),
            crate::store::describe_size(MAX_LINE as u64)
        )));
    }
    socket::write_line(&stream, &line, CLIENT_WAIT)
        .map_err(|e| AskError::Failed(format!("cannot send the change: {e}")))?;
    let reply = socket::read_line(&stream, MAX_LINE, CLIENT_WAIT, CLIENT_WAIT * 2)
        .map_err(|e| AskError::Failed(format!("no answer: {e}")))?;
    serde_json::from_slice(&reply).map_err(|e| AskError::Failed(format!("a garbled answer: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_clients_are_cleaned() {
        assert_eq!(clean_name("Ada\u{1b}[31m Lovelace\n"), "Ada[31m Lovelace");
        assert_eq!(clean_name(" \t"), "someone on the command line");
        assert_eq!(
            clean_name(&"x".repeat(10_000)).chars().count(),
            crate::limits::NAME
        );
    }
}

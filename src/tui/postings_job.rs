//! Adding job postings from the editor: the files are read and every posting's sentences are
//! ranked against the frameworks on a thread of its own (seconds for a thousand postings with
//! ESCO loaded), so the editor stays responsive; the session polls the job for its progress
//! and, when it is done, applies what it found as one change.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use crate::analysis::evidence::{self, PostingMeta, Prepared};
use crate::document::Hub;
use crate::edit::Op;
use crate::model::{Posting, Workspace};
use crate::store::postings::{ReadOptions, read_inputs};

/// Job postings to read and add as evidence (the add-postings form).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostingRequest {
    /// A posting file, a folder of them, or a CSV file.
    pub path: PathBuf,
    /// The CSV column holding the text.
    pub column: Option<String>,
    /// The partner they came from.
    pub partner: Option<String>,
    /// When they were posted (else today).
    pub date: Option<String>,
    /// Where they came from (else the file name).
    pub source: Option<String>,
}

/// A running job.
#[derive(Debug)]
pub struct PostingsJob {
    /// What is being read, for messages.
    pub path: PathBuf,
    /// Postings extracted so far, and how many there are (0 while reading the files).
    done: Arc<AtomicUsize>,
    total: Arc<AtomicUsize>,
    rx: Receiver<Result<Prepared, String>>,
}

/// What polling a job found.
#[derive(Debug)]
pub enum Poll {
    /// Still running: postings extracted so far, of how many (0 while reading).
    Running(usize, usize),
    /// Finished: what it found, or why it could not.
    Done(Result<Prepared, String>),
}

impl PostingsJob {
    /// Start reading `req` against the document of `hub` (the suggester is built there once,
    /// shared with the finder); `ws` is the version the ids and duplicates are checked
    /// against, and `today` the default date.
    pub fn start(hub: &Arc<Hub>, ws: Arc<Workspace>, req: PostingRequest, today: String) -> Self {
        let done = Arc::new(AtomicUsize::new(0));
        let total = Arc::new(AtomicUsize::new(0));
        let (tx, rx) = channel();
        let (d, t) = (Arc::clone(&done), Arc::clone(&total));
        let hub = Arc::clone(hub);
        let path = req.path.clone();
        let spawned = std::thread::Builder::new()
            .name("microcred-postings".into())
            .spawn(move || {
                let _ = tx.send(run(&hub, &ws, req, &today, &d, &t));
            });
        let job = PostingsJob {
            path,
            done,
            total,
            rx,
        };
        if let Err(e) = spawned {
            // No thread: say so through the same channel the thread would have used.
            let (tx, rx) = channel();
            let _ = tx.send(Err(format!("cannot start reading: {e}")));
            return PostingsJob { rx, ..job };
        }
        job
    }

    /// How the job stands.
    pub fn poll(&self) -> Poll {
        match self.rx.try_recv() {
            Ok(r) => Poll::Done(r),
            Err(TryRecvError::Empty) => Poll::Running(
                self.done.load(Ordering::Relaxed),
                self.total.load(Ordering::Relaxed),
            ),
            Err(TryRecvError::Disconnected) => {
                Poll::Done(Err("the reading stopped unexpectedly".into()))
            }
        }
    }
}

/// Read and extract, on the job's thread.
fn run(
    hub: &Hub,
    ws: &Workspace,
    req: PostingRequest,
    today: &str,
    done: &AtomicUsize,
    total: &AtomicUsize,
) -> Result<Prepared, String> {
    let raws = read_inputs(
        std::slice::from_ref(&req.path),
        &ReadOptions {
            column: req.column.clone(),
            title_column: None,
        },
    )
    .map_err(|p| p.to_string())?;
    total.store(raws.len(), Ordering::Relaxed);
    let suggester = hub.suggester();
    let meta = PostingMeta {
        partner: req.partner,
        source: req.source,
        date: req.date,
    };
    let mut progress = |d: usize, t: usize| {
        done.store(d, Ordering::Relaxed);
        total.store(t, Ordering::Relaxed);
    };
    Ok(evidence::prepare(
        ws,
        raws,
        &suggester,
        &meta,
        today,
        &mut progress,
    ))
}

/// The change that adds `postings` to `ws` as it is now (it may have changed while they were
/// read): postings already there are left out, and ids taken meanwhile are renumbered.
/// Returns the op (None when nothing is left) and how many postings it adds.
pub fn insert_op(ws: &Workspace, postings: Vec<Posting>) -> (Option<Op>, usize) {
    let mut seen: std::collections::HashSet<String> =
        ws.postings.iter().map(|p| p.sha256.clone()).collect();
    let mut used: std::collections::HashSet<String> =
        ws.postings.iter().map(|p| p.id.clone()).collect();
    let mut next = ws.postings.len() + 1;
    let mut ops = Vec::new();
    for mut p in postings {
        if !seen.insert(p.sha256.clone()) {
            continue;
        }
        if used.contains(&p.id) {
            while used.contains(&format!("P{next}")) {
                next += 1;
            }
            p.id = format!("P{next}");
        }
        used.insert(p.id.clone());
        ops.push(Op::InsertPosting {
            at: usize::MAX,
            posting: Box::new(p),
        });
    }
    let n = ops.len();
    ((n > 0).then_some(Op::Batch { ops }), n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posting(id: &str, sha: &str) -> Posting {
        Posting {
            id: id.into(),
            title: id.into(),
            source: None,
            date: None,
            partner: None,
            sha256: sha.into(),
            text: sha.into(),
            mentions: vec![],
        }
    }

    #[test]
    fn postings_added_meanwhile_are_skipped_and_taken_ids_renumbered() {
        let ws = Workspace {
            postings: vec![posting("P1", "a"), posting("P2", "b")],
            ..Workspace::default()
        };
        let (op, n) = insert_op(
            &ws,
            vec![posting("P2", "b"), posting("P2", "c"), posting("P3", "d")],
        );
        assert_eq!(n, 2);
        let Some(Op::Batch { ops }) = op else {
            panic!("expected a batch")
        };
        let ids: Vec<&str> = ops
            .iter()
            .map(|o| match o {
                Op::InsertPosting { posting, .. } => posting.id.as_str(),
                _ => "",
            })
            .collect();
        assert_eq!(ids, ["P3", "P4"]);
        assert_eq!(insert_op(&ws, vec![posting("P9", "a")]).1, 0);
    }
}

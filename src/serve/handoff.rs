//! Changes from the command line to the served design (`document::handoff`): the server
//! listens on the design's hand-off socket and gives each change to one designer's session,
//! which makes it as a change of the person who ran the command (so that it is journaled,
//! every screen shows it at once, and `u` in that session undoes it). The session chosen is a
//! designer's whose name is the command's person's, else the designer who connected last;
//! with no designer connected, the server makes the change itself (nobody's `u` undoes it).

use std::sync::{Arc, Mutex, Weak};

use tokio::sync::mpsc;

use super::Shared;
use crate::document::handoff::{self, Handoff, Listener};
use crate::edit::{Actor, Role};

/// The sessions that can take a change, in the order they connected.
#[derive(Default)]
pub struct Inboxes {
    next: u64,
    list: Vec<Inbox>,
}

struct Inbox {
    id: u64,
    name: String,
    designer: bool,
    tx: mpsc::UnboundedSender<Handoff>,
}

/// A session's place among the inboxes, left when dropped.
pub struct Registration {
    shared: Weak<Shared>,
    id: u64,
}

impl Drop for Registration {
    fn drop(&mut self) {
        if let Some(s) = self.shared.upgrade() {
            inboxes(&s).list.retain(|i| i.id != self.id);
        }
    }
}

fn inboxes(shared: &Shared) -> std::sync::MutexGuard<'_, Inboxes> {
    shared.handoffs.lock().unwrap_or_else(|p| p.into_inner())
}

/// Let the session of `actor` take changes from the command line (only designers' sessions are
/// given any): its place, and where the changes come.
pub fn register(
    shared: &Arc<Shared>,
    actor: &Actor,
) -> (Registration, mpsc::UnboundedReceiver<Handoff>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let mut all = inboxes(shared);
    all.next += 1;
    let id = all.next;
    all.list.push(Inbox {
        id,
        name: actor.name.clone(),
        designer: actor.role == Role::Designer,
        tx,
    });
    let reg = Registration {
        shared: Arc::downgrade(shared),
        id,
    };
    (reg, rx)
}

/// Listen for changes from the command line to the served design, if it is the file's one
/// editor; `None` (said in the log) when the socket cannot be made.
pub fn start(shared: &Arc<Shared>) -> Option<Listener> {
    if !shared.hub.holds_lock() {
        return None;
    }
    let (listener, rx) = match handoff::listen(&shared.hub) {
        Ok(l) => l,
        Err(e) => {
            shared.log(&format!(
                "changes from the command line cannot reach this server: {e}"
            ));
            return None;
        }
    };
    let weak = Arc::downgrade(shared);
    let started = std::thread::Builder::new()
        .name("microcred-serve-handoff".into())
        .spawn(move || {
            for h in rx {
                match weak.upgrade() {
                    Some(shared) => route(&shared, h),
                    None => h.answer(Err("the server is stopping; nothing was changed".into())),
                }
            }
        });
    started.ok().map(|_| listener)
}

/// The inbox a change by `who` goes to: a designer's of that name, else the designer who
/// connected last.
fn pick<'a>(list: &'a [Inbox], who: &str) -> Option<&'a Inbox> {
    let mut designers = list.iter().filter(|i| i.designer);
    designers
        .clone()
        .find(|i| i.name.trim().eq_ignore_ascii_case(who.trim()))
        .or_else(|| designers.next_back())
}

/// Give `h` to a designer's session, or make it here when none is connected.
fn route(shared: &Shared, mut h: Handoff) {
    loop {
        let target = pick(&inboxes(shared).list, &h.who).map(|i| (i.id, i.tx.clone()));
        let Some((id, tx)) = target else {
            h.answer_with(|who, op| {
                let r = shared.hub.apply(&Actor::designer(who), op);
                shared.publish();
                r.map(|_| shared.hub.version()).map_err(|e| e.to_string())
            });
            return;
        };
        match tx.send(h) {
            Ok(()) => return,
            // That session ended meanwhile: the next one.
            Err(back) => {
                h = back.0;
                inboxes(shared).list.retain(|i| i.id != id);
            }
        }
    }
}

/// The inboxes of a server, for its shared state.
pub fn new_inboxes() -> Mutex<Inboxes> {
    Mutex::new(Inboxes::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inbox(id: u64, name: &str, designer: bool) -> Inbox {
        let (tx, _) = mpsc::unbounded_channel();
        Inbox {
            id,
            name: name.into(),
            designer,
            tx,
        }
    }

    #[test]
    fn a_change_goes_to_the_designer_of_that_name_else_the_last_designer() {
        let list = [
            inbox(1, "Ada", true),
            inbox(2, "Bo", true),
            inbox(3, "Cy", false),
        ];
        assert_eq!(pick(&list, "ada").map(|i| i.id), Some(1));
        assert_eq!(
            pick(&list, "Cy").map(|i| i.id),
            Some(2),
            "partners take none"
        );
        assert_eq!(pick(&list, "Dee").map(|i| i.id), Some(2));
        assert!(pick(&list[2..], "Cy").is_none());
    }
}

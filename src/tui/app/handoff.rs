//! Changes handed over from the command line (`document::handoff`): made in this session as
//! a change of the person who ran the command, so that they are journaled, shown on every
//! screen and undone with `u` like a typed one.

use std::sync::mpsc;

use super::*;
use crate::document::handoff::Handoff;

impl App {
    /// Make the change `op` that `who` handed over from the command line; the document's new
    /// version, or why nothing was changed (the words the command prints). Its inverse joins
    /// this session's undo history. The role and validity checks are the hub's, as for any
    /// change; the session's own change gate (a rate for typing) does not apply.
    pub fn take_handoff(&mut self, who: &str, op: Op) -> Result<u64, String> {
        let what = crate::edit::sentence(&op);
        let actor = Actor::designer(who);
        match self.hub.apply(&actor, op) {
            Ok(Op::Batch { ops }) if ops.is_empty() => Ok(self.hub.version()),
            Ok(inverse) => {
                self.history.record(inverse);
                self.sync();
                self.info(format!(
                    "{who}, from the command line: {what} {} undoes it.",
                    self.key_for(Cmd::Undo)
                ));
                Ok(self.hub.version())
            }
            Err(e) => Err(e.to_string()),
        }
    }

    /// Make every change waiting in `inbox` and answer each; true when there was one.
    pub fn take_handoffs(&mut self, inbox: &mpsc::Receiver<Handoff>) -> bool {
        let mut any = false;
        while let Ok(h) = inbox.try_recv() {
            h.answer_with(|who, op| self.take_handoff(who, op));
            any = true;
        }
        any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::handoff::Handoff;

    #[test]
    fn a_handed_over_change_is_the_persons_and_u_undoes_it() {
        let cat = Catalog::embedded().expect("the built-in frameworks");
        let mut app = App::new(
            Workspace::default(),
            Arc::new(cat),
            None,
            Actor::designer("dee"),
        );
        let (tx, inbox) = mpsc::channel();
        let id = "urn:uuid:00000000-0000-4000-8000-000000000001";
        let (h, answer) = Handoff::new(
            "Bo",
            Op::SetCredentialId {
                id: Some(id.into()),
            },
        );
        tx.send(h).expect("sent");
        assert!(app.take_handoffs(&inbox));
        assert_eq!(answer.recv().expect("answered"), Ok(app.hub.version()));
        assert_eq!(app.ws.credential.id.as_deref(), Some(id));
        assert!(
            app.status.text.starts_with("Bo, from the command line:"),
            "{}",
            app.status.text
        );
        let last = app.hub.activity_since(0).pop().expect("an activity line");
        assert_eq!(last.who, "Bo");
        app.handle(Event::Key(KeyEvent::new(
            KeyCode::Char('u'),
            KeyModifiers::NONE,
        )));
        assert_eq!(app.ws.credential.id, None, "{}", app.status.text);
        // A change the hub refuses is answered with the reason and changes nothing.
        let (h, answer) = Handoff::new("Bo", Op::RemovePosting { id: "P9".into() });
        tx.send(h).expect("sent");
        app.take_handoffs(&inbox);
        let why = answer.recv().expect("answered").expect_err("refused");
        assert!(why.contains("P9"), "{why}");
        assert!(!app.take_handoffs(&inbox), "nothing more waits");
    }
}

//! Unsaved changes an earlier session left in a journal: the question, the answer as an
//! [`Effect`] the host carries out (recovering touches files), and what is then said.

use super::*;

/// How to answer the journal found when the design was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovery {
    /// Apply its changes to the design, unsaved.
    IntoDocument,
    /// Apply them to a conflict copy beside the file, which changed on disk since.
    IntoCopy,
    /// Remove the journal.
    Discard,
    /// Remove the journal, whose changes change nothing (not asked).
    DiscardNoOp,
}

/// What the host did for a [`Recovery`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovered {
    /// Changes recovered into the design, and the problems of those left out.
    Into(usize, Vec<String>),
    /// Changes recovered into the conflict copy at the path, and the problems.
    Copy(usize, Vec<String>, PathBuf),
    /// The journal was removed.
    Discarded,
}

impl App {
    /// Ask whether to recover the unsaved changes a journal holds (an earlier session ended
    /// without saving). Changes that would change nothing are discarded without asking: the
    /// effect to carry out then.
    pub fn offer_recovery(&mut self, found: journal::Found) -> Option<Effect> {
        let name = self.design_name();
        if self.hub.changes_nothing(&found) {
            return Some(Effect::Recover(Box::new(found), Recovery::DiscardNoOp));
        }
        let (text, yes) = if found.file_changed {
            (
                format!(
                    "{name} was changed on disk (by another program or a checkout) after its last unsaved changes were made here: the journal holds {}.",
                    found.summary()
                ),
                "recover them into a conflict copy beside it, leaving the file as it is",
            )
        } else {
            (
                format!(
                    "{name} was not saved after its last changes: the journal holds {}.",
                    found.summary()
                ),
                "recover them",
            )
        };
        self.push_layer(Modal::Confirm(Box::new(Confirm {
            title: "Unsaved changes found".into(),
            text,
            choices: vec![
                (Answer::Yes, yes.into()),
                (Answer::No, "discard them".into()),
                (
                    Answer::Cancel,
                    "quit and decide later (the journal stays)".into(),
                ),
            ],
            sel: 0,
            pending: Pending::Recover(Box::new(found)),
        })));
        None
    }

    fn design_name(&self) -> String {
        self.path
            .as_ref()
            .map_or("the design".to_string(), |p| p.display().to_string())
    }

    /// The answer to the recovery question, as the effect the host carries out.
    pub(super) fn recovery_answer(&mut self, found: &journal::Found, a: Answer) -> Option<Effect> {
        let how = match a {
            Answer::Yes if found.file_changed => Recovery::IntoCopy,
            Answer::Yes => Recovery::IntoDocument,
            Answer::No => Recovery::Discard,
            Answer::Cancel => return Some(Effect::Quit),
        };
        Some(Effect::Recover(Box::new(found.clone()), how))
    }

    /// Tell the session what the host did with the journal `found`.
    pub fn recovered(
        &mut self,
        found: &journal::Found,
        how: Recovery,
        result: Result<Recovered, String>,
    ) {
        let problems = |p: &[String]| {
            p.first()
                .map_or(String::new(), |f| format!(" ({} not: {f})", p.len()))
        };
        match (how, result) {
            (Recovery::DiscardNoOp, _) => {
                let name = self.design_name();
                self.info(format!(
                    "An earlier session left changes to {name} that change nothing; they were discarded."
                ));
            }
            (_, Ok(Recovered::Copy(n, p, copy))) => self.info(format!(
                "Recovered {n} change(s) into {}{}; the file is as it was on disk. Compare and merge.",
                copy.display(),
                problems(&p)
            )),
            (Recovery::IntoCopy, Err(e)) => self.error(format!(
                "The changes could not be recovered ({e}); the journal was left as it is."
            )),
            (_, Ok(Recovered::Into(n, p))) => {
                self.sync();
                self.info(format!(
                    "Recovered {n} unsaved change(s){}. {} saves them.",
                    problems(&p),
                    self.key_for(Cmd::Save)
                ));
            }
            (_, Ok(Recovered::Discarded)) => self.info(format!(
                "Discarded {} unsaved change(s).",
                found.entries.len()
            )),
            (_, Err(e)) => self.error(format!("The journal could not be removed: {e}")),
        }
    }
}

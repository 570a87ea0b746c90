//! The postings job: starting it from the add-postings form and taking in its result.

use super::*;

impl App {
    /// Start reading job postings in the background (see [`crate::tui::postings_job`]).
    pub fn start_postings(&mut self, req: PostingRequest) {
        if let Some(job) = &self.postings_job {
            self.error(format!(
                "Postings from {} are still being read; add more when they are in.",
                job.path.display()
            ));
            return;
        }
        if let Err(e) = self.may_change() {
            self.error(format!("Not added: {e}"));
            return;
        }
        let today: String = self.now().chars().take(10).collect();
        self.info(format!(
            "Reading postings from {} in the background…",
            req.path.display()
        ));
        self.postings_job = Some(crate::tui::postings_job::PostingsJob::start(
            &self.hub,
            Arc::clone(&self.ws),
            req,
            today,
        ));
    }

    /// Show the postings job's progress, or add what it found; true when the screen changed.
    pub(super) fn poll_postings(&mut self) -> bool {
        use crate::tui::postings_job::{Poll, insert_op};
        let Some(job) = &self.postings_job else {
            return false;
        };
        let path = job.path.display().to_string();
        match job.poll() {
            Poll::Running(done, total) => {
                let text = if total == 0 {
                    format!("Reading postings from {path}…")
                } else {
                    format!("Reading postings from {path}: {done} of {total} ranked…")
                };
                if self.status.text == text {
                    return false;
                }
                self.info(text);
            }
            Poll::Done(result) => {
                self.postings_job = None;
                match result {
                    Err(why) => self.error(format!("Postings not added: {why}")),
                    Ok(prepared) => {
                        let read = prepared.postings.len();
                        let mentions: usize =
                            prepared.postings.iter().map(|p| p.mentions.len()).sum();
                        let (op, n) = insert_op(&self.ws, prepared.postings);
                        // Already there when read, or added by someone else meanwhile.
                        let skipped = prepared.skipped.len() + (read - n);
                        let also = if skipped > 0 {
                            format!(" ({skipped} already in the design, skipped)")
                        } else {
                            String::new()
                        };
                        match op {
                            None => self
                                .info(format!("Every posting in {path} is already in the design.")),
                            Some(op) => {
                                let _ = self.apply(
                                    op,
                                    &format!(
                                        "Added {n} posting(s) from {path}{also}: {mentions} competency mention(s). {} shows the demand.",
                                        self.key_for(Cmd::Demand)
                                    ),
                                );
                            }
                        }
                    }
                }
            }
        }
        true
    }

    /// The request the add-postings form stands for, or the form again with what is wrong.
    pub(super) fn posting_request(&mut self, form: &mut Form) -> Flow {
        let path = form.get("path");
        let date = form.get_opt("date");
        let column = form.get_opt("column");
        let why = if path.is_empty() {
            Some("name a posting file, a folder of them, or a CSV file".to_string())
        } else {
            date.as_deref()
                .filter(|d| !crate::model::validate::valid_date(d))
                .map(|d| format!("`{d}` is not a date: write it as YYYY-MM-DD"))
        };
        if let Some(why) = why {
            form.error = Some(why);
            return Flow::Stay;
        }
        let partner = form.get("partner");
        if self.postings_job.is_some() {
            form.error = Some("postings are still being read; wait for them first".into());
            return Flow::Stay;
        }
        Flow::Close(Some(Effect::AddPostings(PostingRequest {
            path: PathBuf::from(path),
            column,
            partner: (partner != crate::tui::form::NO_PARTNER && !partner.is_empty())
                .then_some(partner),
            date,
            source: form.get_opt("source"),
        })))
    }
}

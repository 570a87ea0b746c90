//! The form in front: its keys (text editing, moving between fields) and closing it.

use super::*;

impl App {
    /// A key in the form in front: text editing, moving between fields, saving or closing.
    pub(super) fn form_key(
        &mut self,
        form: &mut Form,
        cmd: Option<Cmd>,
        k: Option<KeyEvent>,
    ) -> Flow {
        if let Some(note) = k.and_then(|k| form.text_key(&k)) {
            if let Some(note) = note {
                self.error(note);
            }
            return Flow::Stay;
        }
        let on_choice = form.fields.get(form.sel).is_some_and(|f| f.is_choice());
        match cmd {
            Some(Cmd::Cancel) => {
                self.info("Closed without changes.");
                return Flow::Close(None);
            }
            Some(Cmd::Submit) => return self.submit(form),
            Some(Cmd::NextField) => form.move_sel(true),
            Some(Cmd::PrevField) => form.move_sel(false),
            Some(Cmd::NextChoice) if on_choice => form.cycle(true),
            Some(Cmd::PrevChoice) if on_choice => form.cycle(false),
            _ => {}
        }
        Flow::Stay
    }
}

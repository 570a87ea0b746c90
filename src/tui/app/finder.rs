//! The finder and the framework browser: their keys, and the competency picked from them.

use super::*;

impl App {
    /// Pick a competency from the finder or browser.
    pub(super) fn pick(&mut self, purpose: FinderPurpose, reference: String) {
        let in_credential = self.ws.competency(&reference).is_some();
        let target = self.default_level(&reference).unwrap_or(1);
        let cc = CredentialCompetency {
            reference: reference.clone(),
            target_level: target,
            hours: None,
            outcome: None,
            assessment: None,
            silence: Vec::new(),
        };
        match purpose {
            FinderPurpose::MapNeed(need) => {
                if self.ws.mapping_index(&need, &reference).is_some() {
                    self.select_mapping(&need, &reference);
                    self.focus = Focus::Mappings;
                    self.error(format!(
                        "{need} is already mapped to {}.",
                        self.competency_label(&reference)
                    ));
                    return;
                }
                // Nothing changes until the form is saved: Esc leaves the design as it was.
                let existing = self.ws.competency(&reference).cloned();
                let form = Form::new_mapping(
                    &self.ws,
                    &self.catalog,
                    &need,
                    existing.as_ref().unwrap_or(&cc),
                    existing.is_none(),
                );
                self.push_layer(Modal::Form(Box::new(form)));
            }
            FinderPurpose::AddToCredential => {
                if in_credential {
                    self.error(format!(
                        "{} is already in the credential.",
                        self.competency_label(&reference)
                    ));
                    return;
                }
                if self.apply(
                    Op::InsertCompetency {
                        at: self.ws.competencies.len(),
                        competency: cc.clone(),
                    },
                    &format!(
                        "Added {} to the credential.",
                        self.competency_label(&reference)
                    ),
                ) {
                    if let Some(f) = Form::credential_competency(&self.catalog, &cc) {
                        self.push_layer(Modal::Form(Box::new(f)));
                    }
                }
            }
        }
    }

    /// A key in the finder: typing searches, Enter picks the selected competency.
    pub(super) fn finder_key(
        &mut self,
        f: &mut Finder,
        cmd: Option<Cmd>,
        k: Option<KeyEvent>,
    ) -> Flow {
        let last = f.hits.len().saturating_sub(1);
        match cmd {
            Some(Cmd::Cancel) => return Flow::Close(None),
            Some(Cmd::Submit) => {
                if let Err(why) = self.permits(Cmd::EditCredential) {
                    self.error(why);
                } else if let Some(hit) = f.selected() {
                    let reference = hit.reference.clone();
                    self.pick(f.purpose.clone(), reference);
                    return Flow::Close(None);
                } else {
                    return Flow::Close(None);
                }
            }
            Some(Cmd::Down) => f.sel = (f.sel + 1).min(last),
            Some(Cmd::Up) => f.sel = f.sel.saturating_sub(1),
            Some(Cmd::PageDown) => f.sel = (f.sel + 10).min(last),
            Some(Cmd::PageUp) => f.sel = f.sel.saturating_sub(10),
            _ => {
                if let Some(k) = k {
                    f.key(&k);
                }
            }
        }
        Flow::Stay
    }

    /// A key in the framework browser: moving in and between its columns, Enter picks.
    pub(super) fn browser_key(&mut self, b: &mut Browser, cmd: Option<Cmd>) -> Flow {
        let cats = Browser::categories(&self.catalog, b.fw);
        let comps = cats
            .get(b.cat)
            .map(|c| Browser::competencies(&self.catalog, b.fw, c))
            .unwrap_or_default();
        let len = [self.catalog.entries().len(), cats.len(), comps.len()];
        match cmd {
            Some(Cmd::Cancel) => return Flow::Close(None),
            Some(Cmd::Left) => b.column = b.column.saturating_sub(1),
            Some(Cmd::Right) => b.column = (b.column + 1).min(2),
            Some(c @ (Cmd::Down | Cmd::Up)) => {
                let n = len[b.column];
                let cur = match b.column {
                    0 => &mut b.fw,
                    1 => &mut b.cat,
                    _ => &mut b.comp,
                };
                *cur = if c == Cmd::Down {
                    (*cur + 1).min(n.saturating_sub(1))
                } else {
                    cur.saturating_sub(1)
                };
                if b.column == 0 {
                    b.cat = 0;
                    b.comp = 0;
                } else if b.column == 1 {
                    b.comp = 0;
                }
            }
            Some(Cmd::Submit) => {
                if b.column < 2 {
                    b.column += 1;
                } else if let Some(r) = b.selected(&self.catalog) {
                    if let Err(why) = self.permits(Cmd::EditCredential) {
                        self.error(why);
                    } else {
                        self.pick(FinderPurpose::AddToCredential, r);
                        return Flow::Close(None);
                    }
                }
            }
            _ => {}
        }
        Flow::Stay
    }
}

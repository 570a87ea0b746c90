//! The sign-off form: a designer records a partner's sign-off given in the room.

use super::{Field, Form, Purpose};
use crate::edit::Op;
use crate::model::*;

impl Form {
    /// A designer records a partner's sign-off of the whole design as it is now (the partner
    /// signs in person, at the workshop's screen): which partner and who signs.
    pub fn sign_off(ws: &Workspace, partner: Option<&str>, note: String) -> Self {
        let ids: Vec<String> = ws.partners.iter().map(|p| p.id.clone()).collect();
        let names: Vec<String> = ws.partners.iter().map(|p| p.name.clone()).collect();
        Form::new(
            "Sign off the whole design",
            Purpose::SignOff,
            vec![
                Field::choice("partner", "For partner", ids, partner.unwrap_or(""))
                    .with_help(names),
                Field::text("name", "Name of the person signing *", ""),
            ],
        )
        .with_note(note)
    }

    /// The sign-off of the design as it is now, for the partner chosen, by the person named.
    pub(super) fn sign_off_op(&self, ws: &Workspace, now: &str) -> Result<Op, String> {
        let partner = self.get("partner");
        let person = self.get("name");
        if partner.is_empty() {
            return Err("add the partner first (P), then sign off for it".into());
        }
        if person.is_empty() {
            return Err("give the name of the person who signs off".into());
        }
        Ok(Op::SetSignOff {
            person: person.clone(),
            partner: partner.clone(),
            sign_off: Some(SignOff {
                person,
                partner,
                at: now.into(),
                design: crate::model::signoff::design_hash(ws),
                key: None,
            }),
            signing: true,
            at: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::example;
    use super::*;

    #[test]
    fn a_sign_off_names_the_partner_and_the_person() {
        let empty = Workspace::default();
        let f = Form::sign_off(&empty, None, String::new());
        assert_eq!(
            f.to_op(&empty, "d", "t"),
            Err("add the partner first (P), then sign off for it".into())
        );
        let (ws, _) = example();
        let mut f = Form::sign_off(&ws, Some("northshore-housing"), "note".into());
        assert_eq!(f.note(), Some("note"));
        assert_eq!(
            f.to_op(&ws, "d", "t"),
            Err("give the name of the person who signs off".into())
        );
        f.set("name", "Ana");
        let Ok(Op::SetSignOff {
            person,
            partner,
            sign_off: Some(s),
            signing: true,
            at: None,
        }) = f.to_op(&ws, "d", "2026-01-02")
        else {
            panic!("a sign-off");
        };
        assert_eq!(
            (person.as_str(), partner.as_str()),
            ("Ana", "northshore-housing")
        );
        assert_eq!(s.at, "2026-01-02");
        assert_eq!(s.design, crate::model::signoff::design_hash(&ws));
    }
}

//! The partner form: add or edit a partner organisation.

use super::{Field, Form, Purpose, words};
use crate::edit::Op;
use crate::model::*;

impl Form {
    /// A form to add or edit a partner.
    pub fn partner(p: Option<&Partner>) -> Self {
        let kind = p.map_or("industry", |p| match p.kind {
            PartnerKind::Industry => "industry",
            PartnerKind::Institution => "institution",
            PartnerKind::Community => "community",
        });
        Form::new(
            if p.is_some() {
                "Edit partner"
            } else {
                "Add a partner"
            },
            p.map_or(Purpose::NewPartner, |p| Purpose::EditPartner(p.id.clone())),
            vec![
                Field::text("id", "Id (short, no spaces)", p.map_or("", |p| &p.id)),
                Field::text("name", "Name", p.map_or("", |p| &p.name)),
                Field::choice(
                    "kind",
                    "Kind",
                    words(&["industry", "institution", "community"]),
                    kind,
                ),
            ],
        )
    }

    /// The partner this form stands for, added at the end or replacing the one edited.
    pub(super) fn partner_op(&self, ws: &Workspace) -> Result<Op, String> {
        let kind = match self.get("kind").as_str() {
            "institution" => PartnerKind::Institution,
            "community" => PartnerKind::Community,
            _ => PartnerKind::Industry,
        };
        let partner = Partner {
            id: self.get("id"),
            name: self.get("name"),
            kind,
        };
        Ok(match &self.purpose {
            Purpose::EditPartner(id) => Op::UpdatePartner {
                id: id.clone(),
                partner,
            },
            _ => Op::InsertPartner {
                at: ws.partners.len(),
                partner,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partner_is_added_at_the_end_or_replaces_the_one_edited() {
        let ws = Workspace::default();
        let mut f = Form::partner(None);
        f.set("id", "acme");
        f.set("name", "Acme");
        f.set("kind", "community");
        let partner = Partner {
            id: "acme".into(),
            name: "Acme".into(),
            kind: PartnerKind::Community,
        };
        assert_eq!(
            f.to_op(&ws, "d", "t"),
            Ok(Op::InsertPartner {
                at: 0,
                partner: partner.clone()
            })
        );
        let mut f = Form::partner(Some(&partner));
        assert_eq!(f.get("kind"), "community");
        f.set("id", "acme2");
        let Ok(Op::UpdatePartner { id, partner: p }) = f.to_op(&ws, "d", "t") else {
            panic!("an update");
        };
        assert_eq!((id.as_str(), p.id.as_str()), ("acme", "acme2"));
    }
}

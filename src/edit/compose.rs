//! Changes composed of several ops that more than one view makes: new needs, each mapped
//! (proposed) to a competency that is added to the credential when it is not there yet — what
//! the demand view's "make it a need" and a competency vote's result both do. Pure: the ops are
//! built against the document as it is; applying them is the caller's.

use std::collections::HashSet;

use super::Op;
use crate::model::{Catalog, CredentialCompetency, Mapping, MappingStatus, Need, Workspace};

/// New needs, each mapped to a competency, built up into one [`Op::Batch`] (one undo).
#[derive(Debug)]
pub struct NewNeeds<'a> {
    ws: &'a Workspace,
    catalog: &'a Catalog,
    ops: Vec<Op>,
    /// Ids given out so far, and the next number tried.
    taken: HashSet<String>,
    next: usize,
    /// Competencies added to the credential so far.
    added: HashSet<String>,
    /// Where the next need, competency and mapping go.
    at: (usize, usize, usize),
}

impl<'a> NewNeeds<'a> {
    /// Nothing yet, against `ws`.
    pub fn new(ws: &'a Workspace, catalog: &'a Catalog) -> Self {
        NewNeeds {
            ws,
            catalog,
            ops: Vec::new(),
            taken: HashSet::new(),
            next: ws.needs.len(),
            added: HashSet::new(),
            at: (ws.needs.len(), ws.competencies.len(), ws.mappings.len()),
        }
    }

    /// Add `need` (its id is replaced by the next free `N<number>`) mapped, proposed, to
    /// `reference`; the competency goes into the credential at its default level
    /// ([`Catalog::default_level`], else 1) unless it is there or added already. Returns the
    /// need's id and the level the competency was added at, if it was.
    pub fn add(&mut self, mut need: Need, reference: &str) -> (String, Option<u32>) {
        let id = loop {
            self.next += 1;
            let id = format!("N{}", self.next);
            if self.ws.need(&id).is_none() && !self.taken.contains(&id) {
                break id;
            }
        };
        self.taken.insert(id.clone());
        need.id = id.clone();
        self.ops.push(Op::InsertNeed {
            at: self.at.0,
            need,
        });
        self.at.0 += 1;
        let mut level = None;
        if self.ws.competency(reference).is_none() && self.added.insert(reference.to_string()) {
            let l = self.catalog.default_level(reference).unwrap_or(1);
            self.ops.push(Op::InsertCompetency {
                at: self.at.1,
                competency: CredentialCompetency {
                    reference: reference.to_string(),
                    target_level: l,
                    hours: None,
                    outcome: None,
                    assessment: None,
                    silence: Vec::new(),
                },
            });
            self.at.1 += 1;
            level = Some(l);
        }
        self.ops.push(Op::InsertMapping {
            at: self.at.2,
            mapping: Mapping {
                need: id.clone(),
                competency: reference.to_string(),
                status: MappingStatus::Proposed,
                ..Mapping::default()
            },
        });
        self.at.2 += 1;
        (id, level)
    }

    /// The whole change, as one step.
    pub fn into_op(self) -> Op {
        Op::Batch { ops: self.ops }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Priority;

    #[test]
    fn ids_are_free_and_a_competency_is_added_once() {
        // No frameworks loaded: a competency that does not resolve is added at level 1.
        let cat = Catalog::default();
        let ws = Workspace {
            needs: vec![Need {
                id: "N2".into(),
                partner: "p".into(),
                statement: "s".into(),
                priority: Priority::Should,
                evidence: None,
            }],
            ..Workspace::default()
        };
        let need = |s: &str| Need {
            id: String::new(),
            partner: "p".into(),
            statement: s.into(),
            priority: Priority::Should,
            evidence: None,
        };
        let mut b = NewNeeds::new(&ws, &cat);
        let reference = "building-retrofit:BR-ENV-01";
        let (a, la) = b.add(need("a"), reference);
        let (c, lc) = b.add(need("c"), reference);
        assert_eq!((a.as_str(), c.as_str()), ("N3", "N4"));
        assert_eq!(la, Some(1));
        assert_eq!(lc, None);
        let Op::Batch { ops } = b.into_op() else {
            panic!("a batch")
        };
        let kinds: Vec<&str> = ops
            .iter()
            .map(|o| match o {
                Op::InsertNeed { .. } => "need",
                Op::InsertCompetency { .. } => "competency",
                Op::InsertMapping { .. } => "mapping",
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, ["need", "competency", "mapping", "need", "mapping"]);
    }
}

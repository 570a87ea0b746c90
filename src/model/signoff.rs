//! Sign-off of the whole design: the hash that names what was signed, and whether each
//! partner's sign-off is current, stale or missing.
//!
//! The design a sign-off names is everything a partner agrees to: the framework pins, the
//! credential's elements (its stable id aside: that is identity, not content; no version
//! counts as version "1"), the partners,
//! needs, competencies and mappings with their status. Comments on mappings are discussion,
//! not design, and the sign-offs themselves are left out, so neither makes a sign-off stale.
//! Undoing back to a signed design gives the same hash, and the sign-off is current again.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{Credential, FrameworkPin, Mapping, MappingStatus, Workspace};

/// What a design hash is computed over: the workspace as JSON, fields in schema order,
/// without the sign-offs, the mapping comments and the credential's id.
#[derive(Serialize)]
struct Design<'a> {
    schema: &'a str,
    frameworks: &'a [FrameworkPin],
    credential: Credential,
    partners: &'a [super::Partner],
    needs: &'a [super::Need],
    competencies: &'a [super::CredentialCompetency],
    mappings: Vec<MappingContent<'a>>,
}

/// A mapping without its comments.
#[derive(Serialize)]
struct MappingContent<'a> {
    need: &'a str,
    competency: &'a str,
    required_level: Option<u32>,
    rationale: Option<&'a str>,
    status: MappingStatus,
    agreed_by: Option<&'a str>,
    status_by: Option<&'a str>,
    status_at: Option<&'a str>,
}

impl<'a> From<&'a Mapping> for MappingContent<'a> {
    fn from(m: &'a Mapping) -> Self {
        MappingContent {
            need: &m.need,
            competency: &m.competency,
            required_level: m.required_level,
            rationale: m.rationale.as_deref(),
            status: m.status,
            agreed_by: m.agreed_by.as_deref(),
            status_by: m.status_by.as_deref(),
            status_at: m.status_at.as_deref(),
        }
    }
}

/// Feeds written bytes to SHA-256, so the design is hashed without building its text.
struct HashWriter(Sha256);

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// SHA-256 (lowercase hex) of the design that a sign-off names: see the module comment for
/// what it covers. Linear in the document; computed once per version by its callers.
pub fn design_hash(ws: &Workspace) -> String {
    // No version is the first version: giving a design its id and version "1" on its first
    // save does not make sign-offs stale.
    let credential = Credential {
        id: None,
        version: Some(
            ws.credential
                .version
                .clone()
                .unwrap_or_else(|| super::FIRST_VERSION.into()),
        ),
        ..ws.credential.clone()
    };
    let design = Design {
        schema: &ws.schema,
        frameworks: &ws.frameworks,
        credential,
        partners: &ws.partners,
        needs: &ws.needs,
        competencies: &ws.competencies,
        mappings: ws.mappings.iter().map(MappingContent::from).collect(),
    };
    let mut w = HashWriter(Sha256::new());
    // Serialising plain data into a writer that never fails cannot fail.
    let _ = serde_json::to_writer(&mut w, &design);
    w.0.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Where a partner's sign-off stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SignOffState {
    /// No one has signed off for the partner.
    Missing,
    /// Someone signed off, but the design has changed since.
    Stale,
    /// Someone signed off this very design.
    Current,
}

/// The sign-off state of every partner that has needs, in partner order (partners of needs
/// that name no listed partner last, in need order). `hash` is the current design's hash,
/// computed only when there are sign-offs to compare with.
pub fn states(ws: &Workspace, hash: Option<&str>) -> Vec<(String, SignOffState)> {
    let mut with_needs: Vec<&str> = Vec::new();
    let mut seen = HashSet::new();
    let listed: HashMap<&str, usize> = ws
        .partners
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    for n in &ws.needs {
        if seen.insert(n.partner.as_str()) {
            with_needs.push(n.partner.as_str());
        }
    }
    with_needs.sort_by_key(|p| listed.get(p).copied().unwrap_or(usize::MAX));
    let mut best: HashMap<&str, SignOffState> = HashMap::new();
    for s in &ws.sign_offs {
        let state = if hash == Some(s.design.as_str()) {
            SignOffState::Current
        } else {
            SignOffState::Stale
        };
        let e = best.entry(s.partner.as_str()).or_insert(state);
        if state == SignOffState::Current {
            *e = state;
        }
    }
    with_needs
        .into_iter()
        .map(|p| {
            (
                p.to_string(),
                best.get(p).copied().unwrap_or(SignOffState::Missing),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Comment, Need, Partner, PartnerKind, Priority, SignOff};

    fn ws() -> Workspace {
        let mut ws = Workspace::default();
        for id in ["a", "b", "c"] {
            ws.partners.push(Partner {
                id: id.into(),
                name: id.to_uppercase(),
                kind: PartnerKind::Industry,
            });
        }
        for (id, p) in [("N1", "b"), ("N2", "a")] {
            ws.needs.push(Need {
                id: id.into(),
                partner: p.into(),
                statement: "Do it".into(),
                priority: Priority::Must,
                evidence: None,
            });
        }
        ws.mappings.push(Mapping {
            need: "N1".into(),
            competency: "fw:X".into(),
            ..Mapping::default()
        });
        ws
    }

    fn sign(ws: &mut Workspace, partner: &str) {
        let design = design_hash(ws);
        ws.sign_offs.push(SignOff {
            person: "p".into(),
            partner: partner.into(),
            at: "2026-11-30T00:00:00Z".into(),
            design,
            key: None,
        });
    }

    #[test]
    fn comments_ids_and_sign_offs_do_not_change_the_design() {
        let mut w = ws();
        let h = design_hash(&w);
        assert_eq!(h.len(), 64);
        w.mappings[0].comments.push(Comment {
            by: "x".into(),
            at: "t".into(),
            text: "hello".into(),
        });
        w.credential.id = Some("urn:uuid:1".into());
        sign(&mut w, "a");
        assert_eq!(design_hash(&w), h);
        w.mappings[0].status = MappingStatus::Agreed;
        assert_ne!(design_hash(&w), h);
        w.mappings[0].status = MappingStatus::Proposed;
        assert_eq!(design_hash(&w), h, "back to the signed design");
        w.credential.version = Some("1".into());
        assert_eq!(design_hash(&w), h, "no version is version 1");
        w.credential.version = Some("2027.1".into());
        assert_ne!(design_hash(&w), h);
    }

    #[test]
    fn partners_with_needs_are_missing_stale_or_current() {
        let mut w = ws();
        let st = states(&w, None);
        assert_eq!(
            st,
            vec![
                ("a".to_string(), SignOffState::Missing),
                ("b".to_string(), SignOffState::Missing)
            ],
            "partner order; c has no needs"
        );
        sign(&mut w, "a");
        let h = design_hash(&w);
        assert_eq!(states(&w, Some(&h))[0].1, SignOffState::Current);
        w.needs[0].statement = "Changed".into();
        let h2 = design_hash(&w);
        assert_eq!(states(&w, Some(&h2))[0].1, SignOffState::Stale);
        // A newer sign-off of the same partner makes it current again.
        sign(&mut w, "a");
        assert_eq!(states(&w, Some(&h2))[0].1, SignOffState::Current);
    }
}

//! The checks of a workspace as a whole: its schema and pinned frameworks, each list's
//! entries and their duplicates, sign-offs and job postings; the entries themselves are
//! checked by the other modules.

use std::collections::{HashMap, HashSet};

use super::formats::valid_date;
use super::votes::votes;
use super::{Checker, Finding, check_unique, limits};
use crate::model::catalog::Catalog;
use crate::model::{WORKSPACE_SCHEMA, Workspace};
use crate::problem::DocPath;

impl Checker {
    /// Check a workspace against the catalog.
    pub fn workspace(&mut self, ws: &Workspace, catalog: &Catalog) {
        limits::workspace_head(ws, &mut self.findings);
        // Looked up by id, built once: a need's partner, a mapping's need.
        let partner_ids: HashSet<&str> = ws.partners.iter().map(|p| p.id.as_str()).collect();
        let need_ids: HashSet<&str> = ws.needs.iter().map(|n| n.id.as_str()).collect();
        let root = DocPath::root();
        pins(ws, catalog, &mut self.findings);
        self.credential(&ws.credential);
        let partners = root.key("partners");
        for (i, p) in ws.partners.iter().enumerate() {
            self.under(&partners.index(i), |c| c.partner(p));
        }
        check_unique(
            &mut self.findings,
            &partners,
            "partner",
            ws.partners.iter().map(|p| p.id.as_str()),
        );
        let needs = root.key("needs");
        for (i, n) in ws.needs.iter().enumerate() {
            let known = partner_ids.contains(n.partner.as_str());
            self.under(&needs.index(i), |c| c.need(ws, known, n));
        }
        check_unique(
            &mut self.findings,
            &needs,
            "need",
            ws.needs.iter().map(|n| n.id.as_str()),
        );
        let comps = root.key("competencies");
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, cc) in ws.competencies.iter().enumerate() {
            self.under(&comps.index(i), |c| c.credential_competency(cc, catalog));
            if let Some(first) = seen.insert(cc.reference.as_str(), i) {
                self.findings.push(
                    Finding::error(
                        comps.index(i).key("ref"),
                        format!("`{}` is listed twice in the credential", cc.reference),
                    )
                    .hint(format!("item {} already lists it; keep one", first + 1)),
                );
            }
        }
        sign_offs(ws, &partner_ids, &mut self.findings);
        postings(ws, &partner_ids, &mut self.findings);
        votes(ws, &partner_ids, &root, &mut self.findings);
        let maps = root.key("mappings");
        let mut pairs: HashMap<(&str, &str), usize> = HashMap::new();
        for (i, m) in ws.mappings.iter().enumerate() {
            let known = need_ids.contains(m.need.as_str());
            self.under(&maps.index(i), |c| c.mapping(ws, known, m, catalog));
            if let Some(first) = pairs.insert((m.need.as_str(), m.competency.as_str()), i) {
                self.findings.push(
                    Finding::error(
                        maps.index(i),
                        format!("need `{}` is mapped to `{}` twice", m.need, m.competency),
                    )
                    .hint(format!("mapping {} already does; keep one", first + 1)),
                );
            }
        }
    }
}

/// The schema this version reads, and each pinned framework loaded at its pinned version
/// (warnings).
fn pins(ws: &Workspace, catalog: &Catalog, out: &mut Vec<Finding>) {
    let root = DocPath::root();
    if ws.schema != WORKSPACE_SCHEMA {
        out.push(
            Finding::error(
                root.key("schema"),
                format!("schema `{}` is not one this version reads", ws.schema),
            )
            .hint(format!("write `schema: {WORKSPACE_SCHEMA}`")),
        );
    }
    for (i, pin) in ws.frameworks.iter().enumerate() {
        let p = root.key("frameworks").index(i);
        match catalog.framework(&pin.id) {
            None => out.push(Finding {
                warning: true,
                ..Finding::error(
                    p.key("id"),
                    format!("pinned framework `{}` is not loaded", pin.id),
                )
                .hint("load it with --frameworks DIR, or remove the pin")
            }),
            Some(fw) if fw.version != pin.version => out.push(Finding {
                warning: true,
                ..Finding::error(
                    p.key("version"),
                    format!(
                        "pinned `{}` version {} but version {} is loaded",
                        pin.id, pin.version, fw.version
                    ),
                )
                .hint("check the design against the loaded version, then update the pin")
            }),
            Some(_) => {}
        }
    }
}

/// Each sign-off names a listed partner and holds a SHA-256.
fn sign_offs(ws: &Workspace, partner_ids: &HashSet<&str>, out: &mut Vec<Finding>) {
    for (i, s) in ws.sign_offs.iter().enumerate() {
        let p = DocPath::root().key("sign_offs").index(i);
        if !partner_ids.contains(s.partner.as_str()) {
            out.push(
                Finding::error(
                    p.key("partner"),
                    format!("sign-off for partner `{}`, which is not listed", s.partner),
                )
                .hint("name a partner of `partners:`, or remove the sign-off"),
            );
        }
        if !(s.design.len() == 64 && s.design.bytes().all(|b| b.is_ascii_hexdigit())) {
            out.push(
                Finding::error(p.key("design"), "the signed design hash is not a SHA-256")
                    .hint("sign off again in the editor (S); a hash cannot be typed in"),
            );
        }
    }
}

/// Each job posting: an id of its own, a listed partner if any, a date, a SHA-256.
fn postings(ws: &Workspace, partner_ids: &HashSet<&str>, out: &mut Vec<Finding>) {
    let mut posting_ids: HashMap<&str, usize> = HashMap::new();
    for (i, post) in ws.postings.iter().enumerate() {
        let p = DocPath::root().key("postings").index(i);
        if let Some(first) = posting_ids.insert(post.id.as_str(), i) {
            out.push(
                Finding::error(
                    p.key("id"),
                    format!("posting id `{}` is used twice", post.id),
                )
                .hint(format!(
                    "posting {} already has it; give this one another id",
                    first + 1
                )),
            );
        }
        if let Some(partner) = &post.partner
            && !partner_ids.contains(partner.as_str())
        {
            out.push(
                Finding::error(
                    p.key("partner"),
                    format!("posting from partner `{partner}`, which is not listed"),
                )
                .hint("name a partner of `partners:`, or leave `partner` out"),
            );
        }
        if let Some(d) = &post.date
            && !valid_date(d)
        {
            out.push(
                Finding::error(p.key("date"), format!("`{d}` is not a date"))
                    .hint("write it as YYYY-MM-DD, e.g. 2026-03-31"),
            );
        }
        if !(post.sha256.len() == 64 && post.sha256.bytes().all(|b| b.is_ascii_hexdigit())) {
            out.push(
                Finding::error(p.key("sha256"), "the posting's hash is not a SHA-256")
                    .hint("add postings with `microcred evidence add`, which computes it"),
            );
        }
    }
}

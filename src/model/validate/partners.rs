//! The checks of one partner and one need (paths relative to it).

use super::{Checker, Finding, check_id, check_text, limits};
use crate::model::{Need, Partner, Workspace};
use crate::problem::DocPath;

impl Checker {
    /// One partner: its id and name.
    pub(super) fn partner(&mut self, p: &Partner) {
        let out = &mut self.findings;
        limits::partner(p, out);
        check_id(out, DocPath::root().key("id"), "partner", &p.id);
        check_text(out, DocPath::root().key("name"), "partner name", &p.name);
    }

    /// One need: its id and statement, and its partner, which the caller looked up
    /// (`partner_known`).
    pub(super) fn need(&mut self, ws: &Workspace, partner_known: bool, n: &Need) {
        let Checker {
            findings: out,
            suggestions: sug,
        } = self;
        limits::need(n, out);
        check_id(out, DocPath::root().key("id"), "need", &n.id);
        check_text(
            out,
            DocPath::root().key("statement"),
            "need statement",
            &n.statement,
        );
        if !partner_known {
            out.push(
                Finding::error(
                    DocPath::root().key("partner"),
                    format!("partner `{}` is not in `partners`", n.partner),
                )
                .hint(sug.did_you_mean(&n.partner, ws.partners.iter().map(|p| p.id.as_str()))),
            );
        }
    }
}

//! The checks of what refers into the catalog: the credential's competencies and the
//! mappings of needs to competencies (paths relative to the entry).

use std::collections::HashSet;

use super::framework::scale_hint;
use super::{Checker, Finding, Suggestions, check_text, limits};
use crate::model::catalog::Catalog;
use crate::model::{Competency, CredentialCompetency, Framework, Mapping, Workspace, split_ref};
use crate::problem::DocPath;

/// The framework and competency `reference` names, or a finding at `path` saying why not.
fn resolve_ref<'c>(
    out: &mut Vec<Finding>,
    sug: &mut Suggestions,
    path: DocPath,
    reference: &str,
    catalog: &'c Catalog,
) -> Option<(&'c Framework, &'c Competency)> {
    let Some((fw_id, id)) = split_ref(reference) else {
        out.push(
            Finding::error(path, format!("`{reference}` is not a competency reference"))
                .hint("write FRAMEWORK_ID:COMPETENCY_ID, e.g. digital-data:DD-DATA-03"),
        );
        return None;
    };
    let Some(entry) = catalog.entry(fw_id) else {
        out.push(
            Finding::error(path, format!("framework `{fw_id}` is not loaded")).hint(format!(
                "{}; load more with --frameworks DIR",
                sug.did_you_mean(
                    fw_id,
                    catalog.entries().iter().map(|e| e.framework.id.as_str())
                )
            )),
        );
        return None;
    };
    match entry.competency(id) {
        Some(c) => Some((&entry.framework, c)),
        None => {
            out.push(
                Finding::error(
                    path,
                    format!("framework `{fw_id}` has no competency `{id}`"),
                )
                .hint(sug.did_you_mean(
                    id,
                    entry.framework.competencies.iter().map(|c| c.id.as_str()),
                )),
            );
            None
        }
    }
}

impl Checker {
    /// One competency of the credential: its reference resolves, its target level is one it
    /// describes, its hours, its silenced rules.
    pub(super) fn credential_competency(&mut self, c: &CredentialCompetency, catalog: &Catalog) {
        let Checker {
            findings: out,
            suggestions: sug,
        } = self;
        limits::credential_competency(c, out);
        if let Some((fw, comp)) =
            resolve_ref(out, sug, DocPath::root().key("ref"), &c.reference, catalog)
        {
            if !comp.allows_level(fw, c.target_level) {
                let hint = if fw.level(c.target_level).is_some() {
                    let own: Vec<String> = comp.levels.keys().map(u32::to_string).collect();
                    format!("`{}` describes only levels {}", c.reference, own.join(", "))
                } else {
                    scale_hint(fw)
                };
                out.push(
                    Finding::error(
                        DocPath::root().key("target_level"),
                        format!(
                            "level {} cannot be targeted for `{}`",
                            c.target_level, c.reference
                        ),
                    )
                    .hint(hint),
                );
            }
        }
        if let Some(h) = c.hours {
            if !(h.is_finite() && h >= 0.0) {
                out.push(Finding::error(
                    DocPath::root().key("hours"),
                    "hours must be 0 or more",
                ));
            }
        }
        let mut silenced = HashSet::new();
        for (i, s) in c.silence.iter().enumerate() {
            let at = DocPath::root().key("silence").index(i);
            if s.reason.trim().is_empty() {
                out.push(
                    Finding::error(
                        at.key("reason"),
                        format!("`{}` is silenced without a reason", s.rule.as_str()),
                    )
                    .hint("say why the outcome is kept as it is: reviewers read the reason"),
                );
            }
            if !silenced.insert(s.rule) {
                out.push(
                    Finding::error(
                        at.key("rule"),
                        format!("`{}` is silenced twice", s.rule.as_str()),
                    )
                    .hint("keep one entry per rule"),
                );
            }
        }
    }

    /// One mapping: its need, which the caller looked up (`need_known`), its competency
    /// resolves, its required level is on the scale, its comments are not empty.
    pub(super) fn mapping(
        &mut self,
        ws: &Workspace,
        need_known: bool,
        m: &Mapping,
        catalog: &Catalog,
    ) {
        let Checker {
            findings: out,
            suggestions: sug,
        } = self;
        limits::mapping(m, out);
        if !need_known {
            out.push(
                Finding::error(
                    DocPath::root().key("need"),
                    format!("need `{}` is not in `needs`", m.need),
                )
                .hint(sug.did_you_mean(&m.need, ws.needs.iter().map(|n| n.id.as_str()))),
            );
        }
        if let Some((fw, _)) = resolve_ref(
            out,
            sug,
            DocPath::root().key("competency"),
            &m.competency,
            catalog,
        ) {
            if let Some(l) = m.required_level {
                if fw.level(l).is_none() {
                    out.push(
                        Finding::error(
                            DocPath::root().key("required_level"),
                            format!("level {l} is not on the scale of `{}`", fw.id),
                        )
                        .hint(scale_hint(fw)),
                    );
                }
            }
        }
        for (i, c) in m.comments.iter().enumerate() {
            check_text(
                out,
                DocPath::root().key("comments").index(i).key("text"),
                "comment",
                &c.text,
            );
        }
    }
}

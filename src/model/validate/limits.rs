//! Text over its length limit ([`crate::limits`]) or holding a control or invisible
//! character: measuring it, saying so, and the findings for every field of a framework and a
//! workspace.

use super::Finding;
use crate::limits::*;
use crate::model::*;
use crate::problem::DocPath;

/// The number of characters of `text` when it is over `max`, else `None`. Cheap for text
/// within the limit: bytes are counted first.
pub fn over(text: &str, max: usize) -> Option<usize> {
    if text.len() <= max {
        return None;
    }
    let n = text.chars().count();
    (n > max).then_some(n)
}

/// "the competency name is 2000001 characters long; the limit is 200".
pub fn message(what: &str, len: usize, max: usize) -> String {
    format!("{what} is {len} characters long; the limit is {max}")
}

/// The first character of `text` that no text field may hold: a control character other than
/// tab and line feed (also when written as a YAML escape such as `"\e"`), or an invisible
/// format character ([`crate::problem::is_hidden`]). Cheap for plain ASCII text.
pub fn hidden(text: &str) -> Option<char> {
    if text
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) || b == b'\n' || b == b'\t')
    {
        return None;
    }
    text.chars()
        .find(|&c| c != '\n' && c != '\t' && crate::problem::is_hidden(c))
}

/// What to do about a [`hidden`] character.
pub const HIDDEN_HINT: &str = "remove it: control characters (such as ESC, written `\\e` or \
`\\x1b` in YAML) and invisible format characters (bidirectional marks, zero-width spaces) could \
make the text show differently from what it is, or change a terminal that shows it";

/// Collects findings for values over their limit or holding a [`hidden`] character; a path is
/// built only for a finding.
struct Check<'o> {
    out: &'o mut Vec<Finding>,
}

impl Check<'_> {
    fn field(&mut self, path: impl FnOnce() -> DocPath, what: &str, text: &str, max: usize) {
        if let Some(len) = over(text, max) {
            let what = format!("the {what}");
            self.out
                .push(Finding::error(path(), message(&what, len, max)).hint(HINT));
        } else if let Some(c) = hidden(text) {
            self.out.push(
                Finding::error(
                    path(),
                    format!(
                        "the {what} holds the invisible character U+{:04X}",
                        u32::from(c)
                    ),
                )
                .hint(HIDDEN_HINT),
            );
        }
    }

    fn opt(
        &mut self,
        path: impl FnOnce() -> DocPath,
        what: &str,
        text: &Option<String>,
        max: usize,
    ) {
        if let Some(t) = text {
            self.field(path, what, t, max);
        }
    }

    fn list(&mut self, base: impl Fn() -> DocPath, what: &str, items: &[String], max: usize) {
        for (i, t) in items.iter().enumerate() {
            self.field(|| base().index(i), what, t, max);
        }
    }
}

/// Findings for the framework's text over its limits.
pub(crate) fn framework(fw: &Framework, out: &mut Vec<Finding>) {
    let mut c = Check { out };
    let root = DocPath::root;
    c.field(|| root().key("id"), "framework id", &fw.id, ID);
    c.field(|| root().key("name"), "framework name", &fw.name, NAME);
    c.field(|| root().key("version"), "version", &fw.version, SHORT);
    c.opt(|| root().key("publisher"), "publisher", &fw.publisher, NAME);
    c.opt(|| root().key("source"), "source", &fw.source, URI);
    c.opt(|| root().key("licence"), "licence", &fw.licence, URI);
    c.opt(
        || root().key("description"),
        "description",
        &fw.description,
        TEXT,
    );
    for (i, l) in fw.levels.iter().enumerate() {
        let p = || root().key("levels").index(i);
        c.field(|| p().key("name"), "level name", &l.name, NAME);
        c.opt(
            || p().key("description"),
            "level description",
            &l.description,
            TEXT,
        );
    }
    for (i, comp) in fw.competencies.iter().enumerate() {
        competency(&mut c, || root().key("competencies").index(i), comp);
    }
}

fn competency(c: &mut Check, p: impl Fn() -> DocPath, comp: &Competency) {
    c.field(|| p().key("id"), "competency id", &comp.id, ID);
    c.field(|| p().key("name"), "competency name", &comp.name, NAME);
    c.field(
        || p().key("description"),
        "competency description",
        &comp.description,
        TEXT,
    );
    c.opt(|| p().key("category"), "category", &comp.category, NAME);
    c.list(|| p().key("keywords"), "keyword", &comp.keywords, NAME);
    c.opt(|| p().key("parent"), "parent id", &comp.parent, ID);
    c.opt(|| p().key("uri"), "uri", &comp.uri, URI);
    for (level, text) in &comp.levels {
        let key = level.to_string();
        c.field(
            || p().key("levels").key(&key),
            "level descriptor",
            text,
            TEXT,
        );
    }
}

/// Findings for the workspace's own fields (schema, pins) and its credential.
pub(crate) fn workspace_head(ws: &Workspace, out: &mut Vec<Finding>) {
    let mut c = Check { out };
    let root = DocPath::root;
    c.field(|| root().key("schema"), "schema", &ws.schema, SHORT);
    for (i, pin) in ws.frameworks.iter().enumerate() {
        let p = || root().key("frameworks").index(i);
        c.field(|| p().key("id"), "framework id", &pin.id, ID);
        c.field(|| p().key("version"), "version", &pin.version, SHORT);
    }
    credential(&mut c, &ws.credential);
    for (i, s) in ws.sign_offs.iter().enumerate() {
        let p = || root().key("sign_offs").index(i);
        c.field(|| p().key("person"), "name", &s.person, NAME);
        c.field(|| p().key("partner"), "partner id", &s.partner, ID);
        c.field(|| p().key("at"), "time", &s.at, SHORT);
        c.field(|| p().key("design"), "design hash", &s.design, SHORT);
        c.opt(|| p().key("key"), "key fingerprint", &s.key, NAME);
    }
    for (i, post) in ws.postings.iter().enumerate() {
        let p = || root().key("postings").index(i);
        c.field(|| p().key("id"), "posting id", &post.id, ID);
        c.field(|| p().key("title"), "title", &post.title, NAME);
        c.opt(|| p().key("source"), "source", &post.source, URI);
        c.opt(|| p().key("date"), "date", &post.date, SHORT);
        c.opt(|| p().key("partner"), "partner id", &post.partner, ID);
        c.field(|| p().key("sha256"), "hash", &post.sha256, SHORT);
        c.field(|| p().key("text"), "posting text", &post.text, POSTING);
        for (j, m) in post.mentions.iter().enumerate() {
            let q = || p().key("mentions").index(j);
            c.field(|| q().key("ref"), "reference", &m.competency, REFERENCE);
            for (k, quote) in m.quotes.iter().enumerate() {
                c.field(|| q().key("quotes").index(k), "quote", quote, TEXT);
            }
        }
    }
    for (i, v) in ws.votes.iter().enumerate() {
        let p = || root().key("votes").index(i);
        c.field(|| p().key("opened_by"), "name", &v.opened_by, NAME);
        c.field(|| p().key("opened_at"), "time", &v.opened_at, SHORT);
        c.opt(|| p().key("partner"), "partner id", &v.partner, ID);
        c.opt(|| p().key("closed_by"), "name", &v.closed_by, NAME);
        c.opt(|| p().key("closed_at"), "time", &v.closed_at, SHORT);
        for (k, r) in v.candidates.iter().enumerate() {
            c.field(|| p().key("candidates").index(k), "reference", r, REFERENCE);
        }
        for (j, d) in v.ballots.iter().enumerate() {
            let q = || p().key("ballots").index(j);
            c.field(|| q().key("need"), "need id", &d.need, ID);
            c.opt(
                || q().key("competency"),
                "reference",
                &d.competency,
                REFERENCE,
            );
            c.field(|| q().key("partner"), "partner id", &d.partner, ID);
            c.field(|| q().key("person"), "name", &d.person, NAME);
            c.field(|| q().key("at"), "time", &d.at, SHORT);
        }
    }
}

fn credential(c: &mut Check, cr: &Credential) {
    let p = || DocPath::root().key("credential");
    c.opt(|| p().key("id"), "id", &cr.id, NAME);
    c.opt(|| p().key("version"), "version", &cr.version, SHORT);
    c.opt(
        || p().key("previous_version"),
        "previous version",
        &cr.previous_version,
        SHORT,
    );
    c.opt(|| p().key("title"), "title", &cr.title, NAME);
    c.opt(|| p().key("summary"), "summary", &cr.summary, TEXT);
    c.opt(
        || p().key("awarding_body"),
        "awarding body",
        &cr.awarding_body,
        NAME,
    );
    c.opt(|| p().key("country"), "country", &cr.country, SHORT);
    if let Some(l) = &cr.level {
        c.field(
            || p().key("level").key("scheme"),
            "level scheme",
            &l.scheme,
            NAME,
        );
        if let LevelValue::Text(t) = &l.value {
            c.field(|| p().key("level").key("value"), "level value", t, NAME);
        }
    }
    let texts = [
        ("assessment_type", "type of assessment", &cr.assessment_type),
        (
            "quality_assurance",
            "quality assurance",
            &cr.quality_assurance,
        ),
        ("supervision", "supervision", &cr.supervision),
        ("grading", "grading", &cr.grading),
        ("validity", "validity", &cr.validity),
    ];
    for (key, what, text) in texts {
        c.opt(|| p().key(key), what, text, TEXT);
    }
    c.list(
        || p().key("prerequisites"),
        "prerequisite",
        &cr.prerequisites,
        TEXT,
    );
    if let Some(s) = &cr.stackability {
        let base = || p().key("stackability").key("stacks_into");
        c.list(base, "credential it stacks into", &s.stacks_into, NAME);
    }
    for (key, text) in cr.equity.fields() {
        if let Some(t) = text {
            c.field(|| p().key("equity").key(key), "equity answer", t, TEXT);
        }
    }
    c.list(|| p().key("languages"), "language", &cr.languages, SHORT);
    c.opt(|| p().key("isced_f"), "ISCED-F code", &cr.isced_f, SHORT);
    c.opt(|| p().key("homepage"), "web page", &cr.homepage, URI);
    if let Some(d) = &cr.awarding_body_details {
        let b = || p().key("awarding_body_details");
        c.opt(|| b().key("legal_name"), "legal name", &d.legal_name, NAME);
        c.opt(|| b().key("country"), "country", &d.country, SHORT);
        c.opt(|| b().key("identifier"), "identifier", &d.identifier, URI);
    }
}

/// Findings for one partner (paths relative to it).
pub(crate) fn partner(x: &Partner, out: &mut Vec<Finding>) {
    let mut c = Check { out };
    let p = DocPath::root;
    c.field(|| p().key("id"), "partner id", &x.id, ID);
    c.field(|| p().key("name"), "partner name", &x.name, NAME);
}

/// Findings for one need (paths relative to it).
pub(crate) fn need(n: &Need, out: &mut Vec<Finding>) {
    let mut c = Check { out };
    let p = DocPath::root;
    c.field(|| p().key("id"), "need id", &n.id, ID);
    c.field(|| p().key("partner"), "partner id", &n.partner, ID);
    c.field(
        || p().key("statement"),
        "need statement",
        &n.statement,
        TEXT,
    );
    c.opt(|| p().key("evidence"), "evidence", &n.evidence, TEXT);
}

/// Findings for one credential competency (paths relative to it).
pub(crate) fn credential_competency(cc: &CredentialCompetency, out: &mut Vec<Finding>) {
    let mut c = Check { out };
    let p = DocPath::root;
    c.field(|| p().key("ref"), "reference", &cc.reference, REFERENCE);
    c.opt(|| p().key("outcome"), "learning outcome", &cc.outcome, TEXT);
    if let Some(a) = &cc.assessment {
        let d = || p().key("assessment").key("description");
        c.opt(d, "assessment description", &a.description, TEXT);
    }
}

/// Findings for one mapping (paths relative to it).
pub(crate) fn mapping(m: &Mapping, out: &mut Vec<Finding>) {
    let mut c = Check { out };
    let p = DocPath::root;
    c.field(|| p().key("need"), "need id", &m.need, ID);
    c.field(
        || p().key("competency"),
        "reference",
        &m.competency,
        REFERENCE,
    );
    c.opt(|| p().key("rationale"), "rationale", &m.rationale, TEXT);
    c.opt(
        || p().key("agreed_by"),
        "reviewer's name",
        &m.agreed_by,
        NAME,
    );
    c.opt(
        || p().key("status_by"),
        "status changer's name",
        &m.status_by,
        NAME,
    );
    c.opt(
        || p().key("status_at"),
        "status change time",
        &m.status_at,
        SHORT,
    );
    for (i, cm) in m.comments.iter().enumerate() {
        let q = || p().key("comments").index(i);
        c.field(|| q().key("by"), "commenter's name", &cm.by, NAME);
        c.field(|| q().key("at"), "comment time", &cm.at, SHORT);
        c.field(|| q().key("text"), "comment", &cm.text, COMMENT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_counts_characters_not_bytes() {
        assert_eq!(over("abc", 3), None);
        assert_eq!(over("abcd", 3), Some(4));
        assert_eq!(over("ééé", 3), None, "6 bytes, 3 characters");
        assert_eq!(over(&"é".repeat(4), 3), Some(4));
    }
}

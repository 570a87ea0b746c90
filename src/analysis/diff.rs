//! What changed between two versions of a design, in the design's own terms: needs, partners,
//! mappings (status and levels), the credential's competencies and elements, job postings,
//! dot votes (opened, closed, dots placed and taken back), and the effect on the gap report.
//! Pure and linear in the two documents (every lookup is by id).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::gap::analyse;
use crate::model::{CredentialCompetency, Dot, Mapping, Need, Partner, Posting, Vote, Workspace};

/// One field that changed: its name, the old value and the new one (as text; empty when unset).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub old: String,
    pub new: String,
}

/// Something added to or removed from a list: its key and a few words about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub id: String,
    pub text: String,
}

/// Something kept whose fields changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Changed {
    pub id: String,
    pub changes: Vec<FieldChange>,
}

/// Additions, removals and changes of one kind of thing.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Section {
    pub added: Vec<Item>,
    pub removed: Vec<Item>,
    pub changed: Vec<Changed>,
}

impl Section {
    /// True when nothing of this kind changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// What happened to the dot votes. A vote is known by when it opened and who opened it, and
/// named `vote N` by its place in the list (votes are only ever added or removed at the end).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct VoteChanges {
    /// Votes the new version has and the old had not: who opened them, when, and how.
    pub opened: Vec<Item>,
    /// Votes open in the old version and closed in the new: who closed them, when.
    pub closed: Vec<Item>,
    /// Votes closed in the old version and open again in the new.
    pub reopened: Vec<Item>,
    /// Votes the old version had and the new has not (an opening undone), with their dots.
    pub removed: Vec<Item>,
    /// Dots the new version has and the old had not (in kept and in new votes): the need, and
    /// whose dot it is (who placed it).
    pub dots_placed: Vec<Item>,
    /// Dots of kept votes the old version had and the new has not.
    pub dots_taken_back: Vec<Item>,
}

impl VoteChanges {
    /// True when no vote and no dot changed.
    pub fn is_empty(&self) -> bool {
        self.opened.is_empty()
            && self.closed.is_empty()
            && self.reopened.is_empty()
            && self.removed.is_empty()
            && self.dots_placed.is_empty()
            && self.dots_taken_back.is_empty()
    }
}

/// The gap report before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapEffect {
    pub coverage_before: f64,
    pub coverage_after: f64,
    /// Critical needs (uncovered `must` needs) the new version has and the old had not.
    pub critical_gained: Vec<String>,
    /// Critical needs the old version had and the new has not.
    pub critical_lost: Vec<String>,
}

/// Every difference between two designs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DesignDiff {
    pub partners: Section,
    pub needs: Section,
    pub mappings: Section,
    pub competencies: Section,
    /// Credential elements (title, level, workload, equity, …) that changed.
    pub credential: Vec<FieldChange>,
    /// Job postings added and removed (and changed, when the file was edited by hand); left
    /// out of JSON when none changed.
    #[serde(skip_serializing_if = "Section::is_empty")]
    pub postings: Section,
    /// Dot votes and their dots; left out of JSON when none changed.
    #[serde(skip_serializing_if = "VoteChanges::is_empty")]
    pub votes: VoteChanges,
    /// Sign-offs added, renewed, gone stale and removed; left out of JSON when none changed.
    #[serde(skip_serializing_if = "SignOffChanges::is_empty")]
    pub sign_offs: SignOffChanges,
    pub gaps: GapEffect,
}

impl DesignDiff {
    /// True when the two designs are the same in every part compared.
    pub fn is_empty(&self) -> bool {
        self.partners.is_empty()
            && self.needs.is_empty()
            && self.mappings.is_empty()
            && self.competencies.is_empty()
            && self.credential.is_empty()
            && self.postings.is_empty()
            && self.votes.is_empty()
            && self.sign_offs.is_empty()
    }
}

/// Compare `old` with `new`.
pub fn diff(old: &Workspace, new: &Workspace) -> DesignDiff {
    let names = partner_names(old, new);
    let before = analyse(old);
    let after = analyse(new);
    let crit_old: std::collections::HashSet<&str> =
        before.critical.iter().map(String::as_str).collect();
    let crit_new: std::collections::HashSet<&str> =
        after.critical.iter().map(String::as_str).collect();
    DesignDiff {
        partners: section(
            &old.partners,
            &new.partners,
            |p| p.id.clone(),
            partner_text,
            partner_fields,
        ),
        needs: section(
            &old.needs,
            &new.needs,
            |n| n.id.clone(),
            |n| need_text(n, &names),
            need_fields,
        ),
        mappings: section(
            &old.mappings,
            &new.mappings,
            |m| format!("{} → {}", m.need, m.competency),
            |m| m.status.as_str().to_string(),
            mapping_fields,
        ),
        competencies: section(
            &old.competencies,
            &new.competencies,
            |c| c.reference.clone(),
            competency_text,
            competency_fields,
        ),
        credential: json_changes(
            &serde_json::to_value(&old.credential).unwrap_or_default(),
            &serde_json::to_value(&new.credential).unwrap_or_default(),
        ),
        postings: section(
            &old.postings,
            &new.postings,
            |p| p.id.clone(),
            |p| p.title.clone(),
            posting_fields,
        ),
        votes: votes(&old.votes, &new.votes, &names),
        sign_offs: sign_offs(old, new, &names),
        gaps: GapEffect {
            coverage_before: before.coverage_percent,
            coverage_after: after.coverage_percent,
            critical_gained: after
                .critical
                .iter()
                .filter(|c| !crit_old.contains(c.as_str()))
                .cloned()
                .collect(),
            critical_lost: before
                .critical
                .iter()
                .filter(|c| !crit_new.contains(c.as_str()))
                .cloned()
                .collect(),
        },
    }
}

/// Items of `old` and `new` matched by `key`: those only in `new` (in its order), those only in
/// `old` (in its order), and those in both whose `fields` differ (in `new`'s order).
fn section<T>(
    old: &[T],
    new: &[T],
    key: impl Fn(&T) -> String,
    text: impl Fn(&T) -> String,
    fields: impl Fn(&T) -> Vec<(&'static str, String)>,
) -> Section {
    let old_by: HashMap<String, &T> = old.iter().map(|x| (key(x), x)).collect();
    let new_by: HashMap<String, &T> = new.iter().map(|x| (key(x), x)).collect();
    let mut s = Section::default();
    for x in new {
        let k = key(x);
        match old_by.get(&k) {
            None => s.added.push(Item {
                id: k,
                text: text(x),
            }),
            Some(o) => {
                let changes: Vec<FieldChange> = fields(o)
                    .into_iter()
                    .zip(fields(x))
                    .filter(|((_, a), (_, b))| a != b)
                    .map(|((f, a), (_, b))| FieldChange {
                        field: f.to_string(),
                        old: a,
                        new: b,
                    })
                    .collect();
                if !changes.is_empty() {
                    s.changed.push(Changed { id: k, changes });
                }
            }
        }
    }
    for x in old {
        let k = key(x);
        if !new_by.contains_key(&k) {
            s.removed.push(Item {
                id: k,
                text: text(x),
            });
        }
    }
    s
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

fn num<T: ToString>(n: &Option<T>) -> String {
    n.as_ref().map_or(String::new(), ToString::to_string)
}

fn partner_text(p: &Partner) -> String {
    p.name.clone()
}

fn partner_fields(p: &Partner) -> Vec<(&'static str, String)> {
    vec![
        ("name", p.name.clone()),
        ("kind", format!("{:?}", p.kind).to_lowercase()),
    ]
}

fn need_text(n: &Need, names: &PartnerNames) -> String {
    format!(
        "{} ({}, {})",
        n.statement,
        n.priority.as_str(),
        partner_name(names, &n.partner)
    )
}

fn need_fields(n: &Need) -> Vec<(&'static str, String)> {
    vec![
        ("statement", n.statement.clone()),
        ("priority", n.priority.as_str().to_string()),
        ("partner", n.partner.clone()),
        ("evidence", opt(&n.evidence)),
    ]
}

fn mapping_fields(m: &Mapping) -> Vec<(&'static str, String)> {
    vec![
        ("status", m.status.as_str().to_string()),
        ("required_level", num(&m.required_level)),
        ("rationale", opt(&m.rationale)),
        ("agreed_by", opt(&m.agreed_by)),
        ("comments", m.comments.len().to_string()),
    ]
}

fn competency_text(c: &CredentialCompetency) -> String {
    match c.hours {
        Some(h) => format!("target level {}, {h} h", c.target_level),
        None => format!("target level {}", c.target_level),
    }
}

fn competency_fields(c: &CredentialCompetency) -> Vec<(&'static str, String)> {
    vec![
        ("target_level", c.target_level.to_string()),
        ("hours", num(&c.hours)),
        ("outcome", opt(&c.outcome)),
        (
            "assessment",
            c.assessment
                .as_ref()
                .map_or(String::new(), |a| a.method.as_str().to_string()),
        ),
    ]
}

fn posting_fields(p: &Posting) -> Vec<(&'static str, String)> {
    vec![
        ("title", p.title.clone()),
        ("source", opt(&p.source)),
        ("date", opt(&p.date)),
        ("partner", opt(&p.partner)),
        ("text", p.sha256.clone()),
        ("competencies", p.mentions.len().to_string()),
    ]
}

/// A vote's identity: when it opened and who opened it.
fn vote_key(v: &Vote) -> (&str, &str) {
    (v.opened_at.as_str(), v.opened_by.as_str())
}

/// `vote N`, 1-based.
fn vote_name(i: usize) -> String {
    format!("vote {}", i + 1)
}

fn vote_text(v: &Vote, names: &PartnerNames) -> String {
    let scope = match &v.partner {
        Some(p) => format!("needs of {}", partner_name(names, p)),
        None => "all needs".to_string(),
    };
    let hidden = if v.hidden {
        ", dots hidden until it closes"
    } else {
        ""
    };
    format!(
        "opened by {} at {}, {} per partner, {scope}{hidden}",
        v.opened_by,
        v.opened_at,
        dots(v.dots as usize)
    )
}

/// `1 dot`, `3 dots`.
fn dots(n: usize) -> String {
    if n == 1 {
        "1 dot".into()
    } else {
        format!("{n} dots")
    }
}

/// A dot as an item: its need (or candidate competency), and whose dot it is, who placed it,
/// in which vote.
fn dot_item(d: &Dot, vote: &str, names: &PartnerNames) -> Item {
    Item {
        id: d.target().to_string(),
        text: format!(
            "a dot of {} by {} in {vote}",
            partner_name(names, &d.partner),
            d.person
        ),
    }
}

/// A dot's identity: need (or candidate competency), partner, person and time.
fn dot_key(d: &Dot) -> (&str, &str, &str, &str) {
    (d.target(), &d.partner, &d.person, &d.at)
}

/// The dots of `a` that `b` has not, in `a`'s order (as multisets: a dot placed twice and
/// taken back once counts once).
fn dots_not_in<'a>(a: &'a [Dot], b: &[Dot]) -> Vec<&'a Dot> {
    let mut left: HashMap<(&str, &str, &str, &str), usize> = HashMap::new();
    for d in b {
        *left.entry(dot_key(d)).or_default() += 1;
    }
    a.iter()
        .filter(|d| match left.get_mut(&dot_key(d)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .collect()
}

/// What happened to the votes between `old` and `new`.
fn votes(old: &[Vote], new: &[Vote], names: &PartnerNames) -> VoteChanges {
    let old_by: HashMap<(&str, &str), &Vote> = old.iter().map(|v| (vote_key(v), v)).collect();
    let new_by: HashMap<(&str, &str), &Vote> = new.iter().map(|v| (vote_key(v), v)).collect();
    let mut c = VoteChanges::default();
    for (i, v) in new.iter().enumerate() {
        let name = vote_name(i);
        let Some(o) = old_by.get(&vote_key(v)) else {
            c.dots_placed
                .extend(v.ballots.iter().map(|d| dot_item(d, &name, names)));
            c.opened.push(Item {
                id: name,
                text: vote_text(v, names),
            });
            continue;
        };
        match (o.is_open(), v.is_open()) {
            (true, false) => c.closed.push(Item {
                id: name.clone(),
                text: format!("closed by {} at {}", opt(&v.closed_by), opt(&v.closed_at)),
            }),
            (false, true) => c.reopened.push(Item {
                id: name.clone(),
                text: "opened again".to_string(),
            }),
            _ => {}
        }
        c.dots_placed.extend(
            dots_not_in(&v.ballots, &o.ballots)
                .into_iter()
                .map(|d| dot_item(d, &name, names)),
        );
        c.dots_taken_back.extend(
            dots_not_in(&o.ballots, &v.ballots)
                .into_iter()
                .map(|d| dot_item(d, &name, names)),
        );
    }
    for (i, v) in old.iter().enumerate() {
        if !new_by.contains_key(&vote_key(v)) {
            c.removed.push(Item {
                id: vote_name(i),
                text: format!(
                    "{}, with {} placed",
                    vote_text(v, names),
                    dots(v.ballots.len())
                ),
            });
        }
    }
    c
}

/// Partner names by id, from both versions (the new name wins), built once per diff.
type PartnerNames<'a> = HashMap<&'a str, &'a str>;

fn partner_names<'a>(old: &'a Workspace, new: &'a Workspace) -> PartnerNames<'a> {
    old.partners
        .iter()
        .chain(&new.partners)
        .filter(|p| !p.name.is_empty())
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect()
}

/// A partner as people read it (see [`crate::text::names::partner`]).
fn partner_name<'a>(names: &PartnerNames<'a>, id: &'a str) -> &'a str {
    crate::text::names::partner(id, names.get(id).copied())
}

/// What happened to the sign-offs. A sign-off is known by its partner and person; each item's
/// id is the partner's id, its text names the partner and says who and when.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SignOffChanges {
    /// Sign-offs the new version has and the old had not.
    pub added: Vec<Item>,
    /// Sign-offs the person gave again (a new time or a new design).
    pub renewed: Vec<Item>,
    /// Sign-offs kept as they were that named the old design and no longer name the new one.
    pub stale: Vec<Item>,
    /// Sign-offs the old version had and the new has not.
    pub removed: Vec<Item>,
}

impl SignOffChanges {
    /// True when no sign-off changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.renewed.is_empty()
            && self.stale.is_empty()
            && self.removed.is_empty()
    }
}

/// Sign-offs added, renewed, gone stale and removed between `old` and `new`. The design hashes
/// are computed only when there are sign-offs to compare.
fn sign_offs(old: &Workspace, new: &Workspace, names: &PartnerNames) -> SignOffChanges {
    let mut c = SignOffChanges::default();
    if old.sign_offs.is_empty() && new.sign_offs.is_empty() {
        return c;
    }
    let key = |s: &crate::model::SignOff| (s.partner.clone(), s.person.clone());
    let old_by: HashMap<_, &crate::model::SignOff> =
        old.sign_offs.iter().map(|s| (key(s), s)).collect();
    let new_keys: std::collections::HashSet<_> = new.sign_offs.iter().map(key).collect();
    let (old_hash, new_hash) = (
        crate::model::signoff::design_hash(old),
        crate::model::signoff::design_hash(new),
    );
    let item = |s: &crate::model::SignOff, what: String| Item {
        id: s.partner.clone(),
        text: format!("{} — {}", partner_name(names, &s.partner), what),
    };
    for s in &new.sign_offs {
        match old_by.get(&key(s)) {
            None => c
                .added
                .push(item(s, format!("{} signed off at {}", s.person, s.at))),
            Some(o) if o.at != s.at || o.design != s.design => c.renewed.push(item(
                s,
                format!("{} signed off again at {}", s.person, s.at),
            )),
            Some(_) if s.design == old_hash && s.design != new_hash => c.stale.push(item(
                s,
                format!("the sign-off of {} ({}) went stale", s.person, s.at),
            )),
            Some(_) => {}
        }
    }
    for s in &old.sign_offs {
        if !new_keys.contains(&key(s)) {
            c.removed.push(item(
                s,
                format!("the sign-off of {} ({}) was removed", s.person, s.at),
            ));
        }
    }
    c
}

/// Sign-off lines of the text difference.
fn sign_offs_text(out: &mut String, c: &SignOffChanges) {
    if c.is_empty() {
        return;
    }
    out.push_str("Sign-offs\n");
    let lines = [
        ("+", &c.added),
        ("~", &c.renewed),
        ("!", &c.stale),
        ("-", &c.removed),
    ];
    for (sign, items) in lines {
        for i in items {
            out.push_str(&format!("  {sign} {}\n", i.text));
        }
    }
}

/// Sign-off counts of the one-line summary.
fn sign_offs_summary(parts: &mut Vec<String>, c: &SignOffChanges) {
    let mut say = |n: usize, what: &str| match n {
        0 => {}
        1 => parts.push(format!("1 sign-off {what}")),
        n => parts.push(format!("{n} sign-offs {what}")),
    };
    say(c.added.len(), "added");
    say(c.renewed.len(), "renewed");
    say(c.stale.len(), "gone stale");
    say(c.removed.len(), "removed");
}

/// A competency as people read it (see [`crate::text::names::competency`]).
fn competency_label(reference: &str, name: &dyn Fn(&str) -> Option<String>) -> String {
    crate::text::names::competency(reference, name(reference).as_deref())
}

/// A section's id as people read it: a mapping's `NEED → REF` and a competency's `REF` with
/// the competency named.
fn named_id(id: &str, mapping: bool, name: &dyn Fn(&str) -> Option<String>) -> String {
    match id.split_once(" → ") {
        Some((need, reference)) if mapping => {
            format!("{need} → {}", competency_label(reference, name))
        }
        _ if mapping => id.to_string(),
        _ => competency_label(id, name),
    }
}

/// The leaves of two JSON values that differ, named by their dotted paths.
fn json_changes(old: &serde_json::Value, new: &serde_json::Value) -> Vec<FieldChange> {
    let mut a = BTreeMap::new();
    let mut b = BTreeMap::new();
    flatten("", old, &mut a);
    flatten("", new, &mut b);
    let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .filter_map(|k| {
            let (x, y) = (a.get(k), b.get(k));
            (x != y).then(|| FieldChange {
                field: k.clone(),
                old: x.cloned().unwrap_or_default(),
                new: y.cloned().unwrap_or_default(),
            })
        })
        .collect()
}

fn flatten(prefix: &str, v: &serde_json::Value, out: &mut BTreeMap<String, String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&p, x, out);
            }
        }
        serde_json::Value::Null => {}
        serde_json::Value::String(s) => {
            out.insert(prefix.to_string(), s.clone());
        }
        serde_json::Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .map(|x| match x {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect();
            out.insert(prefix.to_string(), parts.join("; "));
        }
        other => {
            out.insert(prefix.to_string(), other.to_string());
        }
    }
}

/// The difference as text, one line per change, grouped by kind.
pub fn to_text(d: &DesignDiff) -> String {
    to_text_named(d, &|_| None)
}

/// The difference as text, competencies named by `name` (reference → name, looked up by id).
pub fn to_text_named(d: &DesignDiff, name: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    let named = |id: &str, title: &str| match title {
        "Mappings" => named_id(id, true, name),
        "Competencies in the credential" => named_id(id, false, name),
        _ => id.to_string(),
    };
    let section = |out: &mut String, title: &str, s: &Section| {
        if s.is_empty() {
            return;
        }
        out.push_str(&format!("{title}\n"));
        for i in &s.added {
            out.push_str(&format!("  + {}: {}\n", named(&i.id, title), i.text));
        }
        for i in &s.removed {
            out.push_str(&format!("  - {}: {}\n", named(&i.id, title), i.text));
        }
        for c in &s.changed {
            for f in &c.changes {
                out.push_str(&format!(
                    "  ~ {} {}: {} → {}\n",
                    named(&c.id, title),
                    f.field,
                    shown(&f.old),
                    shown(&f.new)
                ));
            }
        }
    };
    section(&mut out, "Partners", &d.partners);
    section(&mut out, "Needs", &d.needs);
    section(&mut out, "Mappings", &d.mappings);
    section(&mut out, "Competencies in the credential", &d.competencies);
    if !d.credential.is_empty() {
        out.push_str("Credential\n");
        for f in &d.credential {
            out.push_str(&format!(
                "  ~ {}: {} → {}\n",
                f.field,
                shown(&f.old),
                shown(&f.new)
            ));
        }
    }
    section(&mut out, "Postings", &d.postings);
    let v = &d.votes;
    if !(v.opened.is_empty()
        && v.closed.is_empty()
        && v.reopened.is_empty()
        && v.removed.is_empty())
    {
        out.push_str("Votes\n");
        for i in &v.opened {
            out.push_str(&format!("  + {}: {}\n", i.id, i.text));
        }
        for i in v.closed.iter().chain(&v.reopened) {
            out.push_str(&format!("  ~ {}: {}\n", i.id, i.text));
        }
        for i in &v.removed {
            out.push_str(&format!("  - {}: {}\n", i.id, i.text));
        }
    }
    if !(v.dots_placed.is_empty() && v.dots_taken_back.is_empty()) {
        out.push_str("Dots\n");
        for i in &v.dots_placed {
            out.push_str(&format!("  + {}: {}\n", i.id, i.text));
        }
        for i in &v.dots_taken_back {
            out.push_str(&format!("  - {}: {}\n", i.id, i.text));
        }
    }
    sign_offs_text(&mut out, &d.sign_offs);
    if d.is_empty() {
        out.push_str("No differences.\n");
    }
    let g = &d.gaps;
    out.push_str(&format!(
        "Coverage {:.1}% → {:.1}%",
        g.coverage_before, g.coverage_after
    ));
    if !g.critical_gained.is_empty() {
        out.push_str(&format!(
            "; critical needs gained: {}",
            g.critical_gained.join(", ")
        ));
    }
    if !g.critical_lost.is_empty() {
        out.push_str(&format!(
            "; critical needs resolved: {}",
            g.critical_lost.join(", ")
        ));
    }
    out.push('\n');
    out
}

/// The difference in one line, for a list of versions: counts of what was added (`+`),
/// removed (`−`) and changed (`~`) of each kind, mappings by the status they moved to, and the
/// coverage when it moved, e.g. "+2 needs, 1 mapping agreed, coverage 62% → 70%".
pub fn summary(d: &DesignDiff) -> String {
    fn count(parts: &mut Vec<String>, n: usize, sign: &str, one: &str, many: &str) {
        match n {
            0 => {}
            1 => parts.push(format!("{sign}1 {one}")),
            n => parts.push(format!("{sign}{n} {many}")),
        }
    }
    let mut parts = Vec::new();
    let kind = |parts: &mut Vec<String>, s: &Section, one: &str, many: &str| {
        count(parts, s.added.len(), "+", one, many);
        count(parts, s.removed.len(), "−", one, many);
        count(parts, s.changed.len(), "~", one, many);
    };
    kind(&mut parts, &d.partners, "partner", "partners");
    kind(&mut parts, &d.needs, "need", "needs");
    count(
        &mut parts,
        d.mappings.added.len(),
        "+",
        "mapping",
        "mappings",
    );
    count(
        &mut parts,
        d.mappings.removed.len(),
        "−",
        "mapping",
        "mappings",
    );
    // Mappings whose status moved, counted by the status they moved to; other changes after.
    let mut to: BTreeMap<&str, usize> = BTreeMap::new();
    let mut other = 0;
    for c in &d.mappings.changed {
        match c.changes.iter().find(|f| f.field == "status") {
            Some(f) => *to.entry(f.new.as_str()).or_default() += 1,
            None => other += 1,
        }
    }
    for (status, n) in to {
        let noun = if n == 1 { "mapping" } else { "mappings" };
        parts.push(format!("{n} {noun} {status}"));
    }
    count(&mut parts, other, "~", "mapping", "mappings");
    kind(&mut parts, &d.competencies, "competency", "competencies");
    match d.credential.len() {
        0 => {}
        1 => parts.push(format!("credential {} changed", d.credential[0].field)),
        n => parts.push(format!("{n} credential elements changed")),
    }
    kind(&mut parts, &d.postings, "posting", "postings");
    let v = &d.votes;
    count(&mut parts, v.opened.len(), "+", "vote", "votes");
    count(&mut parts, v.removed.len(), "−", "vote", "votes");
    match v.closed.len() {
        0 => {}
        1 => parts.push("1 vote closed".into()),
        n => parts.push(format!("{n} votes closed")),
    }
    match v.reopened.len() {
        0 => {}
        1 => parts.push("1 vote reopened".into()),
        n => parts.push(format!("{n} votes reopened")),
    }
    count(&mut parts, v.dots_placed.len(), "+", "dot", "dots");
    count(&mut parts, v.dots_taken_back.len(), "−", "dot", "dots");
    sign_offs_summary(&mut parts, &d.sign_offs);
    let g = &d.gaps;
    // Whole percentages, or one decimal when those would look the same.
    let (a, b) = (
        format!("{:.0}", g.coverage_before),
        format!("{:.0}", g.coverage_after),
    );
    if a != b {
        parts.push(format!("coverage {a}% → {b}%"));
    } else {
        let (a, b) = (
            format!("{:.1}", g.coverage_before),
            format!("{:.1}", g.coverage_after),
        );
        if a != b {
            parts.push(format!("coverage {a}% → {b}%"));
        }
    }
    count(
        &mut parts,
        g.critical_gained.len(),
        "+",
        "critical need",
        "critical needs",
    );
    count(
        &mut parts,
        g.critical_lost.len(),
        "−",
        "critical need",
        "critical needs",
    );
    if parts.is_empty() {
        return "no change to the design".into();
    }
    parts.join(", ")
}

/// A value as the text shows it: `(none)` when empty, long text cut to 80 characters.
fn shown(v: &str) -> String {
    if v.is_empty() {
        return "(none)".into();
    }
    let one_line = v.replace('\n', " ");
    if one_line.chars().count() > 80 {
        let cut: String = one_line.chars().take(79).collect();
        format!("{cut}…")
    } else {
        one_line
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{MappingStatus, Priority};

    fn example() -> Workspace {
        let src = include_str!("../../examples/retrofit-gaps.yaml");
        crate::store::yaml::parse_named(src, "retrofit-gaps.yaml").unwrap()
    }

    #[test]
    fn a_design_against_itself_has_no_differences() {
        let ws = example();
        let d = diff(&ws, &ws);
        assert!(d.is_empty());
        assert!(to_text(&d).starts_with("No differences."));
    }

    #[test]
    fn every_kind_of_change_is_found() {
        let old = example();
        let mut new = old.clone();
        new.needs[0].priority = Priority::Could;
        new.needs.remove(1);
        new.mappings[0].status = MappingStatus::Disputed;
        new.competencies[0].hours = Some(99.0);
        new.credential.title = Some("A new title".into());
        new.partners[0].name = "Renamed".into();
        let d = diff(&old, &new);
        assert_eq!(d.needs.changed[0].changes[0].field, "priority");
        assert_eq!(d.needs.removed.len(), 1);
        assert_eq!(d.mappings.changed[0].changes[0].new, "disputed");
        assert_eq!(d.competencies.changed[0].changes[0].field, "hours");
        assert!(d.credential.iter().any(|f| f.field == "title"));
        assert_eq!(d.partners.changed[0].changes[0].new, "Renamed");
        let text = to_text(&d);
        assert!(text.contains("~ ") && text.contains("Coverage"), "{text}");
        let line = summary(&d);
        assert!(line.starts_with("~1 partner, −1 need, ~1 need"), "{line}");
        assert!(line.contains("1 mapping disputed"), "{line}");
        assert!(
            line.contains("~1 competency, credential title changed"),
            "{line}"
        );
        assert_eq!(summary(&diff(&old, &old)), "no change to the design");
    }

    #[test]
    fn postings_and_votes_are_compared_and_summed_up() {
        use crate::model::{Dot, Posting, Vote};
        let dot = |need: &str, at: &str| Dot {
            need: need.into(),
            competency: None,
            partner: "coastline-energy".into(),
            person: "Pat".into(),
            at: at.into(),
        };
        let mut old = example();
        old.postings = vec![Posting {
            id: "P1".into(),
            title: "Installer".into(),
            source: None,
            date: None,
            partner: None,
            sha256: "0".repeat(64),
            text: "Installer".into(),
            mentions: vec![],
        }];
        // The same dot twice (same need, partner, person and time): one taken back counts once.
        old.votes = vec![Vote {
            opened_by: "Dee".into(),
            opened_at: "2026-01-01T00:00:00Z".into(),
            dots: 3,
            partner: None,
            hidden: false,
            closed_by: None,
            closed_at: None,
            ballots: vec![dot("N1", "t1"), dot("N1", "t1")],
            over: crate::model::VoteOver::Needs,
            candidates: Vec::new(),
        }];
        assert!(diff(&old, &old).is_empty());
        let mut new = old.clone();
        new.postings.push(Posting {
            id: "P2".into(),
            title: "Welder".into(),
            ..old.postings[0].clone()
        });
        new.postings[0].date = Some("2026-01-02".into());
        new.votes[0].ballots.pop();
        new.votes[0].ballots.push(dot("N2", "t2"));
        new.votes[0].closed_by = Some("Dee".into());
        new.votes[0].closed_at = Some("2026-01-01T01:00:00Z".into());
        let d = diff(&old, &new);
        assert!(!d.is_empty());
        assert_eq!(d.postings.added[0].id, "P2");
        assert_eq!(d.postings.changed[0].changes[0].field, "date");
        let v = &d.votes;
        assert_eq!((v.closed.len(), v.opened.len(), v.removed.len()), (1, 0, 0));
        let ids = |items: &[Item]| items.iter().map(|i| i.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&v.dots_placed), ["N2"]);
        assert_eq!(ids(&v.dots_taken_back), ["N1"]);
        assert_eq!(
            summary(&d),
            "+1 posting, ~1 posting, 1 vote closed, +1 dot, −1 dot"
        );
        // A design without postings or votes: nothing of them in the JSON.
        let plain = serde_json::to_value(diff(&example(), &example())).unwrap();
        assert!(plain.get("postings").is_none() && plain.get("votes").is_none());
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["votes"]["closed"][0]["id"], "vote 1");
    }
}

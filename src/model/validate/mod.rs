//! Checks a parsed framework or workspace beyond what its types enforce: identifiers,
//! duplicates, references, levels. Each finding carries the path of the node it is about, so
//! the loader can turn it into `file:line:column`.

use std::collections::{HashMap, HashSet};

pub mod limits;

use crate::model::catalog::Catalog;
use crate::model::*;
use crate::problem::DocPath;

/// One thing wrong (or worth a warning) at a path in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub path: DocPath,
    pub message: String,
    pub hint: Option<String>,
    pub warning: bool,
}

impl Finding {
    pub(crate) fn error(path: DocPath, message: impl Into<String>) -> Self {
        Finding {
            path,
            message: message.into(),
            hint: None,
            warning: false,
        }
    }
    pub(crate) fn hint(mut self, h: impl Into<String>) -> Self {
        self.hint = Some(h.into());
        self
    }
}

/// Most problems of one check that get ranked suggestions ("did you mean"); later ones list
/// the first ids in file order. 2,000 unknown parents used to take 110 s.
pub const MAX_RANKED: usize = 20;
/// Most candidate ids compared with one unknown id.
pub const MAX_CANDIDATES: usize = 2_000;
/// Characters of an id that take part in a comparison (ids are at most 100 long; a 200 KB
/// unknown reference used to be compared whole, 3.3 s).
pub const MAX_COMPARED_CHARS: usize = 64;

/// The suggestion work of one check: how many problems got ranked suggestions and how many
/// edit distances were computed. Bounded by [`MAX_RANKED`] × [`MAX_CANDIDATES`] distances of
/// at most [`MAX_COMPARED_CHARS`] characters each.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Suggestions {
    /// Problems given ranked suggestions so far.
    pub ranked: usize,
    /// Edit distances computed so far.
    pub distances: usize,
    /// Candidate ids read so far (at most [`MAX_CANDIDATES`] per hint).
    pub collected: usize,
}

impl Suggestions {
    /// A short list of the ids that do exist, nearest to `wanted` first, for a hint. Only the
    /// first [`MAX_CANDIDATES`] ids are read, so that a hint costs the same however many ids
    /// there are (a hint per unknown parent used to collect all of them: quadratic).
    pub fn did_you_mean<'a, I>(&mut self, wanted: &str, ids: I) -> String
    where
        I: IntoIterator<Item = &'a str>,
        I::IntoIter: ExactSizeIterator,
    {
        let ids = ids.into_iter();
        let total = ids.len();
        let ids: Vec<&str> = ids.take(MAX_CANDIDATES).collect();
        self.collected += ids.len();
        if ids.is_empty() {
            return "there are none yet".into();
        }
        let mut order: Vec<usize> = Vec::with_capacity(5);
        if self.ranked < MAX_RANKED {
            self.ranked += 1;
            order = self.nearest(wanted, &ids);
        }
        // Fill up with the others in file order.
        for i in 0..ids.len() {
            if order.len() >= 5 {
                break;
            }
            if !order.contains(&i) {
                order.push(i);
            }
        }
        let shown: Vec<String> = order.iter().map(|&i| format!("`{}`", ids[i])).collect();
        let more = if total > 5 {
            format!(" (and {} more)", total - 5)
        } else {
            String::new()
        };
        format!("the ids that exist include {}{more}", shown.join(", "))
    }

    /// Indexes of the (at most five) ids within a small edit distance of `wanted`, nearest
    /// first. Each distance is computed once; an id whose length differs by more than the
    /// distance allowed is not compared at all.
    fn nearest(&mut self, wanted: &str, ids: &[&str]) -> Vec<usize> {
        let w = folded(wanted);
        let w_len = wanted.chars().take(4 * MAX_COMPARED_CHARS).count();
        let max = (w.len() / 3).max(2);
        let mut row = Vec::new();
        let mut scored: Vec<(usize, usize)> = Vec::new();
        for (i, id) in ids.iter().enumerate().take(MAX_CANDIDATES) {
            let id_len = id.chars().take(4 * MAX_COMPARED_CHARS).count();
            if id_len.abs_diff(w_len) > max {
                continue;
            }
            self.distances += 1;
            if let Some(d) = bounded_distance(&w, &folded(id), max, &mut row) {
                scored.push((d, i));
            }
        }
        scored.sort_unstable();
        scored.into_iter().take(5).map(|(_, i)| i).collect()
    }
}

/// A short list of the ids that do exist, with the nearest first, for hints.
pub fn did_you_mean<'a, I>(wanted: &str, ids: I) -> String
where
    I: IntoIterator<Item = &'a str>,
    I::IntoIter: ExactSizeIterator,
{
    Suggestions::default().did_you_mean(wanted, ids)
}

/// The first [`MAX_COMPARED_CHARS`] characters of `s`, lower-cased.
fn folded(s: &str) -> Vec<char> {
    s.chars()
        .flat_map(char::to_lowercase)
        .take(MAX_COMPARED_CHARS)
        .collect()
}

/// The edit distance between `a` and `b` if it is at most `max`; `row` is scratch space.
/// Stops as soon as every way through is over `max`.
fn bounded_distance(a: &[char], b: &[char], max: usize, row: &mut Vec<usize>) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    row.clear();
    row.extend(0..=b.len());
    for (i, ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        let mut best = row[0];
        for (j, cb) in b.iter().enumerate() {
            let next = (diag + usize::from(ca != cb))
                .min(row[j + 1] + 1)
                .min(row[j] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
            best = best.min(next);
        }
        if best > max {
            return None;
        }
    }
    Some(row[b.len()]).filter(|&d| d <= max)
}

fn check_id(out: &mut Vec<Finding>, path: DocPath, what: &str, id: &str) {
    if !is_identifier(id) {
        out.push(
            Finding::error(path, format!("`{id}` is not a valid {what} id")).hint(
                "ids start with a letter or digit and use only letters, digits, `.`, `_` and `-`",
            ),
        );
    }
}

fn check_text(out: &mut Vec<Finding>, path: DocPath, what: &str, text: &str) {
    if text.trim().is_empty() {
        out.push(Finding::error(path, format!("the {what} is empty")).hint("write a few words"));
    }
}

fn check_unique<'a>(
    out: &mut Vec<Finding>,
    base: &DocPath,
    what: &str,
    ids: impl Iterator<Item = &'a str>,
) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, id) in ids.enumerate() {
        if let Some(first) = seen.insert(id, i) {
            out.push(
                Finding::error(
                    base.index(i).key("id"),
                    format!("duplicate {what} id `{id}`"),
                )
                .hint(format!(
                    "item {} already uses it; give each {what} its own id",
                    first + 1
                )),
            );
            seen.insert(id, first);
        }
    }
}

/// Check a framework on its own.
pub fn framework(fw: &Framework) -> Vec<Finding> {
    framework_with(fw, &mut Suggestions::default())
}

/// [`framework`], counting the suggestion work in `sug`.
pub fn framework_with(fw: &Framework, sug: &mut Suggestions) -> Vec<Finding> {
    let mut out = Vec::new();
    limits::framework(fw, &mut out);
    let root = DocPath::root();
    check_id(&mut out, root.key("id"), "framework", &fw.id);
    check_text(&mut out, root.key("name"), "framework name", &fw.name);
    check_text(&mut out, root.key("version"), "version", &fw.version);
    if fw.levels.is_empty() {
        out.push(
            Finding::error(root.key("levels"), "the level scale is empty")
                .hint("list at least one level, lowest first"),
        );
    }
    for (i, pair) in fw.levels.windows(2).enumerate() {
        if pair[1].level <= pair[0].level {
            out.push(
                Finding::error(
                    root.key("levels").index(i + 1).key("level"),
                    format!(
                        "level {} comes after level {}; levels must increase",
                        pair[1].level, pair[0].level
                    ),
                )
                .hint("list levels lowest first, each number higher than the one before"),
            );
        }
    }
    for (i, l) in fw.levels.iter().enumerate() {
        check_text(
            &mut out,
            root.key("levels").index(i).key("name"),
            "level name",
            &l.name,
        );
    }
    if fw.competencies.is_empty() {
        out.push(
            Finding::error(
                root.key("competencies"),
                "the framework has no competencies",
            )
            .hint("add at least one"),
        );
    }
    let comps = root.key("competencies");
    let ids: HashSet<&str> = fw.competencies.iter().map(|c| c.id.as_str()).collect();
    for (i, c) in fw.competencies.iter().enumerate() {
        let p = comps.index(i);
        check_id(&mut out, p.key("id"), "competency", &c.id);
        check_text(&mut out, p.key("name"), "competency name", &c.name);
        if let Some(parent) = &c.parent {
            if parent == &c.id {
                out.push(Finding::error(
                    p.key("parent"),
                    format!("`{}` names itself as its parent", c.id),
                ));
            } else if !ids.contains(parent.as_str()) {
                out.push(
                    Finding::error(
                        p.key("parent"),
                        format!("parent `{parent}` is not a competency of this framework"),
                    )
                    .hint(sug.did_you_mean(parent, fw.competencies.iter().map(|c| c.id.as_str()))),
                );
            }
        }
        for level in c.levels.keys() {
            if fw.level(*level).is_none() {
                out.push(
                    Finding::error(
                        p.key("levels").key(&level.to_string()),
                        format!("level {level} is not on the framework's scale"),
                    )
                    .hint(scale_hint(fw)),
                );
            }
        }
    }
    check_unique(
        &mut out,
        &comps,
        "competency",
        fw.competencies.iter().map(|c| c.id.as_str()),
    );
    check_parent_cycles(fw, &mut out);
    out
}

/// Report every competency on a loop of parents. Each competency is walked once (a walk stops
/// at one already walked), so a long chain of parents costs O(n), not O(n²).
fn check_parent_cycles(fw: &Framework, out: &mut Vec<Finding>) {
    let index: HashMap<&str, usize> = fw
        .competencies
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let parent =
        |i: usize| -> Option<usize> { index.get(fw.competencies[i].parent.as_deref()?).copied() };
    // 0: not walked yet, 1: on the walk under way, 2: walked.
    let mut state = vec![0u8; fw.competencies.len()];
    let mut on_loop = vec![false; fw.competencies.len()];
    let mut path = Vec::new();
    for start in 0..fw.competencies.len() {
        let mut cur = Some(start);
        while let Some(i) = cur.filter(|&i| state[i] == 0) {
            state[i] = 1;
            path.push(i);
            cur = parent(i);
        }
        // Back on the walk under way: the path from there on is a loop.
        if let Some(i) = cur.filter(|&i| state[i] == 1)
            && let Some(from) = path.iter().position(|&j| j == i)
        {
            for &j in &path[from..] {
                on_loop[j] = true;
            }
        }
        for j in path.drain(..) {
            state[j] = 2;
        }
    }
    for (i, c) in fw.competencies.iter().enumerate() {
        if on_loop[i] {
            out.push(Finding::error(
                DocPath::root().key("competencies").index(i).key("parent"),
                format!("`{}` is its own ancestor (the parent chain loops)", c.id),
            ));
        }
    }
}

/// "levels on this scale: 1 Foundational, 2 Intermediate, ..."
pub fn scale_hint(fw: &Framework) -> String {
    let levels: Vec<String> = fw
        .levels
        .iter()
        .map(|l| format!("{} {}", l.level, l.name))
        .collect();
    format!("`{}` has levels {}", fw.id, levels.join(", "))
}

/// Check a workspace against the catalog.
pub fn workspace(ws: &Workspace, catalog: &Catalog) -> Vec<Finding> {
    workspace_with(ws, catalog, &mut Suggestions::default())
}

/// [`workspace`], counting the suggestion work in `sug`.
pub fn workspace_with(ws: &Workspace, catalog: &Catalog, sug: &mut Suggestions) -> Vec<Finding> {
    let mut out = Vec::new();
    limits::workspace_head(ws, &mut out);
    // Looked up by id, built once: a need's partner, a mapping's need.
    let partner_ids: HashSet<&str> = ws.partners.iter().map(|p| p.id.as_str()).collect();
    let need_ids: HashSet<&str> = ws.needs.iter().map(|n| n.id.as_str()).collect();
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
    credential(&ws.credential, &mut out);
    let partners = root.key("partners");
    for (i, p) in ws.partners.iter().enumerate() {
        out.extend(
            partner(p)
                .into_iter()
                .map(|f| prefix(f, &partners.index(i))),
        );
    }
    check_unique(
        &mut out,
        &partners,
        "partner",
        ws.partners.iter().map(|p| p.id.as_str()),
    );
    let needs = root.key("needs");
    for (i, n) in ws.needs.iter().enumerate() {
        out.extend(
            need_with(ws, partner_ids.contains(n.partner.as_str()), n, sug)
                .into_iter()
                .map(|f| prefix(f, &needs.index(i))),
        );
    }
    check_unique(
        &mut out,
        &needs,
        "need",
        ws.needs.iter().map(|n| n.id.as_str()),
    );
    let comps = root.key("competencies");
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, c) in ws.competencies.iter().enumerate() {
        out.extend(
            credential_competency_with(c, catalog, sug)
                .into_iter()
                .map(|f| prefix(f, &comps.index(i))),
        );
        if let Some(first) = seen.insert(c.reference.as_str(), i) {
            out.push(
                Finding::error(
                    comps.index(i).key("ref"),
                    format!("`{}` is listed twice in the credential", c.reference),
                )
                .hint(format!("item {} already lists it; keep one", first + 1)),
            );
        }
    }
    for (i, s) in ws.sign_offs.iter().enumerate() {
        let p = root.key("sign_offs").index(i);
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
    let mut posting_ids: HashMap<&str, usize> = HashMap::new();
    for (i, post) in ws.postings.iter().enumerate() {
        let p = root.key("postings").index(i);
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
    votes(ws, &partner_ids, &root, &mut out);
    let maps = root.key("mappings");
    let mut pairs: HashMap<(&str, &str), usize> = HashMap::new();
    for (i, m) in ws.mappings.iter().enumerate() {
        out.extend(
            mapping_with(ws, need_ids.contains(m.need.as_str()), m, catalog, sug)
                .into_iter()
                .map(|f| prefix(f, &maps.index(i))),
        );
        if let Some(first) = pairs.insert((m.need.as_str(), m.competency.as_str()), i) {
            out.push(
                Finding::error(
                    maps.index(i),
                    format!("need `{}` is mapped to `{}` twice", m.need, m.competency),
                )
                .hint(format!("mapping {} already does; keep one", first + 1)),
            );
        }
    }
    out
}

fn prefix(mut f: Finding, base: &DocPath) -> Finding {
    let mut p = base.clone();
    p.0.extend(f.path.0);
    f.path = p;
    f
}

fn credential(c: &Credential, out: &mut Vec<Finding>) {
    let p = DocPath::root().key("credential");
    if let Some(id) = &c.id {
        if !crate::model::identity::is_valid_id(id) {
            out.push(
                Finding::error(
                    p.key("id"),
                    format!("`{id}` is not a URN or an https URI"),
                )
                .hint("the id is given once and kept (urn:uuid:…); remove the line and microcred gives a new one on save"),
            );
        }
    }
    if let Some(v) = &c.version {
        if v.trim().is_empty() {
            out.push(
                Finding::error(p.key("version"), "the version is empty")
                    .hint("write a version such as 2027.1, or remove the line"),
            );
        }
    }
    if let Some(country) = &c.country {
        if !valid_country(country) {
            out.push(
                Finding::error(
                    p.key("country"),
                    format!("`{country}` is not an ISO 3166 country code"),
                )
                .hint("use two capital letters, optionally with a region: CA, CA-BC, IE"),
            );
        }
    }
    if let Some(w) = &c.workload {
        if !(w.hours.is_finite() && w.hours > 0.0) {
            out.push(Finding::error(
                p.key("workload").key("hours"),
                "workload hours must be more than 0",
            ));
        }
        if let Some(e) = w.ects {
            if !(e.is_finite() && e >= 0.0) {
                out.push(Finding::error(
                    p.key("workload").key("ects"),
                    "ECTS credits must be 0 or more",
                ));
            }
        }
    }
    if let Some(m) = c.max_hours {
        if !(m.is_finite() && m > 0.0) {
            out.push(Finding::error(
                p.key("max_hours"),
                "max_hours must be more than 0",
            ));
        }
    }
    for (i, lang) in c.languages.iter().enumerate() {
        if !valid_language(lang) {
            out.push(
                Finding::error(
                    p.key("languages").index(i),
                    format!("`{lang}` is not an ISO 639 language code"),
                )
                .hint("write two or three lower-case letters: en, fr, ga"),
            );
        }
    }
    if let Some(code) = &c.isced_f {
        if !valid_isced_f(code) {
            out.push(
                Finding::error(
                    p.key("isced_f"),
                    format!("`{code}` is not an ISCED-F 2013 field code"),
                )
                .hint("write the 2-, 3- or 4-digit code of the field, e.g. 0713 (electricity and energy)"),
            );
        }
    }
    if let Some(url) = &c.homepage {
        if !valid_web_address(url) {
            out.push(
                Finding::error(p.key("homepage"), format!("`{url}` is not a web address"))
                    .hint("write the page's full address, starting https://"),
            );
        }
    }
    if let Some(country) = c
        .awarding_body_details
        .as_ref()
        .and_then(|d| d.country.as_ref())
    {
        if !valid_country(country) {
            out.push(
                Finding::error(
                    p.key("awarding_body_details").key("country"),
                    format!("`{country}` is not an ISO 3166 country code"),
                )
                .hint("use two capital letters, optionally with a region: CA, CA-BC, IE"),
            );
        }
    }
    if let Some(l) = &c.level {
        if l.scheme.trim().eq_ignore_ascii_case("EQF")
            && !matches!(l.value, LevelValue::Number(1..=8))
        {
            out.push(
                Finding::error(
                    p.key("level").key("value"),
                    format!("EQF levels are 1 to 8, not `{}`", l.value),
                )
                .hint("write a number from 1 to 8, or name another scheme (NQF, …)"),
            );
        }
        if l.scheme.trim().is_empty() {
            out.push(
                Finding::error(p.key("level").key("scheme"), "the level scheme is empty")
                    .hint("e.g. EQF or NQF"),
            );
        }
    }
}

/// A calendar date written `YYYY-MM-DD` (month 1–12, day 1–31).
pub fn valid_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !digits(0..4)
        || !digits(5..7)
        || !digits(8..10)
    {
        return false;
    }
    let month = (b[5] - b'0') * 10 + (b[6] - b'0');
    let day = (b[8] - b'0') * 10 + (b[9] - b'0');
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// An ISO 639-1 or 639-2/3 code: two or three lower-case ASCII letters.
pub fn valid_language(s: &str) -> bool {
    (2..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase())
}

/// An ISCED-F 2013 code: a broad (2 digits), narrow (3) or detailed (4) field.
pub fn valid_isced_f(s: &str) -> bool {
    (2..=4).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// An absolute `https://` or `http://` address with a host and no spaces.
pub fn valid_web_address(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        host.contains('.') && !s.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

/// ISO 3166-1 alpha-2, optionally with an ISO 3166-2 subdivision: `CA`, `CA-BC`.
pub fn valid_country(s: &str) -> bool {
    let (cc, region) = match s.split_once('-') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    };
    cc.len() == 2
        && cc.chars().all(|c| c.is_ascii_uppercase())
        && region.is_none_or(|r| {
            (1..=3).contains(&r.len())
                && r.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
}

/// Check one partner (paths relative to the partner).
pub fn partner(p: &Partner) -> Vec<Finding> {
    let mut out = Vec::new();
    limits::partner(p, &mut out);
    check_id(&mut out, DocPath::root().key("id"), "partner", &p.id);
    check_text(
        &mut out,
        DocPath::root().key("name"),
        "partner name",
        &p.name,
    );
    out
}

/// Check one need (paths relative to the need).
pub fn need(ws: &Workspace, n: &Need) -> Vec<Finding> {
    need_with(
        ws,
        ws.partner(&n.partner).is_some(),
        n,
        &mut Suggestions::default(),
    )
}

/// [`need`], told whether the need's partner exists (looked up by the caller).
fn need_with(ws: &Workspace, partner_known: bool, n: &Need, sug: &mut Suggestions) -> Vec<Finding> {
    let mut out = Vec::new();
    limits::need(n, &mut out);
    check_id(&mut out, DocPath::root().key("id"), "need", &n.id);
    check_text(
        &mut out,
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
    out
}

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

/// Check one credential competency (paths relative to it).
pub fn credential_competency(c: &CredentialCompetency, catalog: &Catalog) -> Vec<Finding> {
    credential_competency_with(c, catalog, &mut Suggestions::default())
}

fn credential_competency_with(
    c: &CredentialCompetency,
    catalog: &Catalog,
    sug: &mut Suggestions,
) -> Vec<Finding> {
    let mut out = Vec::new();
    limits::credential_competency(c, &mut out);
    if let Some((fw, comp)) = resolve_ref(
        &mut out,
        sug,
        DocPath::root().key("ref"),
        &c.reference,
        catalog,
    ) {
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
    out
}

/// Check one mapping (paths relative to it).
pub fn mapping(ws: &Workspace, m: &Mapping, catalog: &Catalog) -> Vec<Finding> {
    let need_known = ws.need(&m.need).is_some();
    mapping_with(ws, need_known, m, catalog, &mut Suggestions::default())
}

/// [`mapping`], told whether the mapping's need exists (looked up by the caller).
fn mapping_with(
    ws: &Workspace,
    need_known: bool,
    m: &Mapping,
    catalog: &Catalog,
    sug: &mut Suggestions,
) -> Vec<Finding> {
    let mut out = Vec::new();
    limits::mapping(m, &mut out);
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
        &mut out,
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
            &mut out,
            DocPath::root().key("comments").index(i).key("text"),
            "comment",
            &c.text,
        );
    }
    out
}

/// Findings for the dot votes: a dot count in range, only the last vote open, no partner over
/// its dots; partners not listed are warnings. Dots on needs or of partners removed since are
/// kept (the vote's record). A vote over competencies lists its candidates (well-formed
/// references, each once, at most 60; no partner scope), and each dot names exactly one
/// target that fits the vote: a need in a vote over needs, a candidate in one over
/// competencies.
fn votes(ws: &Workspace, partner_ids: &HashSet<&str>, root: &DocPath, out: &mut Vec<Finding>) {
    let last = ws.votes.len().saturating_sub(1);
    for (i, v) in ws.votes.iter().enumerate() {
        let p = root.key("votes").index(i);
        if v.dots == 0 || v.dots > crate::model::vote::MAX_DOTS {
            out.push(
                Finding::error(
                    p.key("dots"),
                    format!(
                        "a vote gives each partner 1 to {} dots, not {}",
                        crate::model::vote::MAX_DOTS,
                        v.dots
                    ),
                )
                .hint("the default is 3"),
            );
        }
        if let Some(scope) = &v.partner {
            if !partner_ids.contains(scope.as_str()) {
                out.push(Finding {
                    warning: true,
                    ..Finding::error(
                        p.key("partner"),
                        format!("a vote over the needs of partner `{scope}`, which is not listed"),
                    )
                    .hint("name a partner of `partners:`, or leave `partner` out to vote over all needs")
                });
            }
        }
        if v.is_open() && i != last {
            out.push(
                Finding::error(p.key("closed_at"), "only the last vote can be open")
                    .hint("give the earlier vote a `closed_at` time"),
            );
        }
        vote_candidates(v, &p, out);
        let mut count: HashMap<&str, u32> = HashMap::new();
        for (j, d) in v.ballots.iter().enumerate() {
            let dp = p.key("ballots").index(j);
            if let Some(f) = dot_target(v, d, &dp) {
                out.push(f);
            }
            if !partner_ids.contains(d.partner.as_str()) {
                // A warning: a closed vote keeps the dots of a partner removed since.
                out.push(Finding {
                    warning: true,
                    ..Finding::error(
                        dp.key("partner"),
                        format!("a dot of partner `{}`, which is not listed", d.partner),
                    )
                    .hint("name a partner of `partners:`, or remove the dot")
                });
            }
            let c = count.entry(d.partner.as_str()).or_default();
            *c += 1;
            if *c == v.dots + 1 {
                out.push(
                    Finding::error(
                        dp,
                        format!(
                            "partner `{}` has more than the vote's {} dots",
                            d.partner, v.dots
                        ),
                    )
                    .hint("remove the extra dots"),
                );
            }
        }
    }
}

/// Findings for what a vote is over: candidates only in a vote over competencies, at least
/// one, each a well-formed reference listed once, at most [`crate::model::vote::MAX_CANDIDATES`];
/// a partner scope only in a vote over needs.
fn vote_candidates(v: &Vote, p: &DocPath, out: &mut Vec<Finding>) {
    use crate::model::vote::MAX_CANDIDATES;
    match v.over {
        VoteOver::Needs => {
            if !v.candidates.is_empty() {
                out.push(
                    Finding::error(
                        p.key("candidates"),
                        "a vote over the needs lists no candidate competencies",
                    )
                    .hint("write `over: competencies` to vote over them, or remove `candidates`"),
                );
            }
        }
        VoteOver::Competencies => {
            if v.partner.is_some() {
                out.push(
                    Finding::error(
                        p.key("partner"),
                        "a vote over competencies is not limited to one partner's needs",
                    )
                    .hint("remove `partner`: every partner votes on the same candidates"),
                );
            }
            if v.candidates.is_empty() {
                out.push(
                    Finding::error(
                        p.key("over"),
                        "a vote over competencies lists no candidates",
                    )
                    .hint("list the competencies voted on under `candidates:`"),
                );
            }
            if v.candidates.len() > MAX_CANDIDATES {
                out.push(
                    Finding::error(
                        p.key("candidates"),
                        format!(
                            "a vote lists at most {MAX_CANDIDATES} candidates, not {}",
                            v.candidates.len()
                        ),
                    )
                    .hint("keep the ones that matter most"),
                );
            }
            let mut seen: HashMap<&str, usize> = HashMap::new();
            for (k, c) in v.candidates.iter().enumerate() {
                let cp = p.key("candidates").index(k);
                if crate::model::split_ref(c).is_none() {
                    out.push(
                        Finding::error(cp, format!("`{c}` is not a competency reference"))
                            .hint("write it as FRAMEWORK_ID:COMPETENCY_ID"),
                    );
                } else if let Some(first) = seen.insert(c.as_str(), k) {
                    out.push(
                        Finding::error(cp, format!("candidate `{c}` is listed twice"))
                            .hint(format!("item {} already lists it; keep one", first + 1)),
                    );
                }
            }
        }
    }
}

/// The finding for a dot whose target does not fit its vote, if any.
fn dot_target(v: &Vote, d: &Dot, dp: &DocPath) -> Option<Finding> {
    match (v.over, d.need.is_empty(), &d.competency) {
        (_, false, Some(_)) => Some(
            Finding::error(
                dp.clone(),
                "a dot is on a need or on a competency, not both",
            )
            .hint("keep `need` in a vote over needs, `competency` in one over competencies"),
        ),
        (VoteOver::Needs, true, None) => Some(
            Finding::error(dp.key("need"), "a dot says which need it is on").hint("name a need id"),
        ),
        (VoteOver::Needs, _, Some(_)) => Some(
            Finding::error(
                dp.key("competency"),
                "a dot on a competency in a vote over the needs",
            )
            .hint("name a need with `need:`, or make the vote `over: competencies`"),
        ),
        (VoteOver::Competencies, _, None) => Some(
            Finding::error(
                dp.clone(),
                "a dot in a vote over competencies names no competency",
            )
            .hint("name one of the vote's candidates with `competency:`"),
        ),
        (VoteOver::Competencies, _, Some(c)) if !v.has_candidate(c) => Some(
            Finding::error(
                dp.key("competency"),
                format!("`{c}` is not one of the vote's candidates"),
            )
            .hint("name a competency listed under the vote's `candidates:`"),
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn orphans(n: usize, parent: impl Fn(usize) -> String) -> Framework {
        let src = r#"{"id": "o", "name": "O", "version": "1", "levels": [{"level": 1, "name": "One"}],
            "competencies": [{"id": "C0", "name": "n", "description": "d"}]}"#;
        let mut fw: Framework = serde_json::from_str(src).expect("parses");
        let c = fw.competencies[0].clone();
        fw.competencies = (0..n)
            .map(|i| Competency {
                id: format!("C{i:04}"),
                parent: Some(parent(i)),
                ..c.clone()
            })
            .collect();
        fw
    }

    /// 2,000 unknown parents among 2,000 competencies: every one is reported, but only the
    /// first [`MAX_RANKED`] get ranked suggestions, each comparing at most [`MAX_CANDIDATES`].
    /// (Before: about 2,000 × 2 × 2,000 × log 2,000 distances, inside a sort comparator.)
    #[test]
    fn suggestion_work_is_bounded_whatever_the_number_of_problems() {
        let fw = orphans(2000, |i| format!("Q{i:04}"));
        let mut sug = Suggestions::default();
        let found = framework_with(&fw, &mut sug);
        assert_eq!(found.len(), 2000);
        assert_eq!(sug.ranked, MAX_RANKED);
        assert!(sug.distances <= MAX_RANKED * MAX_CANDIDATES, "{sug:?}");
        let hint = |i: usize| found[i].hint.clone().unwrap_or_default();
        assert!(
            hint(7).starts_with("the ids that exist include `C0007`"),
            "{}",
            hint(7)
        );
        assert!(hint(1999).starts_with("the ids that exist include `C0000`, `C0001`"));
    }

    /// Each hint reads at most [`MAX_CANDIDATES`] ids, however many competencies there are
    /// (each hint used to collect all of them: 160,000 unknown parents took 220 s).
    #[test]
    fn each_unknown_parent_reads_a_bounded_number_of_ids() {
        let n = 10_000;
        let fw = orphans(n, |i| format!("Q{i:05}"));
        let mut sug = Suggestions::default();
        let found = framework_with(&fw, &mut sug);
        assert_eq!(found.len(), n);
        assert_eq!(sug.collected, n * MAX_CANDIDATES, "{sug:?}");
        let last = found[n - 1].hint.clone().unwrap_or_default();
        assert!(last.ends_with(&format!("(and {} more)", n - 5)), "{last}");
    }

    /// Loops of parents are found in one pass: every competency on a loop is reported, those
    /// leading into one or down a long chain are not.
    #[test]
    fn parent_loops_are_found_in_one_pass() {
        // C0000 ← C0001 ← … ← C0999 (a chain), C1000 → C1001 → C1002 → C1000 (a loop),
        // C1003 → C1000 (into the loop), C1004 → itself.
        let mut fw = orphans(1005, |i| match i {
            0 => "C0000".into(),
            1..1000 => format!("C{:04}", i - 1),
            1000 | 1001 => format!("C{:04}", i + 1),
            1002 | 1003 => "C1000".into(),
            _ => "C1004".into(),
        });
        fw.competencies[0].parent = None;
        let found = framework(&fw);
        let loops: Vec<&str> = found
            .iter()
            .filter(|f| f.message.contains("is its own ancestor"))
            .map(|f| f.message.split('`').nth(1).unwrap_or(""))
            .collect();
        assert_eq!(loops, ["C1000", "C1001", "C1002", "C1004"]);
    }

    /// A 200,000-character unknown id is compared with nothing: no id is that long.
    #[test]
    fn a_huge_unknown_id_costs_no_distance_at_all() {
        let fw = orphans(3, |i| {
            if i == 1 {
                "x".repeat(200_000)
            } else {
                "C0000".into()
            }
        });
        let mut sug = Suggestions::default();
        let found = framework_with(&fw, &mut sug);
        assert!(found.iter().any(|f| f.message.starts_with("parent `xxx")));
        assert!(
            found
                .iter()
                .any(|f| f.message.contains("is 200000 characters long"))
        );
        assert_eq!(sug.distances, 0);
    }

    #[test]
    fn nearest_ids_come_first() {
        let ids = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta"];
        let h = did_you_mean("Delta", ids);
        assert!(
            h.starts_with("the ids that exist include `delta`, `beta`, `zeta`"),
            "{h}"
        );
        assert!(h.ends_with("(and 2 more)"), "{h}");
        assert_eq!(did_you_mean("x", []), "there are none yet");
        let mut row = Vec::new();
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(
            bounded_distance(&c("kitten"), &c("sitting"), 3, &mut row),
            Some(3)
        );
        assert_eq!(
            bounded_distance(&c("kitten"), &c("sitting"), 2, &mut row),
            None
        );
        assert_eq!(bounded_distance(&c(""), &c("ab"), 2, &mut row), Some(2));
    }
}

//! The gap panes' lines, derived from the gap report once per version: from the previous
//! version's lines where a section's entries are the same (an edit changes a few entries of a
//! few sections), so that a change costs what it touched, not every line of every section.

use std::collections::HashMap;
use std::ops::Range;

use super::*;
use crate::analysis::gap::NeedGap;
use crate::document::derived::Step;

/// The gap lines of one version with what they were made from, so that the lines of the next
/// version are made from them (see [`gap_lines_after`]).
#[derive(Debug, Clone)]
pub struct GapLinesAt {
    ws: Arc<Workspace>,
    derived: Arc<Derived>,
    report: Arc<GapReport>,
    /// The lines, in section order.
    pub lines: Arc<Vec<Arc<GapLine>>>,
    /// Where each list's lines are in `lines`.
    spans: HashMap<&'static str, Range<usize>>,
}

/// The gap panes' lines, in section order.
pub fn gap_lines(
    ws: &Workspace,
    d: &Derived,
    catalog: &Catalog,
    r: &GapReport,
    today: &str,
) -> Vec<Arc<GapLine>> {
    make(None, ws, d, catalog, r, today).0
}

/// The gap lines of `ws` (with its lookups `d` and report `r`), made from `prev` (the lines
/// of another version) where a section's entries are the same there: equal to
/// [`gap_lines`] of the same version.
pub fn gap_lines_after(
    prev: Option<&GapLinesAt>,
    ws: &Arc<Workspace>,
    d: &Arc<Derived>,
    catalog: &Catalog,
    r: &Arc<GapReport>,
    today: &str,
) -> GapLinesAt {
    let (lines, spans) = make(prev, ws, d, catalog, r, today);
    GapLinesAt {
        ws: Arc::clone(ws),
        derived: Arc::clone(d),
        report: Arc::clone(r),
        lines: Arc::new(lines),
        spans,
    }
}

/// The lines being made, and the previous version's to make them from.
struct Lines<'p> {
    out: Vec<Arc<GapLine>>,
    spans: HashMap<&'static str, Range<usize>>,
    prev: Option<&'p GapLinesAt>,
}

impl<'p> Lines<'p> {
    /// The lines of one list (`key` names it among the previous version's): for the entries
    /// `new` starts and ends with that equal the previous version's entries (`old` gives them),
    /// that version's lines; `make` for the rest.
    fn list<E: PartialEq>(
        &mut self,
        key: &'static str,
        old: impl FnOnce(&'p GapLinesAt) -> Vec<E>,
        new: &[E],
        make: impl FnMut(&E) -> GapLine,
    ) {
        let start = self.out.len();
        let prev = self.prev.and_then(|p| {
            let lines = p.lines.get(p.spans.get(key)?.clone())?;
            Some((old(p), lines))
        });
        reuse(&mut self.out, prev, new, make);
        self.spans.insert(key, start..self.out.len());
    }
}

/// How the report and lookups of the version whose lines are made relate to the previous
/// version's (whose lines are at hand).
enum Since<'a> {
    /// Not known: each list is compared entry by entry.
    Unknown,
    /// The same report and lookups: every list made from the report is as it was.
    Same,
    /// Changed in place: only the entries of what the step names may differ.
    Touched(&'a Step),
}

impl<'p> Lines<'p> {
    /// The lines of one list (`name` names it among the previous version's) without comparing
    /// its entries, where `since` allows: the previous version's lines, with those of the
    /// `touched` keys (sorted, no repeats) taken out and `make` of each such key put in their
    /// place (when its entry is in the list now). `key` gives a line's key; the lines are in
    /// the order of their keys. False when the lines must be made otherwise.
    fn reused<K: Ord + Copy>(
        &mut self,
        name: &'static str,
        since: &Since,
        touched: &[K],
        key: impl Fn(&GapLine) -> Option<K>,
        mut make: impl FnMut(K) -> Option<GapLine>,
    ) -> bool {
        let touched = match since {
            Since::Unknown => return false,
            Since::Same => &[],
            Since::Touched(_) => touched,
        };
        let Some(old) = self
            .prev
            .and_then(|p| p.lines.get(p.spans.get(name)?.clone()))
        else {
            return false;
        };
        let start = self.out.len();
        let mut from = 0;
        for &k in touched {
            let at = from + old[from..].partition_point(|l| key(l).is_some_and(|x| x < k));
            self.out.extend_from_slice(&old[from..at]);
            from = at;
            if old.get(from).and_then(|l| key(l)) == Some(k) {
                from += 1;
            }
            if let Some(line) = make(k) {
                self.out.push(Arc::new(line));
            }
        }
        self.out.extend_from_slice(&old[from..]);
        self.spans.insert(name, start..self.out.len());
        true
    }
}

/// The lines of a list of the report in mapping order (`at` gives an entry's mapping):
/// patched where the change touched it (`name`, `since` and the touched mappings, as for
/// [`Lines::reused`]), else compared entry by entry with the previous version's.
fn by_mapping<'p, E: PartialEq>(
    b: &mut Lines<'p>,
    (name, since, touched): (&'static str, &Since, &[usize]),
    r: &GapReport,
    list: fn(&GapReport) -> &[E],
    at: impl Fn(&E) -> Option<usize>,
    key: impl Fn(&GapLine) -> Option<usize>,
    make: impl Fn(&E) -> GapLine,
) {
    let now = list(r);
    let found = b.reused(name, since, touched, key, |m| {
        let j = now.binary_search_by_key(&Some(m), &at).ok()?;
        Some(make(&now[j]))
    });
    if !found {
        let old = |p: &'p GapLinesAt| list(&p.report).iter().collect();
        b.list(name, old, &now.iter().collect::<Vec<_>>(), |e| make(e));
    }
}

/// Lines for the `new` entries of a list: the previous version's lines (`old`, made one for
/// one from its entries) for the entries both start and end with, `make` for the rest.
fn reuse<E: PartialEq>(
    out: &mut Vec<Arc<GapLine>>,
    old: Option<(Vec<E>, &[Arc<GapLine>])>,
    new: &[E],
    mut make: impl FnMut(&E) -> GapLine,
) {
    let Some((old, lines)) = old.filter(|(o, l)| o.len() == l.len()) else {
        out.extend(new.iter().map(|e| Arc::new(make(e))));
        return;
    };
    let first = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let room = old.len().min(new.len()) - first;
    let last = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    out.extend_from_slice(&lines[..first]);
    out.extend(
        new[first..new.len() - last]
            .iter()
            .map(|e| Arc::new(make(e))),
    );
    out.extend_from_slice(&lines[old.len() - last..]);
}

/// A need's line's inputs: its id, statement and (for partial needs) credit.
type NeedEntry<'a> = (&'a str, &'a str, u64);

/// The uncovered (not critical) or partial needs of a version, with their statements.
fn need_entries<'a>(
    ws: &'a Workspace,
    d: &Derived,
    r: &'a GapReport,
    partial: bool,
) -> Vec<NeedEntry<'a>> {
    let pick = |n: &&NeedGap| {
        if partial {
            n.status == NeedStatus::Partial
        } else {
            n.status == NeedStatus::Uncovered && !d.critical.contains(&n.id)
        }
    };
    // The report lists the needs in the document's order: the statement is read at the same
    // index (the id checked), without a lookup by id.
    r.needs
        .iter()
        .enumerate()
        .filter(|(_, n)| pick(n))
        .map(|(k, n)| {
            let need = ws.needs.get(k).filter(|w| w.id == n.id);
            let text = need
                .or_else(|| d.need(ws, &n.id))
                .map_or("", |n| n.statement.as_str());
            let credit = if partial { n.credit.to_bits() } else { 0 };
            (n.id.as_str(), text, credit)
        })
        .collect()
}

/// An orphan's line's inputs: its reference and whether a rejected mapping names it.
fn orphan_entries<'a>(ws: &Workspace, d: &Derived, r: &'a GapReport) -> Vec<(&'a str, bool)> {
    r.orphans.iter().map(|o| orphan_entry(ws, d, o)).collect()
}

/// One orphan's line's inputs (see [`orphan_entries`]).
fn orphan_entry<'a>(ws: &Workspace, d: &Derived, o: &'a str) -> (&'a str, bool) {
    let rejected = d.mappings_to(o).iter().any(|&i| {
        ws.mappings
            .get(i)
            .is_some_and(|m| m.status == MappingStatus::Rejected)
    });
    (o, rejected)
}

/// The statements of the needs `ids` name, with the ids.
fn with_statements<'a>(
    ws: &'a Workspace,
    d: &Derived,
    ids: &'a [String],
) -> Vec<(&'a str, &'a str)> {
    ids.iter()
        .map(|id| {
            (
                id.as_str(),
                d.need(ws, id).map_or("", |n| n.statement.as_str()),
            )
        })
        .collect()
}

/// The lines and where each list's lines are.
fn make(
    prev: Option<&GapLinesAt>,
    ws: &Workspace,
    d: &Derived,
    catalog: &Catalog,
    r: &GapReport,
    today: &str,
) -> (Vec<Arc<GapLine>>, HashMap<&'static str, Range<usize>>) {
    let mut b = Lines {
        out: Vec::new(),
        spans: HashMap::new(),
        prev,
    };
    // Needs and critical ones are looked up by id in the version's index, not by a scan.
    let need_text = |id: &str| {
        d.need(ws, id)
            .map_or(String::new(), |n| n.statement.clone())
    };
    // Names before ids: a competency is named, then its shortened id.
    let comp_name =
        |r: &str| wrap::named(catalog.resolve(r).map_or("", |(_, c)| c.name.as_str()), r);
    let line = |section: &'static str, text: String, jump: Jump, critical: bool| GapLine {
        section,
        text,
        jump,
        critical,
    };
    // A need's id, anything between (`mid`: its credit) and its statement.
    let need_line = |section: &'static str, id: &str, mid: String, critical: bool| {
        let text = format!("{id} {mid}{}", need_text(id));
        line(section, text, Jump::Need(id.to_string()), critical)
    };
    let mapping_line = |section: &'static str, text: String, need: &str, competency: &str| {
        line(
            section,
            text,
            Jump::Mapping(need.to_string(), competency.to_string()),
            false,
        )
    };

    let since = match prev {
        Some(p) if std::ptr::eq(&*p.report, r) && std::ptr::eq(&*p.derived, d) => Since::Same,
        Some(p) => match &d.step {
            Some(step) if step.from == p.derived.serial => Since::Touched(step),
            _ => Since::Unknown,
        },
        None => Since::Unknown,
    };
    // What a change in place touched, as keys of the lists' orders: needs by index, mappings
    // by index, competencies by index.
    let (mut needs, mut mappings, mut competencies) = (Vec::new(), Vec::new(), Vec::new());
    if let Since::Touched(step) = since {
        needs.extend(
            step.needs
                .iter()
                .filter_map(|id| d.need_index.get(id).copied()),
        );
        for (need, competency) in &step.mappings {
            mappings.extend(d.mapping_index(ws, need, competency));
            competencies.extend(d.competency_index.get(competency).copied());
        }
        for v in [&mut needs, &mut mappings, &mut competencies] {
            v.sort_unstable();
            v.dedup();
        }
    }
    // Awaiting review: disputed first, then proposed, each in mapping order.
    let reviews: Vec<(bool, usize)> = [false, true]
        .into_iter()
        .flat_map(|proposed| mappings.iter().map(move |&m| (proposed, m)))
        .collect();
    let need_key = |l: &GapLine| match &l.jump {
        Jump::Need(id) => d.need_index.get(id).copied(),
        _ => None,
    };
    let mapping_key = |l: &GapLine| match &l.jump {
        Jump::Mapping(need, competency) => d.mapping_index(ws, need, competency),
        _ => None,
    };
    let competency_key = |l: &GapLine| match &l.jump {
        Jump::Competency(c) => d.competency_index.get(c).copied(),
        _ => None,
    };
    let pos = |need: &str, competency: &str| d.mapping_index(ws, need, competency);
    let none = |_: usize| -> Option<GapLine> { None };

    let critical = |id: &str| need_line("Critical needs", id, String::new(), true);
    let found = b.reused("critical", &since, &needs, need_key, |i| {
        let n = r.needs.get(i)?;
        (n.status == NeedStatus::Uncovered && n.priority == Priority::Must).then(|| critical(&n.id))
    });
    if !found {
        b.list(
            "critical",
            |p| with_statements(&p.ws, &p.derived, &p.report.critical),
            &with_statements(ws, d, &r.critical),
            |&(id, _)| critical(id),
        );
    }
    let uncovered = |id: &str| need_line("Uncovered needs", id, String::new(), false);
    let found = b.reused("uncovered", &since, &needs, need_key, |i| {
        let n = r.needs.get(i)?;
        (n.status == NeedStatus::Uncovered && !d.critical.contains(&n.id)).then(|| uncovered(&n.id))
    });
    if !found {
        b.list(
            "uncovered",
            |p| need_entries(&p.ws, &p.derived, &p.report, false),
            &need_entries(ws, d, r, false),
            |&(id, _, _)| uncovered(id),
        );
    }
    let partial = |id: &str, credit: f64| {
        let percent = credit * 100.0;
        need_line("Partial needs", id, format!("{percent:.0}% "), false)
    };
    let found = b.reused("partial", &since, &needs, need_key, |i| {
        let n = r.needs.get(i)?;
        (n.status == NeedStatus::Partial).then(|| partial(&n.id, n.credit))
    });
    if !found {
        b.list(
            "partial",
            |p| need_entries(&p.ws, &p.derived, &p.report, true),
            &need_entries(ws, d, r, true),
            |&(id, _, credit)| partial(id, f64::from_bits(credit)),
        );
    }
    let level = |g: &crate::analysis::gap::LevelGap| {
        let text = format!(
            "{} → {} needs {}, targets {} (−{})",
            g.need,
            comp_name(&g.competency),
            g.required,
            g.target,
            g.shortfall
        );
        mapping_line("Level gaps", text, &g.need, &g.competency)
    };
    let at = |e: &crate::analysis::gap::LevelGap| pos(&e.need, &e.competency);
    let list: fn(&GapReport) -> &[_] = |r| &r.level_gaps;
    by_mapping(
        &mut b,
        ("level", &since, &mappings),
        r,
        list,
        at,
        mapping_key,
        level,
    );
    // Kept after its mappings were rejected: the designer decides to keep or drop it.
    let orphan = |o: &str, rejected: bool| {
        let text = if rejected {
            format!("{} kept after a rejection", comp_name(o))
        } else {
            comp_name(o)
        };
        line("Orphans", text, Jump::Competency(o.to_string()), false)
    };
    let found = b.reused("orphans", &since, &competencies, competency_key, |c| {
        let key = |o: &String| d.competency_index.get(o).copied();
        let at = r.orphans.binary_search_by_key(&Some(c), key).ok()?;
        let (o, rejected) = orphan_entry(ws, d, &r.orphans[at]);
        Some(orphan(o, rejected))
    });
    if !found {
        b.list(
            "orphans",
            |p| orphan_entries(&p.ws, &p.derived, &p.report),
            &orphan_entries(ws, d, r),
            |&(o, rejected)| orphan(o, rejected),
        );
    }
    let assessment = |a: &String| {
        let jump = Jump::Competency(a.to_string());
        line("Assessment gaps", comp_name(a), jump, false)
    };
    if !b.reused("assessment", &since, &[], competency_key, none) {
        b.list(
            "assessment",
            |p| p.report.assessment_gaps.iter().collect(),
            &r.assessment_gaps.iter().collect::<Vec<_>>(),
            |a| assessment(a),
        );
    }
    let not_included = |m: &crate::analysis::gap::NeedCompetency| {
        let text = format!("{} → {}", m.need, comp_name(&m.competency));
        mapping_line("Mapped but not included", text, &m.need, &m.competency)
    };
    let at = |e: &crate::analysis::gap::NeedCompetency| pos(&e.need, &e.competency);
    let list: fn(&GapReport) -> &[_] = |r| &r.mapped_not_included;
    let name = "not included";
    by_mapping(
        &mut b,
        (name, &since, &mappings),
        r,
        list,
        at,
        mapping_key,
        not_included,
    );

    let w = &r.workload;
    let declared = w
        .declared_hours
        .map_or("not declared".to_string(), |h| format!("{h} h declared"));
    b.out.push(Arc::new(line(
        "Workload",
        format!(
            "{} h of competencies; {declared}; ceiling {} h",
            w.competency_hours, w.max_hours
        ),
        Jump::Credential("credential.workload".into()),
        w.over_max,
    )));
    let review = |a: &crate::analysis::gap::Review| {
        let text = format!(
            "{} {} → {}",
            a.status.as_str(),
            a.need,
            comp_name(&a.competency)
        );
        let mut l = mapping_line("Awaiting review", text, &a.need, &a.competency);
        l.critical = a.status == MappingStatus::Disputed;
        l
    };
    // Disputed lines (the critical ones) first, each kind in mapping order.
    let review_key = |l: &GapLine| Some((!l.critical, mapping_key(l)?));
    let found = b.reused("review", &since, &reviews, review_key, |(proposed, m)| {
        let key = |e: &crate::analysis::gap::Review| {
            (
                e.status != MappingStatus::Disputed,
                pos(&e.need, &e.competency),
            )
        };
        let at = r
            .awaiting_review
            .binary_search_by_key(&(proposed, Some(m)), key);
        at.ok().map(|j| review(&r.awaiting_review[j]))
    });
    if !found {
        b.list(
            "review",
            |p| p.report.awaiting_review.iter().collect(),
            &r.awaiting_review.iter().collect::<Vec<_>>(),
            |a| review(a),
        );
    }
    let mut push = |section: &'static str, text: String, jump: Jump, critical: bool| {
        b.out.push(Arc::new(line(section, text, jump, critical)))
    };
    for g in &r.sign_offs {
        let name = ws.partner(&g.partner).map_or("", |p| p.name.as_str());
        let state = match g.state {
            crate::model::signoff::SignOffState::Stale => "stale",
            _ => "missing",
        };
        push(
            "Sign-offs",
            format!("{state} {}", wrap::named(name, &g.partner)),
            Jump::SignOff(g.partner.clone()),
            false,
        );
    }
    // Needs whose newest evidence (dated postings) is older than the review period.
    if !ws.postings.is_empty() {
        let demand = crate::analysis::demand::demand(ws);
        for st in crate::analysis::demand::stale_evidence(ws, &demand, today) {
            push(
                "Stale evidence",
                format!(
                    "{} newest posting {} (before {})",
                    st.need, st.newest, st.before
                ),
                Jump::Need(st.need.clone()),
                false,
            );
        }
    }
    for &format in crate::export::Format::ALL {
        let missing = crate::export::readiness::missing(ws, format);
        if let Some(first) = missing.first() {
            let jump = if first.at.starts_with("credential.") {
                Jump::Credential(first.at.to_string())
            } else {
                Jump::Nothing
            };
            push(
                "Registry formats",
                crate::export::readiness::sentence(format, &missing),
                jump,
                false,
            );
        }
    }
    for m in &r.missing_elements {
        push(
            "Missing export elements",
            m.clone(),
            Jump::Credential(m.clone()),
            false,
        );
    }
    for e in &r.equity_questions {
        push(
            "Equity questions",
            e.clone(),
            Jump::Credential(e.clone()),
            false,
        );
    }
    // Learning outcomes that cannot be assessed as written, then the rules the design
    // silenced, with the reason reviewers read.
    // A change in place leaves the outcomes as they were.
    if !b.reused("outcomes", &since, &[], competency_key, none) {
        b.list(
            "outcomes",
            |p| p.report.outcomes.iter().collect(),
            &r.outcomes.iter().collect::<Vec<_>>(),
            |f| {
                let warning = if f.rule.is_warning() { "warning " } else { "" };
                let (c, rule) = (&f.competency, f.rule.as_str());
                let text = format!("{} {warning}{rule}: {}", comp_name(c), f.message);
                line("Outcomes", text, Jump::Competency(c.clone()), false)
            },
        );
    }
    if !b.reused("silenced", &since, &[], competency_key, none) {
        b.list(
            "silenced",
            |p| p.report.outcomes_silenced.iter().collect(),
            &r.outcomes_silenced.iter().collect::<Vec<_>>(),
            |f| {
                let (c, rule) = (&f.competency, f.rule.as_str());
                let text = format!("{} silenced {rule}: {}", comp_name(c), f.reason);
                line("Outcomes", text, Jump::Competency(c.clone()), false)
            },
        );
    }
    (b.out, b.spans)
}

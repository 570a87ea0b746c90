//! The analysis of a portfolio: what overlaps between its credentials, what each stack covers
//! of the needs of the partners it serves, what pathways get wrong (levels that fall, entry
//! requirements that do not name a prerequisite, cycles, conditions that cannot be met,
//! components linked to nothing), members missing or replaced, and hours and credits per stack
//! and pathway. Pure: the member designs come in already loaded.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::model::portfolio::{
    Component, Condition, LinkKind, Pathway, Portfolio, Required, Target,
};
use crate::model::{MappingStatus, Workspace};

/// A member design as the portfolio found it.
#[derive(Debug, Clone)]
pub enum MemberState {
    /// Loaded and valid.
    Loaded(Box<Workspace>),
    /// Missing, unreadable or invalid: why, in words.
    Unavailable(String),
}

/// Everything the portfolio check reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortfolioReport {
    /// Each member credential, in file order.
    pub credentials: Vec<MemberSummary>,
    /// Competencies in more than one credential, by reference.
    pub overlap: Vec<Overlap>,
    /// Each stack, in file order.
    pub stacks: Vec<StackReport>,
    /// Each pathway, in file order.
    pub pathways: Vec<PathwayReport>,
    /// What is wrong, in the order of the file.
    pub findings: Vec<PortfolioFinding>,
}

/// One credential of the portfolio.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MemberSummary {
    pub id: String,
    pub path: String,
    /// The design's title, when loaded.
    pub title: Option<String>,
    /// Declared hours (`credential.workload.hours`).
    pub hours: Option<f64>,
    /// Declared credits (`credential.workload.ects`).
    pub ects: Option<f64>,
    /// Competencies in the credential.
    pub competencies: usize,
    /// `ok`, `unavailable` or `id_changed`.
    pub state: &'static str,
}

/// A competency taught in more than one credential.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Overlap {
    /// `fw:ID`.
    pub competency: String,
    /// Where: (credential id, target level, hours).
    pub credentials: Vec<OverlapIn>,
    /// Hours spent on it beyond the largest single share (counted more than once).
    pub hours_counted_twice: f64,
    /// The credentials target different levels.
    pub levels_differ: bool,
}

/// A shared competency in one credential.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverlapIn {
    pub credential: String,
    pub target_level: u32,
    pub hours: Option<f64>,
}

/// A stack: its parts, totals and what it covers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StackReport {
    pub id: String,
    pub title: String,
    /// Member credentials it is made of (nested stacks flattened), in file order.
    pub parts: Vec<String>,
    /// Hours of all its parts (each credential once).
    pub hours: f64,
    /// Credits of all its parts (each once), when every part declares them.
    pub ects: Option<f64>,
    /// Weighted coverage (0–100) of the needs of the partners it serves by the union of its
    /// parts' competencies; 100 with no needs.
    pub coverage_percent: f64,
    /// Needs that no part covers at the required level: (credential, need id, statement).
    pub uncovered: Vec<StackNeed>,
    /// The partners served.
    pub partners: Vec<String>,
}

/// A need of a stack's partner that the stack does not cover.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StackNeed {
    pub credential: String,
    pub need: String,
    pub partner: String,
    pub statement: String,
    /// 0 (nothing) to below 1 (a part teaches it below the required level).
    pub credit: f64,
}

/// A pathway's totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathwayReport {
    pub id: String,
    pub title: String,
    /// Hours of every component (credentials and stacks once each; outside courses when
    /// they give hours).
    pub hours: f64,
    /// Credits, when every credential on it declares them.
    pub ects: Option<f64>,
    pub destinations: Vec<String>,
    pub off_ramps: Vec<String>,
}

/// One thing wrong with the portfolio.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortfolioFinding {
    /// The kind: `unavailable`, `id_changed`, `level_falls`, `prerequisite_not_named`,
    /// `entry_requirement_not_linked`, `cycle`, `impossible_condition`, `empty_condition`,
    /// `disconnected`.
    pub kind: &'static str,
    /// Where, in words (`pathway hp-route`, `stack hp-cert`, `credential hp-basics`).
    pub at: String,
    pub message: String,
    /// What to do.
    pub hint: String,
}

impl PortfolioReport {
    /// The number of findings of each kind, for headlines.
    pub fn counts(&self) -> BTreeMap<&'static str, usize> {
        let mut m = BTreeMap::new();
        for f in &self.findings {
            *m.entry(f.kind).or_insert(0) += 1;
        }
        m
    }
}

/// What one analysis needs to know about the members, built once.
struct Index<'a> {
    p: &'a Portfolio,
    /// Member id → its design (None when unavailable).
    designs: HashMap<&'a str, Option<&'a Workspace>>,
    /// Member id → its position.
    member_at: HashMap<&'a str, usize>,
    /// Stack id → its position.
    stack_at: HashMap<&'a str, usize>,
}

impl<'a> Index<'a> {
    fn new(p: &'a Portfolio, states: &'a [MemberState]) -> Self {
        let designs = p
            .credentials
            .iter()
            .zip(states)
            .map(|(m, s)| {
                let ws = match s {
                    MemberState::Loaded(ws) => Some(ws.as_ref()),
                    MemberState::Unavailable(_) => None,
                };
                (m.id.as_str(), ws)
            })
            .collect();
        Index {
            p,
            designs,
            member_at: p
                .credentials
                .iter()
                .enumerate()
                .map(|(i, m)| (m.id.as_str(), i))
                .collect(),
            stack_at: p
                .stacks
                .iter()
                .enumerate()
                .map(|(i, s)| (s.id.as_str(), i))
                .collect(),
        }
    }

    fn design(&self, member: &str) -> Option<&'a Workspace> {
        self.designs.get(member).copied().flatten()
    }

    fn hours(&self, member: &str) -> Option<f64> {
        self.design(member)?
            .credential
            .workload
            .as_ref()
            .map(|w| w.hours)
    }

    fn ects(&self, member: &str) -> Option<f64> {
        self.design(member)?.credential.workload.as_ref()?.ects
    }

    /// The member credentials a credential or stack id stands for (stacks flattened, each
    /// stack entered once so a cycle ends), in first-seen order.
    fn members_of(&self, id: &str) -> Vec<&'a str> {
        let mut out = Vec::new();
        let mut seen_stacks = HashSet::new();
        self.collect(id, &mut out, &mut seen_stacks);
        out
    }

    fn collect(&self, id: &str, out: &mut Vec<&'a str>, seen: &mut HashSet<usize>) {
        if let Some(&i) = self.member_at.get(id) {
            let m = self.p.credentials[i].id.as_str();
            if !out.contains(&m) {
                out.push(m);
            }
        } else if let Some(&i) = self.stack_at.get(id) {
            if seen.insert(i) {
                for t in self.p.stacks[i].requires.ids() {
                    self.collect(t, out, seen);
                }
            }
        }
    }

    /// Hours of the members an id stands for, each once.
    fn total_hours(&self, members: &[&str]) -> f64 {
        members.iter().filter_map(|m| self.hours(m)).sum()
    }

    /// Credits of the members, when every one declares them.
    fn total_ects(&self, members: &[&str]) -> Option<f64> {
        members.iter().map(|m| self.ects(m)).sum()
    }

    /// The title of a member, or its id.
    fn title(&self, member: &str) -> String {
        self.design(member)
            .and_then(|w| w.credential.title.clone())
            .unwrap_or_else(|| member.to_string())
    }
}

/// Analyse a portfolio whose members (in `p.credentials` order) were loaded as `states`.
pub fn analyse(p: &Portfolio, states: &[MemberState]) -> PortfolioReport {
    let ix = Index::new(p, states);
    let mut findings = Vec::new();
    let credentials = members(p, states, &mut findings);
    let overlap = overlap(&ix);
    let stacks = p
        .stacks
        .iter()
        .map(|s| stack_report(&ix, s.id.as_str()))
        .collect();
    stack_cycles(&ix, &mut findings);
    for s in &p.stacks {
        conditions(
            &ix,
            &s.requires,
            &format!("stack {}", s.id),
            None,
            &mut findings,
        );
    }
    let mut pathways = Vec::new();
    for w in &p.pathways {
        pathways.push(pathway_report(&ix, w));
        pathway_findings(&ix, w, &mut findings);
    }
    entry_requirements_not_linked(&ix, &mut findings);
    PortfolioReport {
        credentials,
        overlap,
        stacks,
        pathways,
        findings,
    }
}

fn members(
    p: &Portfolio,
    states: &[MemberState],
    findings: &mut Vec<PortfolioFinding>,
) -> Vec<MemberSummary> {
    p.credentials
        .iter()
        .zip(states)
        .map(|(m, s)| {
            let at = format!("credential {}", m.id);
            match s {
                MemberState::Unavailable(why) => {
                    findings.push(PortfolioFinding {
                        kind: "unavailable",
                        at,
                        message: format!("{} cannot be used: {why}", m.path),
                        hint: "fix the file, or correct its `path:` in the portfolio".into(),
                    });
                    MemberSummary {
                        id: m.id.clone(),
                        path: m.path.clone(),
                        title: None,
                        hours: None,
                        ects: None,
                        competencies: 0,
                        state: "unavailable",
                    }
                }
                MemberState::Loaded(ws) => {
                    let found = ws.credential.id.as_deref();
                    let changed = match (m.stable_id.as_deref(), found) {
                        (Some(want), Some(got)) => want != got,
                        (Some(_), None) => true,
                        _ => false,
                    };
                    if changed {
                        findings.push(PortfolioFinding {
                            kind: "id_changed",
                            at,
                            message: format!(
                                "{} has the stable id {}, not {} as the portfolio says",
                                m.path,
                                found.unwrap_or("(none)"),
                                m.stable_id.as_deref().unwrap_or_default()
                            ),
                            hint: "if it is the same credential, update `stable_id:`; if it was \
                                   replaced, point `path:` at the design the portfolio means"
                                .into(),
                        });
                    }
                    let w = ws.credential.workload.as_ref();
                    MemberSummary {
                        id: m.id.clone(),
                        path: m.path.clone(),
                        title: ws.credential.title.clone(),
                        hours: w.map(|w| w.hours),
                        ects: w.and_then(|w| w.ects),
                        competencies: ws.competencies.len(),
                        state: if changed { "id_changed" } else { "ok" },
                    }
                }
            }
        })
        .collect()
}

/// Competencies in two or more credentials, in order of first appearance.
fn overlap(ix: &Index) -> Vec<Overlap> {
    let mut by_ref: BTreeMap<&str, Vec<OverlapIn>> = BTreeMap::new();
    let mut order: Vec<&str> = Vec::new();
    for m in &ix.p.credentials {
        let Some(ws) = ix.design(&m.id) else { continue };
        for c in &ws.competencies {
            let e = by_ref.entry(c.reference.as_str()).or_default();
            if e.is_empty() {
                order.push(c.reference.as_str());
            }
            e.push(OverlapIn {
                credential: m.id.clone(),
                target_level: c.target_level,
                hours: c.hours,
            });
        }
    }
    order
        .into_iter()
        .filter_map(|r| {
            let ins = by_ref.remove(r)?;
            if ins.len() < 2 {
                return None;
            }
            let hours: Vec<f64> = ins.iter().map(|i| i.hours.unwrap_or(0.0)).collect();
            let max = hours.iter().copied().fold(0.0, f64::max);
            let levels_differ = ins.iter().any(|i| i.target_level != ins[0].target_level);
            Some(Overlap {
                competency: r.to_string(),
                hours_counted_twice: hours.iter().sum::<f64>() - max,
                credentials: ins,
                levels_differ,
            })
        })
        .collect()
}

fn stack_report(ix: &Index, id: &str) -> StackReport {
    let s = &ix.p.stacks[ix.stack_at[id]];
    let parts = ix.members_of(id);
    // The union of the parts' competencies, at the highest level any part targets.
    let mut taught: HashMap<&str, u32> = HashMap::new();
    for m in &parts {
        if let Some(ws) = ix.design(m) {
            for c in &ws.competencies {
                let t = taught.entry(c.reference.as_str()).or_insert(0);
                *t = (*t).max(c.target_level);
            }
        }
    }
    let mut partners: Vec<String> = Vec::new();
    if s.serves.is_empty() {
        for m in &parts {
            if let Some(ws) = ix.design(m) {
                for n in &ws.needs {
                    if !partners.contains(&n.partner) {
                        partners.push(n.partner.clone());
                    }
                }
            }
        }
    } else {
        partners = s.serves.clone();
    }
    let served: HashSet<&str> = partners.iter().map(String::as_str).collect();
    let (mut total, mut got) = (0.0, 0.0);
    let mut uncovered = Vec::new();
    for m in &parts {
        let Some(ws) = ix.design(m) else { continue };
        // The mappings of each need, once per design.
        let mut by_need: HashMap<&str, Vec<(&str, Option<u32>)>> = HashMap::new();
        for mp in &ws.mappings {
            if mp.status != MappingStatus::Rejected {
                by_need
                    .entry(mp.need.as_str())
                    .or_default()
                    .push((mp.competency.as_str(), mp.required_level));
            }
        }
        for n in ws
            .needs
            .iter()
            .filter(|n| served.contains(n.partner.as_str()))
        {
            let credit = by_need.get(n.id.as_str()).map_or(0.0, |ms| {
                ms.iter()
                    .filter_map(|(c, req)| {
                        let t = *taught.get(c)?;
                        Some(match req {
                            Some(r) if *r > t => f64::from(t) / f64::from(*r),
                            _ => 1.0,
                        })
                    })
                    .fold(0.0, f64::max)
            });
            let w = n.priority.weight();
            total += w;
            got += w * credit;
            if credit < 1.0 {
                uncovered.push(StackNeed {
                    credential: (*m).to_string(),
                    need: n.id.clone(),
                    partner: n.partner.clone(),
                    statement: n.statement.clone(),
                    credit,
                });
            }
        }
    }
    StackReport {
        id: s.id.clone(),
        title: s.title.clone(),
        hours: ix.total_hours(&parts),
        ects: ix.total_ects(&parts),
        coverage_percent: if total > 0.0 {
            100.0 * got / total
        } else {
            100.0
        },
        uncovered,
        partners,
        parts: parts.iter().map(|m| (*m).to_string()).collect(),
    }
}

/// A stack that contains itself, directly or through other stacks.
fn stack_cycles(ix: &Index, findings: &mut Vec<PortfolioFinding>) {
    let edges: Vec<Vec<usize>> =
        ix.p.stacks
            .iter()
            .map(|s| {
                s.requires
                    .ids()
                    .into_iter()
                    .filter_map(|id| ix.stack_at.get(id).copied())
                    .collect()
            })
            .collect();
    for cycle in cycles(&edges) {
        let names: Vec<&str> = cycle.iter().map(|&i| ix.p.stacks[i].id.as_str()).collect();
        findings.push(PortfolioFinding {
            kind: "cycle",
            at: format!("stack {}", names[0]),
            message: format!(
                "stacks contain each other: {} → {}",
                names.join(" → "),
                names[0]
            ),
            hint: "a stack cannot be part of itself: remove one of these parts".into(),
        });
    }
}

/// The cycles of a directed graph (each reported once, from its smallest node), found by a
/// depth-first search: linear in nodes and edges.
fn cycles(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let n = edges.len();
    let mut mark = vec![Mark::New; n];
    let mut out = Vec::new();
    for start in 0..n {
        if mark[start] != Mark::New {
            continue;
        }
        // (node, next edge to try); `path` is the open chain.
        let mut stack = vec![(start, 0usize)];
        let mut path = vec![start];
        mark[start] = Mark::Open;
        while let Some(&mut (v, ref mut e)) = stack.last_mut() {
            if let Some(&w) = edges[v].get(*e) {
                *e += 1;
                match mark.get(w).copied() {
                    Some(Mark::New) => {
                        mark[w] = Mark::Open;
                        stack.push((w, 0));
                        path.push(w);
                    }
                    Some(Mark::Open) => {
                        if let Some(p) = path.iter().position(|&x| x == w) {
                            let mut c = path[p..].to_vec();
                            let min = c
                                .iter()
                                .enumerate()
                                .min_by_key(|(_, x)| **x)
                                .map_or(0, |(i, _)| i);
                            c.rotate_left(min);
                            if !out.contains(&c) {
                                out.push(c);
                            }
                        }
                    }
                    _ => {}
                }
            } else {
                mark[v] = Mark::Done;
                stack.pop();
                path.pop();
            }
        }
    }
    out
}

/// A pathway component's hours, by component id.
type HoursOf<'a> = dyn Fn(&str) -> Option<f64> + 'a;

/// Conditions that cannot be met: more required than there are targets, no targets, more
/// hours or credits than all the targets give. `hours_of` gives a pathway component's hours.
fn conditions(
    ix: &Index,
    c: &Condition,
    at: &str,
    hours_of: Option<&HoursOf>,
    findings: &mut Vec<PortfolioFinding>,
) {
    c.walk(&mut |c| {
        let n = c.of.len();
        if n == 0 {
            findings.push(PortfolioFinding {
                kind: "empty_condition",
                at: at.to_string(),
                message: "a condition has no targets".into(),
                hint: "name what it is over in `of:`, or remove it".into(),
            });
            return;
        }
        if let Required::Count(k) = c.need {
            if k as usize > n {
                findings.push(PortfolioFinding {
                    kind: "impossible_condition",
                    at: at.to_string(),
                    message: format!("a condition needs {k} of {n} targets"),
                    hint: format!("lower `need:` to {n} or less, or add targets"),
                });
            }
        }
        // Hours and credits, where every target's are known.
        let ids: Vec<&str> =
            c.of.iter()
                .filter_map(|t| match t {
                    Target::Id(id) => Some(id.as_str()),
                    Target::Nested(_) => None,
                })
                .collect();
        if ids.len() != n {
            return;
        }
        let hours: Option<f64> = ids
            .iter()
            .map(|id| match hours_of {
                Some(f) => f(id),
                None => Some(ix.total_hours(&ix.members_of(id))),
            })
            .sum();
        if let (Some(min), Some(h)) = (c.min_hours, hours) {
            if min > h + 1e-9 {
                findings.push(PortfolioFinding {
                    kind: "impossible_condition",
                    at: at.to_string(),
                    message: format!("a condition needs {min} h, but all its targets give {h} h"),
                    hint: "lower `min_hours:` or add targets".into(),
                });
            }
        }
        if let Some(min) = c.min_credits {
            let credits: Option<f64> = if hours_of.is_some() {
                None
            } else {
                ids.iter().map(|id| ix.total_ects(&ix.members_of(id))).sum()
            };
            if let Some(cr) = credits {
                if min > cr + 1e-9 {
                    findings.push(PortfolioFinding {
                        kind: "impossible_condition",
                        at: at.to_string(),
                        message: format!(
                            "a condition needs {min} credits, but all its targets give {cr}"
                        ),
                        hint: "lower `min_credits:` or add targets".into(),
                    });
                }
            }
        }
    });
}

/// A pathway's components by id, built once per pathway.
fn components(w: &Pathway) -> HashMap<&str, &Component> {
    w.components.iter().map(|c| (c.id.as_str(), c)).collect()
}

/// The member credentials a pathway component stands for (none for outside courses, jobs and
/// ids the pathway does not have).
fn component_members<'a>(ix: &Index<'a>, c: Option<&&Component>) -> Vec<&'a str> {
    match c.map(|c| (&c.credential, &c.stack)) {
        Some((Some(m), _)) => ix.members_of(m),
        Some((_, Some(s))) => ix.members_of(s),
        _ => Vec::new(),
    }
}

fn pathway_report(ix: &Index, w: &Pathway) -> PathwayReport {
    let mut members: Vec<&str> = Vec::new();
    let mut outside = 0.0;
    for c in &w.components {
        for m in component_members(ix, Some(&c)) {
            if !members.contains(&m) {
                members.push(m);
            }
        }
        if let Some(o) = &c.outside {
            outside += o.hours.unwrap_or(0.0);
        }
    }
    PathwayReport {
        id: w.id.clone(),
        title: w.title.clone(),
        hours: ix.total_hours(&members) + outside,
        ects: ix.total_ects(&members),
        destinations: w.destinations.clone(),
        off_ramps: w.off_ramps.clone(),
    }
}

fn pathway_findings(ix: &Index, w: &Pathway, findings: &mut Vec<PortfolioFinding>) {
    let at = format!("pathway {}", w.id);
    let by_id = components(w);
    let pos: HashMap<&str, usize> = w
        .components
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    // Cycles of links.
    let mut edges = vec![Vec::new(); w.components.len()];
    for l in &w.links {
        if let (Some(&a), Some(&b)) = (pos.get(l.from.as_str()), pos.get(l.to.as_str())) {
            edges[a].push(b);
        }
    }
    for cycle in cycles(&edges) {
        let names: Vec<&str> = cycle.iter().map(|&i| w.components[i].id.as_str()).collect();
        findings.push(PortfolioFinding {
            kind: "cycle",
            at: at.clone(),
            message: format!("the links go round: {} → {}", names.join(" → "), names[0]),
            hint: "a component cannot come before itself: remove one of these links".into(),
        });
    }
    // Components linked to nothing (in a pathway of more than one).
    if w.components.len() > 1 {
        let mut touched: HashSet<&str> = HashSet::new();
        for l in &w.links {
            touched.insert(l.from.as_str());
            touched.insert(l.to.as_str());
        }
        for c in &w.components {
            if let Some(r) = &c.requires {
                touched.insert(c.id.as_str());
                touched.extend(r.ids());
            }
        }
        for c in &w.components {
            if !touched.contains(c.id.as_str()) {
                findings.push(PortfolioFinding {
                    kind: "disconnected",
                    at: at.clone(),
                    message: format!("component `{}` is linked to nothing", c.id),
                    hint: "link it to the components before or after it, or remove it".into(),
                });
            }
        }
    }
    // Conditions on components, with each component's hours.
    let hours_of = |id: &str| -> Option<f64> {
        let c = *by_id.get(id)?;
        if let Some(o) = &c.outside {
            return o.hours;
        }
        if c.job.is_some() {
            return Some(0.0);
        }
        Some(ix.total_hours(&component_members(ix, Some(&c))))
    };
    for c in &w.components {
        if let Some(r) = &c.requires {
            conditions(
                ix,
                r,
                &format!("pathway {} component {}", w.id, c.id),
                Some(&hours_of),
                findings,
            );
        }
    }
    // Along every link: levels that fall, and prerequisites the later entry requirements do
    // not name.
    for l in &w.links {
        let before = component_members(ix, by_id.get(l.from.as_str()));
        let after = component_members(ix, by_id.get(l.to.as_str()));
        let mut taught: HashMap<&str, (u32, &str)> = HashMap::new();
        for m in &before {
            if let Some(ws) = ix.design(m) {
                for c in &ws.competencies {
                    let e = taught.entry(c.reference.as_str()).or_insert((0, m));
                    if c.target_level > e.0 {
                        *e = (c.target_level, m);
                    }
                }
            }
        }
        for m in &after {
            let Some(ws) = ix.design(m) else { continue };
            for c in &ws.competencies {
                if let Some(&(lvl, from)) = taught.get(c.reference.as_str()) {
                    if c.target_level < lvl {
                        findings.push(PortfolioFinding {
                            kind: "level_falls",
                            at: at.clone(),
                            message: format!(
                                "{} is taught to level {lvl} in {from}, then to level {} in {m}, which comes after it",
                                c.reference, c.target_level
                            ),
                            hint: format!(
                                "raise its target level in {m}, or let {m} build on {from} instead of teaching it again"
                            ),
                        });
                    }
                }
            }
        }
        if l.kind == LinkKind::Prerequisite {
            for m in &after {
                let Some(ws) = ix.design(m) else { continue };
                let entry = ws.credential.prerequisites.join("\n").to_lowercase();
                for b in &before {
                    if !names(ix, b, &entry) {
                        findings.push(PortfolioFinding {
                            kind: "prerequisite_not_named",
                            at: at.clone(),
                            message: format!(
                                "{} is a prerequisite of {m}, but {m}'s entry requirements do not name it",
                                ix.title(b)
                            ),
                            hint: format!(
                                "add \"{}\" to `credential.prerequisites` of {m}, or make the link `precedes`",
                                ix.title(b)
                            ),
                        });
                    }
                }
            }
        }
    }
}

/// Does the lower-cased text `entry` name member `m` (its title, id or stable id)?
fn names(ix: &Index, m: &str, entry: &str) -> bool {
    let mut keys = vec![m.to_lowercase()];
    if let Some(ws) = ix.design(m) {
        keys.extend(ws.credential.title.iter().map(|t| t.to_lowercase()));
        keys.extend(ws.credential.id.iter().map(|t| t.to_lowercase()));
    }
    keys.iter()
        .any(|k| !k.trim().is_empty() && entry.contains(k.as_str()))
}

/// The reverse of `prerequisite_not_named`: a credential's entry requirements name another
/// credential of the portfolio, but no pathway makes that one its prerequisite.
fn entry_requirements_not_linked(ix: &Index, findings: &mut Vec<PortfolioFinding>) {
    let mut linked: HashSet<(&str, &str)> = HashSet::new();
    for w in &ix.p.pathways {
        let by_id = components(w);
        for l in w.links.iter().filter(|l| l.kind == LinkKind::Prerequisite) {
            for a in component_members(ix, by_id.get(l.from.as_str())) {
                for b in component_members(ix, by_id.get(l.to.as_str())) {
                    linked.insert((a, b));
                }
            }
        }
    }
    for later in &ix.p.credentials {
        let Some(ws) = ix.design(&later.id) else {
            continue;
        };
        let entry = ws.credential.prerequisites.join("\n").to_lowercase();
        if entry.trim().is_empty() {
            continue;
        }
        for earlier in &ix.p.credentials {
            if earlier.id == later.id || linked.contains(&(earlier.id.as_str(), later.id.as_str()))
            {
                continue;
            }
            // Only titles count here: an id is too short a word to find in prose.
            let Some(title) = ix
                .design(&earlier.id)
                .and_then(|w| w.credential.title.as_deref())
            else {
                continue;
            };
            if !title.trim().is_empty() && entry.contains(&title.to_lowercase()) {
                findings.push(PortfolioFinding {
                    kind: "entry_requirement_not_linked",
                    at: format!("credential {}", later.id),
                    message: format!(
                        "{}'s entry requirements name {title}, but no pathway makes it a prerequisite",
                        later.id
                    ),
                    hint: format!(
                        "link {} to {} as `prerequisite` in a pathway, or drop it from the entry requirements",
                        earlier.id, later.id
                    ),
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_are_found_once_from_their_smallest_node() {
        // 0 → 1 → 2 → 0, and 3 → 3.
        let edges = vec![vec![1], vec![2], vec![0], vec![3]];
        assert_eq!(cycles(&edges), vec![vec![0, 1, 2], vec![3]]);
        // A diamond has none.
        let edges = vec![vec![1, 2], vec![3], vec![3], vec![]];
        assert!(cycles(&edges).is_empty());
    }
}

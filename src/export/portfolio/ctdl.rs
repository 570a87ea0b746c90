//! A portfolio's pathways in CTDL JSON-LD: one `ceterms:Pathway` per destination and per
//! off-ramp of each pathway (the Pathway Builder takes one destination per pathway), grouped in
//! a `ceterms:PathwaySet` when there are several; their components as `PathwayComponent`
//! subclasses (`CredentialComponent` for a credential or a stack, `CourseComponent` for an
//! outside course, `JobComponent` for a job) and the conditions as `ComponentCondition`s.
//!
//! The tree runs down from the destination: a component's children are what its condition
//! names and the components linked into it; only the components the destination reaches are
//! in its pathway, so no component or condition is left disconnected. A condition of `need:
//! all` or `any` over nested conditions becomes `logic:And` or `logic:Or` over sub-conditions
//! (each plain target then its own one-target condition); `min_credits` a `ceterms:Constraint`
//! summing the components' credit values; `min_hours` is said in the description. CTIDs are
//! derived from the portfolio's id, so the same portfolio gives the same bytes.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value, json};

use super::Built;
use crate::export::ctdl as c;
use crate::model::portfolio::{
    Component, Condition, LinkKind, Pathway, Portfolio, Required, Target,
};

/// One CTDL pathway: a pathway of the portfolio towards one goal, a destination or an
/// off-ramp.
#[derive(Debug, Clone, Copy)]
pub struct Route<'a> {
    pub pathway: &'a Pathway,
    /// The component it leads to.
    pub goal: &'a str,
    pub off_ramp: bool,
}

/// Every route of a portfolio: each pathway's destinations, then its off-ramps, each once.
pub fn routes(p: &Portfolio) -> Vec<Route<'_>> {
    let mut out = Vec::new();
    for w in &p.pathways {
        let mut seen = HashSet::new();
        for (ids, off_ramp) in [(&w.destinations, false), (&w.off_ramps, true)] {
            for g in ids {
                if seen.insert(g.as_str()) && w.components.iter().any(|c| &c.id == g) {
                    out.push(Route {
                        pathway: w,
                        goal: g,
                        off_ramp,
                    });
                }
            }
        }
    }
    out
}

/// Each component's children in a pathway: the ids its own condition names (else, for a
/// stack, the components standing for the stack's parts), then the components linked into
/// it; each once, in that order.
pub fn children<'a>(p: &'a Portfolio, w: &'a Pathway) -> HashMap<&'a str, Vec<&'a str>> {
    let known: HashSet<&str> = w.components.iter().map(|c| c.id.as_str()).collect();
    let parts = stack_parts(p, w);
    let mut out: HashMap<&str, Vec<&str>> = HashMap::new();
    for comp in &w.components {
        let mut kids: Vec<&str> = match (&comp.requires, parts.get(comp.id.as_str())) {
            (Some(cond), _) => cond.ids(),
            (None, Some(Some((_, ids)))) => ids.clone(),
            _ => Vec::new(),
        };
        kids.extend(
            w.links
                .iter()
                .filter(|l| l.to == comp.id)
                .map(|l| l.from.as_str()),
        );
        let mut seen = HashSet::new();
        kids.retain(|k| known.contains(k) && *k != comp.id && seen.insert(*k));
        out.insert(comp.id.as_str(), kids);
    }
    out
}

/// For each stack component without a condition of its own: its stack's condition and the
/// component ids standing for the stack's parts, or `None` when a part is not on the pathway.
type StackParts<'a> = HashMap<&'a str, Option<(&'a Condition, Vec<&'a str>)>>;

fn stack_parts<'a>(p: &'a Portfolio, w: &'a Pathway) -> StackParts<'a> {
    let by_target: HashMap<&str, &str> = w
        .components
        .iter()
        .filter_map(|c| {
            c.credential
                .as_deref()
                .or(c.stack.as_deref())
                .map(|t| (t, c.id.as_str()))
        })
        .collect();
    let stacks: HashMap<&str, &Condition> = p
        .stacks
        .iter()
        .map(|s| (s.id.as_str(), &s.requires))
        .collect();
    w.components
        .iter()
        .filter(|c| c.requires.is_none())
        .filter_map(|c| {
            let cond = *stacks.get(c.stack.as_deref()?)?;
            let ids: Option<Vec<&str>> = cond
                .ids()
                .iter()
                .map(|t| by_target.get(t).copied())
                .collect();
            Some((c.id.as_str(), ids.map(|ids| (cond, ids))))
        })
        .collect()
}

/// The components a goal reaches going down its children, in the pathway's order.
pub fn reached<'a>(
    w: &'a Pathway,
    kids: &HashMap<&'a str, Vec<&'a str>>,
    goal: &'a str,
) -> Vec<&'a Component> {
    let mut seen = HashSet::from([goal]);
    let mut stack = vec![goal];
    while let Some(id) = stack.pop() {
        for k in kids.get(id).into_iter().flatten() {
            if seen.insert(k) {
                stack.push(k);
            }
        }
    }
    w.components
        .iter()
        .filter(|c| seen.contains(c.id.as_str()))
        .collect()
}

struct Ctx<'a> {
    b: &'a Built,
    seed: String,
    lang: String,
    /// Member id → its position in `b.members`.
    member_at: HashMap<&'a str, usize>,
    stack_title: HashMap<&'a str, &'a str>,
}

impl Ctx<'_> {
    fn ctid(&self, role: &str) -> String {
        format!(
            "ce-{}",
            c::uuid8(&format!("{}\u{0}portfolio\u{0}{role}", self.seed))
        )
    }

    fn name(&self, comp: &Component) -> String {
        if let Some(m) = comp.credential.as_deref() {
            return self
                .member_at
                .get(m)
                .and_then(|&i| self.b.members[i].credential.title.clone())
                .unwrap_or_else(|| m.to_string());
        }
        if let Some(s) = comp.stack.as_deref() {
            return self.stack_title.get(s).map_or(s, |t| t).to_string();
        }
        if let Some(o) = &comp.outside {
            return o.name.clone();
        }
        comp.job
            .as_ref()
            .map_or(comp.id.clone(), |j| j.name.clone())
    }

    fn text(&self, s: impl Into<String>) -> Value {
        json!({ self.lang.as_str(): s.into() })
    }
}

/// The CTDL JSON-LD graph of a portfolio's pathways: a `PathwaySet` first when there are
/// several routes, then each `Pathway` with its components, then the owning organisation.
pub fn graph(b: &Built) -> Value {
    let p = &b.portfolio;
    let ctx = Ctx {
        b,
        seed: super::seed(p, &b.spec.provenance.portfolio_sha256),
        lang: b.members.first().map_or_else(|| "en".into(), c::lang),
        member_at: p
            .credentials
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.as_str(), i))
            .collect(),
        stack_title: p
            .stacks
            .iter()
            .map(|s| (s.id.as_str(), s.title.as_str()))
            .collect(),
    };
    let org = b
        .members
        .first()
        .and_then(|s| c::organization(s, &ctx.lang));
    let homepage = p
        .homepage
        .as_deref()
        .map(str::trim)
        .filter(|h| !h.is_empty());
    let routes = routes(p);
    let several = routes.len() > 1;
    let mut nodes = Vec::new();
    let mut pathway_ids = Vec::new();
    let mut kids_of: HashMap<&str, HashMap<&str, Vec<&str>>> = HashMap::new();
    for r in &routes {
        let w = r.pathway;
        let kids = kids_of
            .entry(w.id.as_str())
            .or_insert_with(|| children(p, w));
        let role = format!("pathway:{}:{}", w.id, r.goal);
        let ctid = ctx.ctid(&role);
        let id = c::resource(&ctid);
        pathway_ids.push(id.clone());
        let comps = reached(w, kids, r.goal);
        let comp_id = |cid: &str| c::resource(&ctx.ctid(&format!("{role}:component:{cid}")));
        let in_route: HashSet<&str> = comps.iter().map(|c| c.id.as_str()).collect();
        let goal_name = comps
            .iter()
            .find(|c| c.id == r.goal)
            .map_or_else(|| r.goal.to_string(), |c| ctx.name(c));
        let mut n = Map::new();
        n.insert("@id".into(), json!(id));
        n.insert("@type".into(), json!("ceterms:Pathway"));
        n.insert("ceterms:ctid".into(), json!(ctid));
        let title = if several {
            format!(
                "{} — {} {goal_name}",
                w.title,
                if r.off_ramp { "off-ramp to" } else { "to" }
            )
        } else {
            w.title.clone()
        };
        n.insert("ceterms:name".into(), ctx.text(title));
        let description = w.description.clone().unwrap_or_else(|| {
            format!("A route of {} step(s) leading to {goal_name}.", comps.len())
        });
        n.insert("ceterms:description".into(), ctx.text(description));
        n.insert("ceterms:inLanguage".into(), json!([ctx.lang]));
        if let Some((org_id, _, _)) = &org {
            n.insert("ceterms:ownedBy".into(), json!([org_id]));
            n.insert("ceterms:offeredBy".into(), json!([org_id]));
        }
        if let Some(h) = homepage {
            n.insert("ceterms:subjectWebpage".into(), json!(h));
        }
        n.insert(
            "ceterms:hasPart".into(),
            json!(comps.iter().map(|c| comp_id(&c.id)).collect::<Vec<_>>()),
        );
        n.insert(
            "ceterms:hasDestinationComponent".into(),
            json!([comp_id(r.goal)]),
        );
        nodes.push(Value::Object(n));
        // Parents: the components of this route that have a component as a child.
        let mut parents: HashMap<&str, Vec<&str>> = HashMap::new();
        for comp in &comps {
            for k in kids.get(comp.id.as_str()).into_iter().flatten() {
                parents.entry(k).or_default().push(comp.id.as_str());
            }
        }
        let parts = stack_parts(p, w);
        for comp in &comps {
            nodes.push(component(
                &ctx,
                p,
                w,
                comp,
                &ComponentPlace {
                    pathway_id: &id,
                    is_goal: comp.id == r.goal,
                    kids: kids.get(comp.id.as_str()).map_or(&[][..], |k| &k[..]),
                    parents: parents.get(comp.id.as_str()).map_or(&[][..], |k| &k[..]),
                    in_route: &in_route,
                    id_of: &comp_id,
                    stack_parts: parts.get(comp.id.as_str()),
                },
            ));
        }
    }
    let mut out = Vec::with_capacity(nodes.len() + 2);
    let graph_ctid = if several {
        let ctid = ctx.ctid("set");
        let mut s = Map::new();
        s.insert("@id".into(), json!(c::resource(&ctid)));
        s.insert("@type".into(), json!("ceterms:PathwaySet"));
        s.insert("ceterms:ctid".into(), json!(ctid));
        let title = p.title.clone().unwrap_or_else(|| "Pathways".into());
        s.insert("ceterms:name".into(), ctx.text(title.clone()));
        s.insert(
            "ceterms:description".into(),
            ctx.text(format!(
                "The {} pathway(s) of {title}, one for each destination and off-ramp.",
                routes.len()
            )),
        );
        s.insert("ceasn:hasPathway".into(), json!(pathway_ids));
        if let Some((org_id, _, _)) = &org {
            s.insert("ceterms:ownedBy".into(), json!([org_id]));
            s.insert("ceterms:offeredBy".into(), json!([org_id]));
        }
        if let Some(h) = homepage {
            s.insert("ceterms:subjectWebpage".into(), json!(h));
        }
        out.push(Value::Object(s));
        ctid
    } else {
        pathway_ids.first().map_or_else(
            || ctx.ctid("set"),
            |id| id.trim_start_matches(c::RESOURCES).to_string(),
        )
    };
    out.extend(nodes);
    if let Some((_, _, o)) = org {
        out.push(o);
    }
    json!({
        "@context": c::CONTEXT,
        "@id": format!("{}{graph_ctid}", c::GRAPH),
        "@graph": out,
    })
}

/// Where a component sits in one route.
struct ComponentPlace<'a, 'b> {
    pathway_id: &'b str,
    is_goal: bool,
    kids: &'b [&'a str],
    parents: &'b [&'a str],
    in_route: &'b HashSet<&'a str>,
    id_of: &'b dyn Fn(&str) -> String,
    stack_parts: Option<&'b Option<(&'a Condition, Vec<&'a str>)>>,
}

fn component(
    ctx: &Ctx,
    p: &Portfolio,
    w: &Pathway,
    comp: &Component,
    at: &ComponentPlace,
) -> Value {
    let id = (at.id_of)(&comp.id);
    let ids = |xs: &[&str]| -> Vec<String> { xs.iter().map(|x| (at.id_of)(x)).collect() };
    let mut n = Map::new();
    n.insert("@id".into(), json!(id));
    n.insert(
        "ceterms:ctid".into(),
        json!(id.trim_start_matches(c::RESOURCES)),
    );
    n.insert("ceterms:name".into(), ctx.text(ctx.name(comp)));
    let mut description = String::new();
    if let Some(m) = comp.credential.as_deref() {
        n.insert("@type".into(), json!("ceterms:CredentialComponent"));
        if let Some(&i) = ctx.member_at.get(m) {
            let s = &ctx.b.members[i];
            n.insert(
                "ceterms:credentialType".into(),
                json!(c::credential_type(s)),
            );
            n.insert(
                "ceterms:proxyFor".into(),
                json!(c::resource(&c::ctid(s, "credential"))),
            );
            description = s.credential.summary.clone().unwrap_or_default();
        }
    } else if let Some(s) = comp.stack.as_deref() {
        n.insert("@type".into(), json!("ceterms:CredentialComponent"));
        let kind = p
            .stacks
            .iter()
            .find(|x| x.id == s)
            .and_then(|x| x.kind.as_deref())
            .unwrap_or("certificate");
        n.insert(
            "ceterms:credentialType".into(),
            json!(match kind.to_ascii_lowercase().as_str() {
                "diploma" => "ceterms:Diploma",
                "degree" => "ceterms:Degree",
                "badge" => "ceterms:Badge",
                _ => "ceterms:Certificate",
            }),
        );
        description = format!("A {kind} made of the credentials it requires.");
        if let Some(None) = at.stack_parts {
            description.push_str(" Some of its parts are not on this pathway.");
        }
    } else if let Some(o) = &comp.outside {
        n.insert("@type".into(), json!("ceterms:CourseComponent"));
        description = "A course or credential offered elsewhere.".into();
        if let Some(url) = o.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            n.insert("ceterms:subjectWebpage".into(), json!(url));
        }
        if let Some(h) = o.hours {
            description.push_str(&format!(" About {h} hours."));
        }
    } else if let Some(j) = &comp.job {
        n.insert("@type".into(), json!("ceterms:JobComponent"));
        let scheme = j.scheme.clone().unwrap_or_else(|| "Occupation code".into());
        n.insert(
            "ceterms:occupationType".into(),
            json!([{
                "@type": "ceterms:CredentialAlignmentObject",
                "ceterms:frameworkName": ctx.text(scheme.clone()),
                "ceterms:codedNotation": j.occupation,
                "ceterms:targetNodeName": ctx.text(j.name.clone()),
            }]),
        );
        description = format!("A job: {} ({scheme} {}).", j.name, j.occupation);
    } else {
        n.insert("@type".into(), json!("ceterms:BasicComponent"));
    }
    if description.trim().is_empty() {
        description = format!("A step of {}.", w.title);
    }
    n.insert("ceterms:description".into(), ctx.text(description));
    n.insert("ceasn:isPartOf".into(), json!([at.pathway_id]));
    if at.is_goal {
        n.insert(
            "ceterms:isDestinationComponentOf".into(),
            json!([at.pathway_id]),
        );
    }
    if !at.kids.is_empty() {
        n.insert("ceasn:hasChild".into(), json!(ids(at.kids)));
    }
    if !at.parents.is_empty() {
        n.insert("ceasn:isChildOf".into(), json!(ids(at.parents)));
    }
    let linked = |kind: LinkKind, into: bool| -> Vec<String> {
        w.links
            .iter()
            .filter(|l| l.kind == kind)
            .filter_map(|l| {
                let (me, other) = if into {
                    (&l.to, &l.from)
                } else {
                    (&l.from, &l.to)
                };
                (me == &comp.id && at.in_route.contains(other.as_str())).then(|| (at.id_of)(other))
            })
            .collect()
    };
    for (key, v) in [
        ("ceterms:precedes", linked(LinkKind::Precedes, false)),
        ("ceterms:precededBy", linked(LinkKind::Precedes, true)),
        ("ceterms:prerequisite", linked(LinkKind::Prerequisite, true)),
    ] {
        if !v.is_empty() {
            n.insert(key.into(), json!(v));
        }
    }
    let own = |t: &str| -> Option<String> { Some((at.id_of)(t)) };
    let condition = match (&comp.requires, at.stack_parts) {
        (Some(cond), _) => Some(condition(ctx, w, cond, "Requirements", &own)),
        (None, Some(Some((cond, ids)))) => {
            // The stack's condition names credentials and stacks: each stands for the
            // component that is it on this pathway.
            let stack = comp.stack.as_deref().unwrap_or_default();
            let targets: HashMap<&str, &str> =
                cond.ids().into_iter().zip(ids.iter().copied()).collect();
            let via = |t: &str| targets.get(t).map(|cid| (at.id_of)(cid));
            let name = format!("Parts of {}", ctx.stack_title.get(stack).unwrap_or(&stack));
            Some(condition(ctx, w, cond, &name, &via))
        }
        _ => {
            let pre: Vec<&str> = w
                .links
                .iter()
                .filter(|l| l.kind == LinkKind::Prerequisite && l.to == comp.id)
                .map(|l| l.from.as_str())
                .collect();
            (!pre.is_empty()).then(|| {
                let all = Condition {
                    need: Required::All,
                    min_hours: None,
                    min_credits: None,
                    of: pre.iter().map(|s| Target::Id(s.to_string())).collect(),
                };
                condition(ctx, w, &all, "Prerequisites", &own)
            })
        }
    };
    if let Some(cond) = condition {
        n.insert("ceterms:hasCondition".into(), json!([cond]));
    }
    Value::Object(n)
}

/// A `ceterms:ComponentCondition` for a condition; `target` gives a target id's component
/// `@id` (None leaves it out).
fn condition(
    ctx: &Ctx,
    w: &Pathway,
    cond: &Condition,
    name: &str,
    target: &dyn Fn(&str) -> Option<String>,
) -> Value {
    let comp_name = |id: &str| {
        w.components
            .iter()
            .find(|c| c.id == id)
            .map_or_else(|| id.to_string(), |c| ctx.name(c))
    };
    let ids: Vec<(&str, String)> = cond
        .of
        .iter()
        .filter_map(|t| match t {
            Target::Id(id) => target(id).map(|at| (id.as_str(), at)),
            Target::Nested(_) => None,
        })
        .collect();
    let nested: Vec<&Condition> = cond
        .of
        .iter()
        .filter_map(|t| match t {
            Target::Nested(c) => Some(c.as_ref()),
            Target::Id(_) => None,
        })
        .collect();
    let mut n = Map::new();
    n.insert("@type".into(), json!("ceterms:ComponentCondition"));
    n.insert("ceterms:name".into(), ctx.text(name));
    let count = ids.len() + nested.len();
    let required = cond.need.of(count);
    let how = match cond.need {
        Required::All => "all of".to_string(),
        Required::Any => "any one of".to_string(),
        Required::Count(k) => format!("{k} of"),
    };
    let mut words: Vec<String> = ids.iter().map(|(id, _)| comp_name(id)).collect();
    if !nested.is_empty() {
        words.push(format!("{} group(s) below", nested.len()));
    }
    let mut description = format!("Complete {how} {}.", words.join(", "));
    if let Some(h) = cond.min_hours {
        description.push_str(&format!(" At least {h} hours among them."));
    }
    if let Some(cr) = cond.min_credits {
        description.push_str(&format!(" At least {cr} credits among them."));
    }
    n.insert("ceterms:requiredNumber".into(), json!(required));
    if nested.is_empty() {
        n.insert(
            "ceterms:targetComponent".into(),
            json!(ids.iter().map(|(_, at)| at).collect::<Vec<_>>()),
        );
    } else {
        // Every target becomes a sub-condition, so that the number and the operator count
        // the same things.
        let mut subs: Vec<Value> = ids
            .iter()
            .map(|(id, at)| {
                json!({
                    "@type": "ceterms:ComponentCondition",
                    "ceterms:name": ctx.text(comp_name(id)),
                    "ceterms:description": ctx.text(format!("Complete {}.", comp_name(id))),
                    "ceterms:requiredNumber": 1,
                    "ceterms:targetComponent": [at],
                })
            })
            .collect();
        for (i, sub) in nested.iter().enumerate() {
            subs.push(condition(
                ctx,
                w,
                sub,
                &format!("{name}, group {}", i + 1),
                target,
            ));
        }
        match cond.need {
            Required::All => {
                n.insert("ceterms:logicalOperator".into(), json!("logic:And"));
            }
            Required::Any => {
                n.insert("ceterms:logicalOperator".into(), json!("logic:Or"));
            }
            Required::Count(_) => {}
        }
        n.insert("ceterms:hasCondition".into(), json!(subs));
    }
    if let Some(cr) = cond.min_credits {
        n.insert("ceterms:requiredConstraints".into(), json!(1));
        n.insert(
            "ceterms:hasConstraint".into(),
            json!([{
                "@type": "ceterms:Constraint",
                "ceterms:name": ctx.text("Minimum credits"),
                "ceterms:description": ctx.text(format!("At least {cr} credits among the components completed.")),
                "ceterms:leftAction": "arrayOperation:SumOf",
                "ceterms:leftSource": ["ceterms:creditValue"],
                "ceterms:comparator": "comparator:gteq",
                "ceterms:rightSource": [cr.to_string()],
            }]),
        );
    }
    n.insert("ceterms:description".into(), ctx.text(description));
    Value::Object(n)
}

/// The graph as pretty JSON with a final newline.
pub fn render(b: &Built) -> Vec<u8> {
    super::pretty(&graph(b))
}

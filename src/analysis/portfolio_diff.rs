//! What changed between two versions of a portfolio: its own fields, the credentials it names
//! (path, stable id), its stacks (title, kind, condition, partners served), its pathways
//! (title, destinations, off-ramps), their components and their links. Pure and linear in the
//! two portfolios: every lookup is by id.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use serde_json::Value;

use super::diff::{Changed, FieldChange, Item, Section};
use crate::model::portfolio::{Component, Link, Pathway, Portfolio};

/// Every difference between two portfolios.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PortfolioDiff {
    /// The portfolio's id, title and homepage.
    pub portfolio: Vec<FieldChange>,
    pub credentials: Section,
    pub stacks: Section,
    pub pathways: Section,
    /// Components of pathways kept, as `PATHWAY/COMPONENT`.
    pub components: Section,
    /// Links of pathways kept, as `PATHWAY: FROM → TO (kind)`.
    pub links: Section,
}

impl PortfolioDiff {
    /// True when the two portfolios are the same in every part compared.
    pub fn is_empty(&self) -> bool {
        self.portfolio.is_empty()
            && self.credentials.is_empty()
            && self.stacks.is_empty()
            && self.pathways.is_empty()
            && self.components.is_empty()
            && self.links.is_empty()
    }
}

/// A value as one line: text as it is, anything else as compact JSON; empty when unset.
fn text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    }
}

/// The top-level fields of two serialisable values that differ, except `skip`.
fn fields<T: Serialize>(old: &T, new: &T, skip: &[&str]) -> Vec<FieldChange> {
    let (Ok(Value::Object(a)), Ok(Value::Object(b))) =
        (serde_json::to_value(old), serde_json::to_value(new))
    else {
        return Vec::new();
    };
    let mut keys: Vec<&String> = a
        .keys()
        .chain(b.keys().filter(|k| !a.contains_key(*k)))
        .collect();
    keys.retain(|k| !skip.contains(&k.as_str()));
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| FieldChange {
            field: k.clone(),
            old: text(a.get(k)),
            new: text(b.get(k)),
        })
        .collect()
}

/// Additions, removals and changes between two lists of things keyed by id.
fn section<T: Serialize>(
    old: &[T],
    new: &[T],
    id: impl Fn(&T) -> String,
    about: impl Fn(&T) -> String,
    skip: &[&str],
) -> Section {
    let before: HashMap<String, &T> = old.iter().map(|x| (id(x), x)).collect();
    let after: HashSet<String> = new.iter().map(&id).collect();
    let mut s = Section::default();
    for x in new {
        let key = id(x);
        match before.get(&key) {
            None => s.added.push(Item {
                id: key,
                text: about(x),
            }),
            Some(o) => {
                let changes = fields(*o, x, skip);
                if !changes.is_empty() {
                    s.changed.push(Changed { id: key, changes });
                }
            }
        }
    }
    for x in old {
        if !after.contains(&id(x)) {
            s.removed.push(Item {
                id: id(x),
                text: about(x),
            });
        }
    }
    s
}

fn what(c: &Component) -> String {
    c.what()
        .map_or_else(|| "(unclear)".to_string(), |(k, v)| format!("{k} {v}"))
}

fn link_text(w: &Pathway, l: &Link) -> String {
    format!("{}: {} → {} ({})", w.id, l.from, l.to, l.kind.as_str())
}

/// Compare `old` with `new`.
pub fn diff(old: &Portfolio, new: &Portfolio) -> PortfolioDiff {
    let portfolio = fields(old, new, &["credentials", "stacks", "pathways"]);
    let credentials = section(
        &old.credentials,
        &new.credentials,
        |m| m.id.clone(),
        |m| m.path.clone(),
        &[],
    );
    let stacks = section(
        &old.stacks,
        &new.stacks,
        |s| s.id.clone(),
        |s| s.title.clone(),
        &[],
    );
    let pathways = section(
        &old.pathways,
        &new.pathways,
        |w| w.id.clone(),
        |w| w.title.clone(),
        &["components", "links"],
    );
    // Components and links of the pathways both versions have.
    let kept: HashMap<&str, &Pathway> = old.pathways.iter().map(|w| (w.id.as_str(), w)).collect();
    let mut components = Section::default();
    let mut links = Section::default();
    for w in &new.pathways {
        let Some(o) = kept.get(w.id.as_str()) else {
            continue;
        };
        let s = section(
            &o.components,
            &w.components,
            |c| format!("{}/{}", w.id, c.id),
            what,
            &[],
        );
        components.added.extend(s.added);
        components.removed.extend(s.removed);
        components.changed.extend(s.changed);
        let before: HashSet<String> = o.links.iter().map(|l| link_text(w, l)).collect();
        let after: HashSet<String> = w.links.iter().map(|l| link_text(w, l)).collect();
        for l in &w.links {
            let t = link_text(w, l);
            if !before.contains(&t) {
                links.added.push(Item {
                    id: t,
                    text: String::new(),
                });
            }
        }
        for l in &o.links {
            let t = link_text(w, l);
            if !after.contains(&t) {
                links.removed.push(Item {
                    id: t,
                    text: String::new(),
                });
            }
        }
    }
    PortfolioDiff {
        portfolio,
        credentials,
        stacks,
        pathways,
        components,
        links,
    }
}

/// The difference as text, one line per change, by kind.
pub fn to_text(d: &PortfolioDiff) -> String {
    let mut out = String::new();
    if !d.portfolio.is_empty() {
        out.push_str("Portfolio\n");
        for f in &d.portfolio {
            out.push_str(&format!(
                "  ~ {}: {} → {}\n",
                f.field,
                shown(&f.old),
                shown(&f.new)
            ));
        }
    }
    for (title, s) in [
        ("Credentials", &d.credentials),
        ("Stacks", &d.stacks),
        ("Pathways", &d.pathways),
        ("Pathway components", &d.components),
        ("Links", &d.links),
    ] {
        if s.is_empty() {
            continue;
        }
        out.push_str(&format!("{title}\n"));
        for (sign, items) in [("+", &s.added), ("-", &s.removed)] {
            for i in items {
                if i.text.is_empty() {
                    out.push_str(&format!("  {sign} {}\n", i.id));
                } else {
                    out.push_str(&format!("  {sign} {}: {}\n", i.id, i.text));
                }
            }
        }
        for c in &s.changed {
            for f in &c.changes {
                out.push_str(&format!(
                    "  ~ {} {}: {} → {}\n",
                    c.id,
                    f.field,
                    shown(&f.old),
                    shown(&f.new)
                ));
            }
        }
    }
    if d.is_empty() {
        out.push_str("No differences.\n");
    }
    out
}

fn shown(s: &str) -> &str {
    if s.is_empty() { "(none)" } else { s }
}

/// The difference in one line, for a list of versions: "+1 credential, ~1 stack, +2 links".
pub fn summary(d: &PortfolioDiff) -> String {
    let mut parts = Vec::new();
    let mut count = |n: usize, sign: &str, one: &str, many: &str| match n {
        0 => {}
        1 => parts.push(format!("{sign}1 {one}")),
        n => parts.push(format!("{sign}{n} {many}")),
    };
    if !d.portfolio.is_empty() {
        count(
            d.portfolio.len(),
            "~",
            "portfolio field",
            "portfolio fields",
        );
    }
    for (s, one, many) in [
        (&d.credentials, "credential", "credentials"),
        (&d.stacks, "stack", "stacks"),
        (&d.pathways, "pathway", "pathways"),
        (&d.components, "component", "components"),
        (&d.links, "link", "links"),
    ] {
        count(s.added.len(), "+", one, many);
        count(s.removed.len(), "−", one, many);
        count(s.changed.len(), "~", one, many);
    }
    if parts.is_empty() {
        "no change to the portfolio".into()
    } else {
        parts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::portfolio::{Member, Stack};

    fn base() -> Portfolio {
        let mut p = Portfolio::default();
        p.credentials.push(Member {
            id: "a".into(),
            path: "a.yaml".into(),
            stable_id: None,
        });
        p
    }

    #[test]
    fn the_same_portfolio_has_no_difference() {
        let d = diff(&base(), &base());
        assert!(d.is_empty());
        assert_eq!(to_text(&d), "No differences.\n");
    }

    #[test]
    fn members_and_stacks_added_removed_and_changed_are_told_apart() {
        let old = base();
        let mut new = base();
        new.credentials[0].path = "b.yaml".into();
        new.stacks.push(Stack {
            id: "s".into(),
            title: "S".into(),
            kind: None,
            serves: Vec::new(),
            requires: crate::model::portfolio::Condition {
                need: Default::default(),
                min_hours: None,
                min_credits: None,
                of: Vec::new(),
            },
        });
        let d = diff(&old, &new);
        assert_eq!(d.credentials.changed[0].changes[0].field, "path");
        assert_eq!(d.stacks.added[0].id, "s");
        assert_eq!(summary(&d), "~1 credential, +1 stack");
        let back = diff(&new, &old);
        assert_eq!(back.stacks.removed[0].id, "s");
    }
}

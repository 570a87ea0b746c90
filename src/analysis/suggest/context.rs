//! The design around a need, as a suggestion [`Context`]: the credential's title and summary,
//! the frameworks and competencies it already uses, and what its agreed mappings taught.

use super::{Context, Occupation};
use crate::model::{
    Catalog, ESSENTIAL_FOR_OCCUPATION as ESSENTIAL_FOR, MappingStatus,
    OPTIONAL_FOR_OCCUPATION as OPTIONAL_FOR, Workspace,
};

/// The context for suggesting competencies for need `need` (its own mappings left out, so
/// that a need is not pulled to what it was already given).
pub fn for_need(ws: &Workspace, need: &str) -> Context {
    let mut ctx = Context::default();
    let c = &ws.credential;
    ctx.credential = [c.title.as_deref(), c.summary.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(". ");
    let add = |ctx: &mut Context, reference: &str| {
        if let Some((fw, _)) = reference.split_once(':') {
            if !ctx.frameworks.iter().any(|f| f == fw) {
                ctx.frameworks.push(fw.to_string());
            }
        }
        if !ctx.mapped.iter().any(|m| m == reference) {
            ctx.mapped.push(reference.to_string());
        }
    };
    for cc in &ws.competencies {
        add(&mut ctx, &cc.reference);
    }
    let statements: std::collections::HashMap<&str, &str> = ws
        .needs
        .iter()
        .map(|n| (n.id.as_str(), n.statement.as_str()))
        .collect();
    for m in &ws.mappings {
        if m.need == need || m.status == MappingStatus::Rejected {
            continue;
        }
        add(&mut ctx, &m.competency);
        if m.status == MappingStatus::Agreed {
            if let Some(text) = statements.get(m.need.as_str()) {
                ctx.taught.push((text.to_string(), m.competency.clone()));
            }
        }
    }
    ctx
}

/// [`for_need`] with the occupation the credential's title names, from the catalog's
/// occupation links (see [`occupation_for`]).
pub fn for_need_in(ws: &Workspace, need: &str, catalog: &Catalog) -> Context {
    let mut ctx = for_need(ws, need);
    if let Some(title) = ws.credential.title.as_deref() {
        ctx.occupation = occupation_for(catalog, title);
    }
    ctx
}

/// The occupation a credential titled `title` trains for, from the occupation links of the
/// loaded frameworks (ESCO imported with its relations): the one whose label is the title, else
/// the longest label of two or more words that the title contains word for word ("Heat pump
/// installer — level 1" names *heat pump installer*). None when no framework has such links.
/// One pass over the competencies' links: done once per need opened, not per keypress.
pub fn occupation_for(catalog: &Catalog, title: &str) -> Option<Occupation> {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let tw = words(title);
    if tw.is_empty() {
        return None;
    }
    let contains = |lw: &[String]| tw.windows(lw.len()).any(|w| w == lw);
    // The best label: (exact, words) highest.
    let mut best: Option<((bool, usize), String)> = None;
    let mut links = Vec::new();
    for e in catalog.entries() {
        for c in &e.framework.competencies {
            for l in &c.links {
                let essential = l.kind == ESSENTIAL_FOR;
                if !essential && l.kind != OPTIONAL_FOR {
                    continue;
                }
                let Some(label) = l.title.as_deref() else {
                    continue;
                };
                links.push((
                    label,
                    &l.target,
                    format!("{}:{}", e.framework.id, c.id),
                    essential,
                ));
            }
        }
    }
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for (label, target, _, _) in &links {
        if !seen.insert(target.as_str()) {
            continue;
        }
        let lw = words(label);
        let exact = lw == tw;
        if !exact && (lw.len() < 2 || !contains(&lw)) {
            continue;
        }
        let key = (exact, lw.len());
        if best.as_ref().is_none_or(|(k, _)| key > *k) {
            best = Some((key, target.to_string()));
        }
    }
    let (_, target) = best?;
    let mut occ = Occupation::default();
    for (label, t, reference, essential) in links {
        if *t == target {
            if occ.name.is_empty() {
                occ.name = label.to_string();
            }
            occ.competencies.push((reference, essential));
        }
    }
    Some(occ)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_need_s_context_is_the_rest_of_its_design() {
        let ws: Workspace =
            serde_yaml::from_str(include_str!("../../../examples/retrofit-gaps.yaml"))
                .expect("the example parses");
        let need = &ws.mappings[0].need;
        let ctx = for_need(&ws, need);
        assert!(
            ctx.credential
                .starts_with("Home Energy Retrofit Technician")
        );
        assert!(ctx.frameworks.iter().any(|f| f == "building-retrofit"));
        assert!(!ctx.taught.is_empty());
        // The need's own mappings do not teach it.
        let own: Vec<&str> = ws
            .needs
            .iter()
            .filter(|n| &n.id == need)
            .map(|n| n.statement.as_str())
            .collect();
        assert!(ctx.taught.iter().all(|(t, _)| !own.contains(&t.as_str())));
    }

    #[test]
    fn a_title_naming_an_occupation_finds_its_competencies() {
        use crate::model::{Competency, Link};
        let link = |kind: &str, occ: &str, label: &str| Link {
            kind: kind.into(),
            target: format!("http://data.europa.eu/esco/occupation/{occ}"),
            title: Some(label.into()),
        };
        let comp = |id: &str, links: Vec<Link>| Competency {
            links,
            ..crate::analysis::search::tests::comp(id, id, &[])
        };
        let fw = crate::analysis::search::tests::framework(
            "esco",
            vec![
                comp("a", vec![link(ESSENTIAL_FOR, "o1", "heat pump installer")]),
                comp(
                    "b",
                    vec![
                        link(OPTIONAL_FOR, "o1", "heat pump installer"),
                        link(ESSENTIAL_FOR, "o2", "installer"),
                    ],
                ),
                comp("c", vec![link(ESSENTIAL_FOR, "o3", "pump operator")]),
            ],
        );
        let cat = Catalog::from_frameworks([fw]);
        let occ = occupation_for(&cat, "Heat Pump Installer: level 1").expect("found");
        assert_eq!(occ.name, "heat pump installer");
        assert_eq!(
            occ.competencies,
            vec![("esco:a".to_string(), true), ("esco:b".to_string(), false)]
        );
        // A one-word label is only taken when it is the whole title.
        assert_eq!(occupation_for(&cat, "Plumbing installer"), None);
        assert_eq!(
            occupation_for(&cat, "Installer").map(|o| o.name),
            Some("installer".into())
        );
        assert_eq!(occupation_for(&cat, "Retail data analyst"), None);
    }
}

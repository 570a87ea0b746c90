//! The design around a need, as a suggestion [`Context`]: the credential's title and summary,
//! the frameworks and competencies it already uses, and what its agreed mappings taught.

use super::Context;
use crate::model::{MappingStatus, Workspace};

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
}

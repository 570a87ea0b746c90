//! The gap panes' lines, derived from the gap report once per version.

use super::*;

/// The gap panes' lines, in section order.
pub fn gap_lines(
    ws: &Workspace,
    d: &Derived,
    catalog: &Catalog,
    r: &GapReport,
    today: &str,
) -> Vec<GapLine> {
    let mut out = Vec::new();
    // Needs and critical ones are looked up by id in the version's index, not by a scan.
    let need_text = |id: &str| {
        d.need(ws, id)
            .map_or(String::new(), |n| n.statement.clone())
    };
    // Names before ids: a competency is named, then its shortened id.
    let comp_name =
        |r: &str| wrap::named(catalog.resolve(r).map_or("", |(_, c)| c.name.as_str()), r);
    let mut push = |section: &'static str, text: String, jump: Jump, critical: bool| {
        out.push(GapLine {
            section,
            text,
            jump,
            critical,
        })
    };
    for id in &r.critical {
        push(
            "Critical needs",
            format!("{id} {}", need_text(id)),
            Jump::Need(id.clone()),
            true,
        );
    }
    for n in &r.needs {
        if n.status == NeedStatus::Uncovered && !d.critical.contains(&n.id) {
            push(
                "Uncovered needs",
                format!("{} {}", n.id, need_text(&n.id)),
                Jump::Need(n.id.clone()),
                false,
            );
        }
    }
    for n in r.needs.iter().filter(|n| n.status == NeedStatus::Partial) {
        push(
            "Partial needs",
            format!("{} {:.0}% {}", n.id, n.credit * 100.0, need_text(&n.id)),
            Jump::Need(n.id.clone()),
            false,
        );
    }
    for g in &r.level_gaps {
        push(
            "Level gaps",
            format!(
                "{} → {} needs {}, targets {} (−{})",
                g.need,
                comp_name(&g.competency),
                g.required,
                g.target,
                g.shortfall
            ),
            Jump::Mapping(g.need.clone(), g.competency.clone()),
            false,
        );
    }
    // Kept after its mappings were rejected: the designer decides to keep or drop it.
    let rejected: std::collections::HashSet<&str> = ws
        .mappings
        .iter()
        .filter(|m| m.status == MappingStatus::Rejected)
        .map(|m| m.competency.as_str())
        .collect();
    for o in &r.orphans {
        let text = if rejected.contains(o.as_str()) {
            format!("{} kept after a rejection", comp_name(o))
        } else {
            comp_name(o)
        };
        push("Orphans", text, Jump::Competency(o.clone()), false);
    }
    for a in &r.assessment_gaps {
        push(
            "Assessment gaps",
            comp_name(a),
            Jump::Competency(a.clone()),
            false,
        );
    }
    for m in &r.mapped_not_included {
        push(
            "Mapped but not included",
            format!("{} → {}", m.need, comp_name(&m.competency)),
            Jump::Mapping(m.need.clone(), m.competency.clone()),
            false,
        );
    }
    let w = &r.workload;
    let declared = w
        .declared_hours
        .map_or("not declared".to_string(), |h| format!("{h} h declared"));
    push(
        "Workload",
        format!(
            "{} h of competencies; {declared}; ceiling {} h",
            w.competency_hours, w.max_hours
        ),
        Jump::Credential("credential.workload".into()),
        w.over_max,
    );
    for a in &r.awaiting_review {
        push(
            "Awaiting review",
            format!(
                "{} {} → {}",
                a.status.as_str(),
                a.need,
                comp_name(&a.competency)
            ),
            Jump::Mapping(a.need.clone(), a.competency.clone()),
            a.status == MappingStatus::Disputed,
        );
    }
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
    let findings = r.outcomes.iter().map(|f| {
        let warning = if f.rule.is_warning() { "warning " } else { "" };
        (
            &f.competency,
            format!("{warning}{}: {}", f.rule.as_str(), f.message),
        )
    });
    let silenced = r.outcomes_silenced.iter().map(|s| {
        (
            &s.competency,
            format!("silenced {}: {}", s.rule.as_str(), s.reason),
        )
    });
    for (c, text) in findings.chain(silenced) {
        let text = format!("{} {text}", comp_name(c));
        push("Outcomes", text, Jump::Competency(c.clone()), false);
    }
    out
}

//! A one-page Markdown summary for committees and catalogues, rendered from a [`Spec`].
//!
//! Text from the workspace is escaped where Markdown would read it as markup that changes the
//! page's structure (tables, headings, HTML); paragraphs keep their line breaks.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use super::spec::{Coverage, Spec, SpecCompetency, SpecLevel, SpecNeed, SpecStatus};
use crate::model::{LevelValue, MappingStatus, Participation, PartnerKind};

/// Escape text for one line of Markdown (a heading, list item or table cell).
fn inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    no_block_start(out.trim())
}

/// `t` made safe at the start of a line: a leading `-`, `+`, `=` or `~` (a list item, a
/// thematic break, a setext heading underline, a code fence) and a leading `1.` or `1)` (an
/// ordered list) are escaped, so text from a design never starts a Markdown block of its own.
/// (`#`, `>`, `<`, `*`, `_`, `` ` ``, `|` and `[` are escaped wherever they are.)
fn no_block_start(t: &str) -> String {
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    match t.as_bytes().first() {
        Some(b'-' | b'+' | b'=' | b'~') => format!("\\{t}"),
        Some(b'0'..=b'9')
            if digits <= 9
                && matches!(t.as_bytes().get(digits), Some(b'.' | b')'))
                && t.as_bytes()
                    .get(digits + 1)
                    .is_none_or(|b| b.is_ascii_whitespace()) =>
        {
            format!("{}\\{}", &t[..digits], &t[digits..])
        }
        _ => t.to_string(),
    }
}

/// The name of each competency in the credential, by reference.
fn competency_names(spec: &Spec) -> HashMap<&str, &str> {
    spec.competencies
        .iter()
        .map(|k| (k.reference.as_str(), k.name.as_str()))
        .collect()
}

/// A competency as people read it, escaped: `Name (framework:id…)`, its reference alone when
/// the credential does not name it (see [`crate::text::names::competency`]).
fn competency_label(names: &HashMap<&str, &str>, reference: &str) -> String {
    inline(&crate::text::names::competency(
        reference,
        names.get(reference).copied(),
    ))
}

/// Escape a paragraph: each line escaped as [`inline`], line breaks kept.
fn para(s: &str) -> String {
    s.lines().map(inline).collect::<Vec<_>>().join("  \n")
}

fn participation(p: Participation) -> &'static str {
    match p {
        Participation::Online => "online",
        Participation::Onsite => "on site",
        Participation::Blended => "blended",
        Participation::WorkBased => "work-based",
    }
}

fn kind(k: PartnerKind) -> &'static str {
    match k {
        PartnerKind::Industry => "industry",
        PartnerKind::Institution => "institution",
        PartnerKind::Community => "community",
    }
}

fn level(l: &SpecLevel) -> String {
    match &l.name {
        Some(n) => format!("{} ({})", l.level, inline(n)),
        None => l.level.to_string(),
    }
}

fn num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

fn or_blank(s: &Option<String>) -> String {
    s.as_deref().map_or_else(|| "*not set*".to_string(), inline)
}

/// The summary as Markdown text.
pub fn to_markdown(spec: &Spec) -> String {
    let mut o = String::new();
    let c = &spec.credential;
    let title = c
        .title
        .as_deref()
        .map_or_else(|| "Untitled micro-credential".into(), inline);
    let _ = writeln!(o, "# {title}\n");
    if spec.status == SpecStatus::Draft {
        let _ = writeln!(
            o,
            "> **Draft — not final.** {} problem(s) are still open:\n>",
            spec.open_problems.len()
        );
        // A page stays readable: the spec lists every one.
        const SHOWN: usize = 20;
        for p in spec.open_problems.iter().take(SHOWN) {
            let _ = writeln!(o, "> - {}", inline(&p.to_string()));
        }
        if spec.open_problems.len() > SHOWN {
            let _ = writeln!(
                o,
                "> - … and {} more (the YAML spec lists every one)",
                spec.open_problems.len() - SHOWN
            );
        }
        o.push('\n');
    }

    // What it is.
    o.push_str("## What it is\n\n");
    if let Some(s) = &c.summary {
        let _ = writeln!(o, "{}\n", para(s));
    }
    let qual_level = c.level.as_ref().map(|l| {
        let v = match &l.value {
            LevelValue::Number(n) => n.to_string(),
            LevelValue::Text(t) => t.clone(),
        };
        inline(&format!("{} {v}", l.scheme))
    });
    let workload = c.workload.as_ref().map(|w| match w.ects {
        Some(e) => format!("{} hours ({} ECTS)", num(w.hours), num(e)),
        None => format!("{} hours", num(w.hours)),
    });
    let version = match (&c.version, &c.previous_version) {
        (Some(v), Some(p)) => format!("{} (revises {})", inline(v), inline(p)),
        (Some(v), None) => inline(v),
        (None, _) => "*not set*".into(),
    };
    let rows: [(&str, String); 9] = [
        ("Version", version),
        (
            "Id",
            c.id.as_deref()
                .map_or_else(|| "*not given yet*".into(), |i| format!("`{}`", inline(i))),
        ),
        ("Awarding body", or_blank(&c.awarding_body)),
        ("Country", or_blank(&c.country)),
        ("Level", qual_level.unwrap_or_else(|| "*not set*".into())),
        ("Workload", workload.unwrap_or_else(|| "*not set*".into())),
        (
            "Participation",
            c.participation
                .map_or_else(|| "*not set*".into(), |p| participation(p).into()),
        ),
        ("Quality assurance", or_blank(&c.quality_assurance)),
        ("Validity", or_blank(&c.validity)),
    ];
    o.push_str("| | |\n|---|---|\n");
    for (k, v) in rows {
        let _ = writeln!(o, "| {k} | {v} |");
    }
    if let Some(g) = &c.grading {
        let _ = writeln!(o, "| Grading | {} |", inline(g));
    }
    if let Some(s) = &c.supervision {
        let _ = writeln!(o, "| Supervision and identity check | {} |", inline(s));
    }
    if let Some(s) = &c.stackability {
        let mut v = if s.standalone {
            "standalone".to_string()
        } else {
            "not standalone".to_string()
        };
        if !s.stacks_into.is_empty() {
            let into: Vec<String> = s.stacks_into.iter().map(|x| inline(x)).collect();
            let _ = write!(v, "; stacks into {}", into.join(", "));
        }
        let _ = writeln!(o, "| Stackability | {v} |");
    }
    o.push('\n');

    // Who it is for.
    o.push_str("## Who it is for\n\n");
    // Every partner with needs, whatever its kind (community partners too).
    let with_needs: std::collections::HashSet<&str> =
        spec.needs.iter().map(|n| n.partner.as_str()).collect();
    let asked: Vec<String> = spec
        .partners
        .iter()
        .filter(|p| with_needs.contains(p.id.as_str()))
        .map(|p| inline(&p.name))
        .collect();
    if !asked.is_empty() {
        let _ = writeln!(
            o,
            "Learners preparing for the work that {} asked for (the needs below).\n",
            asked.join(", ")
        );
    }
    if c.prerequisites.is_empty() {
        o.push_str("Prerequisites: none.\n\n");
    } else {
        o.push_str("Prerequisites:\n\n");
        for p in &c.prerequisites {
            let _ = writeln!(o, "- {}", inline(p));
        }
        o.push('\n');
    }

    // Outcomes.
    o.push_str("## Learning outcomes\n\n");
    if c.learning_outcomes.is_empty() {
        o.push_str("*None written yet.*\n\n");
    } else {
        o.push_str("Learners who earn it can:\n\n");
        for out in &c.learning_outcomes {
            let _ = writeln!(o, "- {}", inline(out));
        }
        o.push('\n');
    }

    // Competencies by framework, in order of first appearance.
    o.push_str("## Competencies by framework\n\n");
    let mut groups: Vec<Vec<&SpecCompetency>> = Vec::new();
    let mut group_of: HashMap<&str, usize> = HashMap::new();
    for comp in &spec.competencies {
        let g = *group_of
            .entry(comp.framework.id.as_str())
            .or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
        groups[g].push(comp);
    }
    for group in &groups {
        let f = &group[0].framework;
        let _ = writeln!(
            o,
            "### {} {} (`{}`)\n",
            inline(&f.name),
            inline(&f.version),
            f.id
        );
        for k in group {
            let _ = write!(
                o,
                "- **{}** `{}` — level {}",
                inline(&k.name),
                k.id,
                level(&k.target_level)
            );
            if let Some(d) = &k.target_level.descriptor {
                let _ = write!(o, ": {}", inline(d));
            }
            o.push('\n');
        }
        o.push('\n');
    }
    if spec.competencies.is_empty() {
        o.push_str("*None chosen yet.*\n\n");
    }

    // Matrix.
    o.push_str("## Needs × competencies\n\n");
    if spec.needs.is_empty() || spec.competencies.is_empty() {
        o.push_str("*No needs or no competencies yet.*\n\n");
    } else if spec.competencies.len() <= MATRIX_MAX_COMPETENCIES
        && spec.needs.len() <= MATRIX_MAX_NEEDS
    {
        grid(&mut o, spec);
    } else {
        needs_by_partner(&mut o, spec);
    }

    // Assessment.
    o.push_str("## Assessment\n\n");
    if let Some(t) = &c.assessment_type {
        let _ = writeln!(o, "{}\n", para(t));
    }
    for k in &spec.competencies {
        match &k.assessment {
            Some(a) => {
                let _ = write!(o, "- {}: {}", inline(&k.name), a.method.as_str());
                if let Some(d) = &a.description {
                    let _ = write!(o, " — {}", inline(d));
                }
                o.push('\n');
            }
            None => {
                let _ = writeln!(o, "- {}: *no assessment yet*", inline(&k.name));
            }
        }
    }
    if !spec.competencies.is_empty() {
        o.push('\n');
    }

    // Workload.
    o.push_str("## Workload\n\n");
    match &c.workload {
        Some(w) => {
            let _ = write!(o, "{} notional hours", num(w.hours));
            if let Some(e) = w.ects {
                let _ = write!(o, " ({} ECTS)", num(e));
            }
        }
        None => o.push_str("Notional hours not set"),
    }
    let _ = writeln!(
        o,
        "; the competencies add up to {} hours (ceiling for a micro-credential: {}).\n",
        num(c.competency_hours),
        num(c.max_hours)
    );
    for k in spec.competencies.iter().filter(|k| k.hours.is_some()) {
        let _ = writeln!(
            o,
            "- {}: {} h",
            inline(&k.name),
            num(k.hours.unwrap_or_default())
        );
    }
    if spec.competencies.iter().any(|k| k.hours.is_some()) {
        o.push('\n');
    }

    // Partners and endorsements.
    o.push_str("## Partners and endorsements\n\n");
    let needs_of = needs_by_partner_id(spec);
    let names = competency_names(spec);
    for p in &spec.partners {
        let _ = write!(o, "- **{}** ({})", inline(&p.name), kind(p.kind));
        let agreed: Vec<String> = needs_of
            .get(p.id.as_str())
            .map_or(&[][..], Vec::as_slice)
            .iter()
            .flat_map(|n| n.mappings.iter().map(move |m| (n, m)))
            .filter(|(_, m)| m.status == MappingStatus::Agreed)
            .map(|(n, m)| {
                let label = competency_label(&names, &m.competency);
                match &m.agreed_by {
                    Some(by) => format!("{} → {label} by {}", inline(&n.id), inline(by)),
                    None => format!("{} → {label}", inline(&n.id)),
                }
            })
            .collect();
        if !agreed.is_empty() {
            let _ = write!(o, " agreed: {}", agreed.join("; "));
        }
        let signed: Vec<String> = spec
            .sign_offs
            .iter()
            .filter(|s| s.partner == p.id)
            .map(|s| {
                format!(
                    "{} on {}{}",
                    inline(&s.person),
                    inline(s.at.get(..10).unwrap_or(&s.at)),
                    if s.current {
                        ""
                    } else {
                        " (an earlier version)"
                    }
                )
            })
            .collect();
        if !signed.is_empty() {
            let _ = write!(o, "; signed off by {}", signed.join(", "));
        }
        o.push('\n');
    }
    if spec.partners.is_empty() {
        o.push_str("*No partners yet.*\n");
    }
    o.push('\n');

    // Equity.
    o.push_str("## Equity and access\n\n");
    for (name, v) in c.equity.fields() {
        let label = match name {
            "cost" => "Cost",
            "flexible_delivery" => "Flexible delivery",
            "learner_supports" => "Learner supports",
            "recognition_of_prior_learning" => "Recognition of prior learning",
            _ => "Community partners",
        };
        let _ = writeln!(
            o,
            "- **{label}:** {}",
            v.map_or_else(|| "*open question*".into(), inline)
        );
    }
    o.push('\n');

    // Footer.
    let _ = writeln!(
        o,
        "---\n\nNeed coverage {}%. Exported by microcred {} from a workspace with SHA-256 `{}`.",
        spec.gaps.coverage_percent,
        spec.provenance.microcred_version,
        spec.provenance.workspace_sha256
    );
    if let Some(t) = &spec.provenance.exported_at {
        let _ = writeln!(o, "Exported at {}.", inline(t));
    }
    o
}

/// The needs × competencies grid is drawn only while it stays readable: at most this many
/// competency columns…
pub const MATRIX_MAX_COMPETENCIES: usize = 20;
/// …and at most this many need rows. A bigger design gets [`needs_by_partner`] instead.
pub const MATRIX_MAX_NEEDS: usize = 200;

/// The needs of each partner id, in document order.
fn needs_by_partner_id(spec: &Spec) -> HashMap<&str, Vec<&SpecNeed>> {
    let mut by: HashMap<&str, Vec<&SpecNeed>> = HashMap::new();
    for n in &spec.needs {
        by.entry(n.partner.as_str()).or_default().push(n);
    }
    by
}

fn coverage_word(c: Option<Coverage>) -> &'static str {
    match c {
        Some(Coverage::Covered) => "covered",
        Some(Coverage::Partial) => "partial",
        Some(Coverage::Uncovered) => "uncovered",
        None => "",
    }
}

/// One row per need, one column per competency (named, with its reference), the mapping's
/// status in each cell.
fn grid(o: &mut String, spec: &Spec) {
    o.push_str("| Need | Priority | Coverage |");
    for k in &spec.competencies {
        let label = inline(&crate::text::names::competency(&k.reference, Some(&k.name)));
        let _ = write!(o, " {label} |");
    }
    o.push_str("\n|---|---|---|");
    for _ in &spec.competencies {
        o.push_str(":---:|");
    }
    o.push('\n');
    for n in &spec.needs {
        let _ = write!(
            o,
            "| **{}** {} | {} | {} |",
            inline(&n.id),
            inline(&n.statement),
            n.priority.as_str(),
            coverage_word(n.coverage)
        );
        let status: HashMap<&str, MappingStatus> = n
            .mappings
            .iter()
            .rev()
            .map(|m| (m.competency.as_str(), m.status))
            .collect();
        for k in &spec.competencies {
            let cell = status
                .get(k.reference.as_str())
                .map_or("", |s| status_word(*s));
            let _ = write!(o, " {cell} |");
        }
        o.push('\n');
    }
    o.push('\n');
}

fn status_word(s: MappingStatus) -> &'static str {
    match s {
        MappingStatus::Agreed => "agreed",
        MappingStatus::Proposed => "proposed",
        MappingStatus::Disputed => "disputed",
        MappingStatus::Rejected => "rejected",
    }
}

/// For a design too big for a grid: a note saying so, then one table per partner, one row per
/// need with the competencies it maps to and each mapping's status. Linear in the needs and
/// mappings, where the grid grows with needs × competencies.
fn needs_by_partner(o: &mut String, spec: &Spec) {
    let _ = writeln!(
        o,
        "*{} needs and {} competencies are too many for a grid (it is drawn up to {} needs and \
         {} competencies), so each partner's needs are listed with the competencies they map \
         to.*\n",
        spec.needs.len(),
        spec.competencies.len(),
        MATRIX_MAX_NEEDS,
        MATRIX_MAX_COMPETENCIES
    );
    let needs_of = needs_by_partner_id(spec);
    let names = competency_names(spec);
    // Partners in document order, then needs whose partner is not listed.
    let mut seen: HashSet<&str> = HashSet::new();
    let mut tables: Vec<(String, &[&SpecNeed])> = Vec::new();
    for p in &spec.partners {
        if seen.insert(p.id.as_str()) {
            if let Some(needs) = needs_of.get(p.id.as_str()) {
                tables.push((inline(&p.name), needs));
            }
        }
    }
    let mut others: Vec<&SpecNeed> = Vec::new();
    for n in &spec.needs {
        if !seen.contains(n.partner.as_str()) {
            others.push(n);
        }
    }
    if !others.is_empty() {
        tables.push(("Needs of partners not listed".into(), &others));
    }
    for (title, needs) in tables {
        let _ = writeln!(o, "### {title}\n");
        o.push_str("| Need | Priority | Coverage | Mapped to |\n|---|---|---|---|\n");
        for n in needs {
            let mapped: Vec<String> = n
                .mappings
                .iter()
                .map(|m| {
                    let tick = if m.included { "" } else { " (not included)" };
                    format!(
                        "{} {}{tick}",
                        competency_label(&names, &m.competency),
                        status_word(m.status)
                    )
                })
                .collect();
            let _ = writeln!(
                o,
                "| **{}** {} | {} | {} | {} |",
                inline(&n.id),
                inline(&n.statement),
                n.priority.as_str(),
                coverage_word(n.coverage),
                mapped.join(", ")
            );
        }
        o.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Does a line of Markdown start a block other than a paragraph's text?
    fn starts_block(line: &str) -> bool {
        let t = line.trim_start();
        let list = |m: &str| t.starts_with(&format!("{m} ")) || t == m;
        let ordered = {
            let d = t.bytes().take_while(u8::is_ascii_digit).count();
            d > 0 && matches!(t.as_bytes().get(d), Some(b'.' | b')'))
        };
        ["#", ">", "<", "|", "```", "~~~", "---", "===", "***", "___"]
            .iter()
            .any(|m| t.starts_with(m))
            || list("-")
            || list("+")
            || list("*")
            || ordered
    }

    #[test]
    fn text_from_a_design_never_starts_a_block() {
        let hostile = "Intro\n---\n# Heading\n- item\n+ item\n* item\n1. first\n2) second\n\
                       ===\n~~~\n```\n> quote\n<script>\n| a | b |\n   - indented\n\
                       ssh-ed25519 AAAAC3Nza key";
        for line in para(hostile).split('\n') {
            assert!(!starts_block(line), "{line:?} starts a block");
        }
        for line in hostile.lines() {
            assert!(
                !starts_block(&inline(line)),
                "{line:?} → {:?}",
                inline(line)
            );
        }
        // What is not a block marker is left alone.
        assert_eq!(inline("1.0"), "1.0");
        assert_eq!(inline("10 hours"), "10 hours");
        assert_eq!(inline("- item"), "\\- item");
        assert_eq!(inline("2) second"), "2\\) second");
    }
}

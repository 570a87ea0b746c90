//! The details pane: the competency selected, from its framework.

use super::*;

/// Details of a competency: framework, description, keywords, level descriptors.
pub(super) fn details(
    f: &mut Frame,
    app: &App,
    cache: &mut FrameCache,
    area: Rect,
    reference: Option<&str>,
) {
    if area.width == 0 {
        return;
    }
    let t = app.theme;
    let mut key = Framed::new(
        Span::styled("Competency", t.title()),
        t.border(false),
        Vec::new(),
    );
    key.lines = match detail_lines(app, reference) {
        Some(lines) => {
            key.wrap = true;
            lines
        }
        None => vec![Line::from(Span::styled(
            "Select a mapping to see its competency.",
            t.dim(),
        ))],
    };
    cache.pane(
        Pane::Details,
        |c| &mut c.details,
        f.buffer_mut(),
        area,
        key,
        Framed::paint,
    );
}

/// The lines of the competency `reference` names, or None when it names none.
fn detail_lines(app: &App, reference: Option<&str>) -> Option<Vec<Line<'static>>> {
    let t = app.theme;
    let (fw, c) = reference.and_then(|r| app.catalog.resolve(r))?;
    let reference = reference.unwrap_or_default();
    let cc = app.credential_competency(reference);
    let required = app
        .selected_mapping()
        .filter(|m| m.competency == reference)
        .and_then(|m| m.required_level);
    let mut lines = vec![
        Line::from(Span::styled(c.name.clone(), t.title())),
        Line::from(Span::styled(
            format!("{reference} · {} {}", fw.name, fw.version),
            t.dim(),
        )),
    ];
    let mut meta = Vec::new();
    if let Some(cat) = &c.category {
        meta.push(cat.clone());
    }
    if let Some(k) = c.kind {
        meta.push(format!("{k:?}").to_lowercase());
    }
    if !meta.is_empty() {
        lines.push(Line::from(Span::styled(meta.join(" · "), t.dim())));
    }
    lines.push(Line::from(c.description.clone()));
    if !c.keywords.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("also: {}", c.keywords.join(", ")),
            t.dim(),
        )));
    }
    // What an imported framework carries: code, education levels, notes and typed links.
    let mut source = Vec::new();
    if let Some(code) = &c.code {
        source.push(format!("code {code}"));
    }
    if !c.education_level.is_empty() {
        source.push(format!("grades {}", c.education_level.join(", ")));
    }
    if !source.is_empty() {
        lines.push(Line::from(Span::styled(source.join(" · "), t.dim())));
    }
    if let Some(n) = &c.notes {
        lines.push(Line::from(Span::styled(format!("Notes: {n}"), t.dim())));
    }
    for l in &c.links {
        let target = app
            .catalog
            .resolve(&format!("{}:{}", fw.id, l.target))
            .map(|(_, x)| format!("{} ({})", l.target, x.name))
            .or_else(|| {
                l.title
                    .as_ref()
                    .map(|title| format!("{title} <{}>", l.target))
            })
            .unwrap_or_else(|| l.target.clone());
        lines.push(Line::from(Span::styled(
            format!("{} → {target}", l.kind),
            t.dim(),
        )));
    }
    lines.push(Line::from(""));
    for l in &fw.levels {
        let text = c
            .levels
            .get(&l.level)
            .cloned()
            .or_else(|| l.description.clone())
            .unwrap_or_default();
        let mut marks = String::new();
        if cc.is_some_and(|x| x.target_level == l.level) {
            marks.push_str(" ◀ target");
        }
        if required == Some(l.level) {
            marks.push_str(" ◀ required");
        }
        let style = if marks.is_empty() {
            Style::default()
        } else {
            t.highlight()
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{} {}{marks}: ", l.level, l.name), style),
            Span::raw(text),
        ]));
    }
    if let Some(x) = cc {
        lines.push(Line::from(""));
        if let Some(o) = &x.outcome {
            lines.push(Line::from(format!("Outcome: {o}")));
        }
        let hours = x.hours.map_or("–".into(), |h| format!("{h} h"));
        let assess = x
            .assessment
            .as_ref()
            .map_or("none yet".to_string(), |a| a.method.as_str().to_string());
        lines.push(Line::from(Span::styled(
            format!("Hours {hours} · assessment {assess}"),
            t.dim(),
        )));
    }
    Some(lines)
}

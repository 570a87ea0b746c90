//! The competency finder and the framework browser.

use super::details::details;
use super::*;
use crate::tui::finder::Finder;

/// The competency finder: the search, its hits and the selected hit's details.
pub(super) fn finder(f: &mut Frame, app: &App, finder: &Finder) {
    let t = app.theme;
    let area = overlay(f, u16::MAX);
    let title = match &finder.purpose {
        crate::tui::finder::FinderPurpose::MapNeed(n) => format!(
            "Map need {} to a competency · type to search · {}",
            short_id(n),
            keys_line(app, Context::Finder, &[Cmd::Submit, Cmd::Cancel])
        ),
        crate::tui::finder::FinderPurpose::AddToCredential
            if app.permits(Cmd::EditCredential).is_ok() =>
        {
            format!(
                "Add a competency to the credential · type to search · {}",
                keys_line(app, Context::Finder, &[Cmd::Submit, Cmd::Cancel])
            )
        }
        crate::tui::finder::FinderPurpose::AddToCredential => format!(
            "Search competencies · type to search · {}",
            keys_line(app, Context::Finder, &[Cmd::Cancel])
        ),
    };
    let b = block(title, true, t);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let cols = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([Constraint::Percentage(55), Constraint::Percentage(45)])
        .split(inner);
    // The need being mapped, in full (up to four rows), above the search.
    let mut lines = Vec::new();
    if let crate::tui::finder::FinderPurpose::MapNeed(n) = &finder.purpose {
        if let Some(need) = app.ws.need(n) {
            let w = cols[0].width as usize;
            let lead = format!("Need {}: ", short_id(&need.id));
            let room = w.saturating_sub(wrap::width(&lead)).max(1);
            for (k, row) in wrap::hanging(&need.statement, room, room, 4)
                .into_iter()
                .enumerate()
            {
                let head = if k == 0 {
                    lead.clone()
                } else {
                    " ".repeat(wrap::width(&lead))
                };
                lines.push(Line::from(vec![
                    Span::styled(head, t.accent()),
                    Span::styled(row, t.title()),
                ]));
            }
        }
    }
    let search_row = lines.len() as u16;
    lines.push(Line::from(vec![
        Span::styled("search> ", t.accent()),
        Span::raw(finder.input.value().to_string()),
    ]));
    let heading = if finder.suggesting {
        format!(
            "Suggested for the need's text ({}) — type to search all {} competencies",
            finder.hits.len(),
            app.catalog.competency_count()
        )
    } else if finder.input.value().is_empty() {
        "Type a few letters of a name, keyword or id.".to_string()
    } else if finder.searching() {
        format!("{} match(es) so far, still searching…", finder.hits.len())
    } else {
        format!("{} match(es)", finder.hits.len())
    };
    lines.push(Line::from(Span::styled(heading, t.dim())));
    let h = cols[0].height.saturating_sub(lines.len() as u16) as usize;
    let off = offset(finder.sel, h);
    for (i, hit) in finder.hits.iter().enumerate().skip(off).take(h) {
        // Names before ids: the name (matched letters marked), then the short id.
        let mut spans = vec![Span::raw(" ")];
        let marked = |text: &str, spans: &mut Vec<Span<'static>>, base: Style| {
            for (ci, ch) in text.chars().enumerate() {
                let st = if hit.positions.contains(&ci) {
                    t.highlight()
                } else {
                    base
                };
                spans.push(Span::styled(ch.to_string(), st));
            }
        };
        match &hit.via {
            None => marked(&hit.name, &mut spans, Style::default()),
            Some(label) => {
                spans.push(Span::raw(hit.name.clone()));
                spans.push(Span::styled("  ~ ", t.dim()));
                marked(label, &mut spans, t.dim());
            }
        }
        spans.push(Span::styled(
            format!(" ({})", wrap::short_ref(&hit.reference)),
            t.dim(),
        ));
        if app.ws.competency(&hit.reference).is_some() {
            spans.push(Span::styled(" in credential", t.accent()));
        }
        let l = Line::from(spans);
        lines.push(if i == finder.sel {
            l.style(t.selected())
        } else {
            l
        });
    }
    f.render_widget(Paragraph::new(lines), cols[0]);
    place_cursor(
        f,
        (
            cols[0].x + 8 + finder.input.visual_cursor() as u16,
            cols[0].y + search_row,
        ),
    );
    details(
        f,
        app,
        &mut FrameCache::off(),
        cols[1],
        finder.selected().map(|h| h.reference.as_str()),
    );
}

/// The framework browser: frameworks, categories and competencies in columns, and details.
pub(super) fn browser(f: &mut Frame, app: &App, br: &Browser) {
    let t = app.theme;
    let area = overlay(f, u16::MAX);
    let b = block(
        format!(
            "Frameworks · {}",
            keys_line(
                app,
                Context::Browser,
                &[Cmd::Right, Cmd::Down, Cmd::Submit, Cmd::Cancel]
            )
        ),
        true,
        t,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Percentage(55), Constraint::Percentage(45)])
        .split(inner);
    let cols = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([
            Constraint::Percentage(30),
            Constraint::Percentage(25),
            Constraint::Percentage(45),
        ])
        // A column between lists, so a long name never runs into the next list.
        .spacing(1)
        .split(rows[0]);
    let list = |items: Vec<String>, sel: usize, active: bool, area: Rect, f: &mut Frame| {
        let h = area.height as usize;
        let off = offset(sel, h);
        let lines: Vec<Line> = items
            .into_iter()
            .enumerate()
            .skip(off)
            .take(h)
            .map(|(i, s)| {
                let l = Line::from(fit(&s, area.width as usize));
                if i == sel {
                    l.style(if active {
                        t.selected()
                    } else {
                        Style::default().add_modifier(Modifier::BOLD)
                    })
                } else {
                    l
                }
            })
            .collect();
        f.render_widget(Paragraph::new(lines), area);
    };
    let fws: Vec<String> = app
        .catalog
        .entries()
        .iter()
        .map(|e| format!("{} ({})", e.framework.name, e.framework.competencies.len()))
        .collect();
    list(fws, br.fw, br.column == 0, cols[0], f);
    let cats = Browser::categories(&app.catalog, br.fw);
    let comps = cats
        .get(br.cat)
        .map(|c| Browser::competencies(&app.catalog, br.fw, c))
        .unwrap_or_default();
    list(cats, br.cat, br.column == 1, cols[1], f);
    let names: Vec<String> = match app.catalog.entries().get(br.fw) {
        Some(e) => comps
            .iter()
            .map(|&i| {
                let c = &e.framework.competencies[i];
                let r = format!("{}:{}", e.framework.id, c.id);
                let mark = if app.ws.competency(&r).is_some() {
                    "✓ "
                } else {
                    "  "
                };
                format!("{mark}{}", wrap::named(&c.name, &r))
            })
            .collect(),
        None => Vec::new(),
    };
    list(names, br.comp, br.column == 2, cols[2], f);
    details(
        f,
        app,
        &mut FrameCache::off(),
        rows[1],
        br.selected(&app.catalog).as_deref(),
    );
}

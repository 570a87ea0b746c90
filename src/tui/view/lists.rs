//! The lists: the activity feed and the partner list.

use super::*;

/// The activity feed: recent changes by everyone, newest first; notices marked.
pub(super) fn activity(f: &mut Frame, app: &App, sel: usize) {
    let t = app.theme;
    let area = overlay(f, 110);
    let b = block(
        "Activity · newest first · Enter jumps to it · Esc closes".into(),
        true,
        t,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    let h = inner.height as usize;
    let off = offset(sel, h);
    let lines: Vec<Line> = app
        .activity
        .iter()
        .rev()
        .enumerate()
        .skip(off)
        .take(h)
        .map(|(i, a)| {
            let mark = if a.notice { "● " } else { "  " };
            let l = Line::from(vec![
                Span::styled(mark, t.warn()),
                Span::styled(format!("{} ", short_time(&a.at)), t.dim()),
                Span::styled(format!("{} ", a.who), t.accent()),
                Span::raw(a.what.clone()),
            ]);
            if i == sel { l.style(t.selected()) } else { l }
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}

/// The partner list: each partner with its kind and how many needs it has.
pub(super) fn partners(f: &mut Frame, app: &App, sel: usize) {
    let t = app.theme;
    let screen = f.area();
    let ps = &app.ws.partners;
    let area = centered(screen, 76, (ps.len().max(1) as u16 + 2).max(6));
    f.render_widget(Clear, area);
    let b = block(
        format!(
            "Partners · {}",
            keys_line(
                app,
                Context::Partners,
                &[
                    Cmd::EditPartner,
                    Cmd::DeletePartner,
                    Cmd::AddPartner,
                    Cmd::Cancel
                ]
            )
        ),
        true,
        t,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    if ps.is_empty() {
        f.render_widget(
            Paragraph::new(Span::styled("No partners yet: a adds one.", t.dim())),
            inner,
        );
        return;
    }
    let mut counts = std::collections::HashMap::new();
    for n in &app.ws.needs {
        *counts.entry(n.partner.as_str()).or_insert(0usize) += 1;
    }
    let h = inner.height as usize;
    let off = offset(sel, h);
    let lines: Vec<Line> = ps
        .iter()
        .enumerate()
        .skip(off)
        .take(h)
        .map(|(i, p)| {
            let kind = format!("{:?}", p.kind).to_lowercase();
            let n = counts.get(p.id.as_str()).copied().unwrap_or(0);
            let l = Line::from(vec![
                Span::styled(format!("{:<24} ", p.id), t.accent()),
                Span::raw(format!("{:<30} ", p.name)),
                Span::styled(format!("{kind:<11} {n} need(s)"), t.dim()),
            ]);
            if i == sel { l.style(t.selected()) } else { l }
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}

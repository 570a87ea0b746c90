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
            let when = format!("{} ", short_time(&a.at));
            let who = format!("{} ", a.who);
            // What is cut with `…` where the row ends (names make it long).
            let room = (inner.width as usize)
                .saturating_sub(wrap::width(mark) + wrap::width(&when) + wrap::width(&who));
            let l = Line::from(vec![
                Span::styled(mark, t.warn()),
                Span::styled(when, t.dim()),
                Span::styled(who, t.accent()),
                Span::raw(fit(&a.what, room)),
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
    clear_layer(f, area);
    // Only the keys this person's role may use (partners and viewers only look).
    let cmds: Vec<Cmd> = [
        Cmd::EditPartner,
        Cmd::DeletePartner,
        Cmd::AddPartner,
        Cmd::Cancel,
    ]
    .into_iter()
    .filter(|&c| app.role_allows(c))
    .collect();
    let b = block(
        format!("Partners · {}", keys_line(app, Context::Partners, &cmds)),
        true,
        t,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    if ps.is_empty() {
        let empty = match app
            .keymap
            .keys_for(Context::Partners, Cmd::AddPartner)
            .first()
        {
            Some(key) if app.role_allows(Cmd::AddPartner) => {
                format!("No partners yet: {key} adds one.")
            }
            _ => "No partners yet.".to_string(),
        };
        f.render_widget(Paragraph::new(Span::styled(empty, t.dim())), inner);
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

//! The history view: the file's commits, or one commit's difference.

use super::*;

/// The history view: the commits of the design's file, newest first, two lines each (hash,
/// date, author and subject; then what it changed), or one commit's whole difference.
pub(super) fn history(f: &mut Frame, app: &App, h: &HistoryView) {
    let t = app.theme;
    // As wide as `history::text_width` counts on.
    let area = overlay(f, 110);
    let reading = if h.loading { " · reading…" } else { "" };
    if let Some(scroll) = h.detail {
        let b = block(
            format!(
                "History · {} · one commit · {}",
                h.file,
                keys_line(app, Context::History, &[Cmd::Cancel])
            ),
            true,
            t,
        );
        let inner = b.inner(area);
        f.render_widget(b, area);
        let w = inner.width as usize;
        let all = h.detail_rows(w);
        let scroll = scroll.min(all.len().saturating_sub(inner.height as usize));
        let lines: Vec<Line> = all
            .iter()
            .skip(scroll)
            .take(inner.height as usize)
            .map(|l| {
                let style = if l.starts_with("  + ") {
                    t.good()
                } else if l.starts_with("  - ") {
                    t.bad()
                } else if l.starts_with("commit ") {
                    t.accent()
                } else {
                    Style::default()
                };
                Line::from(Span::styled(fit(l, w), style))
            })
            .collect();
        f.render_widget(Paragraph::new(lines), inner);
        return;
    }
    let b = block(
        format!(
            "History · {} · newest first · {}{reading}",
            h.file,
            keys_line(app, Context::History, &[Cmd::Submit, Cmd::Cancel])
        ),
        true,
        t,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    let w = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    for m in [&h.error, &h.note].into_iter().flatten() {
        lines.push(Line::from(Span::styled(fit(m, w), t.warn())));
    }
    if !h.unsaved.is_empty() {
        lines.push(Line::from(Span::styled(
            fit(
                &format!(
                    "{} change(s) not saved yet (in the journal):",
                    h.unsaved.len()
                ),
                w,
            ),
            t.dim(),
        )));
        if h.note.is_some() || h.error.is_some() {
            for u in &h.unsaved {
                lines.push(Line::from(vec![
                    Span::styled(format!("  {} ", short_time(&u.time)), t.dim()),
                    Span::styled(format!("{} ", u.who), t.accent()),
                    Span::raw(fit(&u.what, w.saturating_sub(24))),
                ]));
            }
        }
    }
    if h.rows.is_empty() && h.note.is_none() && h.error.is_none() {
        let text = if h.loading {
            "Reading the history…"
        } else {
            "No commit has touched this file yet."
        };
        lines.push(Line::from(Span::styled(text, t.dim())));
    }
    let lead = lines.len();
    let per = 2;
    let room = (inner.height as usize).saturating_sub(lead) / per;
    let off = offset(h.sel, room.max(1));
    for (i, r) in h.rows.iter().enumerate().skip(off).take(room) {
        let c = &r.commit;
        let date = c.date.get(..10).unwrap_or(&c.date);
        let head = Line::from(vec![
            Span::styled(
                format!("{} ", crate::store::git::short(&c.hash)),
                t.accent(),
            ),
            Span::styled(format!("{date} "), t.dim()),
            Span::styled(format!("{} ", fit(&c.author, 20)), t.accent()),
            Span::raw(fit(c.subject(), w.saturating_sub(31))),
        ]);
        let (what, style) = match &r.change {
            Change::Reading => ("reading…".to_string(), t.dim()),
            Change::Read { summary, .. } => (summary.clone(), Style::default()),
            Change::Unreadable(e) => (
                format!("cannot be read: {}", e.lines().next().unwrap_or("")),
                t.bad(),
            ),
        };
        let body = Line::from(Span::styled(fit(&format!("    {what}"), w), style));
        if i == h.sel {
            lines.push(head.style(t.selected()));
            lines.push(body.style(t.selected()));
        } else {
            lines.push(head);
            lines.push(body);
        }
    }
    f.render_widget(Paragraph::new(lines), inner);
}

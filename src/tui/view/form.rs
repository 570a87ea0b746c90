//! A form drawn: its note, then each field as a label column and its value.

use super::*;

/// A form: its note (what it is about), then each field as a label column and its value.
/// One-line fields scroll sideways; multi-line fields wrap, the selected one in an editor a
/// few rows high with its hint below.
pub(super) fn form_modal(f: &mut Frame, app: &App, form: &Form) {
    let t = app.theme;
    let screen = f.area();
    let width = screen.width.saturating_sub(4).min(120);
    let inner_w = width.saturating_sub(2) as usize;
    let label_w = 36.min(inner_w / 3);
    let val_w = inner_w.saturating_sub(label_w).max(1);
    let mut lines: Vec<Line> = Vec::new();
    if let Some(note) = form.note() {
        for part in note.split('\n') {
            for row in wrap::hanging(part, inner_w, inner_w, 4) {
                lines.push(Line::from(Span::styled(row, t.dim())));
            }
        }
        lines.push(Line::from(""));
    }
    let pad = || Span::raw(" ".repeat(label_w));
    let mut sel_rows = (0, 0);
    let mut editor = None;
    let mut cursor = None;
    for (i, fld) in form.fields.iter().enumerate() {
        let selected = i == form.sel;
        let start = lines.len();
        let label = Span::styled(
            column(&fld.label, label_w),
            if selected { t.highlight() } else { t.dim() },
        );
        let bold = if selected {
            Style::default().add_modifier(Modifier::BOLD)
        } else {
            Style::default()
        };
        if fld.is_choice() {
            lines.push(Line::from(vec![
                label,
                Span::styled(fit(&format!("‹ {} ›", fld.value()), val_w), bold),
            ]));
            if let Some(h) = fld.help().filter(|_| selected) {
                for row in wrap::hanging(h, val_w, val_w, 3) {
                    lines.push(Line::from(vec![pad(), Span::styled(row, t.accent())]));
                }
            }
        } else if let Some(ta) = fld.area() {
            if selected {
                let rows = wrap::wrap(&fld.value(), val_w).len().clamp(3, 10);
                editor = Some((ta, lines.len(), rows));
                lines.push(Line::from(label));
                for _ in 1..rows {
                    lines.push(Line::from(""));
                }
                for row in wrap::hanging(PROSE_HINT, val_w, val_w, 2) {
                    lines.push(Line::from(vec![pad(), Span::styled(row, t.accent())]));
                }
            } else {
                let rows = wrap::hanging(&fld.value(), val_w, val_w, 3);
                for (k, row) in rows.into_iter().enumerate() {
                    let head = if k == 0 { label.clone() } else { pad() };
                    lines.push(Line::from(vec![head, Span::raw(row)]));
                }
            }
        } else {
            let value = fld.input.value();
            let shown = if selected {
                let scroll = fld.input.visual_scroll(val_w.saturating_sub(1));
                cursor = Some((
                    lines.len(),
                    label_w + fld.input.visual_cursor().saturating_sub(scroll),
                ));
                value.chars().skip(scroll).collect()
            } else {
                fit(value, val_w)
            };
            lines.push(Line::from(vec![label, Span::styled(shown, bold)]));
        }
        if selected {
            sel_rows = (start, lines.len().saturating_sub(1));
        }
    }
    if let Some(e) = &form.error {
        for row in wrap::wrap(e, inner_w) {
            lines.push(Line::from(Span::styled(row, t.bad())));
        }
    }
    let height = (lines.len() as u16 + 2).min(screen.height.saturating_sub(2));
    let area = centered(screen, width, height);
    clear_layer(f, area);
    let b = block(
        format!(
            "{} · {}",
            form.title,
            keys_line(
                app,
                Context::Form,
                &[Cmd::Submit, Cmd::Cancel, Cmd::NextField, Cmd::NextChoice]
            )
        ),
        true,
        t,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    let h = inner.height as usize;
    let off = offset(sel_rows.1, h).min(sel_rows.0);
    f.render_widget(Paragraph::new(lines).scroll((off as u16, 0)), inner);
    let visible = |row: usize| row >= off && row - off < h;
    if let Some((ta, row, rows)) = editor {
        if visible(row) {
            let y = inner.y + (row - off) as u16;
            let rows = (rows as u16).min(inner.bottom().saturating_sub(y));
            let rect = Rect::new(inner.x + label_w as u16, y, val_w as u16, rows);
            f.render_widget(ta, rect);
            let c = ta.screen_cursor();
            let top = ta.scroll_offset().0 as usize;
            let (cx, cy) = (c.col as u16, c.row.saturating_sub(top) as u16);
            if cy < rect.height && cx <= rect.width {
                place_cursor(f, (rect.x + cx, rect.y + cy));
            }
        }
    } else if let Some((row, col)) = cursor {
        if visible(row) {
            place_cursor(f, (inner.x + col as u16, inner.y + (row - off) as u16));
        }
    }
}

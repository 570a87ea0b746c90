//! The command palette.

use super::*;

/// The command palette: the typed query, then the matching commands.
pub(super) fn palette(f: &mut Frame, app: &App, input: &crate::tui::text::TextField, sel: &usize) {
    let t = app.theme;
    let screen = f.area();
    let area = centered(screen, 72, 18);
    clear_layer(f, area);
    let b = block(
        format!(
            "Commands · :w :q :wq :q! work too · {}",
            keys_line(app, Context::Palette, &[Cmd::Submit, Cmd::Cancel])
        ),
        true,
        t,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    let mut lines = vec![Line::from(vec![
        Span::styled(": ", t.accent()),
        Span::raw(input.value().to_string()),
    ])];
    for (i, (cmd, keys)) in palette_items(app, input.value())
        .iter()
        .enumerate()
        .take((inner.height as usize).saturating_sub(1))
    {
        let l = Line::from(vec![
            Span::raw(column(cmd.label(), 44)),
            Span::styled(column(cmd.name(), 16), t.dim()),
            Span::styled(keys.clone(), t.accent()),
        ]);
        lines.push(if i == *sel { l.style(t.selected()) } else { l });
    }
    f.render_widget(Paragraph::new(lines), inner);
    place_cursor(f, (inner.x + 2 + input.visual_cursor() as u16, inner.y));
}

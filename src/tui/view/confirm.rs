//! A question with its answers.

use super::*;
use crate::tui::app::Confirm;

/// A question with its answers.
pub(super) fn confirm(f: &mut Frame, app: &App, c: &Confirm) {
    let t = app.theme;
    let screen = f.area();
    let width = 72u16.min(screen.width);
    let text = Paragraph::new(c.text.clone()).wrap(Wrap { trim: true });
    let text_h = text.line_count(width.saturating_sub(2)) as u16;
    let height = text_h + c.choices.len() as u16 + 4;
    let area = centered(screen, width, height);
    clear_layer(f, area);
    let b = block(
        format!(
            "{} · {}",
            c.title,
            keys_line(app, Context::Confirm, &[Cmd::NextChoice, Cmd::Submit])
        ),
        true,
        t,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Length(text_h + 1), Constraint::Min(1)])
        .split(inner);
    f.render_widget(text, rows[0]);
    let lines: Vec<Line> = c
        .choices
        .iter()
        .enumerate()
        .map(|(i, (answer, what))| {
            let cmd = match answer {
                crate::tui::app::Answer::Yes => Cmd::Yes,
                crate::tui::app::Answer::No => Cmd::No,
                crate::tui::app::Answer::Cancel => Cmd::Cancel,
            };
            let key = app.keymap.key_for(Context::Confirm, cmd);
            let l = Line::from(vec![
                Span::styled(format!(" {key:>5} "), t.accent()),
                Span::raw(format!("{what} ")),
            ]);
            if i == c.sel { l.style(t.selected()) } else { l }
        })
        .collect();
    f.render_widget(Paragraph::new(lines), rows[1]);
}

//! The help overlay and the message log.

use super::*;

/// The help overlay, scrolled `scroll` lines.
pub(super) fn help(f: &mut Frame, app: &App, scroll: &usize) {
    let t = app.theme;
    let screen = f.area();
    let area = centered(screen, 100, screen.height.saturating_sub(2));
    clear_layer(f, area);
    let para = Paragraph::new(help_lines_for(app, area.width.saturating_sub(2) as usize))
        .wrap(Wrap { trim: false });
    let inner_h = area.height.saturating_sub(2) as usize;
    let total = para.line_count(area.width.saturating_sub(2));
    let scroll = (*scroll).min(total.saturating_sub(inner_h));
    f.render_widget(
        para.scroll((scroll as u16, 0)).block(block(
            format!(
                "Help · {}",
                keys_line(app, Context::Help, &[Cmd::Down, Cmd::Cancel])
            ),
            true,
            t,
        )),
        area,
    );
}

/// The message log, scrolled `scroll` lines from the newest.
pub(super) fn messages(f: &mut Frame, app: &App, scroll: &usize) {
    let t = app.theme;
    let area = overlay(f, u16::MAX);
    let b = block(
        format!(
            "Messages ({}) · newest last · {}",
            app.messages.len(),
            keys_line(app, Context::Help, &[Cmd::Up, Cmd::Cancel])
        ),
        true,
        t,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    let lines: Vec<Line> = app
        .messages
        .iter()
        .map(|m| {
            Line::from(vec![
                Span::styled(format!("{} ", m.at), t.dim()),
                Span::styled(
                    m.text.clone(),
                    if m.error { t.bad() } else { Style::default() },
                ),
            ])
        })
        .collect();
    let para = Paragraph::new(lines).wrap(Wrap { trim: false });
    let total = para.line_count(inner.width);
    let h = inner.height as usize;
    // Scrolled from the newest: 0 shows the end.
    let top = total.saturating_sub(h).saturating_sub(*scroll);
    f.render_widget(para.scroll((top as u16, 0)), inner);
}

/// The help overlay's lines: every context's keys from the keymap in force (what this person
/// may use), then the fixed text-editing keys.
pub fn help_lines(app: &App) -> Vec<Line<'static>> {
    help_lines_for(app, usize::MAX)
}

/// The help's lines for a pane `width` columns wide: a command's name stays last on its key's
/// line, its description wrapped in a narrower column when the pane is narrow (80×24).
pub fn help_lines_for(app: &App, width: usize) -> Vec<Line<'static>> {
    let t = app.theme;
    let name_w = Cmd::ALL.iter().map(|c| c.name().len()).max().unwrap_or(0);
    // Keys (2 + 14 + 1), the description and a space, the name.
    let label_w = 54.min(width.saturating_sub(18 + name_w)).max(20);
    let mut lines = Vec::new();
    let role = match &app.actor.role {
        crate::edit::Role::Designer => None,
        crate::edit::Role::Viewer => {
            Some("You follow the design as a viewer: keys that change it are not listed.")
        }
        crate::edit::Role::Partner(_) => Some(
            "As a partner you add and edit your organisation's needs and review their mappings; designers' keys are not listed.",
        ),
    };
    if let Some(r) = role {
        lines.push(Line::from(Span::styled(r, t.accent())));
    }
    if app.read_only.is_some() {
        lines.push(Line::from(Span::styled(
            "This copy is read-only: keys that change it are not listed.",
            t.accent(),
        )));
    }
    // The portfolio view has a help of its own.
    for ctx in Context::ALL
        .into_iter()
        .filter(|c| *c != Context::Portfolio)
    {
        let mut seen = Vec::new();
        let mut rows = Vec::new();
        for b in app.keymap.bindings().iter().filter(|b| b.context == ctx) {
            if seen.contains(&b.cmd) || !app.role_allows(b.cmd) {
                continue;
            }
            seen.push(b.cmd);
            let keys = app.keymap.keys_for(ctx, b.cmd).join(" ");
            if keys.is_empty() {
                continue;
            }
            let label = b.long_label();
            let parts = if label.chars().count() <= label_w {
                vec![label.to_string()]
            } else {
                crate::tui::wrap::wrap(label, label_w)
            };
            let first = parts.first().cloned().unwrap_or_default();
            rows.push(Line::from(vec![
                Span::styled(format!("  {keys:<14} "), t.accent()),
                Span::raw(format!("{first:<label_w$} ")),
                Span::styled(b.cmd.name(), t.dim()),
            ]));
            for more in parts.iter().skip(1) {
                rows.push(Line::from(format!("{:17}{more}", "")));
            }
        }
        if !rows.is_empty() {
            lines.push(Line::from(Span::styled(ctx.title(), t.title())));
            lines.extend(rows);
        }
    }
    lines.push(Line::from(Span::styled("Editing text", t.title())));
    for (k, d) in crate::tui::keys::TEXT_KEYS {
        lines.push(Line::from(vec![
            Span::styled(format!("  {k:<22} "), t.accent()),
            Span::raw(*d),
        ]));
    }
    lines.push(Line::from(Span::styled(
        "Commands without a key (type them in the palette)",
        t.title(),
    )));
    let unbound: Vec<&str> = Cmd::ALL
        .iter()
        .filter(|c| crate::tui::app::palette_cmd(**c) && app.role_allows(**c))
        .filter(|c| {
            Context::ALL
                .iter()
                .all(|ctx| app.keymap.keys_for(*ctx, **c).is_empty())
        })
        .map(|c| c.name())
        .collect();
    lines.push(Line::from(format!("  {}", unbound.join(", "))));
    lines.push(Line::from(Span::styled(
        "Mouse: click to select (and the tabs in the compact layout), wheel to scroll. NO_COLOR is respected.",
        t.dim(),
    )));
    lines
}

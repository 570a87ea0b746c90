//! The status area: messages, notices, presence and the hint bar.

use super::*;

/// The presence line: who is connected (served sessions only).
pub(super) fn presence_text(names: &[String]) -> String {
    if names.is_empty() {
        String::new()
    } else {
        format!("online: {} · ", names.join(", "))
    }
}

/// The hint bar: the keys that work here for this person, each with what it does.
pub fn hints(app: &App) -> Vec<String> {
    let ctx = app.context();
    // Moving is shown once (Tab), in help and the tabs; the bar keeps its room for actions.
    let moving = |c: Cmd| {
        (c.is_moving()
            || matches!(
                c,
                Cmd::PrevPane
                    | Cmd::PrevToDo
                    | Cmd::FocusNeeds
                    | Cmd::FocusMappings
                    | Cmd::FocusGaps
            ))
            && ctx.is_main()
    };
    app.context_keys()
        .iter()
        .filter(|b| !moving(b.cmd))
        .map(|b| {
            let keys = app.keymap.keys_for(ctx, b.cmd);
            let keys = keys.iter().take(2).cloned().collect::<Vec<_>>().join("/");
            format!("{keys} {}", b.label())
        })
        .collect()
}

pub(super) fn status(f: &mut Frame, app: &App, area: Rect) {
    let t = app.theme;
    let keys = hints(app);
    // The file's name (its folder is in the command that opened it).
    let name = app.path.as_ref().map_or("untitled".to_string(), |p| {
        p.file_name().map_or_else(
            || p.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        )
    });
    let dirty = if app.dirty { " [modified]" } else { "" };
    let zoomed = if app.zoom && app.view == View::Main {
        format!(" [zoomed: {} restores]", app.key_for(Cmd::Zoom))
    } else {
        String::new()
    };
    let trouble = match (&app.read_only, &app.save_error) {
        (Some(_), _) => " [read-only]",
        (None, Some(_)) => " [NOT SAVED]",
        (None, None) => "",
    };
    // The message comes first and gets the room it needs; who is online shrinks to a count.
    let width = area.width as usize;
    let file = format!("{name}{dirty}{zoomed}");
    let who = format!("  {} · {}", app.actor.name, app.theme.name());
    let online = match app.presence.len() {
        0 => String::new(),
        _ if presence_text(&app.presence).chars().count() + 4 < width / 2 => {
            format!(
                " · {}",
                presence_text(&app.presence).trim_end_matches(" · ")
            )
        }
        n => format!(" · {n} online"),
    };
    let right = format!("{file}{trouble}{who}{online}");
    let room = width.saturating_sub(right.chars().count().min(width / 2) + 2);
    let text = &app.status.text;
    let style = if app.status.error {
        t.bad()
    } else {
        t.accent()
    };
    let parts = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Length(1), Constraint::Length(1)])
        .split(area);
    let len = text.chars().count();
    let right_line = |left: Vec<Span<'static>>, used: usize| {
        let pad = width.saturating_sub(used + right.chars().count()).max(2);
        let mut spans = left;
        spans.extend([
            Span::raw(" ".repeat(pad)),
            Span::styled(file.clone(), t.title()),
            Span::styled(trouble, t.bad()),
            Span::styled(format!("{who}{online}"), t.dim()),
        ]);
        Line::from(spans)
    };
    if len > room {
        // A long message takes the hint line too (the hints come back with the next
        // message); the file, its state and who is online stay. Past that it is cut, saying
        // where to read it whole.
        let more = format!("… ({} to read all)", app.key_for(Cmd::Messages));
        let (first, rest) = split_words(text, width);
        let second = if rest.chars().count() > room {
            let keep = room.saturating_sub(more.chars().count());
            rest.chars().take(keep).collect::<String>() + &more
        } else {
            rest
        };
        let used = second.chars().count();
        f.render_widget(Paragraph::new(Span::styled(first, style)), parts[0]);
        f.render_widget(
            Paragraph::new(right_line(vec![Span::styled(second, style)], used)),
            parts[1],
        );
        return;
    }
    let line2 = right_line(vec![Span::styled(text.clone(), style)], len);
    let line1 = match app.notice_text() {
        // A partner's dispute or comment is worth more than the key hints.
        Some(n) if app.front().is_none() => Span::styled(n, t.warn().add_modifier(Modifier::BOLD)),
        _ => Span::styled(keys.join(" · "), t.dim()),
    };
    f.render_widget(Paragraph::new(line1), parts[0]);
    f.render_widget(Paragraph::new(line2), parts[1]);
}

/// `text` split at a space so that the first part has at most `width` characters (at `width`
/// when there is no space to split at).
pub(super) fn split_words(text: &str, width: usize) -> (String, String) {
    if text.chars().count() <= width {
        return (text.to_string(), String::new());
    }
    let cut: String = text.chars().take(width).collect();
    let at = match cut.rfind(' ') {
        Some(i) if i > width / 2 => i,
        _ => cut.len(),
    };
    let (a, b) = text.split_at(at);
    (a.trim_end().to_string(), b.trim_start().to_string())
}

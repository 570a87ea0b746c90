//! The status area: messages, notices, presence and the hint bar.

use super::*;
use ratatui::buffer::Buffer;

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
        .into_iter()
        .filter(|(b, _)| !moving(b.cmd))
        .map(|(_, text)| text)
        .collect()
}

pub(super) fn status(f: &mut Frame, app: &App, cache: &mut FrameCache, area: Rect) {
    let t = app.theme;
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
    // Everything is measured in terminal columns (a wide character takes two).
    let width = area.width as usize;
    let file = format!("{name}{dirty}{zoomed}");
    let who = format!("  {} · {}", app.actor.name, app.theme.name());
    let online = match app.presence.len() {
        0 => String::new(),
        _ if wrap::width(&presence_text(&app.presence)) + 4 < width / 2 => {
            format!(
                " · {}",
                presence_text(&app.presence).trim_end_matches(" · ")
            )
        }
        n => format!(" · {n} online"),
    };
    let right = format!("{file}{trouble}{who}{online}");
    let right_cols = wrap::width(&right);
    let room = width.saturating_sub(right_cols.min(width / 2) + 2);
    let text = &app.status.text;
    let style = if app.status.error {
        t.bad()
    } else {
        t.accent()
    };
    let len = wrap::width(text);
    let right_line = |left: Vec<Span<'static>>, used: usize| {
        let pad = width.saturating_sub(used + right_cols).max(2);
        let mut spans = left;
        spans.extend([
            Span::raw(" ".repeat(pad)),
            Span::styled(file.clone(), t.title()),
            Span::styled(trouble, t.bad()),
            Span::styled(format!("{who}{online}"), t.dim()),
        ]);
        Line::from(spans)
    };
    let key = if len > room {
        // A long message takes the hint line too (the hints come back with the next
        // message); the file, its state and who is online stay. Past that it is cut, saying
        // where to read it whole: its start is what shows.
        let (first, second) = long_message(text, width, room, &app.key_for(Cmd::Messages));
        let used = wrap::width(&second);
        StatusKey(
            Line::from(Span::styled(first, style)),
            right_line(vec![Span::styled(second, style)], used),
        )
    } else {
        let line2 = right_line(vec![Span::styled(text.clone(), style)], len);
        let line1 = match app.notice_parts() {
            // A partner's dispute or comment is worth more than the key hints; what happened
            // is cut to keep how many more there are and the key for the feed.
            Some((what, rest)) if app.front().is_none() => Span::styled(
                format!(
                    "{}{rest}",
                    fit(&what, width.saturating_sub(wrap::width(&rest)))
                ),
                t.warn().add_modifier(Modifier::BOLD),
            ),
            _ => Span::styled(hints(app).join(" · "), t.dim()),
        };
        StatusKey(Line::from(line1), line2)
    };
    cache.pane(
        Pane::Status,
        |c| &mut c.status,
        f.buffer_mut(),
        area,
        key,
        StatusKey::paint,
    );
}

/// The status line's two rows: everything its drawing reads (see [`FrameCache`]).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct StatusKey(Line<'static>, Line<'static>);

impl StatusKey {
    fn paint(&self, area: Rect, buf: &mut Buffer) {
        use ratatui::widgets::Widget;
        let parts = Layout::default()
            .direction(Direction::Vertical)
            .constraints([Constraint::Length(1), Constraint::Length(1)])
            .split(area);
        Paragraph::new(self.0.clone()).render(parts[0], buf);
        Paragraph::new(self.1.clone()).render(parts[1], buf);
    }
}

/// A message too long for the status line on two lines: the first `width` columns wide, the
/// second `room` columns, wrapped at spaces. When it does not fit, the second line ends with
/// `…` and says which key (`messages`) shows it whole; its start is always what is shown.
fn long_message(text: &str, width: usize, room: usize, messages: &str) -> (String, String) {
    let whole = wrap::hanging(text, width, room, 3);
    if whole.len() <= 2 {
        let mut lines = whole.into_iter();
        return (
            lines.next().unwrap_or_default(),
            lines.next().unwrap_or_default(),
        );
    }
    // Cut: room for the key that shows it whole.
    let more = format!(" ({messages} to read all)");
    let keep = room.saturating_sub(wrap::width(&more));
    let mut lines = wrap::hanging(text, width, keep.max(1), 2).into_iter();
    let first = lines.next().unwrap_or_default();
    let second = lines.next().unwrap_or_default();
    (first, format!("{second}{more}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_message_shows_its_start_and_ends_with_an_ellipsis() {
        // 80 columns, 38 beside the file and who is online; wide characters take two.
        let text = format!(
            "Commented on N13 \"配線は屋外機の専用ブレーカーへ…\" → Install heat pumps \
             (esco:6575ae00…): {}",
            "the outdoor unit needs its own breaker and a disconnect within sight ".repeat(3)
        );
        let (first, second) = long_message(&text, 80, 38, ":messages");
        assert!(first.starts_with("Commented on N13"), "{first}");
        assert!(wrap::width(&first) <= 80, "{first}");
        assert!(wrap::width(&second) <= 38, "{second}");
        assert!(second.ends_with("… (:messages to read all)"), "{second}");
        // What fits in two lines is shown whole, with no ellipsis.
        let (a, b) = long_message("Saved w.yaml and exported it to three formats", 20, 30, "M");
        assert_eq!(
            format!("{a} {b}"),
            "Saved w.yaml and exported it to three formats"
        );
    }
}

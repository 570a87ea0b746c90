//! The dot vote view.

use super::*;

/// The dot vote view: the vote's state, this person's dots left, then the needs (or candidate
/// competencies) voted on with their dots as a bar (only this person's organisation's while
/// the tally is hidden from them). Only the rows on screen are drawn; the tally is made once
/// per version.
pub(super) fn vote(f: &mut Frame, app: &App, view: &crate::tui::vote::VoteView) {
    use crate::tui::vote::{sees_tally, voting_for};
    let t = app.theme;
    let screen = f.area();
    let sheet = app.vote_sheet();
    let ws = &app.ws;
    let v = ws.votes.last();
    let area = centered(screen, 100, (sheet.len().max(1) as u16 + 6).max(10));
    clear_layer(f, area);
    let cmds: &[Cmd] = match (&app.actor.role, v.map(|v| v.is_open())) {
        (Role::Designer, Some(true)) => &[
            Cmd::PlaceDot,
            Cmd::RemoveDot,
            Cmd::VoteFor,
            Cmd::CloseVote,
            Cmd::Cancel,
        ],
        (Role::Designer, Some(false)) => {
            &[Cmd::ApplyVote, Cmd::CloseVote, Cmd::OpenVote, Cmd::Cancel]
        }
        (Role::Designer, None) => &[Cmd::OpenVote, Cmd::Cancel],
        (Role::Partner(_), Some(true)) => &[Cmd::PlaceDot, Cmd::RemoveDot, Cmd::Cancel],
        _ => &[Cmd::Cancel],
    };
    let b = block(
        format!("Dot vote · {}", keys_line(app, Context::Vote, cmds)),
        true,
        t,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    let width = inner.width as usize;
    let sees = sees_tally(ws);
    let mine = voting_for(ws, &app.actor.role, view);
    let tally = &sheet.tally;
    let mut lines: Vec<Line> = Vec::new();
    match v {
        None => lines.push(Line::from(Span::styled(
            fit(
                &format!(
                    "No vote yet. A designer opens one ({}): each partner organisation gets dots to place on the needs it cares most about.",
                    app.keymap.key_for(Context::Vote, Cmd::OpenVote)
                ),
                width,
            ),
            t.dim(),
        ))),
        Some(v) => {
            let scope = if sheet.over_competencies() {
                format!("{} candidates", v.candidates.len())
            } else {
                v.partner
                    .as_ref()
                    .map_or("all needs".to_string(), |p| format!("{p}'s needs"))
            };
            let shown = if v.hidden {
                "tally hidden until closed"
            } else {
                "tally shown live"
            };
            let state = match (&v.closed_at, &v.closed_by) {
                (None, _) => "OPEN".to_string(),
                (Some(at), by) => format!(
                    "CLOSED by {} at {}",
                    by.as_deref().unwrap_or("?"),
                    at.get(..16).unwrap_or(at)
                ),
            };
            let style = if v.is_open() { t.good() } else { t.warn() };
            let rest = if sees {
                format!(
                    " · {} dots per partner · {scope} · {shown} · {} dots from {} partner(s)",
                    v.dots, tally.total, sheet.voters
                )
            } else {
                format!(" · {} dots per partner · {scope} · {shown}", v.dots)
            };
            let state_w = state.chars().count();
            lines.push(Line::from(vec![
                Span::styled(state, style),
                Span::raw(fit(&rest, width.saturating_sub(state_w))),
            ]));
            let who = match (&app.actor.role, mine) {
                (Role::Viewer, _) => "You follow the vote; partners place the dots.".to_string(),
                (_, None) => "Add a partner first: dots are a partner's.".to_string(),
                (Role::Partner(_), Some(org)) if !v.is_open() => format!(
                    "{org} placed {} of its {} dots.",
                    tally.partner(org),
                    v.dots
                ),
                (_, Some(_)) if !v.is_open() => {
                    "The vote is closed; its dots no longer change.".to_string()
                }
                (role, Some(org)) => {
                    let left = (v.dots as usize).saturating_sub(tally.partner(org));
                    let lead = if *role == Role::Designer {
                        format!("Placing dots for {org} (f: another partner)")
                    } else {
                        format!("You vote for {org}")
                    };
                    format!("{lead}: {left} of {} dots left.", v.dots)
                }
            };
            lines.push(Line::from(Span::styled(fit(&who, width), t.accent())));
            if !sees {
                lines.push(Line::from(Span::styled(
                    fit(
                        &if app.actor.role == Role::Viewer {
                            format!(
                                "The tally is hidden until the vote closes: {} dots cast so far.",
                                tally.total
                            )
                        } else {
                            format!(
                                "The tally is hidden until the vote closes: {} dots cast so far; you see only your own.",
                                tally.total
                            )
                        },
                        width,
                    ),
                    t.dim(),
                )));
            } else if !v.is_open() && app.actor.role == Role::Designer {
                let key = app.keymap.key_for(Context::Vote, Cmd::ApplyVote);
                let text = if sheet.over_competencies() {
                    format!(
                        "{} candidate(s) proposed as needs from the result — {key} shows them. {} candidate(s) got no dots.",
                        sheet.promoted.len(),
                        sheet.unvoted
                    )
                } else {
                    format!(
                        "{} priority change(s) proposed from the result — {key} shows them.",
                        sheet.proposed.len()
                    )
                };
                lines.push(Line::from(Span::styled(fit(&text, width), t.dim())));
            }
        }
    }
    lines.push(Line::from(""));
    let head = lines.len();
    let h = (inner.height as usize).saturating_sub(head);
    let cap = v.map_or(3, |v| v.dots as usize).max(tally.max).clamp(1, 20);
    let off = offset(view.sel, h);
    let yours = |count: usize, own: usize| {
        if mine.is_some() && app.actor.role != Role::Viewer && v.is_some() {
            if sees {
                format!("{count:>2} (yours {own})")
            } else {
                format!("{own:>2} yours")
            }
        } else {
            format!("{count:>2}")
        }
    };
    // The dots on a target: all of them while the tally is shown, else this organisation's;
    // with this organisation's and the bar.
    let dots = |target: &str| {
        let own = mine.map_or(0, |org| tally.on_by(target, org));
        let count = if sees { tally.on(target) } else { own };
        let bar = format!(
            "{}{}",
            "●".repeat(count.min(cap)),
            "·".repeat(cap.saturating_sub(count))
        );
        (count, own, bar)
    };
    let closed = v.is_some_and(|v| !v.is_open());
    if sheet.over_competencies() {
        for (pos, c) in sheet.candidates.iter().enumerate().skip(off).take(h) {
            let (count, own, bar) = dots(&c.reference);
            let mark = match (c.covered, c.in_credential) {
                (true, true) => "need+cred",
                (true, false) => "need",
                (false, true) => "cred only",
                (false, false) => "in demand",
            };
            let tallied = if closed && sees && count == 0 {
                "no dots".to_string()
            } else {
                yours(count, own)
            };
            let used = 10 + cap + 1 + 14;
            let room = width.saturating_sub(used);
            let name = if c.name.is_empty() { "?" } else { &c.name };
            let name = fit(name, room);
            let reference = fit(
                &format!(" {}", c.reference),
                room.saturating_sub(name.chars().count()),
            );
            let l = Line::from(vec![
                Span::styled(column(mark, 10), t.dim()),
                Span::styled(format!("{bar} "), t.good()),
                Span::raw(column(&tallied, 14)),
                Span::raw(name),
                Span::styled(reference, t.dim()),
            ]);
            lines.push(if pos == view.sel {
                l.style(t.selected())
            } else {
                l
            });
        }
        if sheet.candidates.is_empty() {
            lines.push(Line::from(Span::styled("No candidates.", t.dim())));
        }
        f.render_widget(Paragraph::new(lines), inner);
        return;
    }
    for (pos, &i) in sheet.needs.iter().enumerate().skip(off).take(h) {
        let n = &ws.needs[i];
        let (count, own, bar) = dots(&n.id);
        let yours = yours(count, own);
        let used = 10 + cap + 1 + 14 + 6;
        let l = Line::from(vec![
            Span::styled(column(&short_id(&n.id), 10), t.accent()),
            Span::styled(format!("{bar} "), t.good()),
            Span::raw(column(&yours, 14)),
            Span::styled(column(priority_label(n.priority), 6), t.dim()),
            Span::raw(fit(&n.statement, width.saturating_sub(used))),
        ]);
        lines.push(if pos == view.sel {
            l.style(t.selected())
        } else {
            l
        });
    }
    if sheet.needs.is_empty() {
        lines.push(Line::from(Span::styled(
            "No needs to vote on yet.",
            t.dim(),
        )));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

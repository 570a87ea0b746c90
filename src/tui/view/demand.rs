//! The demand view: competencies job postings mention.

use super::main::count;
use super::*;

/// The demand view: the competencies job postings mention, most mentioned first, and the
/// selected one's postings, partners, covering needs and quotes.
pub(super) fn demand(f: &mut Frame, app: &App, view: &crate::tui::demand::DemandView) {
    let t = app.theme;
    let screen = f.area();
    let sheet = app.demand_sheet();
    let d = &sheet.demand;
    let area = centered(screen, 120, screen.height.saturating_sub(2).max(10));
    clear_layer(f, area);
    let cmds: &[Cmd] = if app.role_allows(Cmd::NeedFromDemand) {
        &[
            Cmd::NeedFromDemand,
            Cmd::OnlyUncovered,
            Cmd::AddPostings,
            Cmd::Open,
            Cmd::Cancel,
        ]
    } else {
        &[Cmd::OnlyUncovered, Cmd::Open, Cmd::Cancel]
    };
    let b = block(
        format!("Demand · {}", keys_line(app, Context::Demand, cmds)),
        true,
        t,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    let width = inner.width as usize;
    let mut head: Vec<Line> = Vec::new();
    if d.postings == 0 {
        let add = if app.role_allows(Cmd::AddPostings) {
            format!(
                " {} adds postings (a file, a folder, or a CSV);",
                app.keymap.key_for(Context::Demand, Cmd::AddPostings)
            )
        } else {
            String::new()
        };
        head.push(Line::from(Span::styled(
            fit(
                &format!(
                    "No job postings yet.{add} `microcred evidence add` adds them from a script."
                ),
                width,
            ),
            t.dim(),
        )));
        f.render_widget(Paragraph::new(head), inner);
        return;
    }
    head.push(Line::from(vec![
        Span::styled(format!("{} job postings", d.postings), t.title()),
        Span::raw(fit(
            &format!(
                " mention {} competencies · {} in demand, not in the design · coverage {:.1}% by evidence, {:.1}% by priority",
                d.competencies.len(),
                d.uncovered.len(),
                sheet.support.evidence_coverage_percent,
                app.report.coverage_percent
            ),
            width.saturating_sub(d.postings.to_string().len() + 13),
        )),
    ]));
    head.push(Line::from(Span::styled(
        fit(
            if view.only_uncovered {
                "Showing only what is in demand (2+ postings) and no need covers yet · ● covered ○ in demand · mentioned once"
            } else {
                "Most mentioned first · ● covered by a need ○ in demand, not in the design · mentioned once"
            },
            width,
        ),
        t.dim(),
    )));
    let parts = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Length(3), Constraint::Min(1)])
        .split(inner);
    f.render_widget(Paragraph::new(head), parts[0]);
    let wide = inner.width >= 100;
    let split = Layout::default()
        .direction(if wide {
            Direction::Horizontal
        } else {
            Direction::Vertical
        })
        .constraints(if wide {
            [Constraint::Percentage(55), Constraint::Percentage(45)]
        } else {
            [Constraint::Percentage(45), Constraint::Percentage(55)]
        })
        .split(parts[1]);
    let (list, detail) = (split[0], split[1]);
    let rows = sheet.rows(view.only_uncovered);
    let sel = view.sel.min(rows.len().saturating_sub(1));
    let lw = list.width as usize;
    let h = list.height as usize;
    let off = offset(sel, h);
    let mut lines: Vec<Line> = Vec::new();
    for (pos, &r) in rows.iter().enumerate().skip(off).take(h) {
        let s = &d.competencies[r];
        let (sym, st) = if s.covered {
            ("●", t.good())
        } else if sheet.in_demand_uncovered(r) {
            ("○", t.warn())
        } else {
            ("·", t.dim())
        };
        let name = app
            .catalog
            .resolve(&s.competency)
            .map_or_else(|| s.competency.clone(), |(_, c)| c.name.clone());
        let needs = if s.covered {
            sheet.covering[r].join(" ")
        } else {
            String::new()
        };
        let needs = fit(&needs, 12);
        let used = 4 + 2 + 13;
        let l = Line::from(vec![
            Span::styled(format!("{:>3} ", s.postings), t.accent()),
            Span::styled(format!("{sym} "), st),
            Span::raw(column(&name, lw.saturating_sub(used))),
            Span::styled(needs, t.dim()),
        ]);
        lines.push(if pos == sel { l.style(t.selected()) } else { l });
    }
    if rows.is_empty() {
        lines.push(Line::from(Span::styled(
            "Every competency in demand is covered by a need.",
            t.good(),
        )));
    }
    f.render_widget(Paragraph::new(lines), list);
    let Some(&r) = rows.get(sel) else {
        return;
    };
    let s = &d.competencies[r];
    let dw = (detail.width as usize).saturating_sub(if wide { 2 } else { 0 });
    let pad = if wide { "  " } else { "" };
    let mut lines: Vec<Line> = Vec::new();
    let name = app
        .catalog
        .resolve(&s.competency)
        .map_or_else(|| s.competency.clone(), |(_, c)| c.name.clone());
    if wide {
        for l in wrap::wrap(&name, dw) {
            lines.push(Line::from(vec![Span::raw(pad), Span::styled(l, t.title())]));
        }
        lines.push(Line::from(vec![
            Span::raw(pad),
            Span::styled(fit(&s.competency, dw), t.dim()),
        ]));
    } else {
        // Narrow: a rule, then the name and reference on one line, to leave room for quotes.
        lines.push(Line::from(Span::styled("─".repeat(dw), t.dim())));
        let name_w = wrap::width(&name).min(dw);
        lines.push(Line::from(vec![
            Span::styled(fit(&name, dw), t.title()),
            Span::styled(
                fit(&format!(" {}", s.competency), dw.saturating_sub(name_w)),
                t.dim(),
            ),
        ]));
    }
    let partners: Vec<String> = s
        .partners
        .iter()
        .map(|p| app.ws.partner(p).map_or(p.clone(), |x| x.name.clone()))
        .collect();
    let mut facts = count(s.postings, "posting");
    if !partners.is_empty() {
        facts.push_str(&format!(" · from {}", partners.join(", ")));
    }
    if let Some(n) = &s.newest {
        facts.push_str(&format!(" · newest {n}"));
    }
    for l in wrap::wrap(&facts, dw) {
        lines.push(Line::from(vec![Span::raw(pad), Span::raw(l)]));
    }
    let cover = if s.covered {
        (
            format!(
                "Covered by {} (Enter goes there).",
                sheet.covering[r].join(", ")
            ),
            t.good(),
        )
    } else if app.role_allows(Cmd::NeedFromDemand) {
        (
            format!(
                "No need covers it: {} makes it a need, mapped to it.",
                app.keymap.key_for(Context::Demand, Cmd::NeedFromDemand)
            ),
            t.warn(),
        )
    } else {
        ("No need covers it yet.".to_string(), t.warn())
    };
    for l in wrap::wrap(&cover.0, dw) {
        lines.push(Line::from(vec![Span::raw(pad), Span::styled(l, cover.1)]));
    }
    if wide {
        lines.push(Line::from(""));
        lines.push(Line::from(vec![
            Span::raw(pad),
            Span::styled("What the postings say:", t.dim()),
        ]));
    }
    let room = detail.height as usize;
    let mut last = None;
    for (i, q) in &sheet.quotes[r] {
        if lines.len() >= room {
            break;
        }
        if last != Some(*i) {
            last = Some(*i);
            let p = &app.ws.postings[*i];
            let mut who = p.id.clone();
            if let Some(date) = &p.date {
                who.push_str(&format!(" {date}"));
            }
            who.push_str(&format!(" {}", p.title));
            if let Some(partner) = &p.partner {
                let name = app
                    .ws
                    .partner(partner)
                    .map_or(partner.as_str(), |x| x.name.as_str());
                who.push_str(&format!(" ({name})"));
            }
            lines.push(Line::from(vec![
                Span::raw(pad),
                Span::styled(fit(&who, dw), t.accent()),
            ]));
        }
        for l in wrap::wrap(&format!("“{q}”"), dw.saturating_sub(2)) {
            lines.push(Line::from(vec![
                Span::raw(pad),
                Span::raw("  "),
                Span::raw(l),
            ]));
        }
    }
    lines.truncate(room);
    f.render_widget(Paragraph::new(lines), detail);
}

//! The main screen's panes: the tabs of the compact layout, needs, mappings and gaps.

use super::*;
use ratatui::buffer::Buffer;

pub(super) fn tabs(f: &mut Frame, app: &App, area: Rect) {
    let t = app.theme;
    let mut spans = Vec::new();
    for (label, focus, _) in app.tabs() {
        let style = if app.focus == focus && app.view == View::Main {
            t.selected()
        } else {
            Style::default()
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    spans.push(Span::styled(
        if app.report.needs.is_empty() {
            " Coverage: nothing to cover yet ".to_string()
        } else {
            format!(" Coverage {:.0}% ", app.report.coverage_percent)
        },
        t.accent(),
    ));
    spans.push(Span::styled(
        format!("  {} switches", app.key_for(Cmd::NextPane)),
        t.dim(),
    ));
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Rows of the needs pane at `width`×`height` inside its borders: partner headings (None)
/// and the rows of each need (index into need_order), its statement wrapped after its lead.
pub(super) fn need_rows(
    app: &App,
    width: usize,
    rows: Vec<(NeedRow, Vec<String>)>,
    window: (usize, usize),
) -> Vec<(Option<usize>, Line<'static>)> {
    let t = app.theme;
    let order = app.need_order();
    let support_cols = app.support_cols();
    let sheet = (support_cols > 0).then(|| app.demand_sheet());
    window_lines(rows, window, |row, lines, out| match row {
        NeedRow::Partner(id) => {
            let name = app.ws.partner(&id).map_or(id, |p| p.name.clone());
            out.push((
                None,
                Line::from(Span::styled(
                    fit(&name, width),
                    t.accent().add_modifier(Modifier::BOLD),
                )),
            ));
        }
        NeedRow::Offscreen => out.push((None, Line::default())),
        NeedRow::NoNeeds => out.push((
            None,
            Line::from(Span::styled(
                fit(
                    &if app.role_allows(Cmd::AddNeed) {
                        format!("   no needs yet ({} adds one)", app.key_for(Cmd::AddNeed))
                    } else {
                        "   no needs yet".to_string()
                    },
                    width,
                ),
                t.dim(),
            )),
        )),
        NeedRow::Need(pos) => {
            let i = order[pos];
            let n = &app.ws.needs[i];
            let status = app
                .report
                .needs
                .get(i)
                .map_or(NeedStatus::Uncovered, |g| g.status);
            let (sym, st) = t.need_status(status);
            let lead = need_lead(&n.id) + support_cols;
            for (k, text) in lines.into_iter().enumerate() {
                let line = if k == 0 {
                    let mut spans = vec![
                        Span::styled(format!(" {sym} "), st),
                        Span::styled(
                            format!("{:<5} ", priority_label(n.priority)),
                            if n.priority == crate::model::Priority::Must {
                                t.title()
                            } else {
                                t.dim()
                            },
                        ),
                    ];
                    if let Some(sheet) = &sheet {
                        let (p, k) = sheet
                            .need(&n.id)
                            .map_or((1, 0), |s| (s.partners.len(), s.postings));
                        spans.push(Span::styled(
                            column(&format!("{p}·{k}"), SUPPORT_COLS),
                            if p > 1 || k > 0 { t.accent() } else { t.dim() },
                        ));
                    }
                    spans.push(Span::styled(format!("{} ", short_id(&n.id)), t.dim()));
                    spans.push(Span::raw(text));
                    Line::from(spans)
                } else {
                    Line::from(vec![Span::raw(" ".repeat(lead)), Span::raw(text)])
                };
                out.push((Some(pos), line));
            }
        }
    })
}

/// The lines of the list `rows` (each a row and its lines of text; a row without lines takes
/// one) that fall in `window` (its first line and height), each row made into lines by `make`;
/// rows outside the window are never made into lines: the cost follows the screen.
fn window_lines<R>(
    rows: Vec<(R, Vec<String>)>,
    window: (usize, usize),
    mut make: impl FnMut(R, Vec<String>, &mut Vec<(Option<usize>, Line<'static>)>),
) -> Vec<(Option<usize>, Line<'static>)> {
    let mut out = Vec::new();
    let mut at = 0;
    for (row, lines) in rows {
        let n = lines.len().max(1);
        if at + n <= window.0 {
            at += n;
            continue;
        }
        if at >= window.0 + window.1 {
            break;
        }
        // The first row in the window may start above it: its lines above are left out.
        let skip = window.0.saturating_sub(at);
        let start = out.len();
        at += n;
        make(row, lines, &mut out);
        out.drain(start..start + skip.min(out.len() - start));
    }
    out.truncate(window.1);
    out
}

/// The needs pane, its list starting at row `off`.
pub(super) fn needs(
    f: &mut Frame,
    app: &App,
    cache: &mut FrameCache,
    area: Rect,
    off: usize,
    rows: Vec<(NeedRow, Vec<String>)>,
) {
    if area.width == 0 {
        return;
    }
    let t = app.theme;
    let focused = app.focus == Focus::Needs;
    let title = if app.support_cols() > 0 {
        format!(
            "Needs ({}) · 2·5: partners·postings · ● covered ◐ partial ○ uncovered",
            app.ws.needs.len()
        )
    } else {
        format!(
            "Needs ({}) · ● covered ◐ partial ○ uncovered",
            app.ws.needs.len()
        )
    };
    let inner = block(String::new(), focused, t).inner(area);
    let empty = rows.is_empty();
    let rows = need_rows(
        app,
        inner.width as usize,
        rows,
        (off, inner.height as usize),
    );
    let title = Span::styled(title, t.title());
    let key = if empty {
        let msg = if app.ws.partners.is_empty() {
            invite(app, Cmd::AddPartner, "No partners yet", "add one")
        } else {
            invite(app, Cmd::AddNeed, "No needs yet", "add one")
        };
        Framed {
            wrap: true,
            ..Framed::new(
                title,
                t.border(focused),
                vec![Line::from(Span::styled(msg, t.dim()))],
            )
        }
    } else {
        let lines: Vec<Line> = rows
            .into_iter()
            .map(|(item, l)| {
                if item == Some(app.need_sel) {
                    l.style(if focused {
                        t.selected()
                    } else {
                        Style::default().add_modifier(Modifier::BOLD)
                    })
                } else {
                    l
                }
            })
            .collect();
        Framed::new(title, t.border(focused), lines)
    };
    cache.pane(
        Pane::Needs,
        |c| &mut c.needs,
        f.buffer_mut(),
        area,
        key,
        Framed::paint,
    );
}

/// "`state`: press KEY to `what`." when this person may run `cmd`, else "`state`."
fn invite(app: &App, cmd: Cmd, state: &str, what: &str) -> String {
    if app.role_allows(cmd) {
        format!("{state}: press {} to {what}.", app.key_for(cmd))
    } else {
        format!("{state}.")
    }
}

/// `n` and `noun`, plural when `n` is not 1 ("1 posting", "5 postings").
pub(super) fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The selected need's mappings, scrolled to row `off`: each mapping's competency (name, then
/// shortened id) and facts; the selected one's whole name, rationale and comments, wrapped.
pub(super) fn mappings(f: &mut Frame, app: &App, cache: &mut FrameCache, area: Rect, off: usize) {
    if area.width == 0 {
        return;
    }
    let t = app.theme;
    let focused = app.focus == Focus::Mappings;
    let need = app.selected_need();
    let sheet = (!app.ws.postings.is_empty() || !app.ws.votes.is_empty())
        .then(|| app.demand_sheet())
        .filter(|s| s.any);
    let title = match (need, &sheet) {
        (Some(n), Some(sheet)) => {
            let (p, k) = sheet
                .need(&n.id)
                .map_or((1, 0), |s| (s.partners.len(), s.postings));
            format!(
                "Mappings of {} · {} · {} · ✓ agreed ? proposed ! disputed ✗ rejected",
                short_id(&n.id),
                count(p, "partner"),
                count(k, "posting")
            )
        }
        (Some(n), None) => format!(
            "Mappings of {} · ✓ agreed ? proposed ! disputed ✗ rejected",
            short_id(&n.id)
        ),
        (None, _) => "Mappings".to_string(),
    };
    let inner = block(String::new(), focused, t).inner(area);
    let mut key = Framed::new(
        Span::styled(title, t.title()),
        t.border(focused),
        Vec::new(),
    );
    if need.is_none() {
        key.lines = vec![Line::from(Span::styled("Select a need.", t.dim()))];
        draw_mappings(f, cache, area, key);
        return;
    }
    let width = inner.width as usize;
    let idx = app.selected_mappings();
    if idx.is_empty() {
        key.lines = vec![Line::from(Span::styled(
            invite(app, Cmd::MapNeed, "Not mapped yet", "find a competency"),
            t.dim(),
        ))];
        key.wrap = true;
        draw_mappings(f, cache, area, key);
        return;
    }
    let indent = |n: usize| Span::raw(" ".repeat(n));
    let mut lines = Vec::new();
    // Rows up to one past the pane's last are laid out (the one past says there is more).
    let budget = off + inner.height as usize + 1;
    for (pos, row) in app.mapping_lines(width, budget) {
        let Some(m) = idx.get(pos).map(|&i| &app.ws.mappings[i]) else {
            continue;
        };
        let (sym, st) = t.mapping_status(m.status);
        let cc = app.credential_competency(&m.competency);
        let head = matches!(row, MapLine::Name { .. } | MapLine::Facts);
        let mut line = match row {
            MapLine::Name { text, first: true } => Line::from(vec![
                Span::styled(format!(" {sym} "), st),
                Span::styled(format!("{:<9}", m.status.as_str()), st),
                Span::raw(text),
            ]),
            MapLine::Name { text, .. } => Line::from(vec![indent(MAPPING_LEAD), Span::raw(text)]),
            MapLine::Facts => {
                let target = cc.map_or("–".to_string(), |c| c.target_level.to_string());
                let req = m.required_level.map_or("–".to_string(), |l| l.to_string());
                let gap =
                    matches!((cc, m.required_level), (Some(c), Some(r)) if c.target_level < r);
                let mut facts = vec![
                    indent(MAPPING_INDENT),
                    Span::styled(
                        format!("required {req} · target {target}"),
                        if gap { t.bad() } else { t.dim() },
                    ),
                ];
                if !m.comments.is_empty() {
                    facts.push(Span::styled(
                        format!(" · {} comment(s)", m.comments.len()),
                        t.accent(),
                    ));
                }
                if cc.is_none() {
                    facts.push(Span::styled(" · not in credential", t.warn()));
                }
                if let Some(sheet) = &sheet {
                    let k = sheet.postings_of(&m.competency);
                    if k > 0 {
                        facts.push(Span::styled(format!(" · {}", count(k, "posting")), t.dim()));
                    }
                }
                Line::from(facts)
            }
            MapLine::Status => {
                let by = m.status_by.as_deref().unwrap_or_default();
                let when = m
                    .status_at
                    .as_deref()
                    .map_or(String::new(), |at| format!(" · {}", short_time(at)));
                Line::from(vec![
                    indent(MAPPING_INDENT),
                    Span::styled(format!("{} by {by}{when}", m.status.as_str()), t.dim()),
                ])
            }
            MapLine::Why { text, first } => Line::from(vec![
                indent(MAPPING_INDENT),
                Span::styled(if first { "why: " } else { "     " }, t.dim()),
                Span::styled(text, t.dim()),
            ]),
            MapLine::Comment { index, text, first } => {
                let by = m.comments.get(index).map_or("", |c| c.by.as_str());
                if first {
                    Line::from(vec![
                        indent(MAPPING_INDENT),
                        Span::styled(format!("{by}: "), t.accent()),
                        Span::raw(text),
                    ])
                } else {
                    Line::from(vec![indent(COMMENT_INDENT), Span::raw(text)])
                }
            }
        };
        if pos == app.map_sel && focused && head {
            line = line.style(t.selected());
        }
        lines.push(line);
    }
    if lines.len() > off + inner.height as usize {
        // Rows below the pane: say so on its bottom border, with the keys that show them.
        let keys = if app.zoom {
            " ▼ more below · C-d scrolls "
        } else {
            " ▼ more below · + zooms · C-d scrolls "
        };
        key.bottom = Some((t.border(focused), Span::styled(keys, t.accent())));
    }
    key.lines = lines;
    key.scroll = off as u16;
    draw_mappings(f, cache, area, key);
}

/// The mappings pane drawn from `key`, or copied (see [`FrameCache`]).
fn draw_mappings(f: &mut Frame, cache: &mut FrameCache, area: Rect, key: Framed) {
    cache.pane(
        Pane::Mappings,
        |c| &mut c.mappings,
        f.buffer_mut(),
        area,
        key,
        Framed::paint,
    );
}

/// Rows of the gap list at `width` columns: section headings (None) and the rows of each line
/// (index into gap_lines); the selected line is wrapped in full.
pub(super) fn gap_rows(
    app: &App,
    width: usize,
    rows: Vec<(GapRow, Vec<String>)>,
    window: (usize, usize),
) -> Vec<(Option<usize>, Line<'static>)> {
    let t = app.theme;
    window_lines(rows, window, |row, lines, out| {
        if lines.is_empty() {
            // A row more than a screen from the selection: never drawn.
            out.push((None, Line::default()));
            return;
        }
        match row {
            GapRow::Section(section) => {
                let count = app.gap_section_count(section);
                let heading = if section == "Workload" {
                    section.to_string()
                } else {
                    format!("{section} ({count})")
                };
                out.push((
                    None,
                    Line::from(Span::styled(fit(&heading, width), t.title())),
                ));
            }
            GapRow::Line(i) => {
                let g = &app.gap_lines[i];
                let style = if g.critical {
                    t.bad()
                } else {
                    Style::default()
                };
                let mark = if g.critical { " ! " } else { " · " };
                for (k, text) in lines.into_iter().enumerate() {
                    let lead = if k == 0 {
                        mark.to_string()
                    } else {
                        " ".repeat(GAP_LEAD)
                    };
                    out.push((
                        Some(i),
                        Line::from(vec![Span::styled(lead, style), Span::styled(text, style)]),
                    ));
                }
            }
        }
    })
}

/// The gaps pane, its list starting at row `off`.
pub(super) fn gaps(
    f: &mut Frame,
    app: &App,
    cache: &mut FrameCache,
    area: Rect,
    off: usize,
    rows: Vec<(GapRow, Vec<String>)>,
) {
    if area.width == 0 {
        return;
    }
    let t = app.theme;
    let focused = app.focus == Focus::Gaps;
    let total = app.gap_total();
    let title = Span::styled(
        format!("Gaps ({total}) · Enter jumps to the fix"),
        t.title(),
    );
    let inner = block(String::new(), focused, t).inner(area);
    let mut key = GapsKey {
        title,
        border: t.border(focused),
        body: None,
    };
    if inner.height >= 3 {
        key.body = Some(gaps_body(app, focused, inner, off, rows));
    }
    cache.pane(
        Pane::Gaps,
        |c| &mut c.gaps,
        f.buffer_mut(),
        area,
        key,
        GapsKey::paint,
    );
}

/// What the gaps pane shows inside its frame (`inner`): the gauge, the summary, the list.
fn gaps_body(
    app: &App,
    focused: bool,
    inner: Rect,
    off: usize,
    rows: Vec<(GapRow, Vec<String>)>,
) -> GapsBody {
    let t = app.theme;
    let r = &app.report;
    let parts = GapsKey::parts(inner);
    let (coverage, by) = if app.by_evidence {
        (
            app.demand_sheet().support.evidence_coverage_percent,
            "by evidence",
        )
    } else {
        (r.coverage_percent, "weighted")
    };
    // A design without needs has nothing to cover: no 100 % for it.
    let empty = r.needs.is_empty();
    let pct = if empty {
        0.0
    } else {
        coverage.clamp(0.0, 100.0)
    };
    let gauge_style = if empty {
        t.warn()
    } else if pct >= 100.0 {
        t.good()
    } else if r.critical.is_empty() {
        t.warn()
    } else {
        t.bad()
    };
    let label = if empty {
        format!(
            "nothing to cover yet: {} adds a need",
            app.key_for(Cmd::AddNeed)
        )
    } else {
        format!("coverage {coverage:.1}% ({by})")
    };
    let covered = r
        .needs
        .iter()
        .filter(|n| n.status == NeedStatus::Covered)
        .count();
    let summary = Span::styled(
        format!(
            "{covered}/{} needs covered · {} critical",
            r.needs.len(),
            r.critical.len()
        ),
        t.dim(),
    );
    let h = parts[2].height as usize;
    let rows = gap_rows(app, parts[2].width as usize, rows, (off, h));
    let lines: Vec<Line> = rows
        .into_iter()
        .map(|(item, l)| {
            if item == Some(app.gap_sel) && focused {
                l.style(t.selected())
            } else {
                l
            }
        })
        .collect();
    GapsBody {
        gauge_style,
        ratio: pct / 100.0,
        label,
        summary,
        lines,
    }
}

/// Everything the gaps pane's drawing reads (see [`FrameCache`]).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct GapsKey {
    title: Span<'static>,
    border: Style,
    /// None when the pane has no room inside its frame.
    body: Option<GapsBody>,
}

#[derive(Debug, Clone, PartialEq)]
struct GapsBody {
    gauge_style: Style,
    ratio: f64,
    label: String,
    summary: Span<'static>,
    lines: Vec<Line<'static>>,
}

impl GapsKey {
    /// The gauge's row, the summary's and the list's rows inside the pane's frame.
    fn parts(inner: Rect) -> std::rc::Rc<[Rect]> {
        Layout::default()
            .direction(Direction::Vertical)
            .constraints([
                Constraint::Length(1),
                Constraint::Length(1),
                Constraint::Min(1),
            ])
            .split(inner)
    }

    fn paint(&self, area: Rect, buf: &mut Buffer) {
        use ratatui::widgets::Widget;
        let b = Block::default()
            .borders(Borders::ALL)
            .border_style(self.border)
            .title(self.title.clone());
        let inner = b.inner(area);
        b.render(area, buf);
        let Some(body) = &self.body else {
            return;
        };
        let parts = GapsKey::parts(inner);
        Gauge::default()
            .gauge_style(body.gauge_style)
            .ratio(body.ratio)
            .label(body.label.clone())
            .render(parts[0], buf);
        Paragraph::new(body.summary.clone()).render(parts[1], buf);
        Paragraph::new(body.lines.clone()).render(parts[2], buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_holds_the_same_lines_as_the_whole_list_cut_to_it() {
        // Rows of 0 (counts as one), 1, 2 and 3 lines.
        let rows: Vec<(usize, Vec<String>)> = (0..40)
            .map(|r| (r, (0..r % 4).map(|k| format!("{r}.{k}")).collect()))
            .collect();
        let make = |r: usize, lines: Vec<String>, out: &mut Vec<(Option<usize>, Line<'static>)>| {
            if lines.is_empty() {
                out.push((None, Line::default()));
            }
            for l in lines {
                out.push((Some(r), Line::from(l)));
            }
        };
        let mut all = Vec::new();
        for (r, lines) in rows.clone() {
            make(r, lines, &mut all);
        }
        for off in 0..all.len() + 2 {
            for h in [0, 1, 2, 5, 13, all.len()] {
                let want: Vec<_> = all.iter().skip(off).take(h).cloned().collect();
                assert_eq!(
                    window_lines(rows.clone(), (off, h), make),
                    want,
                    "{off}, {h}"
                );
            }
        }
    }
}

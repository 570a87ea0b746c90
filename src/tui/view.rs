//! Drawing: reads the `App`, never changes it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Gauge, Paragraph, Wrap};

use super::app::{
    App, COMMENT_INDENT, GAP_LEAD, GapRow, MAPPING_INDENT, MAPPING_LEAD, MapLine, Modal, NeedRow,
    SUPPORT_COLS, View, need_lead, palette_items, short_time,
};
use super::finder::Browser;
use super::form::{Form, PROSE_HINT};
use super::history::{Change, HistoryView};
use super::keys::{Cmd, Context};
use super::layout::{Focus, HitMap, MIN_SIZE, offset};
use super::theme::{Theme, priority_label};
use super::wrap::{self, column, fit, short_id};
use crate::analysis::gap::NeedStatus;
use crate::edit::Role;

/// Draw the whole screen.
pub fn draw(f: &mut Frame, app: &App) {
    render(f, app);
}

/// Draw the whole screen and return its hit map (what each pane shows on which row), for the
/// runner to keep beside the app for the mouse handler.
pub fn render(f: &mut Frame, app: &App) -> HitMap {
    let hits = app.hit_map();
    paint(f, app, &hits);
    hits
}

/// Draw the screen, each list scrolled as `hits` says (so a click reads what was drawn).
fn paint(f: &mut Frame, app: &App, hits: &HitMap) {
    let a = app.areas();
    let t = app.theme;
    if a.too_small {
        let (w, h) = app.size;
        let msg = vec![
            Line::from(Span::styled("Terminal too small", t.title())),
            Line::from(format!(
                "{w}×{h}; microcred needs at least {}×{}.",
                MIN_SIZE.0, MIN_SIZE.1
            )),
            Line::from("Enlarge the window or make the font smaller."),
        ];
        f.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), a.body);
        return;
    }
    if a.compact {
        tabs(f, app, a.tabs);
    }
    match app.view {
        View::Main => {
            needs(f, app, a.needs, hits.needs.first);
            mappings(f, app, a.mappings, hits.mappings.first);
            details(f, app, a.details, app.detail_reference().as_deref());
            gaps(f, app, a.gaps, hits.gaps.first);
        }
        View::Matrix => matrix(f, app, a.body),
    }
    status(f, app, a.status);
    if let Some(m) = &app.modal {
        modal(f, app, m);
    }
    let _ = t;
}

fn block(title: String, focused: bool, t: Theme) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(t.border(focused))
        .title(Span::styled(title, t.title()))
}

fn tabs(f: &mut Frame, app: &App, area: Rect) {
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
fn need_rows(app: &App, width: usize, height: usize) -> Vec<(Option<usize>, Line<'static>)> {
    let t = app.theme;
    let order = app.need_order();
    let support_cols = app.support_cols();
    let sheet = (support_cols > 0).then(|| app.demand_sheet());
    let mut out = Vec::new();
    for (row, lines) in app.need_lines(width, height) {
        match row {
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
        }
    }
    out
}

/// The needs pane, its list starting at row `off`.
fn needs(f: &mut Frame, app: &App, area: Rect, off: usize) {
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
    let b = block(title, focused, t);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let rows = need_rows(app, inner.width as usize, inner.height as usize);
    if rows.is_empty() {
        let msg = if app.ws.partners.is_empty() {
            if app.role_allows(Cmd::AddPartner) {
                format!(
                    "No partners yet: press {} to add one.",
                    app.key_for(Cmd::AddPartner)
                )
            } else {
                "No partners yet.".to_string()
            }
        } else if app.role_allows(Cmd::AddNeed) {
            format!(
                "No needs yet: press {} to add one.",
                app.key_for(Cmd::AddNeed)
            )
        } else {
            "No needs yet.".to_string()
        };
        f.render_widget(
            Paragraph::new(Span::styled(msg, t.dim())).wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    let lines: Vec<Line> = rows
        .into_iter()
        .skip(off)
        .take(inner.height as usize)
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
    f.render_widget(Paragraph::new(lines), inner);
}

/// `n` and `noun`, plural when `n` is not 1 ("1 posting", "5 postings").
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The selected need's mappings, scrolled to row `off`: each mapping's competency (name, then
/// shortened id) and facts; the selected one's whole name, rationale and comments, wrapped.
fn mappings(f: &mut Frame, app: &App, area: Rect, off: usize) {
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
    let b = block(title, focused, t);
    let inner = b.inner(area);
    f.render_widget(b, area);
    if need.is_none() {
        f.render_widget(
            Paragraph::new(Span::styled("Select a need.", t.dim())),
            inner,
        );
        return;
    }
    let width = inner.width as usize;
    let idx = app.selected_mappings();
    if idx.is_empty() {
        f.render_widget(
            Paragraph::new(Span::styled(
                if app.role_allows(Cmd::MapNeed) {
                    format!(
                        "Not mapped yet: press {} to find a competency.",
                        app.key_for(Cmd::MapNeed)
                    )
                } else {
                    "Not mapped yet.".to_string()
                },
                t.dim(),
            ))
            .wrap(Wrap { trim: true }),
            inner,
        );
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
        let cc = app.ws.competency(&m.competency);
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
        f.render_widget(
            Block::default()
                .borders(Borders::BOTTOM)
                .border_style(t.border(focused))
                .title_bottom(Span::styled(keys, t.accent())),
            Rect::new(
                area.x + 1,
                area.bottom() - 1,
                area.width.saturating_sub(2),
                1,
            ),
        );
    }
    f.render_widget(Paragraph::new(lines).scroll((off as u16, 0)), inner);
}

/// Details of a competency: framework, description, keywords, level descriptors.
fn details(f: &mut Frame, app: &App, area: Rect, reference: Option<&str>) {
    if area.width == 0 {
        return;
    }
    let t = app.theme;
    let b = block("Competency".into(), false, t);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let Some((fw, c)) = reference.and_then(|r| app.catalog.resolve(r)) else {
        f.render_widget(
            Paragraph::new(Span::styled(
                "Select a mapping to see its competency.",
                t.dim(),
            )),
            inner,
        );
        return;
    };
    let reference = reference.unwrap_or_default();
    let cc = app.ws.competency(reference);
    let required = app
        .selected_mapping()
        .filter(|m| m.competency == reference)
        .and_then(|m| m.required_level);
    let mut lines = vec![
        Line::from(Span::styled(c.name.clone(), t.title())),
        Line::from(Span::styled(
            format!("{reference} · {} {}", fw.name, fw.version),
            t.dim(),
        )),
    ];
    let mut meta = Vec::new();
    if let Some(cat) = &c.category {
        meta.push(cat.clone());
    }
    if let Some(k) = c.kind {
        meta.push(format!("{k:?}").to_lowercase());
    }
    if !meta.is_empty() {
        lines.push(Line::from(Span::styled(meta.join(" · "), t.dim())));
    }
    lines.push(Line::from(c.description.clone()));
    if !c.keywords.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("also: {}", c.keywords.join(", ")),
            t.dim(),
        )));
    }
    // What an imported framework carries: code, education levels, notes and typed links.
    let mut source = Vec::new();
    if let Some(code) = &c.code {
        source.push(format!("code {code}"));
    }
    if !c.education_level.is_empty() {
        source.push(format!("grades {}", c.education_level.join(", ")));
    }
    if !source.is_empty() {
        lines.push(Line::from(Span::styled(source.join(" · "), t.dim())));
    }
    if let Some(n) = &c.notes {
        lines.push(Line::from(Span::styled(format!("Notes: {n}"), t.dim())));
    }
    for l in &c.links {
        let target = app
            .catalog
            .resolve(&format!("{}:{}", fw.id, l.target))
            .map(|(_, x)| format!("{} ({})", l.target, x.name))
            .or_else(|| {
                l.title
                    .as_ref()
                    .map(|title| format!("{title} <{}>", l.target))
            })
            .unwrap_or_else(|| l.target.clone());
        lines.push(Line::from(Span::styled(
            format!("{} → {target}", l.kind),
            t.dim(),
        )));
    }
    lines.push(Line::from(""));
    for l in &fw.levels {
        let text = c
            .levels
            .get(&l.level)
            .cloned()
            .or_else(|| l.description.clone())
            .unwrap_or_default();
        let mut marks = String::new();
        if cc.is_some_and(|x| x.target_level == l.level) {
            marks.push_str(" ◀ target");
        }
        if required == Some(l.level) {
            marks.push_str(" ◀ required");
        }
        let style = if marks.is_empty() {
            Style::default()
        } else {
            t.highlight()
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{} {}{marks}: ", l.level, l.name), style),
            Span::raw(text),
        ]));
    }
    if let Some(x) = cc {
        lines.push(Line::from(""));
        if let Some(o) = &x.outcome {
            lines.push(Line::from(format!("Outcome: {o}")));
        }
        let hours = x.hours.map_or("–".into(), |h| format!("{h} h"));
        let assess = x
            .assessment
            .as_ref()
            .map_or("none yet".to_string(), |a| a.method.as_str().to_string());
        lines.push(Line::from(Span::styled(
            format!("Hours {hours} · assessment {assess}"),
            t.dim(),
        )));
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
}

/// Rows of the gap list at `width` columns: section headings (None) and the rows of each line
/// (index into gap_lines); the selected line is wrapped in full.
fn gap_rows(app: &App, width: usize) -> Vec<(Option<usize>, Line<'static>)> {
    let t = app.theme;
    let mut out = Vec::new();
    for (row, lines) in app.gap_text(width) {
        if lines.is_empty() {
            // A row more than a screen from the selection: never drawn.
            out.push((None, Line::default()));
            continue;
        }
        match row {
            GapRow::Section(section) => {
                let count = app.gap_section_counts().get(section).copied().unwrap_or(0);
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
    }
    out
}

/// The gaps pane, its list starting at row `off`.
fn gaps(f: &mut Frame, app: &App, area: Rect, off: usize) {
    if area.width == 0 {
        return;
    }
    let t = app.theme;
    let focused = app.focus == Focus::Gaps;
    let r = &app.report;
    let total: usize = r.counts().iter().map(|(_, n)| n).sum();
    let b = block(
        format!("Gaps ({total}) · Enter jumps to the fix"),
        focused,
        t,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    if inner.height < 3 {
        return;
    }
    let parts = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(1),
        ])
        .split(inner);
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
    f.render_widget(
        Gauge::default()
            .gauge_style(gauge_style)
            .ratio(pct / 100.0)
            .label(if empty {
                format!(
                    "nothing to cover yet: {} adds a need",
                    app.key_for(Cmd::AddNeed)
                )
            } else {
                format!("coverage {coverage:.1}% ({by})")
            }),
        parts[0],
    );
    let covered = r
        .needs
        .iter()
        .filter(|n| n.status == NeedStatus::Covered)
        .count();
    f.render_widget(
        Paragraph::new(Span::styled(
            format!(
                "{covered}/{} needs covered · {} critical",
                r.needs.len(),
                r.critical.len()
            ),
            t.dim(),
        )),
        parts[1],
    );
    let rows = gap_rows(app, parts[2].width as usize);
    let h = parts[2].height as usize;
    let lines: Vec<Line> = rows
        .into_iter()
        .skip(off)
        .take(h)
        .map(|(item, l)| {
            if item == Some(app.gap_sel) && focused {
                l.style(t.selected())
            } else {
                l
            }
        })
        .collect();
    f.render_widget(Paragraph::new(lines), parts[2]);
}

/// The presence line: who is connected (served sessions only).
fn presence_text(names: &[String]) -> String {
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

fn status(f: &mut Frame, app: &App, area: Rect) {
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
        Some(n) if app.modal.is_none() => Span::styled(n, t.warn().add_modifier(Modifier::BOLD)),
        _ => Span::styled(keys.join(" · "), t.dim()),
    };
    f.render_widget(Paragraph::new(line1), parts[0]);
    f.render_widget(Paragraph::new(line2), parts[1]);
}

/// `text` split at a space so that the first part has at most `width` characters (at `width`
/// when there is no space to split at).
fn split_words(text: &str, width: usize) -> (String, String) {
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

fn matrix(f: &mut Frame, app: &App, area: Rect) {
    let t = app.theme;
    let b = block(
        "Needs × competencies · cell: target/required and status · Enter opens · M or Tab returns"
            .into(),
        true,
        t,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    let ws = &app.ws;
    if ws.needs.is_empty() || ws.competencies.is_empty() {
        f.render_widget(
            Paragraph::new(Span::styled(
                "The matrix needs at least one need and one credential competency.",
                t.dim(),
            )),
            inner,
        );
        return;
    }
    const ROW_HEAD: u16 = 8;
    const CELL: u16 = 13;
    const TOTAL: u16 = 9;
    let visible_cols = ((inner.width.saturating_sub(ROW_HEAD + TOTAL)) / CELL).max(1) as usize;
    let visible_rows = inner.height.saturating_sub(4).max(1) as usize;
    let (sr, sc) = app.matrix_sel;
    let first_col = sc.saturating_sub(visible_cols - 1);
    let first_row = sr.saturating_sub(visible_rows - 1);
    let cols: Vec<usize> = (first_col..ws.competencies.len())
        .take(visible_cols)
        .collect();
    let index: std::collections::HashMap<(&str, &str), usize> = ws
        .mappings
        .iter()
        .enumerate()
        .map(|(i, m)| ((m.need.as_str(), m.competency.as_str()), i))
        .collect();
    let mut lines = Vec::new();
    let mut head = vec![Span::styled(
        format!("{:<w$}", "need", w = ROW_HEAD as usize),
        t.title(),
    )];
    for &c in &cols {
        let id = fit(
            &wrap::short_ref(&ws.competencies[c].reference),
            CELL as usize - 1,
        );
        let style = if c == sc { t.highlight() } else { t.title() };
        head.push(Span::styled(format!("{id:<w$}", w = CELL as usize), style));
    }
    head.push(Span::styled("credit", t.title()));
    lines.push(Line::from(head));
    for r in (first_row..ws.needs.len()).take(visible_rows) {
        let n = &ws.needs[r];
        let id: String = n.id.chars().take(ROW_HEAD as usize - 1).collect();
        let mut spans = vec![Span::styled(
            format!("{id:<w$}", w = ROW_HEAD as usize),
            if r == sr { t.highlight() } else { t.title() },
        )];
        for &c in &cols {
            let cc = &ws.competencies[c];
            let cell = match index.get(&(n.id.as_str(), cc.reference.as_str())) {
                Some(&i) => {
                    let m = &ws.mappings[i];
                    let (sym, st) = t.mapping_status(m.status);
                    let req = m.required_level.map_or("–".into(), |l| l.to_string());
                    (format!("{}/{req} {sym}", cc.target_level), st)
                }
                None => ("·".to_string(), t.dim()),
            };
            let style = if r == sr && c == sc {
                t.selected()
            } else {
                cell.1
            };
            spans.push(Span::styled(
                format!("{:<w$}", cell.0, w = CELL as usize),
                style,
            ));
        }
        let credit = app.report.needs.get(r).map_or(0.0, |g| g.credit);
        spans.push(Span::raw(format!("{:>5.0}%", credit * 100.0)));
        lines.push(Line::from(spans));
    }
    let mut foot = vec![Span::styled(
        format!("{:<w$}", "needs", w = ROW_HEAD as usize),
        t.title(),
    )];
    for &c in &cols {
        let reference = &ws.competencies[c].reference;
        let count = ws
            .mappings
            .iter()
            .filter(|m| {
                &m.competency == reference && m.status != crate::model::MappingStatus::Rejected
            })
            .count();
        foot.push(Span::styled(
            format!("{count:<w$}", w = CELL as usize),
            t.dim(),
        ));
    }
    foot.push(Span::raw(format!("{:>5.1}%", app.report.coverage_percent)));
    lines.push(Line::from(foot));
    lines.push(Line::from(Span::styled(
        format!(
            "rows {}–{} of {} · columns {}–{} of {} · arrows or hjkl scroll",
            first_row + 1,
            (first_row + visible_rows).min(ws.needs.len()),
            ws.needs.len(),
            first_col + 1,
            first_col + cols.len(),
            ws.competencies.len()
        ),
        t.dim(),
    )));
    // The selected cell by name: column headers show only (short) ids.
    if let (Some(n), Some(c)) = (ws.needs.get(sr), ws.competencies.get(sc)) {
        let text = format!(
            "{} → {}: {}",
            short_id(&n.id),
            app.competency_label(&c.reference),
            n.statement
        );
        lines.push(Line::from(Span::styled(
            fit(&text, inner.width as usize),
            t.accent(),
        )));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// The activity feed: recent changes by everyone, newest first; notices marked.
fn activity(f: &mut Frame, app: &App, sel: usize) {
    let t = app.theme;
    let screen = f.area();
    let area = centered(
        screen,
        screen.width.saturating_sub(4).min(110),
        screen.height.saturating_sub(2),
    );
    f.render_widget(Clear, area);
    let b = block(
        "Activity · newest first · Enter jumps to it · Esc closes".into(),
        true,
        t,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    let h = inner.height as usize;
    let off = offset(sel, h);
    let lines: Vec<Line> = app
        .activity
        .iter()
        .rev()
        .enumerate()
        .skip(off)
        .take(h)
        .map(|(i, a)| {
            let mark = if a.notice { "● " } else { "  " };
            let l = Line::from(vec![
                Span::styled(mark, t.warn()),
                Span::styled(format!("{} ", short_time(&a.at)), t.dim()),
                Span::styled(format!("{} ", a.who), t.accent()),
                Span::raw(a.what.clone()),
            ]);
            if i == sel { l.style(t.selected()) } else { l }
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}

/// The history view: the commits of the design's file, newest first, two lines each (hash,
/// date, author and subject; then what it changed), or one commit's whole difference.
fn history(f: &mut Frame, app: &App, h: &HistoryView) {
    let t = app.theme;
    let screen = f.area();
    // As wide as `history::text_width` counts on.
    let area = centered(
        screen,
        screen.width.saturating_sub(4).min(110),
        screen.height.saturating_sub(2),
    );
    f.render_widget(Clear, area);
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

/// The partner list: each partner with its kind and how many needs it has.
fn partners(f: &mut Frame, app: &App, sel: usize) {
    let t = app.theme;
    let screen = f.area();
    let ps = &app.ws.partners;
    let area = centered(screen, 76, (ps.len().max(1) as u16 + 2).max(6));
    f.render_widget(Clear, area);
    let b = block(
        format!(
            "Partners · {}",
            keys_line(
                app,
                Context::Partners,
                &[
                    Cmd::EditPartner,
                    Cmd::DeletePartner,
                    Cmd::AddPartner,
                    Cmd::Cancel
                ]
            )
        ),
        true,
        t,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    if ps.is_empty() {
        f.render_widget(
            Paragraph::new(Span::styled("No partners yet: a adds one.", t.dim())),
            inner,
        );
        return;
    }
    let mut counts = std::collections::HashMap::new();
    for n in &app.ws.needs {
        *counts.entry(n.partner.as_str()).or_insert(0usize) += 1;
    }
    let h = inner.height as usize;
    let off = offset(sel, h);
    let lines: Vec<Line> = ps
        .iter()
        .enumerate()
        .skip(off)
        .take(h)
        .map(|(i, p)| {
            let kind = format!("{:?}", p.kind).to_lowercase();
            let n = counts.get(p.id.as_str()).copied().unwrap_or(0);
            let l = Line::from(vec![
                Span::styled(format!("{:<24} ", p.id), t.accent()),
                Span::raw(format!("{:<30} ", p.name)),
                Span::styled(format!("{kind:<11} {n} need(s)"), t.dim()),
            ]);
            if i == sel { l.style(t.selected()) } else { l }
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}

/// The dot vote view: the vote's state, this person's dots left, then the needs (or candidate
/// competencies) voted on with their dots as a bar (only this person's organisation's while
/// the tally is hidden from them). Only the rows on screen are drawn; the tally is made once
/// per version.
fn vote(f: &mut Frame, app: &App, view: &super::vote::VoteView) {
    use super::vote::{sees_tally, voting_for};
    let t = app.theme;
    let screen = f.area();
    let sheet = app.vote_sheet();
    let ws = &app.ws;
    let v = ws.votes.last();
    let area = centered(screen, 100, (sheet.len().max(1) as u16 + 6).max(10));
    f.render_widget(Clear, area);
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

/// The demand view: the competencies job postings mention, most mentioned first, and the
/// selected one's postings, partners, covering needs and quotes.
fn demand(f: &mut Frame, app: &App, view: &super::demand::DemandView) {
    let t = app.theme;
    let screen = f.area();
    let sheet = app.demand_sheet();
    let d = &sheet.demand;
    let area = centered(screen, 120, screen.height.saturating_sub(2).max(10));
    f.render_widget(Clear, area);
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

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn modal(f: &mut Frame, app: &App, m: &Modal) {
    let t = app.theme;
    let screen = f.area();
    match m {
        Modal::Help(scroll) => {
            let area = centered(screen, 100, screen.height.saturating_sub(2));
            f.render_widget(Clear, area);
            let para = Paragraph::new(help_lines(app)).wrap(Wrap { trim: false });
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
        Modal::Messages(scroll) => {
            let area = centered(
                screen,
                screen.width.saturating_sub(4),
                screen.height.saturating_sub(2),
            );
            f.render_widget(Clear, area);
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
        Modal::Palette(input, sel) => {
            let area = centered(screen, 72, 18);
            f.render_widget(Clear, area);
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
            f.set_cursor_position((inner.x + 2 + input.visual_cursor() as u16, inner.y));
        }
        Modal::Activity(sel) => activity(f, app, *sel),
        Modal::History(h) => history(f, app, h),
        Modal::Partners(sel) => partners(f, app, *sel),
        Modal::Vote(v) => vote(f, app, v),
        Modal::Demand(v) => demand(f, app, v),
        Modal::Confirm(c) => {
            let width = 72u16.min(screen.width);
            let text = Paragraph::new(c.text.clone()).wrap(Wrap { trim: true });
            let text_h = text.line_count(width.saturating_sub(2)) as u16;
            let height = text_h + c.choices.len() as u16 + 4;
            let area = centered(screen, width, height);
            f.render_widget(Clear, area);
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
                        super::app::Answer::Yes => Cmd::Yes,
                        super::app::Answer::No => Cmd::No,
                        super::app::Answer::Cancel => Cmd::Cancel,
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
        Modal::Form(form) => form_modal(f, app, form),
        Modal::Finder(finder) => {
            let area = centered(
                screen,
                screen.width.saturating_sub(4),
                screen.height.saturating_sub(2),
            );
            f.render_widget(Clear, area);
            let title = match &finder.purpose {
                super::finder::FinderPurpose::MapNeed(n) => format!(
                    "Map need {} to a competency · type to search · {}",
                    short_id(n),
                    keys_line(app, Context::Finder, &[Cmd::Submit, Cmd::Cancel])
                ),
                super::finder::FinderPurpose::AddToCredential
                    if app.permits(Cmd::EditCredential).is_ok() =>
                {
                    format!(
                        "Add a competency to the credential · type to search · {}",
                        keys_line(app, Context::Finder, &[Cmd::Submit, Cmd::Cancel])
                    )
                }
                super::finder::FinderPurpose::AddToCredential => format!(
                    "Search competencies · type to search · {}",
                    keys_line(app, Context::Finder, &[Cmd::Cancel])
                ),
            };
            let b = block(title, true, t);
            let inner = b.inner(area);
            f.render_widget(b, area);
            let cols = Layout::default()
                .direction(Direction::Horizontal)
                .constraints([Constraint::Percentage(55), Constraint::Percentage(45)])
                .split(inner);
            // The need being mapped, in full (up to four rows), above the search.
            let mut lines = Vec::new();
            if let super::finder::FinderPurpose::MapNeed(n) = &finder.purpose {
                if let Some(need) = app.ws.need(n) {
                    let w = cols[0].width as usize;
                    let lead = format!("Need {}: ", short_id(&need.id));
                    let room = w.saturating_sub(wrap::width(&lead)).max(1);
                    for (k, row) in wrap::hanging(&need.statement, room, room, 4)
                        .into_iter()
                        .enumerate()
                    {
                        let head = if k == 0 {
                            lead.clone()
                        } else {
                            " ".repeat(wrap::width(&lead))
                        };
                        lines.push(Line::from(vec![
                            Span::styled(head, t.accent()),
                            Span::styled(row, t.title()),
                        ]));
                    }
                }
            }
            let search_row = lines.len() as u16;
            lines.push(Line::from(vec![
                Span::styled("search> ", t.accent()),
                Span::raw(finder.input.value().to_string()),
            ]));
            let heading = if finder.suggesting {
                format!(
                    "Suggested for the need's text ({}) — type to search all {} competencies",
                    finder.hits.len(),
                    app.catalog.competency_count()
                )
            } else if finder.input.value().is_empty() {
                "Type a few letters of a name, keyword or id.".to_string()
            } else if finder.searching() {
                format!("{} match(es) so far, still searching…", finder.hits.len())
            } else {
                format!("{} match(es)", finder.hits.len())
            };
            lines.push(Line::from(Span::styled(heading, t.dim())));
            let h = cols[0].height.saturating_sub(lines.len() as u16) as usize;
            let off = offset(finder.sel, h);
            for (i, hit) in finder.hits.iter().enumerate().skip(off).take(h) {
                // Names before ids: the name (matched letters marked), then the short id.
                let mut spans = vec![Span::raw(" ")];
                let marked = |text: &str, spans: &mut Vec<Span<'static>>, base: Style| {
                    for (ci, ch) in text.chars().enumerate() {
                        let st = if hit.positions.contains(&ci) {
                            t.highlight()
                        } else {
                            base
                        };
                        spans.push(Span::styled(ch.to_string(), st));
                    }
                };
                match &hit.via {
                    None => marked(&hit.name, &mut spans, Style::default()),
                    Some(label) => {
                        spans.push(Span::raw(hit.name.clone()));
                        spans.push(Span::styled("  ~ ", t.dim()));
                        marked(label, &mut spans, t.dim());
                    }
                }
                spans.push(Span::styled(
                    format!(" ({})", wrap::short_ref(&hit.reference)),
                    t.dim(),
                ));
                if app.ws.competency(&hit.reference).is_some() {
                    spans.push(Span::styled(" in credential", t.accent()));
                }
                let l = Line::from(spans);
                lines.push(if i == finder.sel {
                    l.style(t.selected())
                } else {
                    l
                });
            }
            f.render_widget(Paragraph::new(lines), cols[0]);
            f.set_cursor_position((
                cols[0].x + 8 + finder.input.visual_cursor() as u16,
                cols[0].y + search_row,
            ));
            details(
                f,
                app,
                cols[1],
                finder.selected().map(|h| h.reference.as_str()),
            );
        }
        Modal::Browser(br) => {
            let area = centered(
                screen,
                screen.width.saturating_sub(4),
                screen.height.saturating_sub(2),
            );
            f.render_widget(Clear, area);
            let b = block(
                format!(
                    "Frameworks · {}",
                    keys_line(
                        app,
                        Context::Browser,
                        &[Cmd::Right, Cmd::Down, Cmd::Submit, Cmd::Cancel]
                    )
                ),
                true,
                t,
            );
            let inner = b.inner(area);
            f.render_widget(b, area);
            let rows = Layout::default()
                .direction(Direction::Vertical)
                .constraints([Constraint::Percentage(55), Constraint::Percentage(45)])
                .split(inner);
            let cols = Layout::default()
                .direction(Direction::Horizontal)
                .constraints([
                    Constraint::Percentage(30),
                    Constraint::Percentage(25),
                    Constraint::Percentage(45),
                ])
                // A column between lists, so a long name never runs into the next list.
                .spacing(1)
                .split(rows[0]);
            let list = |items: Vec<String>, sel: usize, active: bool, area: Rect, f: &mut Frame| {
                let h = area.height as usize;
                let off = offset(sel, h);
                let lines: Vec<Line> = items
                    .into_iter()
                    .enumerate()
                    .skip(off)
                    .take(h)
                    .map(|(i, s)| {
                        let l = Line::from(fit(&s, area.width as usize));
                        if i == sel {
                            l.style(if active {
                                t.selected()
                            } else {
                                Style::default().add_modifier(Modifier::BOLD)
                            })
                        } else {
                            l
                        }
                    })
                    .collect();
                f.render_widget(Paragraph::new(lines), area);
            };
            let fws: Vec<String> = app
                .catalog
                .entries()
                .iter()
                .map(|e| format!("{} ({})", e.framework.name, e.framework.competencies.len()))
                .collect();
            list(fws, br.fw, br.column == 0, cols[0], f);
            let cats = Browser::categories(&app.catalog, br.fw);
            let comps = cats
                .get(br.cat)
                .map(|c| Browser::competencies(&app.catalog, br.fw, c))
                .unwrap_or_default();
            list(cats, br.cat, br.column == 1, cols[1], f);
            let names: Vec<String> = match app.catalog.entries().get(br.fw) {
                Some(e) => comps
                    .iter()
                    .map(|&i| {
                        let c = &e.framework.competencies[i];
                        let r = format!("{}:{}", e.framework.id, c.id);
                        let mark = if app.ws.competency(&r).is_some() {
                            "✓ "
                        } else {
                            "  "
                        };
                        format!("{mark}{}", wrap::named(&c.name, &r))
                    })
                    .collect(),
                None => Vec::new(),
            };
            list(names, br.comp, br.column == 2, cols[2], f);
            details(f, app, rows[1], br.selected(&app.catalog).as_deref());
        }
    }
}

/// "Enter save · Esc cancel": the first key of each command in `ctx`, with its label.
fn keys_line(app: &App, ctx: Context, cmds: &[Cmd]) -> String {
    cmds.iter()
        .filter_map(|&c| {
            let key = app.keymap.keys_for(ctx, c).into_iter().next()?;
            let label = app
                .keymap
                .bindings
                .iter()
                .find(|b| b.context == ctx && b.cmd == c)
                .map_or(c.label(), |b| b.label());
            Some(format!("{key} {label}"))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The help overlay's lines: every context's keys from the keymap in force (what this person
/// may use), then the fixed text-editing keys.
pub fn help_lines(app: &App) -> Vec<Line<'static>> {
    let t = app.theme;
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
    for ctx in Context::ALL {
        let mut seen = Vec::new();
        let mut rows = Vec::new();
        for b in app.keymap.bindings.iter().filter(|b| b.context == ctx) {
            if seen.contains(&b.cmd) || !app.role_allows(b.cmd) {
                continue;
            }
            seen.push(b.cmd);
            let keys = app.keymap.keys_for(ctx, b.cmd).join(" ");
            if keys.is_empty() {
                continue;
            }
            rows.push(Line::from(vec![
                Span::styled(format!("  {keys:<14} "), t.accent()),
                Span::raw(format!("{:<54} ", b.long_label())),
                Span::styled(b.cmd.name(), t.dim()),
            ]));
        }
        if !rows.is_empty() {
            lines.push(Line::from(Span::styled(ctx.title(), t.title())));
            lines.extend(rows);
        }
    }
    lines.push(Line::from(Span::styled("Editing text", t.title())));
    for (k, d) in super::keys::TEXT_KEYS {
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
        .filter(|c| super::app::palette_cmd(**c) && app.role_allows(**c))
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

/// A form: its note (what it is about), then each field as a label column and its value.
/// One-line fields scroll sideways; multi-line fields wrap, the selected one in an editor a
/// few rows high with its hint below.
fn form_modal(f: &mut Frame, app: &App, form: &Form) {
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
        } else if let Some(ta) = fld.area.as_deref() {
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
    f.render_widget(Clear, area);
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
                f.set_cursor_position((rect.x + cx, rect.y + cy));
            }
        }
    } else if let Some((row, col)) = cursor {
        if visible(row) {
            f.set_cursor_position((inner.x + col as u16, inner.y + (row - off) as u16));
        }
    }
}

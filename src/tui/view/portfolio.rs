//! The portfolio view: the credentials × competencies matrix (shared competencies marked),
//! the stacks and pathways as a tree with their conditions, the findings by kind, and help.
//! Each pane draws only the rows and columns it shows, looked up in the sheet made once per
//! portfolio version.

use super::*;
use crate::tui::app::portfolio::{PortfolioApp, PortfolioPane};
use crate::tui::portfolio::{self as sheet, CELL_WIDTH, FindingRow, row_head_width};

/// Draw the portfolio view.
pub fn render_portfolio(f: &mut Frame, app: &PortfolioApp) {
    let t = app.theme;
    let screen = f.area();
    if screen.width < MIN_SIZE.0 || screen.height < MIN_SIZE.1 {
        let msg = vec![
            Line::from(Span::styled("Terminal too small", t.title())),
            Line::from(format!(
                "{}×{}; microcred needs at least {}×{}.",
                screen.width, screen.height, MIN_SIZE.0, MIN_SIZE.1
            )),
        ];
        f.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), screen);
        return;
    }
    let a = sheet::areas(screen.width, screen.height);
    let s = &app.sheet;
    let title = format!(
        "Portfolio: {} · {} credential(s) · {} competencies, {} shared · {} stack(s) · {} pathway(s) · {} finding(s)",
        s.title,
        s.credentials.len(),
        s.columns.len(),
        s.shared(),
        s.report.stacks.len(),
        s.report.pathways.len(),
        s.finding_count()
    );
    f.render_widget(
        Paragraph::new(Span::styled(fit(&title, a.title.width as usize), t.title())),
        a.title,
    );
    matrix(f, app, a.matrix);
    tree(f, app, a.tree);
    findings(f, app, a.findings);
    status(f, app, a.status);
    if let Some(scroll) = app.help {
        help(f, app, scroll);
    }
}

fn matrix(f: &mut Frame, app: &PortfolioApp, area: Rect) {
    let t = app.theme;
    let s = &app.sheet;
    let focused = app.pane == PortfolioPane::Matrix;
    let b = block("Credentials × competencies · ◆ shared".into(), focused, t);
    let inner = b.inner(area);
    f.render_widget(b, area);
    if s.credentials.is_empty() || s.columns.is_empty() {
        f.render_widget(
            Paragraph::new(Span::styled(
                "No credential of the portfolio could be read, or none lists a competency.",
                t.dim(),
            ))
            .wrap(Wrap { trim: true }),
            inner,
        );
        return;
    }
    let (rows, cols) = sheet::matrix_window(inner);
    let rh = row_head_width(inner.width) as usize;
    let cw = CELL_WIDTH as usize;
    let (sr, sc) = app.sel;
    let (r0, c0) = app.scroll;
    let shown_cols = c0..(c0 + cols).min(s.columns.len());
    let mut lines = Vec::with_capacity(rows + 3);
    let mut head = vec![Span::styled(column("credential", rh), t.title())];
    for c in shown_cols.clone() {
        let col = &s.columns[c];
        let style = if c == sc {
            t.highlight()
        } else if col.shared() {
            t.accent()
        } else {
            t.title()
        };
        head.push(Span::styled(
            column(&tail(&col.reference, cw - 1), cw),
            style,
        ));
    }
    lines.push(Line::from(head));
    for r in r0..(r0 + rows).min(s.credentials.len()) {
        let c = &s.credentials[r];
        let head_style = if r == sr { t.highlight() } else { t.title() };
        let mut spans = vec![Span::styled(column(&c.id, rh), head_style)];
        for col in shown_cols.clone() {
            let (text, style) = match s.cell(r, col) {
                Some(l) if s.columns[col].shared() => (format!("{l}◆"), t.accent()),
                Some(l) => (l.to_string(), Style::default()),
                None if c.unavailable.is_some() => ("?".into(), t.bad()),
                None => ("·".into(), t.dim()),
            };
            let style = if r == sr && col == sc && focused {
                t.selected()
            } else {
                style
            };
            spans.push(Span::styled(format!("{text:<cw$}"), style));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(Span::styled(
        fit(
            &format!(
                "rows {}–{} of {} · columns {}–{} of {}",
                r0 + 1,
                (r0 + rows).min(s.credentials.len()),
                s.credentials.len(),
                c0 + 1,
                shown_cols.end,
                s.columns.len()
            ),
            inner.width as usize,
        ),
        t.dim(),
    )));
    if let (Some(c), Some(col)) = (s.credentials.get(sr), s.columns.get(sc)) {
        let level = s
            .cell(sr, sc)
            .map_or_else(|| "not taught".to_string(), |l| format!("level {l}"));
        let text = format!(
            "{} × {} ({}): {level} · in {} credential(s)",
            c.title, col.name, col.reference, col.credentials
        );
        lines.push(Line::from(Span::styled(
            fit(&text, inner.width as usize),
            t.accent(),
        )));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// A competency's id (without its framework) in `width` columns: whole when it fits, else
/// its end (ids of one framework differ at the end: BR-HVAC-01, BR-HVAC-02).
fn tail(reference: &str, width: usize) -> String {
    let id = reference.split_once(':').map_or(reference, |(_, id)| id);
    let n = id.chars().count();
    if n <= width {
        return fit(id, width);
    }
    let end: String = id.chars().skip(n + 1 - width).collect();
    fit(&format!("…{end}"), width)
}

/// The rows `first..` of a list that fit `height`, each drawn by `line`.
fn window<T>(
    rows: &[T],
    first: usize,
    height: usize,
    mut line: impl FnMut(usize, &T) -> Line<'static>,
) -> Vec<Line<'static>> {
    rows.iter()
        .enumerate()
        .skip(first)
        .take(height)
        .map(|(i, r)| line(i, r))
        .collect()
}

fn tree(f: &mut Frame, app: &PortfolioApp, area: Rect) {
    let t = app.theme;
    let focused = app.pane == PortfolioPane::Tree;
    let b = block("Stacks and pathways".into(), focused, t);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let w = inner.width as usize;
    let lines = window(
        &app.sheet.tree,
        app.tree_scroll,
        inner.height as usize,
        |i, r| {
            let indent = "  ".repeat(r.depth.saturating_sub(1) as usize);
            let text = fit(&format!("{indent}{}", r.text), w);
            let style = if focused && i == app.tree_sel {
                t.selected()
            } else if r.depth == 0 {
                t.title()
            } else if r.open.is_some() {
                Style::default()
            } else {
                t.dim()
            };
            Line::from(Span::styled(text, style))
        },
    );
    f.render_widget(Paragraph::new(lines), inner);
}

fn findings(f: &mut Frame, app: &PortfolioApp, area: Rect) {
    let t = app.theme;
    let focused = app.pane == PortfolioPane::Findings;
    let s = &app.sheet;
    let b = block(
        format!("Findings by kind ({})", s.finding_count()),
        focused,
        t,
    );
    let inner = b.inner(area);
    f.render_widget(b, area);
    if s.findings.is_empty() {
        f.render_widget(
            Paragraph::new(Span::styled(
                "Nothing found: the portfolio's credentials, stacks and pathways agree.",
                t.good(),
            )),
            inner,
        );
        return;
    }
    let w = inner.width as usize;
    let lines = window(
        &s.findings,
        app.finding_scroll,
        inner.height as usize,
        |i, r| match r {
            FindingRow::Section(h) => Line::from(Span::styled(fit(h, w), t.title())),
            FindingRow::Line { text, blocking, .. } => {
                let style = if focused && i == app.finding_sel {
                    t.selected()
                } else if *blocking {
                    t.bad()
                } else {
                    t.warn()
                };
                Line::from(Span::styled(fit(&format!("  {text}"), w), style))
            }
        },
    );
    f.render_widget(Paragraph::new(lines), inner);
}

fn status(f: &mut Frame, app: &PortfolioApp, area: Rect) {
    let t = app.theme;
    let (text, style) = match &app.message {
        Some((m, true)) => (m.clone(), t.bad()),
        Some((m, false)) => (m.clone(), t.accent()),
        None => {
            let open = match app.role {
                crate::edit::Role::Designer => "open in the editor",
                crate::edit::Role::Partner(_) => "review the credential",
                crate::edit::Role::Viewer => "read the credential",
            };
            (
                format!(
                    "{} {open} · {} next pane · {} help · {} quit",
                    app.key_for(Cmd::Open),
                    app.key_for(Cmd::NextPane),
                    app.key_for(Cmd::Help),
                    app.key_for(Cmd::Quit)
                ),
                t.dim(),
            )
        }
    };
    f.render_widget(
        Paragraph::new(Span::styled(fit(&text, area.width as usize), style)),
        area,
    );
}

/// The portfolio view's help: its keys from the keymap in force.
pub fn portfolio_help_lines(app: &PortfolioApp) -> Vec<Line<'static>> {
    let t = app.theme;
    let mut lines = vec![Line::from(Span::styled(
        Context::Portfolio.title(),
        t.title(),
    ))];
    for b in app.keymap.shown(Context::Portfolio) {
        let keys = app.keymap.keys_for(Context::Portfolio, b.cmd).join(" ");
        lines.push(Line::from(vec![
            Span::styled(format!("  {keys:<14} "), t.accent()),
            Span::raw(format!("{:<36} ", b.label())),
            Span::styled(b.cmd.name(), t.dim()),
        ]));
    }
    lines.push(Line::from(Span::styled(
        "In the matrix a number is the credential's target level for the competency; ◆ marks a competency more than one credential teaches. Enter on a credential (a matrix row, a tree row or a finding naming one) opens it in the editor; q or Esc there comes back here, re-analysed.",
        t.dim(),
    )));
    lines
}

fn help(f: &mut Frame, app: &PortfolioApp, scroll: usize) {
    let t = app.theme;
    let screen = f.area();
    let area = centered(screen, 90, screen.height.saturating_sub(2));
    f.render_widget(Clear, area);
    let para = Paragraph::new(portfolio_help_lines(app)).wrap(Wrap { trim: false });
    let inner_h = area.height.saturating_sub(2) as usize;
    let total = para.line_count(area.width.saturating_sub(2));
    let scroll = scroll.min(total.saturating_sub(inner_h));
    let close = app.keymap.key_for(Context::Help, Cmd::Cancel);
    f.render_widget(
        para.scroll((scroll as u16, 0))
            .block(block(format!("Help · {close} close"), true, t)),
        area,
    );
}

//! The matrix view: needs against the credential's competencies.

use super::*;

pub(super) fn matrix(f: &mut Frame, app: &App, area: Rect) {
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

//! The portfolio view's state of one portfolio version, derived once (when the portfolio is
//! read or re-analysed) so that drawing costs what is on screen: the credentials ×
//! competencies matrix as sorted cells per credential (a cell is found by binary search, never
//! by scanning the portfolio), the stacks and pathways as tree rows with their conditions, and
//! the analysis' findings grouped by kind, as the design editor's gap panes group gaps.

use std::collections::HashMap;
use std::path::PathBuf;

use ratatui::layout::Rect;

use crate::analysis::portfolio::{MemberState, PortfolioReport};
use crate::document::portfolio::LoadedPortfolio;
use crate::model::Catalog;
use crate::model::portfolio::{Component, Condition, Required, Target};

/// A credential of the portfolio: a row of the matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct CredentialRow {
    /// Its id in the portfolio.
    pub id: String,
    /// The design's title, else its path.
    pub title: String,
    /// The design's file (relative to the working folder the portfolio was opened from).
    pub path: PathBuf,
    /// Why it cannot be opened (missing, unreadable, invalid), when it cannot.
    pub unavailable: Option<String>,
}

/// A competency taught somewhere in the portfolio: a column of the matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct CompetencyColumn {
    /// `FRAMEWORK_ID:COMPETENCY_ID`.
    pub reference: String,
    /// Its name in the loaded frameworks, else the reference.
    pub name: String,
    /// How many credentials teach it (2 or more: shared).
    pub credentials: usize,
}

impl CompetencyColumn {
    /// Taught by more than one credential.
    pub fn shared(&self) -> bool {
        self.credentials > 1
    }
}

/// One row of the stacks and pathways tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeRow {
    /// How far it is indented (0: a heading).
    pub depth: u16,
    pub text: String,
    /// The credential (row of the matrix) Enter opens, if it names one.
    pub open: Option<usize>,
}

/// One row of the findings panes: a kind's heading or a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FindingRow {
    /// A kind's heading with how many findings it has.
    Section(String),
    /// A finding: where, what, and the credential it names (Enter opens it).
    Line {
        text: String,
        open: Option<usize>,
        /// Blocking findings (export refuses them) are drawn as bad.
        blocking: bool,
    },
}

/// Everything the portfolio view shows of one version of the portfolio.
#[derive(Debug, Clone)]
pub struct PortfolioSheet {
    /// The portfolio file.
    pub path: PathBuf,
    /// Its title, else its file name.
    pub title: String,
    pub credentials: Vec<CredentialRow>,
    /// Shared competencies first (most credentials first), then in order of first appearance.
    pub columns: Vec<CompetencyColumn>,
    /// Per credential, its cells as (column, target level), sorted by column.
    cells: Vec<Vec<(usize, u32)>>,
    pub tree: Vec<TreeRow>,
    pub findings: Vec<FindingRow>,
    pub report: PortfolioReport,
}

/// The portfolio's findings kinds, in the order the panes list them, with their headings.
const KINDS: [(&str, &str); 9] = [
    ("unavailable", "Credentials missing or unreadable"),
    ("id_changed", "Credentials whose stable id changed"),
    ("cycle", "Cycles"),
    ("impossible_condition", "Conditions that cannot be met"),
    ("empty_condition", "Conditions with no targets"),
    ("disconnected", "Components linked to nothing"),
    ("level_falls", "Levels that fall along a pathway"),
    (
        "prerequisite_not_named",
        "Prerequisites the entry requirements do not name",
    ),
    (
        "entry_requirement_not_linked",
        "Entry requirements with no prerequisite link",
    ),
];

impl PortfolioSheet {
    /// Derive the view of `loaded` (read from `path`) and its analysis `report`.
    pub fn new(
        path: PathBuf,
        loaded: &LoadedPortfolio,
        report: PortfolioReport,
        catalog: &Catalog,
    ) -> Self {
        let p = &loaded.portfolio;
        let dir = path.parent().map(PathBuf::from).unwrap_or_default();
        let row_of: HashMap<&str, usize> = p
            .credentials
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.as_str(), i))
            .collect();
        let credentials: Vec<CredentialRow> = p
            .credentials
            .iter()
            .zip(&loaded.members)
            .map(|(m, s)| {
                let (title, unavailable) = match s {
                    MemberState::Loaded(ws) => (ws.credential.title.clone(), None),
                    MemberState::Unavailable(why) => (None, Some(why.clone())),
                };
                CredentialRow {
                    id: m.id.clone(),
                    title: title.unwrap_or_else(|| m.path.clone()),
                    path: dir.join(&m.path),
                    unavailable,
                }
            })
            .collect();
        // Columns: every competency once, counted over the credentials teaching it.
        let mut col_of: HashMap<&str, usize> = HashMap::new();
        let mut columns: Vec<CompetencyColumn> = Vec::new();
        for s in &loaded.members {
            let MemberState::Loaded(ws) = s else { continue };
            for c in &ws.competencies {
                let at = *col_of.entry(c.reference.as_str()).or_insert_with(|| {
                    columns.push(CompetencyColumn {
                        reference: c.reference.clone(),
                        name: catalog
                            .resolve(&c.reference)
                            .map_or_else(|| c.reference.clone(), |(_, k)| k.name.clone()),
                        credentials: 0,
                    });
                    columns.len() - 1
                });
                columns[at].credentials += 1;
            }
        }
        // Shared first; the sort is stable, so first appearance orders the rest.
        let mut order: Vec<usize> = (0..columns.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(columns[i].credentials.min(2)));
        let mut new_at = vec![0; columns.len()];
        for (to, &from) in order.iter().enumerate() {
            new_at[from] = to;
        }
        let cells = loaded
            .members
            .iter()
            .map(|s| {
                let MemberState::Loaded(ws) = s else {
                    return Vec::new();
                };
                let mut row: Vec<(usize, u32)> = ws
                    .competencies
                    .iter()
                    .filter_map(|c| {
                        let &at = col_of.get(c.reference.as_str())?;
                        Some((new_at[at], c.target_level))
                    })
                    .collect();
                row.sort_unstable();
                row.dedup_by_key(|c| c.0);
                row
            })
            .collect();
        let columns = order.into_iter().map(|i| columns[i].clone()).collect();
        let tree = tree_rows(loaded, &report, &row_of);
        let findings = finding_rows(&report, &row_of);
        PortfolioSheet {
            title: p.title.clone().unwrap_or_else(|| {
                path.file_name()
                    .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
            }),
            path,
            credentials,
            columns,
            cells,
            tree,
            findings,
            report,
        }
    }

    /// The target level of credential `row` for competency `col`, if it teaches it.
    pub fn cell(&self, row: usize, col: usize) -> Option<u32> {
        let cells = self.cells.get(row)?;
        cells
            .binary_search_by_key(&col, |c| c.0)
            .ok()
            .map(|i| cells[i].1)
    }

    /// How many columns are shared.
    pub fn shared(&self) -> usize {
        self.columns.iter().take_while(|c| c.shared()).count()
    }

    /// How many findings rows are findings (not headings): the report's findings and the
    /// shared competencies whose target levels differ, as the findings pane lists them.
    pub fn finding_count(&self) -> usize {
        self.findings
            .iter()
            .filter(|r| matches!(r, FindingRow::Line { .. }))
            .count()
    }
}

/// Where the portfolio view's parts go on a `width` × `height` screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PortfolioAreas {
    pub title: Rect,
    pub matrix: Rect,
    pub tree: Rect,
    pub findings: Rect,
    pub status: Rect,
}

/// The parts of the view: a title line, the matrix beside the tree, the findings below, and
/// the status line.
pub fn areas(width: u16, height: u16) -> PortfolioAreas {
    let body = height.saturating_sub(2);
    let findings_h = (body / 3).max(5).min(body);
    let top_h = body - findings_h;
    let matrix_w = if width >= 120 {
        width * 3 / 5
    } else {
        width * 11 / 20
    };
    PortfolioAreas {
        title: Rect::new(0, 0, width, 1.min(height)),
        matrix: Rect::new(0, 1, matrix_w, top_h),
        tree: Rect::new(matrix_w, 1, width - matrix_w, top_h),
        findings: Rect::new(0, 1 + top_h, width, findings_h),
        status: Rect::new(0, height.saturating_sub(1), width, 1.min(height)),
    }
}

/// Columns of the matrix's row headings (the credentials).
pub fn row_head_width(inner_width: u16) -> u16 {
    (inner_width / 3).clamp(6, 28)
}

/// Columns of one matrix cell.
pub const CELL_WIDTH: u16 = 8;

/// How many credential rows and competency columns the matrix shows inside `inner` (its
/// border taken off): a header line above the rows, the selected cell's names below.
pub fn matrix_window(inner: Rect) -> (usize, usize) {
    let rows = inner.height.saturating_sub(3).max(1) as usize;
    let cols = (inner.width.saturating_sub(row_head_width(inner.width)) / CELL_WIDTH).max(1);
    (rows, cols as usize)
}

/// A rect with its one-cell border taken off.
pub fn inner(r: Rect) -> Rect {
    Rect::new(
        r.x.saturating_add(1),
        r.y.saturating_add(1),
        r.width.saturating_sub(2),
        r.height.saturating_sub(2),
    )
}

fn hours(h: f64, ects: Option<f64>) -> String {
    match ects {
        Some(e) => format!("{h} h, {e} ECTS"),
        None => format!("{h} h"),
    }
}

/// A condition in words: "all of", "2 of 3", "any of", with its minimum hours and credits.
pub fn condition_label(c: &Condition) -> String {
    let mut s = match c.need {
        Required::All => "all of".to_string(),
        Required::Any => "any of".to_string(),
        Required::Count(n) => format!("{n} of {}", c.of.len()),
    };
    if let Some(h) = c.min_hours {
        s.push_str(&format!(", at least {h} h"));
    }
    if let Some(e) = c.min_credits {
        s.push_str(&format!(", at least {e} credits"));
    }
    s
}

/// The tree rows of a condition's targets under `depth`; `name` says what an id is.
fn condition_rows(
    c: &Condition,
    depth: u16,
    name: &dyn Fn(&str) -> (String, Option<usize>),
    out: &mut Vec<TreeRow>,
) {
    for t in &c.of {
        match t {
            Target::Id(id) => {
                let (text, open) = name(id);
                out.push(TreeRow {
                    depth,
                    text: format!("• {text}"),
                    open,
                });
            }
            Target::Nested(n) => {
                out.push(TreeRow {
                    depth,
                    text: format!("• {}:", condition_label(n)),
                    open: None,
                });
                condition_rows(n, depth + 1, name, out);
            }
        }
    }
}

fn tree_rows(
    loaded: &LoadedPortfolio,
    report: &PortfolioReport,
    row_of: &HashMap<&str, usize>,
) -> Vec<TreeRow> {
    let p = &loaded.portfolio;
    let title_of = |id: &str| -> Option<String> {
        let &i = row_of.get(id)?;
        match &loaded.members[i] {
            MemberState::Loaded(ws) => ws.credential.title.clone(),
            MemberState::Unavailable(_) => Some("(unavailable)".into()),
        }
    };
    let member_or_stack = |id: &str| -> (String, Option<usize>) {
        match (row_of.get(id), p.stacks.iter().find(|s| s.id == id)) {
            (Some(&i), _) => (
                format!("{id}  {}", title_of(id).unwrap_or_default()),
                Some(i),
            ),
            (None, Some(s)) => (format!("stack {id}  {}", s.title), None),
            (None, None) => (format!("{id}  (not in the portfolio)"), None),
        }
    };
    let mut out = Vec::new();
    let heading = |text: String| TreeRow {
        depth: 0,
        text,
        open: None,
    };
    out.push(heading(format!("Stacks ({})", p.stacks.len())));
    for (s, r) in p.stacks.iter().zip(&report.stacks) {
        out.push(TreeRow {
            depth: 1,
            text: format!(
                "▾ {}  {}{} · {} · covers {:.0}%",
                s.id,
                s.title,
                s.kind
                    .as_deref()
                    .map_or_else(String::new, |k| format!(" ({k})")),
                hours(r.hours, r.ects),
                r.coverage_percent
            ),
            open: None,
        });
        out.push(TreeRow {
            depth: 2,
            text: format!("{}:", condition_label(&s.requires)),
            open: None,
        });
        condition_rows(&s.requires, 3, &member_or_stack, &mut out);
    }
    out.push(heading(format!("Pathways ({})", p.pathways.len())));
    for (w, r) in p.pathways.iter().zip(&report.pathways) {
        let mut line = format!(
            "▾ {}  {} · {} · leads to {}",
            w.id,
            w.title,
            hours(r.hours, r.ects),
            r.destinations.join(", ")
        );
        if !r.off_ramps.is_empty() {
            line.push_str(&format!(" · off-ramps {}", r.off_ramps.join(", ")));
        }
        out.push(TreeRow {
            depth: 1,
            text: line,
            open: None,
        });
        let component = |id: &str| -> (String, Option<usize>) {
            match w.components.iter().find(|c| c.id == id) {
                Some(c) => component_text(c, &member_or_stack),
                None => (format!("{id}  (no such component)"), None),
            }
        };
        for c in &w.components {
            let (text, open) = component_text(c, &member_or_stack);
            out.push(TreeRow {
                depth: 2,
                text: format!("◦ {text}"),
                open,
            });
            if let Some(req) = &c.requires {
                out.push(TreeRow {
                    depth: 3,
                    text: format!("requires {}:", condition_label(req)),
                    open: None,
                });
                condition_rows(req, 4, &component, &mut out);
            }
        }
        for l in &w.links {
            out.push(TreeRow {
                depth: 2,
                text: format!("→ {} {} {}", l.from, l.kind.as_str(), l.to),
                open: None,
            });
        }
    }
    out
}

/// A pathway component in words, and the credential it is, if it is one of ours.
fn component_text(
    c: &Component,
    member_or_stack: &dyn Fn(&str) -> (String, Option<usize>),
) -> (String, Option<usize>) {
    if let Some(m) = &c.credential {
        let (text, open) = member_or_stack(m);
        return (format!("{}: {text}", c.id), open);
    }
    if let Some(s) = &c.stack {
        let (text, _) = member_or_stack(s);
        return (format!("{}: {text}", c.id), None);
    }
    if let Some(o) = &c.outside {
        return (format!("{}: outside: {}", c.id, o.name), None);
    }
    if let Some(j) = &c.job {
        return (
            format!("{}: job: {} ({})", c.id, j.name, j.occupation),
            None,
        );
    }
    (c.id.clone(), None)
}

fn finding_rows(report: &PortfolioReport, row_of: &HashMap<&str, usize>) -> Vec<FindingRow> {
    let blocking = crate::export::portfolio::BLOCKING;
    let mut out = Vec::new();
    let mut by_kind: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, f) in report.findings.iter().enumerate() {
        by_kind.entry(f.kind).or_default().push(i);
    }
    let known = KINDS.iter().map(|(k, h)| (*k, h.to_string()));
    let mut other = by_kind
        .keys()
        .filter(|k| !KINDS.iter().any(|(known, _)| known == *k))
        .map(|k| (*k, k.replace('_', " ")))
        .collect::<Vec<_>>();
    other.sort();
    for (kind, heading) in known.chain(other) {
        let Some(list) = by_kind.get(kind) else {
            continue;
        };
        out.push(FindingRow::Section(format!("{heading} ({})", list.len())));
        for &i in list {
            let f = &report.findings[i];
            let open =
                f.at.strip_prefix("credential ")
                    .and_then(|id| row_of.get(id).copied());
            out.push(FindingRow::Line {
                text: format!("{}: {}", f.at, f.message),
                open,
                blocking: blocking.contains(&f.kind),
            });
        }
    }
    let differ: Vec<&str> = report
        .overlap
        .iter()
        .filter(|o| o.levels_differ)
        .map(|o| o.competency.as_str())
        .collect();
    if !differ.is_empty() {
        out.push(FindingRow::Section(format!(
            "Shared competencies with different target levels ({})",
            differ.len()
        )));
        out.extend(differ.into_iter().map(|c| FindingRow::Line {
            text: c.to_string(),
            open: None,
            blocking: false,
        }));
    }
    out
}

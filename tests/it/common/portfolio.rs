//! A large portfolio held in memory, for the portfolio view's tests and its benchmark
//! (`benches/portfolio_tui.rs` includes this file): the bundled example's first design, once
//! per credential, with its competencies replaced.

use std::path::Path;

use microcred::analysis::portfolio::MemberState;
use microcred::catalog::Catalog;
use microcred::document::portfolio::LoadedPortfolio;
use microcred::model::portfolio::{Condition, Member, Portfolio, Required, Stack, Target};

/// `n` credentials `c0…`, each teaching `own` competencies of its own (`x:C{i}-{j}`, at levels
/// 1 to 4 in turn) and `shared` of a pool of `pool` shared ones (`x:S{k}`); a stack of four of
/// five for every five credentials.
pub fn large(cat: &Catalog, n: usize, own: usize, shared: usize, pool: usize) -> LoadedPortfolio {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/portfolio");
    let base = microcred::document::load_workspace(&dir.join("heat-pump-fundamentals.yaml"), cat)
        .expect("example")
        .workspace;
    let template = base.competencies[0].clone();
    let mut members = Vec::new();
    let mut credentials = Vec::new();
    for i in 0..n {
        let mut ws = base.clone();
        ws.mappings.clear();
        let mine = (0..own).map(|j| format!("x:C{i}-{j}"));
        let common = (0..shared).map(|j| format!("x:S{}", (i * 7 + j) % pool.max(1)));
        ws.competencies = mine
            .chain(common)
            .enumerate()
            .map(|(j, r)| {
                let mut c = template.clone();
                c.reference = r;
                c.target_level = (j % 4) as u32 + 1;
                c
            })
            .collect();
        ws.credential.title = Some(format!("Credential {i}"));
        members.push(MemberState::Loaded(Box::new(ws)));
        credentials.push(Member {
            id: format!("c{i}"),
            path: format!("c{i}.yaml"),
            stable_id: None,
        });
    }
    let stacks = (0..n / 5)
        .map(|s| Stack {
            id: format!("s{s}"),
            title: format!("Stack {s}"),
            kind: None,
            serves: Vec::new(),
            requires: Condition {
                need: Required::Count(4),
                min_hours: None,
                min_credits: None,
                of: (0..5)
                    .map(|k| Target::Id(format!("c{}", s * 5 + k)))
                    .collect(),
            },
        })
        .collect();
    let portfolio = Portfolio {
        schema: "microcred/portfolio@1".into(),
        id: None,
        title: Some("Large".into()),
        homepage: None,
        credentials,
        stacks,
        pathways: Vec::new(),
    };
    LoadedPortfolio { portfolio, members }
}

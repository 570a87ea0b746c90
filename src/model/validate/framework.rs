//! The checks of a framework on its own: ids, names, the level scale, parents (known, and
//! no loops), the levels each competency describes.

use std::collections::{HashMap, HashSet};

use super::{Checker, Finding, check_id, check_text, check_unique, limits};
use crate::model::Framework;
use crate::problem::DocPath;

impl Checker {
    /// Check a framework on its own.
    pub fn framework(&mut self, fw: &Framework) {
        let Checker {
            findings: out,
            suggestions: sug,
        } = self;
        limits::framework(fw, out);
        let root = DocPath::root();
        check_id(out, root.key("id"), "framework", &fw.id);
        check_text(out, root.key("name"), "framework name", &fw.name);
        check_text(out, root.key("version"), "version", &fw.version);
        if fw.levels.is_empty() {
            out.push(
                Finding::error(root.key("levels"), "the level scale is empty")
                    .hint("list at least one level, lowest first"),
            );
        }
        for (i, pair) in fw.levels.windows(2).enumerate() {
            if pair[1].level <= pair[0].level {
                out.push(
                    Finding::error(
                        root.key("levels").index(i + 1).key("level"),
                        format!(
                            "level {} comes after level {}; levels must increase",
                            pair[1].level, pair[0].level
                        ),
                    )
                    .hint("list levels lowest first, each number higher than the one before"),
                );
            }
        }
        for (i, l) in fw.levels.iter().enumerate() {
            check_text(
                out,
                root.key("levels").index(i).key("name"),
                "level name",
                &l.name,
            );
        }
        if fw.competencies.is_empty() {
            out.push(
                Finding::error(
                    root.key("competencies"),
                    "the framework has no competencies",
                )
                .hint("add at least one"),
            );
        }
        let comps = root.key("competencies");
        let ids: HashSet<&str> = fw.competencies.iter().map(|c| c.id.as_str()).collect();
        for (i, c) in fw.competencies.iter().enumerate() {
            let p = comps.index(i);
            check_id(out, p.key("id"), "competency", &c.id);
            check_text(out, p.key("name"), "competency name", &c.name);
            if let Some(parent) = &c.parent {
                if parent == &c.id {
                    out.push(Finding::error(
                        p.key("parent"),
                        format!("`{}` names itself as its parent", c.id),
                    ));
                } else if !ids.contains(parent.as_str()) {
                    out.push(
                        Finding::error(
                            p.key("parent"),
                            format!("parent `{parent}` is not a competency of this framework"),
                        )
                        .hint(
                            sug.did_you_mean(parent, fw.competencies.iter().map(|c| c.id.as_str())),
                        ),
                    );
                }
            }
            for level in c.levels.keys() {
                if fw.level(*level).is_none() {
                    out.push(
                        Finding::error(
                            p.key("levels").key(&level.to_string()),
                            format!("level {level} is not on the framework's scale"),
                        )
                        .hint(scale_hint(fw)),
                    );
                }
            }
        }
        check_unique(
            out,
            &comps,
            "competency",
            fw.competencies.iter().map(|c| c.id.as_str()),
        );
        check_parent_cycles(fw, out);
    }
}

/// Report every competency on a loop of parents. Each competency is walked once (a walk stops
/// at one already walked), so a long chain of parents costs O(n), not O(n²).
fn check_parent_cycles(fw: &Framework, out: &mut Vec<Finding>) {
    let index: HashMap<&str, usize> = fw
        .competencies
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let parent =
        |i: usize| -> Option<usize> { index.get(fw.competencies[i].parent.as_deref()?).copied() };
    // 0: not walked yet, 1: on the walk under way, 2: walked.
    let mut state = vec![0u8; fw.competencies.len()];
    let mut on_loop = vec![false; fw.competencies.len()];
    let mut path = Vec::new();
    for start in 0..fw.competencies.len() {
        let mut cur = Some(start);
        while let Some(i) = cur.filter(|&i| state[i] == 0) {
            state[i] = 1;
            path.push(i);
            cur = parent(i);
        }
        // Back on the walk under way: the path from there on is a loop.
        if let Some(i) = cur.filter(|&i| state[i] == 1)
            && let Some(from) = path.iter().position(|&j| j == i)
        {
            for &j in &path[from..] {
                on_loop[j] = true;
            }
        }
        for j in path.drain(..) {
            state[j] = 2;
        }
    }
    for (i, c) in fw.competencies.iter().enumerate() {
        if on_loop[i] {
            out.push(Finding::error(
                DocPath::root().key("competencies").index(i).key("parent"),
                format!("`{}` is its own ancestor (the parent chain loops)", c.id),
            ));
        }
    }
}

/// "levels on this scale: 1 Foundational, 2 Intermediate, ..."
pub fn scale_hint(fw: &Framework) -> String {
    let levels: Vec<String> = fw
        .levels
        .iter()
        .map(|l| format!("{} {}", l.level, l.name))
        .collect();
    format!("`{}` has levels {}", fw.id, levels.join(", "))
}

#[cfg(test)]
mod tests {
    use super::super::suggestions::tests::orphans;

    /// Loops of parents are found in one pass: every competency on a loop is reported, those
    /// leading into one or down a long chain are not.
    #[test]
    fn parent_loops_are_found_in_one_pass() {
        // C0000 ← C0001 ← … ← C0999 (a chain), C1000 → C1001 → C1002 → C1000 (a loop),
        // C1003 → C1000 (into the loop), C1004 → itself.
        let mut fw = orphans(1005, |i| match i {
            0 => "C0000".into(),
            1..1000 => format!("C{:04}", i - 1),
            1000 | 1001 => format!("C{:04}", i + 1),
            1002 | 1003 => "C1000".into(),
            _ => "C1004".into(),
        });
        fw.competencies[0].parent = None;
        let found = super::super::framework(&fw);
        let loops: Vec<&str> = found
            .iter()
            .filter(|f| f.message.contains("is its own ancestor"))
            .map(|f| f.message.split('`').nth(1).unwrap_or(""))
            .collect();
        assert_eq!(loops, ["C1000", "C1001", "C1002", "C1004"]);
    }
}

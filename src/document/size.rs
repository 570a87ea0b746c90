//! An upper bound of a workspace's saved size, found without writing its YAML: the hub needs
//! one to refuse a change that would make the file larger than a workspace may be, and writing
//! the whole design out just to measure it made opening a large design slow.
//!
//! The document is written as compact JSON into a counter (no text is kept), which sees every
//! structural token with its nesting depth. The canonical writer ([`crate::store::yaml`]) writes
//! each JSON byte as at most one byte, except what it adds per token (a line break, the line's
//! indentation, `- ` or `: `) and the characters it escapes that JSON keeps raw (some non-ASCII
//! ones, at most six bytes for a character of two or more): both are counted.

use crate::model::Workspace;

/// An upper bound of the length of `ws` as the canonical writer saves it.
pub fn bound(ws: &Workspace) -> u64 {
    let mut c = Counter::default();
    if serde_json::to_writer(&mut c, ws).is_err() {
        // Never for a workspace (strings, numbers, sequences, maps with string keys); a bound
        // that always asks for the exact size keeps the check honest anyway.
        return u64::MAX / 4;
    }
    c.total()
}

/// The same bound, counted from `json`, the compact JSON of a workspace as `serde_json` writes
/// it: the design cache keeps the bound it counted from the JSON it wrote anyway, so that
/// opening a cached design measures nothing.
pub fn bound_of_json(json: &[u8]) -> u64 {
    let mut c = Counter::default();
    c.count(json);
    c.total()
}

/// Counts JSON bytes and what YAML may add to them, keeping nothing.
#[derive(Default)]
struct Counter {
    len: u64,
    extra: u64,
    depth: u64,
    in_string: bool,
    escaped: bool,
}

impl Counter {
    fn count(&mut self, buf: &[u8]) {
        self.len += buf.len() as u64;
        for &b in buf {
            self.byte(b);
        }
    }

    fn total(&self) -> u64 {
        self.len.saturating_add(self.extra).saturating_add(256)
    }

    /// A new line at the current depth: a line break, its indentation and `- `.
    fn line(&mut self) {
        self.extra = self.extra.saturating_add(2 * self.depth + 4);
    }

    fn byte(&mut self, b: u8) {
        if self.in_string {
            if self.escaped {
                self.escaped = false;
            } else if b == b'\\' {
                self.escaped = true;
            } else if b == b'"' {
                self.in_string = false;
            } else if b >= 0xC0 {
                // The first byte of a character JSON keeps raw and YAML may escape.
                self.extra += 4;
            }
            return;
        }
        match b {
            b'"' => self.in_string = true,
            b'{' | b'[' => {
                self.depth += 1;
                self.line();
            }
            b'}' | b']' => self.depth = self.depth.saturating_sub(1),
            b',' => self.line(),
            b':' => self.extra += 1,
            _ => {}
        }
    }
}

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.count(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::workspace_to_string;
    use proptest::prelude::*;

    fn example() -> Workspace {
        crate::store::yaml::parse(include_str!("../../examples/retail-data-analyst.yaml"))
            .expect("the example parses")
    }

    #[test]
    fn bounds_the_examples_and_stays_close() {
        for text in [
            include_str!("../../examples/retail-data-analyst.yaml"),
            include_str!("../../examples/retrofit-gaps.yaml"),
            include_str!("../../examples/retrofit-evidence.yaml"),
        ] {
            let ws: Workspace = crate::store::yaml::parse(text).expect("parses");
            let exact = workspace_to_string(&ws).len() as u64;
            let b = bound(&ws);
            assert!(b >= exact, "bound {b} under the exact size {exact}");
            // Loose enough to be safe, tight enough that a design well under the limit is not
            // measured exactly on its first change.
            assert!(b <= exact * 4, "bound {b} far over the exact size {exact}");
        }
    }

    proptest! {
        /// Whatever text the design holds (line breaks, quotes, control characters, accents,
        /// YAML's own marks), the bound is never under the saved size.
        #[test]
        fn never_under_the_saved_size(texts in proptest::collection::vec(any::<String>(), 1..8)) {
            let mut ws = example();
            let (n, p, m) = (ws.needs.len().max(1), ws.partners.len().max(1), ws.mappings.len().max(1));
            for (i, t) in texts.iter().enumerate() {
                if let Some(need) = ws.needs.get_mut(i % n) {
                    need.statement = t.clone();
                }
                if let Some(partner) = ws.partners.get_mut(i % p) {
                    partner.name = t.clone();
                }
                if let Some(mapping) = ws.mappings.get_mut(i % m) {
                    mapping.rationale = Some(format!("{t}\n{t}"));
                }
            }
            let exact = workspace_to_string(&ws).len() as u64;
            prop_assert!(bound(&ws) >= exact);
            let json = serde_json::to_vec(&ws).expect("json");
            prop_assert_eq!(bound_of_json(&json), bound(&ws));
        }
    }
}

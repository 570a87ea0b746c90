//! The layers of `src/`: every `crate::X` reference (in `use` lines and in paths, comments and
//! string literals left out) of each top-level part must point to a part in a lower layer of
//! the table in docs/architecture.md ("Layers"). No import loops, no upward imports.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, bottom first: the parts of each layer may use the parts of lower layers only.
type Layers = Vec<Vec<String>>;

/// Read a layer table of docs/architecture.md: the rows `| N | `a`, `b` | … |` between the
/// `<!-- NAME -->` and `<!-- /NAME -->` markers, bottom (0) first.
fn layers_from_doc(doc: &str, name: &str) -> Layers {
    let (open, close) = (format!("<!-- {name} -->"), format!("<!-- /{name} -->"));
    let start = doc.find(&open).expect("the opening marker");
    let end = doc.find(&close).expect("the closing marker");
    let mut rows: Vec<(usize, Vec<String>)> = Vec::new();
    for line in doc[start..end].lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if cells.len() < 3 {
            continue;
        }
        let Ok(n) = cells[1].parse::<usize>() else {
            continue;
        };
        let parts = cells[2]
            .split(',')
            .map(|p| p.trim().trim_matches('`').to_string())
            .filter(|p| !p.is_empty())
            .collect();
        rows.push((n, parts));
    }
    rows.sort_by_key(|(n, _)| *n);
    rows.into_iter().map(|(_, p)| p).collect()
}

/// The text of Rust source with comments, string and character literals blanked out (so that
/// `crate::x` in a comment or a message is not a reference).
fn code_only(src: &str) -> String {
    let b: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !b
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            // A raw string r"…" or r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= b.len() {
                    break;
                }
                if b[j] == '"' && (0..hashes).all(|k| b.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{1F600}'), else a lifetime.
            if next == Some('\\') {
                let mut j = i + 2;
                while j < b.len() && b[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
                out.push_str("' '");
            } else if b.get(i + 2) == Some(&'\'') {
                i += 3;
                out.push_str("' '");
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn ident_at(s: &str) -> Option<&str> {
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    (end > 0).then(|| &s[..end])
}

/// The top-level parts a piece of code names through `crate::`: `crate::x::…`,
/// `crate::{x, y::z}` and exported macros (`crate::m!`, mapped by `macros`).
fn references(code: &str, macros: &BTreeMap<String, String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue; // `microcred::crate_x`, `$crate::` …
        }
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a, b::{c, d}, e}`: the first name of each top-level item.
            let mut depth = 0;
            let mut item_start = true;
            for (k, ch) in group.char_indices() {
                match ch {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && (c.is_alphanumeric() || c == '_') => {
                        if let Some(id) = ident_at(&group[k..]) {
                            out.insert(macros.get(id).cloned().unwrap_or_else(|| id.to_string()));
                        }
                        item_start = false;
                    }
                    c if c.is_whitespace() => {}
                    _ => item_start = false,
                }
            }
            continue;
        }
        if let Some(id) = ident_at(rest) {
            // A macro (`crate::m!` or `use crate::m;`) belongs to the part that exports it.
            match macros.get(id) {
                Some(part) => out.insert(part.clone()),
                None if rest[id.len()..].starts_with('!') => false,
                None => out.insert(id.to_string()),
            };
        }
    }
    out
}

/// The macros exported at the crate root (`#[macro_export] macro_rules! name`) in `code`.
fn exported_macros(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("#[macro_export]") {
        rest = &rest[at + "#[macro_export]".len()..];
        if let Some(m) = rest.trim_start().strip_prefix("macro_rules!") {
            if let Some(id) = ident_at(m.trim_start()) {
                out.push(id.to_string());
            }
        }
    }
    out
}

/// The top-level part of a source file: `src/store/yaml.rs` → `store`, `src/clock.rs` →
/// `clock`.
fn part_of(path: &str) -> String {
    let rel = path.trim_start_matches("src/");
    let first = rel.split('/').next().unwrap_or(rel);
    first.trim_end_matches(".rs").to_string()
}

/// Every reference not allowed by `layers`, as "FILE: PART uses TARGET". `files` are (path
/// under the package, text). `lib` and `main` (the crate root and the binary) may use
/// anything; a part not in the table is itself a violation.
fn violations(layers: &Layers, files: &[(String, String)]) -> Vec<String> {
    let layer_of: BTreeMap<&str, usize> = layers
        .iter()
        .enumerate()
        .flat_map(|(i, l)| l.iter().map(move |p| (p.as_str(), i)))
        .collect();
    let codes: Vec<(String, String)> = files
        .iter()
        .map(|(p, t)| (p.clone(), code_only(t)))
        .collect();
    let macros: BTreeMap<String, String> = codes
        .iter()
        .flat_map(|(p, c)| exported_macros(c).into_iter().map(|m| (m, part_of(p))))
        .collect();
    let mut out = Vec::new();
    for (path, code) in &codes {
        let part = part_of(path);
        if part == "lib" || part == "main" {
            continue;
        }
        let Some(&mine) = layer_of.get(part.as_str()) else {
            out.push(format!("{path}: part `{part}` is not in the layer table"));
            continue;
        };
        for target in references(code, &macros) {
            if target == part {
                continue;
            }
            match layer_of.get(target.as_str()) {
                Some(&theirs) if theirs < mine => {}
                Some(&theirs) => out.push(format!(
                    "{path}: `{part}` (layer {mine}) uses `{target}` (layer {theirs})"
                )),
                None => out.push(format!(
                    "{path}: `{part}` uses `{target}`, which is not in the layer table"
                )),
            }
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("reads src").flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn table(name: &str) -> Layers {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/architecture.md")).expect("reads the doc");
    layers_from_doc(&doc, name)
}

#[test]
fn every_part_uses_only_lower_layers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    rust_files(&root.join("src"), &mut paths);
    paths.sort();
    let files: Vec<(String, String)> = paths
        .iter()
        .map(|p| {
            let rel = p.strip_prefix(root).expect("under the package");
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel, std::fs::read_to_string(p).expect("reads"))
        })
        .collect();
    assert!(files.len() > 40, "found the sources");
    let layers = table("layers");
    assert!(layers.len() >= 5, "found the layer table: {layers:?}");
    let found = violations(&layers, &files);
    assert!(
        found.is_empty(),
        "references against the layers of docs/architecture.md:\n{}",
        found.join("\n")
    );
}

/// The modules of `src/tui/` a module names through `super::` or `crate::tui::` (nested
/// `super::*` in test modules names nothing). In a file of a module's folder
/// (`src/tui/app/vote.rs`), `super::` is that module, so only `crate::tui::` names others.
fn tui_references(code: &str, modules: &BTreeSet<&str>, nested: bool) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let prefixes: &[&str] = if nested {
        &["crate::tui::"]
    } else {
        &["super::", "crate::tui::"]
    };
    for &prefix in prefixes {
        let mut rest = code;
        while let Some(at) = rest.find(prefix) {
            let before = rest[..at].chars().next_back();
            rest = &rest[at + prefix.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let names: Vec<&str> = match rest.strip_prefix('{') {
                Some(group) => group
                    .split('}')
                    .next()
                    .unwrap_or("")
                    .split(',')
                    .filter_map(|item| ident_at(item.trim()))
                    .collect(),
                None => ident_at(rest).into_iter().collect(),
            };
            out.extend(
                names
                    .into_iter()
                    .filter(|n| modules.contains(n))
                    .map(str::to_string),
            );
        }
    }
    out
}

/// Inside the TUI the modules are layered too (docs/architecture.md, "tui-layers"): the
/// view draws the app, the app never calls the view, and layout knows neither.
#[test]
fn the_tui_modules_use_only_lower_ones() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let layers = table("tui-layers");
    let layer_of: BTreeMap<&str, usize> = layers
        .iter()
        .enumerate()
        .flat_map(|(i, l)| l.iter().map(move |p| (p.as_str(), i)))
        .collect();
    let modules: BTreeSet<&str> = layer_of.keys().copied().collect();
    let mut found = Vec::new();
    let mut paths = Vec::new();
    rust_files(&root.join("src/tui"), &mut paths);
    assert!(paths.len() >= 8, "found the TUI sources");
    let tui = root.join("src/tui");
    for p in paths {
        // A module is a file of `src/tui/` or a folder there (`app/`: `app/mod.rs` and the
        // files beside it).
        let rel = p.strip_prefix(&tui).expect("under src/tui");
        let parts: Vec<String> = rel
            .iter()
            .map(|c| c.to_string_lossy().into_owned())
            .collect();
        let module = match parts.as_slice() {
            [file] => file.trim_end_matches(".rs").to_string(),
            [folder, ..] => folder.clone(),
            [] => continue,
        };
        let nested = parts.len() > 2 || parts.len() == 2 && parts[1] != "mod.rs";
        let Some(&mine) = layer_of.get(module.as_str()) else {
            found.push(format!(
                "src/tui/{} is not in the tui-layers table",
                rel.display()
            ));
            continue;
        };
        let code = code_only(&std::fs::read_to_string(&p).expect("reads"));
        for target in tui_references(&code, &modules, nested) {
            if target != module && layer_of[target.as_str()] >= mine {
                found.push(format!("src/tui/{module}.rs uses tui::{target}"));
            }
        }
    }
    assert!(
        found.is_empty(),
        "against the tui-layers table of docs/architecture.md:\n{}",
        found.join("\n")
    );
}

fn fake_layers() -> Layers {
    vec![
        vec!["problem".into()],
        vec!["model".into()],
        vec!["store".into()],
        vec!["tui".into(), "serve".into()],
    ]
}

#[test]
fn checker_fails_on_an_upward_import() {
    let files = vec![
        (
            "src/store/mod.rs".to_string(),
            "use crate::model::Workspace;\nuse crate::tui::app::App;\n".to_string(),
        ),
        (
            "src/tui/app.rs".to_string(),
            "use crate::store;".to_string(),
        ),
    ];
    let found = violations(&fake_layers(), &files);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("`store` (layer 2) uses `tui` (layer 3)"),
        "{found:?}"
    );
}

#[test]
fn checker_reads_paths_groups_and_macros_and_skips_comments_and_strings() {
    let files = vec![
        (
            "src/problem.rs".to_string(),
            "#[macro_export]\nmacro_rules! path { () => {} }".to_string(),
        ),
        (
            "src/model/mod.rs".to_string(),
            concat!(
                "// crate::tui in a comment\n",
                "/* crate::serve in a block */\n",
                "const S: &str = \"crate::tui\";\n",
                "const R: &str = r#\"crate::serve\"#;\n",
                "const Q: char = '\"';\n",
                "fn f<'a>(x: &'a str) { let _ = crate::path![]; }\n",
                "use crate::{problem::Problem, store::{a, b}};\n",
                "fn g() { crate::serve::run(); }\n",
            )
            .to_string(),
        ),
    ];
    let found = violations(&fake_layers(), &files);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(found[0].contains("uses `serve`"), "{found:?}");
    assert!(found[1].contains("uses `store`"), "{found:?}");
}

#[test]
fn checker_fails_on_a_sideways_import_and_an_unknown_part() {
    let files = vec![
        (
            "src/tui/mod.rs".to_string(),
            "use crate::serve::X;".to_string(),
        ),
        ("src/extra.rs".to_string(), "use crate::model;".to_string()),
    ];
    let found = violations(&fake_layers(), &files);
    assert_eq!(found.len(), 2, "{found:?}");
}

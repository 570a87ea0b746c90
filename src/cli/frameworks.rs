use std::path::PathBuf;
use std::process::ExitCode;

use super::TextOrJson;
use crate::catalog::Origin;

pub(super) fn run(paths: &[PathBuf], format: TextOrJson) -> ExitCode {
    let cat = match super::load_catalog(paths, None) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let mut out = String::new();
    match format {
        TextOrJson::Json => {
            let items: Vec<serde_json::Value> = cat
                .entries()
                .iter()
                .map(|e| {
                    let fw = &e.framework;
                    serde_json::json!({
                        "id": fw.id,
                        "name": fw.name,
                        "version": fw.version,
                        "source": fw.source,
                        "competencies": fw.competencies.len(),
                        "origin": match &e.origin { Origin::Embedded(_) => "built-in".to_string(), Origin::File(p) => p.display().to_string() },
                        "overrides_builtin": e.overrides_embedded,
                    })
                })
                .collect();
            out = serde_json::to_string_pretty(&items).unwrap_or_default() + "\n";
        }
        TextOrJson::Text => {
            let rows: Vec<[String; 5]> = cat
                .entries()
                .iter()
                .map(|e| {
                    let fw = &e.framework;
                    let from = match &e.origin {
                        Origin::Embedded(_) => "built-in".to_string(),
                        Origin::File(p) if e.overrides_embedded => {
                            format!("{} (overrides built-in)", p.display())
                        }
                        Origin::File(p) => p.display().to_string(),
                    };
                    [
                        fw.id.clone(),
                        fw.name.clone(),
                        fw.version.clone(),
                        fw.competencies.len().to_string(),
                        from,
                    ]
                })
                .collect();
            let header = ["ID", "NAME", "VERSION", "COMPETENCIES", "FROM"];
            let mut widths = header.map(str::len);
            for r in &rows {
                for (w, c) in widths.iter_mut().zip(r) {
                    *w = (*w).max(c.chars().count());
                }
            }
            let line = |out: &mut String, cells: &[&str]| {
                let mut s = String::new();
                for (i, c) in cells.iter().enumerate() {
                    if i + 1 == cells.len() {
                        s.push_str(c);
                    } else {
                        s.push_str(&format!("{c:<w$}  ", w = widths[i]));
                    }
                }
                out.push_str(s.trim_end());
                out.push('\n');
            };
            line(&mut out, &header);
            for r in &rows {
                line(&mut out, &r.iter().map(String::as_str).collect::<Vec<_>>());
            }
            for e in cat.entries() {
                if let Some(src) = &e.framework.source {
                    out.push_str(&format!("source of {}: {src}\n", e.framework.id));
                }
            }
            out.push_str(&format!(
                "{} frameworks, {} competencies\n",
                cat.entries().len(),
                cat.competency_count()
            ));
        }
    }
    super::print_as(&out, format == TextOrJson::Json)
}

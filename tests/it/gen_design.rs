//! The benchmark design generator (`examples/gen_design.rs`) at size 0.25 against the built-in
//! frameworks: the counts, a clean load, and byte-identical output for equal options.

use crate::generator;

use generator::{Options, generate, scaled};
use microcred::catalog::Catalog;
use microcred::document::{workspace_from_str, workspace_to_string};

#[test]
fn size_quarter_against_built_in_frameworks() {
    let catalog = Catalog::embedded().expect("built-in frameworks load");
    let opts = Options {
        size: 0.25,
        seed: 1,
        files_only: false,
    };
    let generated = generate(&catalog, &opts);
    let ws = &generated.workspace;
    // 30 × 0.25 = 7.5 rounds half away from zero.
    assert_eq!(scaled(generator::BASE_PARTNERS, 0.25), 8);
    assert_eq!(ws.partners.len(), 8);
    assert_eq!(ws.needs.len(), 500);
    assert_eq!(ws.mappings.len(), 1_250);
    // 250 asked for; the built-in frameworks hold fewer, and each may be listed once.
    let available = catalog.competency_count();
    assert_eq!(
        scaled(generator::BASE_COMPETENCIES, 0.25),
        250,
        "size 0.25 asks for 250"
    );
    assert_eq!(ws.competencies.len(), 250.min(available));
    if available < 250 {
        assert_eq!(generated.notes.len(), 1, "{:?}", generated.notes);
    }
    // Every status is there, and some comments.
    for status in ["agreed", "proposed", "disputed", "rejected"] {
        assert!(
            ws.mappings.iter().any(|m| m.status.as_str() == status),
            "no {status} mapping"
        );
    }
    assert!(ws.mappings.iter().any(|m| !m.comments.is_empty()));

    let text = workspace_to_string(ws);
    let loaded = workspace_from_str(&text, "generated.yaml", &catalog)
        .unwrap_or_else(|p| panic!("the generated design does not load:\n{p}"));
    assert_eq!(&loaded.workspace, ws);
    assert!(
        loaded.warnings.is_empty(),
        "warnings: {:?}",
        loaded.warnings
    );
    // Canonical: writing what was read gives the same bytes.
    assert_eq!(workspace_to_string(&loaded.workspace), text);

    let again = workspace_to_string(&generate(&catalog, &opts).workspace);
    assert_eq!(again, text, "two runs differ");
    let other = workspace_to_string(&generate(&catalog, &Options { seed: 2, ..opts }).workspace);
    assert_ne!(other, text, "the seed changes nothing");
}

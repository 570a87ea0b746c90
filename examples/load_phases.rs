//! Times the phases of loading a large framework through the cache (development aid).
//! `cargo run --release --example load_phases -- FRAMEWORK.yaml`
use std::time::Instant;
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: load_phases FRAMEWORK.yaml");
        std::process::exit(2);
    };
    let p = std::path::Path::new(&path);
    let t = Instant::now();
    let _ = microcred::catalog::Catalog::embedded();
    println!("embedded frameworks: {:?}", t.elapsed());
    let t = Instant::now();
    let text = microcred::store::read_text(p);
    println!(
        "read_text: {:?} ({} bytes)",
        t.elapsed(),
        text.map(|t| t.len()).unwrap_or(0)
    );
    let t = Instant::now();
    let fw = microcred::catalog::cache::load_framework_cached(p);
    println!("cached load: {:?}", t.elapsed());
    let t = Instant::now();
    let cat = microcred::catalog::Catalog::from_frameworks(fw.ok());
    println!("catalog: {:?}", t.elapsed());
    let t = Instant::now();
    let idx = microcred::analysis::search::SearchIndex::new(&cat);
    println!(
        "search index: {:?} ({} labels)",
        t.elapsed(),
        idx.label_count()
    );
    let t = Instant::now();
    let sources = microcred::catalog::Sources {
        paths: vec![p.to_path_buf()],
        ..Default::default()
    };
    match microcred::catalog::search_cache::load_index(&sources) {
        Ok(i) => println!(
            "search index via snapshot: {:?} ({} labels; a first call writes the snapshot)",
            t.elapsed(),
            i.label_count()
        ),
        Err(e) => println!("search index via snapshot: {e:?}"),
    }
    for q in ["d", "data anal"] {
        let t = Instant::now();
        let h = idx.search(q, 20);
        println!("search {q:?}: {:?} ({} hits)", t.elapsed(), h.len());
    }
    let t = Instant::now();
    let s = microcred::analysis::suggest::Suggester::new(&cat);
    println!("suggest index: {:?}", t.elapsed());
    let t = Instant::now();
    drop(s);
    drop(idx);
    drop(cat);
    println!("drop: {:?}", t.elapsed());
}

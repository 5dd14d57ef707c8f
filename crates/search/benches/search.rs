//! Search latency on the real nomenclature. Run: `cargo bench -p search`.

use std::path::PathBuf;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use search::{SearchIndex, SearchRequest};

fn data_dir() -> PathBuf {
    settings::data_dir_for_tests(env!("CARGO_MANIFEST_DIR"))
}

fn bench(c: &mut Criterion) {
    let hs = Arc::new(nomenclature::load_dir(&data_dir()).expect("data dir"));
    let index = SearchIndex::in_memory(hs).unwrap();
    for q in [
        "laptop",
        "frozen boneless beef",
        "8471.30",
        "men's cotton shirts knitted",
    ] {
        c.bench_function(&format!("search {q:?}"), |b| {
            b.iter(|| {
                index.search(&SearchRequest {
                    text: q,
                    limit: 10,
                    level: None,
                })
            })
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);

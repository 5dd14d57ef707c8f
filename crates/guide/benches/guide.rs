//! Classification and guided-step latency on the real corpus, lexical legs (the encoder adds
//! its own ~20 ms; `customs eval` reports the full figure). Run: `cargo bench -p guide`.

use std::sync::Arc;

use classify::Classifier;
use corpus::Corpus;
use criterion::{Criterion, criterion_group, criterion_main};
use guide::{Dialogue, Guide, Settings};

fn bench(c: &mut Criterion) {
    let data = settings::data_dir_for_tests(env!("CARGO_MANIFEST_DIR"));
    let hs = Arc::new(nomenclature::load_dir(&data).expect("data dir"));
    let corpus = Corpus::build(&data, &hs, &text::Synonyms::builtin(), &|_, _, _| {}).unwrap();
    let mut classifier = Classifier::new(Arc::new(corpus), hs, None, None).unwrap();
    classifier.tune();
    let classifier = Arc::new(classifier);
    let guide = Guide::new(classifier.clone(), Settings::default());
    for q in ["dried fruit", "men's cotton trousers", "motorcycle, 125cc"] {
        c.bench_function(&format!("classify {q:?}"), |b| {
            b.iter(|| classifier.classify(q, 10))
        });
        let dialogue = Dialogue::new(q);
        c.bench_function(&format!("guide step {q:?}"), |b| {
            b.iter(|| guide.step(&dialogue))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);

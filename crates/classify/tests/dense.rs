//! The dense legs with the real encoder, over a slice of the corpus (chapters 01 to 09) so
//! that embedding stays quick. Needs the model files (`scripts/fetch-model`).

use std::sync::Arc;

use classify::dense::{Dense, DenseRows};
use classify::{Classifier, LegName, Semantic};
use corpus::Corpus;

#[test]
fn the_dense_legs_understand_words_the_tariff_does_not_use() {
    let data = settings::data_dir_for_tests(env!("CARGO_MANIFEST_DIR"));
    let hs = Arc::new(nomenclature::load_dir(&data).unwrap());
    let full = Corpus::build(&data, &hs, &text::Synonyms::builtin(), &|_, _, _| {}).unwrap();
    let keep = |code: &nomenclature::HsCode| code.as_str() < "10";
    let docs: Vec<_> = full
        .docs
        .iter()
        .filter(|d| keep(&d.code))
        .cloned()
        .collect();
    let mut labelled = full.labelled;
    labelled.examples.retain(|e| keep(&e.code));
    let corpus = Arc::new(Corpus::new(docs, full.manifest, labelled));

    let encoder = Arc::new(
        encoder::Encoder::load(&encoder::Encoder::default_dir(
            &settings::model_dir_for_tests(env!("CARGO_MANIFEST_DIR")),
        ))
        .expect("run scripts/fetch-model"),
    );
    let rows = DenseRows::from_corpus(&corpus);
    let refs: Vec<&str> = rows.texts.iter().map(String::as_str).collect();
    let mut matrix = Vec::new();
    for chunk in refs.chunks(64) {
        for v in encoder.encode(chunk).unwrap() {
            matrix.extend(v);
        }
    }
    let dense = Dense::new(&rows, matrix, encoder.dim(), corpus.docs.len());
    let c = Classifier::new(corpus, hs, None, Some(Semantic { encoder, dense })).unwrap();
    assert_eq!(
        c.legs(),
        [
            LegName::Lexical,
            LegName::Examples,
            LegName::Dense,
            LegName::DenseExamples
        ]
    );

    // No word of "stallion" is in the tariff or its examples; its meaning is.
    let legs = c.run_legs("a young stallion");
    let dense_hits = &legs.iter().find(|(l, _)| *l == LegName::Dense).unwrap().1;
    let top: Vec<String> = dense_hits
        .iter()
        .take(5)
        .map(|(p, _)| c.corpus().docs[*p].code.to_string())
        .collect();
    assert!(top.iter().any(|code| code.starts_with("0101")), "{top:?}");
    let ranked = c.rank("a young stallion", 5);
    assert!(
        ranked
            .iter()
            .any(|(code, _)| code.as_str().starts_with("0101")),
        "{ranked:?}"
    );
}

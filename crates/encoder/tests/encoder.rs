//! Needs the model files (`scripts/fetch-model`; `.ci/run` fetches them).

use encoder::{Encoder, cosine};

#[test]
fn embeddings_are_unit_vectors_that_capture_meaning() {
    let e = Encoder::load(&Encoder::default_dir(&settings::model_dir_for_tests(env!(
        "CARGO_MANIFEST_DIR"
    ))))
    .expect("model files present (run scripts/fetch-model)");
    assert_eq!(e.dim(), 384);
    let v = e
        .encode(&[
            "laptop computer",
            "portable automatic data processing machine",
            "frozen fish fillets",
        ])
        .unwrap();
    assert_eq!(v.len(), 3);
    for x in &v {
        let norm: f32 = x.iter().map(|a| a * a).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "{norm}");
    }
    assert!(cosine(&v[0], &v[1]) > cosine(&v[0], &v[2]) + 0.1);
}

#[test]
fn batches_of_different_lengths_match_single_encodings() {
    let e = Encoder::load(&Encoder::default_dir(&settings::model_dir_for_tests(env!(
        "CARGO_MANIFEST_DIR"
    ))))
    .unwrap();
    let batch = e
        .encode(&["tea", "green tea in bags of 2 g for infusion"])
        .unwrap();
    let single = e.encode(&["tea"]).unwrap();
    assert!(
        cosine(&batch[0], &single[0]) > 0.9999,
        "padding must not change the embedding"
    );
    assert!(e.encode(&[]).unwrap().is_empty());
}

#[test]
fn a_missing_model_is_a_clear_error() {
    let err = Encoder::load(std::path::Path::new("/nonexistent"))
        .err()
        .unwrap();
    assert!(err.to_string().contains("scripts/fetch-model"), "{err}");
}

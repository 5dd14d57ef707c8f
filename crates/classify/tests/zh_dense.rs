//! The Chinese leg's dense part with the real e5 encoder and the real tariff, over the passages
//! of a few subheadings so that embedding stays quick. Needs the model files
//! (`scripts/fetch-model`) and the data set.

use std::sync::Arc;

use classify::ChineseLeg;
use classify::zh::ZH_DENSE_WEIGHT;
use classify::zh_dense::{QueryEncoder, ZhDense};
use search::TariffIndex;
use tariff::TwTariff;

/// zh-TW development case zh-195 (public): a range hood. The index ranks other subheadings
/// first; e5 knows 抽油煙機 is a 排氣或循環用之通風罩 (8414.60).
#[test]
fn the_dense_part_puts_a_range_hood_in_its_subheading() {
    let data = settings::data_dir_for_tests(env!("CARGO_MANIFEST_DIR"));
    let tariff = Arc::new(TwTariff::load(&data).expect("the tariff loads"));
    let index = Arc::new(TariffIndex::build(tariff.clone()).unwrap());
    let query = "抽油煙機";
    let gold = "841460";
    let plain = ChineseLeg::new(index.clone());
    let before = plain.classify(query, 30);
    assert_ne!(before[0].hs6.as_str(), gold, "the index alone misses it");

    // Passages of the index's candidates and of the gold subheading.
    let mut keep: Vec<String> = before.iter().map(|c| c.hs6.as_str().to_string()).collect();
    keep.push(gold.into());
    let passages: Vec<search::ZhPassage> = search::zh_passages(&tariff)
        .into_iter()
        .filter(|p| keep.iter().any(|k| k == p.hs6.as_str()))
        .collect();
    let encoder = Arc::new(
        encoder::Encoder::load(&encoder::Encoder::e5_dir(&settings::model_dir_for_tests(
            env!("CARGO_MANIFEST_DIR"),
        )))
        .expect("e5 model files present (run scripts/fetch-model)"),
    );
    let texts: Vec<&str> = passages.iter().map(|p| p.text.as_str()).collect();
    let mut matrix = Vec::new();
    for chunk in texts.chunks(32) {
        for v in encoder.encode_passages(chunk).unwrap() {
            matrix.extend(v);
        }
    }
    let e = encoder.clone();
    let encode: QueryEncoder =
        Arc::new(move |t: &str| e.encode_queries(&[t]).ok().and_then(|mut v| v.pop()));
    let dense = ZhDense::new(&passages, matrix, encoder.dim(), encode).unwrap();
    let leg = ChineseLeg::new(index).with_dense(Arc::new(dense), ZH_DENSE_WEIGHT);
    let after = leg.classify(query, 10);
    assert_eq!(after[0].hs6.as_str(), gold, "{:?}", after[0]);
    assert!(
        after[0]
            .lines
            .iter()
            .any(|(l, _)| l.as_str().starts_with(gold))
    );
}

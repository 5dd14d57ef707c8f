use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use nomenclature::{Level, Nomenclature};
use search::{SearchIndex, SearchRequest};

fn data_dir() -> PathBuf {
    settings::data_dir_for_tests(env!("CARGO_MANIFEST_DIR"))
}

fn real() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let hs = nomenclature::load_dir(&data_dir()).expect("the real data set loads");
        SearchIndex::in_memory(Arc::new(hs)).unwrap()
    })
}

fn top_codes(q: &str, limit: usize) -> Vec<String> {
    let req = SearchRequest {
        text: q,
        limit,
        level: None,
    };
    real()
        .search(&req)
        .hits
        .iter()
        .map(|h| h.code.to_string())
        .collect()
}

fn fixture() -> Nomenclature {
    let fx = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../nomenclature/tests/fixtures");
    let hs = std::fs::read(fx.join("hs-small.csv")).unwrap();
    let sections = std::fs::read(fx.join("sections.csv")).unwrap();
    nomenclature::load_from_bytes(&hs, &sections).unwrap()
}

#[test]
fn the_real_nomenclature_has_the_published_shape() {
    let hs = real().nomenclature();
    assert_eq!(hs.sections().len(), 21);
    assert_eq!(hs.count(Level::Chapter), 97);
    assert_eq!(hs.count(Level::Heading), 1229);
    assert_eq!(hs.count(Level::Subheading), 5613);
    assert_eq!(real().documents(), 97 + 1229 + 5613);
}

#[test]
fn everyday_words_find_the_legal_text() {
    assert_eq!(top_codes("laptop", 3)[0], "847130");
    assert!(top_codes("smartphone", 5).contains(&"851713".to_string()));
    assert!(top_codes("live horses for breeding", 3).contains(&"010121".to_string()));
}

#[test]
fn stemming_and_spelling_variants_match() {
    let a = top_codes("frozen shrimps", 5);
    let b = top_codes("frozen shrimp", 5);
    assert_eq!(a, b);
    assert!(a.iter().any(|c| c.starts_with("0306")), "{a:?}");
    assert_eq!(
        top_codes("aluminium foil", 5),
        top_codes("aluminum foil", 5)
    );
}

#[test]
fn codes_go_straight_to_the_code_and_below() {
    assert_eq!(top_codes("8471.30", 1), ["847130"]);
    assert_eq!(top_codes("84.71", 3), ["8471", "847130", "847141"]);
    // A national 10-digit line is read at its HS6.
    assert_eq!(top_codes("8471.30.0100", 1), ["847130"]);
    let hits = real().search(&SearchRequest {
        text: "0101",
        limit: 10,
        level: Some(Level::Subheading),
    });
    assert!(hits.code_lookup);
    assert!(
        hits.hits
            .iter()
            .all(|h| h.code.level() == Level::Subheading)
    );
}

#[test]
fn hits_carry_highlights_of_the_matched_words() {
    let hits = real().search(&SearchRequest {
        text: "horses",
        limit: 5,
        level: Some(Level::Heading),
    });
    let first = &hits.hits[0];
    assert_eq!(first.code.as_str(), "0101");
    let desc = &real().nomenclature().get(&first.code).unwrap().description;
    let marked: Vec<&str> = first.highlights.iter().map(|r| &desc[r.clone()]).collect();
    assert_eq!(marked, ["Horses"]);
    assert_eq!(first.matched_words, ["Horses"]);
}

#[test]
fn queries_without_meaning_return_nothing() {
    assert!(top_codes("the of and", 10).is_empty());
    assert!(top_codes("", 10).is_empty());
    assert!(top_codes("zzzqqq", 10).is_empty());
}

#[test]
fn a_stored_index_is_reused_until_the_data_changes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index");
    let hs = Arc::new(fixture());
    let first = SearchIndex::open_or_build(&path, hs.clone(), &|_, _| {}).unwrap();
    assert!(first.was_rebuilt());
    drop(first);
    let again = SearchIndex::open_or_build(&path, hs, &|_, _| {}).unwrap();
    assert!(!again.was_rebuilt());
    assert_eq!(again.documents(), 11);
    drop(again);

    let fx = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../nomenclature/tests/fixtures");
    let text = std::fs::read_to_string(fx.join("hs-small.csv")).unwrap();
    let changed = text.replace("I,010130,Asses; live,0101,6\n", "");
    let sections = std::fs::read(fx.join("sections.csv")).unwrap();
    let hs2 = Arc::new(nomenclature::load_from_bytes(changed.as_bytes(), &sections).unwrap());
    let progress = std::cell::Cell::new(0);
    let rebuilt = SearchIndex::open_or_build(&path, hs2, &|done, _| progress.set(done)).unwrap();
    assert!(rebuilt.was_rebuilt());
    assert_eq!(rebuilt.documents(), 10);
    assert_eq!(progress.get(), 10);
}

use std::path::PathBuf;
use std::sync::OnceLock;

use corpus::{Corpus, Split, read_artifact, write_artifact};
use nomenclature::{HsCode, Nomenclature};

fn data_dir() -> PathBuf {
    settings::data_dir_for_tests(env!("CARGO_MANIFEST_DIR"))
}

fn hs() -> &'static Nomenclature {
    static HS: OnceLock<Nomenclature> = OnceLock::new();
    HS.get_or_init(|| nomenclature::load_dir(&data_dir()).unwrap())
}

fn corpus() -> &'static Corpus {
    static C: OnceLock<Corpus> = OnceLock::new();
    C.get_or_init(|| {
        Corpus::build(&data_dir(), hs(), &text::Synonyms::builtin(), &|_, _, _| {}).unwrap()
    })
}

fn code(s: &str) -> HsCode {
    HsCode::parse(s).unwrap()
}

#[test]
fn every_answerable_subheading_has_a_document_with_context() {
    let c = corpus();
    assert_eq!(c.docs.len(), 5612, "5,613 subheadings less 9999.99");
    assert!(c.doc(&code("999999")).is_none());
    let other = c.doc(&code("010129")).unwrap();
    assert_eq!(
        other.context,
        ["Animals; live", "Horses, asses, mules and hinnies; live"]
    );
    assert!(other.path_text().starts_with("Animals; live › Horses"));
}

#[test]
fn national_lines_enrich_the_subheadings() {
    let c = corpus();
    let phones = c.doc(&code("851713")).unwrap();
    assert!(
        phones
            .national
            .iter()
            .any(|t| t.to_lowercase().contains("smartphone")),
        "{:?}",
        phones.national
    );
    // Bare "Other" lines carry nothing and are dropped; duplicates are kept once.
    assert!(
        c.docs
            .iter()
            .all(|d| d.national.iter().all(|t| t.to_lowercase() != "other"))
    );
    let horses = c.doc(&code("010121")).unwrap();
    let mut sorted = horses.national.clone();
    sorted.dedup_by_key(|t| text::normalise(t));
    assert_eq!(sorted.len(), horses.national.len());
    assert!(c.manifest.national_lines > 20_000);
}

#[test]
fn trade_names_and_training_examples_are_attached() {
    let c = corpus();
    assert!(
        c.doc(&code("847130"))
            .unwrap()
            .trade_names
            .contains(&"laptop".to_string())
    );
    let train = c.labelled.split(Split::Train).count();
    let dev = c.labelled.split(Split::Dev).count();
    assert!(train > 4 * dev && dev > 300, "train {train}, dev {dev}");
    let attached: usize = c.docs.iter().map(|d| d.examples.len()).sum();
    assert_eq!(attached, train, "only training examples enter the corpus");
    assert!(c.labelled.vague.len() > 4000);
    assert!(!c.manifest.trained_on_corpus_only);
}

#[test]
fn the_artifact_round_trips_with_a_content_version() {
    let dir = tempfile::tempdir().unwrap();
    let m1 = write_artifact(corpus(), dir.path()).unwrap();
    assert_eq!(m1.version.len(), 16);
    let back = read_artifact(dir.path()).unwrap();
    assert_eq!(back.docs.len(), corpus().docs.len());
    assert_eq!(back.manifest.version, m1.version);
    assert_eq!(
        back.labelled.examples.len(),
        corpus().labelled.examples.len()
    );
    assert_eq!(
        back.doc(&code("847130")).unwrap().text,
        corpus().doc(&code("847130")).unwrap().text
    );
    let again = write_artifact(&back, tempfile::tempdir().unwrap().path()).unwrap();
    assert_eq!(again.version, m1.version, "same content, same version");
}

#[test]
fn a_data_dir_without_labelled_data_builds_a_corpus_only_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let hs_dir = dir.path().join("harmonized-system");
    std::fs::create_dir_all(&hs_dir).unwrap();
    for f in ["harmonized-system.csv", "sections.csv"] {
        std::fs::copy(data_dir().join("harmonized-system").join(f), hs_dir.join(f)).unwrap();
    }
    let c = Corpus::build(dir.path(), hs(), &text::Synonyms::builtin(), &|_, _, _| {}).unwrap();
    assert!(c.manifest.trained_on_corpus_only);
    assert_eq!(c.manifest.national_lines, 0);
    assert_eq!(c.docs.len(), 5612);
}

#[test]
fn a_malformed_labelled_file_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let set = dir.path().join("labelled/uk-ott-search-references");
    std::fs::create_dir_all(&set).unwrap();
    std::fs::write(set.join("labelled.csv"), "id,description\nx1,tea\n").unwrap();
    let err = corpus::load_labelled(dir.path(), &["uk-ott-search-references"], hs()).unwrap_err();
    assert!(err.to_string().contains("labelled.csv"), "{err}");
}

#[test]
fn customs_own_rulings_join_the_labelled_data_and_the_inputs() {
    let data = tempfile::tempdir().unwrap();
    let hs_dir = data.path().join("harmonized-system");
    std::fs::create_dir_all(&hs_dir).unwrap();
    for f in ["harmonized-system.csv", "sections.csv"] {
        std::fs::copy(data_dir().join("harmonized-system").join(f), hs_dir.join(f)).unwrap();
    }
    let state = tempfile::tempdir().unwrap();
    let set = state.path().join("labelled/customs-rulings");
    std::fs::create_dir_all(&set).unwrap();
    let mut rows = String::from("id,description,code,source,decided_at\n");
    for i in 0..40 {
        rows.push_str(&format!(
            "EA-2026-{i:06},freeze-dried strawberry slices lot {i},081340,advance_ruling,2026-12-01\n"
        ));
    }
    std::fs::write(set.join("labelled.csv"), rows).unwrap();

    let before = corpus::current_inputs_with_decisions(data.path(), None).unwrap();
    let after = corpus::current_inputs_with_decisions(data.path(), Some(state.path())).unwrap();
    assert_eq!(
        after.len(),
        before.len() + 1,
        "a new decision changes the inputs"
    );

    let c = Corpus::build_with_decisions(
        data.path(),
        Some(state.path()),
        hs(),
        &text::Synonyms::builtin(),
        &|_, _, _| {},
    )
    .unwrap();
    assert!(!c.manifest.trained_on_corpus_only);
    let own: Vec<_> = c
        .labelled
        .examples
        .iter()
        .filter(|e| e.source == "customs-rulings")
        .collect();
    assert_eq!(own.len(), 40);
    let doc = c
        .doc(&nomenclature::HsCode::parse("081340").unwrap())
        .unwrap();
    assert!(
        doc.examples
            .iter()
            .any(|t| t.contains("freeze-dried strawberry")),
        "training-split rulings teach the subheading's document"
    );
}

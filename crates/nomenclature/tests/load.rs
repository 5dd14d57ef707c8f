use nomenclature::{HsCode, Level, LoadError, SectionNumber, load_from_bytes};

const SECTIONS: &[u8] = include_bytes!("fixtures/sections.csv");
const HS: &[u8] = include_bytes!("fixtures/hs-small.csv");

fn code(s: &str) -> HsCode {
    HsCode::parse(s).unwrap()
}

/// Loads a variant of the fixture with one line replaced, and returns the error text.
fn error_with(from: &str, to: &str) -> String {
    let text = String::from_utf8(HS.to_vec()).unwrap();
    assert!(text.contains(from), "fixture lacks {from:?}");
    let broken = text.replace(from, to);
    match load_from_bytes(broken.as_bytes(), SECTIONS) {
        Ok(_) => panic!("a broken file loaded: {to:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn loads_the_fixture_with_bom_and_quotes() {
    let hs = load_from_bytes(HS, SECTIONS).unwrap();
    assert_eq!(hs.count(Level::Chapter), 3);
    assert_eq!(hs.count(Level::Heading), 3);
    assert_eq!(hs.count(Level::Subheading), 5);
    assert_eq!(hs.sections().len(), 21);
    let horses = hs.get(&code("0101")).unwrap();
    assert_eq!(horses.description, "Horses, asses, mules and hinnies; live");
    assert_eq!(horses.section, SectionNumber::parse("I"));
    assert_eq!(hs.sections()[0].title, "Live animals; animal products");
    // The grand-total row is not a code.
    assert!(hs.nodes().iter().all(|n| n.code.as_str() != "TOTAL"));
}

#[test]
fn links_parents_children_siblings_and_ancestors() {
    let hs = load_from_bytes(HS, SECTIONS).unwrap();
    let kids: Vec<_> = hs
        .children(&code("0101"))
        .iter()
        .map(|n| n.code.to_string())
        .collect();
    assert_eq!(kids, ["010121", "010129", "010130"]);
    let sibs: Vec<_> = hs
        .siblings(&code("010129"))
        .iter()
        .map(|n| n.code.to_string())
        .collect();
    assert_eq!(sibs, ["010121", "010130"]);
    let up: Vec<_> = hs
        .ancestors(&code("847130"))
        .iter()
        .map(|n| n.code.to_string())
        .collect();
    assert_eq!(up, ["84", "8471"]);
    assert_eq!(
        hs.path_text(&code("010129")),
        "Animals; live › Horses, asses, mules and hinnies; live › Horses; live, other than pure-bred breeding animals"
    );
    let ch99: Vec<_> = hs
        .unsectioned_chapters()
        .map(|n| n.code.to_string())
        .collect();
    assert_eq!(ch99, ["99"]);
    assert_eq!(
        hs.section(SectionNumber::parse("XVI").unwrap())
            .unwrap()
            .chapters,
        [code("84")]
    );
}

#[test]
fn digest_changes_with_the_data() {
    let a = load_from_bytes(HS, SECTIONS).unwrap();
    let text = String::from_utf8(HS.to_vec())
        .unwrap()
        .replace("Asses; live", "Asses; alive");
    let b = load_from_bytes(text.as_bytes(), SECTIONS).unwrap();
    assert_eq!(a.digest().len(), 64);
    assert_ne!(a.digest(), b.digest());
}

#[test]
fn rejects_a_missing_parent_naming_the_line() {
    let e = error_with("I,010130,Asses; live,0101,6", "I,010230,Asses; live,0102,6");
    assert_eq!(
        e,
        "harmonized-system.csv line 6: 010230 names parent 0102, which does not exist"
    );
}

#[test]
fn rejects_a_wrong_parent_link() {
    let e = error_with("I,010130,Asses; live,0101,6", "I,010130,Asses; live,01,6");
    assert!(e.contains("line 6") && e.contains("expected 0101"), "{e}");
}

#[test]
fn rejects_a_level_that_disagrees_with_the_code() {
    let e = error_with("I,010130,Asses; live,0101,6", "I,010130,Asses; live,0101,4");
    assert!(e.contains("line 6") && e.contains("level 4"), "{e}");
}

#[test]
fn rejects_malformed_codes() {
    let e = error_with("I,010130,Asses; live,0101,6", "I,01013,Asses; live,0101,6");
    assert!(e.contains("line 6") && e.contains("5"), "{e}");
    let e = error_with("I,010130,Asses; live,0101,6", "I,01O130,Asses; live,0101,6");
    assert!(e.contains("line 6") && e.contains("not all digits"), "{e}");
}

#[test]
fn rejects_unknown_sections_and_section_mismatch() {
    let e = error_with(
        "I,010130,Asses; live,0101,6",
        "XXV,010130,Asses; live,0101,6",
    );
    assert!(e.contains("line 6") && e.contains("XXV"), "{e}");
    let e = error_with(
        "I,010130,Asses; live,0101,6",
        "II,010130,Asses; live,0101,6",
    );
    assert!(
        e.contains("line 6") && e.contains("different section"),
        "{e}"
    );
}

#[test]
fn rejects_duplicates_and_empty_descriptions() {
    let e = error_with("I,010130,Asses; live,0101,6", "I,010129,Asses; live,0101,6");
    assert!(e.contains("appears twice"), "{e}");
    let e = error_with("I,010130,Asses; live,0101,6", "I,010130,,0101,6");
    assert!(e.contains("line 6") && e.contains("no description"), "{e}");
}

#[test]
fn rejects_broken_quoting_and_missing_columns() {
    let e = error_with(
        "I,010130,Asses; live,0101,6",
        "I,010130,\"Asses; live,0101,6\nI,010190,x,0101,6",
    );
    assert!(e.contains("malformed CSV") || e.contains("line"), "{e}");
    let e = error_with("section,hscode,description", "section,code,description");
    assert_eq!(e, "harmonized-system.csv line 1: missing column \"hscode\"");
}

#[test]
fn rejects_an_incomplete_sections_file() {
    let text = String::from_utf8(SECTIONS.to_vec())
        .unwrap()
        .replace("XXI,", "XX,");
    let err = load_from_bytes(HS, text.as_bytes()).unwrap_err();
    assert!(
        matches!(
            err,
            LoadError::Invalid {
                file: "sections.csv",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn reports_a_missing_directory() {
    let dir = tempfile::tempdir().unwrap();
    let err = nomenclature::load_dir(dir.path()).unwrap_err();
    assert!(err.to_string().contains("harmonized-system.csv"), "{err}");
}

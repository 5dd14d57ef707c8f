//! The loader refuses any bad row, naming its line, and never half-loads.

use std::collections::BTreeSet;

use nomenclature::HsCode;
use tariff::{CccCode, Column, LoadError, Rate, TwTariff, UnitCode};

fn fixture() -> String {
    let path = format!(
        "{}/tests/fixtures/tw_tariff_edition_a.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).unwrap()
}

fn hs() -> BTreeSet<HsCode> {
    ["010121", "010129", "020110", "030244", "851713"]
        .iter()
        .map(|c| HsCode::parse(c).unwrap())
        .collect()
}

fn load(text: &str) -> Result<TwTariff, LoadError> {
    TwTariff::from_reader(text.as_bytes(), &hs())
}

/// The error for the fixture with `from` replaced by `to`, as text.
fn error_after(from: &str, to: &str) -> String {
    let text = fixture();
    assert!(text.contains(from), "fixture lacks {from:?}");
    load(&text.replacen(from, to, 1)).unwrap_err().to_string()
}

#[test]
fn loads_the_fixture() {
    let t = load(&fixture()).unwrap();
    assert_eq!(t.len(), 6);
    assert!(t.labels().is_empty());
    let beef = t.get(&CccCode::parse("0201.10.10.00-3").unwrap()).unwrap();
    assert_eq!(beef.unit_weight, Some(UnitCode::KGM));
    assert_eq!(beef.unit_qty, None);
    assert!(matches!(
        beef.duty(Column::Three).general_rate(),
        Some(Rate::Compound { .. })
    ));
    let luggage = t.by_tariff_no("98061000");
    assert!(luggage[0].duty(Column::Two).is_empty());
}

#[test]
fn names_the_line_of_each_problem() {
    let cases = [
        // A wrong check digit (the right one is 3).
        ("01012100003,01", "01012100007,01", "line 2", "expected 3"),
        // A derived column that disagrees with the code.
        (
            "01012900005,01,0101,010129",
            "01012900005,01,0101,010128",
            "line 3",
            "hs6",
        ),
        // An HS6 that HS 2022 does not have.
        (
            "85171300005,85,8517,851713,85171300,8517130000,5",
            "85171200006,85,8517,851712,85171200,8517120000,6",
            "line 6",
            "not an HS 2022",
        ),
        // A rate cell that does not parse.
        (",2.5%,\"0%", ",2.5 percent,\"0%", "line 2", "duty_col1"),
        // Column 2 left empty outside chapter 98.
        (
            ",\"0% (PA,GT,NI,SV,HN,NZ,SG,MH)\",10%",
            ",,10%",
            "line 6",
            "duty_col2 is empty",
        ),
        // Column 1 with a partner list.
        (
            ",0%,\"0% (PA,GT,NI,SV,HN,NZ,SG,MH)\"",
            ",0% (PA),\"0% (PA,GT,NI,SV,HN,NZ,SG,MH)\"",
            "line 6",
            "column 1",
        ),
        // A unit that is not a code.
        (",PCE,KGM", ",pieces,KGM", "line 6", "unit_qty"),
    ];
    for (from, to, line, what) in cases {
        let err = error_after(from, to);
        assert!(err.contains(line) && err.contains(what), "{to}: {err}");
    }
}

#[test]
fn rejects_bad_headers_duplicates_and_short_rows() {
    assert!(error_after("duty_col1,duty_col2", "duty_col2,duty_col1").contains("line 1"));
    let text = fixture();
    let first_row = text.lines().nth(1).unwrap();
    let dup = format!("{text}{first_row}\n");
    assert!(
        load(&dup)
            .unwrap_err()
            .to_string()
            .contains("line 8: code 01012100003 appears twice")
    );
    let short = format!("{text}01019000009,01,0101\n");
    assert!(load(&short).unwrap_err().to_string().contains("line 8"));
}

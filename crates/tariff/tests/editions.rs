//! Two hand-written editions in the 2025 file's format (tests/fixtures).

use std::collections::BTreeSet;

use nomenclature::HsCode;
use tariff::{CccCode, Column, TwTariff, diff, flag_codes_gone};

fn hs() -> BTreeSet<HsCode> {
    ["010121", "010129", "020110", "030244", "851713"]
        .iter()
        .map(|c| HsCode::parse(c).unwrap())
        .collect()
}

fn edition(name: &str) -> TwTariff {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    TwTariff::from_reader(std::fs::File::open(path).unwrap(), &hs()).unwrap()
}

#[test]
fn diffs_two_editions() {
    let (a, b) = (
        edition("tw_tariff_edition_a.csv"),
        edition("tw_tariff_edition_b.csv"),
    );
    assert_ne!(a.digest(), b.digest());
    let d = diff(&a, &b);
    let codes = |v: &[CccCode]| v.iter().map(|c| c.dotted()).collect::<Vec<_>>();
    // The mackerel line 0302.44.00.00 is split into two statistical lines.
    assert_eq!(codes(&d.removed), ["0302.44.00.00-3"]);
    assert_eq!(codes(&d.added), ["0302.44.00.10-1", "0302.44.00.90-4"]);
    let changes: Vec<_> = d
        .rate_changes
        .iter()
        .map(|c| (c.code.tariff_no(), c.column, c.old.as_str(), c.new.as_str()))
        .collect();
    // Horses 0101.21: "２．５％" in the new file is the same 2.5%, so not a change.
    assert_eq!(
        changes,
        [
            ("01012900", Column::One, "2.5%", "3%"),
            (
                "01012900",
                Column::Two,
                "0% (PA,GT,NI,SV,HN,NZ,SG)",
                "0% (PA,GT,NI,SV,HN,NZ,SG,PY)"
            ),
            ("01012900", Column::Three, "2.5%", "3%"),
            ("02011010", Column::One, "NT$10/KGM", "NT$12/KGM"),
        ]
    );
    assert!(d.field_changes.is_empty());
    assert!(d.removed_prefixes.is_empty(), "the 8-digit number survives");
    assert!(diff(&a, &a).is_empty());
}

#[test]
fn flags_ruling_codes_that_no_longer_exist() {
    let d = diff(
        &edition("tw_tariff_edition_a.csv"),
        &edition("tw_tariff_edition_b.csv"),
    );
    let rulings = [
        "0302.44.00.00-3", // the split line: gone
        "0302440000",      // the same, without its check digit
        "０３０２．４４",  // its HS6 still has lines
        "0302.44.00",      // and so does its tariff number
        "0101.21.00.00-3", // unchanged
        "8517.12",         // never in either edition: the diff cannot call it gone
    ];
    assert_eq!(
        flag_codes_gone(&d, &rulings),
        ["0302.44.00.00-3", "0302440000"]
    );
    let back = diff(
        &edition("tw_tariff_edition_b.csv"),
        &edition("tw_tariff_edition_a.csv"),
    );
    assert_eq!(
        flag_codes_gone(&back, &["0302.44.00.10-1", "0302.44", "03024400904"]),
        ["0302.44.00.10-1", "03024400904"]
    );
}

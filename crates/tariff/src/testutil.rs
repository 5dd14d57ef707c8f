//! Builds small tariff CSVs for unit tests, deriving the code columns so rows stay short.

use std::collections::BTreeSet;

use nomenclature::HsCode;

use crate::tariff::HEADER;
use crate::{CccCode, TwTariff};

/// One row: stat_no (10 digits; the check digit is computed), zh, en, the three duty cells
/// and the two units.
pub type Row<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
);

pub fn csv(rows: &[Row]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER).unwrap();
    for (stat, zh, en, c1, c2, c3, uq, uw) in rows {
        let code = CccCode::from_stat_no(stat).unwrap();
        let c = code.as_str();
        let check = code.check_digit().to_string();
        w.write_record([
            c,
            &c[..2],
            &c[..4],
            &c[..6],
            &c[..8],
            &c[..10],
            &check,
            "11",
            zh,
            en,
            c1,
            c2,
            c3,
            uq,
            uw,
            "",
            "B01",
            "",
        ])
        .unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

/// Every HS6 the rows use, as the set of known subheadings.
pub fn hs6_of(rows: &[Row]) -> BTreeSet<HsCode> {
    rows.iter()
        .map(|r| HsCode::parse(&r.0[..6]).unwrap())
        .collect()
}

pub fn tariff(rows: &[Row]) -> TwTariff {
    TwTariff::from_bytes(csv(rows).as_bytes(), &hs6_of(rows)).unwrap()
}

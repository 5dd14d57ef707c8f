//! The four schedules on real data.

mod common;

use nomenclature::HsCode;
use tariff::concordance::Concordance;

#[test]
fn smartphones_side_by_side() {
    let Some(dir) = common::data_dir() else {
        return;
    };
    let Some(tw) = common::real_tariff() else {
        return;
    };
    let c = Concordance::load(&dir).unwrap();
    let [us, uk, eu] = c.counts();
    // US: numbered 8- and 10-digit rows; UK: every row; EU: CN8 rows (PROVENANCE counts).
    assert_eq!(us, 6_687 + 19_856);
    assert_eq!(uk, 11_830);
    assert_eq!(eu, 9_791);
    let s = c.side_by_side(tw, &HsCode::parse("851713").unwrap());
    for (name, lines) in [("TW", &s.tw), ("US", &s.us), ("UK", &s.uk), ("EU", &s.eu)] {
        for l in lines.iter() {
            let rates: Vec<String> = l
                .rates
                .iter()
                .map(|r| format!("{}: {}", r.name, r.text))
                .collect();
            println!("{name} {} {} | {}", l.code, l.description, rates.join("; "));
        }
    }
    assert!(!s.tw.is_empty() && !s.us.is_empty() && !s.eu.is_empty());
    // 8517.13 is new in HS 2022, so the UK's CN 2020 file has no line under it.
    assert!(s.uk.is_empty());
    let horses = c.side_by_side(tw, &HsCode::parse("010121").unwrap());
    assert!(horses.us.iter().all(|l| !l.rates.is_empty()));
    assert_eq!(horses.uk[0].rates[0].text, "0.0%");
}

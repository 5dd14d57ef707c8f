//! Worked examples on the real 2025 lines (the same arithmetic as the unit tests, whose rows
//! mirror these lines).

mod common;

use tariff::{
    CccCode, Column, CountryCode, Decimal, DutyInput, OriginPolicy, Quantity, UnitCode, calculate,
};

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn input(code: &str, cif: &str, qty: Option<(&str, UnitCode)>, origin: &str) -> DutyInput {
    DutyInput {
        code: CccCode::parse(code).unwrap(),
        cif_twd: d(cif),
        quantities: qty
            .map(|(n, u)| Quantity::new(d(n), u))
            .into_iter()
            .collect(),
        origin: CountryCode::parse(origin).unwrap(),
    }
}

#[test]
fn worked_examples_on_real_lines() {
    let Some(t) = common::real_tariff() else {
        return;
    };
    let p = OriginPolicy::default();
    // 0101.21.00.00-3 horses, Japan, column 1 2.5%: 100,000 × 2.5% = 2,500;
    // tax = (100,000 + 2,500) × 5% = 5,125; total 7,625.
    let a = calculate(t, &input("01012100003", "100000", None, "JP"), &p).unwrap();
    assert_eq!(
        (a.column, a.duty, a.business_tax, a.total),
        (Column::One, d("2500"), d("5125"), d("7625"))
    );
    // Same line from New Zealand: column 2, 0%; tax = 100,000 × 5% = 5,000.
    let a = calculate(t, &input("01012100003", "100000", None, "NZ"), &p).unwrap();
    assert_eq!(
        (a.column, a.duty, a.total),
        (Column::Two, d("0"), d("5000"))
    );
    // 0201.10.10.00-3 beef carcasses from North Korea: column 3
    // "NT$38/KGM or 30% whichever is higher", 1,250 KGM, CIF 300,000:
    // 47,500 vs 90,000 → 90,000; tax = 390,000 × 5% = 19,500; total 109,500.
    let a = calculate(
        t,
        &input("02011010003", "300000", Some(("1250", UnitCode::KGM)), "KP"),
        &p,
    )
    .unwrap();
    assert_eq!(
        (a.column, a.duty, a.total),
        (Column::Three, d("90000"), d("109500"))
    );
    // 8112.92.22.00-2 other mixed metal scrap from Germany, weight unit TNE: 12,500 KGM = 12.5 TNE;
    // 12.5 × 750 = 9,375 vs 150,000 × 5% = 7,500 → 9,375; tax = 159,375 × 5% = 7,968.75
    // → 7,969; total 17,344.
    let a = calculate(
        t,
        &input(
            "81129222002",
            "150000",
            Some(("12500", UnitCode::KGM)),
            "DE",
        ),
        &p,
    )
    .unwrap();
    assert_eq!(t.get(&a.code).unwrap().unit_weight, Some(UnitCode::TNE));
    assert_eq!(
        (a.duty, a.business_tax, a.total),
        (d("9375"), d("7969"), d("17344"))
    );
    for s in &a.steps {
        println!("{}\n  {}", s.en, s.zh);
    }
}

#[test]
fn every_line_assesses_for_every_kind_of_origin() {
    let Some(t) = common::real_tariff() else {
        return;
    };
    let p = OriginPolicy::default();
    // Mass in both units, and one of each other unit the rates use, so no specific rate lacks
    // its quantity.
    let quantities: Vec<Quantity> = ["KGM", "MTR", "SET"]
        .iter()
        .map(|u| Quantity::new(d("10"), UnitCode::parse(u).unwrap()))
        .collect();
    for line in t.lines() {
        for origin in ["JP", "NZ", "BD", "KP", "CN"] {
            let i = DutyInput {
                code: line.code,
                cif_twd: d("10000"),
                quantities: quantities.clone(),
                origin: CountryCode::parse(origin).unwrap(),
            };
            let a = calculate(t, &i, &p).unwrap_or_else(|e| panic!("{} {origin}: {e}", line.code));
            assert_eq!(a.total, a.duty + a.business_tax);
        }
    }
}

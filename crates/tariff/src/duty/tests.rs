//! Worked examples, each computed by hand in the comments. Rows mirror lines of the 2025 file.

use rust_decimal::Decimal;

use super::*;
use crate::testutil::{Row, tariff};

const ROWS: &[Row] = &[
    (
        "0101210000",
        "馬，純種繁殖用",
        "Live horses, pure-bred breeding animals",
        "2.5%",
        "0% (PA,GT,NI,SV,HN,NZ,SG)",
        "2.5%",
        "HED",
        "KGM",
    ),
    (
        "0201101000",
        "屠體及半片屠體牛肉",
        "Carcasses of bovine animals",
        "NT$10/KGM",
        "0% (PA,GT,NI,SV,HN,NZ,SG,SZ,BZ)",
        "NT$38/KGM or 30% whichever is higher",
        "",
        "KGM",
    ),
    (
        "0204100000",
        "屠體及半片屠體羔羊肉",
        "Carcasses of lamb",
        "NT$11.3/KGM or 15% whichever is higher",
        "0% (PA,GT,NI,SV,HN,NZ,SG,BZ)",
        "NT$14.25/KGM or 19% whichever is higher",
        "",
        "KGM",
    ),
    (
        "8112922200",
        "其他混合五金廢料",
        "Other mixed metal scrap",
        "NT$750/TNE or 5% whichever is higher",
        "0% (PA,GT,NI,SV,HN,NZ,SG)",
        "NT$1500/TNE or 10% whichever is higher",
        "",
        "TNE",
    ),
    (
        "0103920000",
        "豬，重量５０公斤及以上者",
        "Live swine, 50 kg or more",
        "5%",
        "0% (LDCs,PA,GT,NI,SV,HN,NZ,SG)",
        "10%",
        "HED",
        "KGM",
    ),
    (
        "1006100000",
        "稻穀",
        "Rice in the husk",
        "NT$45/KGM",
        "NT$45/KGM (PA,GT,NI,SV,HN,NZ,SG)",
        "NT$45/KGM",
        "",
        "TNE",
    ),
];

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn assess(stat: &str, cif: &str, qty: &[(&str, &str)], origin: &str) -> DutyAssessment {
    try_assess(stat, cif, qty, origin).unwrap()
}

fn try_assess(
    stat: &str,
    cif: &str,
    qty: &[(&str, &str)],
    origin: &str,
) -> Result<DutyAssessment, DutyError> {
    let input = DutyInput {
        code: CccCode::from_stat_no(stat).unwrap(),
        cif_twd: d(cif),
        quantities: qty
            .iter()
            .map(|(n, u)| Quantity::new(d(n), UnitCode::parse(u).unwrap()))
            .collect(),
        origin: CountryCode::parse(origin).unwrap(),
    };
    calculate(&tariff(ROWS), &input, &OriginPolicy::default())
}

fn money(a: &DutyAssessment) -> [Decimal; 4] {
    [a.duty, a.business_tax_base, a.business_tax, a.total]
}

#[test]
fn ad_valorem_for_a_wto_member() {
    // Japan: WTO member, not in column 2 → column 1, 2.5%.
    // duty = 100,000 × 2.5% = 2,500; base = 100,000 + 2,500 = 102,500;
    // tax = 102,500 × 5% = 5,125; total = 2,500 + 5,125 = 7,625.
    let a = assess("0101210000", "100000", &[], "JP");
    assert_eq!(a.column, Column::One);
    assert_eq!(a.reason, ColumnReason::WtoMember);
    assert_eq!(money(&a), [d("2500"), d("102500"), d("5125"), d("7625")]);
    assert!(
        a.steps[3].en.contains("NT$100,000 × 2.5% = NT$2,500"),
        "{:?}",
        a.steps
    );
    assert!(a.steps.iter().all(|s| !s.zh.is_empty()));
}

#[test]
fn rounds_duty_and_tax_to_whole_dollars() {
    // duty = 12,345 × 2.5% = 308.625 → 309 (half up);
    // base = 12,345 + 309 = 12,654; tax = 632.7 → 633; total = 309 + 633 = 942.
    let a = assess("0101210000", "12345", &[], "US");
    assert_eq!(a.duty_exact, d("308.625"));
    assert_eq!(money(&a), [d("309"), d("12654"), d("633"), d("942")]);
    // duty = 10,020 × 2.5% = 250.5 → 251 (a half rounds up); base 10,271; tax 513.55 → 514.
    let a = assess("0101210000", "10020", &[], "US");
    assert_eq!(money(&a), [d("251"), d("10271"), d("514"), d("765")]);
}

#[test]
fn specific_rate_per_kilogram() {
    // USA: column 1 NT$10/KGM. duty = 1,250 KGM × 10 = 12,500;
    // base = 300,000 + 12,500 = 312,500; tax = 15,625; total = 28,125.
    let a = assess("0201101000", "300000", &[("1250", "KGM")], "US");
    assert_eq!(a.column, Column::One);
    assert_eq!(money(&a), [d("12500"), d("312500"), d("15625"), d("28125")]);
    assert!(a.steps[3].en.contains("1,250 KGM × NT$10/KGM = NT$12,500"));
}

#[test]
fn a_missing_quantity_names_the_unit() {
    let err = try_assess("0201101000", "300000", &[("40", "PCE")], "US").unwrap_err();
    assert!(
        matches!(err, DutyError::QuantityNeeded { unit, .. } if unit == UnitCode::KGM),
        "{err}"
    );
    assert!(
        err.to_string().contains("give the quantity in KGM"),
        "{err}"
    );
}

#[test]
fn compound_rate_shows_both_alternatives() {
    // Australia: column 1 "NT$11.3/KGM or 15% whichever is higher", 2,000 KGM.
    // CIF 200,000: A = 2,000 × 11.3 = 22,600; B = 200,000 × 15% = 30,000 → 30,000.
    // base = 230,000; tax = 11,500; total = 41,500.
    let a = assess("0204100000", "200000", &[("2000", "KGM")], "AU");
    let alts: Vec<_> = a.alternatives.iter().map(|x| (x.duty, x.chosen)).collect();
    assert_eq!(alts, [(d("22600"), false), (d("30000"), true)]);
    assert_eq!(money(&a), [d("30000"), d("230000"), d("11500"), d("41500")]);
    // CIF 100,000: A = 22,600; B = 15,000 → 22,600. base = 122,600; tax = 6,130.
    let a = assess("0204100000", "100000", &[("2000", "KGM")], "AU");
    assert_eq!(money(&a), [d("22600"), d("122600"), d("6130"), d("28730")]);
    assert!(
        a.steps
            .iter()
            .any(|s| s.en.contains("whichever is higher: duty NT$22,600"))
    );
}

#[test]
fn column_2_partner_origin() {
    // New Zealand is listed in column 2 → 0%. duty 0; base 100,000; tax 5,000; total 5,000.
    let a = assess("0101210000", "100000", &[], "NZ");
    assert_eq!(a.column, Column::Two);
    assert_eq!(a.rate, Rate::Free);
    assert_eq!(money(&a), [d("0"), d("100000"), d("5000"), d("5000")]);
    assert!(a.steps[1].en.contains("listed in column 2"));
}

#[test]
fn least_developed_origin_takes_the_ldc_entry() {
    // Bangladesh is an LDC; column 2 lists LDCs at 0%. CIF 80,000 → duty 0, tax 4,000.
    let a = assess("0103920000", "80000", &[], "BD");
    assert_eq!(a.column, Column::Two);
    assert_eq!(
        a.reason,
        ColumnReason::Column2Partner { via: Partner::Ldcs }
    );
    assert_eq!(money(&a), [d("0"), d("80000"), d("4000"), d("4000")]);
}

#[test]
fn non_wto_origin_takes_column_3() {
    // North Korea: not in column 2, not a WTO member → column 3,
    // "NT$38/KGM or 30% whichever is higher", 1,250 KGM, CIF 300,000:
    // A = 1,250 × 38 = 47,500; B = 300,000 × 30% = 90,000 → 90,000;
    // base = 390,000; tax = 19,500; total = 109,500.
    let a = assess("0201101000", "300000", &[("1250", "KGM")], "KP");
    assert_eq!(a.column, Column::Three);
    assert_eq!(a.reason, ColumnReason::General);
    assert_eq!(
        money(&a),
        [d("90000"), d("390000"), d("19500"), d("109500")]
    );
    // With Taiwan treating it reciprocally, column 1 (NT$10/KGM) applies instead.
    let policy = OriginPolicy::default().with_reciprocal([CountryCode::parse("KP").unwrap()]);
    let input = DutyInput {
        code: CccCode::from_stat_no("0201101000").unwrap(),
        cif_twd: d("300000"),
        quantities: vec![Quantity::new(d("1250"), UnitCode::KGM)],
        origin: CountryCode::parse("KP").unwrap(),
    };
    let a = calculate(&tariff(ROWS), &input, &policy).unwrap();
    assert_eq!(
        (a.column, a.reason),
        (Column::One, ColumnReason::Reciprocal)
    );
    assert_eq!(a.duty, d("12500"));
}

#[test]
fn weight_units_convert_between_kilograms_and_tonnes() {
    // Column 1 "NT$750/TNE or 5% whichever is higher"; the weight is given as 12,500 KGM,
    // which is 12.5 TNE. CIF 150,000: A = 12.5 × 750 = 9,375; B = 150,000 × 5% = 7,500
    // → 9,375; base = 159,375; tax = 7,968.75 → 7,969; total = 17,344.
    let a = assess("8112922200", "150000", &[("12500", "KGM")], "DE");
    assert_eq!(money(&a), [d("9375"), d("159375"), d("7969"), d("17344")]);
    assert!(
        a.steps
            .iter()
            .any(|s| s.en.contains("12.5 TNE (12,500 KGM = 12.5 TNE)")),
        "{:?}",
        a.steps
    );
    // Rice: NT$45/KGM on a line whose statistical weight unit is TNE; 2.5 TNE = 2,500 KGM.
    // duty = 2,500 × 45 = 112,500; base = 50,000 + 112,500 = 162,500; tax = 8,125.
    let a = assess("1006100000", "50000", &[("2.5", "TNE")], "TH");
    assert_eq!(
        money(&a),
        [d("112500"), d("162500"), d("8125"), d("120625")]
    );
}

#[test]
fn refuses_bad_input() {
    assert_eq!(
        try_assess("0101210000", "-1", &[], "JP").unwrap_err(),
        DutyError::NegativeValue
    );
    assert!(matches!(
        try_assess("0101290000", "1", &[], "JP").unwrap_err(),
        DutyError::UnknownCode(_)
    ));
}

#[test]
fn groups_thousands() {
    use super::explain::group;
    assert_eq!(group(d("1234567.50")), "1,234,567.5");
    assert_eq!(group(d("999")), "999");
    assert_eq!(group(d("-1000")), "-1,000");
}

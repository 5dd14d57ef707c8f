use proptest::prelude::*;
use rust_decimal::Decimal;

use crate::rate::{Column, DutyCell, DutyEntry, Partner, Pick, Rate, RateParseError, SimpleRate};
use crate::{CountryCode, UnitCode};

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn one(text: &str) -> Rate {
    DutyCell::parse(text)
        .unwrap()
        .general_rate()
        .cloned()
        .unwrap_or_else(|| panic!("{text:?} is not one general rate"))
}

fn kgm(amount: &str) -> SimpleRate {
    SimpleRate::Specific {
        amount: d(amount),
        unit: UnitCode::KGM,
    }
}

#[test]
fn parses_each_shape_in_the_data() {
    assert_eq!(one("0%"), Rate::Free);
    assert_eq!(one("2.5%"), Rate::AdValorem { percent: d("2.5") });
    assert_eq!(one("NT$10/KGM"), kgm("10").as_rate());
    assert_eq!(
        one("NT$750/TNE or 5% whichever is higher"),
        Rate::Compound {
            alternatives: [
                SimpleRate::Specific {
                    amount: d("750"),
                    unit: UnitCode::TNE
                },
                SimpleRate::AdValorem { percent: d("5") }
            ],
            pick: Pick::Higher
        }
    );
    let cell =
        DutyCell::parse("NT$9.3/KGM or 30% whichever is higher (GT,NI,SV,HN) 0% (PA,NZ,SG,SZ)")
            .unwrap();
    assert_eq!(cell.entries.len(), 2);
    assert!(matches!(cell.entries[0].rate, Rate::Compound { .. }));
    assert_eq!(cell.entries[1].rate, Rate::Free);
    let c = |s| Partner::Country(CountryCode::parse(s).unwrap());
    assert_eq!(
        cell.entries[1].partners,
        vec![c("PA"), c("NZ"), c("SG"), c("SZ")]
    );
    let ldc = DutyCell::parse("0% (LDCs,NZ,SG) 15% (PA,GT,NI,SV,HN)").unwrap();
    assert_eq!(ldc.entries[0].partners[0], Partner::Ldcs);
}

#[test]
fn empty_cells_have_no_entries() {
    assert!(DutyCell::parse("").unwrap().is_empty());
    assert!(DutyCell::parse("  ").unwrap().is_empty());
}

#[test]
fn handles_full_width_and_chinese_wording() {
    assert_eq!(one("２．５％"), one("2.5%"));
    assert_eq!(one("ＮＴ＄１０／ＫＧＭ"), one("NT$10/KGM"));
    assert_eq!(
        DutyCell::parse("０％（ＰＡ，ＧＴ）").unwrap(),
        DutyCell::parse("0% (PA,GT)").unwrap()
    );
    assert_eq!(one("免稅"), Rate::Free);
    assert_eq!(one("Free"), Rate::Free);
    assert_eq!(one("每公斤新臺幣10元"), one("NT$10/KGM"));
    assert_eq!(
        one("每公斤新臺幣38元或30%從高徵稅"),
        one("NT$38/KGM or 30% whichever is higher")
    );
    assert_eq!(
        one("從價30%或每公噸新台幣1500元，從低徵稅"),
        Rate::Compound {
            alternatives: [
                SimpleRate::AdValorem { percent: d("30") },
                SimpleRate::Specific {
                    amount: d("1500"),
                    unit: UnitCode::TNE
                }
            ],
            pick: Pick::Lower
        }
    );
}

#[test]
fn renders_canonical_text() {
    for text in [
        "2.5%",
        "NT$10/KGM",
        "NT$11.3/KGM or 15% whichever is higher",
        "NT$3.1/KGM (SG) NT$15.6/KGM (GT,NI,SV,HN) 0% (PA,NZ)",
        "0% (LDCs,PA,GT,NI,SV,HN,CN,NZ,SG)",
    ] {
        assert_eq!(DutyCell::parse(text).unwrap().to_string(), text);
    }
    assert_eq!(DutyCell::parse("2.50 %").unwrap().to_string(), "2.5%");
    assert_eq!(
        one("每公斤新臺幣38元或30%從高徵稅").to_zh(),
        "每公斤新臺幣38元或30%從高徵稅"
    );
    assert_eq!(one("NT$5/TND").to_zh(), "新臺幣5元/TND");
}

#[test]
fn explains_what_is_wrong() {
    let err = |t: &str| DutyCell::parse(t).unwrap_err();
    assert!(matches!(err("5"), RateParseError::Expected { .. }));
    assert!(matches!(err("NT$10"), RateParseError::Expected { .. }));
    assert!(matches!(err("NT$10/KG"), RateParseError::BadUnit(_)));
    assert!(matches!(err("1.2.3%"), RateParseError::BadNumber(_)));
    assert!(matches!(err("0% (PA,XYZ)"), RateParseError::BadPartner(_)));
    assert!(matches!(err("0% ()"), RateParseError::EmptyPartnerList));
    assert!(matches!(err("0% (PA"), RateParseError::Expected { .. }));
    assert!(matches!(
        err("NT$10/KGM or 5%"),
        RateParseError::Expected { .. }
    ));
    assert!(err("abc").to_string().contains("\"abc\""));
}

#[test]
fn columns_add_shape_rules() {
    assert!(DutyCell::parse_column("2.5%", Column::One).is_ok());
    assert!(DutyCell::parse_column("0% (PA)", Column::One).is_err());
    assert!(DutyCell::parse_column("2.5% 3%", Column::Three).is_err());
    assert!(DutyCell::parse_column("", Column::One).is_err());
    assert!(DutyCell::parse_column("", Column::Two).is_ok());
    assert!(DutyCell::parse_column("0% (PA) 5%", Column::Two).is_err());
}

fn simple() -> impl Strategy<Value = SimpleRate> {
    let number = (1u32..100_000, 0u32..3).prop_map(|(n, scale)| Decimal::new(n.into(), scale));
    let unit = prop::sample::select(vec!["KGM", "TNE", "MTR", "SET", "LTR"]);
    prop_oneof![
        number
            .clone()
            .prop_map(|percent| SimpleRate::AdValorem { percent }),
        (number, unit).prop_map(|(amount, u)| SimpleRate::Specific {
            amount,
            unit: UnitCode::parse(u).unwrap()
        }),
    ]
}

fn rate() -> impl Strategy<Value = Rate> {
    prop_oneof![
        Just(Rate::Free),
        simple().prop_map(SimpleRate::as_rate),
        (simple(), simple(), any::<bool>()).prop_map(|(a, b, higher)| Rate::Compound {
            alternatives: [a, b],
            pick: if higher { Pick::Higher } else { Pick::Lower }
        }),
    ]
}

fn entry() -> impl Strategy<Value = DutyEntry> {
    let partner = prop_oneof![
        Just(Partner::Ldcs),
        "[A-Z]{2}".prop_map(|s| Partner::Country(CountryCode::parse(&s).unwrap())),
    ];
    (rate(), prop::collection::vec(partner, 1..6))
        .prop_map(|(rate, partners)| DutyEntry { rate, partners })
}

proptest! {
    #[test]
    fn display_then_parse_is_identity(entries in prop::collection::vec(entry(), 0..4)) {
        let cell = DutyCell { entries };
        let text = cell.to_string();
        prop_assert_eq!(DutyCell::parse(&text).unwrap(), cell);
    }

    #[test]
    fn chinese_rendering_parses_back(r in rate()) {
        prop_assert_eq!(one(&r.to_zh()), r);
    }
}

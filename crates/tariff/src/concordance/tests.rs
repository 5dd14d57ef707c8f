use nomenclature::HsCode;

use super::*;
use crate::testutil::{Row, tariff};

const US: &str = "row_id,parent_row_id,htsno,code,code_length,indent,superior,description,units,general,special,other,footnotes,quota_quantity,additional_duties\n\
1,,0101,0101,4,0,no,\"Live horses, asses, mules and hinnies:\",,,,,,,\n\
2,1,,,,1,yes,Horses:,,,,,,,\n\
3,2,0101.21.00,01012100,8,2,no,Purebred breeding animals,,Free,,Free,,,\n\
4,3,0101.21.00.10,0101210010,10,3,no,Males,No.,,,,,,\n\
5,1,0101.30.00.00,0101300000,10,1,no,Asses,No.,6.8%,\"Free (A+,AU)\",15%,,,\n";

const UK: &str = "code,code_length,description_en,ukgt_duty_rate,eu_cet_duty_rate_2020,change,trade_remedy_applies,cet_applies_until_trade_remedy_transition_reviews_concluded,suspension_applies,atq_applies\n\
01012100,8,Pure-bred breeding horses,0.0%,0.0%,No change,False,False,False,False\n\
01013000,8,Live asses,6.0%,7.7%,Simplified,False,False,False,False\n";

const EU: &str = "code,level,parent,section,chapter,heading,hs_subheading,hs6,description_en,supplementary_unit\n\
0101,heading,01,I,01,0101,,,\"Live horses, asses, mules and hinnies\",\n\
01012100,cn8,0101,I,01,0101,,010121,Pure-bred breeding animals,PST\n\
01013000,cn8,0101,I,01,0101,,010130,Asses,PST\n";

const TW: &[Row] = &[(
    "0101210000",
    "馬，純種繁殖用",
    "Live horses, pure-bred breeding animals",
    "2.5%",
    "0% (PA,NZ)",
    "2.5%",
    "HED",
    "KGM",
)];

#[test]
fn puts_four_schedules_side_by_side() {
    let c = Concordance::from_bytes(US.as_bytes(), UK.as_bytes(), EU.as_bytes()).unwrap();
    assert_eq!(c.counts(), [3, 2, 2]);
    let s = c.side_by_side(&tariff(TW), &HsCode::parse("010121").unwrap());
    assert_eq!(s.tw.len(), 1);
    assert_eq!(s.tw[0].rates[0].text, "2.5%");
    let us: Vec<_> = s.us.iter().map(|l| l.code.as_str()).collect();
    assert_eq!(us, ["01012100", "0101210010"]);
    assert_eq!(
        s.us[1].description,
        "Horses: — Purebred breeding animals — Males"
    );
    assert!(s.us[1].rates[0].inherited);
    assert_eq!(s.us[1].rates[0].text, "Free");
    assert_eq!(s.uk[0].rates[0].text, "0.0%");
    assert_eq!(s.eu[0].rates[0].name, uk::CET_NAME);
    let asses = c.side_by_side(&tariff(TW), &HsCode::parse("010130").unwrap());
    assert!(asses.tw.is_empty());
    assert_eq!(asses.us[0].rates[2].text, "15%");
    assert!(!asses.us[0].rates[2].inherited);
}

#[test]
fn rejects_malformed_rows() {
    let bad_us = US.replace("5,1,0101.30.00.00", "6,1,0101.30.00.00");
    let err = Concordance::from_bytes(bad_us.as_bytes(), UK.as_bytes(), EU.as_bytes()).unwrap_err();
    assert!(err.to_string().contains("line 6"), "{err}");
    let bad_uk = UK.replace("01013000,8", "01013000,10");
    assert!(Concordance::from_bytes(US.as_bytes(), bad_uk.as_bytes(), EU.as_bytes()).is_err());
    let dup_eu = format!("{EU}01013000,cn8,0101,I,01,0101,,010130,Asses,PST\n");
    assert!(Concordance::from_bytes(US.as_bytes(), UK.as_bytes(), dup_eu.as_bytes()).is_err());
}

#[test]
fn leaves_national_chapters_alone() {
    let c = Concordance::from_bytes(US.as_bytes(), UK.as_bytes(), EU.as_bytes()).unwrap();
    let s = c.side_by_side(&tariff(TW), &HsCode::parse("980610").unwrap());
    assert!(s.us.is_empty() && s.notes.iter().any(|n| n.contains("Chapter 98")));
}

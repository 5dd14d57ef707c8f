//! The whole 2025 file: every code, every duty cell, every label.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use nomenclature::{HsCode, Level};
use tariff::{CccCode, Column, DutyCell, Rate, ZhSource, check, search_form};

use common::{data_dir, real_tariff};

#[test]
fn loads_every_line_with_its_counts() {
    let Some(t) = real_tariff() else { return };
    assert_eq!(t.len(), 12_686);
    assert_eq!(t.tariff_numbers().count(), 9_368);
    assert_eq!(t.hs6_codes().count(), 5_645);
    for line in t.lines() {
        // The check digit of every line is the one computed from its first ten digits.
        let again = CccCode::from_stat_no(line.code.stat_no()).unwrap();
        assert_eq!(again, line.code);
    }
    let empties = |f: fn(&tariff::TariffLine) -> bool| t.lines().iter().filter(|l| f(l)).count();
    assert_eq!(empties(|l| l.duty(Column::Two).is_empty()), 95);
    assert_eq!(empties(|l| l.unit_qty.is_none()), 9_491);
    assert_eq!(empties(|l| l.levy_rules.is_empty()), 11_306);
    assert_eq!(empties(|l| l.import_regulations.is_empty()), 5_569);
    assert_eq!(empties(|l| l.export_regulations.is_empty()), 10_730);
    let horses = t.get(&CccCode::parse("0101.21.00.00-3").unwrap()).unwrap();
    assert_eq!(horses.import_regulations, ["401", "B01"]);
}

#[test]
fn every_duty_cell_parses_and_round_trips() {
    let Some(t) = real_tariff() else { return };
    let mut cells = 0;
    let mut verbatim = 0;
    for line in t.lines() {
        for column in Column::ALL {
            let cell = line.duty(column);
            let text = cell.to_string();
            assert_eq!(
                &DutyCell::parse(&text).unwrap(),
                cell,
                "{} {column}",
                line.code
            );
            cells += 1;
            if text == line.duty_text(column) {
                verbatim += 1;
            }
        }
    }
    assert_eq!(cells, 38_058);
    // The canonical text is the data's own wording, cell for cell.
    assert_eq!(verbatim, cells);
}

#[test]
fn the_check_report_is_clean() {
    let Some(dir) = data_dir() else { return };
    let report = check::check_dir(&dir).unwrap();
    assert!(
        report.is_ok(),
        "{:?}",
        &report.problems[..report.problems.len().min(5)]
    );
    assert_eq!(report.rows, 12_686);
    assert_eq!(report.duty_cells, 38_058);
    assert_eq!(report.duty_cells_parsed, 38_058);
    assert_eq!(report.empty_col2_national, 95);
}

/// The shape of a rate, numbers and partners left out: "NT$n/KGM or n% whichever is higher".
fn shape(rate: &Rate) -> String {
    match rate {
        Rate::Free => "free".into(),
        Rate::AdValorem { .. } => "n%".into(),
        Rate::Specific { unit, .. } => format!("NT$n/{unit}"),
        Rate::Compound { alternatives, pick } => {
            let part = |i: usize| shape(&alternatives[i].as_rate());
            format!("{} or {} whichever is {pick:?}", part(0), part(1))
        }
    }
}

#[test]
fn rate_shapes_are_the_known_ones() {
    let Some(t) = real_tariff() else { return };
    let mut shapes: BTreeMap<(u8, String), usize> = BTreeMap::new();
    for line in t.lines() {
        for column in Column::ALL {
            for e in &line.duty(column).entries {
                *shapes.entry((column.number(), shape(&e.rate))).or_default() += 1;
            }
        }
    }
    for ((col, s), n) in &shapes {
        println!("column {col}: {s}: {n}");
    }
    let n = |c: u8, s: &str| shapes.get(&(c, s.to_string())).copied().unwrap_or(0);
    assert_eq!(n(1, "NT$n/KGM"), 113);
    assert_eq!(n(1, "NT$n/KGM or n% whichever is Higher"), 79);
    assert_eq!(n(1, "NT$n/TNE or n% whichever is Higher"), 7);
    assert_eq!(n(3, "NT$n/MTR"), 22);
    assert_eq!(n(3, "NT$n/SET or n% whichever is Higher"), 1);
    assert_eq!(n(3, "NT$n/TNE or n% whichever is Higher"), 211);
    assert_eq!(n(2, "NT$n/KGM or n% whichever is Higher"), 3);
    // PROVENANCE: 199 column-1 and 449 column-3 cells are not a plain percentage.
    let not_percent = |c: u8| -> usize {
        shapes
            .iter()
            .filter(|((col, s), _)| *col == c && s != "n%" && s != "free")
            .map(|(_, n)| n)
            .sum()
    };
    assert_eq!(not_percent(1), 199);
    assert_eq!(not_percent(3), 449);
}

#[test]
fn walks_hs6_to_tariff_numbers_to_lines() {
    let Some(t) = real_tariff() else { return };
    let node = t.walk_hs6(&HsCode::parse("010121").unwrap()).unwrap();
    assert_eq!(node.name_zh.as_ref().unwrap().text, "純種繁殖用");
    assert_eq!(node.group.unwrap().description_zh, "馬︰");
    assert_eq!(node.tariff_numbers.len(), 1);
    let number = &node.tariff_numbers[0];
    assert_eq!(number.tariff_no, "01012100");
    assert_eq!(
        number.label.unwrap().description_en,
        "Live horses, pure-bred breeding animals"
    );
    assert_eq!(number.lines[0].code.as_str(), "01012100003");
    // Every line is reached exactly once by walking every HS6.
    let walked: usize = t
        .hs6_codes()
        .map(|h| {
            let n = t.walk_hs6(h).unwrap();
            n.tariff_numbers
                .iter()
                .map(|x| x.lines.len())
                .sum::<usize>()
        })
        .sum();
    assert_eq!(walked, t.len());
}

#[test]
fn every_hs2022_code_with_lines_has_a_chinese_name() {
    let Some(dir) = data_dir() else { return };
    let Some(t) = real_tariff() else { return };
    let hs = nomenclature::load_dir(&dir).unwrap();
    let mut by_source: BTreeMap<String, usize> = BTreeMap::new();
    let mut nameless = BTreeSet::new();
    for node in hs.nodes() {
        match t.zh_name(&node.code) {
            Some(name) => *by_source.entry(format!("{:?}", name.source)).or_default() += 1,
            None => {
                nameless.insert(node.code.as_str().to_string());
            }
        }
    }
    println!("zh names by source: {by_source:?}; none: {nameless:?}");
    // Only the HS "not specified according to kind" chapter has no Taiwan name or line.
    assert!(nameless.iter().all(|c| c.starts_with("99")), "{nameless:?}");
    let derived = t.zh_name(&HsCode::parse("030990").unwrap()).unwrap();
    assert_eq!(derived.source, ZhSource::DerivedFromLines);
    assert!(derived.text.contains("甲殼類"));
    assert_eq!(HsCode::parse("0309").unwrap().level(), Level::Heading);
}

#[test]
fn search_text_is_nfkc() {
    let Some(t) = real_tariff() else { return };
    let swine = t
        .get(&CccCode::from_stat_no("0103920000").unwrap())
        .unwrap();
    assert!(swine.description_zh.contains("５０公斤"));
    assert!(swine.search_zh.contains("50公斤"));
    assert_eq!(search_form("ＡＢＣ１"), "abc1");
}

#[test]
fn prefixes_and_indexes_agree() {
    let Some(t) = real_tariff() else { return };
    assert!(t.has_prefix("0101.21"));
    assert!(t.has_prefix("0101.21.00"));
    assert!(t.has_prefix("0101.21.00.00-3"));
    assert!(!t.has_prefix("0101.21.00.00-4"));
    assert!(!t.has_prefix("851712"));
    assert_eq!(t.by_tariff_no("01012100").len(), 1);
    assert!(!t.by_hs6(&HsCode::parse("980610").unwrap()).is_empty());
}

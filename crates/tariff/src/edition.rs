//! Editions: the tariff is a versioned data set, and an advance ruling or a saved
//! classification points at codes that a new edition may drop.

use std::collections::BTreeSet;

use crate::tariff::search_form;
use crate::{CccCode, Column, TwTariff};

/// A duty cell that means something different in the new edition. Cells that differ only in
/// spelling (spaces, full-width digits) are not changes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RateChange {
    pub code: CccCode,
    pub column: Column,
    pub old: String,
    pub new: String,
}

/// Any other field of a line that changed (descriptions, units, regulation codes).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldChange {
    pub code: CccCode,
    pub field: &'static str,
    pub old: String,
    pub new: String,
}

/// What changed between two editions, all lists in code order.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct EditionDiff {
    pub old_digest: String,
    pub new_digest: String,
    pub added: Vec<CccCode>,
    pub removed: Vec<CccCode>,
    pub rate_changes: Vec<RateChange>,
    pub field_changes: Vec<FieldChange>,
    /// 4-, 6- and 8-digit prefixes with lines in the old edition and none in the new.
    pub removed_prefixes: Vec<String>,
    /// 4-, 6- and 8-digit prefixes new in this edition.
    pub added_prefixes: Vec<String>,
}

impl EditionDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.rate_changes.is_empty()
            && self.field_changes.is_empty()
    }
}

fn prefixes(t: &TwTariff) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in t.lines() {
        for n in [4, 6, 8] {
            out.insert(line.code.as_str()[..n].to_string());
        }
    }
    out
}

pub fn diff(old: &TwTariff, new: &TwTariff) -> EditionDiff {
    let old_codes: BTreeSet<CccCode> = old.lines().iter().map(|l| l.code).collect();
    let new_codes: BTreeSet<CccCode> = new.lines().iter().map(|l| l.code).collect();
    let mut out = EditionDiff {
        old_digest: old.digest().to_string(),
        new_digest: new.digest().to_string(),
        added: new_codes.difference(&old_codes).copied().collect(),
        removed: old_codes.difference(&new_codes).copied().collect(),
        ..EditionDiff::default()
    };
    for code in old_codes.intersection(&new_codes) {
        let (a, b) = (
            old.get(code).expect("listed"),
            new.get(code).expect("listed"),
        );
        for column in Column::ALL {
            if a.duty(column) != b.duty(column) {
                out.rate_changes.push(RateChange {
                    code: *code,
                    column,
                    old: a.duty_text(column).to_string(),
                    new: b.duty_text(column).to_string(),
                });
            }
        }
        let unit = |u: Option<crate::UnitCode>| u.map(|u| u.to_string()).unwrap_or_default();
        let fields = [
            (
                "description_zh",
                a.description_zh.clone(),
                b.description_zh.clone(),
            ),
            (
                "description_en",
                a.description_en.clone(),
                b.description_en.clone(),
            ),
            ("unit_qty", unit(a.unit_qty), unit(b.unit_qty)),
            ("unit_weight", unit(a.unit_weight), unit(b.unit_weight)),
            ("levy_rules", a.levy_rules.join(" "), b.levy_rules.join(" ")),
            (
                "import_regulations",
                a.import_regulations.join(" "),
                b.import_regulations.join(" "),
            ),
            (
                "export_regulations",
                a.export_regulations.join(" "),
                b.export_regulations.join(" "),
            ),
        ];
        for (field, old, new) in fields {
            if old != new {
                out.field_changes.push(FieldChange {
                    code: *code,
                    field,
                    old,
                    new,
                });
            }
        }
    }
    let (before, after) = (prefixes(old), prefixes(new));
    out.removed_prefixes = before.difference(&after).cloned().collect();
    out.added_prefixes = after.difference(&before).cloned().collect();
    out
}

/// Of the given codes (4, 6, 8, 10 or 11 digits, punctuation and full-width digits allowed),
/// those that the old edition had and the new one lacks, as given. Codes of other lengths,
/// and codes the old edition never had, are not reported: the diff cannot speak for them.
pub fn flag_codes_gone<'a>(diff: &EditionDiff, codes: &[&'a str]) -> Vec<&'a str> {
    codes
        .iter()
        .copied()
        .filter(|raw| {
            let digits: String = search_form(raw)
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            match digits.len() {
                4 | 6 | 8 => diff.removed_prefixes.binary_search(&digits).is_ok(),
                10 | 11 => diff.removed.iter().any(|c| c.as_str().starts_with(&digits)),
                _ => false,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{Row, tariff};

    const OLD: &[Row] = &[
        (
            "0101210000",
            "馬",
            "Horses",
            "2.5%",
            "0% (PA,NZ)",
            "2.5%",
            "HED",
            "KGM",
        ),
        (
            "0101290000",
            "其他馬",
            "Other horses",
            "2.5%",
            "0% (PA,NZ)",
            "2.5%",
            "HED",
            "KGM",
        ),
        (
            "0102210000",
            "牛",
            "Cattle",
            "5%",
            "0% (PA)",
            "5%",
            "",
            "KGM",
        ),
    ];
    const NEW: &[Row] = &[
        (
            "0101210000",
            "馬",
            "Horses",
            "２．５％",
            "0% (PA,NZ)",
            "2.5%",
            "HED",
            "KGM",
        ),
        (
            "0101290000",
            "其他馬",
            "Other live horses",
            "3%",
            "0% (PA,NZ,SG)",
            "3%",
            "HED",
            "KGM",
        ),
        (
            "0102290000",
            "其他牛",
            "Other cattle",
            "5%",
            "0% (PA)",
            "5%",
            "",
            "KGM",
        ),
    ];

    #[test]
    fn lists_additions_removals_and_changes() {
        let d = diff(&tariff(OLD), &tariff(NEW));
        let code = |s| CccCode::from_stat_no(s).unwrap();
        assert_eq!(d.added, [code("0102290000")]);
        assert_eq!(d.removed, [code("0102210000")]);
        // Full-width "２．５％" is the same rate: no change on the first line.
        let changes: Vec<_> = d
            .rate_changes
            .iter()
            .map(|c| {
                (
                    c.code.stat_no(),
                    c.column.number(),
                    c.old.as_str(),
                    c.new.as_str(),
                )
            })
            .collect();
        assert_eq!(
            changes,
            [
                ("0101290000", 1, "2.5%", "3%"),
                ("0101290000", 2, "0% (PA,NZ)", "0% (PA,NZ,SG)"),
                ("0101290000", 3, "2.5%", "3%"),
            ]
        );
        assert_eq!(d.field_changes.len(), 1);
        assert_eq!(d.field_changes[0].field, "description_en");
        assert_eq!(d.removed_prefixes, ["010221", "01022100"]);
        assert!(!d.is_empty());
    }

    #[test]
    fn flags_codes_that_are_gone() {
        let d = diff(&tariff(OLD), &tariff(NEW));
        let gone_code = CccCode::from_stat_no("0102210000").unwrap().dotted();
        let asked = [
            "0102.21",
            "0102.21.00",
            gone_code.as_str(),
            "0102210000",
            "0101.21",
            "0102",
            "9999.99",
        ];
        assert_eq!(
            flag_codes_gone(&d, &asked),
            ["0102.21", "0102.21.00", gone_code.as_str(), "0102210000"]
        );
    }
}

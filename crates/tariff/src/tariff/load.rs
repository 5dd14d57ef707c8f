//! Reads `tw_customs_import_tariff_2025.csv` into lines, validating every row. All or
//! nothing: the first bad row stops the load with its line number.

use std::collections::{BTreeSet, HashSet};

use nomenclature::{HsCode, Nomenclature};
use unicode_normalization::UnicodeNormalization;

use super::TariffLine;
use crate::csvio::{LoadError, invalid, reader, records};
use crate::{CccCode, Column, DutyCell, UnitCode};

pub const TARIFF_FILE: &str = "tw_customs_import_tariff_2025.csv";

/// The header the file must have, in this order.
pub const HEADER: [&str; 18] = [
    "code",
    "chapter",
    "heading",
    "hs6",
    "tariff_no",
    "stat_no",
    "check_digit",
    "level",
    "description_zh",
    "description_en",
    "duty_col1",
    "duty_col2",
    "duty_col3",
    "unit_qty",
    "unit_weight",
    "levy_rules",
    "import_regulations",
    "export_regulations",
];

/// The national chapter (98: goods under special treatment) has no HS 2022 counterpart, and
/// only its lines may leave column 2 empty.
pub const NATIONAL_CHAPTER: &str = "98";

/// Which six-digit codes exist, for the check that every line sits under a real subheading.
pub trait Hs6Set {
    fn has_hs6(&self, code: &HsCode) -> bool;
}

impl Hs6Set for Nomenclature {
    fn has_hs6(&self, code: &HsCode) -> bool {
        self.get(code).is_some()
    }
}

impl Hs6Set for HashSet<HsCode> {
    fn has_hs6(&self, code: &HsCode) -> bool {
        self.contains(code)
    }
}

impl Hs6Set for BTreeSet<HsCode> {
    fn has_hs6(&self, code: &HsCode) -> bool {
        self.contains(code)
    }
}

/// NFKC for search: full-width digits and letters become ASCII, case is folded.
pub fn search_form(text: &str) -> String {
    text.nfkc().collect::<String>().to_lowercase()
}

pub(super) fn read_lines(bytes: &[u8], hs: &dyn Hs6Set) -> Result<Vec<TariffLine>, LoadError> {
    let file = TARIFF_FILE;
    let mut r = reader(bytes);
    let header = r
        .headers()
        .map_err(|e| invalid(file, 1, format!("unreadable header: {e}")))?;
    let found: Vec<&str> = header.iter().map(str::trim).collect();
    if found != HEADER {
        return Err(invalid(
            file,
            1,
            format!("header is {found:?}, expected {HEADER:?}"),
        ));
    }
    let mut seen = HashSet::new();
    let mut lines = Vec::new();
    for row in records(&mut r, file) {
        let (line, rec) = row?;
        let f: Vec<&str> = rec.iter().map(str::trim).collect();
        let parsed = read_line(&f, hs).map_err(|m| invalid(file, line, m))?;
        if !seen.insert(parsed.code) {
            return Err(invalid(
                file,
                line,
                format!("code {} appears twice", parsed.code),
            ));
        }
        lines.push(parsed);
    }
    Ok(lines)
}

/// One row, fields trimmed, in [`HEADER`] order. The error is the message without the line.
fn read_line(f: &[&str], hs: &dyn Hs6Set) -> Result<TariffLine, String> {
    let code = CccCode::parse(f[0]).map_err(|e| format!("code {:?}: {e}", f[0]))?;
    if f[0].len() != 11 || !f[0].bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("code {:?} is not written as 11 plain digits", f[0]));
    }
    let derived = [
        ("chapter", code.chapter().to_string()),
        ("heading", code.heading().to_string()),
        ("hs6", code.hs6().as_str().to_string()),
        ("tariff_no", code.tariff_no().to_string()),
        ("stat_no", code.stat_no().to_string()),
        ("check_digit", code.check_digit().to_string()),
        ("level", "11".to_string()),
    ];
    for (i, (name, want)) in derived.iter().enumerate() {
        if f[i + 1] != want {
            return Err(format!(
                "{name} is {:?} but code {code} gives {want:?}",
                f[i + 1]
            ));
        }
    }
    let national = code.chapter() == NATIONAL_CHAPTER;
    if !national && !hs.has_hs6(&code.hs6()) {
        return Err(format!(
            "hs6 {} of code {code} is not an HS 2022 subheading",
            code.hs6()
        ));
    }
    let (zh, en) = (f[8], f[9]);
    if zh.is_empty() || en.is_empty() {
        return Err(format!("code {code} lacks a zh or en description"));
    }
    let mut duty_text: [String; 3] = Default::default();
    let mut duty: [DutyCell; 3] = Default::default();
    for column in Column::ALL {
        let text = f[10 + column.index()];
        let cell = DutyCell::parse_column(text, column)
            .map_err(|e| format!("{} {text:?}: {e}", column.field()))?;
        if column == Column::Two && cell.is_empty() && !national {
            return Err(format!(
                "duty_col2 is empty outside chapter {NATIONAL_CHAPTER}"
            ));
        }
        duty_text[column.index()] = text.to_string();
        duty[column.index()] = cell;
    }
    let unit = |name: &str, raw: &str| -> Result<Option<UnitCode>, String> {
        if raw.is_empty() {
            return Ok(None);
        }
        UnitCode::parse(raw)
            .filter(|_| raw.bytes().all(|b| b.is_ascii_uppercase()))
            .map(Some)
            .ok_or_else(|| format!("{name} {raw:?} is not a three-letter unit code"))
    };
    let codes = |raw: &str| raw.split_whitespace().map(str::to_string).collect();
    Ok(TariffLine {
        code,
        description_zh: zh.to_string(),
        description_en: en.to_string(),
        search_zh: search_form(zh),
        search_en: search_form(en),
        duty_text,
        duty,
        unit_qty: unit("unit_qty", f[13])?,
        unit_weight: unit("unit_weight", f[14])?,
        levy_rules: codes(f[15]),
        import_regulations: codes(f[16]),
        export_regulations: codes(f[17]),
    })
}

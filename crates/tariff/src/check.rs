//! A lenient pass over a tariff file that lists every cell it cannot read, for
//! `customs tariff check`. Unlike the loader, it does not stop at the first problem.

use std::io::Read;
use std::path::Path;

use crate::csvio::{LoadError, columns, read_all, read_file, reader};
use crate::tariff::{NATIONAL_CHAPTER, TARIFF_FILE, tw_dir};
use crate::{CccCode, Column, DutyCell};

/// One cell that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CellProblem {
    pub line: u64,
    /// The CSV column: `code`, `duty_col1`…, or `record` for a malformed row.
    pub column: String,
    pub text: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct CheckReport {
    pub rows: usize,
    /// Duty cells looked at (three per row).
    pub duty_cells: usize,
    /// Duty cells that parsed, empty column-2 cells of chapter 98 included.
    pub duty_cells_parsed: usize,
    /// Column-2 cells left empty in the national chapter, which is allowed.
    pub empty_col2_national: usize,
    pub problems: Vec<CellProblem>,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks `<data_dir>/tariffs/tw/tw_customs_import_tariff_2025.csv`.
pub fn check_dir(data_dir: &Path) -> Result<CheckReport, LoadError> {
    check_bytes(&read_file(&tw_dir(data_dir).join(TARIFF_FILE))?)
}

pub fn check(r: impl Read) -> Result<CheckReport, LoadError> {
    check_bytes(&read_all(r, TARIFF_FILE)?)
}

/// Fails only when the header lacks a needed column; everything else is a reported problem.
pub fn check_bytes(bytes: &[u8]) -> Result<CheckReport, LoadError> {
    let file = TARIFF_FILE;
    let mut r = reader(bytes);
    let [c_code, c1, c2, c3] = columns(
        &mut r,
        file,
        ["code", "duty_col1", "duty_col2", "duty_col3"],
    )?;
    let mut report = CheckReport::default();
    for rec in r.records() {
        report.rows += 1;
        let rec = match rec {
            Ok(rec) => rec,
            Err(e) => {
                report.problems.push(CellProblem {
                    line: e.position().map_or(0, |p| p.line()),
                    column: "record".into(),
                    text: String::new(),
                    reason: format!("malformed CSV: {e}"),
                });
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line());
        let mut problem = |column: &str, text: &str, reason: String| {
            report.problems.push(CellProblem {
                line,
                column: column.into(),
                text: text.into(),
                reason,
            })
        };
        let raw_code = rec.get(c_code).unwrap_or("").trim();
        if let Err(e) = CccCode::parse(raw_code) {
            problem("code", raw_code, e.to_string());
        }
        let national = raw_code.starts_with(NATIONAL_CHAPTER);
        for (column, at) in Column::ALL.into_iter().zip([c1, c2, c3]) {
            let text = rec.get(at).unwrap_or("").trim();
            report.duty_cells += 1;
            match DutyCell::parse_column(text, column) {
                Ok(cell) if cell.is_empty() && !national => problem(
                    column.field(),
                    text,
                    format!("empty outside chapter {NATIONAL_CHAPTER}"),
                ),
                Ok(cell) => {
                    report.duty_cells_parsed += 1;
                    if cell.is_empty() {
                        report.empty_col2_national += 1;
                    }
                }
                Err(e) => problem(column.field(), text, e.to_string()),
            }
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_problem_with_its_line() {
        let csv = "code,duty_col1,duty_col2,duty_col3\n\
            01012100003,2.5%,\"0% (PA,GT)\",2.5%\n\
            01012100004,2.5 percent,,NT$10\n\
            98050000009,0%,,0%\n";
        let report = check(csv.as_bytes()).unwrap();
        assert_eq!(report.rows, 3);
        assert_eq!(report.duty_cells, 9);
        assert_eq!(report.duty_cells_parsed, 6);
        assert_eq!(report.empty_col2_national, 1);
        let got: Vec<(u64, &str)> = report
            .problems
            .iter()
            .map(|p| (p.line, p.column.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (3, "code"),
                (3, "duty_col1"),
                (3, "duty_col2"),
                (3, "duty_col3")
            ]
        );
        assert!(report.problems[0].reason.contains("expected 3"));
        assert!(!report.is_ok());
    }

    #[test]
    fn a_missing_column_is_an_error() {
        assert!(check("code,duty_col1\n".as_bytes()).is_err());
    }
}

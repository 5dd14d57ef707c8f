//! All-or-nothing CSV import of clearances.
//!
//! [`parse_csv`] never stops at the first bad row: it reports every problem
//! so a declarant can fix the whole file in one go. Nothing is partial — the
//! caller must import only when [`ImportReport::is_importable`] holds, i.e.
//! `file_error` is `None` and `rejected` is empty; otherwise it imports none
//! of the `accepted` rows either.

use crate::issue::{FileError, HeaderProblem, Issue};
use crate::record::{Clearance, ClearanceInput, FieldIssue, validate};
use crate::vin::Vin;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// Excel and other Windows tools prefix UTF-8 files with a byte-order mark.
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
/// [`FieldIssue::field`] for problems with a row as a whole.
pub const ROW_FIELD: &str = "row";

/// Outcome of checking one CSV file. Lines are 1-based file lines, the
/// header being line 1.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub accepted: Vec<(usize, Clearance)>,
    pub rejected: Vec<RejectedRow>,
    /// A problem with the file as a whole (empty, bad header); when set, no
    /// rows were examined.
    pub file_error: Option<FileError>,
    /// Later occurrences of a VIN already seen in the file, also in `rejected`.
    pub duplicate_vins: Vec<(usize, String)>,
}

impl ImportReport {
    /// True only when every row is valid, so the whole file may be imported.
    pub fn is_importable(&self) -> bool {
        self.file_error.is_none() && self.rejected.is_empty()
    }
}

/// A data row that cannot be imported, with every reason found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedRow {
    pub line: usize,
    pub issues: Vec<FieldIssue>,
}

/// Checks CSV bytes whose header names the [`ClearanceInput`] fields (any
/// order, case-insensitive). Every data row ends up either accepted or
/// rejected exactly once.
pub fn parse_csv(bytes: &[u8]) -> ImportReport {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        // Ragged rows become row rejections instead of aborting the file.
        .flexible(true)
        .from_reader(bytes);
    let columns = match reader.byte_headers().map_err(|e| e.to_string()) {
        Ok(header) => header_columns(header),
        Err(message) => Err(FileError::UnreadableHeader(message)),
    };
    let columns = match columns {
        Ok(columns) => columns,
        Err(error) => {
            return ImportReport {
                file_error: Some(error),
                ..ImportReport::default()
            };
        }
    };

    let mut report = ImportReport::default();
    let mut first_line_of_vin: HashMap<Vin, usize> = HashMap::new();
    let mut last_line = 1;
    for result in reader.byte_records() {
        let (line, input) = match result {
            Ok(record) => {
                let line = record.position().map_or(last_line + 1, line_of);
                (line, read_row(&columns, &record))
            }
            Err(error) => {
                let line = error.position().map_or(last_line + 1, line_of);
                (
                    line,
                    Err(vec![row_issue(Issue::UnreadableRow {
                        error: error.to_string(),
                    })]),
                )
            }
        };
        last_line = line;
        let input = match input {
            Ok(input) => input,
            Err(issues) => {
                report.rejected.push(RejectedRow { line, issues });
                continue;
            }
        };
        let mut issues = Vec::new();
        if let Ok(vin) = Vin::parse(&input.vin) {
            match first_line_of_vin.entry(vin) {
                Entry::Occupied(first) => {
                    issues.push(FieldIssue::new(
                        "vin",
                        Issue::DuplicateVin {
                            vin: first.key().to_string(),
                            first_line: *first.get(),
                        },
                    ));
                    report.duplicate_vins.push((line, first.key().to_string()));
                }
                Entry::Vacant(slot) => {
                    slot.insert(line);
                }
            }
        }
        match validate(&input) {
            Ok(clearance) if issues.is_empty() => report.accepted.push((line, clearance)),
            Ok(_) => report.rejected.push(RejectedRow { line, issues }),
            Err(mut invalid) => {
                invalid.append(&mut issues);
                report.rejected.push(RejectedRow {
                    line,
                    issues: invalid,
                });
            }
        }
    }
    report
}

fn line_of(position: &csv::Position) -> usize {
    usize::try_from(position.line()).unwrap_or(usize::MAX)
}

fn row_issue(issue: Issue) -> FieldIssue {
    FieldIssue::new(ROW_FIELD, issue)
}

/// Maps each header cell to its input field, or explains everything wrong
/// with the header at once.
fn header_columns(header: &csv::ByteRecord) -> Result<Vec<&'static str>, FileError> {
    if header
        .iter()
        .all(|cell| cell.iter().all(u8::is_ascii_whitespace))
    {
        return Err(FileError::NoHeader);
    }
    let mut columns = Vec::with_capacity(header.len());
    let mut problems = Vec::new();
    for cell in header {
        let name = String::from_utf8_lossy(cell).trim().to_ascii_lowercase();
        match ClearanceInput::FIELDS.iter().find(|field| **field == name) {
            Some(field) if columns.contains(field) => {
                problems.push(HeaderProblem::Duplicate(name));
            }
            Some(field) => columns.push(*field),
            None => problems.push(HeaderProblem::Unknown(name)),
        }
    }
    let missing: Vec<_> = ClearanceInput::FIELDS
        .iter()
        .filter(|field| !columns.contains(field))
        .copied()
        .collect();
    if !missing.is_empty() {
        problems.push(HeaderProblem::Missing(missing));
    }
    if problems.is_empty() {
        Ok(columns)
    } else {
        Err(FileError::InvalidHeader(problems))
    }
}

/// Fills a [`ClearanceInput`] from one row; shape and encoding problems
/// are reported here because `validate` only sees text.
fn read_row(
    columns: &[&'static str],
    record: &csv::ByteRecord,
) -> Result<ClearanceInput, Vec<FieldIssue>> {
    if record.len() != columns.len() {
        return Err(vec![row_issue(Issue::FieldCount {
            expected: columns.len(),
            found: record.len(),
        })]);
    }
    let mut input = ClearanceInput::default();
    let mut issues = Vec::new();
    for (field, cell) in columns.iter().copied().zip(record) {
        match (std::str::from_utf8(cell), input.field_mut(field)) {
            (Ok(text), Some(slot)) => *slot = text.to_string(),
            (Err(_), _) => issues.push(FieldIssue::new(field, Issue::NotUtf8)),
            // Unreachable: columns only holds names from ClearanceInput::FIELDS.
            (Ok(_), None) => issues.push(row_issue(Issue::UnknownField { field })),
        }
    }
    if issues.is_empty() {
        Ok(input)
    } else {
        Err(issues)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "vin,make,model,model_year,body_type,engine_number,engine_cc,fuel,colour,declaration_number,clearance_date,duties_twd,certificate_number";

    fn honda_row(vin: &str) -> String {
        format!(
            "{vin},Honda,Accord,2003,Sedan,K24A4-1,2354,petrol,Silver,AA12345678901B,2024-03-15,1000,C-1"
        )
    }

    #[test]
    fn header_problems_are_all_reported() {
        let report = parse_csv(b"vin,VIN,colour_code,make\n1,2,3,4\n");
        let error = report.file_error.unwrap().to_string();
        assert!(error.contains("duplicate column 'vin'"), "{error}");
        assert!(error.contains("unknown column 'colour_code'"), "{error}");
        assert!(
            error.contains("missing columns: model, model_year"),
            "{error}"
        );
        assert!(report.rejected.is_empty() && report.accepted.is_empty());
    }

    #[test]
    fn empty_file_is_a_file_error() {
        assert!(parse_csv(b"").file_error.is_some());
        assert!(parse_csv(b"\xEF\xBB\xBF").file_error.is_some());
    }

    #[test]
    fn bom_is_ignored() {
        let csv = format!("\u{feff}{HEADER}\n{}\n", honda_row("1HGCM82633A004352"));
        let report = parse_csv(csv.as_bytes());
        assert!(report.is_importable(), "{report:?}");
    }

    #[test]
    fn invalid_utf8_is_a_field_issue() {
        let row = honda_row("1HGCM82633A004352").replace("Silver", "Silv\u{0}er");
        let mut bytes = format!("{HEADER}\n{row}\n").into_bytes();
        let at = bytes.iter().position(|b| *b == 0).unwrap();
        bytes[at] = 0xFF;
        let report = parse_csv(&bytes);
        assert_eq!(report.rejected[0].issues[0].field, "colour");
    }
}

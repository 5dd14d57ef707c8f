//! A data set's rows, read from CSV or JSON Lines with an error per bad line, and the
//! content hash that addresses a version.
//!
//! CSV needs a header with `text` (or `description`) and `code`; `id` and `source` are
//! optional, other columns are ignored. JSON Lines carry one object per line with the same
//! fields (codes as strings: a number would lose its leading zero). Codes are 2 to 11 digits
//! (dots, spaces and dashes are dropped): HS codes of 2, 4 or 6 digits, Taiwan's national
//! codes of 8 to 11. Whether a code exists is the data card's question, not a parse error.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Most rows one version may hold.
pub const MAX_ROWS: usize = 100_000;
/// Longest text accepted, in characters.
pub const MAX_TEXT_CHARS: usize = 2_000;
const MAX_ID_CHARS: usize = 100;
/// At most this many bad lines are listed; the count covers them all.
pub const MAX_REPORTED_ERRORS: usize = 100;

/// One labelled example.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelledRow {
    /// Unique within a version; `line-N` when the file gives none.
    pub id: String,
    pub text: String,
    /// Digits only: 2, 4 or 6 (HS) up to 11 (Taiwan's national code).
    pub code: String,
    /// Where the row came from: a shared folder, `rulings`, or what the uploader says.
    pub source: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Jsonl,
}

impl Format {
    /// JSON Lines when the first non-blank character opens an object, else CSV.
    pub fn detect(bytes: &[u8]) -> Format {
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        match body.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => Format::Jsonl,
            _ => Format::Csv,
        }
    }
}

/// A line that cannot be used, and why: the [`RowProblem`] and its English wording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub line: usize,
    /// The problem in English, as the JSON API shows it.
    pub reason: String,
    /// The problem as data, for wording it in another language.
    #[serde(skip)]
    pub problem: RowProblem,
}

impl RowError {
    pub fn new(line: usize, problem: RowProblem) -> RowError {
        RowError {
            line,
            reason: problem.to_string(),
            problem,
        }
    }
}

/// Why a line cannot be used, as data; `Display` is the English reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RowProblem {
    #[error("not UTF-8 text")]
    NotUtf8,
    #[error("id {id:?} is already used on line {first}")]
    IdUsed { id: String, first: usize },
    /// The CSV reader's own error, in its words.
    #[error("{0}")]
    Unreadable(String),
    #[error("{found} fields, the header has {header}")]
    FieldCount { found: usize, header: usize },
    /// The JSON parser stopped at `column` (1-based, in characters of the line's bytes as
    /// the parser counts them); `cut_short` when the line ended before the value did.
    /// `detail` is the parser's own words without the position.
    #[error("not JSON: {detail} at line 1 column {column}")]
    NotJson {
        column: usize,
        cut_short: bool,
        detail: String,
    },
    #[error("not a JSON object")]
    NotAnObject,
    #[error("code must be a string: a number loses its leading zeros")]
    CodeAsNumber,
    #[error("{key} must be a string")]
    NotAString { key: String },
    #[error("text is empty")]
    TextEmpty,
    #[error("text has {chars} characters; at most {max}")]
    TextTooLong { chars: usize, max: usize },
    #[error("id must be at most {max} printable characters")]
    IdTooLong { max: usize },
    #[error("source must be at most {max} characters")]
    SourceTooLong { max: usize },
    #[error("code is empty")]
    CodeEmpty,
    #[error("code {raw:?} is not 2 to 11 digits")]
    CodeDigits { raw: String },
}

/// What is wrong with a CSV header.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    /// The CSV reader's own error, in its words.
    #[error("line 1: {0}")]
    Unreadable(String),
    #[error(
        "line 1: the header needs a text (or description) column and a code column; id and source are optional"
    )]
    MissingColumns,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("the file has no data rows")]
    Empty,
    #[error("{0}")]
    Header(HeaderError),
    #[error("{rows} rows: at most {max} per data set")]
    TooManyRows { rows: usize, max: usize },
    /// `errors` lists the first [`MAX_REPORTED_ERRORS`] bad lines; `bad_lines` counts all.
    #[error(
        "{bad_lines} of {rows} rows cannot be used, so none was; fix them and send the whole file again"
    )]
    Rows {
        errors: Vec<RowError>,
        bad_lines: usize,
        rows: usize,
    },
}

/// Reads every row; any bad line fails the whole file, and every bad line is named.
/// `default_source` labels rows that carry no `source`.
pub fn parse_rows(
    bytes: &[u8],
    format: Format,
    default_source: &str,
) -> Result<Vec<LabelledRow>, ParseError> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(body).map_err(|e| {
        let line = body[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        ParseError::Rows {
            errors: vec![RowError::new(line, RowProblem::NotUtf8)],
            bad_lines: 1,
            rows: 0,
        }
    })?;
    let parsed = match format {
        Format::Csv => csv_rows(text, default_source)?,
        Format::Jsonl => jsonl_rows(text, default_source),
    };
    finish(parsed)
}

/// Line-numbered rows, each checked or refused, into a version's rows: every id unique, and
/// any bad line fails them all.
pub(crate) fn finish(parsed: Parsed) -> Result<Vec<LabelledRow>, ParseError> {
    if parsed.is_empty() {
        return Err(ParseError::Empty);
    }
    if parsed.len() > MAX_ROWS {
        return Err(ParseError::TooManyRows {
            rows: parsed.len(),
            max: MAX_ROWS,
        });
    }
    let total = parsed.len();
    let mut errors = Vec::new();
    let mut rows = Vec::with_capacity(total);
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (line, row) in parsed {
        match row {
            Ok(row) => match seen.get(&row.id) {
                Some(first) => errors.push(RowError::new(
                    line,
                    RowProblem::IdUsed {
                        id: row.id.clone(),
                        first: *first,
                    },
                )),
                None => {
                    seen.insert(row.id.clone(), line);
                    rows.push(row);
                }
            },
            Err(problem) => errors.push(RowError::new(line, problem)),
        }
    }
    if errors.is_empty() {
        return Ok(rows);
    }
    let bad_lines = errors.len();
    errors.truncate(MAX_REPORTED_ERRORS);
    Err(ParseError::Rows {
        errors,
        bad_lines,
        rows: total,
    })
}

pub(crate) type Parsed = Vec<(usize, Result<LabelledRow, RowProblem>)>;

fn csv_rows(text: &str, default_source: &str) -> Result<Parsed, ParseError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| ParseError::Header(HeaderError::Unreadable(e.to_string())))?
        .clone();
    let column = |names: &[&str]| {
        header
            .iter()
            .position(|h| names.contains(&h.trim().to_ascii_lowercase().as_str()))
    };
    let (Some(text_at), Some(code_at)) = (column(&["text", "description"]), column(&["code"]))
    else {
        return Err(ParseError::Header(HeaderError::MissingColumns));
    };
    let id_at = column(&["id"]);
    let source_at = column(&["source"]);
    let mut out = Vec::new();
    for record in reader.records() {
        let (line, fields) = match record {
            Ok(r) => (r.position().map_or(0, |p| p.line() as usize), Ok(r)),
            Err(e) => (
                e.position().map_or(0, |p| p.line() as usize),
                Err(RowProblem::Unreadable(e.to_string())),
            ),
        };
        let row = fields.and_then(|r| {
            if r.len() != header.len() {
                return Err(RowProblem::FieldCount {
                    found: r.len(),
                    header: header.len(),
                });
            }
            let get = |at: Option<usize>| at.and_then(|i| r.get(i));
            check_row(
                line,
                get(id_at),
                get(Some(text_at)),
                get(Some(code_at)),
                get(source_at),
                default_source,
            )
        });
        out.push((line, row));
    }
    Ok(out)
}

fn jsonl_rows(text: &str, default_source: &str) -> Parsed {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let row = match serde_json::from_str::<serde_json::Value>(raw) {
            Err(e) => Err(not_json(&e)),
            Ok(serde_json::Value::Object(o)) => json_row(line, &o, default_source),
            Ok(_) => Err(RowProblem::NotAnObject),
        };
        out.push((line, row));
    }
    out
}

/// A JSON Lines line's parse error as data; each line is parsed alone, so the parser's
/// line is always 1 and only the column says where.
fn not_json(e: &serde_json::Error) -> RowProblem {
    let full = e.to_string();
    let position = format!(" at line {} column {}", e.line(), e.column());
    RowProblem::NotJson {
        column: e.column(),
        cut_short: e.is_eof(),
        detail: full.strip_suffix(&position).unwrap_or(&full).to_string(),
    }
}

fn json_row(
    line: usize,
    o: &serde_json::Map<String, serde_json::Value>,
    default_source: &str,
) -> Result<LabelledRow, RowProblem> {
    use serde_json::Value;
    let string = |key: &str| -> Result<Option<String>, RowProblem> {
        match o.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) if key == "id" => Ok(Some(n.to_string())),
            Some(Value::Number(_)) if key == "code" => Err(RowProblem::CodeAsNumber),
            Some(_) => Err(RowProblem::NotAString {
                key: key.to_string(),
            }),
        }
    };
    let text = match string("text")? {
        Some(t) => Some(t),
        None => string("description")?,
    };
    check_row(
        line,
        string("id")?.as_deref(),
        text.as_deref(),
        string("code")?.as_deref(),
        string("source")?.as_deref(),
        default_source,
    )
}

pub(crate) fn check_row(
    line: usize,
    id: Option<&str>,
    text: Option<&str>,
    code: Option<&str>,
    source: Option<&str>,
    default_source: &str,
) -> Result<LabelledRow, RowProblem> {
    let text = text.map(str::trim).unwrap_or("");
    if text.is_empty() {
        return Err(RowProblem::TextEmpty);
    }
    let chars = text.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(RowProblem::TextTooLong {
            chars,
            max: MAX_TEXT_CHARS,
        });
    }
    let code = clean_code(code.unwrap_or(""))?;
    let id = match id.map(str::trim).filter(|s| !s.is_empty()) {
        Some(id) if id.chars().count() > MAX_ID_CHARS || id.chars().any(char::is_control) => {
            return Err(RowProblem::IdTooLong { max: MAX_ID_CHARS });
        }
        Some(id) => id.to_string(),
        None => format!("line-{line}"),
    };
    let source = source
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or(default_source);
    if source.chars().count() > MAX_ID_CHARS {
        return Err(RowProblem::SourceTooLong { max: MAX_ID_CHARS });
    }
    Ok(LabelledRow {
        id,
        text: text.to_string(),
        code,
        source: source.to_string(),
    })
}

/// A code as digits: dots, spaces and dashes dropped ("8471.30", "0101.21.00.00-3"); 2 to
/// 11 digits.
pub fn clean_code(raw: &str) -> Result<String, RowProblem> {
    let digits: String = raw
        .chars()
        .filter(|c| !matches!(c, '.' | ' ' | '-'))
        .collect();
    if digits.is_empty() {
        return Err(RowProblem::CodeEmpty);
    }
    if !digits.chars().all(|c| c.is_ascii_digit()) || !(2..=11).contains(&digits.len()) {
        return Err(RowProblem::CodeDigits {
            raw: raw.to_string(),
        });
    }
    Ok(digits)
}

/// Rows in canonical order: by id (ids are unique), so the order of the file does not matter.
pub fn canonical_order(rows: &mut [LabelledRow]) {
    rows.sort_by(|a, b| a.id.cmp(&b.id));
}

/// sha256 of the canonical serialisation: the rows by id, each a JSON array
/// `[id, text, code, source]` on its own line. The same rows give the same hash whether
/// they came as CSV or JSON Lines, in any order.
pub fn content_hash(rows: &[LabelledRow]) -> String {
    let mut sorted: Vec<&LabelledRow> = rows.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    let mut hasher = Sha256::new();
    for r in sorted {
        let line = serde_json::to_string(&(&r.id, &r.text, &r.code, &r.source))
            .expect("strings serialise");
        hasher.update(line.as_bytes());
        hasher.update(b"\n");
    }
    hex::encode(hasher.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "id,description,code,note\nr1,Frozen prawns,0306.17,x\nr2,laptop,847130,\n";

    #[test]
    fn csv_and_jsonl_of_the_same_rows_hash_alike() {
        let csv = parse_rows(CSV.as_bytes(), Format::Csv, "upload").unwrap();
        assert_eq!(csv[0].code, "030617");
        assert_eq!(csv[0].source, "upload");
        let jsonl = "{\"id\":\"r2\",\"text\":\"laptop\",\"code\":\"847130\"}\n\n{\"id\":\"r1\",\"text\":\" Frozen prawns \",\"code\":\"030617\"}\n";
        assert_eq!(Format::detect(jsonl.as_bytes()), Format::Jsonl);
        let jsonl = parse_rows(jsonl.as_bytes(), Format::Jsonl, "upload").unwrap();
        assert_eq!(content_hash(&csv), content_hash(&jsonl));
        let mut changed = csv.clone();
        changed[1].code = "847141".into();
        assert_ne!(content_hash(&csv), content_hash(&changed));
    }

    #[test]
    fn every_bad_line_is_named() {
        let csv = "text,code,id\nok,0101,a\n,0101,b\nbad code,01x1,c\nshort,1,d\nagain,0101,a\n\"multi\nline\",0102,e\ntoo,many,fields,here\n";
        let Err(ParseError::Rows {
            errors,
            bad_lines,
            rows,
        }) = parse_rows(csv.as_bytes(), Format::Csv, "upload")
        else {
            panic!("bad rows must fail the file")
        };
        assert_eq!((bad_lines, rows), (5, 7));
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 4, 5, 6, 9]);
        assert_eq!(errors[0].reason, "text is empty");
        assert!(errors[1].reason.contains("not 2 to 11 digits"));
        assert!(errors[3].reason.contains("already used on line 2"));
        assert!(errors[4].reason.contains("4 fields"));
    }

    #[test]
    fn jsonl_errors_name_their_lines() {
        let jsonl =
            "{\"text\":\"a\",\"code\":\"0101\"}\nnot json\n[1]\n{\"text\":\"b\",\"code\":101}\n";
        let Err(ParseError::Rows { errors, .. }) =
            parse_rows(jsonl.as_bytes(), Format::Jsonl, "upload")
        else {
            panic!()
        };
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 3, 4]);
        assert!(errors[2].reason.contains("leading zeros"));
    }

    #[test]
    fn files_without_rows_or_columns_are_refused() {
        assert_eq!(
            parse_rows(b"text,code\n", Format::Csv, "u"),
            Err(ParseError::Empty)
        );
        assert!(matches!(
            parse_rows(b"name,hs\nx,0101\n", Format::Csv, "u"),
            Err(ParseError::Header(_))
        ));
        let Err(ParseError::Rows { errors, .. }) =
            parse_rows(b"text,code\nok,0101\n\xff,0101\n", Format::Csv, "u")
        else {
            panic!()
        };
        assert_eq!(errors[0].line, 3);
    }

    #[test]
    fn ids_default_to_the_line() {
        let rows = parse_rows(b"\xEF\xBB\xBFtext,code\nhorses,0101\n", Format::Csv, "u").unwrap();
        assert_eq!(rows[0].id, "line-2");
    }
}

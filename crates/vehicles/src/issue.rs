//! What can be wrong with a clearance field, a CSV row or a CSV file, as
//! data: the kind of problem and its parameters, with no language in it.
//!
//! `Display` is the plain-English wording the JSON API and the CLI show; a
//! user interface in another language words each kind itself.

use crate::vin::VinError;

/// One problem with one input field, or with a CSV row as a whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Issue {
    #[error("is required")]
    Required,
    #[error("must be at most {max} characters")]
    TooLong { max: usize },
    #[error("must not contain control characters")]
    ControlCharacters,
    #[error("'{value}' is not a whole number")]
    NotWholeNumber { value: String },
    #[error("'{value}' is out of range")]
    OutOfRange { value: String },
    #[error("must be {expected} letters or digits, found {found} characters")]
    DeclarationLength { expected: usize, found: usize },
    #[error("must contain only letters and digits, found '{ch}'")]
    DeclarationCharacter { ch: char },
    #[error("'{value}' is not a date in YYYY-MM-DD form")]
    DateShape { value: String },
    #[error("'{value}' is before 1900")]
    DateBefore1900 { value: String },
    #[error("'{value}' is not a real calendar date")]
    NotACalendarDate { value: String },
    #[error("'{value}' is not an amount like 1234 or 1234.56")]
    AmountShape { value: String },
    #[error("'{value}' has more than two decimals")]
    TooManyDecimals { value: String },
    #[error("'{value}' is implausibly large")]
    ImplausiblyLarge { value: String },
    #[error("{0}")]
    Vin(VinError),
    #[error("{year} is outside {min}-{max}")]
    ModelYearOutside { year: u16, min: u16, max: u16 },
    #[error("'{value}' is not a known fuel")]
    UnknownFuel { value: String },
    #[error("is required for combustion-engine vehicles")]
    EngineCapacityRequired,
    #[error("{cc} is outside 1-{max}")]
    EngineCapacityOutside { cc: u32, max: u32 },
    /// A VIN that an earlier line of the same file has.
    #[error("VIN {vin} already appears on line {first_line}")]
    DuplicateVin { vin: String, first_line: usize },
    /// The CSV reader's own error, in its words.
    #[error("unreadable row: {error}")]
    UnreadableRow { error: String },
    #[error("expected {expected} fields, found {found}")]
    FieldCount { expected: usize, found: usize },
    #[error("is not valid UTF-8 text")]
    NotUtf8,
    #[error("unknown field {field}")]
    UnknownField { field: &'static str },
}

/// Why a CSV file cannot be examined at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    /// The CSV reader's own error, in its words.
    #[error("cannot read header: {0}")]
    UnreadableHeader(String),
    #[error("file is empty or has no header row")]
    NoHeader,
    /// Every problem with the header, in header order.
    #[error("invalid header: {}", join(.0))]
    InvalidHeader(Vec<HeaderProblem>),
}

/// One problem with a CSV header.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderProblem {
    #[error("duplicate column '{0}'")]
    Duplicate(String),
    #[error("unknown column '{0}'")]
    Unknown(String),
    #[error("missing columns: {}", .0.join(", "))]
    Missing(Vec<&'static str>),
}

fn join(problems: &[HeaderProblem]) -> String {
    problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

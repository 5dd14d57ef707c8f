//! Datasette-style URL queries: filters, sorting and keyset pagination.
//!
//! `?maker=Toyota&model_year__gte=2020&_sort_desc=count&_size=50&_next=...`
//!
//! Every error names the parameter at fault and what it accepts, so a user can fix the
//! URL without reading documentation.

mod cursor;
mod exec;
mod parse;

pub use exec::{Page, execute};
pub use parse::parse_query;

use thiserror::Error;

use crate::format::Format;
use crate::schema::ColumnType;
use crate::value::Value;

pub const DEFAULT_SIZE: usize = 100;
pub const MAX_SIZE: usize = 1000;

/// Operators, as written after `__` in a filter parameter.
pub const OPERATORS: [&str; 5] = ["gte", "lte", "contains", "in", "isnull"];
/// Parameters starting with `_` that are not filters.
pub const RESERVED: [&str; 5] = ["_sort", "_sort_desc", "_size", "_next", "_format"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// `col=value`; decimals match by number (`1.5` matches `1.50`).
    Exact(Value),
    /// `col__gte=value`
    Gte(Value),
    /// `col__lte=value`
    Lte(Value),
    /// `col__contains=text`, case-insensitive, text columns only.
    Contains(String),
    /// `col__in=a,b,c`
    In(Vec<Value>),
    /// `col__isnull=true|false`: tells missing data apart from zero or empty.
    IsNull(bool),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub column: String,
    pub condition: Condition,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sort {
    pub column: String,
    pub descending: bool,
}

/// Where the previous page ended: its last row's sort value and primary key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub sort: Option<Sort>,
    /// `None` when the query has no `_sort` (rows are then in primary key order).
    pub sort_value: Option<Value>,
    pub key: Vec<Value>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// All must hold (AND).
    pub filters: Vec<Filter>,
    pub sort: Option<Sort>,
    pub size: usize,
    pub after: Option<Cursor>,
    pub format: Option<Format>,
}

impl Default for Query {
    fn default() -> Self {
        Query {
            filters: Vec::new(),
            sort: None,
            size: DEFAULT_SIZE,
            after: None,
            format: None,
        }
    }
}

fn list(items: &[String]) -> String {
    items.join(", ")
}

/// Bad query parameters. Each variant carries the parameter name (`param`) for a JSON error
/// body, and the `Display` text lists what would have been accepted.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QueryError {
    #[error("unknown column {column:?} in parameter {param:?}; columns are: {}", list(.columns))]
    UnknownColumn {
        param: String,
        column: String,
        columns: Vec<String>,
    },
    #[error("unknown operator {operator:?} in parameter {param:?}; operators are: {}", OPERATORS.join(", "))]
    UnknownOperator { param: String, operator: String },
    #[error("unknown parameter {param:?}; parameters starting with _ are: {}", RESERVED.join(", "))]
    UnknownParameter { param: String },
    #[error("parameter {param:?} expects {expected}, got {value:?}")]
    BadValue {
        param: String,
        value: String,
        expected: String,
    },
    #[error("operator \"contains\" in parameter {param:?} works on text columns; {column:?} is {kind}; text columns are: {}", list(.text_columns))]
    NotText {
        param: String,
        column: String,
        kind: ColumnType,
        text_columns: Vec<String>,
    },
    #[error("parameter {param:?} must be a whole number from 1 to {MAX_SIZE}, got {value:?}")]
    BadSize { param: String, value: String },
    #[error(
        "unknown format {value:?} in parameter {param:?}; formats are: csv, json, jsonl, parquet"
    )]
    BadFormat { param: String, value: String },
    #[error(
        "parameter {param:?} is given more than once; give one sort: _sort=column or _sort_desc=column"
    )]
    Repeated { param: String },
    #[error(
        "parameter {param:?} is not a cursor from this dataset ({reason}); start again without {param}"
    )]
    BadCursor { param: String, reason: CursorFault },
}

/// Why a `_next` cursor is refused; `Display` is the English reason.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CursorFault {
    #[error("too long")]
    TooLong,
    #[error("not URL-safe base64")]
    NotBase64,
    #[error("not a cursor payload")]
    NotAPayload,
    /// Made for another order: each sort as its parameter (`_sort=col`), `None` for no sort.
    #[error("it was made for {}, this query has {}; repeat the same sort", sort_said(.made_for), sort_said(.this))]
    OtherSort {
        made_for: Option<String>,
        this: Option<String>,
    },
    #[error("unknown sort column")]
    UnknownSortColumn,
    #[error("sort value has the wrong type")]
    SortValueType,
    #[error("wrong primary key length")]
    KeyLength,
    #[error("primary key value has the wrong type")]
    KeyType,
}

fn sort_said(sort: &Option<String>) -> &str {
    sort.as_deref().unwrap_or("no _sort")
}

impl QueryError {
    /// The parameter at fault.
    pub fn param(&self) -> &str {
        match self {
            QueryError::UnknownColumn { param, .. }
            | QueryError::UnknownOperator { param, .. }
            | QueryError::UnknownParameter { param }
            | QueryError::BadValue { param, .. }
            | QueryError::NotText { param, .. }
            | QueryError::BadSize { param, .. }
            | QueryError::BadFormat { param, .. }
            | QueryError::Repeated { param }
            | QueryError::BadCursor { param, .. } => param,
        }
    }
}

/// Echoed values are cut so an error never reflects a megabyte of input.
pub(crate) fn clip(s: &str) -> String {
    const MAX: usize = 80;
    match s.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

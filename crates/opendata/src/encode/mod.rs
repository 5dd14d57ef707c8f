//! Download encoders. Every encoder writes the full table: downloads are never capped.

mod csv;
mod json;
mod parquet;

pub use self::csv::to_csv;
pub use self::json::{to_json, to_json_lines};
pub use self::parquet::{ParquetError, SCHEMA_METADATA_KEY, from_parquet, to_parquet};

use crate::format::Format;
use crate::table::Table;

/// Encodes `table` in `format`; only Parquet can fail (values that do not fit their column).
pub fn encode(table: &Table, format: Format) -> Result<Vec<u8>, ParquetError> {
    Ok(match format {
        Format::Csv => to_csv(table),
        Format::Json => to_json(table),
        Format::Jsonl => to_json_lines(table),
        Format::Parquet => to_parquet(table)?,
    })
}

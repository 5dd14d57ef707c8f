//! Parquet through the low-level column writers (no Arrow: it would triple compile time).
//!
//! Types map one to one: text → BYTE_ARRAY (STRING), integer → INT64, decimal →
//! FIXED_LEN_BYTE_ARRAY(16) DECIMAL(38, s) with `s` the largest scale in the column, date →
//! INT32 (DATE), boolean → BOOLEAN; nullable columns are OPTIONAL. The schema, descriptions
//! included, is embedded as JSON under [`SCHEMA_METADATA_KEY`] so a file describes itself.

use std::sync::Arc;

use bytes::Bytes;
use parquet::basic::{Compression, DecimalType, LogicalType, Repetition, Type as Physical};
use parquet::data_type::{
    BoolType, ByteArray, ByteArrayType, FixedLenByteArray, FixedLenByteArrayType, Int32Type,
    Int64Type,
};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use parquet::file::reader::FileReader;
use parquet::file::serialized_reader::SerializedFileReader;
use parquet::file::writer::SerializedFileWriter;
use parquet::record::Field;
use parquet::schema::types::Type;
use thiserror::Error;
use time::Date;

use crate::schema::{Column, ColumnType, Schema};
use crate::table::{Table, TableError};
use crate::value::{Decimal, Value};

/// Key of the file metadata entry holding the schema as JSON.
pub const SCHEMA_METADATA_KEY: &str = "opendata.schema";

/// Rows per row group: small enough for readers to stream, large enough to compress well.
const ROWS_PER_GROUP: usize = 65_536;
/// Julian day number of 1970-01-01, Parquet's DATE epoch.
const UNIX_EPOCH_JULIAN_DAY: i32 = 2_440_588;
const DECIMAL_PRECISION: usize = 38;

#[derive(Debug, Error)]
pub enum ParquetError {
    #[error("cannot write an invalid table: {0}")]
    InvalidTable(#[from] TableError),
    #[error("column {column:?}: decimal {value} needs more than 38 digits at scale {scale}")]
    DecimalTooWide {
        column: String,
        value: String,
        scale: usize,
    },
    #[error(
        "the file has no {SCHEMA_METADATA_KEY:?} metadata, so it was not written by this crate"
    )]
    NoSchema,
    #[error("the embedded schema is not valid: {0}")]
    BadSchema(String),
    #[error("row {row}, column {column:?}: the file holds {found}, expected {expected}")]
    UnexpectedValue {
        row: usize,
        column: String,
        expected: ColumnType,
        found: String,
    },
    #[error("parquet: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
}

/// Encodes a valid table; the same table always gives the same bytes, so hashes are stable.
pub fn to_parquet(table: &Table) -> Result<Vec<u8>, ParquetError> {
    table.validate()?;
    let cols = table.schema.columns();
    let scales: Vec<usize> = (0..cols.len()).map(|i| column_scale(table, i)).collect();
    let fields = cols
        .iter()
        .zip(&scales)
        .map(|(c, &s)| parquet_type(c, s).map(Arc::new))
        .collect::<Result<Vec<_>, _>>()?;
    let root = Type::group_type_builder("schema")
        .with_fields(fields)
        .build()?;
    let schema_json = serde_json::to_string(&table.schema).expect("schemas always serialise");
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_key_value_metadata(Some(vec![KeyValue::new(
            SCHEMA_METADATA_KEY.into(),
            schema_json,
        )]))
        .build();
    let mut writer = SerializedFileWriter::new(Vec::new(), Arc::new(root), Arc::new(props))?;
    for chunk in table.rows.chunks(ROWS_PER_GROUP) {
        let mut group = writer.next_row_group()?;
        for (i, col) in cols.iter().enumerate() {
            let mut w = group.next_column()?.expect("one writer per schema column");
            let cells = chunk.iter().map(|r| &r[i]);
            let defs: Option<Vec<i16>> = col
                .nullable
                .then(|| cells.clone().map(|v| i16::from(!v.is_null())).collect());
            let defs = defs.as_deref();
            let present = cells.filter(|v| !v.is_null());
            match col.kind {
                ColumnType::Text => {
                    let vals: Vec<ByteArray> = present
                        .map(|v| match v {
                            Value::Text(s) => ByteArray::from(s.as_bytes().to_vec()),
                            _ => unreachable!("validated"),
                        })
                        .collect();
                    w.typed::<ByteArrayType>().write_batch(&vals, defs, None)?;
                }
                ColumnType::Integer => {
                    let vals: Vec<i64> = present
                        .map(|v| {
                            if let Value::Integer(n) = v {
                                *n
                            } else {
                                unreachable!("validated")
                            }
                        })
                        .collect();
                    w.typed::<Int64Type>().write_batch(&vals, defs, None)?;
                }
                ColumnType::Decimal => {
                    let vals = present
                        .map(|v| match v {
                            Value::Decimal(d) => encode_decimal(d, scales[i], &col.name),
                            _ => unreachable!("validated"),
                        })
                        .collect::<Result<Vec<FixedLenByteArray>, _>>()?;
                    w.typed::<FixedLenByteArrayType>()
                        .write_batch(&vals, defs, None)?;
                }
                ColumnType::Date => {
                    let vals: Vec<i32> = present
                        .map(|v| match v {
                            Value::Date(d) => d.to_julian_day() - UNIX_EPOCH_JULIAN_DAY,
                            _ => unreachable!("validated"),
                        })
                        .collect();
                    w.typed::<Int32Type>().write_batch(&vals, defs, None)?;
                }
                ColumnType::Boolean => {
                    let vals: Vec<bool> = present
                        .map(|v| {
                            if let Value::Boolean(b) = v {
                                *b
                            } else {
                                unreachable!("validated")
                            }
                        })
                        .collect();
                    w.typed::<BoolType>().write_batch(&vals, defs, None)?;
                }
            }
            w.close()?;
        }
        group.close()?;
    }
    Ok(writer.into_inner()?)
}

fn parquet_type(col: &Column, scale: usize) -> Result<Type, parquet::errors::ParquetError> {
    let rep = if col.nullable {
        Repetition::OPTIONAL
    } else {
        Repetition::REQUIRED
    };
    let b = |physical| Type::primitive_type_builder(&col.name, physical).with_repetition(rep);
    match col.kind {
        ColumnType::Text => b(Physical::BYTE_ARRAY)
            .with_logical_type(Some(LogicalType::String))
            .build(),
        ColumnType::Integer => b(Physical::INT64).build(),
        ColumnType::Decimal => b(Physical::FIXED_LEN_BYTE_ARRAY)
            .with_length(16)
            .with_logical_type(Some(LogicalType::Decimal(DecimalType {
                scale: scale as i32,
                precision: DECIMAL_PRECISION as i32,
            })))
            .with_precision(DECIMAL_PRECISION as i32)
            .with_scale(scale as i32)
            .build(),
        ColumnType::Date => b(Physical::INT32)
            .with_logical_type(Some(LogicalType::Date))
            .build(),
        ColumnType::Boolean => b(Physical::BOOLEAN).build(),
    }
}

/// Parquet decimals have one scale per column: the widest written scale, so no value rounds.
fn column_scale(table: &Table, i: usize) -> usize {
    let decimals = table.rows.iter().filter_map(|r| match &r[i] {
        Value::Decimal(d) => Some(d.scale()),
        _ => None,
    });
    decimals.max().unwrap_or(0).min(DECIMAL_PRECISION)
}

/// The unscaled value at `scale` as 16 big-endian two's-complement bytes.
fn encode_decimal(
    d: &Decimal,
    scale: usize,
    column: &str,
) -> Result<FixedLenByteArray, ParquetError> {
    let too_wide = || ParquetError::DecimalTooWide {
        column: column.to_owned(),
        value: d.to_string(),
        scale,
    };
    let (neg, int, frac) = d.parts();
    if frac.len() > scale {
        return Err(too_wide());
    }
    let digits = format!("{int}{frac}{}", "0".repeat(scale - frac.len()));
    let digits = digits.trim_start_matches('0');
    if digits.len() > DECIMAL_PRECISION {
        return Err(too_wide());
    }
    let magnitude: i128 = if digits.is_empty() {
        0
    } else {
        digits.parse().map_err(|_| too_wide())?
    };
    let unscaled = if neg { -magnitude } else { magnitude };
    Ok(FixedLenByteArray::from(unscaled.to_be_bytes().to_vec()))
}

/// Back to text with exactly `scale` fraction digits.
fn decode_decimal(bytes: &[u8], scale: usize) -> Option<Decimal> {
    if bytes.is_empty() || bytes.len() > 16 {
        return None;
    }
    let fill = if bytes[0] & 0x80 != 0 { 0xff } else { 0 };
    let mut buf = [fill; 16];
    buf[16 - bytes.len()..].copy_from_slice(bytes);
    let unscaled = i128::from_be_bytes(buf);
    let mut digits = unscaled.unsigned_abs().to_string();
    if digits.len() <= scale {
        digits = format!("{}{digits}", "0".repeat(scale + 1 - digits.len()));
    }
    let (int, frac) = digits.split_at(digits.len() - scale);
    let sign = if unscaled < 0 { "-" } else { "" };
    let text = if scale == 0 {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    };
    Decimal::parse(&text)
}

/// Reads a file written by [`to_parquet`], typed by its embedded schema. Decimals come back
/// at the column's scale (`1.5` written next to `0.25` reads `1.50`), equal in value.
pub fn from_parquet(bytes: &[u8]) -> Result<Table, ParquetError> {
    let reader = SerializedFileReader::new(Bytes::copy_from_slice(bytes))?;
    let meta = reader.metadata().file_metadata();
    let json = meta
        .key_value_metadata()
        .and_then(|kv| kv.iter().find(|k| k.key == SCHEMA_METADATA_KEY))
        .and_then(|k| k.value.clone())
        .ok_or(ParquetError::NoSchema)?;
    let schema: Schema =
        serde_json::from_str(&json).map_err(|e| ParquetError::BadSchema(e.to_string()))?;
    let mut rows = Vec::with_capacity(usize::try_from(meta.num_rows()).unwrap_or(0));
    for (n, record) in reader.get_row_iter(None)?.enumerate() {
        let record = record?;
        let mut row = Vec::with_capacity(schema.columns().len());
        for (col, (_, field)) in schema.columns().iter().zip(record.get_column_iter()) {
            let unexpected = || ParquetError::UnexpectedValue {
                row: n,
                column: col.name.clone(),
                expected: col.kind,
                found: format!("{field:?}"),
            };
            row.push(field_value(field, col.kind).ok_or_else(unexpected)?);
        }
        rows.push(row);
    }
    Ok(Table::new(schema, rows)?)
}

fn field_value(field: &Field, kind: ColumnType) -> Option<Value> {
    Some(match (field, kind) {
        (Field::Null, _) => Value::Null,
        (Field::Str(s), ColumnType::Text) => Value::Text(s.clone()),
        (Field::Long(n), ColumnType::Integer) => Value::Integer(*n),
        (Field::Decimal(d), ColumnType::Decimal) => {
            Value::Decimal(decode_decimal(d.data(), usize::try_from(d.scale()).ok()?)?)
        }
        (Field::Date(days), ColumnType::Date) => {
            Value::Date(Date::from_julian_day(days.checked_add(UNIX_EPOCH_JULIAN_DAY)?).ok()?)
        }
        (Field::Bool(b), ColumnType::Boolean) => Value::Boolean(*b),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_round_trip_through_twos_complement() {
        for (text, scale, back) in [
            ("12.5", 2, "12.50"),
            ("-0.01", 2, "-0.01"),
            ("-7", 0, "-7"),
            ("0", 3, "0.000"),
            ("-0.0", 1, "0.0"),
            (
                "99999999999999999999999999999999999999",
                0,
                "99999999999999999999999999999999999999",
            ),
        ] {
            let d = Decimal::parse(text).unwrap();
            let enc = encode_decimal(&d, scale, "c").unwrap();
            assert_eq!(
                decode_decimal(enc.data(), scale).unwrap().as_str(),
                back,
                "{text}"
            );
        }
    }

    #[test]
    fn decimals_past_38_digits_are_refused() {
        let d = Decimal::parse(&"9".repeat(37)).unwrap();
        assert!(encode_decimal(&d, 1, "rate").is_ok());
        let err = encode_decimal(&d, 2, "rate").unwrap_err();
        assert!(
            err.to_string().starts_with("column \"rate\": decimal 999"),
            "{err}"
        );
    }

    #[test]
    fn short_big_endian_decimals_sign_extend() {
        assert_eq!(decode_decimal(&[0xff, 0x85], 1).unwrap().as_str(), "-12.3");
        assert_eq!(decode_decimal(&[0x7b], 0).unwrap().as_str(), "123");
    }
}

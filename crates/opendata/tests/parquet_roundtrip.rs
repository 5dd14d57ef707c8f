//! Parquet files are checked with the parquet crate's own reader, not with our decoder alone.

use bytes::Bytes;
use opendata::{Column, ColumnType, Schema, Table, Value, from_parquet, to_parquet};
use parquet::basic::{Compression, DecimalType, LogicalType, Type as Physical};
use parquet::file::reader::FileReader;
use parquet::file::serialized_reader::SerializedFileReader;
use parquet::record::Field;

fn schema() -> Schema {
    Schema::new(
        vec![
            Column::new("code", ColumnType::Text, "HS code"),
            Column::new("rows", ColumnType::Integer, "A count"),
            Column::new("rate", ColumnType::Decimal, "Duty rate, percent").nullable(),
            Column::new("since", ColumnType::Date, "In force from").nullable(),
            Column::new("active", ColumnType::Boolean, "In force now"),
            Column::new("note", ColumnType::Text, "Free text").nullable(),
        ],
        &["code"],
    )
    .unwrap()
}

fn row(i: i64) -> Vec<Value> {
    let null_if = |cond: bool, v: Value| if cond { Value::Null } else { v };
    vec![
        Value::text(format!("{:06}", i)),
        Value::Integer(i * 1_000_003 - 500),
        null_if(
            i % 7 == 0,
            Value::decimal(&format!("{}.{}", i % 40 - 20, i % 10)).unwrap(),
        ),
        null_if(
            i % 5 == 0,
            Value::date(&format!(
                "20{:02}-{:02}-{:02}",
                i % 30,
                i % 12 + 1,
                i % 28 + 1
            ))
            .unwrap(),
        ),
        Value::Boolean(i % 2 == 0),
        null_if(i % 3 == 0, Value::text(format!("note \"{i}\", ünïcode"))),
    ]
}

fn table(n: i64) -> Table {
    Table::new(schema(), (0..n).map(row).collect()).unwrap()
}

#[test]
fn parquet_reader_sees_our_types_and_values() {
    let t = table(500);
    let bytes = to_parquet(&t).unwrap();
    assert_eq!(&bytes[..4], b"PAR1");
    let reader = SerializedFileReader::new(Bytes::from(bytes)).unwrap();
    let meta = reader.metadata();
    assert_eq!(meta.file_metadata().num_rows(), 500);
    assert_eq!(
        meta.row_group(0).column(0).compression(),
        Compression::SNAPPY
    );

    let fields = meta.file_metadata().schema().get_fields();
    let names: Vec<&str> = fields.iter().map(|f| f.name()).collect();
    assert_eq!(names, ["code", "rows", "rate", "since", "active", "note"]);
    assert_eq!(
        fields[0].get_basic_info().logical_type_ref(),
        Some(&LogicalType::String)
    );
    assert_eq!(fields[1].get_physical_type(), Physical::INT64);
    assert_eq!(
        fields[2].get_basic_info().logical_type_ref(),
        Some(&LogicalType::Decimal(DecimalType {
            scale: 1,
            precision: 38
        }))
    );
    assert_eq!(
        fields[3].get_basic_info().logical_type_ref(),
        Some(&LogicalType::Date)
    );
    assert!(fields[2].is_optional() && !fields[0].is_optional());

    for (i, record) in reader.get_row_iter(None).unwrap().enumerate() {
        let record = record.unwrap();
        let cols: Vec<&Field> = record.get_column_iter().map(|(_, f)| f).collect();
        let want = row(i as i64);
        assert_eq!(cols[0], &Field::Str(want[0].to_string()));
        assert_eq!(
            cols[1],
            &Field::Long(match want[1] {
                Value::Integer(n) => n,
                _ => unreachable!(),
            })
        );
        match (&want[2], cols[2]) {
            (Value::Null, Field::Null) => {}
            (Value::Decimal(d), Field::Decimal(p)) => {
                // Unscaled value at scale 1, e.g. "-3.4" → -34.
                let mut buf = [if p.data()[0] & 0x80 != 0 { 0xff } else { 0 }; 16];
                buf[16 - p.data().len()..].copy_from_slice(p.data());
                assert_eq!(
                    i128::from_be_bytes(buf),
                    d.as_str().replace('.', "").parse::<i128>().unwrap()
                );
            }
            other => panic!("row {i}: {other:?}"),
        }
        match (&want[3], cols[3]) {
            (Value::Null, Field::Null) => {}
            (Value::Date(d), Field::Date(days)) => {
                assert_eq!(
                    i64::from(*days),
                    (*d - time::Date::from_calendar_date(1970, time::Month::January, 1).unwrap())
                        .whole_days()
                );
            }
            other => panic!("row {i}: {other:?}"),
        }
        assert_eq!(cols[4], &Field::Bool(want[4] == Value::Boolean(true)));
        match (&want[5], cols[5]) {
            (Value::Null, Field::Null) => {}
            (v, Field::Str(s)) => assert_eq!(&v.to_string(), s),
            other => panic!("row {i}: {other:?}"),
        }
    }
}

#[test]
fn round_trip_through_our_reader_is_exact() {
    // More than one row group (65,536 rows each).
    let t = table(70_000);
    let bytes = to_parquet(&t).unwrap();
    let reader = SerializedFileReader::new(Bytes::from(bytes.clone())).unwrap();
    assert_eq!(reader.metadata().num_row_groups(), 2);
    let back = from_parquet(&bytes).unwrap();
    assert_eq!(
        back.schema, t.schema,
        "schema with descriptions is embedded"
    );
    // All rates here have one decimal, so even the text comes back unchanged.
    assert_eq!(back, t);
}

#[test]
fn mixed_scales_come_back_equal_in_value() {
    let s = Schema::new(
        vec![
            Column::new("k", ColumnType::Integer, ""),
            Column::new("r", ColumnType::Decimal, ""),
        ],
        &["k"],
    )
    .unwrap();
    let rates = ["1.5", "-0.25", "10", "0.001"];
    let t = Table::new(
        s,
        rates
            .iter()
            .enumerate()
            .map(|(i, r)| vec![Value::Integer(i as i64), Value::decimal(r).unwrap()])
            .collect(),
    )
    .unwrap();
    let back = from_parquet(&to_parquet(&t).unwrap()).unwrap();
    let texts: Vec<String> = back.rows.iter().map(|r| r[1].to_string()).collect();
    assert_eq!(texts, ["1.500", "-0.250", "10.000", "0.001"]);
    for (a, b) in t.rows.iter().zip(&back.rows) {
        assert_eq!(a[1].compare(&b[1]), std::cmp::Ordering::Equal);
    }
}

#[test]
fn empty_tables_and_invalid_tables() {
    let empty = Table::empty(schema());
    let back = from_parquet(&to_parquet(&empty).unwrap()).unwrap();
    assert!(back.is_empty());
    assert_eq!(back.schema, schema());

    let mut bad = table(3);
    bad.rows[1][1] = Value::text("not a number");
    let err = to_parquet(&bad).unwrap_err().to_string();
    assert!(
        err.contains("row 1, column \"rows\": expected integer, found text"),
        "{err}"
    );

    assert!(from_parquet(b"PAR1 not really").is_err());
}

#[test]
fn same_table_same_bytes() {
    assert_eq!(
        to_parquet(&table(100)).unwrap(),
        to_parquet(&table(100)).unwrap()
    );
}

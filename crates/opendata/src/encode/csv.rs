//! RFC 4180 CSV.

use crate::table::Table;
use crate::value::Value;

/// RFC 4180: header row, CRLF line ends, fields quoted only when needed. An empty text
/// is written `""` while a null is written as nothing, so the two stay apart (the
/// convention PostgreSQL's `COPY ... CSV` uses). Values are exact: no formula escaping,
/// no rounding.
pub fn to_csv(table: &Table) -> Vec<u8> {
    let mut out = String::with_capacity(64 * (table.rows.len() + 1));
    let names = table.schema.columns().iter().map(|c| c.name.as_str());
    write_record(&mut out, names.map(Field::Raw));
    let width = table.schema.columns().len();
    for row in &table.rows {
        let cells = (0..width).map(|i| match row.get(i).unwrap_or(&Value::Null) {
            Value::Null => Field::Null,
            Value::Text(s) => Field::Raw(s.as_str()),
            other => Field::Owned(other.to_string()),
        });
        write_record(&mut out, cells);
    }
    out.into_bytes()
}

enum Field<'a> {
    Null,
    Raw(&'a str),
    Owned(String),
}

fn write_record<'a>(out: &mut String, fields: impl Iterator<Item = Field<'a>>) {
    for (i, f) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        match f {
            Field::Null => {}
            Field::Raw(s) => write_field(out, s),
            Field::Owned(s) => write_field(out, &s),
        }
    }
    out.push_str("\r\n");
}

fn write_field(out: &mut String, s: &str) {
    if s.is_empty() || s.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Column, ColumnType, Schema};

    fn table() -> Table {
        let schema = Schema::new(
            vec![
                Column::new("code", ColumnType::Text, ""),
                Column::new("rate", ColumnType::Decimal, ""),
                Column::new("note", ColumnType::Text, "").nullable(),
                Column::new("active", ColumnType::Boolean, ""),
                Column::new("since", ColumnType::Date, ""),
            ],
            &["code"],
        )
        .unwrap();
        let row = |code: &str, rate: &str, note: Value| {
            vec![
                Value::text(code),
                Value::decimal(rate).unwrap(),
                note,
                Value::Boolean(true),
                Value::date("2024-01-31").unwrap(),
            ]
        };
        Table::new(
            schema,
            vec![
                row("0101.21", "5.00", Value::text("say \"hi\", then\nleave")),
                row("0101.29", "0.10", Value::Null),
                row("0101.30", "-1", Value::text("")),
            ],
        )
        .unwrap()
    }

    #[test]
    fn writes_rfc4180_with_exact_values() {
        let out = String::from_utf8(to_csv(&table())).unwrap();
        assert_eq!(
            out,
            "code,rate,note,active,since\r\n\
             0101.21,5.00,\"say \"\"hi\"\", then\nleave\",true,2024-01-31\r\n\
             0101.29,0.10,,true,2024-01-31\r\n\
             0101.30,-1,\"\",true,2024-01-31\r\n"
        );
    }

    #[test]
    fn a_standard_reader_gets_the_values_back() {
        let bytes = to_csv(&table());
        let mut r = csv::ReaderBuilder::new().from_reader(bytes.as_slice());
        assert_eq!(
            r.headers().unwrap(),
            vec!["code", "rate", "note", "active", "since"]
        );
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 3);
        assert_eq!(&rows[0][2], "say \"hi\", then\nleave");
        assert_eq!(&rows[1][1], "0.10");
    }
}

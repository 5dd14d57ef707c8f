//! JSON array and JSON Lines.

use std::io::Write;

use crate::table::Table;
use crate::value::Value;

/// A JSON array of objects, one per line, keys in schema order (readers that show keys in
/// file order then match the CSV column order).
pub fn to_json(table: &Table) -> Vec<u8> {
    let mut out = Vec::with_capacity(96 * (table.rows.len() + 1));
    out.push(b'[');
    for (i, row) in table.rows.iter().enumerate() {
        out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        write_object(&mut out, table, row);
    }
    out.extend_from_slice(b"\n]\n");
    out
}

/// JSON Lines: one object per line, so huge downloads can be streamed and split.
pub fn to_json_lines(table: &Table) -> Vec<u8> {
    let mut out = Vec::with_capacity(96 * table.rows.len());
    for row in &table.rows {
        write_object(&mut out, table, row);
        out.push(b'\n');
    }
    out
}

fn write_object(out: &mut Vec<u8>, table: &Table, row: &[Value]) {
    out.push(b'{');
    for (i, col) in table.schema.columns().iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // Writing to a Vec cannot fail and these types always serialise.
        let _ = serde_json::to_writer(&mut *out, &col.name);
        out.push(b':');
        let _ = serde_json::to_writer(&mut *out, row.get(i).unwrap_or(&Value::Null));
    }
    let _ = out.write_all(b"}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::tests::{vehicles_schema, vrow};

    fn table() -> Table {
        Table::new(
            vehicles_schema(),
            vec![
                vrow("Kia \"K\"", 2021, "2024-02-01", None),
                vrow("Toyota", 2020, "2024-01-01", Some(7)),
            ],
        )
        .unwrap()
    }

    #[test]
    fn array_keeps_schema_order_and_types() {
        let out = String::from_utf8(to_json(&table())).unwrap();
        assert_eq!(
            out,
            "[\n{\"maker\":\"Kia \\\"K\\\"\",\"model_year\":2021,\"month\":\"2024-02-01\",\"count\":null},\n\
             {\"maker\":\"Toyota\",\"model_year\":2020,\"month\":\"2024-01-01\",\"count\":7}\n]\n"
        );
        let parsed: serde_json::Value = serde_json::from_slice(out.as_bytes()).unwrap();
        assert_eq!(parsed[1]["count"], 7);
    }

    #[test]
    fn empty_table_is_an_empty_array() {
        let t = Table::empty(vehicles_schema());
        let parsed: serde_json::Value = serde_json::from_slice(&to_json(&t)).unwrap();
        assert_eq!(parsed, serde_json::json!([]));
        assert!(to_json_lines(&t).is_empty());
    }

    #[test]
    fn json_lines_has_one_parsable_object_per_line() {
        let out = String::from_utf8(to_json_lines(&table())).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2);
        let second: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
        assert_eq!(second["month"], "2024-01-01");
    }
}

//! In-memory tables: a schema plus rows, with validation.

use std::collections::HashMap;

use thiserror::Error;

use crate::schema::{ColumnType, Schema};
use crate::value::Value;

/// One row, one value per schema column, in schema order.
pub type Row = Vec<Value>;

/// Why a row does not fit its schema. Row numbers are 0-based indices into `Table::rows`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TableError {
    #[error("row {row} has {found} values; the schema has {expected} columns")]
    Arity {
        row: usize,
        expected: usize,
        found: usize,
    },
    #[error("row {row}, column {column:?}: expected {expected}, found {found}")]
    WrongType {
        row: usize,
        column: String,
        expected: ColumnType,
        found: ColumnType,
    },
    #[error("row {row}, column {column:?}: null in a required column")]
    NullInRequired { row: usize, column: String },
    #[error("row {row} repeats the primary key ({key}) of row {first}")]
    DuplicateKey {
        row: usize,
        first: usize,
        key: String,
    },
}

/// Rows with their schema. Fields are public so a caller can hold rows that do not yet
/// validate (the `valid` quality badge reports on them); `Table::new` is the checked path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub schema: Schema,
    pub rows: Vec<Row>,
}

impl Table {
    /// Builds a table, failing on the first row that does not fit the schema.
    pub fn new(schema: Schema, rows: Vec<Row>) -> Result<Table, TableError> {
        let table = Table { schema, rows };
        table.validate()?;
        Ok(table)
    }

    pub fn empty(schema: Schema) -> Table {
        Table {
            schema,
            rows: Vec::new(),
        }
    }

    pub fn validate(&self) -> Result<(), TableError> {
        match self.problems(1).into_iter().next() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Up to `limit` problems, in row order: enough to fix a load without flooding a report.
    pub fn problems(&self, limit: usize) -> Vec<TableError> {
        let mut out = Vec::new();
        let mut seen: HashMap<Vec<&Value>, usize> = HashMap::with_capacity(self.rows.len());
        for (i, row) in self.rows.iter().enumerate() {
            if out.len() >= limit {
                break;
            }
            if let Some(e) = self.row_problem(i, row) {
                out.push(e);
                continue;
            }
            let key = self.key_refs(row);
            if let Some(&first) = seen.get(&key) {
                let key = key
                    .iter()
                    .map(|v| v.to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push(TableError::DuplicateKey { row: i, first, key });
            } else {
                seen.insert(key, i);
            }
        }
        out
    }

    fn row_problem(&self, i: usize, row: &Row) -> Option<TableError> {
        let cols = self.schema.columns();
        if row.len() != cols.len() {
            return Some(TableError::Arity {
                row: i,
                expected: cols.len(),
                found: row.len(),
            });
        }
        for (col, value) in cols.iter().zip(row) {
            match value.column_type() {
                None if !col.nullable => {
                    return Some(TableError::NullInRequired {
                        row: i,
                        column: col.name.clone(),
                    });
                }
                Some(found) if found != col.kind => {
                    return Some(TableError::WrongType {
                        row: i,
                        column: col.name.clone(),
                        expected: col.kind,
                        found,
                    });
                }
                _ => {}
            }
        }
        None
    }

    /// The primary key of `row`; missing cells (short rows) read as null.
    pub fn key_of(&self, row: &Row) -> Vec<Value> {
        self.key_refs(row).into_iter().cloned().collect()
    }

    pub(crate) fn key_refs<'a>(&self, row: &'a Row) -> Vec<&'a Value> {
        self.schema
            .key_indices()
            .iter()
            .map(|&i| row.get(i).unwrap_or(&Value::Null))
            .collect()
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::schema::Column;

    /// Vehicle imports by maker and month: the shape used across this crate's tests.
    pub fn vehicles_schema() -> Schema {
        Schema::new(
            vec![
                Column::new("maker", ColumnType::Text, "Vehicle maker"),
                Column::new("model_year", ColumnType::Integer, "Model year"),
                Column::new("month", ColumnType::Date, "First day of the month"),
                Column::new("count", ColumnType::Integer, "Vehicles cleared").nullable(),
            ],
            &["maker", "model_year", "month"],
        )
        .unwrap()
    }

    pub fn vrow(maker: &str, year: i64, month: &str, count: Option<i64>) -> Row {
        vec![
            Value::text(maker),
            Value::Integer(year),
            Value::date(month).unwrap(),
            count.map_or(Value::Null, Value::Integer),
        ]
    }

    #[test]
    fn valid_rows_build_a_table() {
        let t = Table::new(
            vehicles_schema(),
            vec![
                vrow("Toyota", 2020, "2024-01-01", Some(3)),
                vrow("Kia", 2021, "2024-01-01", None),
            ],
        )
        .unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t.key_of(&t.rows[1])[0], Value::text("Kia"));
    }

    #[test]
    fn each_kind_of_problem_is_named() {
        let mut bad_type = vrow("A", 2020, "2024-01-01", None);
        bad_type[1] = Value::text("2020");
        let mut null_key = vrow("B", 2020, "2024-01-01", None);
        null_key[0] = Value::Null;
        let t = Table {
            schema: vehicles_schema(),
            rows: vec![
                vrow("A", 2020, "2024-01-01", Some(1)),
                vec![Value::text("short")],
                bad_type,
                null_key,
                vrow("A", 2020, "2024-01-01", Some(2)),
            ],
        };
        let problems = t.problems(10);
        assert_eq!(
            problems,
            vec![
                TableError::Arity {
                    row: 1,
                    expected: 4,
                    found: 1
                },
                TableError::WrongType {
                    row: 2,
                    column: "model_year".into(),
                    expected: ColumnType::Integer,
                    found: ColumnType::Text
                },
                TableError::NullInRequired {
                    row: 3,
                    column: "maker".into()
                },
                TableError::DuplicateKey {
                    row: 4,
                    first: 0,
                    key: "A, 2020, 2024-01-01".into()
                },
            ]
        );
        assert_eq!(t.problems(2).len(), 2);
        assert_eq!(
            Table::new(t.schema.clone(), t.rows.clone())
                .unwrap_err()
                .to_string(),
            "row 1 has 1 values; the schema has 4 columns"
        );
    }
}

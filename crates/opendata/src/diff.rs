//! Row-level differences between two versions of a dataset, keyed by primary key.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use thiserror::Error;

use crate::schema::{ColumnType, Schema};
use crate::table::{Row, Table};
use crate::value::Value;

/// A change to the schema, description changes included: users ask to be told when the
/// meaning of a column changes, not only its values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum SchemaChange {
    ColumnAdded {
        column: String,
    },
    ColumnRemoved {
        column: String,
    },
    TypeChanged {
        column: String,
        old: ColumnType,
        new: ColumnType,
    },
    NullableChanged {
        column: String,
        nullable: bool,
    },
    DescriptionChanged {
        column: String,
        old: String,
        new: String,
    },
}

/// One changed cell of a row present in both versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellChange {
    pub key: Vec<Value>,
    pub column: String,
    pub old: Value,
    pub new: Value,
}

/// Everything sorted by primary key, so the same two versions always give the same diff.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct RowDiff {
    pub schema: Vec<SchemaChange>,
    /// Rows of the new version whose key is not in the old one (new column layout).
    pub added: Vec<Row>,
    /// Rows of the old version whose key is gone (old column layout).
    pub removed: Vec<Row>,
    /// Cells that differ, for columns present in both versions.
    pub changed: Vec<CellChange>,
}

impl RowDiff {
    pub fn is_empty(&self) -> bool {
        self.schema.is_empty()
            && self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DiffError {
    #[error("the primary key changed from ({}) to ({}); rows cannot be matched", .old.join(", "), .new.join(", "))]
    KeyChanged { old: Vec<String>, new: Vec<String> },
}

/// Compares two versions. Both should be valid tables; with duplicate keys the last row wins.
pub fn diff(old: &Table, new: &Table) -> Result<RowDiff, DiffError> {
    if old.schema.primary_key() != new.schema.primary_key() {
        return Err(DiffError::KeyChanged {
            old: old.schema.primary_key().to_vec(),
            new: new.schema.primary_key().to_vec(),
        });
    }
    let old_rows: BTreeMap<Vec<&Value>, &Row> =
        old.rows.iter().map(|r| (old.key_refs(r), r)).collect();
    let new_rows: BTreeMap<Vec<&Value>, &Row> =
        new.rows.iter().map(|r| (new.key_refs(r), r)).collect();
    // (column name, index in old, index in new) for columns both versions have.
    let shared: Vec<(&str, usize, usize)> = old
        .schema
        .columns()
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            new.schema
                .index_of(&c.name)
                .map(|j| (c.name.as_str(), i, j))
        })
        .collect();
    let mut out = RowDiff {
        schema: schema_changes(&old.schema, &new.schema),
        ..RowDiff::default()
    };
    for (key, row) in &new_rows {
        let Some(before) = old_rows.get(key) else {
            out.added.push((*row).clone());
            continue;
        };
        for &(name, i, j) in &shared {
            let (a, b) = (cell(before, i), cell(row, j));
            if a != b {
                out.changed.push(CellChange {
                    key: key.iter().map(|v| (*v).clone()).collect(),
                    column: name.to_owned(),
                    old: a.clone(),
                    new: b.clone(),
                });
            }
        }
    }
    out.removed = old_rows
        .iter()
        .filter(|(k, _)| !new_rows.contains_key(*k))
        .map(|(_, r)| (*r).clone())
        .collect();
    Ok(out)
}

fn cell(row: &Row, i: usize) -> &Value {
    row.get(i).unwrap_or(&Value::Null)
}

/// Column-level changes, in old-then-new column order.
pub fn schema_changes(old: &Schema, new: &Schema) -> Vec<SchemaChange> {
    let new_cols: HashMap<&str, _> = new.columns().iter().map(|c| (c.name.as_str(), c)).collect();
    let mut out = Vec::new();
    for o in old.columns() {
        let column = || o.name.clone();
        let Some(n) = new_cols.get(o.name.as_str()) else {
            out.push(SchemaChange::ColumnRemoved { column: column() });
            continue;
        };
        if o.kind != n.kind {
            out.push(SchemaChange::TypeChanged {
                column: column(),
                old: o.kind,
                new: n.kind,
            });
        }
        if o.nullable != n.nullable {
            out.push(SchemaChange::NullableChanged {
                column: column(),
                nullable: n.nullable,
            });
        }
        if o.description != n.description {
            out.push(SchemaChange::DescriptionChanged {
                column: column(),
                old: o.description.clone(),
                new: n.description.clone(),
            });
        }
    }
    for n in new
        .columns()
        .iter()
        .filter(|n| old.index_of(&n.name).is_none())
    {
        out.push(SchemaChange::ColumnAdded {
            column: n.name.clone(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Column;
    use crate::table::tests::{vehicles_schema, vrow};

    fn table(rows: Vec<Row>) -> Table {
        Table::new(vehicles_schema(), rows).unwrap()
    }

    #[test]
    fn finds_added_removed_and_changed_rows_by_key() {
        let old = table(vec![
            vrow("Toyota", 2020, "2024-01-01", Some(12)),
            vrow("Hyundai", 2019, "2024-01-01", None),
            vrow("Kia", 2018, "2024-01-01", Some(1)),
        ]);
        // Order differs on purpose: matching is by key, not by position.
        let new = table(vec![
            vrow("Nissan", 2022, "2024-01-01", Some(4)),
            vrow("Kia", 2018, "2024-01-01", Some(1)),
            vrow("Toyota", 2020, "2024-01-01", Some(13)),
        ]);
        let d = diff(&old, &new).unwrap();
        assert!(d.schema.is_empty());
        assert_eq!(d.added, vec![vrow("Nissan", 2022, "2024-01-01", Some(4))]);
        assert_eq!(d.removed, vec![vrow("Hyundai", 2019, "2024-01-01", None)]);
        assert_eq!(
            d.changed,
            vec![CellChange {
                key: vrow("Toyota", 2020, "2024-01-01", None)[..3].to_vec(),
                column: "count".into(),
                old: Value::Integer(12),
                new: Value::Integer(13),
            }]
        );
        assert!(diff(&new, &new).unwrap().is_empty());
    }

    #[test]
    fn reports_schema_changes_and_compares_shared_columns_only() {
        let old = table(vec![vrow("Kia", 2018, "2024-01-01", Some(1))]);
        let mut cols = vehicles_schema().columns().to_vec();
        cols[3].description = "Vehicles released for free circulation".into();
        cols.push(Column::new("fuel", ColumnType::Text, "Fuel").nullable());
        let schema = Schema::new(cols, &["maker", "model_year", "month"]).unwrap();
        let mut row = vrow("Kia", 2018, "2024-01-01", Some(1));
        row.push(Value::text("petrol"));
        let new = Table::new(schema, vec![row]).unwrap();
        let d = diff(&old, &new).unwrap();
        assert_eq!(
            d.schema,
            vec![
                SchemaChange::DescriptionChanged {
                    column: "count".into(),
                    old: "Vehicles cleared".into(),
                    new: "Vehicles released for free circulation".into()
                },
                SchemaChange::ColumnAdded {
                    column: "fuel".into()
                },
            ]
        );
        assert!(d.changed.is_empty() && d.added.is_empty());
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["schema"][1]["change"], "column_added");
    }

    #[test]
    fn refuses_a_changed_primary_key() {
        let old = table(vec![]);
        let schema = Schema::new(vehicles_schema().columns().to_vec(), &["maker"]).unwrap();
        let err = diff(&old, &Table::empty(schema)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the primary key changed from (maker, model_year, month) to (maker); rows cannot be matched"
        );
    }
}

//! Dataset schemas: ordered, typed, described columns and a primary key.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Column types. Declared, never guessed from the first rows, so every download loads
/// with the same types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnType {
    Text,
    Integer,
    /// Exact decimal, kept as its written text.
    Decimal,
    /// Calendar date, `YYYY-MM-DD`.
    Date,
    Boolean,
}

impl ColumnType {
    pub fn name(self) -> &'static str {
        match self {
            ColumnType::Text => "text",
            ColumnType::Integer => "integer",
            ColumnType::Decimal => "decimal",
            ColumnType::Date => "date",
            ColumnType::Boolean => "boolean",
        }
    }

    /// What a value of this type looks like, for error messages.
    pub fn example(self) -> &'static str {
        match self {
            ColumnType::Text => "any text",
            ColumnType::Integer => "an integer such as 2024",
            ColumnType::Decimal => "a decimal such as 12.50",
            ColumnType::Date => "a date such as 2024-01-31",
            ColumnType::Boolean => "true or false",
        }
    }
}

impl std::fmt::Display for ColumnType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: ColumnType,
    pub description: String,
    pub nullable: bool,
}

impl Column {
    /// A required (non-nullable) column.
    pub fn new(name: &str, kind: ColumnType, description: &str) -> Column {
        Column {
            name: name.to_owned(),
            kind,
            description: description.to_owned(),
            nullable: false,
        }
    }

    /// The same column, allowing nulls.
    pub fn nullable(mut self) -> Column {
        self.nullable = true;
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SchemaError {
    #[error("a schema needs at least one column")]
    NoColumns,
    #[error(
        "bad column name {0:?}: use lowercase letters, digits and single underscores, starting with a letter (at most 64 characters)"
    )]
    BadColumnName(String),
    #[error("column {0:?} is declared twice")]
    DuplicateColumn(String),
    #[error("a schema needs a primary key; columns are: {}", .columns.join(", "))]
    NoPrimaryKey { columns: Vec<String> },
    #[error("primary key column {name:?} is not in the schema; columns are: {}", .columns.join(", "))]
    UnknownKeyColumn { name: String, columns: Vec<String> },
    #[error("primary key column {0:?} is nullable; key columns must be required")]
    NullableKeyColumn(String),
    #[error("primary key column {0:?} is listed twice")]
    DuplicateKeyColumn(String),
}

/// Column names double as URL parameters (`col__gte`), so they are restricted to
/// `[a-z][a-z0-9_]*` without `__`, which keeps the operator suffix unambiguous.
pub fn is_valid_column_name(name: &str) -> bool {
    let mut bytes = name.bytes();
    name.len() <= 64
        && bytes.next().is_some_and(|b| b.is_ascii_lowercase())
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !name.contains("__")
}

/// Ordered columns plus the primary key that identifies a row across releases
/// (diffs and pagination cursors depend on it being stable).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "SchemaRepr")]
pub struct Schema {
    columns: Vec<Column>,
    primary_key: Vec<String>,
    #[serde(skip)]
    key_indices: Vec<usize>,
}

#[derive(Deserialize)]
struct SchemaRepr {
    columns: Vec<Column>,
    primary_key: Vec<String>,
}

impl TryFrom<SchemaRepr> for Schema {
    type Error = SchemaError;
    fn try_from(r: SchemaRepr) -> Result<Schema, SchemaError> {
        let key: Vec<&str> = r.primary_key.iter().map(String::as_str).collect();
        Schema::new(r.columns, &key)
    }
}

impl Schema {
    pub fn new(columns: Vec<Column>, primary_key: &[&str]) -> Result<Schema, SchemaError> {
        if columns.is_empty() {
            return Err(SchemaError::NoColumns);
        }
        for (i, c) in columns.iter().enumerate() {
            if !is_valid_column_name(&c.name) {
                return Err(SchemaError::BadColumnName(c.name.clone()));
            }
            if columns[..i].iter().any(|p| p.name == c.name) {
                return Err(SchemaError::DuplicateColumn(c.name.clone()));
            }
        }
        let names = || columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
        if primary_key.is_empty() {
            return Err(SchemaError::NoPrimaryKey { columns: names() });
        }
        let mut key_indices = Vec::with_capacity(primary_key.len());
        for (i, k) in primary_key.iter().enumerate() {
            if primary_key[..i].contains(k) {
                return Err(SchemaError::DuplicateKeyColumn((*k).to_owned()));
            }
            let Some(idx) = columns.iter().position(|c| c.name == *k) else {
                return Err(SchemaError::UnknownKeyColumn {
                    name: (*k).to_owned(),
                    columns: names(),
                });
            };
            if columns[idx].nullable {
                return Err(SchemaError::NullableKeyColumn((*k).to_owned()));
            }
            key_indices.push(idx);
        }
        let primary_key = primary_key.iter().map(|k| (*k).to_owned()).collect();
        Ok(Schema {
            columns,
            primary_key,
            key_indices,
        })
    }

    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    pub fn primary_key(&self) -> &[String] {
        &self.primary_key
    }

    /// Positions of the primary key columns, in key order.
    pub fn key_indices(&self) -> &[usize] {
        &self.key_indices
    }

    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn column_names(&self) -> Vec<String> {
        self.columns.iter().map(|c| c.name.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols() -> Vec<Column> {
        vec![
            Column::new("maker", ColumnType::Text, "Vehicle maker"),
            Column::new("month", ColumnType::Date, "First day of the month"),
            Column::new("count", ColumnType::Integer, "Vehicles cleared").nullable(),
        ]
    }

    #[test]
    fn names_must_be_url_safe() {
        for ok in ["maker", "model_year", "a1"] {
            assert!(is_valid_column_name(ok), "{ok}");
        }
        for bad in [
            "",
            "Maker",
            "1a",
            "_sort",
            "a__b",
            "a-b",
            "a b",
            &"a".repeat(65),
        ] {
            assert!(!is_valid_column_name(bad), "{bad}");
        }
    }

    #[test]
    fn primary_key_must_name_required_columns() {
        let s = Schema::new(cols(), &["maker", "month"]).unwrap();
        assert_eq!(s.key_indices(), [0, 1]);
        let err = Schema::new(cols(), &["makr"]).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"primary key column "makr" is not in the schema; columns are: maker, month, count"#
        );
        assert_eq!(
            Schema::new(cols(), &["count"]),
            Err(SchemaError::NullableKeyColumn("count".into()))
        );
        assert!(matches!(
            Schema::new(cols(), &[]),
            Err(SchemaError::NoPrimaryKey { .. })
        ));
        assert_eq!(
            Schema::new(cols(), &["maker", "maker"]),
            Err(SchemaError::DuplicateKeyColumn("maker".into()))
        );
    }

    #[test]
    fn duplicate_columns_are_rejected() {
        let mut c = cols();
        c.push(Column::new("maker", ColumnType::Text, ""));
        assert_eq!(
            Schema::new(c, &["maker"]),
            Err(SchemaError::DuplicateColumn("maker".into()))
        );
    }

    #[test]
    fn json_round_trip_revalidates() {
        let s = Schema::new(cols(), &["maker", "month"]).unwrap();
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.contains(r#""type":"date""#), "{json}");
        let back: Schema = serde_json::from_str(&json).unwrap();
        assert_eq!(back, s);
        let bad = json.replace(
            r#""primary_key":["maker","month"]"#,
            r#""primary_key":["nope"]"#,
        );
        assert!(serde_json::from_str::<Schema>(&bad).is_err());
    }
}

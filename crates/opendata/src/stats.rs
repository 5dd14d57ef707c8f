//! Per-column summary statistics for dataset pages.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use crate::schema::ColumnType;
use crate::table::Table;
use crate::value::Value;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnStats {
    pub column: String,
    #[serde(rename = "type")]
    pub kind: ColumnType,
    /// Non-null values.
    pub count: usize,
    pub nulls: usize,
    /// Distinct non-null values.
    pub distinct: usize,
    pub min: Option<Value>,
    pub max: Option<Value>,
    /// Integer and decimal columns only; approximate (floating point), for display.
    pub mean: Option<f64>,
    pub median: Option<f64>,
    /// Text columns only: most frequent values, ties in text order.
    pub top: Vec<(String, usize)>,
}

/// Statistics for every column, in schema order; `top_k` bounds the text value lists.
pub fn summarize(table: &Table, top_k: usize) -> Vec<ColumnStats> {
    table
        .schema
        .columns()
        .iter()
        .enumerate()
        .map(|(i, col)| {
            let values: Vec<&Value> = table
                .rows
                .iter()
                .map(|r| r.get(i).unwrap_or(&Value::Null))
                .filter(|v| !v.is_null())
                .collect();
            let numeric = matches!(col.kind, ColumnType::Integer | ColumnType::Decimal);
            let mut nums: Vec<f64> = if numeric {
                values
                    .iter()
                    .filter_map(|v| v.as_f64())
                    .filter(|x| x.is_finite())
                    .collect()
            } else {
                Vec::new()
            };
            nums.sort_by(f64::total_cmp);
            ColumnStats {
                column: col.name.clone(),
                kind: col.kind,
                count: values.len(),
                nulls: table.rows.len() - values.len(),
                distinct: distinct(&values),
                // `compare` so decimals order by number; the first of equal numbers is kept.
                min: values.iter().copied().min_by(|a, b| a.compare(b)).cloned(),
                max: values
                    .iter()
                    .copied()
                    .rev()
                    .max_by(|a, b| a.compare(b))
                    .cloned(),
                mean: (!nums.is_empty()).then(|| nums.iter().sum::<f64>() / nums.len() as f64),
                median: median(&nums),
                top: if col.kind == ColumnType::Text {
                    top(&values, top_k)
                } else {
                    Vec::new()
                },
            }
        })
        .collect()
}

/// Decimals count by number: `1.5` and `1.50` are one value.
fn distinct(values: &[&Value]) -> usize {
    let norm = |v: &Value| match v {
        Value::Decimal(d) => {
            let (neg, int, frac) = d.parts();
            Value::text(format!("{}{int}.{frac}", if neg { "-" } else { "" }))
        }
        other => other.clone(),
    };
    values.iter().map(|v| norm(v)).collect::<HashSet<_>>().len()
}

fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

fn top(values: &[&Value], k: usize) -> Vec<(String, usize)> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for v in values {
        if let Value::Text(s) = v {
            *counts.entry(s.as_str()).or_default() += 1;
        }
    }
    let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
    // Stable sort keeps text order among equal counts.
    ranked.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
    ranked
        .into_iter()
        .take(k)
        .map(|(s, n)| (s.to_owned(), n))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Column, Schema};

    fn table() -> Table {
        let schema = Schema::new(
            vec![
                Column::new("id", ColumnType::Integer, ""),
                Column::new("maker", ColumnType::Text, "").nullable(),
                Column::new("rate", ColumnType::Decimal, "").nullable(),
            ],
            &["id"],
        )
        .unwrap();
        let row = |id: i64, maker: Option<&str>, rate: Option<&str>| {
            vec![
                Value::Integer(id),
                maker.map_or(Value::Null, Value::text),
                rate.map_or(Value::Null, |r| Value::decimal(r).unwrap()),
            ]
        };
        Table::new(
            schema,
            vec![
                row(4, Some("Kia"), Some("1.5")),
                row(1, Some("Toyota"), Some("10")),
                row(3, Some("Toyota"), Some("1.50")),
                row(2, None, Some("9.25")),
                row(7, Some("Audi"), None),
                row(5, Some("Kia"), Some("-2")),
            ],
        )
        .unwrap()
    }

    #[test]
    fn numbers_get_range_mean_and_median() {
        let s = summarize(&table(), 3);
        let id = &s[0];
        assert_eq!((id.count, id.nulls, id.distinct), (6, 0, 6));
        assert_eq!(
            (id.min.clone(), id.max.clone()),
            (Some(Value::Integer(1)), Some(Value::Integer(7)))
        );
        assert_eq!(id.mean, Some(22.0 / 6.0));
        assert_eq!(id.median, Some(3.5));
        let rate = &s[2];
        assert_eq!((rate.count, rate.nulls, rate.distinct), (5, 1, 4));
        // By number, not text: "10" is the max, "-2" the min.
        assert_eq!(rate.max, Value::decimal("10"));
        assert_eq!(rate.min, Value::decimal("-2"));
        assert_eq!(rate.median, Some(1.5));
        assert!(rate.top.is_empty());
    }

    #[test]
    fn text_gets_top_values_with_ties_in_order() {
        let maker = &summarize(&table(), 2)[1];
        assert_eq!((maker.count, maker.nulls, maker.distinct), (5, 1, 3));
        assert_eq!(
            maker.top,
            vec![("Kia".to_string(), 2), ("Toyota".to_string(), 2)]
        );
        assert_eq!(maker.mean, None);
        assert_eq!(maker.min, Some(Value::text("Audi")));
    }

    #[test]
    fn empty_table_has_no_extremes() {
        let t = Table::empty(table().schema);
        let s = summarize(&t, 5);
        assert_eq!((s[0].count, s[0].min.clone(), s[0].median), (0, None, None));
    }
}

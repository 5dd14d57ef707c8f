//! Runs a [`Query`] over an in-memory table.

use std::cmp::Ordering;

use super::{Condition, Cursor, Query, QueryError, cursor};
use crate::table::{Row, Table};
use crate::value::Value;

/// One page of results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub rows: Vec<Row>,
    /// Token for `_next`; `None` on the last page.
    pub next: Option<String>,
    /// Rows matching the filters across all pages.
    pub matched: usize,
}

impl Page {
    /// The page as a table, for the encoders.
    pub fn into_table(self, table: &Table) -> Table {
        Table {
            schema: table.schema.clone(),
            rows: self.rows,
        }
    }
}

/// A filter with its column resolved to an index.
struct Bound<'q> {
    index: usize,
    condition: &'q Condition,
}

impl Bound<'_> {
    fn matches(&self, row: &Row) -> bool {
        let v = cell(row, self.index);
        match self.condition {
            Condition::IsNull(want) => v.is_null() == *want,
            // Nulls match no comparison, as in SQL.
            _ if v.is_null() => false,
            Condition::Exact(x) => v.compare(x) == Ordering::Equal,
            Condition::Gte(x) => v.compare(x) != Ordering::Less,
            Condition::Lte(x) => v.compare(x) != Ordering::Greater,
            Condition::In(xs) => xs.iter().any(|x| v.compare(x) == Ordering::Equal),
            Condition::Contains(needle) => match v {
                Value::Text(s) => s.to_lowercase().contains(needle.as_str()),
                _ => false,
            },
        }
    }
}

/// A cell by index; short rows read as null. Borrowed, so sorting clones nothing.
fn cell(row: &Row, i: usize) -> &Value {
    row.get(i).unwrap_or(&Value::Null)
}

/// Filters, orders by (sort column, primary key) and returns the page after `query.after`.
/// Cost is one pass plus a partial sort of one page, so each page of a 100k-row table is
/// cheap, and pages never repeat or skip rows even when rows were added meanwhile.
pub fn execute(table: &Table, query: &Query) -> Result<Page, QueryError> {
    let schema = &table.schema;
    let column = |param: &str, name: &str| {
        schema
            .index_of(name)
            .ok_or_else(|| QueryError::UnknownColumn {
                param: param.to_owned(),
                column: name.to_owned(),
                columns: schema.column_names(),
            })
    };
    let filters = query
        .filters
        .iter()
        .map(|f| {
            Ok(Bound {
                index: column(&f.column, &f.column)?,
                condition: &f.condition,
            })
        })
        .collect::<Result<Vec<_>, QueryError>>()?;
    let sort_index = match &query.sort {
        Some(s) => Some(column(
            if s.descending { "_sort_desc" } else { "_sort" },
            &s.column,
        )?),
        None => None,
    };
    let descending = query.sort.as_ref().is_some_and(|s| s.descending);
    let keys = schema.key_indices();

    // Ascending (sort value, key) order, reversed as a whole for `_sort_desc`.
    let order = |a: &Row, b: &Row| -> Ordering {
        let sorted = sort_index.map_or(Ordering::Equal, |i| cell(a, i).cmp(cell(b, i)));
        let o = sorted.then_with(|| {
            keys.iter()
                .map(|&k| cell(a, k).cmp(cell(b, k)))
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        });
        if descending { o.reverse() } else { o }
    };
    let after_cursor = |row: &Row, c: &Cursor| -> bool {
        let sorted = match (sort_index, &c.sort_value) {
            (Some(i), Some(v)) => cell(row, i).cmp(v),
            _ => Ordering::Equal,
        };
        let o = sorted.then_with(|| {
            keys.iter()
                .zip(&c.key)
                .map(|(&k, v)| cell(row, k).cmp(v))
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        });
        (if descending { o.reverse() } else { o }) == Ordering::Greater
    };

    let mut hits: Vec<&Row> = table
        .rows
        .iter()
        .filter(|r| filters.iter().all(|f| f.matches(r)))
        .collect();
    let matched = hits.len();
    if let Some(c) = &query.after {
        hits.retain(|r| after_cursor(r, c));
    }
    let more = hits.len() > query.size;
    if more {
        hits.select_nth_unstable_by(query.size, |a, b| order(a, b));
        hits.truncate(query.size);
    }
    hits.sort_unstable_by(|a, b| order(a, b));
    let next = match hits.last() {
        Some(last) if more => {
            let key: Vec<&Value> = keys.iter().map(|&k| cell(last, k)).collect();
            let sort_value = sort_index.map(|i| cell(last, i));
            Some(cursor::encode(query.sort.as_ref(), sort_value, &key))
        }
        _ => None,
    };
    Ok(Page {
        rows: hits.into_iter().cloned().collect(),
        next,
        matched,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::parse_query;
    use crate::table::tests::{vehicles_schema, vrow};

    fn table() -> Table {
        Table::new(
            vehicles_schema(),
            vec![
                vrow("Toyota", 2020, "2024-01-01", Some(12)),
                vrow("Hyundai", 2019, "2024-01-01", None),
                vrow("Toyota", 2021, "2024-02-01", Some(3)),
                vrow("Kia", 2021, "2024-02-01", Some(12)),
                vrow("Toyota Tsusho", 2018, "2024-03-01", Some(1)),
            ],
        )
        .unwrap()
    }

    fn run(t: &Table, pairs: &[(&str, &str)]) -> Page {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        execute(t, &parse_query(&pairs, &t.schema).unwrap()).unwrap()
    }

    fn makers(p: &Page) -> Vec<String> {
        p.rows
            .iter()
            .map(|r| format!("{}/{}", r[0], r[1]))
            .collect()
    }

    #[test]
    fn filters_combine_with_and() {
        let t = table();
        assert_eq!(
            makers(&run(&t, &[("maker", "Toyota")])),
            ["Toyota/2020", "Toyota/2021"]
        );
        assert_eq!(
            makers(&run(
                &t,
                &[("maker__contains", "toyota"), ("model_year__lte", "2020")]
            )),
            ["Toyota/2020", "Toyota Tsusho/2018"]
        );
        assert_eq!(
            makers(&run(&t, &[("count__isnull", "true")])),
            ["Hyundai/2019"]
        );
        // Nulls match no comparison.
        assert_eq!(run(&t, &[("count__lte", "100")]).matched, 4);
        assert_eq!(
            makers(&run(
                &t,
                &[("month__gte", "2024-02-01"), ("count__in", "12,1")]
            )),
            ["Kia/2021", "Toyota Tsusho/2018"]
        );
    }

    #[test]
    fn sorts_with_primary_key_as_tie_break() {
        let t = table();
        let p = run(&t, &[("_sort_desc", "count")]);
        assert_eq!(
            makers(&p),
            [
                "Toyota/2020",
                "Kia/2021",
                "Toyota/2021",
                "Toyota Tsusho/2018",
                "Hyundai/2019"
            ]
        );
        let p = run(&t, &[("_sort", "count")]);
        assert_eq!(
            makers(&p),
            [
                "Hyundai/2019",
                "Toyota Tsusho/2018",
                "Toyota/2021",
                "Kia/2021",
                "Toyota/2020"
            ]
        );
    }

    #[test]
    fn pages_follow_the_cursor_and_survive_inserts() {
        let mut t = table();
        let first = run(&t, &[("_sort", "model_year"), ("_size", "2")]);
        assert_eq!(makers(&first), ["Toyota Tsusho/2018", "Hyundai/2019"]);
        assert_eq!(first.matched, 5);
        let token = first.next.clone().unwrap();
        // A row sorting before the boundary arrives between requests: offsets would now
        // repeat Hyundai; the cursor does not.
        t.rows.push(vrow("Audi", 2017, "2024-03-01", Some(2)));
        let second = run(
            &t,
            &[("_sort", "model_year"), ("_size", "2"), ("_next", &token)],
        );
        assert_eq!(makers(&second), ["Toyota/2020", "Kia/2021"]);
        let third = run(
            &t,
            &[
                ("_next", second.next.as_deref().unwrap()),
                ("_size", "2"),
                ("_sort", "model_year"),
            ],
        );
        assert_eq!(makers(&third), ["Toyota/2021"]);
        assert_eq!(third.next, None);
    }

    #[test]
    fn exact_page_fit_has_no_next() {
        let p = run(&table(), &[("_size", "5")]);
        assert_eq!((p.rows.len(), p.next), (5, None));
    }
}

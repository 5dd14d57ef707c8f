//! URL query pairs to a validated [`Query`].

use super::{Condition, Filter, MAX_SIZE, Query, QueryError, Sort, clip, cursor};
use crate::format::Format;
use crate::schema::{Column, ColumnType, Schema};
use crate::value::Value;

/// Parses already percent-decoded pairs, in URL order, against `schema`.
pub fn parse_query(pairs: &[(String, String)], schema: &Schema) -> Result<Query, QueryError> {
    let mut q = Query::default();
    let mut size_seen = false;
    let mut format_seen = false;
    let mut next: Option<&str> = None;
    for (param, value) in pairs {
        let repeated = || QueryError::Repeated {
            param: param.clone(),
        };
        match param.as_str() {
            "_sort" | "_sort_desc" => {
                if q.sort.is_some() {
                    return Err(repeated());
                }
                let col = lookup(schema, param, value)?;
                q.sort = Some(Sort {
                    column: col.name.clone(),
                    descending: param == "_sort_desc",
                });
            }
            "_size" => {
                if std::mem::replace(&mut size_seen, true) {
                    return Err(repeated());
                }
                q.size = value
                    .parse()
                    .ok()
                    .filter(|n| (1..=MAX_SIZE).contains(n) && !value.starts_with('+'))
                    .ok_or_else(|| QueryError::BadSize {
                        param: param.clone(),
                        value: clip(value),
                    })?;
            }
            "_format" => {
                if std::mem::replace(&mut format_seen, true) {
                    return Err(repeated());
                }
                q.format = Some(
                    Format::from_name(value).ok_or_else(|| QueryError::BadFormat {
                        param: param.clone(),
                        value: clip(value),
                    })?,
                );
            }
            "_next" => {
                if next.replace(value).is_some() {
                    return Err(repeated());
                }
            }
            p if p.starts_with('_') => return Err(QueryError::UnknownParameter { param: clip(p) }),
            _ => q.filters.push(parse_filter(schema, param, value)?),
        }
    }
    // After the loop: `_next` may come before `_sort` in the URL.
    if let Some(token) = next {
        q.after = Some(cursor::decode(token, schema, q.sort.as_ref())?);
    }
    Ok(q)
}

fn lookup<'a>(schema: &'a Schema, param: &str, name: &str) -> Result<&'a Column, QueryError> {
    schema
        .column(name)
        .ok_or_else(|| QueryError::UnknownColumn {
            param: clip(param),
            column: clip(name),
            columns: schema.column_names(),
        })
}

fn parse_filter(schema: &Schema, param: &str, raw: &str) -> Result<Filter, QueryError> {
    let (name, op) = match param.split_once("__") {
        Some((n, o)) => (n, Some(o)),
        None => (param, None),
    };
    let col = lookup(schema, param, name)?;
    let value = |text: &str| {
        Value::parse(text, col.kind).ok_or_else(|| QueryError::BadValue {
            param: param.to_owned(),
            value: clip(text),
            expected: col.kind.example().to_owned(),
        })
    };
    let condition = match op {
        None => Condition::Exact(value(raw)?),
        Some("gte") => Condition::Gte(value(raw)?),
        Some("lte") => Condition::Lte(value(raw)?),
        Some("in") => Condition::In(raw.split(',').map(value).collect::<Result<_, _>>()?),
        Some("contains") if col.kind == ColumnType::Text => Condition::Contains(raw.to_lowercase()),
        Some("contains") => {
            let text_columns = schema
                .columns()
                .iter()
                .filter(|c| c.kind == ColumnType::Text)
                .map(|c| c.name.clone())
                .collect();
            return Err(QueryError::NotText {
                param: param.to_owned(),
                column: col.name.clone(),
                kind: col.kind,
                text_columns,
            });
        }
        Some("isnull") => match raw {
            "true" => Condition::IsNull(true),
            "false" => Condition::IsNull(false),
            _ => {
                return Err(QueryError::BadValue {
                    param: param.to_owned(),
                    value: clip(raw),
                    expected: "true or false".into(),
                });
            }
        },
        Some(other) => {
            return Err(QueryError::UnknownOperator {
                param: clip(param),
                operator: clip(other),
            });
        }
    };
    Ok(Filter {
        column: col.name.clone(),
        condition,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{DEFAULT_SIZE, OPERATORS};
    use crate::table::tests::vehicles_schema;

    fn parse(pairs: &[(&str, &str)]) -> Result<Query, QueryError> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        parse_query(&pairs, &vehicles_schema())
    }

    fn err(pairs: &[(&str, &str)]) -> String {
        parse(pairs).unwrap_err().to_string()
    }

    #[test]
    fn parses_filters_sort_size_and_format() {
        let q = parse(&[
            ("maker", "Toyota"),
            ("model_year__gte", "2019"),
            ("month__lte", "2024-06-01"),
            ("maker__contains", "TOY"),
            ("model_year__in", "2019,2021"),
            ("count__isnull", "false"),
            ("_sort_desc", "count"),
            ("_size", "50"),
            ("_format", "csv"),
        ])
        .unwrap();
        let conditions: Vec<&Condition> = q.filters.iter().map(|f| &f.condition).collect();
        assert_eq!(
            conditions,
            [
                &Condition::Exact(Value::text("Toyota")),
                &Condition::Gte(Value::Integer(2019)),
                &Condition::Lte(Value::date("2024-06-01").unwrap()),
                &Condition::Contains("toy".into()),
                &Condition::In(vec![Value::Integer(2019), Value::Integer(2021)]),
                &Condition::IsNull(false),
            ]
        );
        assert_eq!(
            q.sort,
            Some(Sort {
                column: "count".into(),
                descending: true
            })
        );
        assert_eq!((q.size, q.format), (50, Some(Format::Csv)));
        assert_eq!(parse(&[]).unwrap().size, DEFAULT_SIZE);
    }

    #[test]
    fn unknown_column_lists_the_columns() {
        assert_eq!(
            err(&[("makr", "Kia")]),
            r#"unknown column "makr" in parameter "makr"; columns are: maker, model_year, month, count"#
        );
        assert_eq!(
            err(&[("_sort", "cnt")]),
            r#"unknown column "cnt" in parameter "_sort"; columns are: maker, model_year, month, count"#
        );
        let e = parse(&[("makr__gte", "A")]).unwrap_err();
        assert_eq!(e.param(), "makr__gte");
    }

    #[test]
    fn bad_operator_value_size_and_format_say_what_is_allowed() {
        let e = err(&[("count__gt", "5")]);
        assert!(
            e.contains(r#"unknown operator "gt""#) && e.contains(&OPERATORS.join(", ")),
            "{e}"
        );
        assert_eq!(
            err(&[("model_year", "20x4")]),
            r#"parameter "model_year" expects an integer such as 2024, got "20x4""#
        );
        assert_eq!(
            err(&[("month__in", "2024-01-01,January")]),
            r#"parameter "month__in" expects a date such as 2024-01-31, got "January""#
        );
        for bad in ["0", "1001", "ten", "-5", "+5"] {
            assert_eq!(
                err(&[("_size", bad)]),
                format!(r#"parameter "_size" must be a whole number from 1 to 1000, got "{bad}""#)
            );
        }
        assert!(err(&[("_format", "xml")]).contains("formats are: csv, json, jsonl, parquet"));
        assert!(
            err(&[("_limit", "5")]).contains(
                "parameters starting with _ are: _sort, _sort_desc, _size, _next, _format"
            )
        );
        assert!(err(&[("count__contains", "1")]).contains("text columns are: maker"));
        assert!(err(&[("count__isnull", "yes")]).contains("expects true or false"));
    }

    #[test]
    fn conflicting_or_repeated_controls_are_refused() {
        assert!(matches!(
            parse(&[("_sort", "count"), ("_sort_desc", "maker")]),
            Err(QueryError::Repeated { .. })
        ));
        assert!(matches!(
            parse(&[("_size", "5"), ("_size", "6")]),
            Err(QueryError::Repeated { .. })
        ));
        // Repeated filters are fine: they all apply.
        assert_eq!(
            parse(&[("count__gte", "1"), ("count__lte", "9")])
                .unwrap()
                .filters
                .len(),
            2
        );
    }

    #[test]
    fn long_input_is_clipped_in_errors() {
        let long = "x".repeat(10_000);
        assert!(err(&[(long.as_str(), "1")]).len() < 400);
    }
}

//! Opaque `_next` cursors: URL-safe base64 of `[sort column, descending, sort value, key]`.
//!
//! The cursor holds values, not an offset, so a page boundary stays put when rows are
//! added before it; it also records the sort it was made for, so it cannot be replayed
//! against a different order.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value as Json, json};

use super::{Cursor, CursorFault, QueryError, Sort};
use crate::schema::Schema;
use crate::value::Value;

/// Longer tokens are refused before decoding; real ones are far shorter.
const MAX_TOKEN_LEN: usize = 4096;
const PARAM: &str = "_next";

pub(crate) fn encode(sort: Option<&Sort>, sort_value: Option<&Value>, key: &[&Value]) -> String {
    let payload = json!([
        sort.map(|s| s.column.as_str()),
        sort.is_some_and(|s| s.descending),
        sort_value,
        key,
    ]);
    URL_SAFE_NO_PAD.encode(payload.to_string())
}

fn bad(reason: CursorFault) -> QueryError {
    QueryError::BadCursor {
        param: PARAM.into(),
        reason,
    }
}

/// A sort as the parameter that asks for it.
fn describe(sort: Option<&Sort>) -> Option<String> {
    sort.map(|s| {
        if s.descending {
            format!("_sort_desc={}", s.column)
        } else {
            format!("_sort={}", s.column)
        }
    })
}

/// Decodes a token for a query on `schema` sorted by `sort`.
pub(crate) fn decode(
    token: &str,
    schema: &Schema,
    sort: Option<&Sort>,
) -> Result<Cursor, QueryError> {
    if token.len() > MAX_TOKEN_LEN {
        return Err(bad(CursorFault::TooLong));
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(token)
        .map_err(|_| bad(CursorFault::NotBase64))?;
    let payload: Json =
        serde_json::from_slice(&bytes).map_err(|_| bad(CursorFault::NotAPayload))?;
    let Some([col, desc, value, key]) = payload
        .as_array()
        .and_then(|a| <&[Json; 4]>::try_from(a.as_slice()).ok())
    else {
        return Err(bad(CursorFault::NotAPayload));
    };
    let made_for = match (col, desc) {
        (Json::Null, Json::Bool(false)) => None,
        (Json::String(c), Json::Bool(d)) => Some(Sort {
            column: c.clone(),
            descending: *d,
        }),
        _ => return Err(bad(CursorFault::NotAPayload)),
    };
    if made_for.as_ref() != sort {
        return Err(bad(CursorFault::OtherSort {
            made_for: describe(made_for.as_ref()),
            this: describe(sort),
        }));
    }
    let sort_value = match sort {
        None if value.is_null() => None,
        None => return Err(bad(CursorFault::NotAPayload)),
        Some(s) => {
            let kind = schema
                .column(&s.column)
                .ok_or_else(|| bad(CursorFault::UnknownSortColumn))?
                .kind;
            Some(Value::from_json(value, kind).ok_or_else(|| bad(CursorFault::SortValueType))?)
        }
    };
    let key_json = key
        .as_array()
        .filter(|k| k.len() == schema.key_indices().len());
    let key_json = key_json.ok_or_else(|| bad(CursorFault::KeyLength))?;
    let key = schema
        .key_indices()
        .iter()
        .zip(key_json)
        .map(|(&i, v)| Value::from_json(v, schema.columns()[i].kind).filter(|v| !v.is_null()))
        .collect::<Option<Vec<Value>>>()
        .ok_or_else(|| bad(CursorFault::KeyType))?;
    Ok(Cursor {
        sort: made_for,
        sort_value,
        key,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::tests::vehicles_schema;

    fn key() -> Vec<Value> {
        vec![
            Value::text("Kia"),
            Value::Integer(2020),
            Value::date("2024-01-01").unwrap(),
        ]
    }

    #[test]
    fn round_trips_with_and_without_sort() {
        let schema = vehicles_schema();
        let k = key();
        let refs: Vec<&Value> = k.iter().collect();
        let token = encode(None, None, &refs);
        assert!(
            token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        let c = decode(&token, &schema, None).unwrap();
        assert_eq!((c.sort_value, c.key), (None, k.clone()));

        let sort = Sort {
            column: "count".into(),
            descending: true,
        };
        let token = encode(Some(&sort), Some(&Value::Null), &refs);
        let c = decode(&token, &schema, Some(&sort)).unwrap();
        assert_eq!(c.sort_value, Some(Value::Null));
    }

    #[test]
    fn refuses_a_cursor_from_another_sort() {
        let schema = vehicles_schema();
        let k = key();
        let refs: Vec<&Value> = k.iter().collect();
        let sort = Sort {
            column: "count".into(),
            descending: false,
        };
        let token = encode(Some(&sort), Some(&Value::Integer(3)), &refs);
        let err = decode(&token, &schema, None).unwrap_err().to_string();
        assert!(
            err.contains("made for _sort=count, this query has no _sort"),
            "{err}"
        );
    }

    #[test]
    fn refuses_garbage_and_tampering() {
        let schema = vehicles_schema();
        for token in [
            "***",
            "",
            &"A".repeat(5000),
            &URL_SAFE_NO_PAD.encode("[null,false,null,[1]]"),
        ] {
            assert!(
                matches!(
                    decode(token, &schema, None),
                    Err(QueryError::BadCursor { .. })
                ),
                "{token}"
            );
        }
        let wrong_types = URL_SAFE_NO_PAD.encode(r#"[null,false,null,[1,2,"2024-01-01"]]"#);
        assert!(decode(&wrong_types, &schema, None).is_err());
    }
}

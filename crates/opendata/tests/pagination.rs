//! Walking every page returns every matching row exactly once, in order, for any sort.

use std::collections::HashSet;

use opendata::{Column, ColumnType, Page, Schema, Table, Value, execute, parse_query};
use proptest::prelude::*;

fn schema() -> Schema {
    Schema::new(
        vec![
            Column::new("region", ColumnType::Text, ""),
            Column::new("id", ColumnType::Integer, ""),
            Column::new("amount", ColumnType::Decimal, "").nullable(),
            Column::new("day", ColumnType::Date, ""),
            Column::new("flag", ColumnType::Boolean, "").nullable(),
        ],
        &["region", "id"],
    )
    .unwrap()
}

/// Few distinct values per column, so sorts have many ties for the key to break.
fn row_strategy() -> impl Strategy<Value = Vec<Value>> {
    (
        prop::sample::select(vec!["north", "south", "east"]),
        0i64..40,
        prop::option::of(prop::sample::select(vec![
            "1.5", "1.50", "-2", "10", "0.25",
        ])),
        1u8..4,
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(region, id, amount, day, flag)| {
            vec![
                Value::text(region),
                Value::Integer(id),
                amount.map_or(Value::Null, |a| Value::decimal(a).unwrap()),
                Value::date(&format!("2024-01-0{day}")).unwrap(),
                flag.map_or(Value::Null, Value::Boolean),
            ]
        })
}

fn table_strategy() -> impl Strategy<Value = Table> {
    prop::collection::vec(row_strategy(), 0..120).prop_map(|rows| {
        // Keep the first row of each key so the table is valid.
        let mut seen = HashSet::new();
        let rows = rows
            .into_iter()
            .filter(|r| seen.insert((r[0].clone(), r[1].clone())))
            .collect();
        Table::new(schema(), rows).unwrap()
    })
}

fn page(t: &Table, params: &[(String, String)], next: Option<&str>) -> Page {
    let mut pairs = params.to_vec();
    if let Some(n) = next {
        pairs.push(("_next".into(), n.into()));
    }
    execute(t, &parse_query(&pairs, &t.schema).unwrap()).unwrap()
}

fn walk(t: &Table, params: &[(String, String)]) -> Vec<Vec<Value>> {
    let mut out = Vec::new();
    let mut next: Option<String> = None;
    // A broken cursor could loop forever; each page holds at least one row.
    for _ in 0..=t.rows.len() {
        let p = page(t, params, next.as_deref());
        out.extend(p.rows);
        match p.next {
            Some(n) => next = Some(n),
            None => return out,
        }
    }
    panic!("pagination did not end after {} pages", t.rows.len() + 1);
}

/// The order the pages must follow: (sort column, then key), reversed for descending.
fn expected(t: &Table, filter: Option<usize>, sort: Option<(usize, bool)>) -> Vec<Vec<Value>> {
    let keys = t.schema.key_indices().to_vec();
    let mut rows: Vec<Vec<Value>> = t
        .rows
        .iter()
        .filter(|r| filter.is_none_or(|f| !r[f].is_null()))
        .cloned()
        .collect();
    rows.sort_by(|a, b| {
        let s = sort.map_or(std::cmp::Ordering::Equal, |(i, _)| a[i].cmp(&b[i]));
        let o = keys.iter().fold(s, |o, &k| o.then_with(|| a[k].cmp(&b[k])));
        if sort.is_some_and(|(_, desc)| desc) {
            o.reverse()
        } else {
            o
        }
    });
    rows
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_row_once_in_order(
        t in table_strategy(),
        sort in prop::option::of((0usize..5, any::<bool>())),
        size in 1usize..15,
        filter_amount in any::<bool>(),
    ) {
        let names = ["region", "id", "amount", "day", "flag"];
        let mut params = vec![("_size".to_string(), size.to_string())];
        if let Some((i, desc)) = sort {
            params.push((if desc { "_sort_desc" } else { "_sort" }.into(), names[i].into()));
        }
        if filter_amount {
            params.push(("amount__isnull".into(), "false".into()));
        }
        let got = walk(&t, &params);
        let want = expected(&t, filter_amount.then_some(2), sort);
        prop_assert_eq!(got, want);
    }

    #[test]
    fn rows_added_mid_walk_never_cause_repeats_or_skips(
        t in table_strategy(),
        extra in prop::collection::vec(row_strategy(), 1..20),
        sort_desc in any::<bool>(),
        size in 1usize..10,
    ) {
        let params = vec![
            ("_size".to_string(), size.to_string()),
            (if sort_desc { "_sort_desc" } else { "_sort" }.to_string(), "amount".to_string()),
        ];
        let first = page(&t, &params, None);
        let mut grown = t.clone();
        // New keys only, each once: the grown table stays valid.
        let mut keys: HashSet<_> = t.rows.iter().map(|r| (r[0].clone(), r[1].clone())).collect();
        grown.rows.extend(extra.into_iter().filter(|r| keys.insert((r[0].clone(), r[1].clone()))));
        grown.validate().unwrap();
        let mut seen = first.rows.clone();
        let mut next = first.next;
        let mut pages = 0;
        while let Some(n) = next {
            pages += 1;
            prop_assert!(pages <= grown.rows.len(), "pagination did not end");
            let p = page(&grown, &params, Some(&n));
            seen.extend(p.rows);
            next = p.next;
        }
        // No row twice.
        let unique: HashSet<_> = seen.iter().map(|r| (r[0].clone(), r[1].clone())).collect();
        prop_assert_eq!(unique.len(), seen.len());
        // Every original row seen.
        for r in &t.rows {
            prop_assert!(seen.contains(r), "missing {:?}", r);
        }
    }
}

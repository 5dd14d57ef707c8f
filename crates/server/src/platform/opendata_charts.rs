//! The charts of each dataset's page: one to three SVG charts per dataset, drawn on the
//! server from the release's table (aggregated here, drawn by `opendata::svg`).

use std::collections::BTreeMap;

use opendata::{Table, Value, bar_chart, line_chart};

use super::i18n::opendata::ChartTitles;
use super::opendata_datasets::DatasetDef;

/// Section numerals in order, to sort sections as the nomenclature does.
const ROMAN: [&str; 21] = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
    "XVI", "XVII", "XVIII", "XIX", "XX", "XXI",
];

/// Sums `value` (or counts rows when `None`) per distinct text of `key`.
fn group(t: &Table, key: &str, value: Option<&str>) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    let (Some(k), v) = (
        t.schema.index_of(key),
        value.and_then(|v| t.schema.index_of(v)),
    ) else {
        return out;
    };
    for r in &t.rows {
        let Some(label) = r.get(k).filter(|v| !v.is_null()) else {
            continue;
        };
        let add = match v {
            Some(i) => r.get(i).and_then(Value::as_f64).unwrap_or(0.0),
            None => 1.0,
        };
        *out.entry(label.to_string()).or_insert(0.0) += add;
    }
    out
}

/// The largest `n` groups, largest first.
fn top(groups: BTreeMap<String, f64>, n: usize) -> Vec<(String, f64)> {
    let mut v: Vec<(String, f64)> = groups.into_iter().collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.truncate(n);
    v
}

/// Rows of `t` whose `column` equals `value`.
fn only(t: &Table, column: &str, value: &str) -> Table {
    let i = t.schema.index_of(column);
    Table {
        schema: t.schema.clone(),
        rows: t
            .rows
            .iter()
            .filter(|r| {
                i.and_then(|i| r.get(i))
                    .is_some_and(|v| v.to_string() == value)
            })
            .cloned()
            .collect(),
    }
}

/// The dataset page's charts, as SVG documents (one to three per dataset).
pub fn charts(def: &DatasetDef, t: &Table, titles: &ChartTitles) -> Vec<String> {
    let series = |g: BTreeMap<String, f64>| -> Vec<(String, f64)> { g.into_iter().collect() };
    match def.id {
        "hs-nomenclature" => {
            let subheadings = only(t, "level", "subheading");
            let mut per_chapter = BTreeMap::new();
            for r in &subheadings.rows {
                if let Some(chapter) = r
                    .first()
                    .and_then(|c| c.to_string().get(..2).map(String::from))
                {
                    *per_chapter.entry(chapter).or_insert(0.0) += 1.0;
                }
            }
            let mut per_section: Vec<(String, f64)> =
                group(&subheadings, "section", None).into_iter().collect();
            per_section.sort_by_key(|(s, _)| ROMAN.iter().position(|r| *r == s.as_str()));
            vec![
                bar_chart(titles.subheadings_per_section, &per_section),
                bar_chart(titles.top_chapters, &top(per_chapter, 15)),
            ]
        }
        "aeo-register" => vec![
            bar_chart(
                titles.certificates_by_status,
                &series(group(t, "status", None)),
            ),
            bar_chart(
                titles.certificates_by_authorisation,
                &series(group(t, "authorisation", None)),
            ),
        ],
        "advance-rulings" => vec![
            bar_chart(
                titles.rulings_by_chapter,
                &top(group(t, "chapter", None), 15),
            ),
            line_chart(
                titles.rulings_per_month,
                &series(monthly(group(t, "decided_on", None))),
            ),
        ],
        "vehicle-imports" => vec![
            line_chart(
                titles.vehicles_per_month,
                &series(monthly(group(t, "month", Some("count")))),
            ),
            bar_chart(
                titles.top_makers,
                &top(group(t, "maker", Some("count")), 12),
            ),
            bar_chart(
                titles.by_model_year,
                &series(group(t, "model_year", Some("count"))),
            ),
        ],
        "classification-usage" => vec![
            line_chart(
                titles.classifications_per_month,
                &series(monthly(group(
                    &only(t, "kind", "requests"),
                    "month",
                    Some("count"),
                ))),
            ),
            bar_chart(
                titles.top_codes,
                &top(group(&only(t, "kind", "code"), "item", Some("count")), 12),
            ),
            bar_chart(
                titles.top_words,
                &top(group(&only(t, "kind", "term"), "item", Some("count")), 12),
            ),
        ],
        _ => Vec::new(),
    }
}

/// Day-level groups folded into months (`YYYY-MM`).
fn monthly(days: BTreeMap<String, f64>) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    for (day, n) in days {
        *out.entry(day.get(..7).unwrap_or(&day).to_string())
            .or_insert(0.0) += n;
    }
    out
}

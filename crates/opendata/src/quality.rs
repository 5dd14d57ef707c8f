//! Automatic quality badges: facts computed from the data, not claims typed by a publisher.

use std::fmt::Write;

use serde::Serialize;
use time::Date;

use crate::catalog::Frequency;
use crate::svg::escape;
use crate::table::{Table, TableError};
use crate::value::format_date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BadgeStatus {
    Pass,
    Fail,
    /// The check does not apply (e.g. freshness of a dataset with no schedule).
    NotApplicable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Badge {
    pub name: &'static str,
    pub status: BadgeStatus,
    /// One sentence saying why, shown next to the badge: the finding in English.
    pub detail: String,
    /// What the check found, as data, for wording it in another language.
    #[serde(skip)]
    pub finding: Finding,
}

/// What a badge's check found: the kind of result and its figures, with no
/// language in it. `Display` is the English sentence of [`Badge::detail`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Finding {
    /// Required columns with nulls, and how many each.
    #[error("Nulls in required columns: {}.", nulls(.0))]
    NullsInRequired(Vec<(String, usize)>),
    /// No nulls where required; the fill rate of optional cells (a percentage
    /// with one decimal) when there are any.
    #[error("No nulls in required columns{}.", filled(.optional_filled))]
    NoNullsInRequired { optional_filled: Option<String> },
    #[error("No update schedule is promised.")]
    NoSchedule,
    #[error("Never released.")]
    NeverReleased,
    #[error("Last release {last} is dated after today.")]
    DatedAfterToday { last: String },
    /// Released `age` days ago, within the promised `max_age`.
    #[error("Released {last} ({age} days ago); due every {max_age} days.")]
    Fresh {
        last: String,
        age: i64,
        max_age: i64,
    },
    #[error("Released {last} ({age} days ago); overdue, due every {max_age} days.")]
    Overdue {
        last: String,
        age: i64,
        max_age: i64,
    },
    #[error("All {rows} rows match the schema.")]
    AllRowsMatch { rows: usize },
    /// The first few rows that do not fit.
    #[error("Rows do not match the schema: {}.", problems(.0))]
    RowsDoNotMatch(Vec<TableError>),
}

fn nulls(columns: &[(String, usize)]) -> String {
    let listed: Vec<String> = columns.iter().map(|(c, n)| format!("{c} ({n})")).collect();
    listed.join(", ")
}

fn filled(optional: &Option<String>) -> String {
    optional.as_ref().map_or(String::new(), |percent| {
        format!("; optional columns {percent}% filled")
    })
}

fn problems(list: &[TableError]) -> String {
    let listed: Vec<String> = list.iter().map(ToString::to_string).collect();
    listed.join("; ")
}

impl Badge {
    /// A small shields-style SVG, e.g. for a dataset page or a README.
    pub fn to_svg(&self) -> String {
        let value = match self.status {
            BadgeStatus::Pass => "pass",
            BadgeStatus::Fail => "fail",
            BadgeStatus::NotApplicable => "n/a",
        };
        self.to_svg_in(self.name, value, &self.detail)
    }

    /// The SVG with the badge's name, result and detail in the caller's words.
    pub fn to_svg_in(&self, name: &str, value: &str, detail: &str) -> String {
        let colour = match self.status {
            BadgeStatus::Pass => "#2da44e",
            BadgeStatus::Fail => "#cf222e",
            BadgeStatus::NotApplicable => "#6e7781",
        };
        // Rough text width at 11px: enough for short fixed words; wide (CJK) characters
        // take about twice an ASCII one.
        let width = |text: &str| -> usize {
            text.chars()
                .map(|c| if c.is_ascii() { 7 } else { 12 })
                .sum()
        };
        let lw = 10 + width(name);
        let vw = 10 + width(value);
        let mut s = String::new();
        let _ = write!(
            s,
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="20" role="img" aria-label="{name}: {value}"><title>{name}: {value}. {detail}</title><rect width="{lw}" height="20" fill="#555"/><rect x="{lw}" width="{vw}" height="20" fill="{colour}"/><g fill="#fff" font-family="sans-serif" font-size="11" text-anchor="middle"><text x="{lx}" y="14">{name}</text><text x="{vx}" y="14">{value}</text></g></svg>"##,
            w = lw + vw,
            name = escape(name),
            value = escape(value),
            detail = escape(detail),
            lx = lw / 2,
            vx = lw + vw / 2,
        );
        s
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QualityBadges {
    /// No nulls in required (non-nullable) columns.
    pub complete: Badge,
    /// Last release within the promised update frequency.
    pub fresh: Badge,
    /// Every row matches the schema (arity, types, unique key).
    pub valid: Badge,
}

impl QualityBadges {
    pub fn all(&self) -> [&Badge; 3] {
        [&self.complete, &self.fresh, &self.valid]
    }
}

/// Computes the badges. `today` is passed in: this crate reads no clock.
pub fn assess(
    table: &Table,
    frequency: Frequency,
    last_release: Option<Date>,
    today: Date,
) -> QualityBadges {
    QualityBadges {
        complete: complete(table),
        fresh: fresh(frequency, last_release, today),
        valid: valid(table),
    }
}

fn badge(name: &'static str, status: BadgeStatus, finding: Finding) -> Badge {
    Badge {
        name,
        status,
        detail: finding.to_string(),
        finding,
    }
}

fn complete(table: &Table) -> Badge {
    let cols = table.schema.columns();
    let nulls = |i: usize| {
        table
            .rows
            .iter()
            .filter(|r| r.get(i).is_none_or(|v| v.is_null()))
            .count()
    };
    let missing: Vec<(String, usize)> = cols
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.nullable)
        .filter_map(|(i, c)| match nulls(i) {
            0 => None,
            n => Some((c.name.clone(), n)),
        })
        .collect();
    if !missing.is_empty() {
        return badge(
            "complete",
            BadgeStatus::Fail,
            Finding::NullsInRequired(missing),
        );
    }
    let optional: Vec<usize> = (0..cols.len()).filter(|&i| cols[i].nullable).collect();
    let cells = optional.len() * table.rows.len();
    let optional_filled = (cells > 0).then(|| {
        let empty: usize = optional.iter().map(|&i| nulls(i)).sum();
        let filled = 100.0 * (cells - empty) as f64 / cells as f64;
        format!("{filled:.1}")
    });
    badge(
        "complete",
        BadgeStatus::Pass,
        Finding::NoNullsInRequired { optional_filled },
    )
}

fn fresh(frequency: Frequency, last: Option<Date>, today: Date) -> Badge {
    let Some(max_age) = frequency.max_age_days() else {
        return badge("fresh", BadgeStatus::NotApplicable, Finding::NoSchedule);
    };
    let Some(last) = last else {
        return badge("fresh", BadgeStatus::Fail, Finding::NeverReleased);
    };
    let age = (today - last).whole_days();
    let last = format_date(last);
    let (status, finding) = if age < 0 {
        (BadgeStatus::Fail, Finding::DatedAfterToday { last })
    } else if age <= max_age {
        (BadgeStatus::Pass, Finding::Fresh { last, age, max_age })
    } else {
        (BadgeStatus::Fail, Finding::Overdue { last, age, max_age })
    };
    badge("fresh", status, finding)
}

fn valid(table: &Table) -> Badge {
    const SHOWN: usize = 3;
    let problems = table.problems(SHOWN);
    if problems.is_empty() {
        return badge(
            "valid",
            BadgeStatus::Pass,
            Finding::AllRowsMatch {
                rows: table.rows.len(),
            },
        );
    }
    badge(
        "valid",
        BadgeStatus::Fail,
        Finding::RowsDoNotMatch(problems),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::tests::{vehicles_schema, vrow};
    use crate::value::{Value, parse_date};

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    fn good() -> Table {
        Table::new(
            vehicles_schema(),
            vec![
                vrow("Kia", 2020, "2024-01-01", Some(1)),
                vrow("Audi", 2020, "2024-01-01", None),
            ],
        )
        .unwrap()
    }

    #[test]
    fn a_good_table_passes_with_fill_rate() {
        let b = assess(
            &good(),
            Frequency::Monthly,
            Some(d("2024-03-01")),
            d("2024-03-20"),
        );
        assert!(
            b.all().iter().all(|b| b.status == BadgeStatus::Pass),
            "{b:?}"
        );
        assert_eq!(
            b.complete.detail,
            "No nulls in required columns; optional columns 50.0% filled."
        );
        assert_eq!(
            b.fresh.detail,
            "Released 2024-03-01 (19 days ago); due every 31 days."
        );
    }

    #[test]
    fn freshness_follows_the_promised_frequency() {
        let t = good();
        let status =
            |f, last: Option<&str>, today| assess(&t, f, last.map(d), d(today)).fresh.status;
        assert_eq!(
            status(Frequency::Monthly, Some("2024-01-01"), "2024-02-01"),
            BadgeStatus::Pass
        );
        assert_eq!(
            status(Frequency::Monthly, Some("2024-01-01"), "2024-02-02"),
            BadgeStatus::Fail
        );
        assert_eq!(
            status(Frequency::Daily, Some("2024-01-01"), "2024-01-03"),
            BadgeStatus::Fail
        );
        assert_eq!(
            status(Frequency::Annual, None, "2024-01-03"),
            BadgeStatus::Fail
        );
        assert_eq!(
            status(Frequency::Weekly, Some("2024-01-09"), "2024-01-08"),
            BadgeStatus::Fail
        );
        assert_eq!(
            status(Frequency::Irregular, None, "2024-01-08"),
            BadgeStatus::NotApplicable
        );
    }

    #[test]
    fn bad_rows_fail_complete_and_valid_with_reasons() {
        let mut t = good();
        t.rows[1][0] = Value::Null;
        t.rows.push(vec![Value::text("short")]);
        let b = assess(&t, Frequency::Never, None, d("2024-01-01"));
        assert_eq!(b.complete.status, BadgeStatus::Fail);
        assert_eq!(
            b.complete.detail,
            "Nulls in required columns: maker (1), model_year (1), month (1)."
        );
        assert_eq!(b.valid.status, BadgeStatus::Fail);
        assert!(
            b.valid
                .detail
                .contains("row 1, column \"maker\": null in a required column"),
            "{}",
            b.valid.detail
        );
        assert!(b.valid.detail.contains("row 2 has 1 values"));
    }

    #[test]
    fn badge_svg_states_the_result() {
        let b = assess(&good(), Frequency::Never, None, d("2024-01-01"));
        let svg = b.fresh.to_svg();
        assert!(svg.contains(r#"aria-label="fresh: n/a""#), "{svg}");
        assert!(svg.contains("#6e7781"));
    }
}

//! Automatic quality badges: facts computed from the data, not claims typed by a publisher.

use std::fmt::Write;

use serde::Serialize;
use time::Date;

use crate::catalog::Frequency;
use crate::svg::escape;
use crate::table::Table;
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
    /// One sentence saying why, shown next to the badge.
    pub detail: String,
}

impl Badge {
    /// A small shields-style SVG, e.g. for a dataset page or a README.
    pub fn to_svg(&self) -> String {
        let (value, colour) = match self.status {
            BadgeStatus::Pass => ("pass", "#2da44e"),
            BadgeStatus::Fail => ("fail", "#cf222e"),
            BadgeStatus::NotApplicable => ("n/a", "#6e7781"),
        };
        // Rough text width at 11px: enough for short fixed words.
        let lw = 10 + 7 * self.name.len();
        let vw = 10 + 7 * value.len();
        let mut s = String::new();
        let _ = write!(
            s,
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="20" role="img" aria-label="{name}: {value}"><title>{name}: {value}. {detail}</title><rect width="{lw}" height="20" fill="#555"/><rect x="{lw}" width="{vw}" height="20" fill="{colour}"/><g fill="#fff" font-family="sans-serif" font-size="11" text-anchor="middle"><text x="{lx}" y="14">{name}</text><text x="{vx}" y="14">{value}</text></g></svg>"##,
            w = lw + vw,
            name = escape(self.name),
            detail = escape(&self.detail),
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

fn badge(name: &'static str, status: BadgeStatus, detail: String) -> Badge {
    Badge {
        name,
        status,
        detail,
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
    let missing: Vec<String> = cols
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.nullable)
        .filter_map(|(i, c)| match nulls(i) {
            0 => None,
            n => Some(format!("{} ({n})", c.name)),
        })
        .collect();
    if !missing.is_empty() {
        return badge(
            "complete",
            BadgeStatus::Fail,
            format!("Nulls in required columns: {}.", missing.join(", ")),
        );
    }
    let optional: Vec<usize> = (0..cols.len()).filter(|&i| cols[i].nullable).collect();
    let cells = optional.len() * table.rows.len();
    let detail = if cells == 0 {
        "No nulls in required columns.".to_owned()
    } else {
        let empty: usize = optional.iter().map(|&i| nulls(i)).sum();
        let filled = 100.0 * (cells - empty) as f64 / cells as f64;
        format!("No nulls in required columns; optional columns {filled:.1}% filled.")
    };
    badge("complete", BadgeStatus::Pass, detail)
}

fn fresh(frequency: Frequency, last: Option<Date>, today: Date) -> Badge {
    let Some(max_age) = frequency.max_age_days() else {
        return badge(
            "fresh",
            BadgeStatus::NotApplicable,
            "No update schedule is promised.".into(),
        );
    };
    let Some(last) = last else {
        return badge("fresh", BadgeStatus::Fail, "Never released.".into());
    };
    let age = (today - last).whole_days();
    let (status, detail) = if age < 0 {
        (
            BadgeStatus::Fail,
            format!("Last release {} is dated after today.", format_date(last)),
        )
    } else if age <= max_age {
        (
            BadgeStatus::Pass,
            format!(
                "Released {} ({age} days ago); due every {max_age} days.",
                format_date(last)
            ),
        )
    } else {
        (
            BadgeStatus::Fail,
            format!(
                "Released {} ({age} days ago); overdue, due every {max_age} days.",
                format_date(last)
            ),
        )
    };
    badge("fresh", status, detail)
}

fn valid(table: &Table) -> Badge {
    const SHOWN: usize = 3;
    let problems = table.problems(SHOWN);
    if problems.is_empty() {
        return badge(
            "valid",
            BadgeStatus::Pass,
            format!("All {} rows match the schema.", table.rows.len()),
        );
    }
    let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
    badge(
        "valid",
        BadgeStatus::Fail,
        format!("Rows do not match the schema: {}.", list.join("; ")),
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

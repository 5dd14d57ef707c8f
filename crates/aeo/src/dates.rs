//! Calendar arithmetic shared by certificate validity and reapplication waits.

use time::{Date, Month};

/// Same calendar day `years` later. A 29 February start lands on 1 March in a
/// non-leap target year, so a period never ends before its true anniversary.
/// Saturates at the ends of the supported date range instead of panicking.
pub(crate) fn add_years(date: Date, years: i32) -> Date {
    let Some(year) = date.year().checked_add(years) else {
        return if years < 0 { Date::MIN } else { Date::MAX };
    };
    let shifted = Date::from_calendar_date(year, date.month(), date.day()).or_else(|_| {
        // Only 29 February can fail for an in-range year.
        Date::from_calendar_date(year, Month::March, 1)
    });
    shifted.unwrap_or(if years < 0 { Date::MIN } else { Date::MAX })
}

/// `YYYY-MM-DD`, built by hand so that formatting can never fail.
pub(crate) fn iso(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn leap_day_rolls_to_first_of_march() {
        assert_eq!(add_years(date!(2024 - 02 - 29), 3), date!(2027 - 03 - 01));
        assert_eq!(add_years(date!(2024 - 02 - 29), 4), date!(2028 - 02 - 29));
    }

    #[test]
    fn saturates_instead_of_panicking() {
        assert_eq!(add_years(date!(9999 - 06 - 01), 3), Date::MAX);
    }

    #[test]
    fn iso_is_zero_padded() {
        assert_eq!(iso(date!(2025 - 01 - 05)), "2025-01-05");
    }
}

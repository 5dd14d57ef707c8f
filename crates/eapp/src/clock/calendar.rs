//! Which days count as working days for customs.

use std::collections::BTreeSet;

use time::{Date, Duration, Month, Weekday};

/// Working days: Monday to Friday, except listed holidays.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    holidays: BTreeSet<Date>,
}

/// Years for which [`Calendar::taiwan`] knows the fixed-date holidays.
pub const TAIWAN_HOLIDAY_YEARS: std::ops::RangeInclusive<i32> = 2025..=2027;

/// Taiwan's national holidays that fall on the same date every year.
///
/// Tomb Sweeping Day follows the solar term and falls on April 4 or 5; both
/// days are kept, which matches most years because Children's Day is April 4.
const TAIWAN_FIXED_HOLIDAYS: &[(Month, u8)] = &[
    (Month::January, 1),    // Founding of the Republic of China
    (Month::February, 28),  // Peace Memorial Day
    (Month::April, 4),      // Children's Day
    (Month::April, 5),      // Tomb Sweeping Day (approximate, see above)
    (Month::May, 1),        // Labour Day
    (Month::September, 28), // Teacher's Day, a national holiday again from 2025
    (Month::October, 10),   // National Day
    (Month::October, 25),   // Retrocession Day, from 2025
    (Month::December, 25),  // Constitution Day, from 2025
];

impl Calendar {
    /// Weekends plus Taiwan's fixed-date national holidays for
    /// [`TAIWAN_HOLIDAY_YEARS`].
    ///
    /// Lunar holidays (Lunar New Year, Dragon Boat, Mid-Autumn), substitute
    /// days for holidays on weekends, and make-up working Saturdays vary by
    /// year: add the holidays from the Directorate-General of Personnel
    /// Administration's yearly calendar through [`Calendar::with_holidays`].
    pub fn taiwan() -> Self {
        let days = TAIWAN_HOLIDAY_YEARS.flat_map(|year| {
            TAIWAN_FIXED_HOLIDAYS.iter().map(move |(month, day)| {
                Date::from_calendar_date(year, *month, *day).expect("fixed holidays are real dates")
            })
        });
        Calendar::default().with_holidays(days)
    }

    /// This calendar with `days` added as holidays.
    pub fn with_holidays(mut self, days: impl IntoIterator<Item = Date>) -> Self {
        self.holidays.extend(days);
        self
    }

    pub fn is_working_day(&self, day: Date) -> bool {
        !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday)
            && !self.holidays.contains(&day)
    }

    /// The date `days` working days after `start`; `start` itself never
    /// counts, so a Friday submission's first day is the Monday.
    pub fn add_working_days(&self, start: Date, days: u32) -> Date {
        let mut day = start;
        let mut remaining = days;
        while remaining > 0 {
            day = next_day(day);
            if self.is_working_day(day) {
                remaining -= 1;
            }
        }
        day
    }

    /// Working days after `start` up to and including `end`; negative (the
    /// same count, reversed) when `end` is before `start`.
    pub fn working_days_between(&self, start: Date, end: Date) -> i64 {
        if end < start {
            return -self.working_days_between(end, start);
        }
        let mut count = 0;
        let mut day = start;
        while day < end {
            day = next_day(day);
            if self.is_working_day(day) {
                count += 1;
            }
        }
        count
    }
}

pub(crate) fn next_day(day: Date) -> Date {
    day.checked_add(Duration::DAY)
        .expect("service dates are far from the end of time")
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn weekends_are_never_working_days() {
        let plain = Calendar::default();
        assert!(plain.is_working_day(date!(2026 - 12 - 04)), "Friday");
        assert!(!plain.is_working_day(date!(2026 - 12 - 05)), "Saturday");
        assert!(!plain.is_working_day(date!(2026 - 12 - 06)), "Sunday");
        assert!(plain.is_working_day(date!(2026 - 12 - 07)), "Monday");
    }

    #[test]
    fn taiwan_fixed_holidays_in_each_year() {
        let taiwan = Calendar::taiwan();
        // All chosen holidays are weekdays, so only the holiday list can
        // make them non-working.
        for day in [
            date!(2025 - 10 - 10),
            date!(2026 - 01 - 01),
            date!(2026 - 09 - 28),
            date!(2026 - 12 - 25),
            date!(2027 - 10 - 25),
        ] {
            assert!(Calendar::default().is_working_day(day), "{day}");
            assert!(!taiwan.is_working_day(day), "{day}");
        }
        assert!(taiwan.is_working_day(date!(2026 - 12 - 24)));
        assert!(
            taiwan.is_working_day(date!(2028 - 01 - 03)),
            "outside the known years"
        );
        assert_eq!(taiwan.holidays.len(), 27);
    }

    #[test]
    fn extra_holidays_are_skipped() {
        let lunar_new_year = [date!(2026 - 02 - 16), date!(2026 - 02 - 17)];
        let cal = Calendar::taiwan().with_holidays(lunar_new_year);
        assert!(!cal.is_working_day(date!(2026 - 02 - 16)));
        // Fri 13th + 1 working day skips the weekend and both holidays.
        assert_eq!(
            cal.add_working_days(date!(2026 - 02 - 13), 1),
            date!(2026 - 02 - 18)
        );
    }

    #[test]
    fn adding_working_days_skips_weekends_and_holidays() {
        let cal = Calendar::taiwan();
        assert_eq!(
            cal.add_working_days(date!(2026 - 12 - 04), 0),
            date!(2026 - 12 - 04)
        );
        assert_eq!(
            cal.add_working_days(date!(2026 - 12 - 04), 1),
            date!(2026 - 12 - 07)
        );
        assert_eq!(
            cal.add_working_days(date!(2026 - 12 - 04), 5),
            date!(2026 - 12 - 11)
        );
        // Thu 24th + 1 skips Christmas (Constitution Day) and the weekend.
        assert_eq!(
            cal.add_working_days(date!(2026 - 12 - 24), 1),
            date!(2026 - 12 - 28)
        );
    }

    #[test]
    fn counting_between_dates() {
        let cal = Calendar::taiwan();
        let friday = date!(2026 - 12 - 04);
        assert_eq!(cal.working_days_between(friday, friday), 0);
        assert_eq!(cal.working_days_between(friday, date!(2026 - 12 - 06)), 0);
        assert_eq!(cal.working_days_between(friday, date!(2026 - 12 - 07)), 1);
        assert_eq!(cal.working_days_between(friday, date!(2026 - 12 - 31)), 18);
        assert_eq!(cal.working_days_between(date!(2026 - 12 - 31), friday), -18);
        for n in [0, 1, 7, 30] {
            let due = cal.add_working_days(friday, n);
            assert_eq!(cal.working_days_between(friday, due), i64::from(n));
        }
    }
}

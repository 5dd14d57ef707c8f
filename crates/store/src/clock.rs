//! Timestamps as fixed-width UTC text, so that text order is time order on both engines.

use time::OffsetDateTime;
use time::format_description::FormatItem;
use time::macros::format_description;

const FORMAT: &[FormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

pub fn now() -> String {
    format(OffsetDateTime::now_utc())
}

/// Now plus a duration, as stored text (session expiries).
pub fn now_plus(d: std::time::Duration) -> String {
    format(OffsetDateTime::now_utc() + d)
}

/// Now minus a duration, as stored text (heartbeats older than a lease).
pub fn now_minus(d: std::time::Duration) -> String {
    format(OffsetDateTime::now_utc() - d)
}

pub fn format(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(FORMAT)
        .expect("a UTC time formats")
}

#[cfg(test)]
mod tests {
    #[test]
    fn is_fixed_width_and_sortable() {
        let a = super::format(time::macros::datetime!(2026-01-02 03:04:05 UTC));
        assert_eq!(a, "2026-01-02T03:04:05.000000Z");
        assert!(a < super::now());
    }
}

//! Parsers for single clearance fields. Each returns the canonical value or
//! the [`Issue`]; `record` attaches the field name.

use crate::issue::Issue;

/// Longest free-text value (make, model, colour...) we accept.
const MAX_TEXT_CHARS: usize = 60;
/// Duties above 10^15 TWD cannot be real and would hint at a unit error.
const MAX_MONEY_INTEGER_DIGITS: usize = 15;
pub(crate) const DECLARATION_NUMBER_LENGTH: usize = 14;
pub(crate) const MAX_CERTIFICATE_CHARS: usize = 30;

/// Trimmed, non-empty text without control characters.
pub(crate) fn text(raw: &str, max_chars: usize) -> Result<String, Issue> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(Issue::Required);
    }
    if value.chars().count() > max_chars {
        return Err(Issue::TooLong { max: max_chars });
    }
    if value.chars().any(char::is_control) {
        return Err(Issue::ControlCharacters);
    }
    Ok(value.to_string())
}

pub(crate) fn short_text(raw: &str) -> Result<String, Issue> {
    text(raw, MAX_TEXT_CHARS)
}

/// Unsigned decimal integer without sign or separators.
pub(crate) fn unsigned<T: std::str::FromStr>(raw: &str) -> Result<T, Issue> {
    let value = raw.trim();
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Issue::NotWholeNumber {
            value: value.to_string(),
        });
    }
    value.parse().map_err(|_| Issue::OutOfRange {
        value: value.to_string(),
    })
}

/// Exactly 14 ASCII letters or digits, upper-cased.
pub(crate) fn declaration_number(raw: &str) -> Result<String, Issue> {
    let value = raw.trim().to_ascii_uppercase();
    let length = value.chars().count();
    if length != DECLARATION_NUMBER_LENGTH {
        return Err(Issue::DeclarationLength {
            expected: DECLARATION_NUMBER_LENGTH,
            found: length,
        });
    }
    if let Some(ch) = value.chars().find(|ch| !ch.is_ascii_alphanumeric()) {
        return Err(Issue::DeclarationCharacter { ch });
    }
    Ok(value)
}

/// A real calendar date written as YYYY-MM-DD.
pub(crate) fn iso_date(raw: &str) -> Result<String, Issue> {
    let value = raw.trim();
    let invalid = || Issue::DateShape {
        value: value.to_string(),
    };
    let bytes = value.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape_ok {
        return Err(invalid());
    }
    let number = |range: std::ops::Range<usize>| value[range].parse::<u32>().map_err(|_| invalid());
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    if year < 1900 {
        return Err(Issue::DateBefore1900 {
            value: value.to_string(),
        });
    }
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Err(Issue::NotACalendarDate {
            value: value.to_string(),
        });
    }
    Ok(value.to_string())
}

fn days_in_month(year: u32, month: u32) -> u32 {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Non-negative amount with at most two decimals, returned as exact text
/// with exactly two decimals ("1200.5" -> "1200.50"). Floats would round.
pub(crate) fn money(raw: &str) -> Result<String, Issue> {
    let value = raw.trim();
    let invalid = || Issue::AmountShape {
        value: value.to_string(),
    };
    let (integer, fraction) = value.split_once('.').unwrap_or((value, ""));
    let all_digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if integer.is_empty() || !all_digits(integer) || !all_digits(fraction) {
        return Err(invalid());
    }
    if value.ends_with('.') {
        return Err(invalid());
    }
    if fraction.len() > 2 {
        return Err(Issue::TooManyDecimals {
            value: value.to_string(),
        });
    }
    let integer = integer.trim_start_matches('0');
    if integer.len() > MAX_MONEY_INTEGER_DIGITS {
        return Err(Issue::ImplausiblyLarge {
            value: value.to_string(),
        });
    }
    let integer = if integer.is_empty() { "0" } else { integer };
    Ok(format!("{integer}.{fraction:0<2}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_canonicalised_without_rounding() {
        assert_eq!(money("1200").unwrap(), "1200.00");
        assert_eq!(money(" 1200.5 ").unwrap(), "1200.50");
        assert_eq!(money("0.07").unwrap(), "0.07");
        assert_eq!(money("000").unwrap(), "0.00");
        assert_eq!(money("0012.30").unwrap(), "12.30");
        assert_eq!(money("123456789012345.99").unwrap(), "123456789012345.99");
    }

    #[test]
    fn money_rejects_ambiguous_or_negative_text() {
        for bad in [
            "", "-1", "1.234", "1,200", ".5", "5.", "1e3", "NaN", "1.2.3", "+4",
        ] {
            assert!(money(bad).is_err(), "{bad}");
        }
        assert!(money("1234567890123456").is_err());
    }

    #[test]
    fn dates_must_exist_on_the_calendar() {
        assert_eq!(iso_date("2024-02-29").unwrap(), "2024-02-29");
        assert!(iso_date("2023-02-29").is_err());
        assert!(iso_date("1900-02-29").is_err());
        assert!(iso_date("2000-02-29").is_ok());
        assert!(iso_date("2024-04-31").is_err());
        assert!(iso_date("2024-13-01").is_err());
        assert!(iso_date("2024-00-10").is_err());
        assert!(iso_date("2024-1-01").is_err());
        assert!(iso_date("2024/01/01").is_err());
        assert!(iso_date("１９９９-01-01").is_err());
    }

    #[test]
    fn declaration_number_is_fourteen_alphanumerics() {
        assert_eq!(
            declaration_number("aa12345678901b").unwrap(),
            "AA12345678901B"
        );
        assert!(declaration_number("AA1234567890").is_err());
        assert!(declaration_number("AA12345678-01B").is_err());
    }

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(short_text("  Corolla ").unwrap(), "Corolla");
        assert!(short_text("   ").is_err());
        assert!(short_text(&"x".repeat(61)).is_err());
        assert!(short_text("a\u{7}b").is_err());
        assert!(unsigned::<u16>("70000").is_err());
        assert!(unsigned::<u16>("-1").is_err());
        assert_eq!(unsigned::<u16>(" 2019 ").unwrap(), 2019);
    }
}

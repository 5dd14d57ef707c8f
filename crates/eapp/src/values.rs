//! Normalisers for single field values.
//!
//! Each takes a trimmed, non-empty input and returns either the canonical
//! form to store or the [`Issue`] to show next to the field.

use time::Date;
use time::macros::format_description;

use crate::country::is_country_code;
use crate::issue::Issue;

/// `0813.40`, `0813 40` and `081340` all become `081340`; `None` unless the
/// result is exactly six digits.
pub fn normalize_hs_code(raw: &str) -> Option<String> {
    let digits: String = raw
        .chars()
        .filter(|c| *c != '.' && !c.is_whitespace())
        .collect();
    (digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

pub(crate) fn hs_code(raw: &str, code_exists: &dyn Fn(&str) -> bool) -> Result<String, Issue> {
    let code = normalize_hs_code(raw).ok_or(Issue::HsCodeShape)?;
    if code_exists(&code) {
        Ok(code)
    } else {
        Err(Issue::HsCodeNotInTariff { code })
    }
}

/// Text fields: length in characters (not bytes, so CJK text is fair), and
/// no control characters that would corrupt printed certificates.
pub(crate) fn text(raw: &str, max_chars: usize, multi_line: bool) -> Result<String, Issue> {
    let allowed_control = |c: char| multi_line && matches!(c, '\n' | '\r' | '\t');
    if raw.chars().any(|c| c.is_control() && !allowed_control(c)) {
        return Err(if multi_line {
            Issue::ControlCharacters
        } else {
            Issue::NotOneLine
        });
    }
    let count = raw.chars().count();
    if count > max_chars {
        return Err(Issue::TooLong {
            max: max_chars,
            got: count,
        });
    }
    Ok(raw.to_string())
}

/// Customs declaration numbers are 14 letters or digits; stored upper-case
/// so that lookups against the declaration system match.
pub(crate) fn declaration_number(raw: &str) -> Result<String, Issue> {
    let count = raw.chars().count();
    if count != 14 || !raw.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(Issue::DeclarationNumber { got: count });
    }
    Ok(raw.to_ascii_uppercase())
}

/// Positive amount with at most two decimals and twelve integer digits,
/// stored as e.g. `12500.00`. Commas are accepted only as correctly placed
/// thousands separators, so a typo like `1,25` is not silently read as 125.
pub(crate) fn money(raw: &str) -> Result<String, Issue> {
    const SHAPE: Issue = Issue::AmountShape;
    if raw.starts_with('-') {
        return Err(Issue::NotPositive);
    }
    let (integer, fraction) = match raw.split_once('.') {
        Some((integer, fraction)) => (integer, Some(fraction)),
        None => (raw, None),
    };
    let integer = strip_thousands_separators(integer).ok_or(SHAPE)?;
    if integer.is_empty() || !integer.bytes().all(|b| b.is_ascii_digit()) {
        return Err(SHAPE);
    }
    let fraction = fraction.unwrap_or("");
    if !fraction.bytes().all(|b| b.is_ascii_digit()) || raw.ends_with('.') {
        return Err(SHAPE);
    }
    if fraction.len() > 2 {
        return Err(Issue::TooManyDecimals);
    }
    let integer = match integer.trim_start_matches('0') {
        "" => "0",
        significant => significant,
    };
    if integer.len() > 12 {
        return Err(Issue::TooManyDigits { max: 12 });
    }
    if integer == "0" && fraction.bytes().all(|b| b == b'0') {
        return Err(Issue::NotPositive);
    }
    Ok(format!("{integer}.{fraction:0<2}"))
}

/// `1,234,567` → `1234567`; `None` when a comma is misplaced.
fn strip_thousands_separators(integer: &str) -> Option<String> {
    if !integer.contains(',') {
        return Some(integer.to_string());
    }
    let groups: Vec<&str> = integer.split(',').collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    let rest_ok = groups[1..].iter().all(|group| group.len() == 3);
    (first_ok && rest_ok).then(|| groups.concat())
}

/// ISO `yyyy-mm-dd`, and a date that exists in the calendar.
pub(crate) fn date(raw: &str) -> Result<String, Issue> {
    let shape_ok = raw.len() == 10
        && raw.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shape_ok {
        return Err(Issue::DateShape);
    }
    let format = format_description!("[year]-[month]-[day]");
    match Date::parse(raw, format) {
        Ok(date) => Ok(date.format(format).expect("a parsed date formats")),
        Err(_) => Err(Issue::NotACalendarDate {
            raw: raw.to_string(),
        }),
    }
}

pub(crate) fn country(raw: &str) -> Result<String, Issue> {
    let code = raw.to_ascii_uppercase();
    if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(Issue::CountryShape);
    }
    if !is_country_code(&code) {
        return Err(Issue::UnknownCountry { code });
    }
    Ok(code)
}

pub(crate) fn integer(raw: &str, min: i64, max: i64) -> Result<String, Issue> {
    let range = || Issue::NotInRange { min, max };
    let value: i64 = raw.parse().map_err(|_| range())?;
    if (min..=max).contains(&value) {
        Ok(value.to_string())
    } else {
        Err(range())
    }
}

pub(crate) fn choice(raw: &str, options: &[(&'static str, &str)]) -> Result<String, Issue> {
    if options.iter().any(|(value, _)| *value == raw) {
        return Ok(raw.to_string());
    }
    let values: Vec<&'static str> = options.iter().map(|(value, _)| *value).collect();
    Err(Issue::NotAChoice { values })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hs_codes_lose_dots_and_spaces() {
        assert_eq!(normalize_hs_code("0813.40").as_deref(), Some("081340"));
        assert_eq!(normalize_hs_code("0813 40").as_deref(), Some("081340"));
        assert_eq!(normalize_hs_code("08.13.40").as_deref(), Some("081340"));
        assert_eq!(normalize_hs_code("0813.4"), None);
        assert_eq!(normalize_hs_code("0813.40.10"), None);
        assert_eq!(normalize_hs_code("0813-40"), None);
        assert_eq!(normalize_hs_code("０８１３４０"), None);
    }

    #[test]
    fn hs_code_must_exist() {
        let only = |code: &str| code == "081340";
        assert_eq!(hs_code("0813.40", &only).unwrap(), "081340");
        assert_eq!(
            hs_code("9999.99", &only).unwrap_err().to_string(),
            "HS code 999999 is not in the tariff"
        );
    }

    #[test]
    fn money_is_canonicalised() {
        assert_eq!(money("12500").unwrap(), "12500.00");
        assert_eq!(money("12,500.5").unwrap(), "12500.50");
        assert_eq!(money("1,234,567.89").unwrap(), "1234567.89");
        assert_eq!(money("0.01").unwrap(), "0.01");
        assert_eq!(money("007.10").unwrap(), "7.10");
        assert_eq!(money("999999999999.99").unwrap(), "999999999999.99");
    }

    #[test]
    fn money_rejects_bad_amounts() {
        for (raw, message) in [
            ("0", "must be greater than zero"),
            ("0.00", "must be greater than zero"),
            ("-5", "must be greater than zero"),
            ("1.234", "must have at most 2 decimal places"),
            (
                "1000000000000",
                "must be at most 12 digits before the decimal point",
            ),
            ("1,25", "must be an amount such as 12,500 or 12500.50"),
            ("12,5000", "must be an amount such as 12,500 or 12500.50"),
            (",125", "must be an amount such as 12,500 or 12500.50"),
            ("12.", "must be an amount such as 12,500 or 12500.50"),
            (".5", "must be an amount such as 12,500 or 12500.50"),
            ("NT$5", "must be an amount such as 12,500 or 12500.50"),
            ("1e3", "must be an amount such as 12,500 or 12500.50"),
            ("+5", "must be an amount such as 12,500 or 12500.50"),
        ] {
            assert_eq!(money(raw).unwrap_err().to_string(), message, "{raw}");
        }
    }

    #[test]
    fn dates_must_be_iso_and_real() {
        assert_eq!(date("2026-02-28").unwrap(), "2026-02-28");
        assert_eq!(date("2028-02-29").unwrap(), "2028-02-29");
        assert!(
            date("2026-02-29")
                .unwrap_err()
                .to_string()
                .contains("not a real calendar date")
        );
        assert!(
            date("2026-13-01")
                .unwrap_err()
                .to_string()
                .contains("not a real calendar date")
        );
        for raw in ["2026-2-28", "28/02/2026", "+2026-02-28", "2026-02-28T00:00"] {
            assert!(
                date(raw).unwrap_err().to_string().contains("yyyy-mm-dd"),
                "{raw}"
            );
        }
    }

    #[test]
    fn countries_are_upper_cased_and_checked() {
        assert_eq!(country("jp").unwrap(), "JP");
        assert_eq!(country("Tw").unwrap(), "TW");
        assert!(
            country("UK")
                .unwrap_err()
                .to_string()
                .contains("not an assigned")
        );
        assert!(
            country("TWN")
                .unwrap_err()
                .to_string()
                .contains("two-letter")
        );
        assert!(
            country("T1")
                .unwrap_err()
                .to_string()
                .contains("two-letter")
        );
    }

    #[test]
    fn integers_within_range() {
        assert_eq!(integer("+0042", 1, 100).unwrap(), "42");
        assert_eq!(integer("1", 1, 100).unwrap(), "1");
        assert_eq!(integer("100", 1, 100).unwrap(), "100");
        for raw in [
            "0",
            "101",
            "-3",
            "4.5",
            "1,000",
            "lots",
            "99999999999999999999",
        ] {
            assert_eq!(
                integer(raw, 1, 100).unwrap_err().to_string(),
                "must be a whole number between 1 and 100",
                "{raw}"
            );
        }
    }

    #[test]
    fn choices_name_the_allowed_values() {
        let options = [("a", "A"), ("b", "B")];
        assert_eq!(choice("b", &options).unwrap(), "b");
        assert_eq!(
            choice("B", &options).unwrap_err().to_string(),
            "must be one of: a, b"
        );
    }

    #[test]
    fn text_counts_characters_not_bytes() {
        assert_eq!(text("臺灣海關", 4, false).unwrap(), "臺灣海關");
        assert_eq!(
            text("臺灣海關局", 4, false).unwrap_err().to_string(),
            "must be at most 4 characters (got 5)"
        );
        assert!(
            text("two\nlines", 50, false)
                .unwrap_err()
                .to_string()
                .contains("single line")
        );
        assert_eq!(text("two\nlines", 50, true).unwrap(), "two\nlines");
        assert!(
            text("bell\u{7}", 50, true)
                .unwrap_err()
                .to_string()
                .contains("control")
        );
    }

    #[test]
    fn declaration_numbers_are_fourteen_alphanumerics() {
        assert_eq!(
            declaration_number("aa12345678901b").unwrap(),
            "AA12345678901B"
        );
        assert!(
            declaration_number("AA1234567890")
                .unwrap_err()
                .to_string()
                .contains("got 12")
        );
        assert!(
            declaration_number("AA/1234567890B")
                .unwrap_err()
                .to_string()
                .contains("exactly 14")
        );
    }
}

//! Typed cell values, exact decimals and ISO dates.

use std::cmp::Ordering;
use std::fmt;

use serde::{Serialize, Serializer};
use time::{Date, Month};

use crate::schema::ColumnType;

/// One cell. `Null` is explicit so that "missing" never hides as an empty string or zero.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    Null,
    Text(String),
    Integer(i64),
    Decimal(Decimal),
    Date(Date),
    Boolean(bool),
}

impl Value {
    /// Shorthand for `Value::Text`.
    pub fn text(s: impl Into<String>) -> Value {
        Value::Text(s.into())
    }

    /// Shorthand for a decimal; `None` when `s` is not a plain decimal number.
    pub fn decimal(s: &str) -> Option<Value> {
        Decimal::parse(s).map(Value::Decimal)
    }

    /// Shorthand for a date written `YYYY-MM-DD`.
    pub fn date(s: &str) -> Option<Value> {
        parse_date(s).map(Value::Date)
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The type this value belongs to, `None` for null.
    pub fn column_type(&self) -> Option<ColumnType> {
        Some(match self {
            Value::Null => return None,
            Value::Text(_) => ColumnType::Text,
            Value::Integer(_) => ColumnType::Integer,
            Value::Decimal(_) => ColumnType::Decimal,
            Value::Date(_) => ColumnType::Date,
            Value::Boolean(_) => ColumnType::Boolean,
        })
    }

    /// Parses the text form of a value of type `kind` (the inverse of `Display`).
    /// Used for URL filters and cursors, where every value arrives as text.
    pub fn parse(s: &str, kind: ColumnType) -> Option<Value> {
        match kind {
            ColumnType::Text => Some(Value::Text(s.to_owned())),
            ColumnType::Integer => parse_integer(s).map(Value::Integer),
            ColumnType::Decimal => Value::decimal(s),
            ColumnType::Date => Value::date(s),
            ColumnType::Boolean => match s {
                "true" => Some(Value::Boolean(true)),
                "false" => Some(Value::Boolean(false)),
                _ => None,
            },
        }
    }

    /// Number view for statistics and charts; lossy by design, never used for storage.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Integer(i) => Some(*i as f64),
            Value::Decimal(d) => Some(d.to_f64()),
            _ => None,
        }
    }

    /// Comparison used by filters: like `Ord`, but decimals compare by number only,
    /// so `1.5` equals `1.50`.
    pub fn compare(&self, other: &Value) -> Ordering {
        match (self, other) {
            (Value::Decimal(a), Value::Decimal(b)) => a.cmp_numeric(b),
            _ => self.cmp(other),
        }
    }

    fn rank(&self) -> u8 {
        match self {
            Value::Null => 0,
            Value::Boolean(_) => 1,
            Value::Integer(_) => 2,
            Value::Decimal(_) => 3,
            Value::Date(_) => 4,
            Value::Text(_) => 5,
        }
    }
}

/// Total order: nulls first, then by type, then by value (decimals numerically, with the
/// written text as tie-break so that `Ord` agrees with `Eq`). Keyset pagination needs a total order.
impl Ord for Value {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Value::Text(a), Value::Text(b)) => a.cmp(b),
            (Value::Integer(a), Value::Integer(b)) => a.cmp(b),
            (Value::Decimal(a), Value::Decimal(b)) => a.cmp(b),
            (Value::Date(a), Value::Date(b)) => a.cmp(b),
            (Value::Boolean(a), Value::Boolean(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

impl PartialOrd for Value {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The text form used in CSV and URLs: nulls are empty, dates ISO 8601, decimals as written.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => Ok(()),
            Value::Text(s) => f.write_str(s),
            Value::Integer(i) => write!(f, "{i}"),
            Value::Decimal(d) => f.write_str(d.as_str()),
            Value::Date(d) => f.write_str(&format_date(*d)),
            Value::Boolean(b) => write!(f, "{b}"),
        }
    }
}

/// JSON form: decimals and dates are strings, because JSON numbers become binary floats in
/// most readers and would silently round duty rates and amounts.
impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_none(),
            Value::Text(t) => s.serialize_str(t),
            Value::Integer(i) => s.serialize_i64(*i),
            Value::Decimal(d) => s.serialize_str(d.as_str()),
            Value::Date(d) => s.serialize_str(&format_date(*d)),
            Value::Boolean(b) => s.serialize_bool(*b),
        }
    }
}

impl Value {
    /// Reads back the JSON form of a value whose column type is known.
    pub fn from_json(v: &serde_json::Value, kind: ColumnType) -> Option<Value> {
        match (v, kind) {
            (serde_json::Value::Null, _) => Some(Value::Null),
            (serde_json::Value::String(s), ColumnType::Text) => Some(Value::Text(s.clone())),
            (serde_json::Value::String(s), ColumnType::Decimal | ColumnType::Date) => {
                Value::parse(s, kind)
            }
            (serde_json::Value::Number(n), ColumnType::Integer) => n.as_i64().map(Value::Integer),
            (serde_json::Value::Bool(b), ColumnType::Boolean) => Some(Value::Boolean(*b)),
            _ => None,
        }
    }
}

/// A decimal number kept as the exact text it was published with ("12.50" stays "12.50"),
/// because amounts and duty rates must not pass through binary floating point.
/// Syntax: optional `-`, digits, optionally `.` and digits. No exponent, no `+`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Decimal(String);

impl Decimal {
    pub fn parse(s: &str) -> Option<Decimal> {
        let body = s.strip_prefix('-').unwrap_or(s);
        let (int, frac) = match body.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (body, None),
        };
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        (digits(int) && frac.is_none_or(digits)).then(|| Decimal(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Digits after the decimal point, as written.
    pub fn scale(&self) -> usize {
        self.0.split_once('.').map_or(0, |(_, f)| f.len())
    }

    /// (negative, integer digits without leading zeros, fraction digits without trailing zeros);
    /// zero is never negative.
    pub(crate) fn parts(&self) -> (bool, &str, &str) {
        let neg = self.0.starts_with('-');
        let body = self.0.trim_start_matches('-');
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        let int = int.trim_start_matches('0');
        let frac = frac.trim_end_matches('0');
        (neg && !(int.is_empty() && frac.is_empty()), int, frac)
    }

    /// Numeric comparison on the digits, exact for any length.
    pub fn cmp_numeric(&self, other: &Decimal) -> Ordering {
        let (an, ai, af) = self.parts();
        let (bn, bi, bf) = other.parts();
        match (an, bn) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            _ => {
                // Fractions without trailing zeros compare correctly as strings.
                let mag = ai.len().cmp(&bi.len()).then(ai.cmp(bi)).then(af.cmp(bf));
                if an { mag.reverse() } else { mag }
            }
        }
    }

    pub fn to_f64(&self) -> f64 {
        self.0.parse().unwrap_or(f64::NAN)
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        self.cmp_numeric(other).then_with(|| self.0.cmp(&other.0))
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Strict base-10 `i64`: no `+`, no spaces, no leading zeros beyond a single `0`.
fn parse_integer(s: &str) -> Option<i64> {
    let body = s.strip_prefix('-').unwrap_or(s);
    let canonical = !body.is_empty()
        && body.bytes().all(|b| b.is_ascii_digit())
        && (body == "0" || !body.starts_with('0'));
    if canonical { s.parse().ok() } else { None }
}

/// Parses exactly `YYYY-MM-DD`; anything looser would make two spellings of one key.
pub fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &s[r];
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let year = num(0..4)? as i32;
    let month = Month::try_from(num(5..7)? as u8).ok()?;
    Date::from_calendar_date(year, month, num(8..10)? as u8).ok()
}

/// ISO 8601 calendar date, `YYYY-MM-DD`.
pub fn format_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Serde helpers so dates in manifests are ISO strings whatever `time` features are enabled.
pub(crate) mod iso_date {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};
    use time::Date;

    pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format_date(*d))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        super::parse_date(&s)
            .ok_or_else(|| D::Error::custom(format!("not a YYYY-MM-DD date: {s:?}")))
    }

    pub mod option {
        use serde::{Deserialize, Deserializer, Serializer};
        use time::Date;

        pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => super::serialize(d, s),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
            let s: Option<String> = Option::deserialize(d)?;
            s.map(|s| {
                super::super::parse_date(&s).ok_or_else(|| {
                    serde::de::Error::custom(format!("not a YYYY-MM-DD date: {s:?}"))
                })
            })
            .transpose()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn decimal_syntax_is_strict() {
        for ok in ["0", "-1", "12.50", "007.0", "-0.000"] {
            assert!(Decimal::parse(ok).is_some(), "{ok}");
        }
        for bad in [
            "", "-", ".5", "5.", "1e3", "+1", " 1", "1.2.3", "NaN", "1,5",
        ] {
            assert!(Decimal::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn decimals_compare_by_number_not_text() {
        assert_eq!(dec("9").cmp_numeric(&dec("10")), Ordering::Less);
        assert_eq!(dec("0.45").cmp_numeric(&dec("0.5")), Ordering::Less);
        assert_eq!(dec("-2").cmp_numeric(&dec("-10")), Ordering::Greater);
        assert_eq!(dec("1.50").cmp_numeric(&dec("001.5")), Ordering::Equal);
        assert_eq!(dec("-0.0").cmp_numeric(&dec("0")), Ordering::Equal);
        assert_eq!(
            dec("123456789012345678901234567890.1")
                .cmp_numeric(&dec("123456789012345678901234567890.09")),
            Ordering::Greater
        );
        // Ord stays total and consistent with Eq: equal numbers, different text.
        assert_ne!(dec("1.5").cmp(&dec("1.50")), Ordering::Equal);
    }

    #[test]
    fn filters_treat_equal_decimals_as_equal() {
        let a = Value::decimal("1.5").unwrap();
        let b = Value::decimal("1.50").unwrap();
        assert_eq!(a.compare(&b), Ordering::Equal);
        assert_ne!(a, b);
    }

    #[test]
    fn dates_are_strict_iso() {
        assert_eq!(format_date(parse_date("2024-02-29").unwrap()), "2024-02-29");
        for bad in [
            "2023-02-29",
            "2024-2-01",
            "2024/02/01",
            "24-02-01",
            "2024-13-01",
            "+024-02-01",
        ] {
            assert!(parse_date(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn integers_have_one_spelling() {
        assert_eq!(
            Value::parse("-12", ColumnType::Integer),
            Some(Value::Integer(-12))
        );
        for bad in ["+1", "01", "1.0", "", "-", "99999999999999999999"] {
            assert_eq!(Value::parse(bad, ColumnType::Integer), None, "{bad}");
        }
    }

    #[test]
    fn nulls_sort_first_and_json_keeps_exactness() {
        let mut v = vec![Value::Integer(3), Value::Null, Value::Integer(-1)];
        v.sort();
        assert_eq!(v, [Value::Null, Value::Integer(-1), Value::Integer(3)]);
        let json = serde_json::to_string(&[Value::decimal("0.10").unwrap(), Value::Null]).unwrap();
        assert_eq!(json, r#"["0.10",null]"#);
    }
}

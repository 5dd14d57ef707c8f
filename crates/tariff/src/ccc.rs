//! The 11-digit Taiwan CCC code (貨品分類號列).

use std::fmt;

use nomenclature::HsCode;
use unicode_normalization::UnicodeNormalization;

/// An 11-digit CCC code: 8-digit tariff number + 2 statistical digits + 1 check digit.
///
/// A value of this type always carries the right check digit: every constructor computes or
/// verifies it, so code downstream never has to.
///
/// # Check digit
///
/// Derived from the data: it is the only candidate tried (Luhn from the right, EAN-style 1/3 and
/// other alternating weights, weighted mod-10/mod-11 sums with rising or falling weights) that
/// holds on all 12,686 lines of the 2025 tariff. Number the ten payload digits d1..d10 from the
/// left and sum:
///
/// * d1 × 2, taken whole (no digit sum);
/// * d3, d5, d7, d9 doubled, subtracting 9 when the double exceeds 9 (the Luhn step);
/// * d2, d4, d6, d8, d10 as they are.
///
/// The check digit is `(10 − sum mod 10) mod 10`. The first position is the odd one out: a plain
/// left-to-right Luhn (digit sum there too) fails on 6,068 lines, exactly those whose chapter
/// starts with 5–9. One consequence: the check cannot see a first digit off by 5 (0↔5, 1↔6…).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CccCode {
    // Invariant: 11 ASCII digits whose last is the check digit of the first ten.
    digits: [u8; 11],
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CccParseError {
    #[error("a CCC code cannot be empty")]
    Empty,
    #[error("a CCC code contains only digits, dots, hyphens and spaces; found {0:?}")]
    BadCharacter(char),
    #[error("a CCC code has {expected} digits; {input:?} has {found}")]
    BadLength {
        input: String,
        found: usize,
        expected: usize,
    },
    #[error("check digit is {found}, expected {expected} (for {stat_no})")]
    CheckDigit {
        stat_no: String,
        found: u8,
        expected: u8,
    },
}

/// The check digit of a 10-digit payload (see [`CccCode`]).
pub fn check_digit(payload: &[u8; 10]) -> u8 {
    let mut sum: u32 = 0;
    for (i, &b) in payload.iter().enumerate() {
        let d = u32::from(b - b'0');
        sum += match i {
            0 => 2 * d,
            i if i % 2 == 0 => {
                let twice = 2 * d;
                if twice > 9 { twice - 9 } else { twice }
            }
            _ => d,
        };
    }
    ((10 - sum % 10) % 10) as u8
}

/// NFKC (full-width digits become ASCII), then keep digits and drop the usual separators.
fn digits_of(input: &str) -> Result<String, CccParseError> {
    let normalised: String = input.nfkc().collect();
    let trimmed = normalised.trim();
    if trimmed.is_empty() {
        return Err(CccParseError::Empty);
    }
    let mut digits = String::with_capacity(11);
    for c in trimmed.chars() {
        match c {
            '0'..='9' => digits.push(c),
            '.' | ' ' | '-' | '_' | '/' => {}
            other => return Err(CccParseError::BadCharacter(other)),
        }
    }
    Ok(digits)
}

fn payload_of(digits: &str, input: &str, expected: usize) -> Result<[u8; 10], CccParseError> {
    if digits.len() != expected {
        return Err(CccParseError::BadLength {
            input: input.trim().to_string(),
            found: digits.len(),
            expected,
        });
    }
    let mut payload = [0u8; 10];
    payload.copy_from_slice(&digits.as_bytes()[..10]);
    Ok(payload)
}

impl CccCode {
    /// Parses an 11-digit code, written plain ("01012100003"), punctuated ("0101.21.00.00-3")
    /// or in full-width digits. A wrong check digit is an error naming the right one.
    pub fn parse(input: &str) -> Result<CccCode, CccParseError> {
        let digits = digits_of(input)?;
        let payload = payload_of(&digits, input, 11)?;
        let found = digits.as_bytes()[10] - b'0';
        let expected = check_digit(&payload);
        if found != expected {
            return Err(CccParseError::CheckDigit {
                stat_no: digits[..10].to_string(),
                found,
                expected,
            });
        }
        Ok(CccCode::from_payload(payload))
    }

    /// Builds the code from the 10-digit statistical number, computing the check digit.
    pub fn from_stat_no(input: &str) -> Result<CccCode, CccParseError> {
        let digits = digits_of(input)?;
        Ok(CccCode::from_payload(payload_of(&digits, input, 10)?))
    }

    fn from_payload(payload: [u8; 10]) -> CccCode {
        let mut digits = [0u8; 11];
        digits[..10].copy_from_slice(&payload);
        digits[10] = b'0' + check_digit(&payload);
        CccCode { digits }
    }

    /// The 11 digits.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.digits).expect("invariant: ASCII digits")
    }

    pub fn hs6(&self) -> HsCode {
        HsCode::parse(&self.as_str()[..6]).expect("invariant: six digits are an HS code")
    }

    /// The two-digit chapter, e.g. "01" or the national "98".
    pub fn chapter(&self) -> &str {
        &self.as_str()[..2]
    }

    pub fn heading(&self) -> &str {
        &self.as_str()[..4]
    }

    /// The 8-digit tariff number (稅則號別).
    pub fn tariff_no(&self) -> &str {
        &self.as_str()[..8]
    }

    /// The 10-digit statistical number, without the check digit.
    pub fn stat_no(&self) -> &str {
        &self.as_str()[..10]
    }

    pub fn check_digit(&self) -> u8 {
        self.digits[10] - b'0'
    }

    /// The customary written form, "0101.21.00.00-3".
    pub fn dotted(&self) -> String {
        let s = self.as_str();
        format!(
            "{}.{}.{}.{}-{}",
            &s[..4],
            &s[4..6],
            &s[6..8],
            &s[8..10],
            &s[10..]
        )
    }
}

impl fmt::Display for CccCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for CccCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CccCode({})", self.as_str())
    }
}

impl std::str::FromStr for CccCode {
    type Err = CccParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CccCode::parse(s)
    }
}

impl serde::Serialize for CccCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for CccCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        CccCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_the_usual_spellings() {
        for input in [
            "01012100003",
            "0101.21.00.00-3",
            " 0101 21 00 00 3 ",
            "０１０１．２１．００．００－３",
        ] {
            assert_eq!(
                CccCode::parse(input).unwrap().as_str(),
                "01012100003",
                "{input}"
            );
        }
    }

    #[test]
    fn names_the_expected_check_digit() {
        let err = CccCode::parse("0101.21.00.00-4").unwrap_err();
        assert_eq!(
            err,
            CccParseError::CheckDigit {
                stat_no: "0101210000".into(),
                found: 4,
                expected: 3
            }
        );
        assert!(err.to_string().contains("check digit is 4, expected 3"));
    }

    #[test]
    fn rejects_bad_shapes() {
        assert_eq!(CccCode::parse(" "), Err(CccParseError::Empty));
        assert!(matches!(
            CccCode::parse("0101210000"),
            Err(CccParseError::BadLength { found: 10, .. })
        ));
        assert!(matches!(
            CccCode::parse("0101x210000"),
            Err(CccParseError::BadCharacter('x'))
        ));
        assert!(matches!(
            CccCode::from_stat_no("01012100003"),
            Err(CccParseError::BadLength { found: 11, .. })
        ));
    }

    #[test]
    fn computes_the_digit_from_ten() {
        // Lines of the 2025 file, one per first digit, so the odd first weight is covered.
        for (stat, full) in [
            ("0101210000", "01012100003"),
            ("2716000000", "27160000001"),
            ("8427101100", "84271011004"),
            ("9806100011", "98061000113"),
            ("5001000000", "50010000009"),
            ("7001000000", "70010000005"),
        ] {
            let code = CccCode::from_stat_no(stat).unwrap();
            assert_eq!(code.as_str(), full, "{stat}");
        }
    }

    #[test]
    fn slices_the_code() {
        let c = CccCode::parse("01012100003").unwrap();
        assert_eq!(c.hs6().as_str(), "010121");
        assert_eq!(c.chapter(), "01");
        assert_eq!(c.heading(), "0101");
        assert_eq!(c.tariff_no(), "01012100");
        assert_eq!(c.stat_no(), "0101210000");
        assert_eq!(c.check_digit(), 3);
        assert_eq!(c.dotted(), "0101.21.00.00-3");
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(json, "\"01012100003\"");
        assert_eq!(serde_json::from_str::<CccCode>(&json).unwrap(), c);
        assert!(serde_json::from_str::<CccCode>("\"01012100004\"").is_err());
    }

    proptest! {
        #[test]
        fn every_payload_round_trips(stat in "[0-9]{10}") {
            let code = CccCode::from_stat_no(&stat).unwrap();
            prop_assert_eq!(CccCode::parse(&code.dotted()).unwrap(), code);
            prop_assert_eq!(code.stat_no(), stat.as_str());
        }

        #[test]
        fn any_other_last_digit_is_refused(stat in "[0-9]{10}", wrong in 0u8..10) {
            let code = CccCode::from_stat_no(&stat).unwrap();
            prop_assume!(wrong != code.check_digit());
            let input = format!("{stat}{wrong}");
            let err = CccCode::parse(&input).unwrap_err();
            prop_assert_eq!(err, CccParseError::CheckDigit {
                stat_no: stat.clone(), found: wrong, expected: code.check_digit()
            });
        }
    }
}

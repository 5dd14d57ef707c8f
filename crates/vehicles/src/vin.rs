//! Vehicle Identification Numbers (ISO 3779).
//!
//! A [`Vin`] can only be built through [`Vin::parse`], so every `Vin` in the
//! system is normalised (trimmed, upper-case) and structurally valid.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Number of characters in every modern VIN.
pub const VIN_LENGTH: usize = 17;

/// Zero-based index of the check digit (the standard's "position 9").
const CHECK_DIGIT_INDEX: usize = 8;

/// Position weights used by the North American check digit algorithm.
const WEIGHTS: [u32; VIN_LENGTH] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/// Model-year codes in cycle order; index `i` means 1980 + i or 2010 + i.
/// I, O, Q, U, Z and 0 are never used as year codes.
const MODEL_YEAR_CODES: &str = "ABCDEFGHJKLMNPRSTVWXY123456789";

/// The year codes repeat every 30 years.
const MODEL_YEAR_CYCLE: i32 = 30;
const FIRST_MODEL_YEAR: i32 = 1980;
const LAST_MODEL_YEAR: i32 = 2039;

/// Why a string is not a VIN.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VinError {
    #[error("a VIN has exactly 17 characters, found {0}")]
    Length(usize),
    /// `position` is 1-based, as printed on documents.
    #[error(
        "character '{ch}' at position {position} is not allowed in a VIN (only A-Z without I, O, Q, and 0-9)"
    )]
    InvalidChar { position: usize, ch: char },
    #[error("check digit at position 9 is '{found}' but the VIN requires '{expected}'")]
    CheckDigit { expected: char, found: char },
}

/// Outcome of the check digit test for a VIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckDigit {
    Valid,
    Invalid,
    /// Outside North America the check digit is optional; a letter other
    /// than 'X' at position 9 shows the maker does not use one.
    NotApplicable,
}

/// A normalised, structurally valid 17-character VIN.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Vin(String);

impl Vin {
    /// Parses a VIN: trims, upper-cases, checks length and alphabet, and
    /// rejects a wrong check digit where the standard makes it mandatory
    /// (North American WMIs, first character 1-5).
    pub fn parse(raw: &str) -> Result<Vin, VinError> {
        let text = raw.trim().to_ascii_uppercase();
        let length = text.chars().count();
        if length != VIN_LENGTH {
            return Err(VinError::Length(length));
        }
        if let Some((index, ch)) = text.chars().enumerate().find(|&(_, ch)| !is_vin_char(ch)) {
            return Err(VinError::InvalidChar {
                position: index + 1,
                ch,
            });
        }
        let vin = Vin(text);
        if vin.check_digit_status() == CheckDigit::Invalid && vin.check_digit_is_mandatory() {
            return Err(VinError::CheckDigit {
                expected: vin.expected_check_digit(),
                found: vin.check_digit_found(),
            });
        }
        Ok(vin)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// World Manufacturer Identifier, positions 1-3.
    pub fn wmi(&self) -> &str {
        &self.0[0..3]
    }

    /// Vehicle Descriptor Section, positions 4-9.
    pub fn vds(&self) -> &str {
        &self.0[3..9]
    }

    /// Vehicle Identifier Section, positions 10-17.
    pub fn vis(&self) -> &str {
        &self.0[9..17]
    }

    /// Model-year code, position 10.
    pub fn model_year_code(&self) -> char {
        self.char_at(9)
    }

    /// Plant-specific serial number, positions 12-17.
    pub fn serial(&self) -> &str {
        &self.0[11..17]
    }

    /// Candidate model years for position 10. The code cycle repeats every 30
    /// years, so a valid code yields two years between 1980 and 2039; a
    /// character that is never a year code yields none.
    pub fn model_years(&self) -> Vec<i32> {
        let Some(index) = MODEL_YEAR_CODES.find(self.model_year_code()) else {
            return Vec::new();
        };
        let first = FIRST_MODEL_YEAR + index as i32;
        [first, first + MODEL_YEAR_CYCLE]
            .into_iter()
            .filter(|year| (FIRST_MODEL_YEAR..=LAST_MODEL_YEAR).contains(year))
            .collect()
    }

    /// Whether the check digit is right or wrong, or not used by this maker.
    /// Only North American VINs can never be `Invalid` here, because
    /// [`Vin::parse`] already rejects them.
    pub fn check_digit_status(&self) -> CheckDigit {
        let found = self.check_digit_found();
        if self.expected_check_digit() == found {
            CheckDigit::Valid
        } else if self.check_digit_is_mandatory() || found.is_ascii_digit() || found == 'X' {
            CheckDigit::Invalid
        } else {
            CheckDigit::NotApplicable
        }
    }

    /// The check digit this VIN's other 16 characters require.
    pub fn expected_check_digit(&self) -> char {
        let sum: u32 = self
            .0
            .chars()
            .zip(WEIGHTS)
            .map(|(ch, weight)| transliterate(ch) * weight)
            .sum();
        match sum % 11 {
            10 => 'X',
            digit => char::from_digit(digit, 10).unwrap_or('X'),
        }
    }

    fn check_digit_found(&self) -> char {
        self.char_at(CHECK_DIGIT_INDEX)
    }

    fn check_digit_is_mandatory(&self) -> bool {
        matches!(self.char_at(0), '1'..='5')
    }

    fn char_at(&self, index: usize) -> char {
        // The constructor guarantees 17 ASCII characters.
        self.0.as_bytes()[index] as char
    }
}

impl fmt::Display for Vin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Vin {
    type Error = VinError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Vin::parse(&value)
    }
}

impl From<Vin> for String {
    fn from(vin: Vin) -> Self {
        vin.0
    }
}

fn is_vin_char(ch: char) -> bool {
    ch.is_ascii_digit() || (ch.is_ascii_uppercase() && !matches!(ch, 'I' | 'O' | 'Q'))
}

/// ISO 3779 transliteration of letters to numbers for the check digit.
fn transliterate(ch: char) -> u32 {
    match ch {
        '0'..='9' => ch as u32 - '0' as u32,
        'A' | 'J' => 1,
        'B' | 'K' | 'S' => 2,
        'C' | 'L' | 'T' => 3,
        'D' | 'M' | 'U' => 4,
        'E' | 'N' | 'V' => 5,
        'F' | 'W' => 6,
        'G' | 'P' | 'X' => 7,
        'H' | 'Y' => 8,
        'R' | 'Z' => 9,
        // Unreachable for parsed VINs: I, O, Q are rejected earlier.
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliteration_follows_the_standard_table() {
        let expected = [
            ('A', 1),
            ('H', 8),
            ('J', 1),
            ('N', 5),
            ('P', 7),
            ('R', 9),
            ('S', 2),
            ('Z', 9),
        ];
        for (ch, value) in expected {
            assert_eq!(transliterate(ch), value, "{ch}");
        }
    }

    #[test]
    fn every_model_year_code_maps_to_two_years() {
        assert_eq!(MODEL_YEAR_CODES.len(), 30);
        let vin = Vin::parse("WBA0000009A000001").unwrap();
        assert_eq!(vin.model_years(), vec![2009, 2039]);
    }

    #[test]
    fn non_year_code_yields_no_candidates() {
        let vin = Vin::parse("WDB000000ZA000001").unwrap();
        assert!(vin.model_years().is_empty());
    }

    #[test]
    fn wrong_check_digit_outside_north_america_is_reported_not_rejected() {
        let vin = Vin::parse("WBA0000019A000001").unwrap();
        assert_ne!(vin.expected_check_digit(), '1');
        assert_eq!(vin.check_digit_status(), CheckDigit::Invalid);
    }

    #[test]
    fn letter_at_position_nine_outside_north_america_is_not_applicable() {
        let vin = Vin::parse("WBA00000A9A000001").unwrap();
        assert_eq!(vin.check_digit_status(), CheckDigit::NotApplicable);
    }

    #[test]
    fn serde_round_trips_and_rejects_invalid_text() {
        let vin: Vin = String::from("1hgcm82633a004352").try_into().unwrap();
        assert_eq!(String::from(vin), "1HGCM82633A004352");
        assert!(Vin::try_from(String::from("short")).is_err());
    }
}

//! Certificate numbers, validity dates, the publicly shown status and the
//! digest that lets a printed certificate be checked against the register.

use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;
use time::Date;

use crate::dates::{add_years, iso};
use crate::workflow::{Grant, Status};

const PREFIX: &str = "TWAEO";
const SERIAL_DIGITS: usize = 6;
const MAX_SERIAL: u32 = 999_999;
/// Prefix, grant letter, serial and check character.
const LENGTH: usize = PREFIX.len() + 1 + SERIAL_DIGITS + 1;
const ALPHABET: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// A certificate number such as `TWAEOF000123` followed by a check
/// character: "TWAEO", the grant letter (`C` customs, `S` security, `F` full,
/// i.e. both), a 6-digit serial and an ISO 7064 MOD 37,36 check character
/// computed over everything before it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CertificateNumber(String);

/// Why a text is not a certificate number.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CertificateNumberError {
    #[error("certificate serial {0} does not fit in {SERIAL_DIGITS} digits")]
    SerialOutOfRange(u32),
    #[error("a certificate number has {LENGTH} characters")]
    WrongLength,
    #[error("a certificate number starts with {PREFIX}")]
    WrongPrefix,
    #[error("'{0}' is not a grant letter (C, S or F)")]
    UnknownGrantLetter(char),
    #[error("the certificate serial must be {SERIAL_DIGITS} digits")]
    SerialNotDigits,
    #[error("the check character does not match; the number is mistyped")]
    CheckCharacterMismatch,
}

impl CertificateNumber {
    pub fn new(grant: Grant, serial: u32) -> Result<Self, CertificateNumberError> {
        if serial > MAX_SERIAL {
            return Err(CertificateNumberError::SerialOutOfRange(serial));
        }
        let body = format!("{PREFIX}{}{serial:06}", grant_letter(grant));
        let check = char::from(check_character(body.as_bytes()));
        Ok(CertificateNumber(format!("{body}{check}")))
    }

    /// Accepts surrounding whitespace and any letter case, as numbers are
    /// often typed from paper.
    pub fn parse(input: &str) -> Result<Self, CertificateNumberError> {
        let text = input.trim().to_ascii_uppercase();
        // Checked as chars first so that byte slicing below is safe.
        if text.chars().count() != LENGTH || !text.is_ascii() {
            return Err(CertificateNumberError::WrongLength);
        }
        if !text.starts_with(PREFIX) {
            return Err(CertificateNumberError::WrongPrefix);
        }
        let bytes = text.as_bytes();
        let letter = char::from(bytes[PREFIX.len()]);
        if grant_for_letter(letter).is_none() {
            return Err(CertificateNumberError::UnknownGrantLetter(letter));
        }
        let serial = &bytes[PREFIX.len() + 1..LENGTH - 1];
        if !serial.iter().all(u8::is_ascii_digit) {
            return Err(CertificateNumberError::SerialNotDigits);
        }
        if check_character(&bytes[..LENGTH - 1]) != bytes[LENGTH - 1] {
            return Err(CertificateNumberError::CheckCharacterMismatch);
        }
        Ok(CertificateNumber(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn grant(&self) -> Grant {
        grant_for_letter(char::from(self.0.as_bytes()[PREFIX.len()]))
            .expect("validated on construction")
    }

    pub fn serial(&self) -> u32 {
        self.0[PREFIX.len() + 1..LENGTH - 1]
            .parse()
            .expect("validated on construction")
    }
}

impl fmt::Display for CertificateNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CertificateNumber {
    type Error = CertificateNumberError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        CertificateNumber::parse(&value)
    }
}

impl From<CertificateNumber> for String {
    fn from(number: CertificateNumber) -> String {
        number.0
    }
}

fn grant_letter(grant: Grant) -> char {
    match grant {
        Grant::AeoC => 'C',
        Grant::AeoS => 'S',
        Grant::Both => 'F',
    }
}

fn grant_for_letter(letter: char) -> Option<Grant> {
    Grant::ALL
        .into_iter()
        .find(|grant| grant_letter(*grant) == letter)
}

/// ISO 7064 MOD 37,36 (hybrid system): catches every single substitution and
/// most adjacent transpositions. Input must be upper-case alphanumeric ASCII.
fn check_character(body: &[u8]) -> u8 {
    const M: u32 = 36;
    let mut product = M;
    for &byte in body {
        let mut sum = (product + alphanumeric_value(byte)) % M;
        if sum == 0 {
            sum = M;
        }
        product = (sum * 2) % (M + 1);
    }
    ALPHABET[((M + 1 - product) % M) as usize]
}

fn alphanumeric_value(byte: u8) -> u32 {
    match byte {
        b'0'..=b'9' => u32::from(byte - b'0'),
        b'A'..=b'Z' => u32::from(byte - b'A') + 10,
        _ => unreachable!("certificate numbers are validated as alphanumeric"),
    }
}

/// Years a certificate is valid from its issue date.
pub const VALIDITY_YEARS: i32 = 3;

/// Last day of validity: the day before the third anniversary of issue.
pub fn expiry(issued: Date) -> Date {
    add_years(issued, VALIDITY_YEARS)
        .previous_day()
        .unwrap_or(Date::MIN)
}

/// The first annual profile review: one year after issue.
pub fn reassessment_due(issued: Date) -> Date {
    add_years(issued, 1)
}

/// The next annual review on or after `today` (a review due today is still
/// the next one); never earlier than the first anniversary of issue.
pub fn next_review(issued: Date, today: Date) -> Date {
    let years = (today.year() - issued.year()).max(1);
    let candidate = add_years(issued, years);
    if candidate >= today {
        candidate
    } else {
        add_years(issued, years + 1)
    }
}

/// Status shown to the public register and to foreign customs verifying a
/// certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PublicStatus {
    Valid,
    Expired,
    Suspended,
    Revoked,
    Unknown,
}

/// Derived from the workflow status and dates on each request, never stored,
/// so expiry needs no background job. A certificate is valid from its issue
/// date up to and including its expiry date.
pub fn public_status(
    status: Status,
    issued: Option<Date>,
    expires: Option<Date>,
    today: Date,
) -> PublicStatus {
    match status {
        Status::Certified | Status::Reassessment => match (issued, expires) {
            // Not yet in force: nothing trustworthy to show.
            (Some(issued), Some(_)) if today < issued => PublicStatus::Unknown,
            (Some(_), Some(expires)) if today > expires => PublicStatus::Expired,
            (Some(_), Some(_)) => PublicStatus::Valid,
            _ => PublicStatus::Unknown,
        },
        Status::Suspended => PublicStatus::Suspended,
        Status::Revoked => PublicStatus::Revoked,
        _ => PublicStatus::Unknown,
    }
}

/// SHA-256 (lower-case hex) over a canonical line of the certificate's
/// fields, printed on the certificate so a verifier can recompute it from
/// the register entry. It binds the fields together; it is not a signature.
pub fn certificate_digest(
    number: &CertificateNumber,
    holder_business_id: &str,
    grant: Grant,
    issued: Date,
    expires: Date,
) -> String {
    let holder = holder_business_id.trim();
    // The holder id is the only free text, so it is length-prefixed to keep
    // the line unambiguous whatever it contains.
    let line = format!(
        "aeo-certificate-v1|{number}|{}:{holder}|{}|{}|{}",
        holder.len(),
        grant.as_str(),
        iso(issued),
        iso(expires),
    );
    hex::encode(Sha256::digest(line.as_bytes()))
}

/// Whether a printed digest matches the register's fields (any hex case).
pub fn verify_certificate_digest(
    printed_digest: &str,
    number: &CertificateNumber,
    holder_business_id: &str,
    grant: Grant,
    issued: Date,
    expires: Date,
) -> bool {
    let expected = certificate_digest(number, holder_business_id, grant, issued, expires);
    printed_digest.trim().eq_ignore_ascii_case(&expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_character_matches_the_iso_7064_example() {
        // Worked example for MOD 37,36 in ISO 7064.
        assert_eq!(check_character(b"A12425GABC1234002"), b'M');
    }
}

//! Taiwan's unified business number (統一編號): 8 digits with a weighted check.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BusinessId(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BusinessIdError {
    #[error("a business ID has exactly 8 digits")]
    Format,
    #[error("{0} fails the business ID check digit")]
    Checksum(String),
}

const WEIGHTS: [u32; 8] = [1, 2, 1, 2, 1, 2, 4, 1];

impl BusinessId {
    /// Checks the Ministry of Finance rule: the digit sums of digit × weight add up to a
    /// multiple of 5 (10 before 2023; every old number still passes). When the seventh digit
    /// is 7 its product 28 may count as 1 or 0, so a sum one short also passes.
    pub fn parse(s: &str) -> Result<BusinessId, BusinessIdError> {
        let s = s.trim();
        if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BusinessIdError::Format);
        }
        let digits: Vec<u32> = s.bytes().map(|b| u32::from(b - b'0')).collect();
        let sum: u32 = digits
            .iter()
            .zip(WEIGHTS)
            .map(|(d, w)| {
                let p = d * w;
                p / 10 + p % 10
            })
            .sum();
        let ok = sum.is_multiple_of(5) || (digits[6] == 7 && (sum + 1).is_multiple_of(5));
        if ok {
            Ok(BusinessId(s.to_string()))
        } else {
            Err(BusinessIdError::Checksum(s.to_string()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BusinessId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_numbers_and_rejects_the_rest() {
        for ok in ["04595257", "10458575", "22099131", "12345675"] {
            assert!(BusinessId::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(BusinessId::parse("0459525"), Err(BusinessIdError::Format));
        assert_eq!(BusinessId::parse("0459525a"), Err(BusinessIdError::Format));
        assert!(matches!(
            BusinessId::parse("04595258"),
            Err(BusinessIdError::Checksum(_))
        ));
    }
}

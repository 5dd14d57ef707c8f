use std::fmt;

/// One of the 21 sections of the HS, numbered I to XXI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SectionNumber(u8);

const ROMAN: [&str; 21] = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
    "XVI", "XVII", "XVIII", "XIX", "XX", "XXI",
];

impl SectionNumber {
    pub const COUNT: u8 = 21;

    pub fn new(n: u8) -> Option<SectionNumber> {
        (1..=Self::COUNT).contains(&n).then_some(SectionNumber(n))
    }

    /// Accepts the Roman numeral ("XVI", any case) or the Arabic number ("16").
    pub fn parse(s: &str) -> Option<SectionNumber> {
        let s = s.trim();
        if let Ok(n) = s.parse::<u8>() {
            return Self::new(n);
        }
        ROMAN
            .iter()
            .position(|r| r.eq_ignore_ascii_case(s))
            .map(|i| SectionNumber(i as u8 + 1))
    }

    pub fn number(self) -> u8 {
        self.0
    }

    pub fn roman(self) -> &'static str {
        ROMAN[self.0 as usize - 1]
    }
}

impl fmt::Display for SectionNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.roman())
    }
}

/// A section with its title and the chapters it holds, in code order.
#[derive(Debug, Clone)]
pub struct Section {
    pub number: SectionNumber,
    pub title: String,
    pub chapters: Vec<crate::HsCode>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_roman_and_arabic() {
        assert_eq!(SectionNumber::parse("xvi").unwrap().number(), 16);
        assert_eq!(SectionNumber::parse("21").unwrap().roman(), "XXI");
        assert_eq!(SectionNumber::parse("XXII"), None);
        assert_eq!(SectionNumber::parse("0"), None);
    }
}

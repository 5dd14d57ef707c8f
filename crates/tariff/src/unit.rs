//! Units of quantity, as the tariff writes them (UN/ECE Recommendation 20 style codes).

use std::fmt;

use rust_decimal::Decimal;

/// A three-letter unit code such as `KGM` or `TNE`. Any three uppercase ASCII letters are
/// accepted, because the tariff uses a few national codes (`KSK`, `TND`) beside Rec 20 ones.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnitCode([u8; 3]);

/// What the tariff's unit codes mean, for explanations. Codes not listed here still work.
const NAMES: &[(&str, &str, &str)] = &[
    ("KGM", "kilogram", "公斤"),
    ("TNE", "metric ton", "公噸"),
    ("LTR", "litre", "公升"),
    ("MTR", "metre", "公尺"),
    ("MTK", "square metre", "平方公尺"),
    ("MTQ", "cubic metre", "立方公尺"),
    ("SET", "set", "套"),
    ("PCE", "piece", "個"),
    ("DZN", "dozen", "打"),
    ("NIU", "unit", "臺/個"),
    ("NPR", "pair", "雙"),
    ("HED", "head", "頭"),
    ("CTM", "metric carat", "克拉"),
    ("KSK", "thousand sticks", "千支"),
    ("DOS", "dose", "劑"),
    ("KVA", "kilovolt-ampere", "千伏安"),
];

impl UnitCode {
    /// Three ASCII letters, any case; stored upper case.
    pub fn parse(s: &str) -> Option<UnitCode> {
        let b = s.trim().as_bytes();
        if b.len() != 3 || !b.iter().all(u8::is_ascii_alphabetic) {
            return None;
        }
        Some(UnitCode([
            b[0].to_ascii_uppercase(),
            b[1].to_ascii_uppercase(),
            b[2].to_ascii_uppercase(),
        ]))
    }

    pub const KGM: UnitCode = UnitCode(*b"KGM");
    pub const TNE: UnitCode = UnitCode(*b"TNE");

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("invariant: ASCII letters")
    }

    /// The English name, e.g. "kilogram", when known.
    pub fn name_en(&self) -> Option<&'static str> {
        NAMES.iter().find(|n| n.0 == self.as_str()).map(|n| n.1)
    }

    /// The Chinese name, e.g. "公斤", when known.
    pub fn name_zh(&self) -> Option<&'static str> {
        NAMES.iter().find(|n| n.0 == self.as_str()).map(|n| n.2)
    }

    /// "KGM (kilogram)" or just the code.
    pub fn describe(&self) -> String {
        match self.name_en() {
            Some(name) => format!("{} ({name})", self.as_str()),
            None => self.as_str().to_string(),
        }
    }

    /// The code for a Chinese unit word in a rate such as "每公斤新臺幣10元".
    pub fn from_zh(word: &str) -> Option<UnitCode> {
        NAMES
            .iter()
            .find(|n| n.2 == word)
            .and_then(|n| UnitCode::parse(n.0))
    }

    /// How many of `self` make one `other`, when the two are exactly convertible. Only mass
    /// converts (1 TNE = 1000 KGM): the tariff charges some lines per KGM whose statistical
    /// weight unit is TNE, and the other way round.
    pub fn per(&self, other: UnitCode) -> Option<Decimal> {
        match (*self, other) {
            (a, b) if a == b => Some(Decimal::ONE),
            (UnitCode::KGM, UnitCode::TNE) => Some(Decimal::from(1000)),
            (UnitCode::TNE, UnitCode::KGM) => Some(Decimal::new(1, 3)),
            _ => None,
        }
    }
}

impl fmt::Display for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UnitCode({})", self.as_str())
    }
}

impl serde::Serialize for UnitCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// An amount of goods in one unit, e.g. 1,250 KGM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Quantity {
    pub amount: Decimal,
    pub unit: UnitCode,
}

impl Quantity {
    pub fn new(amount: Decimal, unit: UnitCode) -> Quantity {
        Quantity { amount, unit }
    }

    /// This quantity expressed in `unit`, if exactly convertible.
    pub fn in_unit(&self, unit: UnitCode) -> Option<Decimal> {
        unit.per(self.unit).map(|factor| self.amount * factor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_names() {
        let kgm = UnitCode::parse("kgm").unwrap();
        assert_eq!(kgm, UnitCode::KGM);
        assert_eq!(kgm.describe(), "KGM (kilogram)");
        assert_eq!(UnitCode::parse("TND").unwrap().describe(), "TND");
        assert_eq!(UnitCode::parse("KG"), None);
        assert_eq!(UnitCode::parse("K1M"), None);
        assert_eq!(UnitCode::from_zh("公噸"), Some(UnitCode::TNE));
    }

    #[test]
    fn converts_mass_exactly() {
        let q = Quantity::new(Decimal::new(2_5, 1), UnitCode::TNE);
        assert_eq!(q.in_unit(UnitCode::KGM), Some(Decimal::from(2500)));
        let q = Quantity::new(Decimal::from(1250), UnitCode::KGM);
        assert_eq!(q.in_unit(UnitCode::TNE), Some(Decimal::new(125, 2)));
        assert_eq!(q.in_unit(UnitCode::parse("LTR").unwrap()), None);
    }
}

//! Countries of origin and the static lists that decide which tariff column applies.

use std::collections::BTreeSet;
use std::fmt;

use unicode_normalization::UnicodeNormalization;

/// An ISO 3166-1 alpha-2 code, upper case. Only the shape is checked: the tariff's partner
/// lists and the caller's origins are compared as codes, not looked up.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    /// Two ASCII letters in any case, full-width allowed.
    pub fn parse(s: &str) -> Option<CountryCode> {
        let n: String = s.nfkc().collect();
        let b = n.trim().as_bytes();
        if b.len() != 2 || !b.iter().all(u8::is_ascii_alphabetic) {
            return None;
        }
        Some(CountryCode([
            b[0].to_ascii_uppercase(),
            b[1].to_ascii_uppercase(),
        ]))
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).expect("invariant: ASCII letters")
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CountryCode({})", self.as_str())
    }
}

impl serde::Serialize for CountryCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The date the two lists below describe.
pub const LISTS_AS_OF: &str = "2025-01-01";

/// WTO members with an ISO code, as of [`LISTS_AS_OF`]: 166 members, the last accessions being
/// Comoros (KM) and Timor-Leste (TL) in August 2024. The European Union is itself a member but
/// has no country code; its 27 states are listed. Taiwan is a member as the Separate Customs
/// Territory of Taiwan, Penghu, Kinmen and Matsu; Hong Kong and Macao as China's SARs.
pub const WTO_MEMBERS: &[&str] = &[
    "AE", "AF", "AG", "AL", "AM", "AO", "AR", "AT", "AU", "BB", "BD", "BE", "BF", "BG", "BH", "BI",
    "BJ", "BN", "BO", "BR", "BW", "BZ", "CA", "CD", "CF", "CG", "CH", "CI", "CL", "CM", "CN", "CO",
    "CR", "CU", "CV", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "EC", "EE", "EG", "ES", "FI", "FJ",
    "FR", "GA", "GB", "GD", "GE", "GH", "GM", "GN", "GR", "GT", "GW", "GY", "HK", "HN", "HR", "HT",
    "HU", "ID", "IE", "IL", "IN", "IS", "IT", "JM", "JO", "JP", "KE", "KG", "KH", "KM", "KN", "KR",
    "KW", "KZ", "LA", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "MA", "MD", "ME", "MG", "MK",
    "ML", "MM", "MN", "MO", "MR", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NE", "NG", "NI",
    "NL", "NO", "NP", "NZ", "OM", "PA", "PE", "PG", "PH", "PK", "PL", "PT", "PY", "QA", "RO", "RU",
    "RW", "SA", "SB", "SC", "SE", "SG", "SI", "SK", "SL", "SN", "SR", "SV", "SZ", "TD", "TG", "TH",
    "TJ", "TL", "TN", "TO", "TR", "TT", "TW", "TZ", "UA", "UG", "US", "UY", "VC", "VE", "VN", "VU",
    "WS", "YE", "ZA", "ZM", "ZW",
];

/// The UN list of least developed countries as of [`LISTS_AS_OF`] (44 countries, after the
/// graduation of Bhutan in 2023 and São Tomé and Príncipe in December 2024). The tariff's
/// column 2 names the group only as "LDCs"; Taiwan's own designation may differ from the UN
/// list, so callers with the official list should pass it to [`OriginPolicy`].
pub const LEAST_DEVELOPED: &[&str] = &[
    "AF", "AO", "BD", "BF", "BI", "BJ", "CD", "CF", "DJ", "ER", "ET", "GM", "GN", "GW", "HT", "KH",
    "KI", "KM", "LA", "LR", "LS", "MG", "ML", "MM", "MR", "MW", "MZ", "NE", "NP", "RW", "SB", "SD",
    "SL", "SN", "SO", "SS", "TD", "TG", "TL", "TV", "TZ", "UG", "YE", "ZM",
];

/// Which origins get column 1, and who counts as an LDC for column 2.
///
/// Column 1 covers WTO members and countries that treat Taiwan reciprocally. The reciprocal
/// list is not in the data and changes by decree, so it starts empty: add to it with
/// [`OriginPolicy::with_reciprocal`].
#[derive(Debug, Clone)]
pub struct OriginPolicy {
    wto: BTreeSet<CountryCode>,
    reciprocal: BTreeSet<CountryCode>,
    ldcs: BTreeSet<CountryCode>,
}

fn set_of(codes: &[&str]) -> BTreeSet<CountryCode> {
    codes
        .iter()
        .map(|c| CountryCode::parse(c).expect("static list holds valid codes"))
        .collect()
}

impl Default for OriginPolicy {
    fn default() -> Self {
        OriginPolicy {
            wto: set_of(WTO_MEMBERS),
            reciprocal: BTreeSet::new(),
            ldcs: set_of(LEAST_DEVELOPED),
        }
    }
}

impl OriginPolicy {
    pub fn with_reciprocal(mut self, codes: impl IntoIterator<Item = CountryCode>) -> Self {
        self.reciprocal.extend(codes);
        self
    }

    /// Replaces the LDC list, e.g. with Taiwan's official designation.
    pub fn with_ldcs(mut self, codes: impl IntoIterator<Item = CountryCode>) -> Self {
        self.ldcs = codes.into_iter().collect();
        self
    }

    pub fn is_wto_member(&self, c: CountryCode) -> bool {
        self.wto.contains(&c)
    }

    pub fn is_reciprocal(&self, c: CountryCode) -> bool {
        self.reciprocal.contains(&c)
    }

    pub fn is_ldc(&self, c: CountryCode) -> bool {
        self.ldcs.contains(&c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_well_formed() {
        let wto = set_of(WTO_MEMBERS);
        // 166 members, less the EU itself, which has no country code.
        assert_eq!(wto.len(), 165);
        assert_eq!(wto.len(), WTO_MEMBERS.len(), "no duplicates");
        assert_eq!(set_of(LEAST_DEVELOPED).len(), 44);
        let mut sorted = WTO_MEMBERS.to_vec();
        sorted.sort();
        assert_eq!(sorted, WTO_MEMBERS);
    }

    #[test]
    fn policy_answers() {
        let p = OriginPolicy::default();
        let c = |s| CountryCode::parse(s).unwrap();
        assert!(p.is_wto_member(c("jp")));
        assert!(!p.is_wto_member(c("KP")));
        assert!(!p.is_wto_member(c("MH")));
        assert!(p.is_ldc(c("BD")));
        assert!(!p.is_ldc(c("BT")));
        let p = p.with_reciprocal([c("IR")]);
        assert!(p.is_reciprocal(c("IR")));
        assert_eq!(CountryCode::parse("ｊｐ"), Some(c("JP")));
        assert_eq!(CountryCode::parse("JPN"), None);
    }
}

//! Mutual recognition arrangements (MRAs) between Taiwan's AEO programme and
//! partner customs administrations: a partner's AEOs get facilitation at
//! Taiwan's border and Taiwan's AEOs at theirs.

use serde::Serialize;

/// A customs administration whose AEO programme Taiwan recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Partner {
    /// ISO 3166-1 alpha-2 code.
    pub country: &'static str,
    pub name: &'static str,
    /// The partner's programme name where well established; otherwise the
    /// name of its customs administration's AEO programme.
    pub programme: &'static str,
    /// Year the arrangement was signed.
    pub signed: i32,
}

/// In signing order, as publicly reported by Taiwan's Ministry of Finance and
/// Customs Administration (ten arrangements up to December 2024); verify
/// against the Customs Administration's list before publishing. The 2016
/// pilot with mainland China is not an arrangement and is not listed.
static PARTNERS: [Partner; 10] = [
    Partner {
        country: "US",
        name: "United States",
        programme: "Customs-Trade Partnership Against Terrorism (CTPAT)",
        signed: 2012,
    },
    Partner {
        country: "SG",
        name: "Singapore",
        programme: "Secure Trade Partnership (STP)",
        signed: 2013,
    },
    Partner {
        country: "IL",
        name: "Israel",
        programme: "Israel Customs AEO programme",
        signed: 2013,
    },
    Partner {
        country: "KR",
        name: "Korea",
        programme: "Korea Customs Service AEO programme",
        signed: 2015,
    },
    Partner {
        country: "AU",
        name: "Australia",
        programme: "Australian Trusted Trader",
        signed: 2018,
    },
    Partner {
        country: "JP",
        name: "Japan",
        programme: "Japan Customs AEO programme",
        signed: 2018,
    },
    Partner {
        country: "IN",
        name: "India",
        programme: "Indian Customs AEO programme",
        signed: 2018,
    },
    Partner {
        country: "NZ",
        name: "New Zealand",
        programme: "Secure Exports Scheme (SES)",
        signed: 2020,
    },
    Partner {
        country: "GT",
        name: "Guatemala",
        programme: "Guatemala Customs (SAT) AEO programme",
        signed: 2021,
    },
    Partner {
        country: "CA",
        name: "Canada",
        programme: "Partners in Protection (PIP)",
        signed: 2024,
    },
];

/// All arrangements in signing order.
pub fn partners() -> &'static [Partner] {
    &PARTNERS
}

/// The arrangement with `country` (ISO alpha-2, any case), if any.
pub fn partner(country: &str) -> Option<&'static Partner> {
    let country = country.trim();
    PARTNERS
        .iter()
        .find(|partner| partner.country.eq_ignore_ascii_case(country))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_in_signing_order_with_unique_alpha2_codes() {
        let list = partners();
        assert!(list.windows(2).all(|pair| pair[0].signed <= pair[1].signed));
        for (i, partner) in list.iter().enumerate() {
            assert_eq!(partner.country.len(), 2);
            assert!(partner.country.bytes().all(|b| b.is_ascii_uppercase()));
            assert!(list[i + 1..].iter().all(|p| p.country != partner.country));
        }
    }

    #[test]
    fn lookup_ignores_case() {
        assert_eq!(partner("nz").map(|p| p.signed), Some(2020));
        assert!(partner("CN").is_none());
    }
}

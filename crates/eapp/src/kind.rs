//! The kinds of application the service accepts, and their service levels.

use serde::{Deserialize, Serialize};

use crate::form::Field;
use crate::schema;

/// One kind of online application to customs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationKind {
    AdvanceRuling,
    DutyRefund,
    CertificateOfOrigin,
    BondedWarehouse,
}

impl ApplicationKind {
    /// Every kind, in the order the service lists them.
    pub const ALL: [ApplicationKind; 4] = [
        ApplicationKind::AdvanceRuling,
        ApplicationKind::DutyRefund,
        ApplicationKind::CertificateOfOrigin,
        ApplicationKind::BondedWarehouse,
    ];

    /// Stable identifier, identical to the serde spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ApplicationKind::AdvanceRuling => "advance_ruling",
            ApplicationKind::DutyRefund => "duty_refund",
            ApplicationKind::CertificateOfOrigin => "certificate_of_origin",
            ApplicationKind::BondedWarehouse => "bonded_warehouse",
        }
    }

    /// Inverse of [`ApplicationKind::as_str`]; exact match only.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == s)
    }

    /// Plain-English name shown to applicants and officers.
    pub fn title(self) -> &'static str {
        match self {
            ApplicationKind::AdvanceRuling => "Advance tariff classification ruling",
            ApplicationKind::DutyRefund => "Duty refund or drawback",
            ApplicationKind::CertificateOfOrigin => "Certificate of origin",
            ApplicationKind::BondedWarehouse => "Bonded warehouse registration",
        }
    }

    /// Working days customs has to decide, counted from submission with the
    /// clock stopped while waiting for the applicant.
    ///
    /// These are the service's configured service levels, not a quotation of
    /// statute: change them here when the administration revises them.
    pub fn legal_working_days(self) -> u32 {
        match self {
            ApplicationKind::AdvanceRuling => 30,
            ApplicationKind::DutyRefund => 30,
            ApplicationKind::CertificateOfOrigin => 3,
            ApplicationKind::BondedWarehouse => 20,
        }
    }

    /// Working days the applicant has to answer a request for more information.
    pub fn reply_working_days(self) -> u32 {
        10
    }

    /// The form fields of this kind, in display order.
    pub fn schema(self) -> &'static [Field] {
        schema::fields(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_str_and_parse_round_trip() {
        for kind in ApplicationKind::ALL {
            assert_eq!(ApplicationKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(ApplicationKind::parse("Advance_Ruling"), None);
        assert_eq!(ApplicationKind::parse(""), None);
    }

    #[test]
    fn identifiers_and_titles_are_distinct() {
        let mut ids: Vec<_> = ApplicationKind::ALL.iter().map(|k| k.as_str()).collect();
        let mut titles: Vec<_> = ApplicationKind::ALL.iter().map(|k| k.title()).collect();
        ids.sort_unstable();
        ids.dedup();
        titles.sort_unstable();
        titles.dedup();
        assert_eq!(ids.len(), 4);
        assert_eq!(titles.len(), 4);
    }

    #[test]
    fn service_levels() {
        assert_eq!(ApplicationKind::AdvanceRuling.legal_working_days(), 30);
        assert_eq!(ApplicationKind::DutyRefund.legal_working_days(), 30);
        assert_eq!(ApplicationKind::CertificateOfOrigin.legal_working_days(), 3);
        assert_eq!(ApplicationKind::BondedWarehouse.legal_working_days(), 20);
        for kind in ApplicationKind::ALL {
            assert_eq!(kind.reply_working_days(), 10);
        }
    }

    #[test]
    fn every_kind_has_a_realistic_schema() {
        for kind in ApplicationKind::ALL {
            let fields = kind.schema();
            assert!((4..=8).contains(&fields.len()), "{kind:?}");
            assert!(fields.iter().any(|f| f.required), "{kind:?}");
        }
    }
}

//! Data minimisation: which clearance fields each reading agency may see,
//! and the lifecycle status of a clearance.

use serde::{Deserialize, Serialize};

/// An agency reading cleared-vehicle facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyScope {
    Registration,
    Tax,
    Inspection,
    Police,
}

impl AgencyScope {
    pub const ALL: [AgencyScope; 4] = [
        AgencyScope::Registration,
        AgencyScope::Tax,
        AgencyScope::Inspection,
        AgencyScope::Police,
    ];

    /// The same snake_case name serde uses.
    pub fn as_str(self) -> &'static str {
        match self {
            AgencyScope::Registration => "registration",
            AgencyScope::Tax => "tax",
            AgencyScope::Inspection => "inspection",
            AgencyScope::Police => "police",
        }
    }

    /// Inverse of [`AgencyScope::as_str`]; exact match, so a typo never
    /// silently widens or narrows access.
    pub fn parse(text: &str) -> Option<AgencyScope> {
        AgencyScope::ALL
            .into_iter()
            .find(|scope| scope.as_str() == text)
    }
}

/// Lifecycle of a clearance as agencies see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Cleared,
    /// Flagged for review (e.g. an anomaly) and not yet released.
    Held,
    Revoked,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Cleared, Status::Held, Status::Revoked];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Cleared => "cleared",
            Status::Held => "held",
            Status::Revoked => "revoked",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        Status::ALL
            .into_iter()
            .find(|status| status.as_str() == text)
    }
}

const REGISTRATION_FIELDS: &[&str] = &[
    "vin",
    "make",
    "model",
    "model_year",
    "body_type",
    "colour",
    "fuel",
    "engine_cc",
    "certificate_number",
    "clearance_date",
    "status",
];

const TAX_FIELDS: &[&str] = &[
    "vin",
    "make",
    "model",
    "model_year",
    "engine_cc",
    "fuel",
    "duties_twd",
    "declaration_number",
    "clearance_date",
    "certificate_number",
];

const INSPECTION_FIELDS: &[&str] = &[
    "vin",
    "make",
    "model",
    "model_year",
    "engine_number",
    "engine_cc",
    "fuel",
];

/// Names of the [`crate::Clearance`] fields an agency may see.
pub fn visible_fields(scope: AgencyScope) -> &'static [&'static str] {
    match scope {
        AgencyScope::Registration => REGISTRATION_FIELDS,
        AgencyScope::Tax => TAX_FIELDS,
        AgencyScope::Inspection => INSPECTION_FIELDS,
        AgencyScope::Police => crate::record::CLEARANCE_FIELDS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::CLEARANCE_FIELDS;

    #[test]
    fn every_visible_field_is_a_clearance_field() {
        for scope in AgencyScope::ALL {
            for field in visible_fields(scope) {
                assert!(
                    CLEARANCE_FIELDS.contains(field),
                    "{scope:?} sees unknown {field}"
                );
            }
        }
    }

    #[test]
    fn only_police_see_everything() {
        assert_eq!(visible_fields(AgencyScope::Police), CLEARANCE_FIELDS);
        for scope in [
            AgencyScope::Registration,
            AgencyScope::Tax,
            AgencyScope::Inspection,
        ] {
            assert!(visible_fields(scope).len() < CLEARANCE_FIELDS.len());
        }
    }

    #[test]
    fn sensitive_fields_are_minimised() {
        let sees = |scope, field| visible_fields(scope).contains(&field);
        assert!(!sees(AgencyScope::Registration, "duties_twd"));
        assert!(!sees(AgencyScope::Registration, "engine_number"));
        assert!(sees(AgencyScope::Tax, "duties_twd"));
        assert!(!sees(AgencyScope::Tax, "colour"));
        assert!(!sees(AgencyScope::Inspection, "declaration_number"));
        assert!(sees(AgencyScope::Inspection, "engine_number"));
    }

    #[test]
    fn names_round_trip_and_reject_near_misses() {
        for scope in AgencyScope::ALL {
            assert_eq!(AgencyScope::parse(scope.as_str()), Some(scope));
        }
        for status in Status::ALL {
            assert_eq!(Status::parse(status.as_str()), Some(status));
        }
        assert_eq!(AgencyScope::parse("Police"), None);
        assert_eq!(AgencyScope::parse(""), None);
        assert_eq!(Status::parse("void"), None);
    }
}

//! What an officer's decision must contain, which grant an assessment
//! supports, and when a refused or revoked operator may apply again.

use serde::{Deserialize, Serialize};
use thiserror::Error;
use time::Date;

use super::Action;
use crate::dates::add_years;
use crate::questionnaire::{Area, Assessment};

/// The kind of AEO status granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Ord, PartialOrd, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grant {
    /// Customs simplifications.
    AeoC,
    /// Safety and security.
    AeoS,
    /// Both customs simplifications and safety and security.
    Both,
}

impl Grant {
    pub const ALL: [Grant; 3] = [Grant::AeoC, Grant::AeoS, Grant::Both];

    pub fn as_str(self) -> &'static str {
        match self {
            Grant::AeoC => "aeo_c",
            Grant::AeoS => "aeo_s",
            Grant::Both => "both",
        }
    }

    pub fn parse(s: &str) -> Option<Grant> {
        Grant::ALL.into_iter().find(|grant| grant.as_str() == s)
    }

    pub fn covers_security(self) -> bool {
        matches!(self, Grant::AeoS | Grant::Both)
    }

    pub fn covers_customs(self) -> bool {
        matches!(self, Grant::AeoC | Grant::Both)
    }
}

/// The grant an assessment supports, if any. AEO-C needs every non-security
/// area met (all applicable questions answered favourably with evidence);
/// AEO-S needs every security area met; both together give `Both`.
pub fn grantable(assessment: &Assessment) -> Option<Grant> {
    let met = |area: &Area| assessment.per_area.get(area).is_some_and(|s| s.is_met());
    let customs = Area::ALL.iter().filter(|a| !a.for_security()).all(met);
    // As in the EU programme, security status also needs a clean compliance record, sound
    // records and solvency: a trusted security partner must first be a trusted trader.
    let foundations = [
        Area::ComplianceRecord,
        Area::RecordsManagement,
        Area::FinancialSolvency,
    ]
    .iter()
    .all(met);
    let security = foundations && Area::ALL.iter().filter(|a| a.for_security()).all(met);
    match (customs, security) {
        (true, true) => Some(Grant::Both),
        (true, false) => Some(Grant::AeoC),
        (false, true) => Some(Grant::AeoS),
        (false, false) => None,
    }
}

/// Reasons shorter than this are not a reasoned decision.
pub const MIN_REASON_CHARS: usize = 10;

/// The officer's decision accompanying an action.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Decision {
    pub grant: Option<Grant>,
    pub reasons: String,
}

/// Why a decision cannot accompany an action.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecisionError {
    #[error("certifying needs the grant (aeo_c, aeo_s or both)")]
    GrantRequired,
    #[error("{action} needs reasons of at least {MIN_REASON_CHARS} characters")]
    ReasonsTooShort { action: Action },
}

/// Checks that `decision` carries what `action` legally needs: a grant to
/// certify, and stated reasons for any adverse decision.
pub fn check_decision(action: Action, decision: &Decision) -> Result<(), DecisionError> {
    match action {
        Action::Certify if decision.grant.is_none() => Err(DecisionError::GrantRequired),
        Action::Refuse | Action::Suspend | Action::Revoke
            if decision.reasons.trim().chars().count() < MIN_REASON_CHARS =>
        {
            Err(DecisionError::ReasonsTooShort { action })
        }
        _ => Ok(()),
    }
}

/// Years a refused or revoked operator waits before applying again.
pub const REAPPLY_WAIT_YEARS: i32 = 3;

/// Whether a new application is admissible on `today`, counted from the date
/// of the last refusal or revocation; allowed from its third anniversary on.
pub fn may_reapply(last_revoked_or_refused: Date, today: Date) -> bool {
    today >= add_years(last_revoked_or_refused, REAPPLY_WAIT_YEARS)
}

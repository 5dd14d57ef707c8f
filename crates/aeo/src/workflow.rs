//! The life cycle of an AEO application and certificate, as one table of
//! allowed transitions, plus the rules for the officer's decisions.

mod decision;

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use decision::{
    Decision, DecisionError, Grant, MIN_REASON_CHARS, REAPPLY_WAIT_YEARS, check_decision,
    grantable, may_reapply,
};

/// Where an application or certificate stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Ord, PartialOrd, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Submitted,
    Accepted,
    DocumentReview,
    OnSiteValidation,
    Certified,
    /// A certified operator's periodic or triggered review; the certificate
    /// stays valid meanwhile.
    Reassessment,
    Refused,
    Suspended,
    Revoked,
    Withdrawn,
}

impl Status {
    pub const ALL: [Status; 10] = [
        Status::Submitted,
        Status::Accepted,
        Status::DocumentReview,
        Status::OnSiteValidation,
        Status::Certified,
        Status::Reassessment,
        Status::Refused,
        Status::Suspended,
        Status::Revoked,
        Status::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::Accepted => "accepted",
            Status::DocumentReview => "document_review",
            Status::OnSiteValidation => "on_site_validation",
            Status::Certified => "certified",
            Status::Reassessment => "reassessment",
            Status::Refused => "refused",
            Status::Suspended => "suspended",
            Status::Revoked => "revoked",
            Status::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|status| status.as_str() == s)
    }

    /// Human-readable label for screens and letters.
    pub fn label(self) -> &'static str {
        match self {
            Status::Submitted => "Submitted",
            Status::Accepted => "Accepted for examination",
            Status::DocumentReview => "Document review",
            Status::OnSiteValidation => "On-site validation",
            Status::Certified => "Certified",
            Status::Reassessment => "Under reassessment",
            Status::Refused => "Refused",
            Status::Suspended => "Suspended",
            Status::Revoked => "Revoked",
            Status::Withdrawn => "Withdrawn",
        }
    }

    /// No action leads out of these; a new application is needed.
    pub fn is_terminal(self) -> bool {
        matches!(self, Status::Refused | Status::Revoked | Status::Withdrawn)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who performs an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Ord, PartialOrd, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    Applicant,
    Officer,
}

impl Party {
    pub const ALL: [Party; 2] = [Party::Applicant, Party::Officer];

    pub fn as_str(self) -> &'static str {
        match self {
            Party::Applicant => "applicant",
            Party::Officer => "officer",
        }
    }
}

impl fmt::Display for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something a party does to an application or certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Ord, PartialOrd, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Accept,
    StartDocumentReview,
    ScheduleVisit,
    RecordFindings,
    Certify,
    Refuse,
    StartReassessment,
    ConfirmReassessment,
    Suspend,
    Reinstate,
    Revoke,
    Withdraw,
}

impl Action {
    pub const ALL: [Action; 12] = [
        Action::Accept,
        Action::StartDocumentReview,
        Action::ScheduleVisit,
        Action::RecordFindings,
        Action::Certify,
        Action::Refuse,
        Action::StartReassessment,
        Action::ConfirmReassessment,
        Action::Suspend,
        Action::Reinstate,
        Action::Revoke,
        Action::Withdraw,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::StartDocumentReview => "start_document_review",
            Action::ScheduleVisit => "schedule_visit",
            Action::RecordFindings => "record_findings",
            Action::Certify => "certify",
            Action::Refuse => "refuse",
            Action::StartReassessment => "start_reassessment",
            Action::ConfirmReassessment => "confirm_reassessment",
            Action::Suspend => "suspend",
            Action::Reinstate => "reinstate",
            Action::Revoke => "revoke",
            Action::Withdraw => "withdraw",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|action| action.as_str() == s)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

use Action as A;
use Party::{Applicant, Officer};
use Status as S;

/// Every allowed move: (from, action, who, to). Nothing else is allowed.
pub const TRANSITIONS: &[(Status, Action, Party, Status)] = &[
    (S::Submitted, A::Accept, Officer, S::Accepted),
    // An application that is not acceptable is refused outright.
    (S::Submitted, A::Refuse, Officer, S::Refused),
    (
        S::Accepted,
        A::StartDocumentReview,
        Officer,
        S::DocumentReview,
    ),
    (
        S::DocumentReview,
        A::ScheduleVisit,
        Officer,
        S::OnSiteValidation,
    ),
    // Rescheduling a visit keeps the application where it is.
    (
        S::OnSiteValidation,
        A::ScheduleVisit,
        Officer,
        S::OnSiteValidation,
    ),
    (
        S::OnSiteValidation,
        A::RecordFindings,
        Officer,
        S::OnSiteValidation,
    ),
    (S::DocumentReview, A::Certify, Officer, S::Certified),
    (S::OnSiteValidation, A::Certify, Officer, S::Certified),
    (S::DocumentReview, A::Refuse, Officer, S::Refused),
    (S::OnSiteValidation, A::Refuse, Officer, S::Refused),
    (S::Certified, A::StartReassessment, Officer, S::Reassessment),
    (
        S::Reassessment,
        A::ConfirmReassessment,
        Officer,
        S::Certified,
    ),
    (S::Reassessment, A::Suspend, Officer, S::Suspended),
    (S::Certified, A::Suspend, Officer, S::Suspended),
    (S::Suspended, A::Reinstate, Officer, S::Certified),
    (S::Certified, A::Revoke, Officer, S::Revoked),
    (S::Suspended, A::Revoke, Officer, S::Revoked),
    (S::Reassessment, A::Revoke, Officer, S::Revoked),
    // The applicant may pull out until a decision is taken.
    (S::Submitted, A::Withdraw, Applicant, S::Withdrawn),
    (S::Accepted, A::Withdraw, Applicant, S::Withdrawn),
    (S::DocumentReview, A::Withdraw, Applicant, S::Withdrawn),
    (S::OnSiteValidation, A::Withdraw, Applicant, S::Withdrawn),
];

/// Why an action was rejected.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TransitionError {
    #[error("only the {required} may {action} an application that is {from}")]
    WrongParty {
        from: Status,
        action: Action,
        party: Party,
        required: Party,
    },
    #[error(
        "cannot {action} an application that is {from}; the {party} may: {}",
        list_actions(.allowed)
    )]
    NotAllowed {
        from: Status,
        action: Action,
        party: Party,
        allowed: Vec<Action>,
    },
}

fn list_actions(actions: &[Action]) -> String {
    if actions.is_empty() {
        return "nothing".to_owned();
    }
    let names: Vec<&str> = actions.iter().map(|action| action.as_str()).collect();
    names.join(", ")
}

/// The status after `party` performs `action` on something that is `from`.
pub fn transition(from: Status, action: Action, party: Party) -> Result<Status, TransitionError> {
    let mut required = None;
    for &(row_from, row_action, row_party, to) in TRANSITIONS {
        if row_from == from && row_action == action {
            if row_party == party {
                return Ok(to);
            }
            required = Some(row_party);
        }
    }
    Err(match required {
        Some(required) => TransitionError::WrongParty {
            from,
            action,
            party,
            required,
        },
        None => TransitionError::NotAllowed {
            from,
            action,
            party,
            allowed: allowed_actions(from, party),
        },
    })
}

/// What `party` may do from `from`, in table order, without duplicates.
pub fn allowed_actions(from: Status, party: Party) -> Vec<Action> {
    let mut actions = Vec::new();
    for &(row_from, action, row_party, _) in TRANSITIONS {
        if row_from == from && row_party == party && !actions.contains(&action) {
            actions.push(action);
        }
    }
    actions
}

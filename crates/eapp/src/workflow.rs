//! Application statuses, who may do what, and the checks on officers'
//! decisions.

use serde::{Deserialize, Serialize};

mod decision;

pub use decision::{Decision, check_decision};

/// How long an advance ruling binds customs after it is issued.
pub const RULING_VALIDITY_YEARS: i32 = 3;

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Submitted,
    UnderReview,
    InfoRequested,
    Approved,
    Rejected,
    Withdrawn,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Draft,
        Status::Submitted,
        Status::UnderReview,
        Status::InfoRequested,
        Status::Approved,
        Status::Rejected,
        Status::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::UnderReview => "under_review",
            Status::InfoRequested => "info_requested",
            Status::Approved => "approved",
            Status::Rejected => "rejected",
            Status::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == s)
    }

    /// Plain-English name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Status::Draft => "Draft",
            Status::Submitted => "Submitted",
            Status::UnderReview => "Under review",
            Status::InfoRequested => "Information requested",
            Status::Approved => "Approved",
            Status::Rejected => "Rejected",
            Status::Withdrawn => "Withdrawn",
        }
    }

    /// A final status: no action leaves it.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            Status::Approved | Status::Rejected | Status::Withdrawn
        )
    }
}

/// Who is acting on an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|party| party.as_str() == s)
    }
}

/// A step someone takes on an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Submit,
    StartReview,
    RequestInfo,
    Respond,
    Approve,
    Reject,
    Withdraw,
}

impl Action {
    pub const ALL: [Action; 7] = [
        Action::Submit,
        Action::StartReview,
        Action::RequestInfo,
        Action::Respond,
        Action::Approve,
        Action::Reject,
        Action::Withdraw,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Submit => "submit",
            Action::StartReview => "start_review",
            Action::RequestInfo => "request_info",
            Action::Respond => "respond",
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::Withdraw => "withdraw",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|action| action.as_str() == s)
    }
}

/// Every allowed step as `(from, action, party, to)`; anything not listed is
/// refused. The one place the workflow rules live.
// One row per line so the rules read as a table.
#[rustfmt::skip]
pub const TRANSITIONS: &[(Status, Action, Party, Status)] = &[
    (Status::Draft,         Action::Submit,      Party::Applicant, Status::Submitted),
    (Status::Submitted,     Action::StartReview, Party::Officer,   Status::UnderReview),
    (Status::UnderReview,   Action::RequestInfo, Party::Officer,   Status::InfoRequested),
    (Status::InfoRequested, Action::Respond,     Party::Applicant, Status::UnderReview),
    (Status::UnderReview,   Action::Approve,     Party::Officer,   Status::Approved),
    (Status::UnderReview,   Action::Reject,      Party::Officer,   Status::Rejected),
    (Status::Draft,         Action::Withdraw,    Party::Applicant, Status::Withdrawn),
    (Status::Submitted,     Action::Withdraw,    Party::Applicant, Status::Withdrawn),
    (Status::UnderReview,   Action::Withdraw,    Party::Applicant, Status::Withdrawn),
    (Status::InfoRequested, Action::Withdraw,    Party::Applicant, Status::Withdrawn),
];

/// Why a step was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum TransitionError {
    /// The step exists from this status, but belongs to the other party.
    #[error("{}", wrong_party_message(*action, *party))]
    WrongParty { action: Action, party: Party },
    /// The step does not exist from this status for anyone.
    #[error("{}", not_allowed_message(*from, *action))]
    NotAllowed { from: Status, action: Action },
}

/// Applies `action` by `party` to an application in status `from`.
pub fn transition(from: Status, action: Action, party: Party) -> Result<Status, TransitionError> {
    let mut candidates = TRANSITIONS
        .iter()
        .filter(|(f, a, _, _)| *f == from && *a == action)
        .peekable();
    if candidates.peek().is_none() {
        return Err(TransitionError::NotAllowed { from, action });
    }
    candidates
        .find(|(_, _, p, _)| *p == party)
        .map(|(_, _, _, to)| *to)
        .ok_or(TransitionError::WrongParty { action, party })
}

/// What `party` may do to an application in status `from`, in table order.
pub fn allowed_actions(from: Status, party: Party) -> Vec<Action> {
    TRANSITIONS
        .iter()
        .filter(|(f, _, p, _)| *f == from && *p == party)
        .map(|(_, action, _, _)| *action)
        .collect()
}

/// The parties that may take `action` from some status, in [`Party::ALL`] order.
pub fn entitled_parties(action: Action) -> Vec<Party> {
    Party::ALL
        .into_iter()
        .filter(|p| {
            TRANSITIONS
                .iter()
                .any(|(_, a, tp, _)| *a == action && tp == p)
        })
        .collect()
}

fn wrong_party_message(action: Action, party: Party) -> String {
    let entitled: Vec<&str> = entitled_parties(action)
        .into_iter()
        .map(Party::as_str)
        .collect();
    format!(
        "only the {} may {}, not the {}",
        entitled.join(" or "),
        action.as_str(),
        party.as_str()
    )
}

fn not_allowed_message(from: Status, action: Action) -> String {
    let allowed: Vec<String> = TRANSITIONS
        .iter()
        .filter(|(f, _, _, _)| *f == from)
        .map(|(_, a, p, _)| format!("{} ({})", a.as_str(), p.as_str()))
        .collect();
    if allowed.is_empty() {
        format!(
            "cannot {} an application that is {}: no further actions are allowed",
            action.as_str(),
            from.as_str()
        )
    } else {
        format!(
            "cannot {} an application that is {}; allowed actions: {}",
            action.as_str(),
            from.as_str(),
            allowed.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for status in Status::ALL {
            assert_eq!(Status::parse(status.as_str()), Some(status));
        }
        for action in Action::ALL {
            assert_eq!(Action::parse(action.as_str()), Some(action));
        }
        for party in Party::ALL {
            assert_eq!(Party::parse(party.as_str()), Some(party));
        }
        assert_eq!(Status::parse("Draft"), None);
        assert_eq!(Action::parse("approved"), None);
    }

    #[test]
    fn terminal_statuses_have_no_way_out() {
        for status in Status::ALL {
            let has_exit = TRANSITIONS.iter().any(|(from, ..)| *from == status);
            assert_eq!(status.is_terminal(), !has_exit, "{status:?}");
        }
    }

    #[test]
    fn wrong_party_is_told_who_may_act() {
        let error =
            transition(Status::Submitted, Action::StartReview, Party::Applicant).unwrap_err();
        assert_eq!(
            error,
            TransitionError::WrongParty {
                action: Action::StartReview,
                party: Party::Applicant
            }
        );
        assert_eq!(
            error.to_string(),
            "only the officer may start_review, not the applicant"
        );
    }

    #[test]
    fn not_allowed_lists_the_allowed_actions() {
        let error = transition(Status::Draft, Action::Approve, Party::Officer).unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot approve an application that is draft; allowed actions: submit (applicant), withdraw (applicant)"
        );
        let error = transition(Status::Approved, Action::Withdraw, Party::Applicant).unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot withdraw an application that is approved: no further actions are allowed"
        );
    }
}

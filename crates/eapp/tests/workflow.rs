//! Walks every status × action × party combination against the rules as
//! the business states them, written out here independently of the table.

use std::collections::{BTreeSet, HashSet};

use eapp::{Action, Party, Status, TRANSITIONS, TransitionError, allowed_actions, transition};

use Action::*;
use Party::*;
use Status::*;

/// The workflow rules, restated from the specification.
#[rustfmt::skip]
const EXPECTED: &[(Status, Action, Party, Status)] = &[
    (Draft, Submit, Applicant, Submitted),
    (Submitted, StartReview, Officer, UnderReview),
    (UnderReview, RequestInfo, Officer, InfoRequested),
    (InfoRequested, Respond, Applicant, UnderReview),
    (UnderReview, Approve, Officer, Approved),
    (UnderReview, Reject, Officer, Rejected),
    (Draft, Withdraw, Applicant, Withdrawn),
    (Submitted, Withdraw, Applicant, Withdrawn),
    (UnderReview, Withdraw, Applicant, Withdrawn),
    (InfoRequested, Withdraw, Applicant, Withdrawn),
];

fn expected_target(from: Status, action: Action, party: Party) -> Option<Status> {
    EXPECTED
        .iter()
        .find(|(f, a, p, _)| (*f, *a, *p) == (from, action, party))
        .map(|(_, _, _, to)| *to)
}

#[test]
fn the_table_holds_exactly_the_specified_rules() {
    let key = |rows: &[(Status, Action, Party, Status)]| -> BTreeSet<String> {
        rows.iter().map(|row| format!("{row:?}")).collect()
    };
    assert_eq!(TRANSITIONS.len(), EXPECTED.len(), "no duplicates");
    assert_eq!(key(TRANSITIONS), key(EXPECTED));
}

#[test]
fn every_combination_is_allowed_exactly_when_listed() {
    let mut allowed = 0;
    let mut refused = 0;
    for from in Status::ALL {
        for action in Action::ALL {
            for party in Party::ALL {
                let result = transition(from, action, party);
                match expected_target(from, action, party) {
                    Some(to) => {
                        assert_eq!(result, Ok(to), "{from:?} {action:?} {party:?}");
                        allowed += 1;
                    }
                    None => {
                        let other_party_may = Party::ALL
                            .into_iter()
                            .any(|p| expected_target(from, action, p).is_some());
                        let expected = if other_party_may {
                            TransitionError::WrongParty { action, party }
                        } else {
                            TransitionError::NotAllowed { from, action }
                        };
                        assert_eq!(result, Err(expected), "{from:?} {action:?} {party:?}");
                        refused += 1;
                    }
                }
            }
        }
    }
    assert_eq!((allowed, refused), (10, 7 * 7 * 2 - 10));
}

#[test]
fn allowed_actions_match_the_rules_for_each_party() {
    for from in Status::ALL {
        for party in Party::ALL {
            let listed: HashSet<Action> = allowed_actions(from, party).into_iter().collect();
            let expected: HashSet<Action> = Action::ALL
                .into_iter()
                .filter(|a| expected_target(from, *a, party).is_some())
                .collect();
            assert_eq!(listed, expected, "{from:?} {party:?}");
        }
    }
    assert!(allowed_actions(Draft, Officer).is_empty());
    assert_eq!(
        allowed_actions(UnderReview, Officer),
        vec![RequestInfo, Approve, Reject]
    );
}

#[test]
fn refusals_say_what_is_allowed() {
    let message = transition(Submitted, Approve, Officer)
        .unwrap_err()
        .to_string();
    assert!(message.contains("start_review (officer)"), "{message}");
    assert!(message.contains("withdraw (applicant)"), "{message}");
    for terminal in [Approved, Rejected, Withdrawn] {
        assert!(terminal.is_terminal());
        let message = transition(terminal, Withdraw, Applicant)
            .unwrap_err()
            .to_string();
        assert!(message.contains("no further actions"), "{message}");
    }
    let message = transition(Draft, Submit, Officer).unwrap_err().to_string();
    assert_eq!(message, "only the applicant may submit, not the officer");
}

#[test]
fn a_ruling_with_one_round_of_questions() {
    let steps = [
        (Submit, Applicant, Submitted),
        (StartReview, Officer, UnderReview),
        (RequestInfo, Officer, InfoRequested),
        (Respond, Applicant, UnderReview),
        (Approve, Officer, Approved),
    ];
    let mut status = Draft;
    for (action, party, expected) in steps {
        status = transition(status, action, party).unwrap();
        assert_eq!(status, expected);
    }
    assert!(allowed_actions(status, Applicant).is_empty());
    assert!(allowed_actions(status, Officer).is_empty());
}

//! The transition table walked exhaustively, plus decision rules.

use aeo::workflow::{
    Action, Decision, DecisionError, Grant, Party, Status, TransitionError, allowed_actions,
    check_decision, may_reapply, transition,
};
use time::macros::date;

use Action as A;
use Party::{Applicant, Officer};
use Status as S;

/// The specification, written out independently of the crate's table.
const EXPECTED: &[(Status, Action, Party, Status)] = &[
    (S::Submitted, A::Accept, Officer, S::Accepted),
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
    (S::Submitted, A::Withdraw, Applicant, S::Withdrawn),
    (S::Accepted, A::Withdraw, Applicant, S::Withdrawn),
    (S::DocumentReview, A::Withdraw, Applicant, S::Withdrawn),
    (S::OnSiteValidation, A::Withdraw, Applicant, S::Withdrawn),
];

fn expected_to(from: Status, action: Action, party: Party) -> Option<Status> {
    EXPECTED
        .iter()
        .find(|row| row.0 == from && row.1 == action && row.2 == party)
        .map(|row| row.3)
}

fn expected_allowed(from: Status, party: Party) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|action| expected_to(from, *action, party).is_some())
        .collect()
}

#[test]
fn every_status_action_party_combination_matches_the_specification() {
    let mut allowed = 0;
    for from in Status::ALL {
        for action in Action::ALL {
            for party in Party::ALL {
                let result = transition(from, action, party);
                match expected_to(from, action, party) {
                    Some(to) => {
                        allowed += 1;
                        assert_eq!(result, Ok(to), "{from} {action} by {party}");
                    }
                    None => {
                        let other = Party::ALL.into_iter().find(|p| *p != party).unwrap();
                        let expected = if expected_to(from, action, other).is_some() {
                            TransitionError::WrongParty {
                                from,
                                action,
                                party,
                                required: other,
                            }
                        } else {
                            TransitionError::NotAllowed {
                                from,
                                action,
                                party,
                                allowed: expected_allowed(from, party),
                            }
                        };
                        assert_eq!(result, Err(expected), "{from} {action} by {party}");
                    }
                }
            }
        }
    }
    assert_eq!(allowed, EXPECTED.len());
}

#[test]
fn allowed_actions_match_the_specification() {
    for from in Status::ALL {
        for party in Party::ALL {
            let mut actual = allowed_actions(from, party);
            actual.sort();
            assert_eq!(actual, expected_allowed(from, party), "{from} {party}");
        }
    }
}

#[test]
fn terminal_statuses_have_no_way_out_and_the_others_do() {
    for from in Status::ALL {
        let exits = Party::ALL
            .into_iter()
            .map(|party| allowed_actions(from, party).len())
            .sum::<usize>();
        assert_eq!(from.is_terminal(), exits == 0, "{from}");
    }
    let terminal: Vec<_> = Status::ALL
        .into_iter()
        .filter(|s| s.is_terminal())
        .collect();
    assert_eq!(terminal, [S::Refused, S::Revoked, S::Withdrawn]);
}

#[test]
fn error_messages_name_the_allowed_actions_or_the_required_party() {
    let not_allowed = transition(S::Submitted, A::Certify, Officer).unwrap_err();
    assert_eq!(
        not_allowed.to_string(),
        "cannot certify an application that is submitted; the officer may: accept, refuse"
    );
    let terminal = transition(S::Revoked, A::Reinstate, Officer).unwrap_err();
    assert!(terminal.to_string().ends_with("may: nothing"), "{terminal}");
    let wrong_party = transition(S::Accepted, A::Withdraw, Officer).unwrap_err();
    assert_eq!(
        wrong_party.to_string(),
        "only the applicant may withdraw an application that is accepted"
    );
}

#[test]
fn names_round_trip_and_reject_unknown_text() {
    for status in Status::ALL {
        assert_eq!(Status::parse(status.as_str()), Some(status));
        assert!(!status.label().is_empty());
    }
    for action in Action::ALL {
        assert_eq!(Action::parse(action.as_str()), Some(action));
    }
    for grant in Grant::ALL {
        assert_eq!(Grant::parse(grant.as_str()), Some(grant));
    }
    assert_eq!(Status::parse("Certified"), None);
    assert_eq!(Action::parse("approve"), None);
}

fn decision(grant: Option<Grant>, reasons: &str) -> Decision {
    Decision {
        grant,
        reasons: reasons.to_owned(),
    }
}

#[test]
fn certifying_needs_a_grant() {
    assert_eq!(
        check_decision(A::Certify, &decision(None, "all criteria met")),
        Err(DecisionError::GrantRequired)
    );
    assert_eq!(
        check_decision(A::Certify, &decision(Some(Grant::AeoS), "")),
        Ok(())
    );
}

#[test]
fn adverse_decisions_need_reasons_of_ten_characters() {
    for action in [A::Refuse, A::Suspend, A::Revoke] {
        assert_eq!(
            check_decision(action, &decision(None, "   too short   ")),
            Err(DecisionError::ReasonsTooShort { action })
        );
        assert_eq!(
            check_decision(action, &decision(None, "0123456789")),
            Ok(())
        );
    }
    // Ten characters, counted as characters rather than bytes.
    assert_eq!(
        check_decision(A::Revoke, &decision(None, "未繳納關稅及營業稅多次")),
        Ok(())
    );
    assert_eq!(check_decision(A::Accept, &Decision::default()), Ok(()));
}

#[test]
fn grant_coverage() {
    assert!(Grant::Both.covers_security() && Grant::Both.covers_customs());
    assert!(Grant::AeoS.covers_security() && !Grant::AeoS.covers_customs());
    assert!(!Grant::AeoC.covers_security() && Grant::AeoC.covers_customs());
}

#[test]
fn reapplication_waits_three_years_to_the_day() {
    let refused = date!(2022 - 05 - 10);
    assert!(!may_reapply(refused, date!(2025 - 05 - 09)));
    assert!(may_reapply(refused, date!(2025 - 05 - 10)));
    assert!(!may_reapply(refused, refused));
    // A leap-day decision is anniversaried on 1 March.
    assert!(!may_reapply(date!(2024 - 02 - 29), date!(2027 - 02 - 28)));
    assert!(may_reapply(date!(2024 - 02 - 29), date!(2027 - 03 - 01)));
}

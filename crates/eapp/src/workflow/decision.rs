//! What officers record with a decision, and the checks on it.

use serde::{Deserialize, Serialize};

use super::Action;
use crate::form::FieldError;
use crate::issue::Issue;
use crate::kind::ApplicationKind;
use crate::values;

/// Shortest text accepted as reasons for a rejection or a request for
/// information: enough to rule out "no" or "see file".
const MIN_REASON_CHARS: usize = 10;

/// What an officer records with a decision or a request for information.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Decision {
    /// The tariff code an advance ruling binds; only for approving rulings.
    pub code: Option<String>,
    /// Reasons for a rejection, or the message of a request for information.
    pub reasons: String,
}

/// Checks that `decision` carries what `action` on a `kind` application
/// needs. Errors name the `code` or `reasons` field.
pub fn check_decision(
    kind: ApplicationKind,
    action: Action,
    decision: &Decision,
    code_exists: &dyn Fn(&str) -> bool,
) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    let code = decision
        .code
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let binds_a_code = action == Action::Approve && kind == ApplicationKind::AdvanceRuling;

    match code {
        None if binds_a_code => errors.push(FieldError::new("code", Issue::RulingNeedsCode)),
        Some(code) if binds_a_code => {
            if let Err(issue) = values::hs_code(code, code_exists) {
                errors.push(FieldError::new("code", issue));
            }
        }
        // A stray code would be stored and shown as if it were binding.
        Some(_) => errors.push(FieldError::new("code", Issue::CodeOnlyForRulings)),
        None => {}
    }

    let needs_reasons = matches!(action, Action::Reject | Action::RequestInfo);
    let reasons_chars = decision.reasons.trim().chars().count();
    if needs_reasons && reasons_chars < MIN_REASON_CHARS {
        errors.push(FieldError::new(
            "reasons",
            Issue::ReasonsTooShort {
                action,
                min: MIN_REASON_CHARS,
                got: reasons_chars,
            },
        ));
    }

    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exists(code: &str) -> bool {
        code == "081340"
    }

    fn decision(code: Option<&str>, reasons: &str) -> Decision {
        Decision {
            code: code.map(str::to_string),
            reasons: reasons.to_string(),
        }
    }

    #[test]
    fn approving_a_ruling_needs_an_existing_code() {
        let kind = ApplicationKind::AdvanceRuling;
        assert_eq!(
            check_decision(
                kind,
                Action::Approve,
                &decision(Some("0813.40"), ""),
                &exists
            ),
            Ok(())
        );
        for code in [None, Some(""), Some("0813"), Some("999999")] {
            let errors =
                check_decision(kind, Action::Approve, &decision(code, ""), &exists).unwrap_err();
            assert_eq!(errors.len(), 1, "{code:?}");
            assert_eq!(errors[0].field, "code");
        }
    }

    #[test]
    fn codes_belong_only_to_ruling_approvals() {
        let approve_refund = check_decision(
            ApplicationKind::DutyRefund,
            Action::Approve,
            &decision(Some("081340"), ""),
            &exists,
        );
        assert_eq!(approve_refund.unwrap_err()[0].field, "code");
        assert_eq!(
            check_decision(
                ApplicationKind::DutyRefund,
                Action::Approve,
                &decision(None, ""),
                &exists
            ),
            Ok(())
        );
        let reject_ruling = check_decision(
            ApplicationKind::AdvanceRuling,
            Action::Reject,
            &decision(Some("081340"), "Goods not described well enough"),
            &exists,
        );
        assert_eq!(reject_ruling.unwrap_err()[0].field, "code");
    }

    #[test]
    fn rejections_and_requests_need_reasons() {
        for action in [Action::Reject, Action::RequestInfo] {
            for kind in ApplicationKind::ALL {
                let enough = check_decision(kind, action, &decision(None, " needs more "), &exists);
                assert!(enough.is_ok(), "10 characters after trimming are enough");
                let errors = check_decision(kind, action, &decision(None, " see file "), &exists)
                    .unwrap_err();
                assert_eq!(errors[0].field, "reasons");
                assert!(
                    errors[0].message.contains("(got 8)"),
                    "{}",
                    errors[0].message
                );
            }
        }
    }

    #[test]
    fn other_actions_need_nothing() {
        for action in [
            Action::Submit,
            Action::StartReview,
            Action::Respond,
            Action::Withdraw,
        ] {
            assert_eq!(
                check_decision(
                    ApplicationKind::DutyRefund,
                    action,
                    &Decision::default(),
                    &exists
                ),
                Ok(())
            );
        }
    }
}

//! What can be wrong with one field, as data: the kind of problem and its
//! parameters, with no language in it.
//!
//! `Display` is the plain-English phrase that follows the field's name
//! ("is required", "must be one of: …"), as the JSON API and the CLI show
//! it; a user interface in another language words each kind itself.

use crate::kind::ApplicationKind;
use crate::workflow::Action;

/// One problem with one field's value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
pub enum Issue {
    /// Submission needs the field and it is empty.
    #[error("is required")]
    Required,
    /// Approving an advance ruling without the code it binds.
    #[error("is required: an advance ruling must state the tariff code it binds")]
    RulingNeedsCode,
    /// A code given with a decision that binds none.
    #[error("is only given when approving an advance ruling")]
    CodeOnlyForRulings,
    /// A field the kind's schema does not have.
    #[error(
        "is not a field of a {} application; its fields are: {}",
        kind.as_str(),
        known.join(", ")
    )]
    NotAField {
        kind: ApplicationKind,
        known: Vec<&'static str>,
    },
    #[error("must be a 6-digit HS code such as 0813.40 or 081340")]
    HsCodeShape,
    #[error("HS code {code} is not in the tariff")]
    HsCodeNotInTariff { code: String },
    /// Control characters in multi-line text.
    #[error("must not contain control characters")]
    ControlCharacters,
    /// Line breaks or control characters in one-line text.
    #[error("must be a single line without control characters")]
    NotOneLine,
    #[error("must be at most {max} characters (got {got})")]
    TooLong { max: usize, got: usize },
    /// Customs declaration numbers are 14 letters or digits.
    #[error("must be exactly 14 letters or digits (got {got} characters)")]
    DeclarationNumber { got: usize },
    #[error("must be greater than zero")]
    NotPositive,
    #[error("must be an amount such as 12,500 or 12500.50")]
    AmountShape,
    #[error("must have at most 2 decimal places")]
    TooManyDecimals,
    #[error("must be at most {max} digits before the decimal point")]
    TooManyDigits { max: usize },
    #[error("must be a date written yyyy-mm-dd, e.g. 2026-03-31")]
    DateShape,
    #[error("{raw} is not a real calendar date")]
    NotACalendarDate { raw: String },
    #[error("must be a two-letter ISO 3166-1 country code such as TW or JP")]
    CountryShape,
    #[error("{code} is not an assigned ISO 3166-1 country code")]
    UnknownCountry { code: String },
    #[error("must be a whole number between {min} and {max}")]
    NotInRange { min: i64, max: i64 },
    /// A value outside a choice's allowed values (listed).
    #[error("must be one of: {}", values.join(", "))]
    NotAChoice { values: Vec<&'static str> },
    /// Reasons for a rejection or a request for information that are too
    /// short; `action` is the step they go with.
    #[error(
        "must {} in at least {min} characters (got {got})",
        reasons_purpose(*action)
    )]
    ReasonsTooShort {
        action: Action,
        min: usize,
        got: usize,
    },
}

fn reasons_purpose(action: Action) -> &'static str {
    match action {
        Action::RequestInfo => "say what information is needed",
        _ => "explain the rejection",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_the_english_phrase() {
        assert_eq!(Issue::Required.to_string(), "is required");
        assert_eq!(
            Issue::NotAChoice {
                values: vec!["a", "b"]
            }
            .to_string(),
            "must be one of: a, b"
        );
        assert_eq!(
            Issue::ReasonsTooShort {
                action: Action::RequestInfo,
                min: 10,
                got: 3
            }
            .to_string(),
            "must say what information is needed in at least 10 characters (got 3)"
        );
    }
}

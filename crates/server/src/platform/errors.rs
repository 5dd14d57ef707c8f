//! Storage and rule errors as problems: the client learns what to fix, never our internals.

use axum::http::StatusCode;
use store::StoreError;

use super::i18n::Lang;
use super::i18n::problems::{Detail, Sentence};
use crate::Problem;
use crate::problem::{FieldProblem, Say};

impl From<StoreError> for Problem {
    fn from(e: StoreError) -> Problem {
        match e {
            StoreError::NotFound => {
                Problem::not_found(Detail::NoSuchRecord.say(Lang::En)).saying(Detail::NoSuchRecord)
            }
            StoreError::Stale { current } => {
                let detail = Detail::Stale(current);
                Problem::new(StatusCode::CONFLICT, detail.say(Lang::En)).saying(detail)
            }
            StoreError::Conflict(why) => {
                Problem::new(StatusCode::CONFLICT, why.to_string()).saying(Sentence(why))
            }
            StoreError::Duplicate(what) => {
                Problem::new(StatusCode::CONFLICT, what.say(Lang::En)).saying(what)
            }
            other => {
                tracing::error!(error = %other, "storage failed");
                let detail = Detail::NotStored;
                Problem::new(StatusCode::INTERNAL_SERVER_ERROR, detail.say(Lang::En)).saying(detail)
            }
        }
    }
}

/// A rejected form or decision: the detail, and each field's problem kept as data too, so
/// pages can word it in the reader's language.
pub(crate) fn unprocessable(detail: Detail, errors: Vec<eapp::FieldError>) -> Problem {
    Problem::new(StatusCode::UNPROCESSABLE_ENTITY, detail.say(Lang::En))
        .saying(detail)
        .with_errors(
            errors
                .into_iter()
                .map(|e| FieldProblem::new(e.field, e.message).saying(e.issue))
                .collect(),
        )
}

pub fn conflict(detail: impl Into<String>) -> Problem {
    Problem::new(StatusCode::CONFLICT, detail)
}

pub fn forbidden(detail: impl Into<String>) -> Problem {
    Problem::new(StatusCode::FORBIDDEN, detail)
}

//! Storage and rule errors as problems: the client learns what to fix, never our internals.

use axum::http::StatusCode;
use store::StoreError;

use crate::Problem;
use crate::problem::FieldProblem;

impl From<StoreError> for Problem {
    fn from(e: StoreError) -> Problem {
        match e {
            StoreError::NotFound => Problem::not_found("No such record."),
            StoreError::Stale { current } => Problem::new(
                StatusCode::CONFLICT,
                format!(
                    "The record changed since you read it; it is now at version {current}. Reload and try again."
                ),
            ),
            StoreError::Conflict(why) => Problem::new(StatusCode::CONFLICT, why),
            StoreError::Duplicate(what) => {
                Problem::new(StatusCode::CONFLICT, format!("{what} already exists."))
            }
            other => {
                tracing::error!(error = %other, "storage failed");
                Problem::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "The request could not be stored; nothing was changed.",
                )
            }
        }
    }
}

pub fn unprocessable(detail: impl Into<String>, errors: Vec<eapp::FieldError>) -> Problem {
    Problem::new(StatusCode::UNPROCESSABLE_ENTITY, detail).with_errors(
        errors
            .into_iter()
            .map(|e| FieldProblem {
                field: e.field,
                message: e.message,
                line: None,
            })
            .collect(),
    )
}

pub fn conflict(detail: impl Into<String>) -> Problem {
    Problem::new(StatusCode::CONFLICT, detail)
}

pub fn forbidden(detail: impl Into<String>) -> Problem {
    Problem::new(StatusCode::FORBIDDEN, detail)
}

//! Explicit size and time limits, and the layers that enforce them.

use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::AppState;
use crate::problem::{Problem, problem_for_bare_errors};

/// Longest search text accepted (bytes); longer gets 414.
pub const MAX_QUERY_BYTES: usize = 512;
/// Longest request target accepted (path and query, bytes); longer gets 414.
pub const MAX_URI_BYTES: usize = 8192;
/// Largest request body accepted; larger gets 413. Attachment uploads alone may send up to
/// `MAX_UPLOAD_BYTES`.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
pub const MAX_UPLOAD_BYTES: usize = 10 * 1024 * 1024;
/// Largest labelled data set file accepted (CSV or JSON Lines); larger gets 413, as do more
/// than `platform::MAX_ROWS` rows.
pub const MAX_DATASET_BYTES: usize = MAX_UPLOAD_BYTES;
/// Most results one request may ask for.
pub const MAX_RESULTS: usize = 100;
pub const DEFAULT_RESULTS: usize = 10;
/// Longest goods description accepted, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 2000;
/// Longest description a guided dialogue starts from: the session token carries it in the
/// URL, which must stay under `MAX_URI_BYTES`.
pub const MAX_GUIDE_DESCRIPTION_CHARS: usize = 1000;
/// Longest free-text answer in a guided dialogue.
pub const MAX_ANSWER_TEXT_CHARS: usize = 300;
/// Most answers one guided dialogue carries.
pub const MAX_GUIDE_ANSWERS: usize = 16;
/// Most declaration lines one check request may carry.
pub const MAX_CHECK_LINES: usize = 1000;
/// A request still running after this gets 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Wraps every route. The last layer added is the outermost: tracing sees everything, the
/// problem layer rewrites errors from all the layers inside it, metrics count rejections too.
pub(crate) fn apply(app: Router<AppState>, state: AppState) -> Router<AppState> {
    app.layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(RequestBodyLimitLayer::new(MAX_UPLOAD_BYTES + 64 * 1024))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(middleware::from_fn(reject_long_uris))
        .layer(middleware::from_fn_with_state(
            state,
            crate::metrics::record,
        ))
        .layer(middleware::from_fn(problem_for_bare_errors))
        .layer(middleware::from_fn(
            crate::web::problem_page::problems_as_pages,
        ))
        .layer(TraceLayer::new_for_http())
}

/// Rejects query strings whose percent-escapes do not decode to UTF-8, before any extractor
/// would silently replace the bytes.
pub(crate) fn check_query_utf8(uri: &axum::http::Uri) -> Result<(), Problem> {
    let raw = uri.query().unwrap_or("");
    for part in raw.split('&') {
        let plus_as_space = part.replace('+', " ");
        if percent_encoding::percent_decode_str(&plus_as_space)
            .decode_utf8()
            .is_err()
        {
            return Err(Problem::bad_request(
                "The query string is not valid UTF-8 after percent-decoding.",
            ));
        }
    }
    Ok(())
}

async fn reject_long_uris(req: Request, next: Next) -> Response {
    let len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if len > MAX_URI_BYTES {
        return Problem::new(
            StatusCode::URI_TOO_LONG,
            format!("The request target is {len} bytes; the limit is {MAX_URI_BYTES}."),
        )
        .into_response();
    }
    next.run(req).await
}

//! RFC 9457 problem details: every API error is `application/problem+json`.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{extract::Request, middleware::Next};

use crate::web::Lang;

pub const CONTENT_TYPE: &str = "application/problem+json";

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem; `about:blank` when the status says it all.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Per-field errors of a rejected form (422), each naming the field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
    /// `detail` as data, for pages to word in the reader's language; never serialised.
    #[serde(skip)]
    pub said: Option<Said>,
}

/// Something a page words in the reader's language: a domain problem kept as data, or one
/// of the server's own details. The English wording is always the `detail` or `message`
/// beside it, which is what the JSON API shows.
pub trait Say: std::fmt::Debug + Send + Sync {
    fn say(&self, lang: Lang) -> String;
}

/// A shared [`Say`], so problems stay `Clone`.
pub type Said = std::sync::Arc<dyn Say>;

/// Wraps a [`Say`] for a [`Problem`] or [`FieldProblem`].
pub fn said(what: impl Say + 'static) -> Option<Said> {
    Some(std::sync::Arc::new(what))
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
    /// The file line (1-based, header included) when the problem is in an uploaded file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// `message` as data, for pages to word in the reader's language; never serialised.
    #[serde(skip)]
    pub said: Option<Said>,
}

impl FieldProblem {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> FieldProblem {
        FieldProblem {
            field: field.into(),
            message: message.into(),
            line: None,
            said: None,
        }
    }

    pub fn at_line(mut self, line: usize) -> FieldProblem {
        self.line = Some(line);
        self
    }

    /// The same message as data (see [`Say`]).
    pub fn saying(mut self, what: impl Say + 'static) -> FieldProblem {
        self.said = said(what);
        self
    }
}

impl Problem {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Problem {
        Problem {
            kind: "about:blank".into(),
            title: status.canonical_reason().unwrap_or("Error").into(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
            said: None,
        }
    }

    /// The detail as data (see [`Say`]).
    pub fn saying(mut self, what: impl Say + 'static) -> Problem {
        self.said = said(what);
        self
    }

    pub fn with_errors(mut self, errors: Vec<FieldProblem>) -> Problem {
        self.errors = errors;
        self
    }

    pub fn bad_request(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST, detail)
    }

    pub fn not_found(detail: impl Into<String>) -> Problem {
        Problem::new(StatusCode::NOT_FOUND, detail)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&self).expect("a problem serialises");
        let mut res = (status, body).into_response();
        res.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
        // For `web::problem_page`, which words it on a page for a browser.
        res.extensions_mut().insert(std::sync::Arc::new(self));
        res
    }
}

fn is_problem_or_page(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with(CONTENT_TYPE) || ct.starts_with("text/html"))
}

/// Errors raised below the handlers (405 from the router, 413 from the body limit, 408 from
/// the timeout, extractor rejections) come out as plain text; turn them into problems too.
pub async fn problem_for_bare_errors(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) || is_problem_or_page(&res) {
        return res;
    }
    let (parts, body) = res.into_parts();
    let detail = match axum::body::to_bytes(body, 4096).await {
        Ok(bytes) if !bytes.is_empty() => String::from_utf8_lossy(&bytes).into_owned(),
        _ => status.canonical_reason().unwrap_or("Error").to_string(),
    };
    let said = crate::web::problem_page::Bare {
        status: status.as_u16(),
        text: detail.clone(),
    };
    let mut problem = Problem::new(status, detail).saying(said).into_response();
    // Keep headers such as Allow (405) and Retry-After.
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            problem.headers_mut().insert(name.clone(), value.clone());
        }
    }
    problem
}

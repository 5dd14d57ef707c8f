//! A problem a browser meets on a page's address (a version that does not exist, a refused
//! action) becomes a page in the reader's language instead of an English problem+json body.
//! API paths, and clients that do not ask for HTML, keep the problem+json.

use std::sync::Arc;

use axum::extract::{FromRequestParts, Request};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use maud::html;

use super::Lang;
use super::layout::{PageCtx, page};
use crate::platform::i18n::problems::detail_text;
use crate::problem::{Problem, Say};

/// An error raised below the handlers (the router, a body limit, the timeout, an extractor
/// that could not read a form): its status and the library's plain text.
#[derive(Debug, Clone)]
pub struct Bare {
    pub status: u16,
    pub text: String,
}

impl Say for Bare {
    fn say(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.text.clone();
        }
        match self.status {
            404 => "找不到此網址。".into(),
            405 => "此網址不接受這種請求方式。".into(),
            408 => "請求處理逾時，請稍後再試。".into(),
            413 => "送出的內容過大。".into(),
            400 | 415 | 422 => format!("無法讀取送出的內容（{}）。", self.text),
            _ => format!("無法處理此請求（{}）。", self.text),
        }
    }
}

/// Whether the client asked for HTML, as browsers do when following a link or a form.
fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

/// The page's heading for a problem's status.
fn heading(lang: Lang, status: StatusCode) -> String {
    let zh = match status.as_u16() {
        400 => "請求有誤",
        401 => "請先登入",
        403 => "無權限",
        404 => "找不到",
        409 => "與目前狀態不符",
        410 => "已失效",
        413 => "內容過大",
        422 => "內容有誤",
        429 => "請求過於頻繁",
        _ if status.is_server_error() => "系統發生錯誤",
        _ => "無法處理此請求",
    };
    match lang {
        Lang::ZhTw => zh.to_string(),
        Lang::En => status.canonical_reason().unwrap_or("Error").to_string(),
    }
}

pub async fn problems_as_pages(req: Request, next: Next) -> Response {
    if req.uri().path().starts_with("/api/") || !wants_html(req.headers()) {
        return next.run(req).await;
    }
    let (mut parts, body) = req.into_parts();
    let Ok(ctx) = PageCtx::from_request_parts(&mut parts, &()).await;
    let res = next.run(Request::from_parts(parts, body)).await;
    let Some(problem) = res.extensions().get::<Arc<Problem>>().cloned() else {
        return res;
    };
    let status = res.status();
    let title = heading(ctx.lang, status);
    let mut out = page(
        &ctx,
        status,
        &title,
        html! {
            h1 { (title) }
            p.alert role="alert" { (detail_text(ctx.lang, &problem)) }
        },
    );
    // Keep headers such as Allow (405) and Retry-After (429).
    for (name, value) in res.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            out.headers_mut().insert(name.clone(), value.clone());
        }
    }
    out
}

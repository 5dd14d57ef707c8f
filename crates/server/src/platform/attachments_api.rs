//! Attachments of an application: uploads checked by type, content and size, stored once
//! per checksum; downloads that never let a browser sniff the type.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use eapp::Status;
use serde::Deserialize;
use store::attachments::NewAttachment;

use super::applications_api::{MAX_ATTACHMENTS, load, stored_status};
use super::errors::conflict;
use super::i18n::problems::{UploadSaid, detail_text};
use super::i18n::{Lang, eapp as words};
use super::platform;
use crate::problem::Say;
use crate::web::layout::PageCtx;
use crate::{AppState, Problem};

fn refused(status: StatusCode, said: UploadSaid) -> Problem {
    Problem::new(status, said.say(Lang::En)).saying(said)
}

#[derive(Deserialize)]
pub(crate) struct UploadQuery {
    filename: String,
    #[serde(default)]
    confidential: bool,
}

/// The media types accepted, each with the leading bytes its files must start with.
const MEDIA_TYPES: &[(&str, &[u8])] = &[
    ("application/pdf", b"%PDF-"),
    ("image/png", b"\x89PNG\r\n\x1a\n"),
    ("image/jpeg", b"\xff\xd8\xff"),
    ("text/plain", b""),
    ("text/csv", b""),
];

/// Checks an uploaded file: an accepted type whose content starts as that type does, and a
/// plain file name. Returns the media type and the trimmed name.
pub(crate) fn checked_file(
    headers: &HeaderMap,
    filename: &str,
    body: &[u8],
) -> Result<(String, String), Problem> {
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    let Some((_, magic)) = MEDIA_TYPES.iter().find(|(t, _)| *t == media_type) else {
        let known = MEDIA_TYPES.iter().map(|(t, _)| *t).collect();
        return Err(refused(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            UploadSaid::MediaType(media_type, known),
        ));
    };
    let text = media_type.starts_with("text/");
    if body.is_empty() || !body.starts_with(magic) || (text && std::str::from_utf8(body).is_err()) {
        return Err(refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            UploadSaid::Content(media_type),
        ));
    }
    let filename = filename.trim();
    let name_ok = !filename.is_empty()
        && filename.chars().count() <= 200
        && !filename.contains(['/', '\\', '\0'])
        && !filename.chars().any(char::is_control);
    if !name_ok {
        return Err(refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            UploadSaid::FileName,
        ));
    }
    Ok((media_type, filename.to_string()))
}

/// Sends stored bytes as a download the browser will not sniff or render inline.
pub(crate) fn download_response(meta: &store::attachments::Attachment, bytes: Vec<u8>) -> Response {
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&meta.media_type).expect("stored media types are ASCII"),
    );
    let ascii_name: String = meta
        .filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"{ascii_name}\"")).expect("ASCII"),
    );
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::ETAG,
        HeaderValue::from_str(&format!("\"{}\"", meta.sha256)).expect("hex"),
    );
    res
}

pub(crate) async fn upload(
    State(state): State<AppState>,
    caller: super::Caller,
    Path(id): Path<String>,
    Query(q): Query<UploadQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Problem> {
    let (media_type, filename) = checked_file(&headers, &q.filename, &body)?;
    let attachment = attach(
        &state,
        &caller,
        &id,
        &filename,
        &media_type,
        &body,
        q.confidential,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(attachment)).into_response())
}

/// Stores a checked file on a case the caller may change: drafts and cases waiting for
/// more information, at most `MAX_ATTACHMENTS` each.
pub(crate) async fn attach(
    state: &AppState,
    caller: &super::Caller,
    id: &str,
    filename: &str,
    media_type: &str,
    content: &[u8],
    confidential: bool,
) -> Result<store::attachments::Attachment, Problem> {
    let case = load(state, caller, id).await?;
    let status = stored_status(&case)?;
    if !matches!(status, Status::Draft | Status::InfoRequested) {
        let said = UploadSaid::NotNow;
        return Err(conflict(said.say(Lang::En)).saying(said));
    }
    let store = &platform(state).store;
    if store.attachments("application", &case.id).await?.len() >= MAX_ATTACHMENTS {
        let said = UploadSaid::TooMany(MAX_ATTACHMENTS);
        return Err(conflict(said.say(Lang::En)).saying(said));
    }
    let mut tx = store.write().await?;
    let attachment = tx
        .add_attachment(
            &caller.audit_name(),
            NewAttachment {
                owner_kind: "application",
                owner_id: &case.id,
                filename,
                media_type,
                content,
                confidential,
            },
        )
        .await?;
    tx.commit().await?;
    Ok(attachment)
}

/// The case page's upload form (multipart: `file`, `confidential`).
pub(crate) async fn attach_from_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    caller: super::Caller,
    Path(id): Path<String>,
    mut multipart: axum::extract::Multipart,
) -> Response {
    let mut file: Option<(String, HeaderMap, Bytes)> = None;
    let mut confidential = false;
    while let Ok(Some(field)) = multipart.next_field().await {
        match field.name() {
            Some("confidential") => confidential = true,
            Some("file") => {
                let name = field.file_name().unwrap_or("document").to_string();
                let mut headers = HeaderMap::new();
                if let Some(ct) = field
                    .content_type()
                    .and_then(|c| HeaderValue::from_str(c).ok())
                {
                    headers.insert(header::CONTENT_TYPE, ct);
                }
                match field.bytes().await {
                    Ok(bytes) => file = Some((name, headers, bytes)),
                    Err(_) => break,
                }
            }
            _ => {}
        }
    }
    let t = words::t(ctx.lang);
    let message = match file {
        None => t.choose_attachment.to_string(),
        Some((name, headers, bytes)) => {
            let stored = match checked_file(&headers, &name, &bytes) {
                Ok((media_type, filename)) => attach(
                    &state,
                    &caller,
                    &id,
                    &filename,
                    &media_type,
                    &bytes,
                    confidential,
                )
                .await
                .map(|a| (t.attached)(&a.filename)),
                Err(p) => Err(p),
            };
            stored.unwrap_or_else(|p| (t.not_attached)(&detail_text(ctx.lang, &p)))
        }
    };
    super::pages::redirect_with_msg(&format!("/applications/{id}"), &message).into_response()
}

pub(crate) async fn download(
    State(state): State<AppState>,
    caller: super::Caller,
    Path((id, attachment)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let case = load(&state, &caller, &id).await?;
    let (meta, bytes) = platform(&state)
        .store
        .attachment_content(&attachment)
        .await?;
    if meta.owner_kind != "application" || meta.owner_id != case.id {
        return Err(Problem::not_found(
            "No such attachment on this application.",
        ));
    }
    Ok(download_response(&meta, bytes))
}

//! The data sets API: list, register (an upload as the body or a multipart form, or a
//! source by name), versions, a version's card, its rows by split, its leakage report.

use axum::Json;
use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use serde::{Deserialize, Serialize};
use store::datasets::VersionMeta;

use super::datasets::{Input, Outcome, load_card, register, sources};
use super::i18n::Lang;
use super::i18n::data_problems::Registering;
use super::{Caller, platform};
use crate::limits::MAX_DATASET_BYTES;
use crate::problem::{FieldProblem, Say};
use crate::{AppState, Problem};

/// Room for a multipart form's boundaries and fields around the largest file.
const FORM_OVERHEAD: usize = 64 * 1024;

pub fn handler(method: &str, path: &str) -> Option<MethodRouter<AppState>> {
    let upload_limit = axum::extract::DefaultBodyLimit::max(MAX_DATASET_BYTES + FORM_OVERHEAD);
    Some(match (method, path) {
        ("GET", "/api/v1/datasets") => get(list),
        ("POST", "/api/v1/datasets") => post(create).layer(upload_limit),
        ("GET", "/api/v1/datasets/{name}") => get(versions),
        ("GET", "/api/v1/datasets/{name}/versions/{version}") => get(card),
        ("GET", "/api/v1/datasets/{name}/versions/{version}/rows") => get(rows),
        ("GET", "/api/v1/datasets/{name}/versions/{version}/leakage") => get(leakage),
        ("GET", "/datasets") => get(super::datasets_pages::list_page),
        ("POST", "/datasets") => post(super::datasets_pages::upload_submit).layer(upload_limit),
        ("POST", "/datasets/register") => post(super::datasets_pages::register_submit),
        ("GET", "/datasets/{name}") => get(super::datasets_pages::versions_page),
        ("GET", "/datasets/{name}/{version}") => get(super::datasets_pages::card_page),
        _ => return None,
    })
}

#[derive(Serialize)]
struct VersionView {
    name: String,
    version: i64,
    sha256: String,
    source: String,
    filename: Option<String>,
    rows: i64,
    created_at: String,
    created_by: String,
    card: String,
    page: String,
}

fn view(m: VersionMeta) -> VersionView {
    let card = format!("/api/v1/datasets/{}/versions/{}", m.name, m.version);
    let page = format!("/datasets/{}/{}", m.name, m.version);
    VersionView {
        name: m.name,
        version: m.version,
        sha256: m.sha256,
        source: m.source,
        filename: m.filename,
        rows: m.row_count,
        created_at: m.created_at,
        created_by: m.created_by,
        card,
        page,
    }
}

#[derive(Serialize)]
struct DatasetView {
    name: String,
    versions: i64,
    created_at: String,
    created_by: String,
    latest: VersionView,
}

async fn list(State(state): State<AppState>) -> Result<Response, Problem> {
    let datasets: Vec<DatasetView> = platform(&state)
        .store
        .datasets()
        .await?
        .into_iter()
        .map(|d| DatasetView {
            name: d.name,
            versions: d.versions,
            created_at: d.created_at,
            created_by: d.created_by,
            latest: view(d.latest),
        })
        .collect();
    Ok(Json(serde_json::json!({
        "datasets": datasets,
        "sources": sources(&state),
        "max_bytes": MAX_DATASET_BYTES,
        "max_rows": platform::MAX_ROWS,
    }))
    .into_response())
}

#[derive(Deserialize)]
struct NameQuery {
    name: Option<String>,
    filename: Option<String>,
}

#[derive(Deserialize)]
struct SourceRequest {
    name: String,
    source: String,
}

fn missing_name() -> Problem {
    Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "name: give the data set's name (query parameter or form field).",
    )
    .with_errors(vec![FieldProblem {
        field: "name".into(),
        message: "required".into(),
        line: None,
        said: None,
    }])
}

fn too_large() -> Problem {
    let said = Registering::TooLarge {
        mib: MAX_DATASET_BYTES / (1024 * 1024),
        rows: platform::MAX_ROWS,
    };
    Problem::new(StatusCode::PAYLOAD_TOO_LARGE, said.say(Lang::En)).saying(said)
}

/// The multipart form's name and file, the file read within the size limit.
fn bad_multipart(e: &axum::extract::multipart::MultipartError) -> Problem {
    let said = Registering::BadMultipart(e.body_text());
    Problem::bad_request(said.say(Lang::En)).saying(said)
}

pub(crate) async fn form_upload(
    mut multipart: Multipart,
) -> Result<(Option<String>, Option<(Vec<u8>, Option<String>)>), Problem> {
    let (mut name, mut file) = (None, None);
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(e) => return Err(bad_multipart(&e)),
        };
        match field.name() {
            Some("name") => name = field.text().await.ok().map(|t| t.trim().to_string()),
            Some("file") => {
                let filename = field.file_name().map(str::to_string);
                let bytes = field.bytes().await.map_err(|e| {
                    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                        too_large()
                    } else {
                        bad_multipart(&e)
                    }
                })?;
                if bytes.len() > MAX_DATASET_BYTES {
                    return Err(too_large());
                }
                file = Some((bytes.to_vec(), filename));
            }
            _ => {}
        }
    }
    Ok((name.filter(|n| !n.is_empty()), file))
}

/// `POST /api/v1/datasets`: JSON `{"name", "source"}` registers a source; a multipart form
/// (`name`, `file`) or a raw CSV / JSON Lines body (`?name=`) uploads rows.
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<NameQuery>,
    req: Request,
) -> Result<Response, Problem> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let (name, input) = if content_type.starts_with("multipart/form-data") {
        let multipart = Multipart::from_request(req, &state)
            .await
            .map_err(|e| Problem::bad_request(e.body_text()))?;
        let (name, file) = form_upload(multipart).await?;
        let (bytes, filename) = file.ok_or_else(|| {
            Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "file: choose a CSV or JSON Lines file.",
            )
        })?;
        (name.or(q.name), Input::Upload { bytes, filename })
    } else {
        let bytes = axum::body::to_bytes(Body::new(req.into_body()), MAX_DATASET_BYTES)
            .await
            .map_err(|_| too_large())?;
        if content_type.starts_with("application/json") {
            let body: SourceRequest = serde_json::from_slice(&bytes).map_err(|e| {
                Problem::bad_request(format!(
                    "Bad JSON body: {e}. Send {{\"name\", \"source\"}}."
                ))
            })?;
            let source =
                platform::Source::parse(&body.source).map_err(super::datasets::source_problem)?;
            (Some(body.name), Input::Source(source))
        } else {
            let input = Input::Upload {
                bytes: bytes.to_vec(),
                filename: q.filename,
            };
            (q.name, input)
        }
    };
    let name = name.ok_or_else(missing_name)?;
    let outcome = register(&state, &caller, &name, input).await?;
    Ok(registered(outcome))
}

fn registered(outcome: Outcome) -> Response {
    let status = if outcome.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let message = outcome.message();
    let body = serde_json::json!({
        "created": outcome.created,
        "message": message,
        "version": view(outcome.meta),
    });
    (status, Json(body)).into_response()
}

async fn versions(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Response, Problem> {
    let versions = platform(&state).store.dataset_versions(&name).await?;
    if versions.is_empty() {
        return Err(Problem::not_found(format!("No data set {name}.")));
    }
    let versions: Vec<VersionView> = versions.into_iter().map(view).collect();
    Ok(Json(serde_json::json!({ "name": name, "versions": versions })).into_response())
}

async fn card(
    State(state): State<AppState>,
    Path((name, version)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let (meta, card) = load_card(&state, &name, &version).await?;
    let base = format!("/api/v1/datasets/{}/versions/{}", meta.name, meta.version);
    Ok(Json(serde_json::json!({
        "version": view(meta),
        "card": card,
        "rows": {
            "all": format!("{base}/rows"),
            "train": format!("{base}/rows?split=train"),
            "dev": format!("{base}/rows?split=dev"),
            "test": format!("{base}/rows?split=test"),
        },
        "leakage": format!("{base}/leakage"),
    }))
    .into_response())
}

#[derive(Deserialize)]
struct RowsQuery {
    split: Option<String>,
}

/// A version's rows (or one split's) as JSON Lines: `{"id","text","code","source","split"}`.
async fn rows(
    State(state): State<AppState>,
    Path((name, version)): Path<(String, String)>,
    Query(q): Query<RowsQuery>,
) -> Result<Response, Problem> {
    let split = q.split.as_deref().filter(|s| !s.is_empty());
    if let Some(s) = split.filter(|s| !["train", "dev", "test"].contains(s)) {
        return Err(Problem::bad_request(format!(
            "Parameter \"split\" is train, dev or test, got {s:?}."
        ))
        .with_errors(vec![FieldProblem {
            field: "split".into(),
            message: "train, dev or test".into(),
            line: None,
            said: None,
        }]));
    }
    let (meta, _) = load_card(&state, &name, &version).await?;
    let rows = platform(&state)
        .store
        .dataset_rows(&meta.name, meta.version, split)
        .await?;
    let mut body = String::with_capacity(rows.len() * 96);
    for r in &rows {
        body.push_str(&serde_json::to_string(r).expect("rows serialise"));
        body.push('\n');
    }
    let filename = format!(
        "{}-v{}{}.jsonl",
        meta.name,
        meta.version,
        split.map(|s| format!("-{s}")).unwrap_or_default()
    );
    let mut res = (StatusCode::OK, body).into_response();
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-ndjson; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

async fn leakage(
    State(state): State<AppState>,
    Path((name, version)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let (meta, card) = load_card(&state, &name, &version).await?;
    Ok(Json(serde_json::json!({
        "name": meta.name,
        "version": meta.version,
        "method": card.method.similarity,
        "leakage": card.leakage,
    }))
    .into_response())
}

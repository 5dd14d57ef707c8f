//! Release downloads: the files of a version and its signed manifest, served as immutable
//! resources (ETag = sha256, cached for a year, 304 on a matching If-None-Match).

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use opendata::Format;

use super::opendata_api::content_type;
use super::opendata_datasets::{DatasetDef, find};
use super::opendata_releases::require;
use super::platform;
use crate::{AppState, Problem};

/// `v3` → 3, or a 404 that says how versions are written.
fn version_number(def: &DatasetDef, text: &str) -> Result<i64, Problem> {
    text.strip_prefix('v')
        .and_then(|n| n.parse::<i64>().ok())
        .filter(|n| *n >= 1)
        .ok_or_else(|| {
            Problem::not_found(format!(
                "No version {text:?} of {}: versions are written v1, v2, …",
                def.id
            ))
        })
}

/// Headers of an immutable file: it never changes under this URL.
fn immutable(
    mut res: Response,
    media_type: HeaderValue,
    sha256: &str,
    attachment: Option<&str>,
) -> Response {
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, media_type);
    if let Ok(v) = HeaderValue::from_str(&format!("\"{sha256}\"")) {
        h.insert(header::ETAG, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    if let Some(name) = attachment
        && let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
    {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

fn not_modified(headers: &HeaderMap, sha256: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim().trim_start_matches("W/") == format!("\"{sha256}\""))
        })
}

pub(crate) async fn manifest(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, version)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let def = find(&id)?;
    let v = version_number(def, &version)?;
    let r = platform(&state)
        .store
        .release(def.id, v)
        .await?
        .ok_or_else(|| Problem::not_found(format!("{} has no version {v}.", def.id)))?;
    let sha = opendata::sha256_hex(r.manifest.as_bytes());
    let body = if not_modified(&headers, &sha) {
        (StatusCode::NOT_MODIFIED, Vec::new()).into_response()
    } else {
        r.manifest.into_bytes().into_response()
    };
    Ok(immutable(
        body,
        HeaderValue::from_static("application/json"),
        &sha,
        None,
    ))
}

pub(crate) async fn file(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, version, name)): Path<(String, String, String)>,
) -> Result<Response, Problem> {
    let def = find(&id)?;
    let v = version_number(def, &version)?;
    let l = require(&state, def, Some(v)).await?;
    let files = &l.manifest.release.files;
    // The file's own name, or just its format ("csv").
    let listed = files
        .iter()
        .find(|f| f.name == name || Format::from_name(&name) == Some(f.format))
        .ok_or_else(|| {
            let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
            Problem::not_found(format!(
                "Version {v} of {} has no file {name:?}; its files are: {}.",
                def.id,
                names.join(", ")
            ))
        })?;
    if not_modified(&headers, &listed.sha256) {
        let res = (StatusCode::NOT_MODIFIED, Vec::new()).into_response();
        return Ok(immutable(
            res,
            content_type(listed.format),
            &listed.sha256,
            None,
        ));
    }
    let stored = platform(&state)
        .store
        .release_file(def.id, v, &listed.name)
        .await?
        .ok_or_else(|| Problem::not_found(format!("{} is missing.", listed.name)))?;
    Ok(immutable(
        stored.content.into_response(),
        content_type(listed.format),
        &listed.sha256,
        Some(&listed.name),
    ))
}

//! The open data API: the catalogue (JSON and DCAT-AP JSON-LD), each dataset's metadata,
//! versions and changes, the query API over a release, immutable downloads with their signed
//! manifests, and the staff's publish endpoint. Rate limits are the guard's (per address for
//! anonymous callers, per key or user otherwise).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use opendata::{
    CatalogEntry, CatalogInfo, Column, DatasetMeta, Distribution, Format, QualityBadges, Table,
    distributions,
};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json_;

use super::caller::Caller;
use super::i18n::problems::Sentence;
use super::opendata_datasets::{DATASETS, DatasetDef, find, meta, publisher};
use super::opendata_releases::{
    Changes, Loaded, Outcome, changes_of, load, publish, require, row_object,
};
use super::{casework, platform};
use crate::problem::{FieldProblem, said};
use crate::{AppState, Problem};

pub fn handler(method: &str, path: &str) -> Option<MethodRouter<AppState>> {
    Some(match (method, path) {
        ("GET", "/api/v1/opendata") => get(catalog),
        ("GET", "/api/v1/opendata/catalog.jsonld") => get(dcat),
        ("GET", "/api/v1/opendata/{dataset}") => get(dataset),
        ("GET", "/api/v1/opendata/{dataset}/rows") => get(rows),
        ("GET", "/api/v1/opendata/{dataset}/changes") => get(changes),
        ("GET", "/api/v1/opendata/{dataset}/{version}/manifest.json") => {
            get(super::opendata_files::manifest)
        }
        ("GET", "/api/v1/opendata/{dataset}/{version}/{file}") => get(super::opendata_files::file),
        ("POST", "/api/v1/opendata/{dataset}/releases") => post(publish_now),
        ("GET", "/open-data") => get(super::opendata_pages::catalog_page),
        ("GET", "/open-data/{dataset}") => get(super::opendata_pages::dataset_page),
        _ => return None,
    })
}

/// `scheme://host` of the request, for absolute URLs in the catalogue.
pub fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    let scheme = match headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
    {
        Some("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{host}")
}

/// The root the datasets live under, as the catalogue's URLs use it.
pub fn api_base(origin: &str) -> String {
    format!("{origin}/api/v1/opendata")
}

fn catalog_info() -> CatalogInfo {
    CatalogInfo {
        title: "Smart Customs open data".into(),
        description: "Datasets published from the customs platform's own data: the HS nomenclature, the AEO register, advance rulings, vehicle imports and the use of the classification service. Every release is immutable and signed.".into(),
        publisher: publisher(),
        language: "en".into(),
    }
}

#[derive(Serialize)]
pub(crate) struct ReleaseSummary {
    pub version: i64,
    pub published_at: String,
    pub rows: i64,
    pub manifest: String,
    pub distributions: Vec<Distribution>,
}

#[derive(Serialize)]
pub(crate) struct DatasetSummary {
    #[serde(flatten)]
    pub meta: DatasetMeta,
    pub api: String,
    pub latest: Option<ReleaseSummary>,
}

pub(crate) fn release_summary(base: &str, l: &Loaded) -> ReleaseSummary {
    ReleaseSummary {
        version: l.record.version,
        published_at: l.record.published_at.clone(),
        rows: l.record.row_count,
        manifest: format!(
            "{base}/{}/v{}/manifest.json",
            l.record.dataset, l.record.version
        ),
        distributions: distributions(base, &l.manifest.release),
    }
}

/// Every dataset with its latest release (if published), in catalogue order.
pub(crate) async fn entries(
    state: &AppState,
) -> Result<Vec<(&'static DatasetDef, Option<Loaded>)>, Problem> {
    let mut out = Vec::new();
    for def in DATASETS {
        out.push((def, load(state, def.id, None).await?));
    }
    Ok(out)
}

#[derive(Deserialize)]
struct CatalogQuery {
    format: Option<String>,
}

async fn catalog(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<CatalogQuery>,
) -> Result<Response, Problem> {
    match q.format.as_deref() {
        None | Some("json") => {}
        Some("dcat") => return dcat(State(state), headers).await,
        Some(other) => {
            return Err(param_problem(
                "format",
                format!("Parameter \"format\" is json or dcat, got {other:?}."),
            ));
        }
    }
    let origin = origin(&headers);
    let base = api_base(&origin);
    let datasets = entries(&state)
        .await?
        .into_iter()
        .map(|(def, latest)| DatasetSummary {
            meta: meta(def, &origin, latest.as_ref().map(|l| l.table.as_ref())),
            api: format!("{base}/{}", def.id),
            latest: latest.as_ref().map(|l| release_summary(&base, l)),
        })
        .collect::<Vec<_>>();
    let info = catalog_info();
    Ok(Json(serde_json::json!({
        "title": info.title,
        "description": info.description,
        "publisher": info.publisher,
        "dcat": format!("{base}/catalog.jsonld"),
        "page": format!("{origin}/open-data"),
        "datasets": datasets,
    }))
    .into_response())
}

async fn dcat(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, Problem> {
    let origin = origin(&headers);
    let found = entries(&state).await?;
    let metas: Vec<DatasetMeta> = found
        .iter()
        .map(|(def, l)| meta(def, &origin, l.as_ref().map(|l| l.table.as_ref())))
        .collect();
    let list: Vec<CatalogEntry<'_>> = metas
        .iter()
        .zip(&found)
        .map(|(m, (_, l))| CatalogEntry {
            meta: m,
            latest: l.as_ref().map(|l| &l.manifest.release),
        })
        .collect();
    let doc = opendata::to_dcat_jsonld(&api_base(&origin), &catalog_info(), &list);
    let mut res = Json(doc).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/ld+json"),
    );
    Ok(res)
}

fn param_problem(param: &str, detail: String) -> Problem {
    Problem::bad_request(detail.clone()).with_errors(vec![FieldProblem {
        field: param.into(),
        message: detail,
        line: None,
        said: None,
    }])
}

/// A query error as a 400 naming the parameter and what it allows.
pub(crate) fn query_problem(e: opendata::QueryError) -> Problem {
    let mut problem = param_problem(e.param(), e.to_string());
    problem.errors[0].said = said(e.clone());
    problem.saying(Sentence(e))
}

#[derive(Serialize)]
struct VersionView {
    version: i64,
    published_at: String,
    rows: i64,
    summary: String,
    manifest: String,
}

async fn dataset(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let def = find(&id)?;
    let origin = origin(&headers);
    let base = api_base(&origin);
    let latest = load(&state, def.id, None).await?;
    let releases = platform(&state).store.releases(def.id).await?;
    let versions: Vec<VersionView> = releases
        .iter()
        .rev()
        .map(|r| VersionView {
            version: r.version,
            published_at: r.published_at.clone(),
            rows: r.row_count,
            summary: changes_of(r).headline(),
            manifest: format!("{base}/{}/v{}/manifest.json", def.id, r.version),
        })
        .collect();
    let columns: Vec<Column> = latest
        .as_ref()
        .map(|l| l.table.schema.columns().to_vec())
        .unwrap_or_default();
    let quality = latest.as_ref().map(|l| badges(def, l));
    Ok(Json(serde_json::json!({
        "meta": meta(def, &origin, latest.as_ref().map(|l| l.table.as_ref())),
        "columns": columns,
        "primary_key": latest.as_ref().map(|l| l.table.schema.primary_key().to_vec()),
        "latest": latest.as_ref().map(|l| release_summary(&base, l)),
        "versions": versions,
        "quality": quality,
        "links": {
            "rows": format!("{base}/{}/rows", def.id),
            "changes": format!("{base}/{}/changes", def.id),
            "page": format!("{origin}/open-data/{}", def.id),
        },
    }))
    .into_response())
}

pub(crate) fn badges(def: &DatasetDef, l: &Loaded) -> QualityBadges {
    opendata::assess(
        &l.table,
        def.frequency,
        Some(l.manifest.release.published_at),
        casework::today(),
    )
}

/// Query parameters as given, in order.
pub(crate) type Pairs = Vec<(String, String)>;

/// Splits `_version=n` off the query pairs (the rest are the query's).
pub(crate) fn take_version(pairs: Vec<(String, String)>) -> Result<(Option<i64>, Pairs), Problem> {
    let mut version = None;
    let mut rest = Vec::new();
    for (k, v) in pairs {
        if k != "_version" {
            rest.push((k, v));
            continue;
        }
        let n = v
            .trim_start_matches('v')
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 1 && version.is_none())
            .ok_or_else(|| {
                param_problem(
                    "_version",
                    format!("Parameter \"_version\" is a version number such as 1, given once; got {v:?}."),
                )
            })?;
        version = Some(n);
    }
    Ok((version, rest))
}

pub(crate) fn query_pairs(uri: &Uri) -> Result<Vec<(String, String)>, Problem> {
    crate::limits::check_query_utf8(uri)?;
    Ok(
        url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .into_owned()
            .collect(),
    )
}

/// `pairs` as a query string, without any `_next`, then `extra` appended.
pub(crate) fn query_string(pairs: &[(String, String)], extra: &[(&str, &str)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs.iter().filter(|(k, _)| k != "_next") {
        s.append_pair(k, v);
    }
    for (k, v) in extra {
        s.append_pair(k, v);
    }
    s.finish()
}

#[derive(Serialize)]
struct RowsView {
    dataset: String,
    version: i64,
    matched: usize,
    rows: Vec<Json_>,
    next: Option<String>,
    next_url: Option<String>,
}

async fn rows(
    State(state): State<AppState>,
    Path(id): Path<String>,
    uri: Uri,
) -> Result<Response, Problem> {
    let def = find(&id)?;
    let (version, pairs) = take_version(query_pairs(&uri)?)?;
    let l = require(&state, def, version).await?;
    let query = opendata::parse_query(&pairs, &l.table.schema).map_err(query_problem)?;
    let page = opendata::execute(&l.table, &query).map_err(query_problem)?;
    let version_pair = version.map(|v| v.to_string());
    let next_url = page.next.as_ref().map(|token| {
        let mut extra = vec![("_next", token.as_str())];
        if let Some(v) = &version_pair {
            extra.insert(0, ("_version", v.as_str()));
        }
        format!(
            "/api/v1/opendata/{}/rows?{}",
            def.id,
            query_string(&pairs, &extra)
        )
    });
    let format = query.format.unwrap_or(Format::Json);
    if format == Format::Json {
        let rows = page.rows.iter().map(|r| row_object(&l.table, r)).collect();
        return Ok(Json(RowsView {
            dataset: def.id.into(),
            version: l.record.version,
            matched: page.matched,
            rows,
            next: page.next,
            next_url,
        })
        .into_response());
    }
    let table: Table = page.into_table(&l.table);
    let bytes = opendata::encode(&table, format).map_err(|e| {
        tracing::error!(error = %e, "encoding a page failed");
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "The page could not be encoded.",
        )
    })?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, content_type(format));
    h.insert("x-dataset-version", HeaderValue::from(l.record.version));
    if let Some(url) = next_url
        && let Ok(v) = HeaderValue::from_str(&format!("<{url}>; rel=\"next\""))
    {
        h.insert(header::LINK, v);
    }
    Ok(res)
}

pub(crate) fn content_type(format: Format) -> HeaderValue {
    match format {
        Format::Csv => HeaderValue::from_static("text/csv; charset=utf-8"),
        other => HeaderValue::from_static(other.media_type()),
    }
}

async fn changes(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Vec<Json_>>, Problem> {
    let def = find(&id)?;
    let releases = platform(&state).store.releases(def.id).await?;
    Ok(Json(
        releases
            .iter()
            .rev()
            .map(|r| {
                let c: Changes = changes_of(r);
                serde_json::json!({
                    "version": r.version,
                    "published_at": r.published_at,
                    "rows": r.row_count,
                    "summary": c.headline(),
                    "changes": c,
                })
            })
            .collect(),
    ))
}

async fn publish_now(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let def = find(&id)?;
    let base = api_base(&origin(&headers));
    Ok(match publish(&state, def, &caller.audit_name()).await? {
        Outcome::Published(r, changes) => (
            StatusCode::CREATED,
            Json(serde_json::json!({
                "published": true,
                "dataset": def.id,
                "version": r.version,
                "published_at": r.published_at,
                "rows": r.row_count,
                "manifest": format!("{base}/{}/v{}/manifest.json", def.id, r.version),
                "summary": changes.headline(),
                "changes": changes,
            })),
        )
            .into_response(),
        Outcome::Unchanged(r) => Json(serde_json::json!({
            "published": false,
            "dataset": def.id,
            "version": r.version,
            "detail": format!("The data has not changed since version {}; no new version.", r.version),
        }))
        .into_response(),
    })
}

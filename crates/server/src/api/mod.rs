//! JSON API v1: sections, codes and search.

pub(crate) mod classify;
mod dto;
pub(crate) mod guide;
mod guide_zh;
mod openapi;
pub(crate) mod tariff;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use nomenclature::{HsCode, Level};
use search::SearchRequest;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::limits::{DEFAULT_RESULTS, MAX_QUERY_BYTES, MAX_RESULTS};
use crate::{AppState, Problem};
pub use dto::*;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/sections", get(sections))
        .route("/api/v1/nomenclature/{code}", get(nomenclature_code))
        .route("/api/v1/search", get(search))
        .route("/api/v1/classify", axum::routing::post(classify::classify))
        .route(
            "/api/v1/declarations/check",
            axum::routing::post(classify::check),
        )
        .route("/api/v1/guide", axum::routing::post(guide::start))
        .route("/api/v1/guide/{session}", get(guide::show))
        .route(
            "/api/v1/guide/{session}/answer",
            axum::routing::post(guide::answer),
        )
        .route(
            "/api/v1/guide/{session}/back",
            axum::routing::post(guide::back),
        )
        .route("/api/v1/tariff/{code}", get(tariff::show))
        .route(
            "/api/v1/tariff/{code}/concordance",
            get(tariff::concordance),
        )
        .route("/api/v1/duty", axum::routing::post(tariff::duty))
        .route("/api/v1/openapi.json", get(openapi::document))
}

#[utoipa::path(
    get,
    path = "/api/v1/sections",
    tag = "nomenclature",
    responses((status = 200, description = "The 21 sections with their chapters", body = SectionsResponse))
)]
async fn sections(State(state): State<AppState>) -> Json<SectionsResponse> {
    let hs = state.index.nomenclature();
    Json(SectionsResponse {
        sections: hs
            .sections()
            .iter()
            .map(|s| SectionEntry::new(s, hs))
            .collect(),
        unsectioned_chapters: hs.unsectioned_chapters().map(CodeRef::from).collect(),
    })
}

#[utoipa::path(
    get,
    path = "/api/v1/nomenclature/{code}",
    tag = "nomenclature",
    params(("code" = String, Path, description = "2, 4 or 6 digits; \"8471.30\" and \"847130\" both work")),
    responses(
        (status = 200, description = "The code with its path, children and siblings", body = CodeDetail),
        (status = 400, description = "Not a well-formed code", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such code in HS 2022", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn nomenclature_code(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Json<CodeDetail>, Problem> {
    let code = HsCode::parse(&raw).map_err(|e| Problem::bad_request(e.to_string()))?;
    let hs = state.index.nomenclature();
    let node = hs.get(&code).ok_or_else(|| {
        Problem::not_found(format!("{} is not a code of HS 2022.", code.dotted()))
    })?;
    let refs = |nodes: Vec<&nomenclature::Node>| nodes.into_iter().map(CodeRef::from).collect();
    Ok(Json(CodeDetail {
        code: code.to_string(),
        dotted: code.dotted(),
        level: node.level().as_str().into(),
        description: node.description.clone(),
        section: node
            .section
            .and_then(|n| hs.section(n))
            .map(|s| SectionRef {
                number: s.number.roman().into(),
                title: s.title.clone(),
            }),
        ancestors: refs(hs.ancestors(&code)),
        children: refs(hs.children(&code)),
        siblings: refs(hs.siblings(&code)),
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words describing the goods, or a code ("8471.30"). At most 512 bytes.
    q: Option<String>,
    /// How many hits, 1 to 100 (default 10).
    limit: Option<usize>,
    /// Only this level: chapter, heading or subheading.
    level: Option<String>,
}

/// A search request checked against the limits, shared by the API and the web page.
pub(crate) struct CheckedSearch {
    pub text: String,
    pub limit: usize,
    pub level: Option<Level>,
}

pub(crate) fn check_search(
    q: Option<&str>,
    limit: Option<usize>,
    level: Option<&str>,
) -> Result<CheckedSearch, Problem> {
    let text = q.unwrap_or("").trim();
    if text.is_empty() {
        return Err(Problem::bad_request("Give the words to search for in `q`."));
    }
    if text.len() > MAX_QUERY_BYTES {
        return Err(Problem::new(
            axum::http::StatusCode::URI_TOO_LONG,
            format!(
                "The query is {} bytes; the limit is {MAX_QUERY_BYTES}.",
                text.len()
            ),
        ));
    }
    let limit = limit.unwrap_or(DEFAULT_RESULTS);
    if !(1..=MAX_RESULTS).contains(&limit) {
        return Err(Problem::bad_request(format!(
            "`limit` must be between 1 and {MAX_RESULTS}."
        )));
    }
    let level = match level.map(str::trim).filter(|l| !l.is_empty()) {
        None => None,
        Some("chapter") => Some(Level::Chapter),
        Some("heading") => Some(Level::Heading),
        Some("subheading") => Some(Level::Subheading),
        Some(other) => {
            return Err(Problem::bad_request(format!(
                "`level` is chapter, heading or subheading, not {other:?}."
            )));
        }
    };
    Ok(CheckedSearch {
        text: text.to_string(),
        limit,
        level,
    })
}

#[utoipa::path(
    get,
    path = "/api/v1/search",
    tag = "search",
    params(SearchParams),
    responses(
        (status = 200, description = "Ranked hits with highlighted words", body = SearchResponse),
        (status = 400, description = "Missing or malformed parameters", body = Problem, content_type = "application/problem+json"),
        (status = 414, description = "Query too long", body = Problem, content_type = "application/problem+json"),
    )
)]
async fn search(
    State(state): State<AppState>,
    uri: axum::http::Uri,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Response {
    if let Err(problem) = crate::limits::check_query_utf8(&uri) {
        return problem.into_response();
    }
    let Query(params) = match params {
        Ok(p) => p,
        Err(e) => return Problem::bad_request(e.body_text()).into_response(),
    };
    let checked = match check_search(params.q.as_deref(), params.limit, params.level.as_deref()) {
        Ok(c) => c,
        Err(p) => return p.into_response(),
    };
    Json(run_search(&state, &checked)).into_response()
}

pub(crate) fn run_search(state: &AppState, checked: &CheckedSearch) -> SearchResponse {
    let hs = state.index.nomenclature();
    let hits = state.index.search(&SearchRequest {
        text: &checked.text,
        limit: checked.limit,
        level: checked.level,
    });
    SearchResponse {
        query: checked.text.clone(),
        code_lookup: hits.code_lookup,
        expansions: hits
            .expansions
            .into_iter()
            .map(|e| Expansion {
                matched: e.matched,
                words: e.words,
            })
            .collect(),
        hits: hits
            .hits
            .into_iter()
            .filter_map(|h| {
                let node = hs.get(&h.code)?;
                Some(SearchHit {
                    code: h.code.to_string(),
                    dotted: h.code.dotted(),
                    level: node.level().as_str().into(),
                    highlighted: mark(&node.description, &h.highlights),
                    description: node.description.clone(),
                    score: h.score,
                    highlights: h
                        .highlights
                        .iter()
                        .map(|r| Highlight {
                            start: r.start,
                            end: r.end,
                        })
                        .collect(),
                    matched_words: h.matched_words,
                    path: hs
                        .ancestors(&h.code)
                        .into_iter()
                        .map(CodeRef::from)
                        .collect(),
                })
            })
            .collect(),
    }
}

/// HTML-escapes `text` and wraps the given byte ranges in `<mark>`.
pub(crate) fn mark(text: &str, ranges: &[std::ops::Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len() + ranges.len() * 13);
    let mut at = 0;
    for r in ranges {
        if r.start < at || r.end > text.len() {
            continue;
        }
        out.push_str(&escape(&text[at..r.start]));
        out.push_str("<mark>");
        out.push_str(&escape(&text[r.clone()]));
        out.push_str("</mark>");
        at = r.end;
    }
    out.push_str(&escape(&text[at..]));
    out
}

fn escape(s: &str) -> String {
    maud::html! { (s) }.into_string()
}

//! The model registry API: versions with their measurements, side-by-side comparison with a
//! paired bootstrap, and promotion with four eyes (a data scientist proposes, a reviewer
//! approves), which swaps the serving classifier at once; rollback in one call.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use platform::CaseResult;
use serde::Deserialize;
use serde_json::{Value, json};
use store::models::{CaseRow, ModelRecord, Serving};

use super::training::sync_serving;
use super::{Caller, platform};
use crate::{AppState, Problem};

/// Resamples of the paired bootstrap, and its seed (the same comparison, the same interval).
const BOOTSTRAP_SEED: u64 = 20261130;

pub fn model_view(m: &ModelRecord, serving: &Serving) -> Value {
    json!({
        "version": m.version,
        "run": m.run_id,
        "run_url": format!("/api/v1/runs/{}", m.run_id),
        "trained_for": m.trained_for,
        "metrics": serde_json::from_str::<Value>(&m.metrics).unwrap_or(Value::Null),
        "status": m.status,
        "serving": serving.version.as_deref() == Some(m.version.as_str()),
        "proposed_by": m.proposed_by,
        "proposed_at": m.proposed_at,
        "proposal_note": m.proposal_note,
        "approved_by": m.approved_by,
        "approved_at": m.approved_at,
        "created_at": m.created_at,
    })
}

fn serving_view(s: &Serving, state: &AppState) -> Value {
    json!({
        "version": s.version,
        "previous": s.previous,
        "changed_at": s.changed_at,
        "changed_by": s.changed_by,
        // What this instance answers with (the trained head's version, "none" without one).
        "answering_with": state.classifier.model_version(),
    })
}

pub(crate) async fn list(State(state): State<AppState>) -> Result<Response, Problem> {
    let store = &platform(&state).store;
    let serving = store.serving().await?;
    let models: Vec<Value> = store
        .models()
        .await?
        .iter()
        .map(|m| model_view(m, &serving))
        .collect();
    Ok(Json(json!({"serving": serving_view(&serving, &state), "models": models})).into_response())
}

async fn load(state: &AppState, version: &str) -> Result<ModelRecord, Problem> {
    platform(state)
        .store
        .model(version)
        .await?
        .ok_or_else(|| Problem::not_found(format!("There is no model version {version:?}.")))
}

pub(crate) async fn show(
    State(state): State<AppState>,
    Path(version): Path<String>,
) -> Result<Response, Problem> {
    let m = load(&state, &version).await?;
    let serving = platform(&state).store.serving().await?;
    Ok(Json(model_view(&m, &serving)).into_response())
}

#[derive(Deserialize)]
pub(crate) struct CompareQuery {
    a: Option<String>,
    b: Option<String>,
    set: Option<String>,
}

fn case(r: CaseRow) -> CaseResult {
    CaseResult {
        case_id: r.case_id,
        text: r.text,
        gold: r.gold,
        source: r.source,
        predicted: r.predicted,
        gold_rank: r.gold_rank.max(0) as u32,
        confidence: r.confidence,
    }
}

/// Compares two versions on one evaluation set both were measured on.
pub(crate) async fn comparison(
    state: &AppState,
    a: &str,
    b: &str,
    set: &str,
) -> Result<platform::Comparison, Problem> {
    let store = &platform(state).store;
    load(state, a).await?;
    load(state, b).await?;
    let ra: Vec<CaseResult> = store
        .model_results(a, set)
        .await?
        .into_iter()
        .map(case)
        .collect();
    let rb: Vec<CaseResult> = store
        .model_results(b, set)
        .await?
        .into_iter()
        .map(case)
        .collect();
    if ra.is_empty() || rb.is_empty() {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "{a} and {b} were not both evaluated on {set:?}; compare them on a set both runs named."
            ),
        ));
    }
    let index = state.index.clone();
    Ok(tokio::task::spawn_blocking(move || {
        let hs = index.nomenclature();
        let section_of = |code: &str| {
            let chapter = nomenclature::HsCode::parse(code.get(..2)?).ok()?;
            Some(hs.get(&chapter)?.section?.roman().to_string())
        };
        platform::compare(
            &ra,
            &rb,
            platform::compare::RESAMPLES,
            BOOTSTRAP_SEED,
            &section_of,
        )
    })
    .await
    .expect("the comparison does not panic"))
}

pub(crate) async fn compare(
    State(state): State<AppState>,
    Query(q): Query<CompareQuery>,
) -> Result<Response, Problem> {
    let (Some(a), Some(b)) = (q.a.as_deref(), q.b.as_deref()) else {
        return Err(Problem::bad_request(
            "Name the two versions: ?a=VERSION&b=VERSION (and optionally &set=development).",
        ));
    };
    let set = q.set.as_deref().unwrap_or("development");
    let c = comparison(&state, a, b, set).await?;
    Ok(Json(json!({"a": a, "b": b, "set": set, "comparison": c})).into_response())
}

#[derive(Deserialize, Default)]
pub(crate) struct NoteBody {
    #[serde(default)]
    note: String,
}

fn note_of(body: Option<Json<NoteBody>>) -> Result<String, Problem> {
    let note = body.map(|b| b.0.note).unwrap_or_default();
    if note.chars().count() > 2000 {
        return Err(Problem::bad_request("A note has at most 2,000 characters."));
    }
    Ok(note)
}

pub(crate) async fn propose(
    State(state): State<AppState>,
    caller: Caller,
    Path(version): Path<String>,
    body: Option<Json<NoteBody>>,
) -> Result<Response, Problem> {
    let note = note_of(body)?;
    load(&state, &version).await?;
    let store = &platform(&state).store;
    let mut tx = store.write().await?;
    let m = tx
        .propose_model(&version, &caller.audit_name(), &note)
        .await?;
    tx.commit().await?;
    Ok(Json(model_view(&m, &store.serving().await?)).into_response())
}

/// Serves what the store now says, on this instance, before answering.
pub(crate) async fn follow(state: &AppState) -> Result<(), Problem> {
    let (Some(p), Some(t)) = (state.platform.as_ref(), state.training.as_ref()) else {
        return Ok(());
    };
    sync_serving(state, p, t).await.map_err(|e| {
        tracing::error!(error = %e, "could not switch the serving model");
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("The change was recorded, but this instance could not load the model: {e}"),
        )
    })
}

pub(crate) async fn approve(
    State(state): State<AppState>,
    caller: Caller,
    Path(version): Path<String>,
) -> Result<Response, Problem> {
    let m = load(&state, &version).await?;
    if m.proposed_by.as_deref() == Some(caller.audit_name().as_str()) {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            "Four eyes: the person who proposed a version cannot approve it.",
        ));
    }
    let store = &platform(&state).store;
    let mut tx = store.write().await?;
    let (m, serving) = tx.approve_model(&version, &caller.audit_name()).await?;
    tx.commit().await?;
    follow(&state).await?;
    Ok(
        Json(json!({"model": model_view(&m, &serving), "serving": serving_view(&serving, &state)}))
            .into_response(),
    )
}

pub(crate) async fn reject(
    State(state): State<AppState>,
    caller: Caller,
    Path(version): Path<String>,
    body: Option<Json<NoteBody>>,
) -> Result<Response, Problem> {
    let note = note_of(body)?;
    load(&state, &version).await?;
    let store = &platform(&state).store;
    let mut tx = store.write().await?;
    let m = tx
        .reject_model(&version, &caller.audit_name(), &note)
        .await?;
    tx.commit().await?;
    Ok(Json(model_view(&m, &store.serving().await?)).into_response())
}

pub(crate) async fn rollback(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, Problem> {
    let store = &platform(&state).store;
    let mut tx = store.write().await?;
    let serving = tx.rollback_model(&caller.audit_name()).await?;
    tx.commit().await?;
    follow(&state).await?;
    Ok(Json(json!({"serving": serving_view(&serving, &state)})).into_response())
}

//! The training runs API: start a run from a TOML config, follow it live (server-sent
//! events), cancel it, rerun it exactly, read what reproduces it.

use std::convert::Infallible;
use std::time::Duration;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use platform::{ConfigProblem, RunConfig};
use serde::Deserialize;
use serde_json::{Value, json};
use store::runs::{NewRun, RunRecord};

use super::i18n::Lang;
use super::i18n::run_problems::RunSaid;
use super::training::{RunSpec, resolve};
use super::{Caller, platform};
use crate::problem::{FieldProblem, Say};
use crate::{AppState, Problem};

/// A config larger than this is not a config.
pub const MAX_CONFIG_BYTES: usize = 64 * 1024;
/// How often a live stream looks for new events.
const STREAM_POLL: Duration = Duration::from_millis(500);

fn parse_json(text: Option<&str>) -> Value {
    text.and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or(Value::Null)
}

/// A run as the API shows it.
pub fn run_view(r: &RunRecord) -> Value {
    let spec = parse_json(Some(&r.spec));
    json!({
        "id": r.id,
        "name": r.name,
        "status": r.status,
        "config": r.config,
        "spec": spec,
        "rerun_of": r.rerun_of,
        "created_at": r.created_at,
        "created_by": r.created_by,
        "started_at": r.started_at,
        "finished_at": r.finished_at,
        "worker": r.worker,
        "heartbeat_at": r.heartbeat_at,
        "checkpoint_epoch": r.checkpoint_epoch,
        "attempts": r.attempts,
        "cancel_requested": r.cancel_requested,
        "error": r.error,
        "environment": parse_json(r.environment.as_deref()),
        "result": parse_json(r.result.as_deref()),
        "events": format!("/api/v1/runs/{}/events", r.id),
        "page": format!("/runs/{}", r.id),
    })
}

pub(crate) async fn list(State(state): State<AppState>) -> Result<Response, Problem> {
    let runs = platform(&state).store.runs(200).await?;
    Ok(Json(json!({"runs": runs.iter().map(run_view).collect::<Vec<_>>()})).into_response())
}

fn config_problem(errors: Vec<ConfigProblem>) -> Problem {
    let detail = RunSaid::ConfigProblems(errors.len());
    Problem::new(StatusCode::UNPROCESSABLE_ENTITY, detail.say(Lang::En))
        .saying(detail)
        .with_errors(
            errors
                .into_iter()
                .map(|e| FieldProblem::new(e.field(), e.to_string()).saying(e))
                .collect(),
        )
}

/// The config text of a request: TOML as the body, or JSON `{"config": "<toml>"}`.
fn config_text(headers: &HeaderMap, body: &[u8]) -> Result<String, Problem> {
    if body.len() > MAX_CONFIG_BYTES {
        return Err(Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "A run config may have at most {} KiB.",
                MAX_CONFIG_BYTES / 1024
            ),
        ));
    }
    let text = std::str::from_utf8(body)
        .map_err(|_| Problem::bad_request("The config is not UTF-8 text."))?;
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if json {
        let v: Value = serde_json::from_str(text)
            .map_err(|e| Problem::bad_request(format!("Malformed JSON: {e}")))?;
        return v["config"].as_str().map(str::to_string).ok_or_else(|| {
            Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "The run config has 1 problem(s); nothing was queued.",
            )
            .with_errors(vec![FieldProblem::new(
                "config",
                "config: send the run config as TOML text in \"config\" (or as the body with Content-Type application/toml)",
            )])
        });
    }
    Ok(text.to_string())
}

/// Checks and queues a config for `caller`; the page and the API share it.
pub(crate) async fn enqueue(
    state: &AppState,
    caller: &Caller,
    text: &str,
    rerun_of: Option<(i64, RunSpec)>,
) -> Result<RunRecord, Problem> {
    let store = &platform(state).store;
    let spec = match rerun_of.as_ref() {
        Some((_, spec)) => spec.clone(),
        None => {
            let config = RunConfig::from_toml(text).map_err(|e| config_problem(e.0))?;
            resolve(store, config).await.map_err(config_problem)?
        }
    };
    let mut tx = store.write().await?;
    let run = tx
        .enqueue_run(&NewRun {
            name: spec.config.name.clone(),
            config: text.to_string(),
            spec: serde_json::to_string(&spec).expect("a spec serialises"),
            rerun_of: rerun_of.map(|(id, _)| id),
            created_by: caller.audit_name(),
        })
        .await?;
    tx.commit().await?;
    Ok(run)
}

fn accepted(run: &RunRecord) -> Response {
    let mut res = (StatusCode::ACCEPTED, Json(run_view(run))).into_response();
    if let Ok(v) = format!("/api/v1/runs/{}", run.id).parse() {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

pub(crate) async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Problem> {
    let text = config_text(&headers, &body)?;
    let run = enqueue(&state, &caller, &text, None).await?;
    Ok(accepted(&run))
}

async fn load(state: &AppState, id: &str) -> Result<RunRecord, Problem> {
    let id: i64 = id
        .parse()
        .map_err(|_| Problem::not_found(format!("There is no run {id:?}.")))?;
    platform(state)
        .store
        .run(id)
        .await?
        .ok_or_else(|| Problem::not_found(format!("There is no run {id}.")))
}

pub(crate) async fn show(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let run = load(&state, &id).await?;
    let events = platform(&state).store.run_events(run.id, 0).await?;
    let epochs: Vec<Value> = events
        .iter()
        .filter(|e| e.kind == "epoch")
        .map(|e| parse_json(Some(&e.body)))
        .collect();
    let log: Vec<Value> = events
        .iter()
        .filter(|e| e.kind != "progress")
        .map(|e| json!({"seq": e.seq, "at": e.at, "kind": e.kind, "body": parse_json(Some(&e.body))}))
        .collect();
    let mut view = run_view(&run);
    view["epochs"] = Value::Array(epochs);
    view["log"] = Value::Array(log);
    Ok(Json(view).into_response())
}

pub(crate) async fn cancel(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let run = load(&state, &id).await?;
    let mut tx = platform(&state).store.write().await?;
    let run = tx.cancel_run(run.id, &caller.audit_name()).await?;
    tx.commit().await?;
    Ok(Json(run_view(&run)).into_response())
}

/// Queues the same config on the same data set versions.
pub(crate) async fn rerun(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let run = load(&state, &id).await?;
    let spec: RunSpec = serde_json::from_str(&run.spec).map_err(|e| {
        Problem::new(
            StatusCode::CONFLICT,
            format!("Run {} has a spec this version cannot read: {e}", run.id),
        )
    })?;
    let again = enqueue(&state, &caller, &run.config, Some((run.id, spec))).await?;
    Ok(accepted(&again))
}

#[derive(Deserialize)]
pub(crate) struct AfterQuery {
    after: Option<i64>,
}

/// `text/event-stream` of a run's events from `after` (or the Last-Event-ID header); ends
/// with an `end` event once the run has finished and every event was sent.
pub(crate) async fn events(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<AfterQuery>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let run = load(&state, &id).await?;
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    let after = resume.or(q.after).unwrap_or(0);
    let store = platform(&state).store.clone();
    let stream = futures_util::stream::unfold(
        (store, run.id, after, false),
        |(store, id, after, ended)| async move {
            if ended {
                return None;
            }
            loop {
                let finished = store
                    .run(id)
                    .await
                    .ok()
                    .flatten()
                    .is_none_or(|r| r.is_finished());
                let fresh = store.run_events(id, after).await.unwrap_or_default();
                if !fresh.is_empty() {
                    let last = fresh.last().map_or(after, |e| e.seq);
                    let batch: Vec<Result<Event, Infallible>> = fresh
                        .into_iter()
                        .map(|e| {
                            Ok(Event::default()
                                .id(e.seq.to_string())
                                .event(e.kind)
                                .data(e.body))
                        })
                        .collect();
                    return Some((futures_util::stream::iter(batch), (store, id, last, false)));
                }
                if finished {
                    let end = vec![Ok(Event::default().event("end").data("{}"))];
                    return Some((futures_util::stream::iter(end), (store, id, after, true)));
                }
                tokio::time::sleep(STREAM_POLL).await;
            }
        },
    );
    use futures_util::StreamExt;
    Ok(Sse::new(stream.flatten())
        .keep_alive(KeepAlive::default())
        .into_response())
}

//! The cross-agency vehicle exchange over JSON: officers record clearances; partner
//! agencies read them through keys whose scope decides which fields they see, every read
//! logged for the agency and the audit; the police scope flags a vehicle as stolen.

use std::collections::BTreeMap;

use auth::Actor;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post, put};
use serde::{Deserialize, Serialize};
use vehicles::{AgencyScope, Anomaly, ClearanceInput};

use super::accounts_api::json_body;
use super::applications_api::expected_version;
use super::errors::forbidden;
use super::i18n::Lang;
use super::i18n::vehicle_problems::VehicleDetail;
use super::{Caller, platform};
use crate::problem::{FieldProblem, Say};
use crate::{AppState, Problem};

pub fn handler(method: &str, path: &str) -> Option<MethodRouter<AppState>> {
    Some(match (method, path) {
        ("POST", "/api/v1/vehicles") => post(create),
        ("GET", "/api/v1/vehicles/access-log") => get(access_log),
        ("GET", "/api/v1/vehicles/{vin}") => get(show),
        ("PUT", "/api/v1/vehicles/{vin}") => put(amend),
        ("POST", "/api/v1/vehicles/{vin}/stolen") => post(flag_stolen),
        ("GET", "/api/v1/vehicles/{vin}/history") => get(super::vehicles_import::history),
        ("POST", "/api/v1/vehicles/import") => post(super::vehicles_import::import).layer(
            axum::extract::DefaultBodyLimit::max(crate::limits::MAX_UPLOAD_BYTES),
        ),
        ("GET", "/api/v1/vehicles/changes") => get(super::vehicles_feed_api::changes),
        ("GET", "/api/v1/vehicles/webhooks") => get(super::vehicles_feed_api::list_webhooks),
        ("POST", "/api/v1/vehicles/webhooks") => post(super::vehicles_feed_api::add_webhook),
        ("DELETE", "/api/v1/vehicles/webhooks/{id}") => {
            axum::routing::delete(super::vehicles_feed_api::remove_webhook)
        }
        _ => return None,
    })
}

/// The key scope that names each agency's view.
pub fn scope_name(scope: AgencyScope) -> String {
    format!("vehicles:{}", scope.as_str())
}

/// A validated clearance as stored facts (field → canonical text), plus its flags.
pub(crate) fn validated(
    input: &ClearanceInput,
) -> Result<(vehicles::Clearance, BTreeMap<String, String>), Problem> {
    let clearance = vehicles::validate(input).map_err(|issues| {
        let detail = VehicleDetail::RecordHasErrors;
        Problem::new(StatusCode::UNPROCESSABLE_ENTITY, detail.say(Lang::En))
            .saying(detail)
            .with_errors(
                issues
                    .into_iter()
                    .map(|i| FieldProblem::new(i.field, i.message).saying(i.issue))
                    .collect(),
            )
    })?;
    let facts = facts_of(&clearance);
    Ok((clearance, facts))
}

/// A clearance as stored facts: field → canonical text.
pub(crate) fn facts_of(clearance: &vehicles::Clearance) -> BTreeMap<String, String> {
    let value = serde_json::to_value(clearance).expect("a clearance serialises");
    value
        .as_object()
        .expect("a clearance is an object")
        .iter()
        .filter_map(|(k, v)| match v {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some((k.clone(), s.clone())),
            other => Some((k.clone(), other.to_string())),
        })
        .collect()
}

#[derive(Serialize)]
struct Recorded {
    #[serde(flatten)]
    record: store::vehicles::VehicleRecord,
    /// Not errors: what an officer should look at (maker against the VIN, model year…).
    anomalies: Vec<Anomaly>,
}

async fn create(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<ClearanceInput>, JsonRejection>,
) -> Result<Response, Problem> {
    let input = json_body(body)?;
    let (clearance, facts) = validated(&input)?;
    let mut tx = platform(&state).store.write().await?;
    let record = tx
        .create_vehicle(
            &caller.audit_name(),
            clearance.vin.as_str(),
            &clearance.certificate_number,
            &facts,
            clearance.status.as_str(),
        )
        .await?;
    tx.commit().await?;
    let anomalies = vehicles::anomalies(&clearance);
    Ok((StatusCode::CREATED, Json(Recorded { record, anomalies })).into_response())
}

#[derive(Deserialize)]
struct AmendRequest {
    #[serde(flatten)]
    input: ClearanceInput,
    version: Option<i64>,
    /// cleared, held or revoked.
    status: Option<String>,
}

async fn amend(
    State(state): State<AppState>,
    caller: Caller,
    Path(vin): Path<String>,
    headers: HeaderMap,
    body: Result<Json<AmendRequest>, JsonRejection>,
) -> Result<Response, Problem> {
    let req = json_body(body)?;
    let version = expected_version(req.version, &headers)?;
    let (clearance, facts) = validated(&req.input)?;
    if !clearance.vin.as_str().eq_ignore_ascii_case(vin.trim()) {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "vin: a record's VIN cannot change; record the other vehicle separately.",
        ));
    }
    let status = match req.status.as_deref() {
        None => clearance.status,
        Some(s) => vehicles::Status::parse(s).ok_or_else(|| {
            Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "status: one of cleared, held, revoked.",
            )
        })?,
    };
    let mut facts = facts;
    facts.insert("status".into(), status.as_str().into());
    let mut tx = platform(&state).store.write().await?;
    let record = tx
        .amend_vehicle(
            &caller.audit_name(),
            clearance.vin.as_str(),
            version,
            &facts,
            status.as_str(),
        )
        .await?;
    tx.commit().await?;
    let anomalies = vehicles::anomalies(&clearance);
    Ok(Json(Recorded { record, anomalies }).into_response())
}

/// The vehicle scope an agency key holds (the first, if several).
pub(crate) fn agency_scope(actor: &Actor) -> Option<AgencyScope> {
    AgencyScope::ALL
        .into_iter()
        .find(|s| actor.has_scope(&scope_name(*s)))
}

#[derive(Serialize)]
struct AgencyView {
    vin: String,
    scope: AgencyScope,
    fields: BTreeMap<String, String>,
    /// Reported stolen by the police: every agency sees it.
    stolen: bool,
}

async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(vin): Path<String>,
) -> Result<Response, Problem> {
    let store = &platform(&state).store;
    let key = vin.trim().to_uppercase();
    let record = store
        .vehicle(&key)
        .await?
        .ok_or_else(|| Problem::not_found(format!("No cleared vehicle {key}.")))?;
    if caller.actor.role() == Some(auth::Role::Officer) {
        return Ok(Json(record).into_response());
    }
    let scope = agency_scope(&caller.actor).ok_or_else(|| {
        forbidden(
            "This key has no vehicle scope (vehicles:registration, :tax, :inspection or :police).",
        )
    })?;
    let visible = vehicles::visible_fields(scope);
    let fields = record
        .facts
        .iter()
        .filter(|(k, _)| visible.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut tx = store.write().await?;
    tx.log_vehicle_access(&caller.audit_name(), &scope_name(scope), &record.vin)
        .await?;
    tx.commit().await?;
    Ok(Json(AgencyView {
        vin: record.vin,
        scope,
        fields,
        stolen: record.stolen,
    })
    .into_response())
}

#[derive(Deserialize)]
struct StolenRequest {
    note: String,
}

async fn flag_stolen(
    State(state): State<AppState>,
    caller: Caller,
    Path(vin): Path<String>,
    body: Result<Json<StolenRequest>, JsonRejection>,
) -> Result<StatusCode, Problem> {
    let req = json_body(body)?;
    if req.note.trim().chars().count() < 5 {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "note: the police report reference, at least 5 characters.",
        ));
    }
    let mut tx = platform(&state).store.write().await?;
    tx.flag_stolen(
        &caller.audit_name(),
        &vin.trim().to_uppercase(),
        req.note.trim(),
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn access_log(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<store::vehicles::AccessEntry>>, Problem> {
    Ok(Json(
        platform(&state)
            .store
            .vehicle_access_log(&caller.audit_name(), 500)
            .await?,
    ))
}

//! Administrators' endpoints (private deployment): companies, users, API keys, and the
//! audit log with its verification.

use auth::{ApiKeySecret, BusinessId, Role};
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use store::accounts::{ApiKeyRecord, Company, NewUser};

use super::accounts_api::{check_account, hash, json_body};
use super::caller::Caller;
use super::platform;
use crate::{AppState, Problem};

/// The scopes an API key may carry.
pub const SCOPES: &[&str] = &[
    "applications:read",
    "applications:write",
    "aeo:read",
    "aeo:verify",
    "vehicles:registration",
    "vehicles:tax",
    "vehicles:inspection",
    "vehicles:police",
];

#[derive(Deserialize)]
pub(crate) struct NewUserRequest {
    email: String,
    display_name: String,
    password: String,
    role: String,
    company_id: Option<String>,
}

pub(crate) async fn create_user(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<NewUserRequest>, JsonRejection>,
) -> Result<Response, Problem> {
    let req = json_body(body)?;
    let role = Role::parse(&req.role).ok_or_else(|| {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("role: must be one of {}.", Role::names()),
        )
    })?;
    check_account(&req.email, &req.display_name)?;
    let p = platform(&state);
    let company = req
        .company_id
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    match (role.needs_company(), company) {
        (true, None) => {
            return Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("company_id: a {} belongs to a company.", role.as_str()),
            ));
        }
        (false, Some(_)) => {
            return Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!(
                    "company_id: customs staff ({}) belong to no company.",
                    role.as_str()
                ),
            ));
        }
        (true, Some(c)) if p.store.company(c).await?.is_none() => {
            return Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "company_id: no such company.",
            ));
        }
        _ => {}
    }
    let password_hash = hash(req.password).await?;
    let mut tx = p.store.write().await?;
    let user = tx
        .create_user(
            &caller.audit_name(),
            NewUser {
                email: &req.email,
                display_name: &req.display_name,
                password_hash: &password_hash,
                role,
                company_id: company,
            },
        )
        .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(user)).into_response())
}

#[derive(Deserialize)]
pub(crate) struct NewCompanyRequest {
    id: String,
    name: String,
    kind: String,
}

pub(crate) async fn create_company(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<NewCompanyRequest>, JsonRejection>,
) -> Result<Response, Problem> {
    let req = json_body(body)?;
    let id = BusinessId::parse(&req.id)
        .map_err(|e| Problem::new(StatusCode::UNPROCESSABLE_ENTITY, format!("id: {e}.")))?;
    if !["trader", "broker", "agency"].contains(&req.kind.as_str()) {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "kind: must be one of trader, broker, agency.",
        ));
    }
    let company = Company {
        id: id.to_string(),
        name: req.name.trim().to_string(),
        kind: req.kind,
    };
    let mut tx = platform(&state).store.write().await?;
    tx.create_company(&caller.audit_name(), &company).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(company)).into_response())
}

#[derive(Deserialize)]
pub(crate) struct NewKeyRequest {
    name: String,
    role: Option<String>,
    company_id: Option<String>,
    scopes: Vec<String>,
}

#[derive(Serialize)]
pub(crate) struct NewKeyResponse {
    id: String,
    /// Shown once; only its digest is kept.
    token: String,
    role: Role,
    scopes: Vec<String>,
}

pub(crate) async fn create_api_key(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<NewKeyRequest>, JsonRejection>,
) -> Result<Response, Problem> {
    let req = json_body(body)?;
    let role = match req.role.as_deref() {
        None => Role::Agency,
        Some(r) => Role::parse(r)
            .filter(|r| *r != Role::Admin)
            .ok_or_else(|| {
                Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!("role: must be one of {} (never admin).", Role::names()),
                )
            })?,
    };
    if let Some(bad) = req.scopes.iter().find(|s| !SCOPES.contains(&s.as_str())) {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "scopes: unknown scope {bad:?}; known: {}.",
                SCOPES.join(", ")
            ),
        ));
    }
    let p = platform(&state);
    if let Some(c) = &req.company_id
        && p.store.company(c).await?.is_none()
    {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "company_id: no such company.",
        ));
    }
    let secret = ApiKeySecret::generate();
    let record = ApiKeyRecord {
        id: secret.id.clone(),
        secret_hash: secret.digest(),
        name: req.name.trim().to_string(),
        role,
        company_id: req.company_id,
        scopes: req.scopes.clone(),
        created_by: caller.audit_name(),
        created_at: store::now(),
        revoked_at: None,
    };
    let mut tx = p.store.write().await?;
    tx.create_api_key(&caller.audit_name(), &record).await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(NewKeyResponse {
            id: record.id,
            token: secret.token(),
            role,
            scopes: req.scopes,
        }),
    )
        .into_response())
}

pub(crate) async fn revoke_api_key(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    let mut tx = platform(&state).store.write().await?;
    tx.revoke_api_key(&caller.audit_name(), &id).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub(crate) struct AuditQuery {
    object: Option<String>,
    limit: Option<i64>,
}

pub(crate) async fn audit(
    State(state): State<AppState>,
    Query(q): Query<AuditQuery>,
) -> Result<Json<Vec<store::AuditRecord>>, Problem> {
    let store = &platform(&state).store;
    Ok(Json(match q.object {
        Some(object) => store.audit_trail(&object).await?,
        None => {
            store
                .audit_recent(q.limit.unwrap_or(100).clamp(1, 1000))
                .await?
        }
    }))
}

pub(crate) async fn verify_audit(
    State(state): State<AppState>,
) -> Result<Json<store::Verification>, Problem> {
    Ok(Json(platform(&state).store.verify_audit(|_, _| {}).await?))
}

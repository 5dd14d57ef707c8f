//! Accounts over JSON: sign-in and out, self-registration of a company, the caller's
//! profile and notifications, broker mandates, and the administrators' account, key and
//! audit endpoints.

use std::time::Duration;

use auth::{Actor, BusinessId, Role, SessionSecret};
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, delete, get, post};
use serde::{Deserialize, Serialize};
use store::accounts::{Company, NewUser};

use super::caller::{Caller, SESSION_COOKIE, client_address, csrf_token};
use super::errors::{conflict, forbidden};
use super::{admin_api, platform};
use crate::{AppState, Problem};

pub fn handler(method: &str, path: &str) -> Option<MethodRouter<AppState>> {
    Some(match (method, path) {
        ("POST", "/api/v1/auth/login") => post(login),
        ("POST", "/api/v1/auth/logout") => post(logout),
        ("POST", "/api/v1/auth/register") => post(register),
        ("GET", "/api/v1/me") => get(me),
        ("GET", "/api/v1/notifications") => get(notifications),
        ("POST", "/api/v1/mandates") => post(grant_mandate),
        ("DELETE", "/api/v1/mandates/{broker}") => delete(revoke_mandate),
        ("POST", "/api/v1/admin/users") => post(admin_api::create_user),
        ("POST", "/api/v1/admin/companies") => post(admin_api::create_company),
        ("POST", "/api/v1/admin/api-keys") => post(admin_api::create_api_key),
        ("DELETE", "/api/v1/admin/api-keys/{id}") => delete(admin_api::revoke_api_key),
        ("GET", "/api/v1/audit") => get(admin_api::audit),
        ("GET", "/api/v1/audit/verify") => get(admin_api::verify_audit),
        _ => return None,
    })
}

pub(crate) fn json_body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, Problem> {
    body.map(|Json(v)| v)
        .map_err(|e| Problem::bad_request(format!("Bad JSON body: {}", e.body_text())))
}

#[derive(Deserialize)]
struct LoginRequest {
    email: String,
    password: String,
}

#[derive(Serialize)]
struct LoginResponse {
    token: String,
    csrf_token: String,
    expires_at: String,
    user: store::accounts::User,
}

fn expires_in(ttl: Duration) -> String {
    store::now_plus(ttl)
}

pub(crate) fn session_cookie(token: &str, max_age: Duration) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={}",
        max_age.as_secs()
    ))
    .expect("a token is a valid header")
}

/// A hash to verify against when the account does not exist, so both paths cost the same.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Hk6nH0W5fKX2cR9TS0QW2JvBb6SVCz8y0tb1gkq8kDg";

/// Why a sign-in failed: throttled (seconds to wait) or another problem.
pub(crate) enum SignInError {
    Throttled(u64),
    Problem(Problem),
}

impl From<Problem> for SignInError {
    fn from(p: Problem) -> Self {
        SignInError::Problem(p)
    }
}

impl From<store::StoreError> for SignInError {
    fn from(e: store::StoreError) -> Self {
        SignInError::Problem(e.into())
    }
}

impl IntoResponse for SignInError {
    fn into_response(self) -> Response {
        match self {
            SignInError::Problem(p) => p.into_response(),
            SignInError::Throttled(wait) => {
                let mut res = Problem::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    format!("Too many failed sign-ins; try again in {wait} seconds."),
                )
                .into_response();
                res.headers_mut().insert(
                    header::RETRY_AFTER,
                    HeaderValue::from_str(&wait.to_string()).expect("digits"),
                );
                res
            }
        }
    }
}

/// Checks a password and opens a session; throttled per account and per client address.
pub(crate) async fn sign_in(
    state: &AppState,
    address: &str,
    email: &str,
    password: &str,
) -> Result<(String, String, store::accounts::User), SignInError> {
    let p = platform(state);
    let account_key = format!("account:{}", email.trim().to_lowercase());
    let address_key = format!("address:{address}");
    let now = std::time::Instant::now();
    for key in [&account_key, &address_key] {
        let limiter = if key.starts_with("account:") {
            &p.login_by_account
        } else {
            &p.login_by_address
        };
        if let Err(wait) = limiter.check(key, now) {
            return Err(SignInError::Throttled(wait.as_secs() + 1));
        }
    }
    let found = p.store.user_for_login(email).await?;
    let (hash, user) = match found {
        Some((user, hash)) if !user.disabled => (hash, Some(user)),
        _ => (DUMMY_HASH.to_string(), None),
    };
    let password = password.to_string();
    let ok = tokio::task::spawn_blocking(move || auth::verify_password(&hash, &password))
        .await
        .unwrap_or(false);
    let user = match (ok, user) {
        (true, Some(user)) => user,
        _ => {
            p.login_by_account.fail(&account_key, now);
            p.login_by_address.fail(&address_key, now);
            return Err(Problem::new(StatusCode::UNAUTHORIZED, "Wrong e-mail or password.").into());
        }
    };
    p.login_by_account.succeed(&account_key);
    let secret = SessionSecret::generate();
    let expires_at = expires_in(p.settings.session_ttl);
    let mut tx = p.store.write().await?;
    tx.create_session(&user.id, &secret.digest(), &expires_at)
        .await?;
    tx.commit().await?;
    Ok((secret.0, expires_at, user))
}

async fn login(State(state): State<AppState>, request: axum::extract::Request) -> Response {
    let address = client_address(request.extensions());
    use axum::extract::FromRequest;
    let body = match Json::<LoginRequest>::from_request(request, &state).await {
        Ok(Json(body)) => body,
        Err(e) => {
            return Problem::bad_request(format!("Bad JSON body: {}", e.body_text()))
                .into_response();
        }
    };
    let LoginRequest { email, password } = body;
    match sign_in(&state, &address, &email, &password).await {
        Ok((token, expires_at, user)) => {
            let ttl = platform(&state).settings.session_ttl;
            let mut res = Json(LoginResponse {
                csrf_token: csrf_token(&token),
                token: token.clone(),
                expires_at,
                user,
            })
            .into_response();
            res.headers_mut()
                .insert(header::SET_COOKIE, session_cookie(&token, ttl));
            res
        }
        Err(e) => e.into_response(),
    }
}

async fn logout(State(state): State<AppState>, caller: Caller) -> Result<Response, Problem> {
    let Some(token) = caller.session else {
        return Err(Problem::bad_request("API keys do not sign in or out."));
    };
    let mut tx = platform(&state).store.write().await?;
    tx.delete_session(&auth::digest(&token)).await?;
    tx.commit().await?;
    let mut res = StatusCode::NO_CONTENT.into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie("", Duration::from_secs(0)),
    );
    Ok(res)
}

#[derive(Deserialize)]
struct RegisterRequest {
    business_id: String,
    company_name: String,
    /// trader (default) or broker.
    kind: Option<String>,
    email: String,
    display_name: String,
    password: String,
}

fn valid_email(email: &str) -> bool {
    let email = email.trim();
    email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
        })
}

pub(crate) fn check_account(email: &str, display_name: &str) -> Result<(), Problem> {
    if !valid_email(email) {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "email: not a valid e-mail address.",
        ));
    }
    let name = display_name.trim().chars().count();
    if name == 0 || name > 100 {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "display_name: 1 to 100 characters.",
        ));
    }
    Ok(())
}

pub(crate) async fn hash(password: String) -> Result<String, Problem> {
    tokio::task::spawn_blocking(move || auth::hash_password(&password))
        .await
        .expect("hashing does not panic")
        .map_err(|e| Problem::new(StatusCode::UNPROCESSABLE_ENTITY, format!("password: {e}.")))
}

/// A company's first user registers the company; later users are added by customs.
async fn register(
    State(state): State<AppState>,
    body: Result<Json<RegisterRequest>, JsonRejection>,
) -> Result<Response, Problem> {
    let req = json_body(body)?;
    let id = BusinessId::parse(&req.business_id).map_err(|e| {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("business_id: {e}."),
        )
    })?;
    let kind = req.kind.as_deref().unwrap_or("trader");
    let role = match kind {
        "trader" => Role::Trader,
        "broker" => Role::Broker,
        _ => {
            return Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "kind: must be one of trader, broker.",
            ));
        }
    };
    let company_name = req.company_name.trim();
    if company_name.is_empty() || company_name.chars().count() > 200 {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "company_name: 1 to 200 characters.",
        ));
    }
    check_account(&req.email, &req.display_name)?;
    let password_hash = hash(req.password).await?;
    let p = platform(&state);
    if p.store.company(id.as_str()).await?.is_some() {
        return Err(conflict(
            "This company is already registered; ask customs to add you to it.",
        ));
    }
    let mut tx = p.store.write().await?;
    let company = Company {
        id: id.to_string(),
        name: company_name.to_string(),
        kind: kind.to_string(),
    };
    tx.create_company("anonymous", &company).await?;
    let user = tx
        .create_user(
            "anonymous",
            NewUser {
                email: &req.email,
                display_name: &req.display_name,
                password_hash: &password_hash,
                role,
                company_id: Some(id.as_str()),
            },
        )
        .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(user)).into_response())
}

#[derive(Serialize)]
struct Me {
    actor: String,
    role: Option<Role>,
    company: Option<String>,
    email: Option<String>,
    csrf_token: Option<String>,
}

async fn me(caller: Caller) -> Json<Me> {
    let email = match &caller.actor {
        Actor::User { email, .. } => Some(email.clone()),
        _ => None,
    };
    Json(Me {
        actor: caller.audit_name(),
        role: caller.actor.role(),
        company: caller.actor.company().map(str::to_string),
        email,
        csrf_token: caller.session.as_deref().map(csrf_token),
    })
}

async fn notifications(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<store::notices::Notification>>, Problem> {
    let company = caller
        .actor
        .company()
        .ok_or_else(|| forbidden("This account belongs to no company."))?;
    Ok(Json(
        platform(&state).store.notifications(company, 100).await?,
    ))
}

#[derive(Deserialize)]
struct MandateRequest {
    broker_company: String,
}

async fn grant_mandate(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<MandateRequest>, JsonRejection>,
) -> Result<StatusCode, Problem> {
    let req = json_body(body)?;
    let trader = caller
        .actor
        .company()
        .ok_or_else(|| forbidden("No company."))?
        .to_string();
    let p = platform(&state);
    match p.store.company(req.broker_company.trim()).await? {
        Some(c) if c.kind == "broker" => {}
        _ => {
            return Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "broker_company: no registered customs broker has this business ID.",
            ));
        }
    }
    let mut tx = p.store.write().await?;
    tx.grant_mandate(&caller.audit_name(), req.broker_company.trim(), &trader)
        .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn revoke_mandate(
    State(state): State<AppState>,
    caller: Caller,
    Path(broker): Path<String>,
) -> Result<StatusCode, Problem> {
    let trader = caller
        .actor
        .company()
        .ok_or_else(|| forbidden("No company."))?
        .to_string();
    let mut tx = platform(&state).store.write().await?;
    tx.revoke_mandate(&caller.audit_name(), &broker, &trader)
        .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

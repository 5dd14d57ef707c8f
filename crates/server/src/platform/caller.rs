//! Who is calling, and whether they may: the guard in front of every platform route.
//!
//! Credentials, in order: `Authorization: Bearer ck_…` (an API key), `Authorization: Bearer
//! <session token>`, the session cookie. Credentials that are presented but wrong get 401;
//! they never fall back to anonymous. Unsafe requests on a cookie session must carry the
//! CSRF token (header `X-CSRF-Token` or form field `csrf`), which only our pages know.

use std::net::SocketAddr;

use auth::{Actor, ApiKeySecret, Denied};
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::i18n::Lang;
use super::i18n::refusals::{RateLimited, refusal};
use super::i18n::session::Credentials;
use super::{access, platform};
use crate::limits::MAX_BODY_BYTES;
use crate::problem::Say;
use crate::{AppState, Problem};

pub const SESSION_COOKIE: &str = "customs_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The authenticated caller, put in the request by the guard.
#[derive(Clone, Debug)]
pub struct Caller {
    pub actor: Actor,
    /// The raw session token when the caller signed in (for logout and CSRF).
    pub session: Option<String>,
}

impl Caller {
    pub fn audit_name(&self) -> String {
        self.actor.audit_name()
    }
}

/// The CSRF token of a session: derived from the secret session token, so only a page that
/// was served to this session can know it.
pub fn csrf_token(session: &str) -> String {
    hex::encode(&Sha256::digest(format!("csrf:{session}").as_bytes())[..16])
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Caller, Problem> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or_else(|| Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "route without a guard"))
    }
}

fn unauthorized(said: Credentials) -> Response {
    let mut res = Problem::new(StatusCode::UNAUTHORIZED, said.say(Lang::En))
        .saying(said)
        .into_response();
    res.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"smart-customs\""),
    );
    res
}

fn cookie(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

enum Credential {
    Key(String),
    Bearer(String),
    Cookie(String),
    None,
}

fn credential(parts: &Parts) -> Credential {
    if let Some(auth) = parts.headers.get(header::AUTHORIZATION) {
        let value = auth.to_str().unwrap_or("").trim();
        let token = value
            .strip_prefix("Bearer ")
            .unwrap_or("")
            .trim()
            .to_string();
        return if token.starts_with("ck_") {
            Credential::Key(token)
        } else {
            Credential::Bearer(token)
        };
    }
    match cookie(parts, SESSION_COOKIE) {
        Some(token) if !token.is_empty() => Credential::Cookie(token),
        _ => Credential::None,
    }
}

async fn resolve(state: &AppState, parts: &Parts) -> Result<(Caller, bool), Response> {
    let store = &platform(state).store;
    let storage = |e: store::StoreError| Problem::from(e).into_response();
    match credential(parts) {
        Credential::None => Ok((
            Caller {
                actor: Actor::Anonymous,
                session: None,
            },
            false,
        )),
        Credential::Key(token) => {
            let key = ApiKeySecret::parse(&token)
                .ok_or_else(|| unauthorized(Credentials::MalformedKey))?;
            let record = store.api_key(&key.id).await.map_err(storage)?;
            match record {
                Some(r) if r.revoked_at.is_none() && constant_eq(&r.secret_hash, &key.digest()) => {
                    Ok((
                        Caller {
                            actor: Actor::ApiKey {
                                id: r.id,
                                role: r.role,
                                company: r.company_id,
                                scopes: r.scopes,
                            },
                            session: None,
                        },
                        false,
                    ))
                }
                _ => Err(unauthorized(Credentials::UnknownKey)),
            }
        }
        credential @ (Credential::Bearer(_) | Credential::Cookie(_)) => {
            let (token, via_cookie) = match credential {
                Credential::Cookie(token) => (token, true),
                Credential::Bearer(token) => (token, false),
                _ => unreachable!("matched above"),
            };
            let user = store
                .session_user(&auth::digest(&token))
                .await
                .map_err(storage)?
                .ok_or_else(|| unauthorized(Credentials::SessionExpired))?;
            Ok((
                Caller {
                    actor: Actor::User {
                        id: user.id,
                        role: user.role,
                        company: user.company_id,
                        email: user.email,
                    },
                    session: Some(token),
                },
                via_cookie,
            ))
        }
    }
}

fn constant_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Checks the CSRF token of a cookie session's unsafe request; returns the request with its
/// body intact (a form body is read to find the field, then put back).
async fn check_csrf(req: Request, session: &str) -> Result<Request, Response> {
    let expected = csrf_token(session);
    // A page's form gets a page in the reader's language; an API call gets a problem.
    let page = (!req.uri().path().starts_with("/api/"))
        .then(|| (req.uri().clone(), req.headers().clone()));
    let forbidden = || {
        match &page {
        Some((uri, headers)) => super::pages_session::stale_form(uri, headers),
        None => Problem::new(
            StatusCode::FORBIDDEN,
            "Missing or wrong CSRF token: send the X-CSRF-Token header, or submit the form from our page.",
        )
        .into_response(),
    }
    };
    // Multipart forms (file uploads) carry the token in their action's query string.
    let in_query = req
        .uri()
        .query()
        .and_then(|q| url::form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "csrf"))
        .map(|(_, v)| v.into_owned());
    if let Some(token) = in_query {
        return if constant_eq(&token, &expected) {
            Ok(req)
        } else {
            Err(forbidden())
        };
    }
    if let Some(h) = req.headers().get(CSRF_HEADER) {
        return if constant_eq(h.to_str().unwrap_or(""), &expected) {
            Ok(req)
        } else {
            Err(forbidden())
        };
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(forbidden());
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| {
            Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "The form is too large.").into_response()
        })?;
    let sent = url::form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.into_owned());
    match sent {
        Some(token) if constant_eq(&token, &expected) => {
            Ok(Request::from_parts(parts, Body::from(bytes)))
        }
        _ => Err(forbidden()),
    }
}

fn client_key(caller: &Caller, parts: &Parts) -> String {
    match &caller.actor {
        Actor::Anonymous => format!("addr:{}", client_address(&parts.extensions)),
        other => other.audit_name(),
    }
}

fn too_many(limited: RateLimited) -> Response {
    let wait_secs = limited.retry_secs.max(1);
    let mut res = refusal(StatusCode::TOO_MANY_REQUESTS, limited).into_response();
    res.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from_str(&wait_secs.to_string()).expect("digits"),
    );
    res
}

pub async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_default();
    let endpoint = access::endpoint(req.method().as_str(), &path);
    // A private row on a public instance is not mounted: let the router answer 405.
    if endpoint.is_some_and(|e| {
        e.deploy == access::Deploy::Private && !state.profile.mounts_internal_routes()
    }) {
        return next.run(req).await;
    }
    // The path is declared for other methods only: the router answers 405 before any
    // handler runs.
    if endpoint.is_none()
        && access::ENDPOINTS
            .iter()
            .any(|e| e.path == path && e.method != req.method().as_str())
    {
        return next.run(req).await;
    }
    let Some(endpoint) = endpoint else {
        tracing::error!(%path, "route without a declared access rule");
        return Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "route without an access rule",
        )
        .into_response();
    };
    let (mut parts, body) = req.into_parts();
    let (caller, via_cookie) = match resolve(&state, &parts).await {
        Ok(found) => found,
        Err(res) => return res,
    };
    let limiter = &platform(&state).limiter;
    // Forget clients whose buckets have refilled, so a flood of addresses cannot grow it.
    if limiter.len() > 50_000 {
        limiter.retain_recent();
    }
    if let Err(not_until) = limiter.check_key(&client_key(&caller, &parts)) {
        let wait = not_until.wait_time_from(governor::clock::Clock::now(
            &governor::clock::DefaultClock::default(),
        ));
        let limited = RateLimited {
            per_minute: platform(&state).settings.requests_per_minute,
            retry_secs: wait.as_secs() + 1,
            anonymous: matches!(caller.actor, Actor::Anonymous),
        };
        return too_many(limited);
    }
    if let Err(denied) = endpoint.access.check(&caller.actor) {
        // Pages send people to sign in; APIs answer with problems.
        if !path.starts_with("/api/") {
            return super::pages::denied(denied, &parts.uri, &parts.headers);
        }
        return match denied {
            Denied::Unauthenticated => unauthorized(Credentials::SignInFirst),
            other => Problem::new(StatusCode::FORBIDDEN, other.to_string()).into_response(),
        };
    }
    parts.extensions.insert(caller.clone());
    let mut req = Request::from_parts(parts, body);
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if via_cookie && unsafe_method {
        let session = caller.session.as_deref().unwrap_or("");
        req = match check_csrf(req, session).await {
            Ok(req) => req,
            Err(res) => return res,
        };
    }
    next.run(req).await
}

/// For login throttling: the client address, when known.
pub fn client_address(parts_ext: &axum::http::Extensions) -> String {
    parts_ext
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".into(), |c| c.0.ip().to_string())
}

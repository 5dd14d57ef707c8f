//! How agencies hear of new and changed clearances: a cursor-based change feed they poll,
//! and webhooks the dispatcher ([`super::webhooks`]) pushes the same events to.

use std::net::IpAddr;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::accounts_api::json_body;
use super::errors::forbidden;
use super::vehicles_api::{agency_scope, scope_name};
use super::webhooks::{ATTEMPT_HEADER, EVENT_ID_HEADER, EventBody, SIGNATURE_HEADER};
use super::{Caller, platform};
use crate::{AppState, Problem};

/// Events per page of the feed, by default and at most.
const PAGE: i64 = 100;
const MAX_PAGE: i64 = 1000;
/// Live webhooks per agency key.
const MAX_WEBHOOKS: usize = 5;

#[derive(Deserialize)]
pub(crate) struct FeedQuery {
    after: Option<String>,
    limit: Option<String>,
}

#[derive(Serialize)]
struct FeedPage<'a> {
    events: Vec<EventBody<'a>>,
    /// Pass as `after` to read on; the same cursor again when nothing is new.
    next: String,
    has_more: bool,
}

fn number(name: &str, value: Option<&str>, default: i64, max: i64) -> Result<i64, Problem> {
    let Some(text) = value else {
        return Ok(default);
    };
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (0..=max).contains(n))
        .ok_or_else(|| {
            Problem::bad_request(format!(
                "{name}: a whole number from 0 to {max}, not {text:?}."
            ))
        })
}

pub(crate) async fn changes(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<FeedQuery>,
) -> Result<Response, Problem> {
    let after = number("after", q.after.as_deref(), 0, i64::MAX)?;
    let limit = number("limit", q.limit.as_deref(), PAGE, MAX_PAGE)?.max(1);
    let store = &platform(&state).store;
    let mut changes = store.vehicle_changes(after, limit + 1).await?;
    let has_more = changes.len() as i64 > limit;
    changes.truncate(limit as usize);
    let next = changes.last().map_or(after, |c| c.seq);
    if caller.actor.role() == Some(auth::Role::Agency) && !changes.is_empty() {
        // The feed names vehicles, so an agency's read of it is audited like a look-up.
        let mut tx = store.write().await?;
        tx.audit(store::AuditEntry {
            actor: caller.audit_name(),
            action: "vehicle.feed".into(),
            object: "vehicle-feed".into(),
            before: None,
            after: Some(format!(
                "{{\"after\":{after},\"to\":{next},\"events\":{}}}",
                changes.len()
            )),
        })
        .await?;
        tx.commit().await?;
    }
    Ok(Json(FeedPage {
        events: changes.iter().map(EventBody::of).collect(),
        next: next.to_string(),
        has_more,
    })
    .into_response())
}

#[derive(Deserialize)]
pub(crate) struct NewWebhook {
    url: String,
}

#[derive(Serialize)]
struct CreatedWebhook {
    #[serde(flatten)]
    webhook: store::vehicle_feed::Webhook,
    /// Shown once: verify each delivery's signature with it.
    secret: String,
    signature_header: &'static str,
    event_id_header: &'static str,
    attempt_header: &'static str,
}

/// Whether the host is this machine or a private network: refused unless configured, so a
/// key cannot make the server probe the inside of the network.
fn is_internal(host: &url::Host<&str>) -> bool {
    let ip = match host {
        url::Host::Domain(d) => {
            let d = d.to_ascii_lowercase();
            return d == "localhost" || d.ends_with(".localhost") || d.ends_with(".internal");
        }
        url::Host::Ipv4(ip) => IpAddr::V4(*ip),
        url::Host::Ipv6(ip) => IpAddr::V6(*ip),
    };
    match ip {
        IpAddr::V4(v4) => {
            v4.is_loopback() || v4.is_private() || v4.is_link_local() || v4.is_unspecified()
        }
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.is_unspecified() || (v6.segments()[0] & 0xfe00) == 0xfc00
        }
    }
}

fn checked_url(text: &str, allow_internal: bool) -> Result<url::Url, Problem> {
    let bad = |why: &str| Problem::new(StatusCode::UNPROCESSABLE_ENTITY, format!("url: {why}"));
    let url = url::Url::parse(text.trim()).map_err(|e| bad(&format!("not a URL ({e}).")))?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(bad("use https:// (or http://)."));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad(
            "no credentials in the URL; verify our signature instead.",
        ));
    }
    let host = url.host().ok_or_else(|| bad("a host is needed."))?;
    if !allow_internal && is_internal(&host) {
        return Err(bad("this host is on a local or private network."));
    }
    if text.len() > 2000 {
        return Err(bad("at most 2000 characters."));
    }
    Ok(url)
}

pub(crate) async fn add_webhook(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<NewWebhook>, JsonRejection>,
) -> Result<Response, Problem> {
    let req = json_body(body)?;
    let scope =
        agency_scope(&caller.actor).ok_or_else(|| forbidden("This key has no vehicle scope."))?;
    let p = platform(&state);
    let url = checked_url(&req.url, p.settings.webhooks.allow_internal_hosts)?;
    let owner = caller.audit_name();
    if p.store.webhooks(&owner).await?.len() >= MAX_WEBHOOKS {
        return Err(Problem::new(
            StatusCode::CONFLICT,
            format!("At most {MAX_WEBHOOKS} webhooks per key; remove one first."),
        ));
    }
    let secret = format!("whsec_{}", auth::random_id());
    let mut tx = p.store.write().await?;
    let webhook = tx
        .add_webhook(&owner, &scope_name(scope), url.as_str(), &secret)
        .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedWebhook {
            webhook,
            secret,
            signature_header: SIGNATURE_HEADER,
            event_id_header: EVENT_ID_HEADER,
            attempt_header: ATTEMPT_HEADER,
        }),
    )
        .into_response())
}

pub(crate) async fn list_webhooks(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, Problem> {
    let hooks = platform(&state)
        .store
        .webhooks(&caller.audit_name())
        .await?;
    Ok(Json(hooks).into_response())
}

pub(crate) async fn remove_webhook(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    let mut tx = platform(&state).store.write().await?;
    tx.remove_webhook(&caller.audit_name(), &id)
        .await
        .map_err(|e| match e {
            store::StoreError::NotFound => Problem::not_found(format!("No webhook {id} of yours.")),
            other => other.into(),
        })?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_urls_are_checked() {
        assert!(checked_url("https://dmv.example.gov.tw/hooks/customs", false).is_ok());
        for bad in [
            "ftp://example.com/x",
            "https://user:pw@example.com/",
            "http://127.0.0.1:9000/",
            "http://localhost/x",
            "http://10.1.2.3/",
            "http://[::1]/",
            "not a url",
        ] {
            assert!(checked_url(bad, false).is_err(), "{bad} accepted");
        }
        assert!(checked_url("http://127.0.0.1:9000/", true).is_ok());
    }
}

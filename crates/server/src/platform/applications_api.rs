//! Customs e-Application over JSON: application types and their forms, drafts, the
//! workflow actions, attachments, the officers' review queue and the published rulings.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post, put};
use eapp::{Action, ApplicationKind, Completeness, Decision, Status};
use serde::{Deserialize, Serialize};
use store::applications::{
    ApplicationFilter, ApplicationRecord, EventRecord, NewApplication, QueueOrder, StatusChange,
};
use store::attachments::Attachment;

use super::accounts_api::json_body;
use super::casework::{self, ClockView, code_exists, iso, party_of, today, visible};
use super::errors::{conflict, forbidden, unprocessable};
use super::i18n::problems::{Detail, Sentence};
use super::{attachments_api, platform, queue_api};
use crate::{AppState, Problem};

/// Largest attachment, and most attachments per case (as the UK service allows).
pub const MAX_ATTACHMENT_BYTES: usize = crate::limits::MAX_UPLOAD_BYTES;
pub const MAX_ATTACHMENTS: usize = 10;

pub fn handler(method: &str, path: &str) -> Option<MethodRouter<AppState>> {
    Some(match (method, path) {
        ("GET", "/api/v1/application-types") => get(types),
        ("GET", "/api/v1/applications") => get(list),
        ("POST", "/api/v1/applications") => post(create),
        ("GET", "/api/v1/applications/{id}") => get(show),
        ("PUT", "/api/v1/applications/{id}") => put(edit),
        ("POST", "/api/v1/applications/{id}/actions") => post(act),
        ("POST", "/api/v1/applications/{id}/attachments") => {
            post(attachments_api::upload).layer(DefaultBodyLimit::max(MAX_ATTACHMENT_BYTES))
        }
        ("GET", "/api/v1/applications/{id}/attachments/{attachment}") => {
            get(attachments_api::download)
        }
        ("POST", "/api/v1/applications/{id}/assign") => post(assign),
        ("GET", "/api/v1/review-queue") => get(queue_api::queue),
        ("GET", "/api/v1/rulings") => get(queue_api::rulings),
        _ => return None,
    })
}

#[derive(Serialize)]
struct TypeView {
    kind: ApplicationKind,
    title: &'static str,
    legal_working_days: u32,
    reply_working_days: u32,
    fields: &'static [eapp::Field],
}

async fn types() -> Json<Vec<TypeView>> {
    Json(
        ApplicationKind::ALL
            .into_iter()
            .map(|kind| TypeView {
                kind,
                title: kind.title(),
                legal_working_days: kind.legal_working_days(),
                reply_working_days: kind.reply_working_days(),
                fields: kind.schema(),
            })
            .collect(),
    )
}

/// Form values may come as JSON strings, numbers or booleans; the schema checks them as text.
fn field_strings(
    fields: BTreeMap<String, serde_json::Value>,
) -> Result<BTreeMap<String, String>, Problem> {
    fields
        .into_iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => Ok((k, s)),
            serde_json::Value::Number(n) => Ok((k, n.to_string())),
            serde_json::Value::Bool(b) => Ok((k, b.to_string())),
            _ => Err(Problem::bad_request(format!(
                "fields.{k}: give a string or a number, not a list or an object."
            ))),
        })
        .collect()
}

fn parse_kind(kind: &str) -> Result<ApplicationKind, Problem> {
    ApplicationKind::parse(kind).ok_or_else(|| {
        let known: Vec<_> = ApplicationKind::ALL.iter().map(|k| k.as_str()).collect();
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("kind: must be one of {}.", known.join(", ")),
        )
    })
}

pub(crate) fn stored_kind(case: &ApplicationRecord) -> Result<ApplicationKind, Problem> {
    ApplicationKind::parse(&case.kind).ok_or_else(|| {
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "a stored case has an unknown kind",
        )
    })
}

pub(crate) fn stored_status(case: &ApplicationRecord) -> Result<Status, Problem> {
    Status::parse(&case.status).ok_or_else(|| {
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "a stored case has an unknown status",
        )
    })
}

#[derive(Serialize)]
struct CaseView {
    #[serde(flatten)]
    case: ApplicationRecord,
    title: &'static str,
    status_label: &'static str,
    clock: ClockView,
    /// What the caller may do next.
    allowed_actions: Vec<Action>,
    events: Vec<EventRecord>,
    attachments: Vec<Attachment>,
}

/// A case the caller may see, or 404.
pub(crate) async fn load(
    state: &AppState,
    caller: &super::Caller,
    id: &str,
) -> Result<ApplicationRecord, Problem> {
    let case = platform(state).store.application(id).await?;
    match case {
        Some(case) if visible(state, &caller.actor, &case).await? => Ok(case),
        _ => Err(Problem::not_found(format!(
            "No application {id} that you may see."
        ))),
    }
}

async fn view(
    state: &AppState,
    caller: &super::Caller,
    case: ApplicationRecord,
) -> Result<Response, Problem> {
    let store = &platform(state).store;
    let kind = stored_kind(&case)?;
    let status = stored_status(&case)?;
    let events = store.application_events(&case.id).await?;
    let attachments = store.attachments("application", &case.id).await?;
    let allowed_actions = party_of(&caller.actor)
        .map(|party| eapp::allowed_actions(status, party))
        .unwrap_or_default();
    let etag = format!("\"{}\"", case.version);
    let body = CaseView {
        title: kind.title(),
        status_label: status.label(),
        clock: casework::clock_view(state, kind, &events),
        allowed_actions,
        events,
        attachments,
        case,
    };
    let mut res = Json(body).into_response();
    res.headers_mut()
        .insert(header::ETAG, HeaderValue::from_str(&etag).expect("digits"));
    Ok(res)
}

#[derive(Deserialize)]
struct CreateRequest {
    kind: String,
    #[serde(default)]
    fields: BTreeMap<String, serde_json::Value>,
    /// A broker names the trader it files for.
    company_id: Option<String>,
}

async fn create(
    State(state): State<AppState>,
    caller: super::Caller,
    body: Result<Json<CreateRequest>, JsonRejection>,
) -> Result<Response, Problem> {
    let req = json_body(body)?;
    let fields = field_strings(req.fields)?;
    let case = create_case(
        &state,
        &caller,
        &req.kind,
        fields,
        req.company_id.as_deref(),
    )
    .await?;
    let mut res = view(&state, &caller, case).await?;
    *res.status_mut() = StatusCode::CREATED;
    Ok(res)
}

/// Opens a draft for the caller's company, or for a trader that authorised the caller's
/// (broker) company.
pub(crate) async fn create_case(
    state: &AppState,
    caller: &super::Caller,
    kind: &str,
    fields: BTreeMap<String, String>,
    company_id: Option<&str>,
) -> Result<ApplicationRecord, Problem> {
    let kind = parse_kind(kind)?;
    let own = caller
        .actor
        .company()
        .ok_or_else(|| forbidden("This account belongs to no company."))?
        .to_string();
    let p = platform(state);
    let (company, filed_by) = match company_id.map(str::trim).filter(|c| !c.is_empty()) {
        None => (own.clone(), None),
        Some(c) if c == own => (own.clone(), None),
        Some(c) => {
            if caller.actor.role() != Some(auth::Role::Broker)
                || !p.store.has_mandate(&own, c).await?
            {
                return Err(forbidden(format!(
                    "You may not file for company {c}: it has not authorised your company."
                )));
            }
            (c.to_string(), Some(own.clone()))
        }
    };
    let fields = eapp::validate(kind, &fields, &code_exists(state), Completeness::Draft)
        .map_err(|errors| unprocessable(Detail::FormHasErrors, errors))?;
    let user_id = match &caller.actor {
        auth::Actor::User { id, .. } | auth::Actor::ApiKey { id, .. } => id.clone(),
        auth::Actor::Anonymous => unreachable!("the guard admits no anonymous applicant"),
    };
    let mut tx = p.store.write().await?;
    let case = tx
        .create_application(
            &caller.audit_name(),
            NewApplication {
                kind: kind.as_str(),
                company_id: &company,
                filed_by_company: filed_by.as_deref(),
                created_by: &user_id,
                fields: &fields,
                on_date: &iso(today()),
            },
        )
        .await?;
    tx.commit().await?;
    Ok(case)
}

#[derive(Deserialize)]
struct ListQuery {
    status: Option<String>,
    kind: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

#[derive(Serialize)]
struct ListView {
    total: i64,
    items: Vec<ApplicationRecord>,
}

async fn list(
    State(state): State<AppState>,
    caller: super::Caller,
    Query(q): Query<ListQuery>,
) -> Result<Json<ListView>, Problem> {
    let companies = casework::visible_companies(&state, &caller.actor).await?;
    let staff = companies.is_none();
    let (items, total) = platform(&state)
        .store
        .list_applications(&ApplicationFilter {
            companies,
            or_filed_by: match caller.actor.role() {
                Some(auth::Role::Broker) => caller.actor.company().map(str::to_string),
                _ => None,
            },
            status: q.status,
            kind: q.kind,
            exclude_drafts: staff,
            order: QueueOrder::NewestFirst,
            limit: q.limit.unwrap_or(50).clamp(1, 200),
            offset: q.offset.unwrap_or(0).max(0),
            ..Default::default()
        })
        .await?;
    Ok(Json(ListView { total, items }))
}

async fn show(
    State(state): State<AppState>,
    caller: super::Caller,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let case = load(&state, &caller, &id).await?;
    view(&state, &caller, case).await
}

/// The version the client last saw: `version` in the body, else the `If-Match` header.
/// Without either, a write could overwrite someone else's: 428.
pub(crate) fn expected_version(body: Option<i64>, headers: &HeaderMap) -> Result<i64, Problem> {
    if let Some(v) = body {
        return Ok(v);
    }
    headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().trim_matches('"').parse().ok())
        .ok_or_else(|| {
            Problem::new(
                StatusCode::PRECONDITION_REQUIRED,
                "Say which version you are changing: \"version\" in the body or an If-Match header with the ETag.",
            )
        })
}

#[derive(Deserialize)]
struct EditRequest {
    fields: BTreeMap<String, serde_json::Value>,
    version: Option<i64>,
}

async fn edit(
    State(state): State<AppState>,
    caller: super::Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Json<EditRequest>, JsonRejection>,
) -> Result<Response, Problem> {
    let req = json_body(body)?;
    let version = expected_version(req.version, &headers)?;
    let fields = field_strings(req.fields)?;
    let case = edit_case(&state, &caller, &id, version, fields).await?;
    view(&state, &caller, case).await
}

/// Replaces a draft's (or an answered request's) form, at the version the caller read.
pub(crate) async fn edit_case(
    state: &AppState,
    caller: &super::Caller,
    id: &str,
    version: i64,
    fields: BTreeMap<String, String>,
) -> Result<ApplicationRecord, Problem> {
    let case = load(state, caller, id).await?;
    let kind = stored_kind(&case)?;
    let status = stored_status(&case)?;
    if !matches!(status, Status::Draft | Status::InfoRequested) {
        return Err(conflict(format!(
            "An application that is {} cannot be edited; only drafts and applications waiting for more information can.",
            status.label().to_lowercase()
        )));
    }
    let fields = eapp::validate(kind, &fields, &code_exists(state), Completeness::Draft)
        .map_err(|errors| unprocessable(Detail::FormHasErrors, errors))?;
    let mut tx = platform(state).store.write().await?;
    let case = tx
        .update_application_fields(&caller.audit_name(), &case.id, version, &fields)
        .await?;
    tx.commit().await?;
    Ok(case)
}

#[derive(Deserialize)]
pub(crate) struct ActionRequest {
    pub action: String,
    pub version: Option<i64>,
    /// The officer's request or reasons, or the applicant's reply.
    pub message: Option<String>,
    /// Approving an advance ruling: the 6-digit code decided.
    pub decision_code: Option<String>,
}

fn notice(kind: ApplicationKind, action: Action, to: Status, message: Option<&str>) -> String {
    let head = format!(
        "{}: {} — now {}.",
        kind.title(),
        action.as_str().replace('_', " "),
        to.label().to_lowercase()
    );
    match message {
        Some(m) if !m.trim().is_empty() => format!("{head} {}", m.trim()),
        _ => head,
    }
}

async fn act(
    State(state): State<AppState>,
    caller: super::Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Json<ActionRequest>, JsonRejection>,
) -> Result<Response, Problem> {
    let req = json_body(body)?;
    let version = expected_version(req.version, &headers)?;
    let updated = act_on_case(&state, &caller, &id, version, req).await?;
    view(&state, &caller, updated).await
}

/// Moves a case by one workflow action, with its decision, notifications and audit.
pub(crate) async fn act_on_case(
    state: &AppState,
    caller: &super::Caller,
    id: &str,
    version: i64,
    req: ActionRequest,
) -> Result<ApplicationRecord, Problem> {
    let action = Action::parse(&req.action).ok_or_else(|| {
        let known: Vec<_> = Action::ALL.iter().map(|a| a.as_str()).collect();
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("action: must be one of {}.", known.join(", ")),
        )
    })?;
    let party = party_of(&caller.actor)
        .ok_or_else(|| forbidden("Your role takes no part in applications."))?;
    let case = load(state, caller, id).await?;
    let kind = stored_kind(&case)?;
    let from = stored_status(&case)?;
    let to = eapp::transition(from, action, party)
        .map_err(|e| conflict(e.to_string()).saying(Sentence(e)))?;
    if case.version != version {
        return Err(store::StoreError::Stale {
            current: case.version,
        }
        .into());
    }
    if matches!(action, Action::Submit | Action::Respond) {
        eapp::validate(
            kind,
            &case.fields,
            &code_exists(state),
            Completeness::Submission,
        )
        .map_err(|errors| unprocessable(Detail::CompleteBeforeSubmitting, errors))?;
    }
    let decision = Decision {
        code: req.decision_code.clone(),
        reasons: req.message.clone().unwrap_or_default(),
    };
    eapp::check_decision(kind, action, &decision, &code_exists(state))
        .map_err(|errors| unprocessable(Detail::DecisionIncomplete, errors))?;
    let code = decision.code.as_deref().and_then(eapp::normalize_hs_code);
    let deciding = matches!(action, Action::Approve | Action::Reject);
    let actor = caller.audit_name();
    let on_date = iso(today());
    let p = platform(state);
    let mut tx = p.store.write().await?;
    let mut updated = tx
        .change_application_status(
            &actor,
            StatusChange {
                id: &case.id,
                expected_version: version,
                action: action.as_str(),
                to_status: to.as_str(),
                message: req.message.as_deref(),
                decision_code: if deciding { code.as_deref() } else { None },
                decision_reasons: if deciding {
                    req.message.as_deref()
                } else {
                    None
                },
                on_date: &on_date,
            },
        )
        .await?;
    // An officer who starts a review takes the case unless someone already has it.
    if action == Action::StartReview
        && updated.assigned_to.is_none()
        && let auth::Actor::User { id: officer, .. } = &caller.actor
    {
        updated = tx
            .assign_application(&actor, &case.id, updated.version, Some(officer))
            .await?;
    }
    if action == Action::Approve
        && kind == ApplicationKind::AdvanceRuling
        && let (Some(code), Some(description)) = (&code, case.fields.get("goods_description"))
    {
        tx.add_labelled_example("advance_ruling", &case.reference, description, code)
            .await?;
    }
    let message = notice(kind, action, to, req.message.as_deref());
    tx.notify_company(&case.company_id, &case.reference, &message)
        .await?;
    tx.commit().await?;
    Ok(updated)
}

#[derive(Deserialize)]
struct AssignRequest {
    /// An officer's user id; null releases the case.
    officer_id: Option<String>,
    version: Option<i64>,
}

async fn assign(
    State(state): State<AppState>,
    caller: super::Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Json<AssignRequest>, JsonRejection>,
) -> Result<Response, Problem> {
    let req = json_body(body)?;
    let version = expected_version(req.version, &headers)?;
    let case = assign_case(&state, &caller, &id, version, req.officer_id.as_deref()).await?;
    view(&state, &caller, case).await
}

/// Gives a case to an active officer, or releases it (`None`).
pub(crate) async fn assign_case(
    state: &AppState,
    caller: &super::Caller,
    id: &str,
    version: i64,
    officer: Option<&str>,
) -> Result<ApplicationRecord, Problem> {
    let case = load(state, caller, id).await?;
    let store = &platform(state).store;
    if let Some(officer) = officer {
        match store.user(officer).await? {
            Some(u) if u.role == auth::Role::Officer && !u.disabled => {}
            _ => {
                return Err(Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "officer_id: not an active customs officer.",
                ));
            }
        }
    }
    let mut tx = store.write().await?;
    let case = tx
        .assign_application(&caller.audit_name(), &case.id, version, officer)
        .await?;
    tx.commit().await?;
    Ok(case)
}

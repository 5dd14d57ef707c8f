//! The platform's pages: sign-in, applicants' cases and forms, the officers' review queue,
//! and public AEO verification. They work without JavaScript: forms post, the server
//! redirects (POST-redirect-GET), and every form carries the session's CSRF token.

use std::collections::BTreeMap;

use auth::Denied;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, get, post};
use eapp::{Action, ApplicationKind, FieldKind, Status};
use maud::{Markup, html};
use serde::Deserialize;
use store::applications::{ApplicationFilter, ApplicationRecord, QueueOrder};

use super::applications_api::{
    ActionRequest, act_on_case, create_case, edit_case, load, stored_kind, stored_status,
};
use super::caller::{Caller, csrf_token};
use super::casework::{self, party_of};
use super::platform;
use crate::web::layout::{PageCtx, page};
use crate::{AppState, Problem};

pub fn handler(method: &str, path: &str) -> Option<MethodRouter<AppState>> {
    Some(match (method, path) {
        ("GET", "/login") => get(super::pages_session::login_page),
        ("POST", "/login") => post(super::pages_session::login_submit),
        ("POST", "/logout") => post(super::pages_session::logout),
        ("GET", "/applications") => get(cases_page),
        ("GET", "/applications/new") => get(new_page),
        ("POST", "/applications/new") => post(new_submit),
        ("GET", "/applications/{id}") => get(case_page),
        ("POST", "/applications/{id}/edit") => post(edit_submit),
        ("POST", "/applications/{id}/act") => post(act_submit),
        ("POST", "/applications/{id}/assign") => post(assign_submit),
        ("POST", "/applications/{id}/attach") => post(super::attachments_api::attach_from_page)
            .layer(axum::extract::DefaultBodyLimit::max(
                crate::limits::MAX_UPLOAD_BYTES,
            )),
        ("GET", "/review-queue") => get(queue_page),
        ("GET", "/vehicles") => get(super::pages_vehicles::list),
        ("POST", "/vehicles") => post(super::pages_vehicles::record_submit),
        ("POST", "/vehicles/import") => post(super::pages_vehicles::import_submit).layer(
            axum::extract::DefaultBodyLimit::max(crate::limits::MAX_UPLOAD_BYTES),
        ),
        ("GET", "/vehicles/{vin}") => get(super::pages_vehicles::vehicle_page),
        ("POST", "/vehicles/{vin}/status") => post(super::pages_vehicles::status_submit),
        ("POST", "/vehicles/{vin}/amend") => post(super::pages_vehicles::amend_submit),
        ("GET", "/aeo/verify") => get(super::pages_aeo::verify_page),
        ("GET", "/aeo") => get(super::pages_aeo_cases::home),
        ("POST", "/aeo/evidence") => post(super::pages_aeo_cases::upload_evidence).layer(
            axum::extract::DefaultBodyLimit::max(crate::limits::MAX_UPLOAD_BYTES),
        ),
        ("GET", "/aeo/apply") => get(super::pages_aeo_cases::apply_page),
        ("POST", "/aeo/apply") => post(super::pages_aeo_cases::apply_submit),
        ("GET", "/aeo/cases/{id}") => get(super::pages_aeo_cases::case_page),
        ("POST", "/aeo/cases/{id}/act") => post(super::pages_aeo_cases::act_submit),
        _ => return None,
    })
}

fn plain_ctx(uri: &Uri) -> PageCtx {
    PageCtx {
        lang: crate::web::Lang::En,
        chosen: false,
        uri: uri.clone(),
        private: false,
    }
}

/// What the guard answers on a page: sign in first, or a plain "not for you".
pub fn denied(denied: Denied, uri: &Uri) -> Response {
    match denied {
        Denied::Unauthenticated => {
            let next = uri.path_and_query().map_or("/", |p| p.as_str());
            let target = format!(
                "/login?next={}",
                percent_encoding::utf8_percent_encode(next, percent_encoding::NON_ALPHANUMERIC)
            );
            Redirect::to(&target).into_response()
        }
        other => page(
            &plain_ctx(uri),
            StatusCode::FORBIDDEN,
            "Not allowed",
            html! {
                h1 { "Not allowed" }
                p { (other.to_string()) "." }
            },
        ),
    }
}

pub(crate) fn csrf_field(caller: &Caller) -> Markup {
    html! { input type="hidden" name="csrf" value=(caller.session.as_deref().map(csrf_token).unwrap_or_default()); }
}

pub(crate) fn problem_box(message: Option<&str>) -> Markup {
    html! { @if let Some(m) = message { div.alert role="alert" { (m) } } }
}

pub(crate) fn problem_text(p: &Problem) -> String {
    let mut text = p.detail.clone();
    for e in &p.errors {
        text.push_str(&format!(" {}: {}.", e.field, e.message));
    }
    text
}

fn badge(status: &str) -> Markup {
    let label = Status::parse(status).map_or(status, |s| s.label());
    html! { span class=(format!("badge {status}")) { (label) } }
}

fn clock_line(clock: &casework::ClockView) -> Markup {
    html! {
        span class=(format!("clock {}", clock.state)) {
            @match (clock.state, &clock.due) {
                ("stopped", _) => { "Clock stopped: waiting for the applicant" @if let Some(r) = &clock.reply_due { " (reply due " (r) ")" } }
                ("finished", _) => { "Decided in " (clock.working_days_used) " working days" }
                (_, Some(due)) => { "Due " (due) " · " (clock.working_days_left) " of " (clock.legal_working_days) " working days left" }
                _ => { "Not submitted yet" }
            }
        }
    }
}

async fn cases_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    caller: Caller,
) -> Result<Response, Problem> {
    let companies = casework::visible_companies(&state, &caller.actor).await?;
    let staff = companies.is_none();
    let (cases, total) = platform(&state)
        .store
        .list_applications(&ApplicationFilter {
            companies,
            or_filed_by: (caller.actor.role() == Some(auth::Role::Broker))
                .then(|| caller.actor.company().unwrap_or_default().to_string()),
            exclude_drafts: staff,
            order: QueueOrder::NewestFirst,
            limit: 100,
            ..Default::default()
        })
        .await?;
    let applicant = party_of(&caller.actor) == Some(eapp::Party::Applicant);
    Ok(page(
        &ctx,
        StatusCode::OK,
        "Applications",
        html! {
            h1 { "Applications" }
            p {
                @if applicant { a.button href="/applications/new" { "New application" } " " }
                @if staff { a href="/review-queue" { "Review queue" } " " }
                form.inline method="post" action="/logout" { (csrf_field(&caller)) button.link type="submit" { "Sign out" } }
            }
            p { (total) " application(s)" }
            table.cases {
                thead { tr { th { "Reference" } th { "Type" } th { "Company" } th { "Status" } th { "Updated" } } }
                tbody {
                    @for c in &cases {
                        tr {
                            td { a href=(format!("/applications/{}", c.id)) { (c.reference) } }
                            td { (ApplicationKind::parse(&c.kind).map_or(c.kind.as_str(), |k| k.title())) }
                            td { (c.company_id) }
                            td { (badge(&c.status)) }
                            td { (c.updated_at.get(..10).unwrap_or_default()) }
                        }
                    }
                }
            }
        },
    ))
}

fn field_input(field: &eapp::Field, value: &str) -> Markup {
    let id = format!("f-{}", field.name);
    html! {
        label for=(id) { (field.label) @if field.required { " *" } @if field.confidential { " (confidential)" } }
        @if !field.help.is_empty() { p.hint { (field.help) } }
        @match field.kind {
            FieldKind::LongText { max_chars } => { textarea id=(id) name=(field.name) maxlength=(max_chars) rows="4" { (value) } }
            FieldKind::Choice(options) => {
                select id=(id) name=(field.name) {
                    option value="" { "—" }
                    @for (v, label) in options { option value=(v) selected[*v == value] { (label) } }
                }
            }
            FieldKind::Date => { input id=(id) type="date" name=(field.name) value=(value); }
            FieldKind::Integer { min, max } => { input id=(id) type="number" name=(field.name) min=(min) max=(max) value=(value); }
            FieldKind::HsCode => { input id=(id) type="text" name=(field.name) value=(value) placeholder="0813.40" maxlength="12"; }
            FieldKind::Money => { input id=(id) type="text" inputmode="decimal" name=(field.name) value=(value) placeholder="1250.00"; }
            FieldKind::Country => { input id=(id) type="text" name=(field.name) value=(value) placeholder="TW" maxlength="2"; }
            FieldKind::Text { max_chars } => { input id=(id) type="text" name=(field.name) value=(value) maxlength=(max_chars); }
        }
    }
}

#[derive(Deserialize)]
struct KindQuery {
    kind: Option<String>,
}

fn new_form(
    kind: ApplicationKind,
    caller: &Caller,
    values: &BTreeMap<String, String>,
    clients: &[String],
    error: Option<&str>,
) -> Markup {
    html! {
        h1 { (kind.title()) }
        p.hint { "Customs decides within " (kind.legal_working_days()) " working days of submission; the clock stops while customs waits for you." }
        (problem_box(error))
        form.stack method="post" action="/applications/new" {
            (csrf_field(caller))
            input type="hidden" name="kind" value=(kind.as_str());
            @if !clients.is_empty() {
                label for="company_id" { "Filing for" }
                select #company_id name="company_id" {
                    option value="" { "Our own company" }
                    @for c in clients { option value=(c) selected[values.get("company_id").map(String::as_str) == Some(c.as_str())] { (c) } }
                }
            }
            @for field in kind.schema() { (field_input(field, values.get(field.name).map_or("", String::as_str))) }
            div.row {
                button type="submit" name="intent" value="draft" { "Save draft" }
                button type="submit" name="intent" value="submit" { "Submit to customs" }
            }
        }
    }
}

async fn clients(state: &AppState, caller: &Caller) -> Result<Vec<String>, Problem> {
    Ok(match (caller.actor.role(), caller.actor.company()) {
        (Some(auth::Role::Broker), Some(own)) => platform(state).store.clients_of(own).await?,
        _ => Vec::new(),
    })
}

async fn new_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    caller: Caller,
    Query(q): Query<KindQuery>,
) -> Result<Response, Problem> {
    let Some(kind) = q.kind.as_deref().and_then(ApplicationKind::parse) else {
        return Ok(page(
            &ctx,
            StatusCode::OK,
            "New application",
            html! {
                h1 { "New application" }
                ul.kinds {
                    @for k in ApplicationKind::ALL {
                        li { a href=(format!("/applications/new?kind={}", k.as_str())) { (k.title()) } " — decided within " (k.legal_working_days()) " working days" }
                    }
                }
            },
        ));
    };
    let clients = clients(&state, &caller).await?;
    Ok(page(
        &ctx,
        StatusCode::OK,
        kind.title(),
        new_form(kind, &caller, &BTreeMap::new(), &clients, None),
    ))
}

/// Form posts carry the CSRF token and the button pressed besides the fields.
fn form_fields(
    mut form: BTreeMap<String, String>,
) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let mut meta = BTreeMap::new();
    for key in [
        "csrf",
        "intent",
        "kind",
        "company_id",
        "version",
        "action",
        "message",
        "decision_code",
    ] {
        if let Some(v) = form.remove(key) {
            meta.insert(key.to_string(), v);
        }
    }
    form.retain(|_, v| !v.trim().is_empty());
    (meta, form)
}

/// POST-redirect-GET with a message the next page shows.
pub(crate) fn redirect_with_msg(to: &str, message: &str) -> Redirect {
    let msg = percent_encoding::utf8_percent_encode(message, percent_encoding::NON_ALPHANUMERIC);
    Redirect::to(&format!("{to}?msg={msg}"))
}

fn with_msg(id: &str, message: &str) -> Redirect {
    redirect_with_msg(&format!("/applications/{id}"), message)
}

async fn new_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    caller: Caller,
    Form(form): Form<BTreeMap<String, String>>,
) -> Result<Response, Problem> {
    let (meta, fields) = form_fields(form);
    let kind_name = meta.get("kind").cloned().unwrap_or_default();
    let kind = ApplicationKind::parse(&kind_name)
        .ok_or_else(|| Problem::bad_request("kind: unknown application type"))?;
    let case = match create_case(
        &state,
        &caller,
        &kind_name,
        fields.clone(),
        meta.get("company_id").map(String::as_str),
    )
    .await
    {
        Ok(case) => case,
        Err(problem) => {
            let clients = clients(&state, &caller).await?;
            let mut values = fields;
            values.extend(
                meta.get("company_id")
                    .map(|c| ("company_id".to_string(), c.clone())),
            );
            let status =
                StatusCode::from_u16(problem.status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            return Ok(page(
                &ctx,
                status,
                kind.title(),
                new_form(
                    kind,
                    &caller,
                    &values,
                    &clients,
                    Some(&problem_text(&problem)),
                ),
            ));
        }
    };
    if meta.get("intent").map(String::as_str) == Some("submit") {
        let submit = ActionRequest {
            action: "submit".into(),
            version: Some(case.version),
            message: None,
            decision_code: None,
        };
        if let Err(problem) = act_on_case(&state, &caller, &case.id, case.version, submit).await {
            return Ok(with_msg(
                &case.id,
                &format!(
                    "Saved as a draft, not submitted: {}",
                    problem_text(&problem)
                ),
            )
            .into_response());
        }
    }
    Ok(Redirect::to(&format!("/applications/{}", case.id)).into_response())
}

#[derive(Deserialize)]
struct MsgQuery {
    msg: Option<String>,
}

fn action_form(
    caller: &Caller,
    case: &ApplicationRecord,
    kind: ApplicationKind,
    action: Action,
) -> Markup {
    let needs_message = matches!(
        action,
        Action::RequestInfo | Action::Reject | Action::Approve | Action::Respond
    );
    let label = match action {
        Action::Submit => "Submit to customs",
        Action::StartReview => "Start review",
        Action::RequestInfo => "Ask for more information",
        Action::Respond => "Send my answer",
        Action::Approve => "Approve",
        Action::Reject => "Reject",
        Action::Withdraw => "Withdraw",
    };
    html! {
        form.action.stack method="post" action=(format!("/applications/{}/act", case.id)) {
            (csrf_field(caller))
            input type="hidden" name="action" value=(action.as_str());
            input type="hidden" name="version" value=(case.version);
            @if action == Action::Approve && kind == ApplicationKind::AdvanceRuling {
                label for=(format!("code-{}", action.as_str())) { "Decided code" }
                input id=(format!("code-{}", action.as_str())) type="text" name="decision_code" placeholder="0813.40"
                    value=(case.fields.get("intended_code").map_or("", String::as_str));
            }
            @if needs_message {
                label for=(format!("msg-{}", action.as_str())) { @if action == Action::Respond { "Your answer" } @else { "Reasons or request (sent to the applicant)" } }
                textarea id=(format!("msg-{}", action.as_str())) name="message" rows="2" {}
            }
            button type="submit" name="do" value=(action.as_str()) { (label) }
        }
    }
}

async fn case_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<MsgQuery>,
) -> Result<Response, Problem> {
    let case = match load(&state, &caller, &id).await {
        Ok(case) => case,
        Err(_) => {
            return Ok(page(
                &ctx,
                StatusCode::NOT_FOUND,
                "Not found",
                html! { h1 { "No such application" } p { a href="/applications" { "Your applications" } } },
            ));
        }
    };
    let store = &platform(&state).store;
    let kind = stored_kind(&case)?;
    let status = stored_status(&case)?;
    let events = store.application_events(&case.id).await?;
    let attachments = store.attachments("application", &case.id).await?;
    let clock = casework::clock_view(&state, kind, &events);
    let party = party_of(&caller.actor);
    let actions = party
        .map(|p| eapp::allowed_actions(status, p))
        .unwrap_or_default();
    let editable = party == Some(eapp::Party::Applicant)
        && matches!(status, Status::Draft | Status::InfoRequested);
    Ok(page(
        &ctx,
        StatusCode::OK,
        &case.reference,
        html! {
            p { a href="/applications" { "← Applications" } }
            h1 { (case.reference) " · " (kind.title()) }
            (problem_box(q.msg.as_deref()))
            p { (badge(&case.status)) " " (clock_line(&clock)) }
            @if let Some(code) = &case.decision_code { p.decision { "Decided code: " strong { (code) } } }
            @if let Some(reasons) = &case.decision_reasons { p.decision { (reasons) } }
            @if editable {
                form.stack method="post" action=(format!("/applications/{}/edit", case.id)) {
                    (csrf_field(&caller))
                    input type="hidden" name="version" value=(case.version);
                    @for field in kind.schema() { (field_input(field, case.fields.get(field.name).map_or("", String::as_str))) }
                    button type="submit" { "Save changes" }
                }
            } @else {
                dl.fields {
                    @for field in kind.schema() {
                        @if let Some(v) = case.fields.get(field.name) { dt { (field.label) } dd { (v) } }
                    }
                }
            }
            @if !attachments.is_empty() || editable {
                h2 { "Attachments" }
                ul { @for a in &attachments { li { a href=(format!("/api/v1/applications/{}/attachments/{}", case.id, a.id)) { (a.filename) } " (" (a.size_bytes) " bytes" @if a.confidential { ", confidential" } ")" } } }
            }
            @if editable {
                form.stack method="post" enctype="multipart/form-data"
                    action=(format!("/applications/{}/attach?csrf={}", case.id, caller.session.as_deref().map(csrf_token).unwrap_or_default())) {
                    label for="file" { "Add a photo, specification or document (PDF, PNG, JPEG, text, CSV; up to 10 MiB)" }
                    input #file type="file" name="file" required;
                    label { input type="checkbox" name="confidential" value="yes"; " Confidential: never published" }
                    button type="submit" { "Attach" }
                }
            }
            @if party == Some(eapp::Party::Officer) && !status.is_terminal() {
                form.inline method="post" action=(format!("/applications/{}/assign", case.id)) {
                    (csrf_field(&caller))
                    input type="hidden" name="version" value=(case.version);
                    @if case.assigned_to.as_deref() == caller_id(&caller) {
                        "Assigned to you. "
                        input type="hidden" name="officer_id" value="";
                        button.link type="submit" { "Release" }
                    } @else {
                        @if case.assigned_to.is_some() { "Assigned to another officer. " }
                        input type="hidden" name="officer_id" value=(caller_id(&caller).unwrap_or_default());
                        button.link type="submit" { "Assign to me" }
                    }
                }
            }
            @if !actions.is_empty() {
                h2 { "Next steps" }
                @for action in &actions { (action_form(&caller, &case, kind, *action)) }
            }
            h2 { "History" }
            ol.timeline {
                @for e in &events {
                    li { time datetime=(e.at) { (e.on_date) } " " (e.action.replace('_', " ")) " → " (badge(&e.to_status)) @if let Some(m) = &e.message { " — " (m) } }
                }
            }
        },
    ))
}

async fn edit_submit(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(form): Form<BTreeMap<String, String>>,
) -> Response {
    let (meta, fields) = form_fields(form);
    let version = meta
        .get("version")
        .and_then(|v| v.parse().ok())
        .unwrap_or(-1);
    match edit_case(&state, &caller, &id, version, fields).await {
        Ok(_) => with_msg(&id, "Saved.").into_response(),
        Err(problem) => {
            with_msg(&id, &format!("Not saved: {}", problem_text(&problem))).into_response()
        }
    }
}

async fn assign_submit(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(form): Form<BTreeMap<String, String>>,
) -> Response {
    let version = form
        .get("version")
        .and_then(|v| v.parse().ok())
        .unwrap_or(-1);
    let officer = form
        .get("officer_id")
        .map(String::as_str)
        .filter(|o| !o.is_empty());
    match super::applications_api::assign_case(&state, &caller, &id, version, officer).await {
        Ok(case) if case.assigned_to.is_some() => with_msg(&id, "Assigned to you.").into_response(),
        Ok(_) => with_msg(&id, "Released to the queue.").into_response(),
        Err(problem) => with_msg(&id, &problem_text(&problem)).into_response(),
    }
}

async fn act_submit(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(form): Form<BTreeMap<String, String>>,
) -> Response {
    let (meta, _) = form_fields(form);
    let version = meta
        .get("version")
        .and_then(|v| v.parse().ok())
        .unwrap_or(-1);
    let req = ActionRequest {
        action: meta.get("action").cloned().unwrap_or_default(),
        version: Some(version),
        message: meta
            .get("message")
            .filter(|m| !m.trim().is_empty())
            .cloned(),
        decision_code: meta
            .get("decision_code")
            .filter(|m| !m.trim().is_empty())
            .cloned(),
    };
    match act_on_case(&state, &caller, &id, version, req).await {
        Ok(_) => Redirect::to(&format!("/applications/{id}")).into_response(),
        Err(problem) => with_msg(&id, &problem_text(&problem)).into_response(),
    }
}

#[derive(Deserialize)]
struct QueueFilter {
    assigned: Option<String>,
}

async fn queue_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    caller: Caller,
    Query(q): Query<QueueFilter>,
) -> Result<Response, Problem> {
    let items =
        super::queue_api::open_cases(&state, &caller, None, None, q.assigned.as_deref(), "due")
            .await?;
    let mut res = page(
        &ctx,
        StatusCode::OK,
        "Review queue",
        html! {
            h1 { "Review queue" }
            p { a href="/review-queue" { "All open" } " · " a href="/review-queue?assigned=none" { "Unassigned" } " · " a href="/review-queue?assigned=me" { "Mine" } }
            table.cases {
                thead { tr { th { "Due" } th { "Reference" } th { "Type" } th { "Company" } th { "Status" } th { "Assigned" } } }
                tbody {
                    @for i in &items {
                        tr class=(format!("clock-{}", i.clock.state)) {
                            td { (clock_line(&i.clock)) }
                            td { a href=(format!("/applications/{}", i.id)) { (i.reference) } }
                            td { (i.title) }
                            td { (i.company_id) }
                            td { (badge(&i.status)) }
                            td { (i.assigned_to.as_deref().map_or("—", |a| if Some(a) == caller_id(&caller) { "me" } else { "another officer" })) }
                        }
                    }
                }
            }
        },
    );
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

fn caller_id(caller: &Caller) -> Option<&str> {
    match &caller.actor {
        auth::Actor::User { id, .. } => Some(id),
        _ => None,
    }
}

//! The platform's pages: sign-in, applicants' cases and forms, the officers' review queue,
//! and public AEO verification. They work without JavaScript: forms post, the server
//! redirects (POST-redirect-GET), and every form carries the session's CSRF token.

use std::collections::BTreeMap;

use auth::Denied;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
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
use super::i18n::{self, Lang};
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
        ("GET", "/review-queue") => get(super::pages_queue::queue_page),
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

/// The guard runs before the handlers' extractors, so it negotiates the language itself.
pub(crate) fn plain_ctx(uri: &Uri, headers: &HeaderMap) -> PageCtx {
    let asked = uri.query().and_then(|q| {
        q.split('&')
            .find_map(|kv| kv.strip_prefix("lang="))
            .map(str::to_string)
    });
    PageCtx {
        lang: Lang::negotiate(asked.as_deref(), headers),
        chosen: false,
        uri: uri.clone(),
        private: false,
    }
}

/// What the guard answers on a page: sign in first, or a plain "not for you".
pub fn denied(denied: Denied, uri: &Uri, headers: &HeaderMap) -> Response {
    match denied {
        Denied::Unauthenticated => {
            let next = uri.path_and_query().map_or("/", |p| p.as_str());
            let target = format!(
                "/login?next={}",
                percent_encoding::utf8_percent_encode(next, percent_encoding::NON_ALPHANUMERIC)
            );
            Redirect::to(&target).into_response()
        }
        other => {
            let ctx = plain_ctx(uri, headers);
            let c = i18n::common(ctx.lang);
            page(
                &ctx,
                StatusCode::FORBIDDEN,
                c.not_allowed,
                html! {
                    h1 { (c.not_allowed) }
                    p { (i18n::denied_text(ctx.lang, &other)) }
                },
            )
        }
    }
}

pub(crate) fn csrf_field(caller: &Caller) -> Markup {
    html! { input type="hidden" name="csrf" value=(caller.session.as_deref().map(csrf_token).unwrap_or_default()); }
}

pub(crate) fn problem_box(message: Option<&str>) -> Markup {
    html! { @if let Some(m) = message { div.alert role="alert" { (m) } } }
}

pub(crate) use super::i18n::problems::problem_text;

pub(crate) fn badge(lang: Lang, status: &str) -> Markup {
    let label = Status::parse(status).map_or(status, i18n::eapp::t(lang).status);
    html! { span class=(format!("badge {status}")) { (label) } }
}

pub(crate) fn clock_line(lang: Lang, clock: &casework::ClockView) -> Markup {
    let t = i18n::eapp::t(lang);
    html! {
        span class=(format!("clock {}", clock.state)) {
            @match (clock.state, &clock.due) {
                ("stopped", _) => { (t.clock_stopped) @if let Some(r) = &clock.reply_due { ((t.reply_due)(r)) } }
                ("finished", _) => { ((t.decided_in)(clock.working_days_used)) }
                (_, Some(due)) => { ((t.due_left)(due, clock.working_days_left, clock.legal_working_days)) }
                _ => { (t.not_submitted) }
            }
        }
    }
}

pub(crate) fn kind_title(lang: Lang, kind: &str) -> &str {
    ApplicationKind::parse(kind).map_or(kind, i18n::eapp::t(lang).title)
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
    let (t, c) = (i18n::eapp::t(ctx.lang), i18n::common(ctx.lang));
    Ok(page(
        &ctx,
        StatusCode::OK,
        t.applications,
        html! {
            h1 { (t.applications) }
            p {
                @if applicant { a.button href="/applications/new" { (t.new_application) } " " }
                @if staff { a href="/review-queue" { (t.review_queue) } " " }
                form.inline method="post" action="/logout" { (csrf_field(&caller)) button.link type="submit" { (t.sign_out) } }
            }
            p { ((t.count)(total)) }
            table.cases {
                thead { tr { th { (c.reference) } th { (t.kind) } th { (c.company) } th { (c.status) } th { (c.updated) } } }
                tbody {
                    @for c in &cases {
                        tr {
                            td { a href=(format!("/applications/{}", c.id)) { (c.reference) } }
                            td { (kind_title(ctx.lang, &c.kind)) }
                            td { (c.company_id) }
                            td { (badge(ctx.lang, &c.status)) }
                            td { (c.updated_at.get(..10).unwrap_or_default()) }
                        }
                    }
                }
            }
        },
    ))
}

/// A field's label and help in the reader's language.
fn field_words(lang: Lang, field: &eapp::Field) -> (&'static str, &'static str) {
    (i18n::eapp::t(lang).field)(field.name).unwrap_or((field.label, field.help))
}

fn field_input(lang: Lang, field: &eapp::Field, value: &str) -> Markup {
    let id = format!("f-{}", field.name);
    let t = i18n::eapp::t(lang);
    let (label, help) = field_words(lang, field);
    html! {
        label for=(id) { (label) @if field.required { " *" } @if field.confidential { (t.confidential_mark) } }
        @if !help.is_empty() { p.hint { (help) } }
        @match field.kind {
            FieldKind::LongText { max_chars } => { textarea id=(id) name=(field.name) maxlength=(max_chars) rows="4" { (value) } }
            FieldKind::Choice(options) => {
                select id=(id) name=(field.name) {
                    option value="" { "—" }
                    @for (v, label) in options { option value=(v) selected[*v == value] { ((t.choice)(v).unwrap_or(label)) } }
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
    lang: Lang,
    kind: ApplicationKind,
    caller: &Caller,
    values: &BTreeMap<String, String>,
    clients: &[String],
    error: Option<&str>,
) -> Markup {
    let t = i18n::eapp::t(lang);
    html! {
        h1 { ((t.title)(kind)) }
        p.hint { ((t.decides_within)(kind.legal_working_days())) }
        (problem_box(error))
        form.stack method="post" action="/applications/new" {
            (csrf_field(caller))
            input type="hidden" name="kind" value=(kind.as_str());
            @if !clients.is_empty() {
                label for="company_id" { (t.filing_for) }
                select #company_id name="company_id" {
                    option value="" { (t.own_company) }
                    @for c in clients { option value=(c) selected[values.get("company_id").map(String::as_str) == Some(c.as_str())] { (c) } }
                }
            }
            @for field in kind.schema() { (field_input(lang, field, values.get(field.name).map_or("", String::as_str))) }
            div.row {
                button type="submit" name="intent" value="draft" { (t.save_draft) }
                button type="submit" name="intent" value="submit" { ((t.action)(Action::Submit)) }
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
    let t = i18n::eapp::t(ctx.lang);
    let Some(kind) = q.kind.as_deref().and_then(ApplicationKind::parse) else {
        return Ok(page(
            &ctx,
            StatusCode::OK,
            t.new_application,
            html! {
                h1 { (t.new_application) }
                ul.kinds {
                    @for k in ApplicationKind::ALL {
                        li { a href=(format!("/applications/new?kind={}", k.as_str())) { ((t.title)(k)) } ((t.decided_within)(k.legal_working_days())) }
                    }
                }
            },
        ));
    };
    let clients = clients(&state, &caller).await?;
    Ok(page(
        &ctx,
        StatusCode::OK,
        (t.title)(kind),
        new_form(ctx.lang, kind, &caller, &BTreeMap::new(), &clients, None),
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
    let kind = ApplicationKind::parse(&kind_name).ok_or_else(|| {
        use super::i18n::refusals::{UnknownApplicationKind, refusal};
        refusal(StatusCode::BAD_REQUEST, UnknownApplicationKind)
    })?;
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
                (i18n::eapp::t(ctx.lang).title)(kind),
                new_form(
                    ctx.lang,
                    kind,
                    &caller,
                    &values,
                    &clients,
                    Some(&problem_text(ctx.lang, &problem)),
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
                &(i18n::eapp::t(ctx.lang).saved_not_submitted)(&problem_text(ctx.lang, &problem)),
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
    lang: Lang,
    caller: &Caller,
    case: &ApplicationRecord,
    kind: ApplicationKind,
    action: Action,
) -> Markup {
    let needs_message = matches!(
        action,
        Action::RequestInfo | Action::Reject | Action::Approve | Action::Respond
    );
    let t = i18n::eapp::t(lang);
    let label = (t.action)(action);
    html! {
        form.action.stack method="post" action=(format!("/applications/{}/act", case.id)) {
            (csrf_field(caller))
            input type="hidden" name="action" value=(action.as_str());
            input type="hidden" name="version" value=(case.version);
            @if action == Action::Approve && kind == ApplicationKind::AdvanceRuling {
                label for=(format!("code-{}", action.as_str())) { (t.decided_code) }
                input id=(format!("code-{}", action.as_str())) type="text" name="decision_code" placeholder="0813.40"
                    value=(case.fields.get("intended_code").map_or("", String::as_str));
            }
            @if needs_message {
                label for=(format!("msg-{}", action.as_str())) { @if action == Action::Respond { (t.your_answer) } @else { (t.reasons_or_request) } }
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
    let (t, c) = (i18n::eapp::t(ctx.lang), i18n::common(ctx.lang));
    let lang = ctx.lang;
    let case = match load(&state, &caller, &id).await {
        Ok(case) => case,
        Err(_) => {
            return Ok(page(
                &ctx,
                StatusCode::NOT_FOUND,
                c.not_found,
                html! { h1 { (t.no_such_case) } p { a href="/applications" { (t.your_applications) } } },
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
            p { a href="/applications" { (t.back) } }
            h1 { (case.reference) " · " ((t.title)(kind)) }
            (problem_box(q.msg.as_deref()))
            p { (badge(lang, &case.status)) " " (clock_line(lang, &clock)) }
            @if let Some(code) = &case.decision_code { p.decision { (t.decided_code_is) strong { (code) } } }
            @if let Some(reasons) = &case.decision_reasons { p.decision { (reasons) } }
            @if editable {
                form.stack method="post" action=(format!("/applications/{}/edit", case.id)) {
                    (csrf_field(&caller))
                    input type="hidden" name="version" value=(case.version);
                    @for field in kind.schema() { (field_input(lang, field, case.fields.get(field.name).map_or("", String::as_str))) }
                    button type="submit" { (t.save_changes) }
                }
            } @else {
                dl.fields {
                    @for field in kind.schema() {
                        @if let Some(v) = case.fields.get(field.name) { dt { (field_words(lang, field).0) } dd { (v) } }
                    }
                }
            }
            @if !attachments.is_empty() || editable {
                h2 { (t.attachments) }
                ul { @for a in &attachments { li { a href=(format!("/api/v1/applications/{}/attachments/{}", case.id, a.id)) { (a.filename) } " (" ((c.bytes)(a.size_bytes)) @if a.confidential { ", " (c.confidential) } ")" } } }
            }
            @if editable {
                form.stack method="post" enctype="multipart/form-data"
                    action=(format!("/applications/{}/attach?csrf={}", case.id, caller.session.as_deref().map(csrf_token).unwrap_or_default())) {
                    label for="file" { (t.attach_label) }
                    input #file type="file" name="file" required;
                    label { input type="checkbox" name="confidential" value="yes"; (t.never_published) }
                    button type="submit" { (t.attach) }
                }
            }
            @if party == Some(eapp::Party::Officer) && !status.is_terminal() {
                form.inline method="post" action=(format!("/applications/{}/assign", case.id)) {
                    (csrf_field(&caller))
                    input type="hidden" name="version" value=(case.version);
                    @if case.assigned_to.as_deref() == caller_id(&caller) {
                        (t.assigned_to_you)
                        input type="hidden" name="officer_id" value="";
                        button.link type="submit" { (t.release) }
                    } @else {
                        @if case.assigned_to.is_some() { (t.assigned_other) }
                        input type="hidden" name="officer_id" value=(caller_id(&caller).unwrap_or_default());
                        button.link type="submit" { (t.assign_to_me) }
                    }
                }
            }
            @if !actions.is_empty() {
                h2 { (c.next_steps) }
                @for action in &actions { (action_form(lang, &caller, &case, kind, *action)) }
            }
            h2 { (c.history) }
            ol.timeline {
                @for e in &events {
                    li { time datetime=(e.at) { (e.on_date) } " " ((t.event)(&e.action)) " → " (badge(lang, &e.to_status)) @if let Some(m) = &e.message { " — " (m) } }
                }
            }
        },
    ))
}

async fn edit_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    caller: Caller,
    Path(id): Path<String>,
    Form(form): Form<BTreeMap<String, String>>,
) -> Response {
    let (meta, fields) = form_fields(form);
    let version = meta
        .get("version")
        .and_then(|v| v.parse().ok())
        .unwrap_or(-1);
    let t = i18n::eapp::t(ctx.lang);
    match edit_case(&state, &caller, &id, version, fields).await {
        Ok(_) => with_msg(&id, t.saved).into_response(),
        Err(problem) => {
            with_msg(&id, &(t.not_saved)(&problem_text(ctx.lang, &problem))).into_response()
        }
    }
}

async fn assign_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
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
    let t = i18n::eapp::t(ctx.lang);
    match super::applications_api::assign_case(&state, &caller, &id, version, officer).await {
        Ok(case) if case.assigned_to.is_some() => {
            with_msg(&id, t.assigned_to_you.trim_end()).into_response()
        }
        Ok(_) => with_msg(&id, t.released).into_response(),
        Err(problem) => with_msg(&id, &problem_text(ctx.lang, &problem)).into_response(),
    }
}

async fn act_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
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
        Err(problem) => with_msg(&id, &problem_text(ctx.lang, &problem)).into_response(),
    }
}

pub(crate) fn caller_id(caller: &Caller) -> Option<&str> {
    match &caller.actor {
        auth::Actor::User { id, .. } => Some(id),
        _ => None,
    }
}

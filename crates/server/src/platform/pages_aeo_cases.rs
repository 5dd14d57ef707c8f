//! AEO pages for operators and officers: the operator's cases and evidence, the
//! self-assessment form, and a case page with the officer's next steps. No JavaScript.

use std::collections::BTreeMap;

use aeo::{Action, AnswerKind, OperatorRole, Status};
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::aeo_api::{
    ActionRequest, ApplyRequest, ResponseInput, act_on_aeo, apply_case, load, party,
    stored_responses,
};
use super::aeo_evidence::OWNER_KIND;
use super::aeo_public::{PROFILE_FIELDS, public_status_of};
use super::attachments_api::checked_file;
use super::caller::{Caller, csrf_token};
use super::i18n::{self, Lang, aeo as words};
use super::pages::{csrf_field, problem_box, problem_text};
use super::platform;
use crate::web::layout::{PageCtx, page};
use crate::{AppState, Problem};

fn csrf(caller: &Caller) -> String {
    caller
        .session
        .as_deref()
        .map(csrf_token)
        .unwrap_or_default()
}

fn badge(lang: Lang, status: &str) -> Markup {
    let label = Status::parse(status).map_or(status, words::t(lang).status);
    html! { span class=(format!("badge {status}")) { (label) } }
}

#[derive(Deserialize)]
pub(crate) struct MsgQuery {
    msg: Option<String>,
}

fn msg_redirect(to: &str, message: &str) -> Response {
    super::pages::redirect_with_msg(to, message).into_response()
}

pub(crate) async fn home(
    State(state): State<AppState>,
    ctx: PageCtx,
    caller: Caller,
    Query(q): Query<MsgQuery>,
) -> Result<Response, Problem> {
    let store = &platform(&state).store;
    let staff = caller.actor.role().is_some_and(|r| r.is_staff());
    let company = caller.actor.company().map(str::to_string);
    let companies = (!staff).then(|| company.clone().map(|c| vec![c]).unwrap_or_default());
    let (cases, _) = store.list_aeo(companies.as_deref(), None, 200, 0).await?;
    let evidence = match &company {
        Some(c) if !staff => store.attachments(OWNER_KIND, c).await?,
        _ => Vec::new(),
    };
    let open = cases
        .iter()
        .any(|c| Status::parse(&c.status).is_some_and(|s| !s.is_terminal()));
    let (t, common) = (words::t(ctx.lang), i18n::common(ctx.lang));
    Ok(page(
        &ctx,
        StatusCode::OK,
        t.home_title,
        html! {
            h1 { (t.home_title) }
            (problem_box(q.msg.as_deref()))
            @if !staff && !open { p { a.button href="/aeo/apply" { (t.apply) } } }
            table.cases {
                thead { tr { th { (common.reference) } th { (common.company) } th { (common.status) } th { (t.certificate) } th { (t.public_status_heading) } } }
                tbody {
                    @for c in &cases {
                        tr {
                            td { a href=(format!("/aeo/cases/{}", c.id)) { (c.reference) } }
                            td { (c.company_id) }
                            td { (badge(ctx.lang, &c.status)) }
                            td { (c.certificate_number.as_deref().unwrap_or("—")) }
                            td { ((t.public_cell)(public_status_of(c))) }
                        }
                    }
                }
            }
            @if !staff {
                h2 { (t.evidence) }
                p.hint { (t.evidence_hint) }
                ul { @for a in &evidence { li { (a.filename) " · " ((common.bytes)(a.size_bytes)) } } }
                form.stack method="post" enctype="multipart/form-data" action=(format!("/aeo/evidence?csrf={}", csrf(&caller))) {
                    label for="file" { (t.document) }
                    input #file type="file" name="file" required;
                    button type="submit" { (common.upload) }
                }
            }
        },
    ))
}

pub(crate) async fn upload_evidence(
    State(state): State<AppState>,
    ctx: PageCtx,
    caller: Caller,
    mut multipart: Multipart,
) -> Response {
    let t = words::t(ctx.lang);
    let Some(company) = caller.actor.company().map(str::to_string) else {
        return msg_redirect("/aeo", t.no_company);
    };
    let field = match multipart.next_field().await {
        Ok(Some(field)) => field,
        _ => return msg_redirect("/aeo", t.choose_file),
    };
    let filename = field.file_name().unwrap_or("document").to_string();
    let mut headers = HeaderMap::new();
    if let Some(ct) = field
        .content_type()
        .and_then(|c| HeaderValue::from_str(c).ok())
    {
        headers.insert(header::CONTENT_TYPE, ct);
    }
    let bytes = match field.bytes().await {
        Ok(b) => b,
        Err(_) => {
            return msg_redirect("/aeo", t.upload_broken);
        }
    };
    let (media_type, filename) = match checked_file(&headers, &filename, &bytes) {
        Ok(checked) => checked,
        Err(p) => return msg_redirect("/aeo", &problem_text(ctx.lang, &p)),
    };
    let stored = super::aeo_evidence::store_evidence(
        &state,
        &caller,
        &company,
        &filename,
        &media_type,
        &bytes,
    )
    .await;
    match stored {
        Ok(_) => msg_redirect("/aeo", &(t.uploaded)(&filename)),
        Err(p) => msg_redirect("/aeo", &problem_text(ctx.lang, &p)),
    }
}

/// Submitted values by name; checkboxes and multi-selects repeat names.
type Submitted = BTreeMap<String, Vec<String>>;

fn value<'a>(values: &'a Submitted, name: &str) -> &'a str {
    values
        .get(name)
        .and_then(|v| v.first())
        .map_or("", String::as_str)
}

fn apply_form(
    lang: Lang,
    caller: &Caller,
    evidence: &[store::attachments::Attachment],
    values: &Submitted,
    error: Option<&str>,
) -> Markup {
    let roles: Vec<&str> = values
        .get("role")
        .map(|v| v.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let t = words::t(lang);
    let role_list = |roles: &[OperatorRole]| {
        roles
            .iter()
            .map(|r| match lang {
                Lang::En => r.as_str().to_string(),
                Lang::ZhTw => (t.role)(*r),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    html! {
        h1 { (t.apply) }
        (problem_box(error))
        form.stack method="post" action="/aeo/apply" {
            (csrf_field(caller))
            fieldset {
                legend { (t.what_does) }
                @for r in OperatorRole::ALL {
                    label { input type="checkbox" name="role" value=(r.as_str()) checked[roles.contains(&r.as_str())]; " " ((t.role)(r)) }
                }
            }
            @for (name, label) in PROFILE_FIELDS {
                label for=(format!("p-{name}")) { ((t.profile)(name).unwrap_or(label)) }
                input id=(format!("p-{name}")) type="text" name=(format!("profile.{name}")) value=(value(values, &format!("profile.{name}")));
            }
            @for area in aeo::Area::ALL {
                h2 { ((t.area_title)(area)) }
                @for q in aeo::questions().iter().filter(|q| q.area == area) {
                    div.question {
                        p { strong { (q.id) } " " ((t.question)(q.id).unwrap_or(q.text)) @if !q.roles.is_empty() { span.hint { ((t.for_roles)(&role_list(q.roles))) } } }
                        @match q.kind {
                            AnswerKind::YesNo => {
                                label { input type="radio" name=(format!("q.{}", q.id)) value="yes" checked[value(values, &format!("q.{}", q.id)) == "yes"]; (t.yes) }
                                label { input type="radio" name=(format!("q.{}", q.id)) value="no" checked[value(values, &format!("q.{}", q.id)) == "no"]; (t.no) }
                            }
                            AnswerKind::Number => { input type="number" step="any" name=(format!("q.{}", q.id)) value=(value(values, &format!("q.{}", q.id))); }
                            AnswerKind::Text => { textarea name=(format!("q.{}", q.id)) rows="2" { (value(values, &format!("q.{}", q.id))) } }
                        }
                        @if q.evidence_required {
                            label { (t.evidence) }
                            select name=(format!("e.{}", q.id)) multiple size="3" {
                                @for a in evidence {
                                    option value=(a.id) selected[values.get(&format!("e.{}", q.id)).is_some_and(|v| v.contains(&a.id))] { (a.filename) }
                                }
                            }
                        }
                    }
                }
            }
            label { input type="checkbox" name="consent" value="yes" checked[value(values, "consent") == "yes"]; (t.consent) }
            button type="submit" { (t.submit) }
        }
    }
}

pub(crate) async fn apply_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    caller: Caller,
) -> Result<Response, Problem> {
    let evidence = platform(&state)
        .store
        .attachments(OWNER_KIND, caller.actor.company().unwrap_or_default())
        .await?;
    Ok(page(
        &ctx,
        StatusCode::OK,
        words::t(ctx.lang).apply,
        apply_form(ctx.lang, &caller, &evidence, &Submitted::new(), None),
    ))
}

fn to_request(values: &Submitted) -> ApplyRequest {
    let mut responses = BTreeMap::new();
    for q in aeo::questions() {
        let raw = value(values, &format!("q.{}", q.id)).trim();
        if raw.is_empty() {
            continue;
        }
        let answer = match q.kind {
            AnswerKind::Number => raw
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map_or(
                    serde_json::Value::String(raw.into()),
                    serde_json::Value::Number,
                ),
            _ => serde_json::Value::String(raw.into()),
        };
        let evidence = values
            .get(&format!("e.{}", q.id))
            .cloned()
            .unwrap_or_default();
        responses.insert(q.id.to_string(), ResponseInput { answer, evidence });
    }
    ApplyRequest {
        operator_roles: values.get("role").cloned().unwrap_or_default(),
        profile: PROFILE_FIELDS
            .iter()
            .map(|(n, _)| {
                (
                    n.to_string(),
                    value(values, &format!("profile.{n}")).to_string(),
                )
            })
            .collect(),
        responses,
        publish_consent: value(values, "consent") == "yes",
    }
}

pub(crate) async fn apply_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    caller: Caller,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, Problem> {
    let mut values = Submitted::new();
    for (k, v) in pairs {
        values.entry(k).or_default().push(v);
    }
    match apply_case(&state, &caller, to_request(&values)).await {
        Ok(record) => Ok(Redirect::to(&format!("/aeo/cases/{}", record.id)).into_response()),
        Err(problem) => {
            let evidence = platform(&state)
                .store
                .attachments(OWNER_KIND, caller.actor.company().unwrap_or_default())
                .await?;
            let status =
                StatusCode::from_u16(problem.status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
            Ok(page(
                &ctx,
                status,
                words::t(ctx.lang).apply,
                apply_form(
                    ctx.lang,
                    &caller,
                    &evidence,
                    &values,
                    Some(&problem_text(ctx.lang, &problem)),
                ),
            ))
        }
    }
}

fn action_form(
    lang: Lang,
    caller: &Caller,
    id: &str,
    version: i64,
    action: Action,
    grantable: Option<aeo::Grant>,
) -> Markup {
    let key = action.as_str();
    let t = words::t(lang);
    html! {
        form.action.stack method="post" action=(format!("/aeo/cases/{id}/act")) {
            (csrf_field(caller))
            input type="hidden" name="action" value=(key);
            input type="hidden" name="version" value=(version);
            @match action {
                Action::ScheduleVisit => { label for=(format!("visit-{key}")) { (t.visit_date) } input id=(format!("visit-{key}")) type="date" name="visit_date"; }
                Action::RecordFindings => { label for=(format!("findings-{key}")) { (t.findings) } textarea id=(format!("findings-{key}")) name="findings" rows="2" {} }
                Action::Certify => {
                    label for="grant" { (t.grant) }
                    select #grant name="grant" {
                        @for g in aeo::Grant::ALL { option value=(g.as_str()) selected[Some(g) == grantable] { ((t.grant_name)(g)) } }
                    }
                }
                Action::Refuse | Action::Suspend | Action::Revoke => { label for=(format!("reasons-{key}")) { (t.reasons) } textarea id=(format!("reasons-{key}")) name="reasons" rows="2" {} }
                _ => {}
            }
            button type="submit" name="do" value=(key) { ((t.action)(action)) }
        }
    }
}

pub(crate) async fn case_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<MsgQuery>,
) -> Result<Response, Problem> {
    let (t, common) = (words::t(ctx.lang), i18n::common(ctx.lang));
    let lang = ctx.lang;
    let Ok(record) = load(&state, &caller, &id).await else {
        return Ok(page(
            &ctx,
            StatusCode::NOT_FOUND,
            common.not_found,
            html! { h1 { (t.no_such_case) } },
        ));
    };
    let grant_text = |g: Option<aeo::Grant>| match (lang, g) {
        (_, None) => t.nothing_yet.to_string(),
        (Lang::En, Some(g)) => g.as_str().to_string(),
        (Lang::ZhTw, Some(g)) => (t.grant_name)(g),
    };
    let roles_text = match lang {
        Lang::En => record.operator_roles.join(", "),
        Lang::ZhTw => record
            .operator_roles
            .iter()
            .map(|r| OperatorRole::parse(r).map_or_else(|| r.clone(), t.role))
            .collect::<Vec<_>>()
            .join("、"),
    };
    let status = Status::parse(&record.status).unwrap_or(Status::Submitted);
    let roles: Vec<OperatorRole> = record
        .operator_roles
        .iter()
        .filter_map(|r| OperatorRole::parse(r))
        .collect();
    let assessment = aeo::assess(&roles, &stored_responses(&record.responses));
    let grantable = aeo::grantable(&assessment);
    let actions = party(&caller)
        .map(|p| aeo::allowed_actions(status, p))
        .unwrap_or_default();
    let events = platform(&state).store.aeo_events(&record.id).await?;
    Ok(page(
        &ctx,
        StatusCode::OK,
        &record.reference,
        html! {
            p { a href="/aeo" { (t.back) } }
            h1 { (record.reference) " · " (record.profile.get("legal_name").map_or("", String::as_str)) }
            (problem_box(q.msg.as_deref()))
            p { (badge(lang, &record.status)) @if let Some(n) = &record.certificate_number { (t.certificate_word) strong { (n) } (t.valid_until_word) (record.expires_on.as_deref().unwrap_or("?")) } }
            p { (t.roles) (roles_text) (t.supports) strong { (grant_text(grantable)) } }
            table.cases {
                thead { tr { th { (t.area) } th { (t.applicable) } th { (t.answered) } th { (t.favourable) } } }
                tbody { @for (area, score) in &assessment.per_area { tr { td { ((t.area_title)(*area)) } td { (score.applicable) } td { (score.answered) } td { (score.favourable) } } } }
            }
            @if let Some(d) = &record.visit_date { p { (t.on_site_visit) (d) } }
            @if let Some(f) = &record.findings { p { (t.findings_is) (f) } }
            @if let Some(r) = &record.reasons { p.decision { (r) } }
            @if !actions.is_empty() {
                h2 { (common.next_steps) }
                @for a in &actions { (action_form(lang, &caller, &record.id, record.version, *a, grantable)) }
            }
            h2 { (common.history) }
            ol.timeline { @for e in &events { li { (e.on_date) " " ((t.event)(&e.action)) " → " (badge(lang, &e.to_status)) @if let Some(m) = &e.message { " — " (m) } } } }
        },
    ))
}

pub(crate) async fn act_submit(
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
    let field = |k: &str| form.get(k).filter(|v| !v.trim().is_empty()).cloned();
    let req = ActionRequest {
        action: field("action").unwrap_or_default(),
        version: Some(version),
        grant: field("grant"),
        reasons: field("reasons"),
        visit_date: field("visit_date"),
        findings: field("findings"),
    };
    let to = format!("/aeo/cases/{id}");
    match act_on_aeo(&state, &caller, &id, version, req).await {
        Ok(_) => Redirect::to(&to).into_response(),
        Err(problem) => msg_redirect(&to, &problem_text(ctx.lang, &problem)),
    }
}

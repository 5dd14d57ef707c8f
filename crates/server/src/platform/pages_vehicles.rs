//! Officers' vehicle pages: search the clearances, record one, import a CSV file (with the
//! per-line report on the page when it is refused), and a vehicle's page with its facts,
//! status changes and the timeline of changes and agency reads.

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;
use vehicles::ClearanceInput;

use super::caller::{Caller, csrf_token};
use super::i18n::missing::Missing;
use super::i18n::problems::{detail_text, field_message, field_name};
use super::i18n::{self, Lang, vehicles as words};
use super::pages::{csrf_field, problem_box, problem_text, redirect_with_msg};
use super::platform;
use super::vehicles_api::validated;
use super::vehicles_import::{import_csv, timeline};
use crate::problem::FieldProblem;
use crate::web::layout::{PageCtx, page};
use crate::{AppState, Problem};

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    q: Option<String>,
    msg: Option<String>,
}

/// The clearance fields in form order (the domain's own list); their labels are in
/// `i18n::vehicles`.
const FIELDS: [&str; 13] = ClearanceInput::FIELDS;

/// The field names and their labels in the reader's language.
fn labels(lang: Lang) -> impl Iterator<Item = (&'static str, &'static str)> {
    FIELDS.into_iter().zip(words::t(lang).labels)
}

fn record_form(lang: Lang, caller: &Caller, values: &HashMap<String, String>) -> Markup {
    let t = words::t(lang);
    clearance_form(lang, caller, "/vehicles", values, None, t.record_clearance)
}

/// The clearance fields as a form; with a version, it amends that version.
fn clearance_form(
    lang: Lang,
    caller: &Caller,
    action: &str,
    values: &HashMap<String, String>,
    version: Option<i64>,
    submit: &str,
) -> Markup {
    html! {
        form method="post" action=(action) class="stack" {
            (csrf_field(caller))
            @if let Some(v) = version { input type="hidden" name="version" value=(v); }
            @for (name, label) in labels(lang) {
                label { (label) " "
                    input name=(name) value=(values.get(name).map_or("", String::as_str)) required[name != "engine_number" && name != "colour" && name != "body_type"];
                }
            }
            button type="submit" { (submit) }
        }
    }
}

fn import_form(lang: Lang, caller: &Caller) -> Markup {
    let t = words::t(lang);
    let csrf = caller
        .session
        .as_deref()
        .map(csrf_token)
        .unwrap_or_default();
    html! {
        form method="post" enctype="multipart/form-data" action=(format!("/vehicles/import?csrf={csrf}")) {
            label { ((t.csv_label)(&ClearanceInput::FIELDS.join(", ")))
                input type="file" name="file" accept=".csv,text/csv" required;
            }
            button type="submit" { (t.import_all) }
        }
    }
}

pub(crate) fn line_report(lang: Lang, errors: &[FieldProblem]) -> Markup {
    let t = words::t(lang);
    html! {
        table.report {
            thead { tr { th { (t.line) } th { (t.field) } th { (t.problem) } } }
            tbody {
                @for e in errors {
                    tr { td { (e.line.map_or(String::new(), |l| l.to_string())) } td { (field_name(lang, &e.field)) } td { (field_message(lang, e)) } }
                }
            }
        }
    }
}

async fn list_page(
    state: &AppState,
    ctx: &PageCtx,
    caller: &Caller,
    q: Option<&str>,
    notice: Markup,
    form_values: &HashMap<String, String>,
    status: StatusCode,
) -> Result<Response, Problem> {
    let records = platform(state).store.vehicles_list(q, 200).await?;
    let (t, common) = (words::t(ctx.lang), i18n::common(ctx.lang));
    Ok(page(
        ctx,
        status,
        t.title,
        html! {
            h1 { (t.title) }
            (notice)
            form method="get" action="/vehicles" role="search" {
                label { (t.search_label) input name="q" value=(q.unwrap_or("")); }
                button type="submit" { (common.search) }
            }
            table.cases {
                thead { tr { th { "VIN" } th { (t.make) } th { (t.model) } th { (t.year) } th { (t.certificate) } th { (common.status) } th { (t.stolen) } } }
                tbody {
                    @for r in &records {
                        tr {
                            td { a href=(format!("/vehicles/{}", r.vin)) { code { (r.vin) } } }
                            td { (r.facts.get("make").map_or("", String::as_str)) }
                            td { (r.facts.get("model").map_or("", String::as_str)) }
                            td { (r.facts.get("model_year").map_or("", String::as_str)) }
                            td { (r.certificate_number) }
                            td { span class=(format!("badge {}", r.status)) { ((t.status)(&r.status)) } }
                            td { @if r.stolen { strong.alert { (t.reported_stolen) } } }
                        }
                    }
                }
            }
            @if records.is_empty() { p { (t.no_match) } }
            details open[!form_values.is_empty()] {
                summary { (t.record_summary) }
                (record_form(ctx.lang, caller, form_values))
            }
            details {
                summary { (t.import_summary) }
                (import_form(ctx.lang, caller))
            }
        },
    ))
}

pub(crate) async fn list(
    State(state): State<AppState>,
    ctx: PageCtx,
    caller: Caller,
    Query(q): Query<ListQuery>,
) -> Result<Response, Problem> {
    let notice = html! { @if let Some(m) = &q.msg { p.notice role="status" { (m) } } };
    list_page(
        &state,
        &ctx,
        &caller,
        q.q.as_deref(),
        notice,
        &HashMap::new(),
        StatusCode::OK,
    )
    .await
}

/// A clearance as the form posted it.
fn input_from(values: &HashMap<String, String>) -> ClearanceInput {
    let mut input = ClearanceInput::default();
    for name in ClearanceInput::FIELDS {
        if let (Some(slot), Some(v)) = (input.field_mut(name), values.get(name)) {
            *slot = v.clone();
        }
    }
    input
}

pub(crate) async fn record_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    caller: Caller,
    Form(values): Form<HashMap<String, String>>,
) -> Result<Response, Problem> {
    let input = input_from(&values);
    let outcome = match validated(&input) {
        Ok((clearance, facts)) => {
            let mut tx = platform(&state).store.write().await?;
            match tx
                .create_vehicle(
                    &caller.audit_name(),
                    clearance.vin.as_str(),
                    &clearance.certificate_number,
                    &facts,
                    clearance.status.as_str(),
                )
                .await
            {
                Ok(r) => {
                    tx.commit().await?;
                    Ok(r.vin)
                }
                Err(e) => Err(Problem::from(e)),
            }
        }
        Err(p) => Err(p),
    };
    match outcome {
        Ok(vin) => Ok(
            redirect_with_msg(&format!("/vehicles/{vin}"), words::t(ctx.lang).recorded)
                .into_response(),
        ),
        Err(p) => {
            let notice = problem_box(Some(&problem_text(ctx.lang, &p)));
            list_page(
                &state,
                &ctx,
                &caller,
                None,
                notice,
                &values,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

pub(crate) async fn import_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    caller: Caller,
    mut multipart: Multipart,
) -> Result<Response, Problem> {
    let mut file = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            file = field.bytes().await.ok();
        }
    }
    let Some(bytes) = file else {
        return Ok(redirect_with_msg("/vehicles", words::t(ctx.lang).choose_csv).into_response());
    };
    match import_csv(&state, &caller, &bytes).await {
        Ok(done) => {
            let flagged = done
                .lines
                .iter()
                .filter(|l| !l.anomalies.is_empty())
                .count();
            let message = (words::t(ctx.lang).imported)(done.imported, flagged);
            Ok(redirect_with_msg("/vehicles", &message).into_response())
        }
        Err(p) => {
            let notice = html! {
                div.alert role="alert" { (detail_text(ctx.lang, &p)) }
                @if !p.errors.is_empty() { (line_report(ctx.lang, &p.errors)) }
            };
            list_page(
                &state,
                &ctx,
                &caller,
                None,
                notice,
                &HashMap::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

pub(crate) async fn vehicle_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    caller: Caller,
    Path(vin): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, Problem> {
    let key = vin.trim().to_uppercase();
    let record = platform(&state)
        .store
        .vehicle(&key)
        .await?
        .ok_or_else(|| Missing::Vehicle { vin: key.clone() }.problem())?;
    let timeline = timeline(&state, &record.vin).await?;
    let maker = vehicles::Vin::parse(&record.vin)
        .ok()
        .and_then(|v| vehicles::decode_wmi(v.wmi()))
        .map(|m| format!("{} ({})", m.name, m.country));
    let (t, common) = (words::t(ctx.lang), i18n::common(ctx.lang));
    Ok(page(
        &ctx,
        StatusCode::OK,
        &format!("{}{}", t.vehicle, record.vin),
        html! {
            p { a href="/vehicles" { (t.back) } }
            h1 { (t.vehicle) code { (record.vin) } }
            @if let Some(m) = &q.msg { p.notice role="status" { (m) } }
            @if record.stolen {
                div.alert role="alert" { (t.stolen_note) (record.stolen_note.as_deref().unwrap_or("")) }
            }
            @if let Some(maker) = maker { p { (t.maker) (maker) } }
            dl {
                @for (name, label) in labels(ctx.lang) {
                    dt { (label) } dd { (record.facts.get(name).map_or("—", String::as_str)) }
                }
                dt { (common.status) } dd { span class=(format!("badge {}", record.status)) { ((t.status)(&record.status)) } }
                dt { (t.version) } dd { (record.version) }
            }
            form method="post" action=(format!("/vehicles/{}/status", record.vin)) {
                (csrf_field(&caller))
                input type="hidden" name="version" value=(record.version);
                label { (common.status) " "
                    select name="status" {
                        @for s in vehicles::Status::ALL {
                            option value=(s.as_str()) selected[s.as_str() == record.status] { ((t.status)(s.as_str())) }
                        }
                    }
                }
                button type="submit" { (t.change_status) }
            }
            details {
                summary { (t.amend) }
                (clearance_form(ctx.lang, &caller, &format!("/vehicles/{}/amend", record.vin), &record.facts.clone().into_iter().collect(), Some(record.version), t.save_amendment))
            }
            h2 { (t.timeline) }
            ol.timeline {
                @for c in &timeline.changes {
                    li { time { (c.at) } ((t.change_line)(&c.kind, c.version, &c.actor)) }
                }
            }
            h2 { (t.agency_reads) }
            @if timeline.reads.is_empty() { p { (t.no_reads) } }
            @else {
                table { thead { tr { th { (t.when) } th { (t.agency_key) } th { (t.scope) } } }
                    tbody { @for r in &timeline.reads { tr { td { (r.at) } td { (r.agency) } td { (r.scope) } } } }
                }
            }
        },
    ))
}

#[derive(Deserialize)]
pub(crate) struct StatusForm {
    status: String,
    version: i64,
}

pub(crate) async fn status_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    caller: Caller,
    Path(vin): Path<String>,
    Form(form): Form<StatusForm>,
) -> Result<Response, Problem> {
    let key = vin.trim().to_uppercase();
    let to = format!("/vehicles/{key}");
    let t = words::t(ctx.lang);
    let Some(status) = vehicles::Status::parse(&form.status) else {
        return Ok(redirect_with_msg(&to, t.bad_status).into_response());
    };
    let store = &platform(&state).store;
    let record = store
        .vehicle(&key)
        .await?
        .ok_or_else(|| Missing::Vehicle { vin: key.clone() }.problem())?;
    let mut facts = record.facts.clone();
    facts.insert("status".into(), status.as_str().into());
    let mut tx = store.write().await?;
    let message = match tx
        .amend_vehicle(
            &caller.audit_name(),
            &record.vin,
            form.version,
            &facts,
            status.as_str(),
        )
        .await
    {
        Ok(_) => {
            tx.commit().await?;
            (t.status_now)(status.as_str())
        }
        Err(e) => (t.not_changed)(&detail_text(ctx.lang, &Problem::from(e))),
    };
    Ok(redirect_with_msg(&to, &message).into_response())
}

/// Amends the facts from the page, at the version the officer read.
pub(crate) async fn amend_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    caller: Caller,
    Path(vin): Path<String>,
    Form(values): Form<HashMap<String, String>>,
) -> Result<Response, Problem> {
    let key = vin.trim().to_uppercase();
    let to = format!("/vehicles/{key}");
    let input = input_from(&values);
    let t = words::t(ctx.lang);
    let Some(version) = values.get("version").and_then(|v| v.parse::<i64>().ok()) else {
        return Ok(redirect_with_msg(&to, t.reload).into_response());
    };
    let message = match validated(&input) {
        Err(p) => (t.not_saved)(&problem_text(ctx.lang, &p)),
        Ok((clearance, _)) if !clearance.vin.as_str().eq_ignore_ascii_case(&key) => {
            t.vin_fixed.to_string()
        }
        Ok((_, mut facts)) => {
            let store = &platform(&state).store;
            let current = store
                .vehicle(&key)
                .await?
                .ok_or_else(|| Missing::Vehicle { vin: key.clone() }.problem())?;
            facts.insert("status".into(), current.status.clone());
            let mut tx = store.write().await?;
            match tx
                .amend_vehicle(&caller.audit_name(), &key, version, &facts, &current.status)
                .await
            {
                Ok(_) => {
                    tx.commit().await?;
                    t.amended.to_string()
                }
                Err(e) => (t.not_saved)(&detail_text(ctx.lang, &Problem::from(e))),
            }
        }
    };
    Ok(redirect_with_msg(&to, &message).into_response())
}

//! The data set pages: the list with the upload and register-from-source forms, a set's
//! versions, and a version's card (figures, SVG charts, findings, a sample). They work
//! without JavaScript; forms carry the CSRF token.

use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, PreEscaped, html};
use opendata::bar_chart;
use platform::DataCard;
use platform::card::{Count, LabelCount, PairRef};
use serde::Deserialize;
use store::datasets::VersionMeta;

use super::caller::csrf_token;
use super::datasets::{Input, load_card, may_register, register, sources};
use super::datasets_api::form_upload;
use super::pages::{csrf_field, redirect_with_msg};
use super::pages_vehicles::line_report;
use super::{Caller, platform};
use crate::limits::MAX_DATASET_BYTES;
use crate::web::course::lesson_link;
use crate::web::layout::{PageCtx, page};
use crate::{AppState, Problem};

#[derive(Deserialize)]
pub(crate) struct MsgQuery {
    msg: Option<String>,
}

fn notice(msg: Option<&str>) -> Markup {
    html! { @if let Some(m) = msg { p.notice role="status" { (m) } } }
}

fn problem_notice(p: &Problem) -> Markup {
    html! {
        div.alert role="alert" { (p.detail) }
        @if !p.errors.is_empty() { (line_report(&p.errors)) }
    }
}

fn forms(state: &AppState, caller: &Caller) -> Markup {
    let csrf = caller
        .session
        .as_deref()
        .map(csrf_token)
        .unwrap_or_default();
    html! {
        h2 { "Register a data set" }
        p { "A new upload under an existing name is its next version; identical content adds no version." }
        form.upload method="post" enctype="multipart/form-data" action=(format!("/datasets?csrf={csrf}")) {
            label { "Name " input type="text" name="name" required pattern="[a-z0-9][a-z0-9._\\-]{0,63}" placeholder="parcels-2026"; }
            label { "File: CSV (columns text or description, code; id and source optional) or JSON Lines, at most "
                (MAX_DATASET_BYTES / (1024 * 1024)) " MiB and " (platform::MAX_ROWS) " rows "
                input type="file" name="file" accept=".csv,.jsonl,.ndjson,text/csv,application/x-ndjson" required;
            }
            button type="submit" { "Upload" }
        }
        form.register method="post" action="/datasets/register" {
            (csrf_field(caller))
            label { "Name " input type="text" name="name" required pattern="[a-z0-9][a-z0-9._\\-]{0,63}"; }
            label { "Source "
                select name="source" {
                    @for s in sources(state) { option value=(s) { (s) } }
                }
            }
            button type="submit" { "Register from source" }
        }
    }
}

async fn render_list(
    state: &AppState,
    ctx: &PageCtx,
    caller: &Caller,
    top: Markup,
    status: StatusCode,
) -> Result<Response, Problem> {
    let sets = platform(state).store.datasets().await?;
    Ok(page(
        ctx,
        status,
        "Data sets",
        html! {
            h1 { "Labelled data sets" }
            (lesson_link(ctx, 4))
            (top)
            @if sets.is_empty() {
                p { "No data set is registered yet." }
            } @else {
                table {
                    thead { tr { th { "Name" } th { "Versions" } th { "Rows (latest)" } th { "Source" } th { "Registered" } } }
                    tbody {
                        @for d in &sets {
                            tr {
                                td { a href=(format!("/datasets/{}", d.name)) { (d.name) } }
                                td { (d.versions) }
                                td { a href=(format!("/datasets/{}/{}", d.name, d.latest.version)) { (d.latest.row_count) } }
                                td { (d.latest.source) }
                                td { (d.latest.created_at.get(..10).unwrap_or_default()) }
                            }
                        }
                    }
                }
            }
            @if may_register(caller) { (forms(state, caller)) }
            p { a href="/api/v1/datasets" { "As JSON" } }
        },
    ))
}

pub(crate) async fn list_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    caller: Caller,
    Query(q): Query<MsgQuery>,
) -> Result<Response, Problem> {
    render_list(
        &state,
        &ctx,
        &caller,
        notice(q.msg.as_deref()),
        StatusCode::OK,
    )
    .await
}

async fn after_register(
    state: &AppState,
    ctx: &PageCtx,
    caller: &Caller,
    result: Result<super::datasets::Outcome, Problem>,
) -> Result<Response, Problem> {
    match result {
        Ok(outcome) => {
            let to = format!("/datasets/{}/{}", outcome.meta.name, outcome.meta.version);
            Ok(redirect_with_msg(&to, &outcome.message()).into_response())
        }
        Err(p) => {
            let status = StatusCode::from_u16(p.status).unwrap_or(StatusCode::BAD_REQUEST);
            render_list(state, ctx, caller, problem_notice(&p), status).await
        }
    }
}

pub(crate) async fn upload_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    caller: Caller,
    multipart: Multipart,
) -> Result<Response, Problem> {
    let result = match form_upload(multipart).await {
        Ok((Some(name), Some((bytes, filename)))) => {
            register(&state, &caller, &name, Input::Upload { bytes, filename }).await
        }
        Ok(_) => Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Give a name and choose a file.",
        )),
        Err(p) => Err(p),
    };
    after_register(&state, &ctx, &caller, result).await
}

#[derive(Deserialize)]
pub(crate) struct RegisterForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    source: String,
}

pub(crate) async fn register_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    caller: Caller,
    form: Result<Form<RegisterForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, Problem> {
    let Ok(Form(form)) = form else {
        let p = Problem::bad_request("Send the form from the data sets page.");
        return after_register(&state, &ctx, &caller, Err(p)).await;
    };
    let result = match platform::Source::parse(&form.source) {
        Ok(source) => register(&state, &caller, form.name.trim(), Input::Source(source)).await,
        Err(e) => Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("source: {e}."),
        )),
    };
    after_register(&state, &ctx, &caller, result).await
}

pub(crate) async fn versions_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(name): Path<String>,
) -> Result<Response, Problem> {
    let versions = platform(&state).store.dataset_versions(&name).await?;
    if versions.is_empty() {
        return Err(Problem::not_found(format!("No data set {name}.")));
    }
    Ok(page(
        &ctx,
        StatusCode::OK,
        &name,
        html! {
            p { a href="/datasets" { "Data sets" } }
            h1 { "Data set " (name) }
            (lesson_link(&ctx, 4))
            table {
                thead { tr { th { "Version" } th { "Rows" } th { "sha256" } th { "Source" } th { "Registered" } th { "By" } } }
                tbody {
                    @for v in versions.iter().rev() {
                        tr {
                            td { a href=(format!("/datasets/{name}/{}", v.version)) { "v" (v.version) } }
                            td { (v.row_count) }
                            td { code title=(v.sha256) { (v.sha256.get(..12).unwrap_or_default()) "…" } }
                            td { (v.source) @if let Some(f) = &v.filename { " (" (f) ")" } }
                            td { (v.created_at) }
                            td { (v.created_by) }
                        }
                    }
                }
            }
            p { a href=(format!("/api/v1/datasets/{name}")) { "As JSON" } }
        },
    ))
}

fn chart(title: &str, counts: impl Iterator<Item = (String, usize)>) -> Markup {
    let data: Vec<(String, f64)> = counts.map(|(l, n)| (l, n as f64)).collect();
    html! { figure.chart { (PreEscaped(bar_chart(title, &data))) } }
}

fn counts(list: &[Count]) -> impl Iterator<Item = (String, usize)> + '_ {
    list.iter().map(|c| (c.label.clone(), c.rows))
}

fn labelled(list: &[LabelCount]) -> impl Iterator<Item = (String, usize)> + '_ {
    list.iter().map(|c| (c.label.clone(), c.rows))
}

fn pairs_table(pairs: &[PairRef]) -> Markup {
    html! {
        table {
            thead { tr { th { "Text" } th { "Code" } th { "Split" } th { "Similar text" } th { "Code" } th { "Split" } th { "Jaccard" } } }
            tbody {
                @for p in pairs {
                    tr {
                        td { (p.a.text) } td { code { (p.a.code) } } td { (p.a.split.as_str()) }
                        td { (p.b.text) } td { code { (p.b.code) } } td { (p.b.split.as_str()) }
                        td { (format!("{:.2}", p.similarity)) }
                    }
                }
            }
        }
    }
}

fn figures(meta: &VersionMeta, card: &DataCard) -> Markup {
    let figure = |label: &str, value: String| html! { div { dt { (label) } dd { (value) } } };
    html! {
        dl.figures {
            (figure("Rows", card.rows.to_string()))
            @for c in &card.languages { (figure(&format!("Language {}", c.label), c.rows.to_string())) }
            @for c in &card.splits { (figure(&format!("Split {}", c.label), c.rows.to_string())) }
            (figure("Invalid codes (rows)", card.invalid_codes.rows.to_string()))
            (figure("Conflicting texts", card.conflicts.texts.to_string()))
            (figure("Exact duplicate rows", card.exact_duplicates.extra_rows.to_string()))
            (figure("Near-duplicate pairs", card.near_duplicates.pairs.to_string()))
            (figure("Leaking pairs", card.leakage.pairs.to_string()))
            (figure("sha256", meta.sha256.get(..16).unwrap_or_default().to_string() + "…"))
        }
    }
}

pub(crate) async fn card_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path((name, version)): Path<(String, String)>,
    Query(q): Query<MsgQuery>,
) -> Result<Response, Problem> {
    let (meta, card) = load_card(&state, &name, &version).await?;
    let api = format!("/api/v1/datasets/{}/versions/{}", meta.name, meta.version);
    let title = format!("{} v{}", meta.name, meta.version);
    Ok(page(
        &ctx,
        StatusCode::OK,
        &title,
        html! {
            p { a href="/datasets" { "Data sets" } " › " a href=(format!("/datasets/{}", meta.name)) { (meta.name) } }
            h1 { "Data card: " (title) }
            (lesson_link(&ctx, 4))
            (notice(q.msg.as_deref()))
            p { "From " (meta.source) @if let Some(f) = &meta.filename { " (" (f) ")" } ", registered " (meta.created_at) " by " (meta.created_by) "." }
            (figures(&meta, &card))
            p {
                "Download (JSON Lines): " a href=(format!("{api}/rows")) { "all rows" }
                @for s in ["train", "dev", "test"] { ", " a href=(format!("{api}/rows?split={s}")) { (s) } }
                ". " a href=(api.clone()) { "The card as JSON" } ", " a href=(format!("{api}/leakage")) { "leakage as JSON" } "."
            }
            h2 { "Labels" }
            (chart("Rows per section", labelled(&card.sections)))
            (chart("Rows per chapter", labelled(&card.chapters)))
            (chart("Rows per language", counts(&card.languages)))
            (chart("Rows per split", counts(&card.splits)))
            h2 { "Invalid codes" }
            p { (card.invalid_codes.rows) " rows carry " (card.invalid_codes.codes) " codes that are not in HS 2022"
                @if card.invalid_codes.national_tariff_checked { " or, for 8 to 11 digits, not in Taiwan's tariff" } "." }
            @if !card.invalid_codes.examples.is_empty() {
                table { thead { tr { th { "Code" } th { "Why" } th { "Rows" } th { "Ids" } } }
                    tbody { @for c in &card.invalid_codes.examples {
                        tr { td { code { (c.code) } } td { (c.reason) } td { (c.rows) } td { (c.ids.join(", ")) } }
                    } }
                }
            }
            h2 { "Conflicts" }
            p { (card.conflicts.texts) " normalised texts (" (card.conflicts.rows) " rows) carry codes that disagree." }
            @if !card.conflicts.examples.is_empty() {
                table { thead { tr { th { "Text" } th { "Codes (rows: ids)" } } }
                    tbody { @for c in &card.conflicts.examples {
                        tr { td { (c.text) } td { @for (i, code) in c.codes.iter().enumerate() {
                            @if i > 0 { "; " } code { (code.code) } " (" (code.rows) ": " (code.ids.join(", ")) ")"
                        } } }
                    } }
                }
            }
            h2 { "Duplicates" }
            p { (card.exact_duplicates.groups) " groups of exact duplicates (same normalised text and code): "
                (card.exact_duplicates.extra_rows) " rows beyond the first of each." }
            @if !card.exact_duplicates.examples.is_empty() {
                table { thead { tr { th { "Text" } th { "Code" } th { "Ids" } } }
                    tbody { @for d in &card.exact_duplicates.examples {
                        tr { td { (d.text) } td { code { (d.code) } } td { (d.ids.join(", ")) } }
                    } }
                }
            }
            p { (card.near_duplicates.pairs) " pairs of near duplicates: " (card.method.similarity) }
            @if !card.near_duplicates.examples.is_empty() { (pairs_table(&card.near_duplicates.examples)) }
            h2 { "Leakage between splits" }
            p { (card.leakage.pairs) " near-duplicate pairs (Jaccard ≥ " (card.leakage.threshold) ") fall into different splits, touching "
                (card.leakage.rows) " rows. Split rule: " (card.method.split) }
            @if !card.leakage.examples.is_empty() { (pairs_table(&card.leakage.examples)) }
            h2 { "Sample" }
            table { thead { tr { th { "Id" } th { "Text" } th { "Code" } th { "Split" } } }
                tbody { @for r in &card.sample {
                    tr { td { (r.id) } td { (r.text) } td { code { (r.code) } } td { (r.split.as_str()) } }
                } }
            }
        },
    ))
}

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
use super::datasets::{Input, load_card, may_register, register, source_problem, sources};
use super::datasets_api::form_upload;
use super::i18n::missing::Missing;
use super::i18n::problems::detail_text;
use super::i18n::{self, Lang, data as words};
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

fn problem_notice(lang: Lang, p: &Problem) -> Markup {
    html! {
        div.alert role="alert" { (detail_text(lang, p)) }
        @if !p.errors.is_empty() { (line_report(lang, &p.errors)) }
    }
}

fn forms(lang: Lang, state: &AppState, caller: &Caller) -> Markup {
    let (t, common) = (words::t(lang), i18n::common(lang));
    let csrf = caller
        .session
        .as_deref()
        .map(csrf_token)
        .unwrap_or_default();
    html! {
        h2 { (t.register) }
        p { (t.register_intro) }
        form.upload method="post" enctype="multipart/form-data" action=(format!("/datasets?csrf={csrf}")) {
            label { (t.name) input type="text" name="name" required pattern="[a-z0-9][a-z0-9._\\-]{0,63}" placeholder="parcels-2026"; }
            label { ((t.file_label)(&(MAX_DATASET_BYTES / (1024 * 1024)), &platform::MAX_ROWS))
                input type="file" name="file" accept=".csv,.jsonl,.ndjson,text/csv,application/x-ndjson" required;
            }
            button type="submit" { (common.upload) }
        }
        form.register method="post" action="/datasets/register" {
            (csrf_field(caller))
            label { (t.name) input type="text" name="name" required pattern="[a-z0-9][a-z0-9._\\-]{0,63}"; }
            label { (t.source)
                select name="source" {
                    @for s in sources(state) { option value=(s) { (s) } }
                }
            }
            button type="submit" { (t.register_from_source) }
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
    let (t, common) = (words::t(ctx.lang), i18n::common(ctx.lang));
    Ok(page(
        ctx,
        status,
        t.title,
        html! {
            h1 { (t.heading) }
            (lesson_link(ctx, 4))
            (top)
            @if sets.is_empty() {
                p { (t.none_yet) }
            } @else {
                table {
                    thead { tr { th { (t.name.trim_end()) } th { (t.versions) } th { (t.rows_latest) } th { (t.source.trim_end()) } th { (t.registered) } } }
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
            @if may_register(caller) { (forms(ctx.lang, state, caller)) }
            p { a href="/api/v1/datasets" { (common.as_json) } }
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
            let m = &outcome.meta;
            let to = format!("/datasets/{}/{}", m.name, m.version);
            let message = (words::t(ctx.lang).outcome)(
                outcome.created,
                m.version,
                &m.name,
                m.row_count,
                m.sha256.get(..12).unwrap_or_default(),
            );
            Ok(redirect_with_msg(&to, &message).into_response())
        }
        Err(p) => {
            let status = StatusCode::from_u16(p.status).unwrap_or(StatusCode::BAD_REQUEST);
            render_list(state, ctx, caller, problem_notice(ctx.lang, &p), status).await
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
            words::t(ctx.lang).give_name_and_file,
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
        let p = Problem::bad_request(words::t(ctx.lang).use_the_form);
        return after_register(&state, &ctx, &caller, Err(p)).await;
    };
    let result = match platform::Source::parse(&form.source) {
        Ok(source) => register(&state, &caller, form.name.trim(), Input::Source(source)).await,
        Err(e) => Err(source_problem(e)),
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
        return Err(Missing::DataSet { name }.problem());
    }
    let (t, common) = (words::t(ctx.lang), i18n::common(ctx.lang));
    Ok(page(
        &ctx,
        StatusCode::OK,
        &name,
        html! {
            p { a href="/datasets" { (t.title) } }
            h1 { (t.data_set) (name) }
            (lesson_link(&ctx, 4))
            table {
                thead { tr { th { (t.version) } th { (t.rows) } th { "sha256" } th { (t.source.trim_end()) } th { (t.registered) } th { (t.by) } } }
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
            p { a href=(format!("/api/v1/datasets/{name}")) { (common.as_json) } }
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

fn pairs_table(lang: Lang, pairs: &[PairRef]) -> Markup {
    let t = words::t(lang);
    html! {
        table {
            thead { tr { th { (t.text) } th { (t.code) } th { (t.split) } th { (t.similar_text) } th { (t.code) } th { (t.split) } th { "Jaccard" } } }
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

fn figures(lang: Lang, meta: &VersionMeta, card: &DataCard) -> Markup {
    let t = words::t(lang);
    let figure = |label: &str, value: String| html! { div { dt { (label) } dd { (value) } } };
    html! {
        dl.figures {
            (figure(t.rows, card.rows.to_string()))
            @for c in &card.languages { (figure(&(t.language)(&c.label), c.rows.to_string())) }
            @for c in &card.splits { (figure(&(t.split_of)(&c.label), c.rows.to_string())) }
            (figure(t.invalid_rows, card.invalid_codes.rows.to_string()))
            (figure(t.conflicting, card.conflicts.texts.to_string()))
            (figure(t.exact_rows, card.exact_duplicates.extra_rows.to_string()))
            (figure(t.near_pairs, card.near_duplicates.pairs.to_string()))
            (figure(t.leaking_pairs, card.leakage.pairs.to_string()))
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
    let lang = ctx.lang;
    let t = words::t(lang);
    let source = match &meta.filename {
        Some(f) => format!("{} ({f})", meta.source),
        None => meta.source.clone(),
    };
    Ok(page(
        &ctx,
        StatusCode::OK,
        &title,
        html! {
            p { a href="/datasets" { (t.title) } " › " a href=(format!("/datasets/{}", meta.name)) { (meta.name) } }
            h1 { (t.data_card) (title) }
            (lesson_link(&ctx, 4))
            (notice(q.msg.as_deref()))
            p { ((t.from)(&source, &meta.created_at, &meta.created_by)) }
            (figures(lang, &meta, &card))
            p {
                (t.download) a href=(format!("{api}/rows")) { (t.all_rows) }
                @for s in ["train", "dev", "test"] { ", " a href=(format!("{api}/rows?split={s}")) { (s) } }
                ". " a href=(api.clone()) { (t.card_json) } ", " a href=(format!("{api}/leakage")) { (t.leakage_json) } "."
            }
            h2 { (t.labels) }
            (chart(t.per_section, labelled(&card.sections)))
            (chart(t.per_chapter, labelled(&card.chapters)))
            (chart(t.per_language, counts(&card.languages)))
            (chart(t.per_split, counts(&card.splits)))
            h2 { (t.invalid_codes) }
            p { ((t.invalid_text)(&card.invalid_codes.rows, &card.invalid_codes.codes, card.invalid_codes.national_tariff_checked)) }
            @if !card.invalid_codes.examples.is_empty() {
                table { thead { tr { th { (t.code) } th { (t.why) } th { (t.rows) } th { (t.ids) } } }
                    tbody { @for c in &card.invalid_codes.examples {
                        tr { td { code { (c.code) } } td { (c.reason) } td { (c.rows) } td { (c.ids.join(", ")) } }
                    } }
                }
            }
            h2 { (t.conflicts) }
            p { ((t.conflicts_text)(&card.conflicts.texts, &card.conflicts.rows)) }
            @if !card.conflicts.examples.is_empty() {
                table { thead { tr { th { (t.text) } th { (t.codes_rows_ids) } } }
                    tbody { @for c in &card.conflicts.examples {
                        tr { td { (c.text) } td { @for (i, code) in c.codes.iter().enumerate() {
                            @if i > 0 { "; " } code { (code.code) } " (" (code.rows) ": " (code.ids.join(", ")) ")"
                        } } }
                    } }
                }
            }
            h2 { (t.duplicates) }
            p { ((t.duplicates_text)(&card.exact_duplicates.groups, &card.exact_duplicates.extra_rows)) }
            @if !card.exact_duplicates.examples.is_empty() {
                table { thead { tr { th { (t.text) } th { (t.code) } th { (t.ids) } } }
                    tbody { @for d in &card.exact_duplicates.examples {
                        tr { td { (d.text) } td { code { (d.code) } } td { (d.ids.join(", ")) } }
                    } }
                }
            }
            p { ((t.near_text)(&card.near_duplicates.pairs)) (card.method.similarity) }
            @if !card.near_duplicates.examples.is_empty() { (pairs_table(lang, &card.near_duplicates.examples)) }
            h2 { (t.leakage) }
            p { ((t.leakage_text)(&card.leakage.pairs, &card.leakage.threshold, &card.leakage.rows)) (card.method.split) }
            @if !card.leakage.examples.is_empty() { (pairs_table(lang, &card.leakage.examples)) }
            h2 { (t.sample) }
            table { thead { tr { th { (t.id) } th { (t.text) } th { (t.code) } th { (t.split) } } }
                tbody { @for r in &card.sample {
                    tr { td { (r.id) } td { (r.text) } td { code { (r.code) } } td { (r.split.as_str()) } }
                } }
            }
        },
    ))
}

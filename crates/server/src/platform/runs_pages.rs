//! The analysts' training pages: runs (start one from a TOML config, follow it live). The
//! model registry's pages are in `models_pages`. They work without JavaScript; with it, a
//! run's page follows its server-sent events.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, PreEscaped, html};
use opendata::line_chart;
use serde::Deserialize;
use serde_json::Value;
use store::runs::RunRecord;

use super::i18n::missing::Missing;
use super::i18n::problems::{detail_text, field_message};
use super::i18n::{self, Lang, training as words};
use super::pages::{csrf_field, redirect_with_msg};
use super::{Caller, platform};
use crate::web::course::lesson_link;
use crate::web::layout::{PageCtx, page};
use crate::{AppState, Problem};

/// What the run form starts with: the default recipe, spelled out so it can be edited.
pub const EXAMPLE_CONFIG: &str = r#"name = "default-recipe"
seed = 20261130

[data]
# Platform data sets ("name" or "name@version"): their train split is learnt from.
datasets = []
# The labelled sets under the data directory (the corpus's training split).
shared_labelled = true

[recipe]
labelled = 1.0
tariff = 0.5
extra_national = 0.3
chinese = 0.5

[train]
epochs = 6
batch = 256
learning_rate = 0.003
hidden = 256

[evaluate]
sets = ["development", "test", "cbp"]
"#;

#[derive(Deserialize)]
pub(crate) struct MsgQuery {
    pub(super) msg: Option<String>,
}

pub(super) fn notice(msg: Option<&str>) -> Markup {
    html! { @if let Some(m) = msg { p.notice role="status" { (m) } } }
}

pub(super) fn may_train(caller: &Caller) -> bool {
    caller
        .actor
        .role()
        .is_some_and(|r| matches!(r, auth::Role::DataScientist | auth::Role::Admin))
}

pub(super) fn has_role(caller: &Caller, role: auth::Role) -> bool {
    caller.actor.role() == Some(role)
}

pub(super) fn json_of(text: Option<&str>) -> Value {
    text.and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or(Value::Null)
}

pub(super) fn figure(v: &Value) -> String {
    v.as_f64().map_or_else(|| "–".into(), |x| format!("{x:.3}"))
}

fn runs_table(lang: Lang, runs: &[RunRecord]) -> Markup {
    let t = words::t(lang);
    html! {
        table {
            thead { tr { th { (t.run) } th { (t.name) } th { (i18n::common(lang).status) } th { (t.epochs_saved) } th { (t.model) } th { (t.queued) } th { (t.by) } } }
            tbody {
                @for r in runs {
                    @let result = json_of(r.result.as_deref());
                    tr {
                        td { a href=(format!("/runs/{}", r.id)) { "#" (r.id) } }
                        td { (r.name) @if let Some(of) = r.rerun_of { ((t.rerun_of)(of)) } }
                        td { span class=(format!("status {}", r.status)) { ((t.status)(&r.status)) } }
                        td { (r.checkpoint_epoch) }
                        td { @if let Some(m) = result["model"].as_str() { code { (m) } } }
                        td { (r.created_at.get(..16).unwrap_or_default()) }
                        td { (r.created_by) }
                    }
                }
            }
        }
    }
}

async fn render_runs(
    state: &AppState,
    ctx: &PageCtx,
    caller: &Caller,
    top: Markup,
    config: &str,
    status: StatusCode,
) -> Result<Response, Problem> {
    let runs = platform(state).store.runs(100).await?;
    let t = words::t(ctx.lang);
    Ok(page(
        ctx,
        status,
        t.runs_title,
        html! {
            h1 { (t.runs_title) }
            (lesson_link(ctx, 5))
            (top)
            p { (t.runs_intro)
                a href="/models" { (t.registry) } "." }
            @if runs.is_empty() { p { (t.no_run) } } @else { (runs_table(ctx.lang, &runs)) }
            @if may_train(caller) {
                h2 { (t.start_run) }
                form method="post" action="/runs" {
                    (csrf_field(caller))
                    label { (t.config_label) textarea name="config" rows="24" cols="72" spellcheck="false" { (config) } }
                    button type="submit" { (t.queue_run) }
                }
            }
            p { a href="/api/v1/runs" { (i18n::common(ctx.lang).as_json) } }
        },
    ))
}

pub(crate) async fn list_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    caller: Caller,
    Query(q): Query<MsgQuery>,
) -> Result<Response, Problem> {
    render_runs(
        &state,
        &ctx,
        &caller,
        notice(q.msg.as_deref()),
        EXAMPLE_CONFIG,
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
pub(crate) struct RunForm {
    #[serde(default)]
    config: String,
}

pub(crate) async fn create_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    caller: Caller,
    Form(form): Form<RunForm>,
) -> Result<Response, Problem> {
    match super::runs_api::enqueue(&state, &caller, &form.config, None).await {
        Ok(run) => Ok(redirect_with_msg(
            &format!("/runs/{}", run.id),
            &(words::t(ctx.lang).run_queued)(run.id),
        )
        .into_response()),
        Err(p) => {
            let status = StatusCode::from_u16(p.status).unwrap_or(StatusCode::BAD_REQUEST);
            let top = html! {
                div.alert role="alert" { (detail_text(ctx.lang, &p)) }
                ul { @for e in &p.errors { li { (field_message(ctx.lang, e)) } } }
            };
            render_runs(&state, &ctx, &caller, top, &form.config, status).await
        }
    }
}

fn epoch_charts(lang: Lang, epochs: &[Value]) -> Markup {
    let t = words::t(lang);
    let loss: Vec<(String, f64)> = epochs
        .iter()
        .filter_map(|e| Some((format!("epoch {}", e["epoch"]), e["loss"].as_f64()?)))
        .collect();
    let dev: Vec<(String, f64)> = epochs
        .iter()
        .filter_map(|e| Some((format!("epoch {}", e["epoch"]), e["dev_top1"].as_f64()?)))
        .collect();
    html! {
        @if !loss.is_empty() {
            div.charts {
                figure.chart { (PreEscaped(line_chart(t.loss_chart, &loss))) }
                @if !dev.is_empty() { figure.chart { (PreEscaped(line_chart(t.dev_chart, &dev))) } }
            }
        }
    }
}

/// Follows the run's events: a progress bar and log lines as they come, and the page
/// reloaded (charts, results) after each epoch and at the end.
const LIVE_SCRIPT: &str = r#"
(function () {
  var root = document.getElementById('live');
  if (!root || !window.EventSource) return;
  var bar = document.getElementById('progress');
  var log = document.getElementById('log');
  var es = new EventSource(root.dataset.events + '?after=' + root.dataset.after);
  function line(kind, data) {
    var li = document.createElement('li');
    li.textContent = kind + ': ' + data;
    log.appendChild(li);
  }
  es.addEventListener('progress', function (e) {
    var d = JSON.parse(e.data);
    bar.max = d.steps; bar.value = d.step;
    bar.textContent = 'epoch ' + d.epoch + ', step ' + d.step + ' of ' + d.steps;
    document.getElementById('progress-label').textContent = root.dataset.progress
      .replace('{epoch}', d.epoch).replace('{step}', d.step).replace('{steps}', d.steps)
      .replace('{loss}', d.loss.toFixed(3));
  });
  es.addEventListener('log', function (e) { line('log', JSON.parse(e.data).message); });
  es.addEventListener('status', function (e) { line('status', e.data); });
  es.addEventListener('epoch', function () { es.close(); location.reload(); });
  es.addEventListener('end', function () { es.close(); location.reload(); });
})();
"#;

pub(crate) async fn run_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<MsgQuery>,
) -> Result<Response, Problem> {
    let store = &platform(&state).store;
    let run = id.parse::<i64>().ok().map(|id| store.run(id));
    let run = match run {
        Some(f) => f.await?,
        None => None,
    }
    .ok_or_else(|| Missing::Run { id: id.clone() }.problem())?;
    let events = store.run_events(run.id, 0).await?;
    let epochs: Vec<Value> = events
        .iter()
        .filter(|e| e.kind == "epoch")
        .map(|e| json_of(Some(&e.body)))
        .collect();
    let last_seq = events.last().map_or(0, |e| e.seq);
    let spec = json_of(Some(&run.spec));
    let env = json_of(run.environment.as_deref());
    let result = json_of(run.result.as_deref());
    let metrics = &result["metrics"];
    let live = !run.is_finished();
    let (t, common) = (words::t(ctx.lang), i18n::common(ctx.lang));
    Ok(page(
        &ctx,
        StatusCode::OK,
        &(t.run_no)(run.id),
        html! {
            p { a href="/runs" { (t.runs_title) } " › " a href="/models" { (t.registry) } }
            h1 { ((t.run_no)(run.id)) ": " (run.name) }
            (lesson_link(&ctx, 5))
            (notice(q.msg.as_deref()))
            dl.figures {
                div { dt { (common.status) } dd { span class=(format!("status {}", run.status)) { ((t.status)(&run.status)) } } }
                div { dt { (t.attempts) } dd { (run.attempts) } }
                div { dt { (t.epochs_saved) } dd { (run.checkpoint_epoch) } }
                div { dt { (t.queued) } dd { ((t.queued_by)(&run.created_at, &run.created_by)) } }
                @if let Some(f) = &run.finished_at { div { dt { (t.finished) } dd { (f) } } }
                @if let Some(m) = result["model"].as_str() { div { dt { (t.model) } dd { a href="/models" { code { (m) } } } } }
            }
            @if let Some(e) = &run.error { div.alert role="alert" { (e) } }
            @if live {
                div #live data-events=(format!("/api/v1/runs/{}/events", run.id)) data-after=(last_seq) data-progress=(t.progress) {
                    p #progress-label { (t.waiting) }
                    progress #progress max="1" value="0" {}
                }
                script { (PreEscaped(LIVE_SCRIPT)) }
            }
            (epoch_charts(ctx.lang, &epochs))
            @if metrics.is_object() {
                h2 { (t.measured) }
                table {
                    thead { tr { th { (t.eval_set) } th { (t.cases) } th { "Top-1" } th { "Top-5" } th { "Top-10" } th { "MRR" } } }
                    tbody {
                        @for (name, m) in metrics.as_object().into_iter().flatten().filter(|(_, m)| m.get("cases").is_some()) {
                            tr { td { (name) } td { (m["cases"]) } td { (figure(&m["top1"])) } td { (figure(&m["top5"])) } td { (figure(&m["top10"])) } td { (figure(&m["mrr"])) } }
                        }
                    }
                }
                p { ((t.speed)(
                    &figure(&metrics["speed"]["p50_ms"]),
                    &figure(&metrics["speed"]["p99_ms"]),
                    &figure(&metrics["memory"]["resident_mib"]),
                    &figure(&metrics["memory"]["head_file_mib"]),
                )) }
            }
            @if may_train(&caller) {
                div.actions {
                    @if live {
                        form method="post" action=(format!("/runs/{}/cancel", run.id)) { (csrf_field(&caller)) button type="submit" { (t.cancel) } }
                    } @else {
                        form method="post" action=(format!("/runs/{}/rerun", run.id)) { (csrf_field(&caller)) button type="submit" { (t.rerun) } }
                    }
                }
            }
            h2 { (t.reproduces) }
            table {
                tbody {
                    tr { th { (t.dataset_versions) } td {
                        @for d in spec["datasets"].as_array().into_iter().flatten() {
                            a href=(format!("/datasets/{}/{}", d["name"].as_str().unwrap_or_default(), d["version"])) { (d["name"].as_str().unwrap_or_default()) " v" (d["version"]) }
                            " (sha256 " code { (d["sha256"].as_str().unwrap_or_default().get(..12).unwrap_or_default()) "…" } ") "
                        }
                        @if spec["config"]["data"]["shared_labelled"].as_bool().unwrap_or(false) { (t.shared_sets) }
                    } }
                    tr { th { (t.seed) } td { (spec["config"]["seed"]) } }
                    tr { th { (t.code_revision) } td { code { (env["code_revision"].as_str().unwrap_or(t.not_started)) } } }
                    tr { th { (t.libraries) } td { (env["libraries"].as_str().unwrap_or_default()) } }
                    tr { th { (t.corpus) } td { code { (env["corpus_version"].as_str().unwrap_or_default()) } } }
                    tr { th { (t.encoder) } td { (env["encoder"].as_str().unwrap_or(t.no_encoder)) } }
                }
            }
            h3 { (t.config) }
            pre { code { (run.config) } }
            h2 { (t.log) }
            ol #log {
                @for e in events.iter().filter(|e| e.kind != "progress") {
                    li { (e.at.get(11..19).unwrap_or_default()) " " (e.kind) ": " (e.body) }
                }
            }
            p { a href=(format!("/api/v1/runs/{}", run.id)) { (common.as_json) } }
        },
    ))
}

pub(crate) async fn cancel_submit(
    state: State<AppState>,
    ctx: PageCtx,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    // A run that already ended comes back as the page's notice, in the reader's language.
    let message = match super::runs_api::cancel(state, caller, Path(id.clone())).await {
        Ok(_) => words::t(ctx.lang).cancel_requested.to_string(),
        Err(p) if p.status == 409 => detail_text(ctx.lang, &p),
        Err(p) => return Err(p),
    };
    Ok(redirect_with_msg(&format!("/runs/{id}"), &message).into_response())
}

pub(crate) async fn rerun_submit(
    state: State<AppState>,
    ctx: PageCtx,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let res = super::runs_api::rerun(state, caller, Path(id)).await?;
    let location = res
        .headers()
        .get(axum::http::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(|l| l.replace("/api/v1/runs/", "/runs/"))
        .unwrap_or_else(|| "/runs".into());
    Ok(redirect_with_msg(&location, words::t(ctx.lang).queued_again).into_response())
}

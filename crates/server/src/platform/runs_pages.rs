//! The analysts' training pages: runs (start one from a TOML config, follow it live), the
//! model registry (propose, approve, reject, roll back), and two versions compared. They work
//! without JavaScript; with it, a run's page follows its server-sent events.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, PreEscaped, html};
use opendata::{bar_chart, line_chart};
use serde::Deserialize;
use serde_json::Value;
use store::runs::RunRecord;

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
    msg: Option<String>,
}

fn notice(msg: Option<&str>) -> Markup {
    html! { @if let Some(m) = msg { p.notice role="status" { (m) } } }
}

fn may_train(caller: &Caller) -> bool {
    caller
        .actor
        .role()
        .is_some_and(|r| matches!(r, auth::Role::DataScientist | auth::Role::Admin))
}

fn has_role(caller: &Caller, role: auth::Role) -> bool {
    caller.actor.role() == Some(role)
}

fn json_of(text: Option<&str>) -> Value {
    text.and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or(Value::Null)
}

fn figure(v: &Value) -> String {
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
                div.alert role="alert" { (p.detail) }
                ul { @for e in &p.errors { li { (e.message) } } }
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
    .ok_or_else(|| Problem::not_found(format!("There is no run {id}.")))?;
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
    super::runs_api::cancel(state, caller, Path(id.clone())).await?;
    let message = words::t(ctx.lang).cancel_requested;
    Ok(redirect_with_msg(&format!("/runs/{id}"), message).into_response())
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

fn metric(m: &Value, set: &str, key: &str) -> String {
    figure(&m[set][key])
}

pub(crate) async fn models_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    caller: Caller,
    Query(q): Query<MsgQuery>,
) -> Result<Response, Problem> {
    let store = &platform(&state).store;
    let serving = store.serving().await?;
    let models = store.models().await?;
    let is_ds = has_role(&caller, auth::Role::DataScientist);
    let is_reviewer = has_role(&caller, auth::Role::Reviewer);
    let may_rollback = caller.actor.role().is_some_and(|r| {
        matches!(
            r,
            auth::Role::DataScientist | auth::Role::Reviewer | auth::Role::Admin
        )
    });
    let (t, common) = (words::t(ctx.lang), i18n::common(ctx.lang));
    Ok(page(
        &ctx,
        StatusCode::OK,
        t.registry,
        html! {
            p { a href="/runs" { (t.runs_title) } }
            h1 { (t.registry) }
            (lesson_link(&ctx, 7))
            (notice(q.msg.as_deref()))
            p { (t.serving_is)
                @match &serving.version { Some(v) => { code { (v) } }, None => { (t.own_model) " (" code { (state.classifier.model_version()) } ")" } }
                @if let Some(at) = &serving.changed_at { ((t.since)(at, serving.changed_by.as_deref().unwrap_or_default())) }
                (t.four_eyes) }
            @if may_rollback && serving.version.is_some() {
                form method="post" action="/models/rollback" {
                    (csrf_field(&caller))
                    button type="submit" { (t.roll_back_to) (serving.previous.as_deref().unwrap_or(t.own_model)) }
                }
            }
            @if models.is_empty() { p { (t.no_model) } } @else {
                table {
                    thead { tr { th { (t.version) } th { (t.run) } th { (common.status) } th { (t.dev_top1) } th { (t.test_top1) } th { (t.cbp_top1) } th { (t.latency) } th { (t.actions) } } }
                    tbody {
                        @for m in &models {
                            @let metrics = json_of(Some(&m.metrics));
                            @let serves = serving.version.as_deref() == Some(m.version.as_str());
                            tr {
                                td { code { (m.version) } @if serves { " " strong { (t.serving) } } }
                                td { a href=(format!("/runs/{}", m.run_id)) { "#" (m.run_id) } br; a href=(format!("/models/{}/errors", m.version)) { (t.errors_link) } }
                                td { ((t.status)(&m.status)) @if let Some(by) = &m.proposed_by { br; small { (t.proposed_by) (by) @if let Some(n) = &m.proposal_note { @if !n.is_empty() { ": " (n) } } } } @if let Some(by) = &m.approved_by { br; small { (t.approved_by) (by) } } }
                                td { (metric(&metrics, "development", "top1")) }
                                td { (metric(&metrics, "test", "top1")) }
                                td { (metric(&metrics, "cbp", "top1")) }
                                td { (metric(&metrics, "speed", "p50_ms")) " / " (metric(&metrics, "speed", "p99_ms")) }
                                td {
                                    @if is_ds && !serves && m.status != "proposed" {
                                        form method="post" action=(format!("/models/{}/propose", m.version)) {
                                            (csrf_field(&caller))
                                            input type="text" name="note" placeholder=(t.why_better) maxlength="2000";
                                            button type="submit" { (t.propose) }
                                        }
                                    }
                                    @if is_reviewer && m.status == "proposed" {
                                        form method="post" action=(format!("/models/{}/approve", m.version)) { (csrf_field(&caller)) button type="submit" { (t.approve) } }
                                        form method="post" action=(format!("/models/{}/reject", m.version)) {
                                            (csrf_field(&caller))
                                            input type="text" name="note" placeholder=(t.why_not) maxlength="2000";
                                            button type="submit" { (t.reject) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                @if models.len() >= 2 {
                    h2 { (t.compare_two) }
                    form method="get" action="/models/compare" {
                        label { "A " select name="a" { @for m in &models { option value=(m.version) { (m.version) } } } }
                        label { "B " select name="b" { @for (i, m) in models.iter().enumerate() { option value=(m.version) selected[i == 0] { (m.version) } } } }
                        label { (t.on) select name="set" { @for s in ["development", "test", "cbp"] { option value=(s) { (s) } } } }
                        button type="submit" { (t.compare) }
                    }
                }
            }
            p { a href="/api/v1/models" { (common.as_json) } }
        },
    ))
}

#[derive(Deserialize, Default)]
pub(crate) struct NoteForm {
    #[serde(default)]
    note: String,
}

async fn change(
    lang: Lang,
    state: &AppState,
    caller: &Caller,
    version: &str,
    action: &str,
    note: &str,
) -> Result<String, Problem> {
    let store = &platform(state).store;
    let who = caller.audit_name();
    let mut tx = store.write().await?;
    let t = words::t(lang);
    let message = match action {
        "propose" => {
            tx.propose_model(version, &who, note).await?;
            (t.proposed_msg)(version)
        }
        "approve" => {
            let m = store
                .model(version)
                .await?
                .ok_or_else(|| Problem::not_found("No such model version."))?;
            if m.proposed_by.as_deref() == Some(who.as_str()) {
                return Err(Problem::new(
                    StatusCode::FORBIDDEN,
                    "Four eyes: the person who proposed a version cannot approve it.",
                ));
            }
            tx.approve_model(version, &who).await?;
            (t.serves_msg)(version)
        }
        _ => {
            tx.reject_model(version, &who, note).await?;
            (t.rejected_msg)(version)
        }
    };
    tx.commit().await?;
    Ok(message)
}

pub(crate) async fn model_action_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    caller: Caller,
    Path((version, action)): Path<(String, String)>,
    form: Result<Form<NoteForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, Problem> {
    let note = form.map(|f| f.0.note).unwrap_or_default();
    let needed = match action.as_str() {
        "propose" => auth::Role::DataScientist,
        "approve" | "reject" => auth::Role::Reviewer,
        _ => {
            return Err(Problem::not_found(format!(
                "There is no model action {action:?}."
            )));
        }
    };
    if !has_role(&caller, needed) {
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            format!("Only a {} may {action} a model version.", needed.as_str()),
        ));
    }
    let message = change(ctx.lang, &state, &caller, &version, &action, note.trim()).await?;
    if action == "approve" {
        super::models_api::follow(&state).await?;
    }
    Ok(redirect_with_msg("/models", &message).into_response())
}

pub(crate) async fn rollback_submit(
    state: State<AppState>,
    ctx: PageCtx,
    caller: Caller,
) -> Result<Response, Problem> {
    super::models_api::rollback(state, caller).await?;
    Ok(redirect_with_msg("/models", words::t(ctx.lang).rolled_back).into_response())
}

#[derive(Deserialize)]
pub(crate) struct CompareQuery {
    a: String,
    b: String,
    set: Option<String>,
}

/// The interval of the difference on a scale from -max to +max, with 0 marked.
fn interval_svg(lang: Lang, d: &platform::Difference) -> String {
    let title = (words::t(lang).interval_title)(
        &format!("{:+.3}", d.diff),
        &format!("{:+.3}", d.low),
        &format!("{:+.3}", d.high),
    );
    let max = d.low.abs().max(d.high.abs()).max(0.02) * 1.2;
    let x = |v: f64| 20.0 + (v + max) / (2.0 * max) * 560.0;
    format!(
        r##"<svg viewBox="0 0 600 70" role="img" aria-labelledby="ci-title"><title id="ci-title">{title}</title><line x1="{z}" y1="10" x2="{z}" y2="60" stroke="#888" stroke-dasharray="4 3"/><text x="{z}" y="68" font-size="10" text-anchor="middle">0</text><line x1="{l}" y1="35" x2="{h}" y2="35" stroke="#1f5f8b" stroke-width="4"/><circle cx="{m}" cy="35" r="6" fill="#1f5f8b"/><text x="{l}" y="25" font-size="11" text-anchor="middle">{low:+.3}</text><text x="{h}" y="25" font-size="11" text-anchor="middle">{high:+.3}</text></svg>"##,
        title = html! { (title) }.into_string(),
        low = d.low,
        high = d.high,
        z = x(0.0),
        l = x(d.low),
        h = x(d.high),
        m = x(d.diff),
    )
}

fn group_table(lang: Lang, groups: &[platform::compare::GroupDifference], label: &str) -> Markup {
    let t = words::t(lang);
    html! {
        table {
            thead { tr { th { (label) } th { (t.cases) } th { "A top-1" } th { "B top-1" } th { "B − A" } th { (t.interval) } } }
            tbody {
                @for g in groups.iter().take(25) {
                    tr { td { (g.group) } td { (g.difference.cases) } td { (format!("{:.3}", g.difference.a)) } td { (format!("{:.3}", g.difference.b)) }
                         td { (format!("{:+.3}", g.difference.diff)) } td { (format!("{:+.3}{}{:+.3}", g.difference.low, t.to, g.difference.high)) } }
                }
            }
        }
    }
}

/// Flipped cases explained by each version: shown for the first few of each direction.
const EXPLAINED_FLIPS: usize = 10;

/// Why a version answered as it did: its best subheading, the tariff words that matched and
/// the nearest labelled example.
pub(crate) fn explain(lang: Lang, c: &classify::Classifier, text: &str) -> String {
    let t = words::t(lang);
    let answer = c.classify(text, 1);
    let Some(best) = answer.candidates.first() else {
        return t.no_candidate.into();
    };
    let e = &best.explanation;
    let mut out = format!("{} ({:.2})", best.code, best.probability);
    if !e.matched_words.is_empty() {
        out.push_str(t.matched);
        out.push_str(&e.matched_words.join(", "));
    }
    if let Some(n) = e.examples.first() {
        out.push_str(&(t.like)(&n.text, &n.code.to_string()));
    }
    out
}

/// (A's explanation, B's) of each text, when this instance can load both versions.
async fn explanations(
    lang: Lang,
    state: &AppState,
    a: &str,
    b: &str,
    texts: Vec<String>,
) -> Vec<(String, String)> {
    let Some(training) = state.training.clone() else {
        return Vec::new();
    };
    let store = &platform(state).store;
    let (Ok(Some(ma)), Ok(Some(mb))) = (store.model(a).await, store.model(b).await) else {
        return Vec::new();
    };
    tokio::task::spawn_blocking(move || {
        let (Ok(ca), Ok(cb)) = (training.classifier_for(&ma), training.classifier_for(&mb)) else {
            return Vec::new();
        };
        texts
            .iter()
            .map(|t| (explain(lang, &ca, t), explain(lang, &cb, t)))
            .collect()
    })
    .await
    .unwrap_or_default()
}

fn flips_table(lang: Lang, flips: &[platform::compare::Flip], why: &[(String, String)]) -> Markup {
    let t = words::t(lang);
    html! {
        table {
            thead { tr { th { (t.description) } th { (t.gold) } th { (t.a_said) } th { (t.b_said) } th { (t.source) } } }
            tbody {
                @for (i, f) in flips.iter().take(50).enumerate() {
                    tr {
                        td { a href=(format!("/classify?d={}", percent_encoding::utf8_percent_encode(&f.text, percent_encoding::NON_ALPHANUMERIC))) { (f.text) } }
                        td { code { (f.gold) } }
                        td { code { (f.a_predicted) } " (" (format!("{:.2}", f.a_confidence)) ")"
                            @if let Some((wa, _)) = why.get(i) { br; small { "A: " (wa) } } }
                        td { code { (f.b_predicted) } " (" (format!("{:.2}", f.b_confidence)) ")"
                            @if let Some((_, wb)) = why.get(i) { br; small { "B: " (wb) } } }
                        td { (f.source) }
                    }
                }
            }
        }
    }
}

pub(crate) async fn compare_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<CompareQuery>,
) -> Result<Response, Problem> {
    let set = q.set.clone().unwrap_or_else(|| "development".into());
    let c = super::models_api::comparison(&state, &q.a, &q.b, &set).await?;
    let (lang, t) = (ctx.lang, words::t(ctx.lang));
    let verdict = match c.verdict.as_str() {
        "better" => t.better,
        "worse" => t.worse,
        _ => t.no_difference,
    };
    let texts: Vec<String> = c
        .to_right
        .iter()
        .take(EXPLAINED_FLIPS)
        .chain(c.to_wrong.iter().take(EXPLAINED_FLIPS))
        .map(|f| f.text.clone())
        .collect();
    let why = explanations(lang, &state, &q.a, &q.b, texts).await;
    let split = c.to_right.len().min(EXPLAINED_FLIPS).min(why.len());
    let (why_right, why_wrong) = why.split_at(split);
    let chapters: Vec<(String, f64)> = c
        .by_chapter
        .iter()
        .take(15)
        .map(|g| (format!("ch. {}", g.group), g.difference.diff * 100.0))
        .collect();
    Ok(page(
        &ctx,
        StatusCode::OK,
        t.compare_title,
        html! {
            p { a href="/models" { (t.registry) } }
            h1 { "A " code { (q.a) } (t.against) code { (q.b) } (t.against_end) }
            (lesson_link(&ctx, 6))
            p { (t.on_the) strong { (set) } ((t.both_answered)(&c.overall.cases))
                @if c.unpaired > 0 { ((t.unpaired)(&c.unpaired)) } (if lang == Lang::En { "." } else { "。" }) }
            dl.figures {
                div { dt { "A top-1" } dd { (format!("{:.3}", c.overall.a)) } }
                div { dt { "B top-1" } dd { (format!("{:.3}", c.overall.b)) } }
                div { dt { "B − A" } dd { (format!("{:+.3}", c.overall.diff)) } }
                div { dt { (t.interval) } dd { (format!("{:+.3}{}{:+.3}", c.overall.low, t.to, c.overall.high)) } }
            }
            figure.chart { (PreEscaped(interval_svg(lang, &c.overall))) figcaption { ((t.bootstrap)(&c.resamples)) } }
            p.verdict { strong { (verdict) } }
            h2 { (t.by_section) }
            (group_table(lang, &c.by_section, t.section))
            h2 { (t.by_chapter) }
            @if !chapters.is_empty() { figure.chart { (PreEscaped(bar_chart(t.chapter_chart, &chapters))) } }
            (group_table(lang, &c.by_chapter, t.chapter))
            h2 { (t.by_source) }
            (group_table(lang, &c.by_source, t.source))
            h2 { ((t.to_right)(c.to_right.len())) }
            (flips_table(lang, &c.to_right, why_right))
            h2 { ((t.to_wrong)(c.to_wrong.len())) }
            (flips_table(lang, &c.to_wrong, why_wrong))
            p { a href=(format!("/api/v1/models/compare?a={}&b={}&set={}", q.a, q.b, set)) { (i18n::common(lang).as_json) } }
        },
    ))
}

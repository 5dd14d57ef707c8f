//! The model registry's pages: versions with their figures (propose, approve, reject, roll
//! back) and two versions compared with the bootstrap and their flipped cases.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, PreEscaped, html};
use opendata::bar_chart;
use serde::Deserialize;
use serde_json::Value;
use store::Clash;

use super::i18n::missing::Missing;
use super::i18n::problems::{Sentence, detail_text};
use super::i18n::{self, Lang, training as words};
use super::pages::{csrf_field, redirect_with_msg};
use super::{Caller, platform};
use crate::web::course::lesson_link;
use crate::web::layout::{PageCtx, page};
use crate::{AppState, Problem};

use super::runs_pages::{MsgQuery, figure, has_role, json_of, notice};

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

/// A change the registry's rules refuse, as a 409 whose detail pages word per language.
fn refused(clash: Clash) -> Problem {
    Problem::new(StatusCode::CONFLICT, clash.to_string()).saying(Sentence(clash))
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
                .ok_or_else(|| Missing::ModelVersion.problem())?;
            if m.proposed_by.as_deref() == Some(who.as_str()) {
                return Err(refused(Clash::SameReviewer));
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
    let message = match change(ctx.lang, &state, &caller, &version, &action, note.trim()).await {
        Ok(message) => message,
        Err(p) if p.status == 409 => {
            return Ok(redirect_with_msg("/models", &detail_text(ctx.lang, &p)).into_response());
        }
        Err(p) => return Err(p),
    };
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
    // Nothing to roll back comes back as the page's notice, in the reader's language.
    let message = match super::models_api::rollback(state, caller).await {
        Ok(_) => words::t(ctx.lang).rolled_back.to_string(),
        Err(p) if p.status == 409 => detail_text(ctx.lang, &p),
        Err(p) => return Err(p),
    };
    Ok(redirect_with_msg("/models", &message).into_response())
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

//! Error analysis: a model version's misclassified cases on one evaluation set, filtered by
//! chapter, source and confidence, each explained by that version; an analyst corrects a
//! gold label or marks a case too vague to classify, and the correction becomes the next
//! version of the data set the case came from (a shared folder is registered first).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use maud::html;
use platform::{LabelledRow, Source};
use serde::Deserialize;
use store::models::CaseRow;

use super::datasets::{Input, Outcome, register};
use super::i18n::missing::Missing;
use super::i18n::refusals::{Analysis, refusal};
use super::pages::{csrf_field, redirect_with_msg};
use super::{Caller, platform};
use crate::web::course::lesson_link;
use crate::web::layout::{PageCtx, page};
use crate::{AppState, Problem};

/// Cases a page shows, each explained live by the version.
const PAGE_SIZE: usize = 25;

#[derive(Deserialize, Default)]
pub(crate) struct Filters {
    set: Option<String>,
    chapter: Option<String>,
    source: Option<String>,
    /// low (< 0.3), mid (0.3 to 0.7) or high (> 0.7): the version's confidence in its answer.
    confidence: Option<String>,
    page: Option<usize>,
    msg: Option<String>,
}

impl Filters {
    fn set(&self) -> &str {
        self.set
            .as_deref()
            .filter(|s| !s.is_empty())
            .unwrap_or("development")
    }

    fn keeps(&self, c: &CaseRow) -> bool {
        let chapter_ok = self
            .chapter
            .as_deref()
            .filter(|s| !s.is_empty())
            .is_none_or(|ch| c.gold.starts_with(ch));
        let source_ok = self
            .source
            .as_deref()
            .filter(|s| !s.is_empty())
            .is_none_or(|s| c.source == s);
        let confidence_ok = match self.confidence.as_deref() {
            Some("low") => c.confidence < 0.3,
            Some("mid") => (0.3..=0.7).contains(&c.confidence),
            Some("high") => c.confidence > 0.7,
            _ => true,
        };
        chapter_ok && source_ok && confidence_ok
    }
}

/// The misclassified cases of `version` on `set` that pass the filters.
async fn errors(
    state: &AppState,
    version: &str,
    f: &Filters,
) -> Result<(Vec<CaseRow>, Vec<String>, Vec<String>), Problem> {
    let store = &platform(state).store;
    if store.model(version).await?.is_none() {
        return Err(refusal(
            StatusCode::NOT_FOUND,
            Analysis::NoModelVersion {
                version: version.to_string(),
            },
        ));
    }
    let all: Vec<CaseRow> = store
        .model_results(version, f.set())
        .await?
        .into_iter()
        .filter(|c| c.gold_rank != 1)
        .collect();
    let mut chapters: Vec<String> = all
        .iter()
        .map(|c| c.gold.chars().take(2).collect())
        .collect();
    chapters.sort();
    chapters.dedup();
    let mut sources: Vec<String> = all.iter().map(|c| c.source.clone()).collect();
    sources.sort();
    sources.dedup();
    Ok((
        all.into_iter().filter(|c| f.keeps(c)).collect(),
        chapters,
        sources,
    ))
}

pub(crate) async fn errors_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    caller: Caller,
    Path(version): Path<String>,
    Query(f): Query<Filters>,
) -> Result<Response, Problem> {
    let (cases, chapters, sources) = errors(&state, &version, &f).await?;
    let page_no = f.page.unwrap_or(0);
    let shown: Vec<CaseRow> = cases
        .iter()
        .skip(page_no * PAGE_SIZE)
        .take(PAGE_SIZE)
        .cloned()
        .collect();
    // The version's own explanation of each shown answer.
    let lang = ctx.lang;
    let why: Vec<String> = match (
        state.training.clone(),
        platform(&state).store.model(&version).await?,
    ) {
        (Some(training), Some(record)) => {
            let texts: Vec<String> = shown.iter().map(|c| c.text.clone()).collect();
            tokio::task::spawn_blocking(move || match training.classifier_for(&record) {
                Ok(c) => texts
                    .iter()
                    .map(|t| super::models_pages::explain(lang, &c, t))
                    .collect(),
                Err(_) => Vec::new(),
            })
            .await
            .unwrap_or_default()
        }
        _ => Vec::new(),
    };
    let may_correct = caller
        .actor
        .role()
        .is_some_and(|r| matches!(r, auth::Role::DataScientist | auth::Role::Admin));
    let set = f.set().to_string();
    let link = |p: usize| {
        format!(
            "/models/{version}/errors?set={}&chapter={}&source={}&confidence={}&page={p}",
            set,
            f.chapter.as_deref().unwrap_or_default(),
            f.source.as_deref().unwrap_or_default(),
            f.confidence.as_deref().unwrap_or_default()
        )
    };
    let t = super::i18n::training::t(ctx.lang);
    Ok(page(
        &ctx,
        StatusCode::OK,
        t.errors_title,
        html! {
            p { a href="/models" { (t.registry) } }
            h1 { (t.errors_of) code { (version) } (t.errors_on) (set) (t.errors_end) }
            (lesson_link(&ctx, 6))
            @if let Some(m) = &f.msg { p.notice role="status" { (m) } }
            p { ((t.misclassified)(cases.len())) (t.correct_hint) }
            form method="get" action=(format!("/models/{version}/errors")) {
                label { (t.set) select name="set" { @for s in ["development", "test", "cbp"] { option value=(s) selected[s == set] { (s) } } } }
                label { (t.chapter) " " select name="chapter" { option value="" { (t.all) } @for c in &chapters { option value=(c) selected[f.chapter.as_deref() == Some(c.as_str())] { (c) } } } }
                label { (t.source) " " select name="source" { option value="" { (t.all) } @for s in &sources { option value=(s) selected[f.source.as_deref() == Some(s.as_str())] { (s) } } } }
                label { (t.confidence) select name="confidence" {
                    @for (v, l) in ["", "low", "mid", "high"].into_iter().zip(t.confidence_choices) {
                        option value=(v) selected[f.confidence.as_deref().unwrap_or("") == v] { (l) }
                    }
                } }
                button type="submit" { (t.filter) }
            }
            table {
                thead { tr { th { (t.description) } th { (t.gold) } th { (t.answer) } th { (t.gold_rank) } th { (t.source) } th { (t.why) } @if may_correct { th { (t.correct) } } } }
                tbody {
                    @for (i, c) in shown.iter().enumerate() {
                        tr {
                            td { (c.text) }
                            td { code { (c.gold) } }
                            td { code { (c.predicted) } " (" (format!("{:.2}", c.confidence)) ")" }
                            td { @if c.gold_rank == 0 { (t.not_top10) } @else { (c.gold_rank) } }
                            td { (c.source) }
                            td { small { (why.get(i).map(String::as_str).unwrap_or("")) } }
                            @if may_correct {
                                td {
                                    form method="post" action=(format!("/models/{version}/errors/correct")) {
                                        (csrf_field(&caller))
                                        input type="hidden" name="set" value=(set);
                                        input type="hidden" name="case_id" value=(c.case_id);
                                        input type="text" name="code" placeholder=(t.correct_code) pattern="[0-9]{6,11}" size="11";
                                        button type="submit" name="action" value="relabel" { (t.relabel) }
                                        button type="submit" name="action" value="vague" { (t.too_vague) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            p {
                @if page_no > 0 { a href=(link(page_no - 1)) { (t.previous) } " " }
                @if (page_no + 1) * PAGE_SIZE < cases.len() { a href=(link(page_no + 1)) { (t.next) } }
            }
        },
    ))
}

#[derive(Deserialize)]
pub(crate) struct CorrectionForm {
    #[serde(default)]
    set: String,
    #[serde(default)]
    case_id: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    code: String,
}

/// What an analyst decided about a case.
pub(crate) enum Correction {
    Relabel(String),
    Vague,
}

/// Applies a correction to the case's data set as its next version.
pub(crate) async fn correct(
    state: &AppState,
    caller: &Caller,
    version: &str,
    set: &str,
    case_id: &str,
    correction: Correction,
) -> Result<Outcome, Problem> {
    let store = &platform(state).store;
    let case = store
        .model_results(version, set)
        .await?
        .into_iter()
        .find(|c| c.case_id == case_id)
        .ok_or_else(|| {
            let (version, case_id, set) = (version.into(), case_id.into(), set.into());
            refusal(
                StatusCode::NOT_FOUND,
                Analysis::NoCase {
                    version,
                    case_id,
                    set,
                },
            )
        })?;
    // The data set the case came from: the one the set names, or the shared folder's own.
    let name = match set.strip_prefix("dataset:") {
        Some(r) => {
            platform::DatasetRef::parse(r)
                .map_err(|e| {
                    let reason = e.to_string();
                    refusal(StatusCode::BAD_REQUEST, Analysis::BadDatasetRef { reason })
                })?
                .name
        }
        None => {
            if !corpus::labelled_sets(&state.data_dir).contains(&case.source) {
                let source = case.source.clone();
                return Err(refusal(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Analysis::NotVersionable { source },
                ));
            }
            if store.dataset_version(&case.source, None).await?.is_none() {
                register(
                    state,
                    caller,
                    &case.source,
                    Input::Source(Source::Shared(case.source.clone())),
                )
                .await?;
            }
            case.source.clone()
        }
    };
    let latest = store
        .dataset_version(&name, None)
        .await?
        .ok_or_else(|| Missing::DataSet { name: name.clone() }.problem())?;
    let mut rows: Vec<LabelledRow> = store
        .dataset_rows(&name, latest.meta.version, None)
        .await?
        .into_iter()
        .map(|r| LabelledRow {
            id: r.id,
            text: r.text,
            code: r.code,
            source: r.source,
        })
        .collect();
    let at = rows
        .iter()
        .position(|r| r.id == case.case_id)
        .ok_or_else(|| {
            let (name, version) = (name.clone(), latest.meta.version);
            let case_id = case.case_id.clone();
            refusal(
                StatusCode::CONFLICT,
                Analysis::RowChanged {
                    name,
                    version,
                    case_id,
                },
            )
        })?;
    let what = match correction {
        Correction::Relabel(code) => {
            let code = platform::rows::clean_code(&code).map_err(|e| {
                let reason = e.to_string();
                refusal(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Analysis::BadCode { reason },
                )
            })?;
            if code.len() < 6 {
                return Err(refusal(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Analysis::CodeTooShort,
                ));
            }
            let old = std::mem::replace(&mut rows[at].code, code.clone());
            format!("row {} relabelled {old} → {code}", case.case_id)
        }
        Correction::Vague => {
            rows.remove(at);
            format!("row {} removed as too vague to classify", case.case_id)
        }
    };
    register(
        state,
        caller,
        &name,
        Input::Rows {
            rows,
            source: format!("correction: {what} (error analysis of {version} on {set})"),
        },
    )
    .await
}

pub(crate) async fn correct_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    caller: Caller,
    Path(version): Path<String>,
    Form(form): Form<CorrectionForm>,
) -> Result<Response, Problem> {
    let correction = match form.action.as_str() {
        "relabel" => Correction::Relabel(form.code.trim().to_string()),
        "vague" => Correction::Vague,
        other => {
            let action = other.to_string();
            return Err(refusal(
                StatusCode::BAD_REQUEST,
                Analysis::UnknownAction { action },
            ));
        }
    };
    let set = if form.set.is_empty() {
        "development".to_string()
    } else {
        form.set.clone()
    };
    let outcome = correct(&state, &caller, &version, &set, &form.case_id, correction).await?;
    let m = &outcome.meta;
    let message = (super::i18n::data::t(ctx.lang).outcome)(
        outcome.created,
        m.version,
        &m.name,
        m.row_count,
        m.sha256.get(..12).unwrap_or_default(),
    );
    Ok(redirect_with_msg(&format!("/models/{version}/errors?set={set}"), &message).into_response())
}

pub(crate) async fn errors_json(
    State(state): State<AppState>,
    Path(version): Path<String>,
    Query(f): Query<Filters>,
) -> Result<Response, Problem> {
    let (cases, chapters, sources) = errors(&state, &version, &f).await?;
    Ok(Json(serde_json::json!({
        "version": version,
        "set": f.set(),
        "misclassified": cases.len(),
        "chapters": chapters,
        "sources": sources,
        "cases": cases,
    }))
    .into_response())
}

#[derive(Deserialize)]
pub(crate) struct CorrectionBody {
    #[serde(default)]
    set: Option<String>,
    case_id: String,
    action: String,
    #[serde(default)]
    code: Option<String>,
}

pub(crate) async fn correct_json(
    State(state): State<AppState>,
    caller: Caller,
    Path(version): Path<String>,
    body: Result<Json<CorrectionBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, Problem> {
    let Json(body) = body.map_err(|e| {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!(
                "Send {{\"set\", \"case_id\", \"action\": \"relabel\" | \"vague\", \"code\"}}: {}",
                e.body_text()
            ),
        )
    })?;
    let correction = match (body.action.as_str(), body.code) {
        ("relabel", Some(code)) => Correction::Relabel(code.trim().to_string()),
        ("relabel", None) => {
            return Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "code: a relabelling needs the correct code.",
            ));
        }
        ("vague", _) => Correction::Vague,
        (other, _) => {
            return Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("action is relabel or vague, not {other:?}."),
            ));
        }
    };
    let set = body.set.unwrap_or_else(|| "development".into());
    let outcome = correct(&state, &caller, &version, &set, &body.case_id, correction).await?;
    let status = if outcome.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(serde_json::json!({
            "message": outcome.message(),
            "dataset": outcome.meta.name,
            "version": outcome.meta.version,
            "rows": outcome.meta.row_count,
            "source": outcome.meta.source,
        })),
    )
        .into_response())
}

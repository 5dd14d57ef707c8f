//! The guided-classification wizard. Plain forms that post and redirect (303) to the next
//! step's address, so it works without JavaScript and every step is a shareable link; a small
//! script swaps in the next step without a full reload where JavaScript runs.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;

use super::layout::{PageCtx, page};
use crate::AppState;
use crate::api::guide::{Action, AnswerRequest, GuideResponse, in_lang, run};
use crate::guide_token::TokenError;
use crate::limits::{MAX_ANSWER_TEXT_CHARS, MAX_GUIDE_DESCRIPTION_CHARS};
use crate::platform::i18n::problems::detail_text;
use crate::problem::{Problem, Say};
use crate::web::Lang;

/// Replaces the page's main content with the next step's, keeps the address bar in step.
const ENHANCE: &str = r#"
document.addEventListener('submit', async (e) => {
  const form = e.target;
  if (!form.classList.contains('guide-form') || !window.fetch) return;
  e.preventDefault();
  const body = new URLSearchParams(new FormData(form, e.submitter));
  const res = await fetch(form.action, {method: 'POST', body});
  const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
  const next = doc.querySelector('main');
  if (!next) { form.submit(); return; }
  document.querySelector('main').innerHTML = next.innerHTML;
  document.title = doc.title;
  if (res.redirected) history.pushState(null, '', res.url);
  const focus = document.querySelector('main h2, main h1');
  if (focus) { focus.setAttribute('tabindex', '-1'); focus.focus(); }
});
window.addEventListener('popstate', () => location.reload());
"#;

#[derive(Deserialize)]
pub struct StartForm {
    #[serde(default)]
    d: String,
}

#[derive(Deserialize)]
pub struct AnswerForm {
    choice: Option<String>,
    text: Option<String>,
    pick: Option<String>,
}

fn percent(p: f64) -> String {
    format!("{:.0}%", p * 100.0)
}

fn see_other(to: &str) -> Response {
    let mut res = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

fn start_form(ctx: &PageCtx, d: &str) -> Markup {
    let t = ctx.t();
    html! {
        form.classify action="/guide" method="post" {
            label for="d" { (t.guide_label) }
            p.hint id="d-hint" { (t.classify_hint) }
            textarea #d name="d" rows="2" maxlength=(MAX_GUIDE_DESCRIPTION_CHARS) aria-describedby="d-hint" { (d) }
            div { button type="submit" { (t.guide_start) } }
        }
    }
}

fn step_view(ctx: &PageCtx, r: &GuideResponse, error: Option<&str>) -> Markup {
    let t = ctx.t();
    let base = format!("/guide/{}", r.session);
    html! {
        h1 { (t.guide_title) }
        (super::course::lesson_link(ctx, 3))
        @if !r.description.is_empty() { p.lead { "“" (r.description) "”" } }
        @if ctx.lang != super::Lang::En { p.hint { (t.guide_texts_english) } }
        @if let Some(e) = error { p.notice role="alert" { (e) } }
        @if !r.known.is_empty() {
            p.meta { (t.guide_known) ": "
                @for (i, k) in r.known.iter().enumerate() { @if i > 0 { ", " } (k.topic) " = " strong { (k.label) } }
            }
        }
        @if !r.answers.is_empty() {
            section.answers {
                h2.small { (t.guide_answers) }
                ol { @for a in &r.answers { li { (a.question) " — " strong { (a.answer) } } } }
                form.guide-form.inline action={ (base) "/back" } method="post" {
                    button.secondary type="submit" { "← " (t.guide_back) }
                }
            }
        }
        @if let Some(q) = &r.question {
            section.question aria-live="polite" {
                h2 { span.num { (t.guide_question) " " (r.asked + 1) } " " (q.text) }
                form.guide-form.choices action={ (base) "/answer" } method="post" {
                    @for c in &q.choices {
                        button.choice type="submit" name="choice" value=(c.id) title=[c.detail.as_deref()] data-choice=(c.id)
                            data-keeps=(c.keeps.join(" ")) data-excludes=(c.excludes.join(" ")) {
                            (c.label)
                            // A run of headings lists them all: the label has room for a few.
                            @if let Some(lines) = c.detail.as_deref().filter(|d| d.contains('\n')) {
                                span.choice-detail { @for line in lines.lines() { (line) br; } }
                            }
                        }
                    }
                }
                form.guide-form.own-words action={ (base) "/answer" } method="post" {
                    label for="text" { (t.guide_own_words) }
                    div.row {
                        input #text type="text" name="text" maxlength=(MAX_ANSWER_TEXT_CHARS) autocomplete="off";
                        button type="submit" { (t.guide_send) }
                    }
                }
            }
        }
        @if let Some(o) = &r.outcome {
            section.outcome #result {
                h2 { (t.guide_result) ": " a.code href={ "/codes/" (o.code) } { (o.dotted) } }
                p { (o.description) }
                div.bar-row {
                    meter min="0" max="1" value=(format!("{:.3}", o.probability)) { (percent(o.probability)) }
                    span.conf { (percent(o.probability)) " " (t.confidence) }
                }
                p.meta data-reason=(o.reason) { (t.guide_reason(&o.reason)) }
                @if !o.justification.is_empty() {
                    h3 { (t.guide_because) }
                    ul.because {
                        @for j in &o.justification {
                            li { (j.question) " — " strong { (j.answer) }
                                @for m in &j.matched { div.meta { (m.code) " " (m.text) } }
                            }
                        }
                    }
                }
                @if !o.ruled_out.is_empty() {
                    h3 { (t.guide_ruled_out) }
                    ul.ruled-out {
                        @for x in &o.ruled_out {
                            li { a href={ "/codes/" (x.code) } { (x.code) } " " (x.description) div.meta { (x.by) } }
                        }
                    }
                }
                p { a #share href=(base) { (t.guide_share) } " · " a href="/guide" { (t.guide_again) } }
            }
        }
        @if !r.candidates.is_empty() {
            section.candidates {
                h2.small { (t.guide_candidates) }
                form.guide-form action={ (base) "/answer" } method="post" {
                    ol.candidates {
                        @for c in &r.candidates {
                            li.candidate {
                                a.code href={ "/codes/" (c.code) } { (c.dotted) } " " (c.description)
                                div.bar-row {
                                    meter min="0" max="1" value=(format!("{:.3}", c.probability)) { (percent(c.probability)) }
                                    span.conf { (percent(c.probability)) }
                                    @if r.outcome.is_none() {
                                        button.secondary type="submit" name="pick" value=(c.code) { (t.guide_pick) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        script { (PreEscaped(ENHANCE)) }
    }
}

/// A guided session's link that was altered or has run out, in the reader's language.
impl Say for TokenError {
    fn say(&self, lang: Lang) -> String {
        match (self, lang) {
            (TokenError::Invalid, Lang::En) => {
                "No such guided session: the link is incomplete or was altered. Start again.".into()
            }
            (TokenError::Invalid, Lang::ZhTw) => {
                "找不到此引導式歸列：連結不完整或已遭變更。請重新開始。".into()
            }
            (TokenError::Expired, Lang::En) => {
                "This guided session has expired. Start again with the same description.".into()
            }
            (TokenError::Expired, Lang::ZhTw) => {
                "此引導式歸列已逾期失效。請以相同的貨物描述重新開始。".into()
            }
        }
    }
}

fn error_page(ctx: &PageCtx, p: Problem) -> Response {
    let t = ctx.t();
    let status = StatusCode::from_u16(p.status).unwrap_or(StatusCode::BAD_REQUEST);
    let body = html! {
        h1 { (t.guide_title) }
        p.notice role="alert" { (detail_text(ctx.lang, &p)) }
        (start_form(ctx, ""))
    };
    page(ctx, status, t.guide_title, body)
}

pub async fn start_page(ctx: PageCtx) -> Response {
    let t = ctx.t();
    let body = html! {
        h1 { (t.guide_title) }
        p.lead { (t.guide_lead) }
        (super::course::lesson_link(&ctx, 3))
        (start_form(&ctx, ""))
    };
    page(&ctx, StatusCode::OK, t.guide_title, body)
}

pub async fn start(
    State(state): State<AppState>,
    ctx: PageCtx,
    Form(f): Form<StartForm>,
) -> Response {
    match run(&state, None, Action::Start(f.d)).await {
        Ok(r) => see_other(&format!("/guide/{}", r.session)),
        Err(p) => error_page(&ctx, p),
    }
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(session): Path<String>,
) -> Response {
    match run(&state, Some(session), Action::Show).await {
        Ok(r) => page(
            &ctx,
            StatusCode::OK,
            ctx.t().guide_title,
            step_view(&ctx, &in_lang(&state, ctx.lang, r), None),
        ),
        Err(p) => error_page(&ctx, p),
    }
}

pub async fn answer(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(session): Path<String>,
    Form(f): Form<AnswerForm>,
) -> Response {
    // An empty text box next to the choice buttons is not an answer.
    let text = f.text.filter(|t| !t.trim().is_empty());
    let req = AnswerRequest {
        choice: f.choice,
        text,
        pick: f.pick,
    };
    match run(&state, Some(session.clone()), Action::Answer(req)).await {
        Ok(r) => see_other(&format!("/guide/{}", r.session)),
        Err(p) if p.status == 400 || p.status == 422 => {
            // Show the same step again with the message; nothing is lost.
            match run(&state, Some(session), Action::Show).await {
                Ok(r) => page(
                    &ctx,
                    StatusCode::from_u16(p.status).unwrap_or(StatusCode::BAD_REQUEST),
                    ctx.t().guide_title,
                    step_view(
                        &ctx,
                        &in_lang(&state, ctx.lang, r),
                        Some(&detail_text(ctx.lang, &p)),
                    ),
                ),
                Err(p) => error_page(&ctx, p),
            }
        }
        Err(p) => error_page(&ctx, p),
    }
}

pub async fn back(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(session): Path<String>,
) -> Response {
    match run(&state, Some(session), Action::Back).await {
        Ok(r) => see_other(&format!("/guide/{}", r.session)),
        Err(p) => error_page(&ctx, p),
    }
}

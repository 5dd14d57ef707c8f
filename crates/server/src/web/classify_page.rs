//! The classification page: a description in, suggestions grouped by heading with their
//! confidence and the reasons behind them. Works without JavaScript (GET form).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;

use super::layout::{PageCtx, page};
use crate::AppState;
use crate::api::classify::{ClassifyResponse, run_classify};
use crate::limits::{MAX_DESCRIPTION_CHARS, MAX_GUIDE_DESCRIPTION_CHARS};

#[derive(Deserialize)]
pub struct Params {
    d: Option<String>,
}

fn form(ctx: &PageCtx, d: &str) -> Markup {
    let t = ctx.t();
    html! {
        form.classify action="/classify" method="get" {
            label for="d" { (t.classify_label) }
            p.hint id="d-hint" { (t.classify_hint) }
            textarea #d name="d" rows="3" maxlength=(MAX_DESCRIPTION_CHARS) aria-describedby="d-hint" { (d) }
            div { button type="submit" { (t.classify_button) } }
        }
    }
}

fn percent(p: f32) -> String {
    format!("{:.0}%", p * 100.0)
}

fn results(ctx: &PageCtx, r: &ClassifyResponse) -> Markup {
    let t = ctx.t();
    html! {
        @for flag in &r.flags {
            @if let Some(msg) = t.flag(flag) { p.notice role="status" data-flag=(flag) { (msg) } }
        }
        @if !r.candidates.is_empty() {
            @if r.description.chars().count() <= MAX_GUIDE_DESCRIPTION_CHARS {
                form.guide-cta action="/guide" method="post" {
                    input type="hidden" name="d" value=(r.description);
                    button.secondary type="submit" { (t.guide_cta) " →" }
                }
            }
            h2 { (t.candidates_by_heading) }
            @for h in &r.headings {
                section.heading-group {
                    h3 {
                        a href={ "/codes/" (h.code) } { (h.dotted) } " " (h.description)
                        span.conf { " · " (percent(h.confidence)) }
                    }
                    ol.candidates {
                        @for code in &h.candidates {
                            @if let Some(c) = r.candidates.iter().find(|c| &c.code == code) {
                                li.candidate {
                                    a.code href={ "/codes/" (c.code) } { (c.dotted) }
                                    " " (c.description)
                                    @if let Some(zh) = &c.description_zh { " " span.secondary lang="zh-TW" { (zh) } }
                                    @if let Some(l) = c.national_lines.iter().find(|l| l.decided) {
                                        p.meta { a href={ "/tariff/" (l.code) } { (l.dotted) } " " (l.description_zh) " · " (l.rates[0]) }
                                    } @else if !c.national_lines.is_empty() {
                                        p.meta { a href={ "/tariff/" (c.code) } { (c.national_lines.len()) " national lines" } }
                                    }
                                    div.bar-row {
                                        meter min="0" max="1" value=(format!("{:.3}", c.confidence)) { (percent(c.confidence)) }
                                        span.conf { (percent(c.confidence)) " " (t.confidence) }
                                    }
                                    @if !c.explanation.matched_words.is_empty() {
                                        p.meta { (t.matched) ": " (c.explanation.matched_words.join(", ")) }
                                    }
                                    @if !c.explanation.evidence.is_empty() {
                                        details.evidence {
                                            summary { (t.evidence) " (" (c.explanation.evidence.len()) ")" }
                                            ul {
                                                @for e in &c.explanation.evidence {
                                                    li { span.source { (e.source) } ": " (e.text)
                                                        @if !e.words.is_empty() { " — " strong { (e.words.join(", ")) } }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                    @if !c.explanation.examples.is_empty() {
                                        p.meta { (t.similar_rulings) ": "
                                            @for (i, e) in c.explanation.examples.iter().enumerate() {
                                                @if i > 0 { "; " }
                                                "“" (e.text) "”"
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub async fn classify_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(params): Query<Params>,
) -> Response {
    let t = ctx.t();
    let d = params.d.unwrap_or_default();
    let d = d.trim();
    let found = if d.is_empty() || d.chars().count() > MAX_DESCRIPTION_CHARS {
        None
    } else {
        Some(run_classify(&state, d.to_string(), 10).await)
    };
    let body = html! {
        h1 { (t.classify_title) }
        p.lead { (t.classify_lead) }
        (super::course::lesson_link(&ctx, 3))
        (form(&ctx, d))
        @if let Some(r) = &found { (results(&ctx, r)) }
    };
    page(&ctx, StatusCode::OK, t.classify_title, body)
}

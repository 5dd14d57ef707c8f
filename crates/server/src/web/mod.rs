//! Server-rendered pages: home, search, sections and codes. They work without JavaScript.

mod classify_page;
pub(crate) mod course;
mod guide_page;
mod i18n;
pub(crate) mod layout;
pub(crate) mod problem_page;
mod tariff_page;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{Markup, PreEscaped, html};
use nomenclature::{HsCode, Node, Nomenclature, SectionNumber};
use serde::Deserialize;

use crate::api::{check_search, run_search};
use crate::{AppState, Problem};
use layout::{PageCtx, page, search_form};

pub use i18n::Lang;

const STYLE: &str = include_str!("../../assets/style.css");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/search", get(search))
        .route("/classify", get(classify_page::classify_page))
        .route(
            "/guide",
            get(guide_page::start_page).post(guide_page::start),
        )
        .route("/guide/{session}", get(guide_page::show))
        .route(
            "/guide/{session}/answer",
            axum::routing::post(guide_page::answer),
        )
        .route(
            "/guide/{session}/back",
            axum::routing::post(guide_page::back),
        )
        .route("/sections/{number}", get(section))
        .route("/codes/{code}", get(code))
        .route("/tariff", get(tariff_page::root))
        .route("/tariff/{code}", get(tariff_page::show))
        .route("/tariff/{code}/concordance", get(tariff_page::concordance))
        .route("/duty", get(tariff_page::duty))
        .route("/assets/style.css", get(style))
        .merge(course::routes())
}

async fn style() -> Response {
    let mut res = STYLE.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    res
}

fn code_link(node: &Node) -> Markup {
    html! { a href={ "/codes/" (node.code) } { (node.code.dotted()) } }
}

fn chapter_range(chapters: &[HsCode]) -> String {
    match (chapters.first(), chapters.last()) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
        (Some(a), _) => a.to_string(),
        _ => String::new(),
    }
}

/// "Chapter 84" / "第 84 章"; "Heading 84.71" / "節 84.71".
fn code_label(ctx: &PageCtx, node: &Node) -> String {
    let t = ctx.t();
    match (ctx.lang, node.level()) {
        (Lang::ZhTw, nomenclature::Level::Chapter) => format!("第 {} {}", node.code, t.chapter),
        (_, level) => format!("{} {}", t.level(level), node.code.dotted()),
    }
}

fn section_label(ctx: &PageCtx, n: SectionNumber) -> String {
    match ctx.lang {
        Lang::En => format!("{} {}", ctx.t().section, n.roman()),
        Lang::ZhTw => format!("第 {} {}", n.roman(), ctx.t().section),
    }
}

async fn home(State(state): State<AppState>, ctx: PageCtx) -> Response {
    let t = ctx.t();
    let hs = state.index.nomenclature();
    let body = html! {
        h1 { (t.site_name) }
        p.lead { (t.tagline) }
        (course::lesson_link(&ctx, 1))
        (search_form(&ctx, ""))
        p { a.cta href="/classify" { (t.classify_nav) " →" } " " a.cta href="/guide" { (t.guide_nav) " →" } }
        h2 { (t.browse_sections) }
        ol.sections {
            @for s in hs.sections() {
                li {
                    a href={ "/sections/" (s.number.roman()) } {
                        span.num { (section_label(&ctx, s.number)) }
                        " " (s.title)
                    }
                    span.meta { " (" (t.chapters) " " (chapter_range(&s.chapters)) ")" }
                }
            }
        }
        @let others: Vec<&Node> = hs.unsectioned_chapters().collect();
        @if !others.is_empty() {
            h3 { (t.unsectioned) }
            ul.codes { @for c in others { li { (code_link(c)) " " (c.description) } } }
        }
        @if ctx.lang != Lang::En { p.note { (t.english_only) } }
    };
    page(&ctx, StatusCode::OK, t.site_name, body)
}

#[derive(Deserialize)]
struct SearchPageParams {
    q: Option<String>,
    level: Option<String>,
}

async fn search(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(params): Query<SearchPageParams>,
) -> Response {
    let t = ctx.t();
    if let Err(problem) = crate::limits::check_query_utf8(&ctx.uri) {
        return error_page(&ctx, problem);
    }
    let q = params.q.unwrap_or_default();
    if q.trim().is_empty() {
        return axum::response::Redirect::to("/").into_response();
    }
    let checked = match check_search(Some(&q), Some(50), params.level.as_deref()) {
        Ok(c) => c,
        Err(problem) => return error_page(&ctx, problem),
    };
    let found = run_search(&state, &checked);
    let hs = state.index.nomenclature();
    let heading = if found.code_lookup {
        t.codes_starting.replace("{q}", &checked.text)
    } else {
        t.results_for.replace("{q}", &checked.text)
    };
    let body = html! {
        (search_form(&ctx, &checked.text))
        h1 { (heading) }
        (course::lesson_link(&ctx, 2))
        @if !found.expansions.is_empty() {
            p.note {
                (t.also_searched) ": "
                @for (i, e) in found.expansions.iter().enumerate() {
                    @if i > 0 { "; " }
                    strong { (e.matched) } " → " (e.words.join(" "))
                }
            }
        }
        @if found.hits.is_empty() {
            p { (t.no_results) }
            p { a href="/" { (t.browse_sections) } }
        } @else {
            p.meta { (t.results_count.replace("{n}", &found.hits.len().to_string())) }
            ol.results {
                @for hit in &found.hits {
                    li {
                        a.code href={ "/codes/" (hit.code) } { (hit.dotted) }
                        span.level { (level_name(t, hs, &hit.code)) }
                        p.desc { (PreEscaped(&hit.highlighted)) }
                        @if !hit.path.is_empty() {
                            p.path { @for (i, a) in hit.path.iter().enumerate() {
                                @if i > 0 { " › " }
                                (a.dotted) " " (a.description)
                            } }
                        }
                    }
                }
            }
        }
    };
    page(&ctx, StatusCode::OK, &heading, body)
}

fn level_name(t: &i18n::Messages, hs: &Nomenclature, code: &str) -> &'static str {
    HsCode::parse(code)
        .ok()
        .and_then(|c| hs.get(&c))
        .map_or("", |n| t.level(n.level()))
}

async fn section(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(number): Path<String>,
) -> Response {
    let t = ctx.t();
    let hs = state.index.nomenclature();
    let Some(section) = SectionNumber::parse(&number).and_then(|n| hs.section(n)) else {
        return not_found_page(&ctx);
    };
    let label = section_label(&ctx, section.number);
    let body = html! {
        nav.breadcrumb aria-label=(t.breadcrumb) { ol {
            li { a href="/" { (t.home) } }
            li aria-current="page" { (label) }
        } }
        h1 { span.num { (label) } " " (section.title) }
        (course::lesson_link(&ctx, 2))
        h2 { (t.chapters) }
        ul.codes {
            @for c in section.chapters.iter().filter_map(|c| hs.get(c)) {
                li { (code_link(c)) " " (c.description) }
            }
        }
    };
    page(&ctx, StatusCode::OK, &label, body)
}

async fn code(State(state): State<AppState>, ctx: PageCtx, Path(raw): Path<String>) -> Response {
    let t = ctx.t();
    let hs = state.index.nomenclature();
    let code = match HsCode::parse(&raw) {
        Ok(c) => c,
        Err(e) => return error_page(&ctx, Problem::bad_request(e.to_string())),
    };
    let Some(node) = hs.get(&code) else {
        return not_found_page(&ctx);
    };
    if raw != code.as_str() {
        // One address per code: /codes/8471.30 → /codes/847130.
        return axum::response::Redirect::permanent(&format!("/codes/{code}")).into_response();
    }
    let title = format!("{} {}", code.dotted(), node.description);
    let children = hs.children(&code);
    let siblings = hs.siblings(&code);
    let body = html! {
        nav.breadcrumb aria-label=(t.breadcrumb) { ol {
            li { a href="/" { (t.home) } }
            @if let Some(s) = node.section {
                li { a href={ "/sections/" (s.roman()) } { (section_label(&ctx, s)) } }
            }
            @for a in hs.ancestors(&code) {
                li { a href={ "/codes/" (a.code) } { (code_label(&ctx, a)) } }
            }
            li aria-current="page" { (code_label(&ctx, node)) }
        } }
        p.level { (t.level(node.level())) }
        h1 { span.num { (code.dotted()) } " " (node.description) }
        (course::lesson_link(&ctx, 2))
        (search_form(&ctx, ""))
        h2 { (t.contents) }
        @if children.is_empty() {
            p { (t.no_children) }
        } @else {
            ul.codes { @for c in &children { li { (code_link(c)) " " (c.description) } } }
        }
        @if !siblings.is_empty() {
            h2 { (t.siblings) }
            ul.codes.siblings { @for c in &siblings { li { (code_link(c)) " " (c.description) } } }
        }
    };
    page(&ctx, StatusCode::OK, &title, body)
}

fn error_page(ctx: &PageCtx, problem: Problem) -> Response {
    let t = ctx.t();
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::BAD_REQUEST);
    let body = html! {
        h1 { (t.bad_request) }
        p { (problem.detail) }
        (search_form(ctx, ""))
    };
    page(ctx, status, t.bad_request, body)
}

fn not_found_page(ctx: &PageCtx) -> Response {
    let t = ctx.t();
    let body = html! {
        h1 { (t.not_found) }
        p { (t.not_found_detail) }
        (search_form(ctx, ""))
        p { a href="/" { (t.home) } }
    };
    page(ctx, StatusCode::NOT_FOUND, t.not_found, body)
}

/// Unknown addresses: a problem for API clients, a page for people.
pub async fn not_found(ctx: PageCtx, uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        let detail = format!("No API resource at {}.", uri.path());
        return Problem::not_found(detail).into_response();
    }
    not_found_page(&ctx)
}

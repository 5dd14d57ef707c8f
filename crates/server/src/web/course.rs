//! The analysts' course (docs/course) as pages: the index at `/course`, each lesson at
//! `/course/{en|zh-TW}/{lesson}`, the exercise files at `/course/files/{name}`. The
//! markdown is embedded at compile time, so a deployed binary needs no docs folder; the
//! pages hold nothing internal and are mounted on both profiles. Pages whose subject a
//! lesson covers link it with `lesson_link`.
//!
//! Adding a lesson: put `NN-name.md` in docs/course/en and docs/course/zh-TW and add a line
//! to `LESSONS` (the course test fails for a lesson that is not served).

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use maud::{Markup, PreEscaped, html};
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};

use super::i18n::Lang;
use super::layout::{PageCtx, page};
use crate::AppState;

pub struct Lesson {
    pub number: u8,
    /// The file name without `.md`, the same in both languages.
    pub slug: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
}

macro_rules! lesson {
    ($number:expr, $slug:literal) => {
        Lesson {
            number: $number,
            slug: $slug,
            en: include_str!(concat!("../../../../docs/course/en/", $slug, ".md")),
            zh: include_str!(concat!("../../../../docs/course/zh-TW/", $slug, ".md")),
        }
    };
}

pub const LESSONS: &[Lesson] = &[
    lesson!(1, "01-hs-classification"),
    lesson!(2, "02-searching-the-tariff"),
    lesson!(3, "03-reading-the-classifier"),
    lesson!(4, "04-data-sets"),
    lesson!(5, "05-training"),
    lesson!(6, "06-comparing-models"),
    lesson!(7, "07-promoting-and-rolling-back"),
    lesson!(8, "08-checking-declarations"),
];

const INDEX: &str = include_str!("../../../../docs/course/README.md");

/// The files exercises use, served so that a reader of the pages can download them.
const FILES: &[(&str, &str)] = &[
    (
        "declarations.csv",
        include_str!("../../../../docs/course/files/declarations.csv"),
    ),
    (
        "batch.jsonl",
        include_str!("../../../../docs/course/files/batch.jsonl"),
    ),
    (
        "parcels.csv",
        include_str!("../../../../docs/course/files/parcels.csv"),
    ),
    (
        "bad-run.toml",
        include_str!("../../../../docs/course/files/bad-run.toml"),
    ),
    (
        "quick-run.toml",
        include_str!("../../../../docs/course/files/quick-run.toml"),
    ),
    (
        "quick-run-zh.toml",
        include_str!("../../../../docs/course/files/quick-run-zh.toml"),
    ),
    (
        "wider-run.toml",
        include_str!("../../../../docs/course/files/wider-run.toml"),
    ),
    (
        "wider-run-zh.toml",
        include_str!("../../../../docs/course/files/wider-run-zh.toml"),
    ),
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/course", get(index))
        .route("/course/files/{name}", get(file))
        .route("/course/{lang}/{lesson}", get(lesson_page))
}

impl Lesson {
    pub fn text(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::ZhTw => self.zh,
        }
    }

    /// The first `# ` heading: "Lesson 3: How the classifier decides".
    pub fn title(&self, lang: Lang) -> &'static str {
        title_of(self.text(lang))
    }

    pub fn href(&self, lang: Lang) -> String {
        format!("/course/{}/{}", lang.tag(), self.slug)
    }
}

fn title_of(markdown: &str) -> &str {
    markdown
        .lines()
        .find_map(|l| l.strip_prefix("# "))
        .map_or("", str::trim)
}

pub fn lesson(number: u8) -> Option<&'static Lesson> {
    LESSONS.iter().find(|l| l.number == number)
}

/// The link a page shows to the lesson that teaches its subject, in the page's language.
pub fn lesson_link(ctx: &PageCtx, number: u8) -> Markup {
    let Some(l) = lesson(number) else {
        return html! {};
    };
    html! {
        p.lesson-link { a href=(l.href(ctx.lang)) hreflang=(ctx.lang.tag()) { (l.title(ctx.lang)) } }
    }
}

/// A relative link of the markdown (`02-searching-the-tariff.md`, `../files/x.csv`,
/// `zh-TW/01-hs-classification.md`, `../README.md`) as the page address that serves it;
/// `dir` is where the markdown file lies under docs/course ("" or "en").
fn rewrite(dest: &str, dir: &str) -> Option<String> {
    if dest.contains("://") || dest.starts_with('/') || dest.starts_with('#') {
        return None;
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, format!("#{f}")),
        None => (dest, String::new()),
    };
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    let target = match parts.as_slice() {
        ["README.md"] => "/course".to_string(),
        ["files", name] => format!("/course/files/{name}"),
        [lang @ ("en" | "zh-TW"), file] => {
            format!("/course/{lang}/{}", file.strip_suffix(".md")?)
        }
        _ => return None,
    };
    Some(format!("{target}{fragment}"))
}

/// The markdown as HTML, links between course files turned into page addresses. The
/// markdown is ours, compiled in; it is trusted like the templates.
fn render(markdown: &str, dir: &str) -> String {
    let parser = Parser::new_ext(markdown, Options::ENABLE_TABLES).map(|event| match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = rewrite(&dest_url, dir).map_or(dest_url, CowStr::from);
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        other => other,
    });
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, parser);
    out
}

async fn index(ctx: PageCtx) -> Response {
    let body = html! {
        article.course { (PreEscaped(render(INDEX, ""))) }
    };
    page(&ctx, StatusCode::OK, title_of(INDEX), body)
}

async fn lesson_page(mut ctx: PageCtx, Path((lang, slug)): Path<(String, String)>) -> Response {
    let lang_of_path = match lang.as_str() {
        "en" => Lang::En,
        "zh-TW" => Lang::ZhTw,
        _ => return super::not_found_page(&ctx),
    };
    let slug = slug.strip_suffix(".md").unwrap_or(&slug);
    let Some(lesson) = LESSONS.iter().find(|l| l.slug == slug) else {
        return super::not_found_page(&ctx);
    };
    // The language switch (`?lang=`) leads to the lesson's twin.
    if ctx.chosen && ctx.lang != lang_of_path {
        return Redirect::to(&lesson.href(ctx.lang)).into_response();
    }
    ctx.lang = lang_of_path;
    let text = lesson.text(lang_of_path);
    let body = html! {
        article.course { (PreEscaped(render(text, lang_of_path.tag()))) }
    };
    page(&ctx, StatusCode::OK, lesson.title(lang_of_path), body)
}

async fn file(ctx: PageCtx, Path(name): Path<String>) -> Response {
    let Some((_, text)) = FILES.iter().find(|(n, _)| *n == name) else {
        return super::not_found_page(&ctx);
    };
    let kind = if name.ends_with(".csv") {
        "text/csv; charset=utf-8"
    } else if name.ends_with(".toml") {
        "application/toml; charset=utf-8"
    } else {
        "application/x-ndjson; charset=utf-8"
    };
    let mut res = (*text).into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_between_course_files_become_page_addresses() {
        assert_eq!(
            rewrite("02-searching-the-tariff.md", "en").as_deref(),
            Some("/course/en/02-searching-the-tariff")
        );
        assert_eq!(
            rewrite("../zh-TW/01-hs-classification.md#goals", "en").as_deref(),
            Some("/course/zh-TW/01-hs-classification#goals")
        );
        assert_eq!(
            rewrite("../files/parcels.csv", "zh-TW").as_deref(),
            Some("/course/files/parcels.csv")
        );
        assert_eq!(
            rewrite("en/04-data-sets.md", "").as_deref(),
            Some("/course/en/04-data-sets")
        );
        assert_eq!(rewrite("../README.md", "en").as_deref(), Some("/course"));
        assert_eq!(rewrite("https://www.wcoomd.org/", "en"), None);
        assert_eq!(rewrite("../../../README.md", "en"), None);
    }

    #[test]
    fn every_lesson_has_a_title_in_both_languages() {
        for l in LESSONS {
            for lang in [Lang::En, Lang::ZhTw] {
                assert!(!l.title(lang).is_empty(), "{} {lang:?}", l.slug);
            }
        }
        let html = render("See [lesson 2](02-searching-the-tariff.md).", "en");
        assert!(html.contains(r#"href="/course/en/02-searching-the-tariff""#));
    }
}

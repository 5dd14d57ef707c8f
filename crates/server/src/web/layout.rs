//! The page shell, the language switch and the request context every page needs.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};

use super::i18n::{Lang, Messages};

/// Language and address of the page being rendered.
pub struct PageCtx {
    pub lang: Lang,
    /// Set when `?lang=` chose the language, so the choice is remembered in a cookie.
    pub chosen: bool,
    pub uri: Uri,
    /// A private (officers' and analysts') instance: its pages link the internal ones.
    pub private: bool,
}

impl PageCtx {
    pub fn t(&self) -> &'static Messages {
        self.lang.t()
    }

    /// This page's address in another language.
    pub fn switch_to(&self, lang: Lang) -> String {
        let mut pairs: Vec<String> = self
            .uri
            .query()
            .unwrap_or("")
            .split('&')
            .filter(|kv| !kv.is_empty() && !kv.starts_with("lang="))
            .map(str::to_string)
            .collect();
        pairs.push(format!("lang={}", lang.tag()));
        format!("{}?{}", self.uri.path(), pairs.join("&"))
    }
}

fn query_param(uri: &Uri, name: &str) -> Option<String> {
    uri.query()?.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == name).then(|| v.to_string())
    })
}

impl<S: Send + Sync> FromRequestParts<S> for PageCtx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<PageCtx, Self::Rejection> {
        let asked = query_param(&parts.uri, "lang");
        let lang = Lang::negotiate(asked.as_deref(), &parts.headers);
        Ok(PageCtx {
            lang,
            chosen: asked.as_deref().and_then(Lang::parse).is_some(),
            uri: parts.uri.clone(),
            private: parts
                .extensions
                .get::<settings::Profile>()
                .is_some_and(|p| p.mounts_internal_routes()),
        })
    }
}

/// A full HTML page with the given status.
pub fn page(ctx: &PageCtx, status: StatusCode, title: &str, body: Markup) -> Response {
    let t = ctx.t();
    let markup = html! {
        (DOCTYPE)
        html lang=(ctx.lang.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – " (t.site_name) }
                link rel="stylesheet" href="/assets/style.css";
            }
            body {
                a.skip href="#content" { (t.skip_to_content) }
                header.site {
                    div.wrap {
                        a.brand href="/" { (t.site_name) }
                        a.nav href="/classify" { (t.classify_nav) }
                        a.nav href="/guide" { (t.guide_nav) }
                        a.nav href="/tariff" { (t.tariff_nav) }
                        a.nav href="/duty" { (t.duty_nav) }
                        @if ctx.private { a.nav href="/datasets" { (t.datasets_nav) } }
                        nav.lang aria-label=(t.language) {
                            @for (lang, label) in [(Lang::En, "English"), (Lang::ZhTw, "繁體中文")] {
                                @if lang == ctx.lang {
                                    span aria-current="true" lang=(lang.tag()) { (label) }
                                } @else {
                                    a href=(ctx.switch_to(lang)) lang=(lang.tag()) hreflang=(lang.tag()) { (label) }
                                }
                            }
                        }
                    }
                }
                main #content .wrap tabindex="-1" { (body) }
                footer.site { div.wrap { p { (t.footer) } } }
            }
        }
    };
    let mut res = (status, markup).into_response();
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(ctx.lang.tag()),
    );
    if ctx.chosen {
        let cookie = format!(
            "lang={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly",
            ctx.lang.tag()
        );
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            headers.insert(header::SET_COOKIE, v);
        }
    }
    res
}

/// The search form, pre-filled with the last query.
pub fn search_form(ctx: &PageCtx, q: &str) -> Markup {
    let t = ctx.t();
    html! {
        form.search role="search" action="/search" method="get" {
            label for="q" { (t.search_label) }
            p.hint id="q-hint" { (t.search_hint) }
            div.row {
                input #q type="search" name="q" value=(q) aria-describedby="q-hint" maxlength="512" autocomplete="off";
                button type="submit" { (t.search_button) }
            }
        }
    }
}

//! Signing in and out from the pages: the sign-in form returns to where the visitor was
//! going (same-site paths only) and sets the session cookie.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::caller::{Caller, client_address};
use super::i18n::{Lang, session};
use super::pages::{plain_ctx, problem_box};
use super::{accounts_api, platform};
use crate::AppState;
use crate::web::layout::{PageCtx, page};

/// Only same-site paths, so the sign-in form cannot send anyone elsewhere.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/applications".into(),
    }
}

#[derive(Deserialize)]
pub(crate) struct NextQuery {
    next: Option<String>,
}

fn login_form(lang: Lang, next: &str, error: Option<&str>) -> Markup {
    let t = session::t(lang);
    html! {
        h1 { (t.title) }
        (problem_box(error))
        form.stack method="post" action="/login" {
            input type="hidden" name="next" value=(next);
            label for="email" { (t.email) }
            input #email type="email" name="email" autocomplete="username" required;
            label for="password" { (t.password) }
            input #password type="password" name="password" autocomplete="current-password" required;
            button type="submit" { (t.submit) }
        }
    }
}

pub(crate) async fn login_page(ctx: PageCtx, Query(q): Query<NextQuery>) -> Response {
    let next = safe_next(q.next.as_deref());
    let t = session::t(ctx.lang);
    page(
        &ctx,
        StatusCode::OK,
        t.title,
        login_form(ctx.lang, &next, None),
    )
}

#[derive(Deserialize)]
pub(crate) struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

pub(crate) async fn login_submit(
    State(state): State<AppState>,
    ctx: PageCtx,
    request: axum::extract::Request,
) -> Response {
    let address = client_address(request.extensions());
    let t = session::t(ctx.lang);
    use axum::extract::FromRequest;
    let Ok(Form(form)) = Form::<LoginForm>::from_request(request, &state).await else {
        return page(
            &ctx,
            StatusCode::BAD_REQUEST,
            t.title,
            login_form(ctx.lang, "/applications", Some(t.fill_in)),
        );
    };
    let next = safe_next(form.next.as_deref());
    match accounts_api::sign_in(&state, &address, &form.email, &form.password).await {
        Ok((token, _, _)) => {
            let mut res = Redirect::to(&next).into_response();
            let ttl = platform(&state).settings.session_ttl;
            res.headers_mut().insert(
                header::SET_COOKIE,
                accounts_api::session_cookie(&token, ttl),
            );
            res
        }
        Err(accounts_api::SignInError::Throttled(wait)) => page(
            &ctx,
            StatusCode::TOO_MANY_REQUESTS,
            t.title,
            login_form(ctx.lang, &next, Some(&(t.throttled)(wait))),
        ),
        Err(accounts_api::SignInError::Problem(p)) => {
            let status = StatusCode::from_u16(p.status).unwrap_or(StatusCode::UNAUTHORIZED);
            // The one refusal people meet daily is worded here; others keep the API's words.
            let message = if status == StatusCode::UNAUTHORIZED {
                t.wrong
            } else {
                &p.detail
            };
            page(
                &ctx,
                status,
                t.title,
                login_form(ctx.lang, &next, Some(message)),
            )
        }
    }
}

pub(crate) async fn logout(State(state): State<AppState>, caller: Caller) -> Response {
    if let Some(token) = caller.session
        && let Ok(mut tx) = platform(&state).store.write().await
        && tx.delete_session(&auth::digest(&token)).await.is_ok()
    {
        let _ = tx.commit().await;
    }
    let mut res = Redirect::to("/login").into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        accounts_api::session_cookie("", std::time::Duration::ZERO),
    );
    res
}

/// A form whose CSRF token is missing or wrong: a tab left open across a new sign-in, or a
/// form posted from another site. Nothing was changed; the reader reloads and sends again.
pub(crate) fn stale_form(uri: &Uri, headers: &HeaderMap) -> Response {
    let ctx = plain_ctx(uri, headers);
    let t = session::t(ctx.lang);
    page(
        &ctx,
        StatusCode::FORBIDDEN,
        t.stale_form_title,
        html! {
            h1 { (t.stale_form_title) }
            p { (t.stale_form) }
        },
    )
}

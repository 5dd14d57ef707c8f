//! Public AEO verification page: anyone checks a certificate number and sees its status,
//! and the programme's mutual-recognition partners.

use aeo::PublicStatus;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;
use serde::Deserialize;

use super::i18n::aeo as words;
use crate::web::layout::{PageCtx, page};
use crate::{AppState, Problem};

#[derive(Deserialize)]
pub(crate) struct VerifyQuery {
    number: Option<String>,
}

pub(crate) async fn verify_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<VerifyQuery>,
) -> Result<Response, Problem> {
    let t = words::t(ctx.lang);
    let asked = q.number.as_deref().map(str::trim).filter(|n| !n.is_empty());
    let mut status = StatusCode::OK;
    let result = match asked {
        None => None,
        Some(n) => match aeo::CertificateNumber::parse(n) {
            Err(e) => {
                status = StatusCode::UNPROCESSABLE_ENTITY;
                Some(Err((t.not_a_number)(n, &(t.number_error)(&e))))
            }
            Ok(number) => Some(Ok(super::aeo_public::lookup(&state, &number).await?)),
        },
    };
    Ok(page(
        &ctx,
        status,
        t.verify_title,
        html! {
            h1 { (t.verify_title) }
            form.search method="get" action="/aeo/verify" {
                label for="number" { (t.certificate_number) }
                div.row {
                    input #number type="text" name="number" value=(asked.unwrap_or("")) placeholder="TWAEOF0000017" maxlength="20";
                    button type="submit" { (t.verify) }
                }
            }
            @match &result {
                Some(Err(message)) => { div.alert role="alert" { (message) } }
                Some(Ok(v)) => {
                    div.verdict role="status" {
                        p { strong { (v.number) } ": " span class=(format!("badge {}", badge_class(v.status))) { ((t.public_status)(v.status)) } }
                        @if let Some(h) = &v.holder { p { (t.holder) (h) } }
                        @if let (PublicStatus::Valid, Some(u)) = (v.status, &v.valid_until) { p { ((t.valid_until)(u)) } }
                    }
                }
                None => {}
            }
            h2 { (t.partners) }
            table.cases {
                thead { tr { th { (t.partner) } th { (t.programme) } th { (t.signed) } } }
                tbody { @for p in aeo::partners() { tr { td { (p.name) } td { (p.programme) } td { (p.signed) } } } }
            }
        },
    ))
}

/// The status's API name doubles as its CSS class.
fn badge_class(status: PublicStatus) -> String {
    serde_json::to_value(status)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

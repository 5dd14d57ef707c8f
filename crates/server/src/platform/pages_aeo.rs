//! Public AEO verification page: anyone checks a certificate number and sees its status,
//! and the programme's mutual-recognition partners.

use aeo::PublicStatus;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;
use serde::Deserialize;

use super::platform;
use crate::web::layout::{PageCtx, page};
use crate::{AppState, Problem};

#[derive(Deserialize)]
pub(crate) struct VerifyQuery {
    number: Option<String>,
}

fn status_text(status: PublicStatus) -> &'static str {
    match status {
        PublicStatus::Valid => "Valid",
        PublicStatus::Expired => "Expired",
        PublicStatus::Suspended => "Suspended",
        PublicStatus::Revoked => "Revoked",
        PublicStatus::Unknown => "Unknown: no certificate has this number",
    }
}

pub(crate) async fn verify_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<VerifyQuery>,
) -> Result<Response, Problem> {
    let asked = q.number.as_deref().map(str::trim).filter(|n| !n.is_empty());
    let mut status = StatusCode::OK;
    let result = match asked {
        None => None,
        Some(n) => match aeo::CertificateNumber::parse(n) {
            Err(e) => {
                status = StatusCode::UNPROCESSABLE_ENTITY;
                Some(Err(format!("{n} is not a certificate number: {e}.")))
            }
            Ok(number) => {
                let store = &platform(&state).store;
                let record = store.aeo_by_certificate(number.as_str()).await?;
                let holder = match &record {
                    Some(r) if r.publish_consent => {
                        store.company(&r.company_id).await?.map(|c| c.name)
                    }
                    _ => None,
                };
                let public = record
                    .as_ref()
                    .map_or(PublicStatus::Unknown, super::aeo_public::public_status_of);
                Some(Ok((
                    number,
                    public,
                    holder,
                    record.and_then(|r| r.expires_on),
                )))
            }
        },
    };
    Ok(page(
        &ctx,
        status,
        "Verify an AEO certificate",
        html! {
            h1 { "Verify an AEO certificate" }
            form.search method="get" action="/aeo/verify" {
                label for="number" { "Certificate number" }
                div.row {
                    input #number type="text" name="number" value=(asked.unwrap_or("")) placeholder="TWAEOF0000017" maxlength="20";
                    button type="submit" { "Verify" }
                }
            }
            @match &result {
                Some(Err(message)) => { div.alert role="alert" { (message) } }
                Some(Ok((number, public, holder, until))) => {
                    div.verdict role="status" {
                        p { strong { (number.as_str()) } ": " span class=(format!("badge {}", serde_json_name(*public))) { (status_text(*public)) } }
                        @if let Some(h) = holder { p { "Holder: " (h) } }
                        @if let (PublicStatus::Valid, Some(u)) = (public, until) { p { "Valid until " (u) } }
                    }
                }
                None => {}
            }
            h2 { "Mutual recognition partners" }
            table.cases {
                thead { tr { th { "Partner" } th { "Programme" } th { "Signed" } } }
                tbody { @for p in aeo::partners() { tr { td { (p.name) } td { (p.programme) } td { (p.signed) } } } }
            }
        },
    ))
}

fn serde_json_name(status: PublicStatus) -> &'static str {
    match status {
        PublicStatus::Valid => "valid",
        PublicStatus::Expired => "expired",
        PublicStatus::Suspended => "suspended",
        PublicStatus::Revoked => "revoked",
        PublicStatus::Unknown => "unknown",
    }
}

//! Evidence for the AEO self-assessment: an operator uploads documents first, then cites
//! their ids in its answers; officers download what a case cites.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use store::attachments::NewAttachment;

use super::attachments_api::{checked_file, download_response};
use super::errors::forbidden;
use super::i18n::Lang;
use super::i18n::aeo_problems::AeoSaid;
use super::{Caller, platform};
use crate::problem::{FieldProblem, Say};
use crate::{AppState, Problem};

/// Evidence belongs to the company that uploaded it until a case cites it.
pub(crate) const OWNER_KIND: &str = "aeo-evidence";

#[derive(Deserialize)]
pub(crate) struct EvidenceQuery {
    filename: String,
}

pub(crate) async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<EvidenceQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Problem> {
    let company = caller
        .actor
        .company()
        .ok_or_else(|| forbidden("This account belongs to no company."))?
        .to_string();
    let (media_type, filename) = checked_file(&headers, &q.filename, &body)?;
    let attachment =
        store_evidence(&state, &caller, &company, &filename, &media_type, &body).await?;
    Ok((StatusCode::CREATED, Json(attachment)).into_response())
}

/// Stores a checked document as the company's evidence (always confidential).
pub(crate) async fn store_evidence(
    state: &AppState,
    caller: &Caller,
    company: &str,
    filename: &str,
    media_type: &str,
    content: &[u8],
) -> Result<store::attachments::Attachment, Problem> {
    let mut tx = platform(state).store.write().await?;
    let attachment = tx
        .add_attachment(
            &caller.audit_name(),
            NewAttachment {
                owner_kind: OWNER_KIND,
                owner_id: company,
                filename,
                media_type,
                content,
                confidential: true,
            },
        )
        .await?;
    tx.commit().await?;
    Ok(attachment)
}

/// Every cited id must be one of the company's own uploads.
pub(crate) async fn check_cited(
    state: &AppState,
    company: &str,
    responses: &std::collections::BTreeMap<String, aeo::Response>,
) -> Result<Vec<FieldProblem>, Problem> {
    let store = &platform(state).store;
    let mut problems = Vec::new();
    for (id, response) in responses {
        for cited in &response.evidence {
            let ours = store
                .attachment(cited)
                .await?
                .is_some_and(|a| a.owner_kind == OWNER_KIND && a.owner_id == company);
            if !ours {
                let said = AeoSaid::NotYourEvidence(cited.clone());
                problems.push(
                    FieldProblem::new(format!("responses.{id}"), said.say(Lang::En)).saying(said),
                );
            }
        }
    }
    Ok(problems)
}

pub(crate) async fn download(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, attachment)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let record = super::aeo_api::load(&state, &caller, &id).await?;
    let cited = record.responses.contains(&format!("\"{attachment}\""));
    let (meta, bytes) = platform(&state)
        .store
        .attachment_content(&attachment)
        .await?;
    if !cited || meta.owner_kind != OWNER_KIND || meta.owner_id != record.company_id {
        return Err(Problem::not_found("This case cites no such evidence."));
    }
    Ok(download_response(&meta, bytes))
}

//! The public side of AEO: the questionnaire, certificate verification by number (status
//! only, and the holder's name only with consent), the register and the MRA partners.

use aeo::{OperatorRole, PublicStatus, Status};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use store::aeo::AeoRecord;

use super::casework::{parse_date, today};
use super::platform;
use crate::{AppState, Problem};

/// The company profile an application must give.
pub(crate) const PROFILE_FIELDS: &[(&str, &str)] = &[
    ("legal_name", "registered name of the company"),
    ("address", "registered address"),
    ("contact_email", "e-mail of the AEO contact person"),
    ("employees", "number of employees"),
    (
        "customs_declarations_last_year",
        "declarations filed in the last year",
    ),
];

#[derive(Serialize)]
pub(crate) struct QuestionnaireView {
    areas: Vec<AreaView>,
    operator_roles: Vec<&'static str>,
    profile_fields: Vec<FieldView>,
    questions: &'static [aeo::Question],
}

#[derive(Serialize)]
pub(crate) struct AreaView {
    id: aeo::Area,
    title: &'static str,
    for_security: bool,
}

#[derive(Serialize)]
pub(crate) struct FieldView {
    name: &'static str,
    label: &'static str,
}

pub(crate) async fn questionnaire() -> Json<QuestionnaireView> {
    Json(QuestionnaireView {
        areas: aeo::Area::ALL
            .iter()
            .map(|a| AreaView {
                id: *a,
                title: a.title(),
                for_security: a.for_security(),
            })
            .collect(),
        operator_roles: OperatorRole::ALL.iter().map(|r| r.as_str()).collect(),
        profile_fields: PROFILE_FIELDS
            .iter()
            .map(|(name, label)| FieldView { name, label })
            .collect(),
        questions: aeo::questions(),
    })
}

pub(crate) async fn partners() -> Json<&'static [aeo::Partner]> {
    Json(aeo::partners())
}

pub(crate) fn public_status_of(record: &AeoRecord) -> PublicStatus {
    let status = Status::parse(&record.status).unwrap_or(Status::Submitted);
    let issued = record.issued_on.as_deref().and_then(parse_date);
    let expires = record.expires_on.as_deref().and_then(parse_date);
    aeo::public_status(status, issued, expires, today())
}

#[derive(Serialize)]
pub(crate) struct Verification {
    pub number: String,
    pub status: PublicStatus,
    pub grant: Option<String>,
    /// Only when the holder consented to publication.
    pub holder: Option<String>,
    pub valid_until: Option<String>,
}

/// Anyone may check a certificate; nothing private comes back, and a holder's name only
/// with its consent.
pub(crate) async fn verify(
    State(state): State<AppState>,
    Path(number): Path<String>,
) -> Result<Json<Verification>, Problem> {
    let number = aeo::CertificateNumber::parse(&number).map_err(|e| {
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("{number:?} is not a certificate number ({e}); they look like TWAEOC0000017."),
        )
    })?;
    Ok(Json(lookup(&state, &number).await?))
}

/// What the public may learn of a certificate: its status derived from the register and
/// dates, and the holder's name only with consent.
pub(crate) async fn lookup(
    state: &AppState,
    number: &aeo::CertificateNumber,
) -> Result<Verification, Problem> {
    let store = &platform(state).store;
    let Some(record) = store.aeo_by_certificate(number.as_str()).await? else {
        return Ok(Verification {
            number: number.as_str().into(),
            status: PublicStatus::Unknown,
            grant: None,
            holder: None,
            valid_until: None,
        });
    };
    let holder = if record.publish_consent {
        store.company(&record.company_id).await?.map(|c| c.name)
    } else {
        None
    };
    Ok(Verification {
        number: number.as_str().into(),
        status: public_status_of(&record),
        grant: record.grant_kind.clone(),
        holder,
        valid_until: record.expires_on.clone(),
    })
}

#[derive(Serialize)]
pub(crate) struct RegisterEntry {
    number: String,
    holder: String,
    business_id: String,
    grant: Option<String>,
    valid_until: Option<String>,
}

pub(crate) async fn register(
    State(state): State<AppState>,
) -> Result<Json<Vec<RegisterEntry>>, Problem> {
    let store = &platform(&state).store;
    let mut entries = Vec::new();
    for record in store.public_aeo_register().await? {
        if public_status_of(&record) != PublicStatus::Valid {
            continue;
        }
        let holder = store
            .company(&record.company_id)
            .await?
            .map(|c| c.name)
            .unwrap_or_default();
        entries.push(RegisterEntry {
            number: record.certificate_number.clone().unwrap_or_default(),
            holder,
            business_id: record.company_id,
            grant: record.grant_kind,
            valid_until: record.expires_on,
        });
    }
    Ok(Json(entries))
}

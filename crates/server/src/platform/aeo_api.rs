//! AEO certification over JSON: the questionnaire, applications and their workflow, and the
//! public side — certificate verification by number, the register of consenting holders,
//! and the mutual-recognition partners.

use std::collections::BTreeMap;

use aeo::{Action, AnswerKind, Grant, OperatorRole, Party, PublicStatus, Status};
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use serde::{Deserialize, Serialize};
use store::aeo::{AeoChange, AeoRecord, CertificateGrant, NewAeoApplication};

use super::accounts_api::json_body;
use super::aeo_public::{PROFILE_FIELDS, public_status_of};
use super::applications_api::expected_version;
use super::casework::{iso, parse_date, today};
use super::errors::{conflict, forbidden};
use super::i18n::Lang;
use super::i18n::aeo_problems::AeoSaid;
use super::i18n::problems::Sentence;
use super::{Caller, aeo_evidence, aeo_public, platform};
use crate::problem::{FieldProblem, Say};
use crate::{AppState, Problem};

pub fn handler(method: &str, path: &str) -> Option<MethodRouter<AppState>> {
    Some(match (method, path) {
        ("GET", "/api/v1/aeo/questionnaire") => get(aeo_public::questionnaire),
        ("GET", "/api/v1/aeo/partners") => get(aeo_public::partners),
        ("GET", "/api/v1/aeo/register") => get(aeo_public::register),
        ("GET", "/api/v1/aeo/certificates/{number}") => get(aeo_public::verify),
        ("GET", "/api/v1/aeo/applications") => get(list),
        ("POST", "/api/v1/aeo/applications") => post(apply),
        ("GET", "/api/v1/aeo/applications/{id}") => get(show),
        ("POST", "/api/v1/aeo/applications/{id}/actions") => post(act),
        ("POST", "/api/v1/aeo/evidence") => post(aeo_evidence::upload).layer(
            axum::extract::DefaultBodyLimit::max(crate::limits::MAX_UPLOAD_BYTES),
        ),
        ("GET", "/api/v1/aeo/applications/{id}/evidence/{attachment}") => {
            get(aeo_evidence::download)
        }
        _ => return None,
    })
}

#[derive(Deserialize)]
pub(crate) struct ApplyRequest {
    pub operator_roles: Vec<String>,
    pub profile: BTreeMap<String, String>,
    pub responses: BTreeMap<String, ResponseInput>,
    #[serde(default)]
    pub publish_consent: bool,
}

#[derive(Deserialize)]
pub(crate) struct ResponseInput {
    pub answer: serde_json::Value,
    #[serde(default)]
    pub evidence: Vec<String>,
}

fn field_problem(field: impl Into<String>, said: AeoSaid) -> FieldProblem {
    FieldProblem::new(field, said.say(Lang::En)).saying(said)
}

/// Reads answers by each question's kind: yes/no as `"yes"`, `"no"` or a boolean.
fn responses(
    input: BTreeMap<String, ResponseInput>,
) -> Result<BTreeMap<String, aeo::Response>, Vec<FieldProblem>> {
    let mut out = BTreeMap::new();
    let mut errors = Vec::new();
    for (id, r) in input {
        let kind = aeo::question(&id).map(|q| q.kind);
        let answer = match (kind, &r.answer) {
            (Some(AnswerKind::YesNo), serde_json::Value::Bool(true)) => Some(aeo::Answer::Yes),
            (Some(AnswerKind::YesNo), serde_json::Value::Bool(false)) => Some(aeo::Answer::No),
            (Some(AnswerKind::YesNo), serde_json::Value::String(s)) => {
                match s.trim().to_lowercase().as_str() {
                    "yes" => Some(aeo::Answer::Yes),
                    "no" => Some(aeo::Answer::No),
                    _ => None,
                }
            }
            (Some(AnswerKind::Number), serde_json::Value::Number(n)) => {
                n.as_f64().map(aeo::Answer::Number)
            }
            (Some(AnswerKind::Text) | None, serde_json::Value::String(s)) => {
                Some(aeo::Answer::Text(s.clone()))
            }
            _ => None,
        };
        match (kind, answer) {
            (None, _) => errors.push(field_problem(
                format!("responses.{id}"),
                AeoSaid::NoSuchQuestion,
            )),
            (Some(k), None) => errors.push(field_problem(
                format!("responses.{id}"),
                match k {
                    AnswerKind::YesNo => AeoSaid::AnswerYesNo,
                    AnswerKind::Number => AeoSaid::AnswerNumber,
                    AnswerKind::Text => AeoSaid::AnswerText,
                },
            )),
            (Some(_), Some(answer)) => {
                out.insert(
                    id,
                    aeo::Response {
                        answer,
                        evidence: r.evidence,
                    },
                );
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn unprocessable(detail: AeoSaid, errors: Vec<FieldProblem>) -> Problem {
    Problem::new(StatusCode::UNPROCESSABLE_ENTITY, detail.say(Lang::En))
        .saying(detail)
        .with_errors(errors)
}

fn roles(input: &[String]) -> Result<Vec<OperatorRole>, Problem> {
    let parsed: Option<Vec<OperatorRole>> = input.iter().map(|r| OperatorRole::parse(r)).collect();
    match parsed {
        Some(roles) if !roles.is_empty() => Ok(roles),
        _ => {
            let known = OperatorRole::ALL.iter().map(|r| r.as_str()).collect();
            Err(unprocessable(
                AeoSaid::RolesNeeded,
                vec![field_problem(
                    "operator_roles",
                    AeoSaid::OneOrMoreRoles(known),
                )],
            ))
        }
    }
}

async fn apply(
    State(state): State<AppState>,
    caller: Caller,
    body: Result<Json<ApplyRequest>, JsonRejection>,
) -> Result<Response, Problem> {
    let req = json_body(body)?;
    let record = apply_case(&state, &caller, req).await?;
    let mut res = view(&state, &caller, record).await?;
    *res.status_mut() = StatusCode::CREATED;
    Ok(res)
}

/// Checks an application (profile, answers, cited evidence, completeness, the waiting
/// period after a refusal) and opens the case.
pub(crate) async fn apply_case(
    state: &AppState,
    caller: &Caller,
    req: ApplyRequest,
) -> Result<AeoRecord, Problem> {
    let company = caller
        .actor
        .company()
        .ok_or_else(|| forbidden("This account belongs to no company."))?
        .to_string();
    let roles = roles(&req.operator_roles)?;
    let mut problems: Vec<FieldProblem> = PROFILE_FIELDS
        .iter()
        .filter(|(name, _)| req.profile.get(*name).is_none_or(|v| v.trim().is_empty()))
        .map(|(name, label)| field_problem(format!("profile.{name}"), AeoSaid::GiveProfile(label)))
        .collect();
    problems.extend(
        req.profile
            .keys()
            .filter(|k| !PROFILE_FIELDS.iter().any(|(n, _)| n == k))
            .map(|k| field_problem(format!("profile.{k}"), AeoSaid::UnknownProfileField)),
    );
    let responses = match responses(req.responses) {
        Ok(r) => r,
        Err(errors) => {
            problems.extend(errors);
            BTreeMap::new()
        }
    };
    problems.extend(aeo_evidence::check_cited(state, &company, &responses).await?);
    if !problems.is_empty() {
        return Err(unprocessable(AeoSaid::ApplicationHasErrors, problems));
    }
    let assessment = aeo::assess(&roles, &responses);
    if !assessment.complete {
        let mut errors: Vec<FieldProblem> = assessment
            .missing
            .iter()
            .map(|id| field_problem(format!("responses.{id}"), AeoSaid::Unanswered))
            .collect();
        errors.extend(
            assessment
                .missing_evidence
                .iter()
                .map(|id| field_problem(format!("responses.{id}"), AeoSaid::EvidenceNeeded)),
        );
        return Err(unprocessable(AeoSaid::AnswerEveryQuestion, errors));
    }
    let store = &platform(state).store;
    let (previous, _) = store
        .list_aeo(Some(std::slice::from_ref(&company)), None, 500, 0)
        .await?;
    for p in &previous {
        let status = Status::parse(&p.status);
        if matches!(status, Some(s) if !s.is_terminal()) {
            let said = AeoSaid::CaseOpen(p.reference.clone(), p.status.clone());
            return Err(conflict(said.say(Lang::En)).saying(said));
        }
        let ended = p.updated_at.get(..10).and_then(parse_date);
        if matches!(status, Some(Status::Refused | Status::Revoked))
            && ended.is_some_and(|d| !aeo::may_reapply(d, today()))
        {
            let said = AeoSaid::MustWait(p.reference.clone(), aeo::REAPPLY_WAIT_YEARS);
            return Err(conflict(said.say(Lang::En)).saying(said));
        }
    }
    let role_names: Vec<String> = roles.iter().map(|r| r.as_str().to_string()).collect();
    let responses_json = serde_json::to_string(&responses).expect("responses serialise");
    let user = match &caller.actor {
        auth::Actor::User { id, .. } | auth::Actor::ApiKey { id, .. } => id.clone(),
        auth::Actor::Anonymous => unreachable!("the guard admits no anonymous applicant"),
    };
    let mut tx = store.write().await?;
    let record = tx
        .create_aeo_application(
            &caller.audit_name(),
            NewAeoApplication {
                company_id: &company,
                created_by: &user,
                operator_roles: &role_names,
                profile: &req.profile,
                responses_json: &responses_json,
                publish_consent: req.publish_consent,
                status: Status::Submitted.as_str(),
                on_date: &iso(today()),
            },
        )
        .await?;
    tx.notify_company(
        &company,
        &record.reference,
        "Your AEO application was received.",
    )
    .await?;
    tx.commit().await?;
    Ok(record)
}

pub(crate) fn party(caller: &Caller) -> Option<Party> {
    match caller.actor.role()? {
        auth::Role::Trader => Some(Party::Applicant),
        auth::Role::Officer => Some(Party::Officer),
        _ => None,
    }
}

pub(crate) async fn load(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<AeoRecord, Problem> {
    let record = platform(state).store.aeo_application(id).await?;
    let visible = |r: &AeoRecord| {
        caller.actor.role().is_some_and(|role| role.is_staff())
            || caller.actor.company() == Some(r.company_id.as_str())
    };
    match record {
        Some(r) if visible(&r) => Ok(r),
        _ => Err(Problem::not_found(format!(
            "No AEO application {id} that you may see."
        ))),
    }
}

pub(crate) fn stored_responses(json: &str) -> BTreeMap<String, aeo::Response> {
    serde_json::from_str(json).unwrap_or_default()
}

#[derive(Serialize)]
struct AeoView {
    #[serde(flatten)]
    record: AeoRecord,
    status_label: &'static str,
    public_status: PublicStatus,
    assessment: aeo::Assessment,
    /// What the assessment supports: the most an officer may grant.
    grantable: Option<Grant>,
    /// Answers changed since the last certification (for reassessment).
    changes_since_certification: Vec<aeo::Change>,
    allowed_actions: Vec<Action>,
    events: Vec<store::applications::EventRecord>,
}

async fn view(state: &AppState, caller: &Caller, record: AeoRecord) -> Result<Response, Problem> {
    let status = Status::parse(&record.status).ok_or_else(|| {
        Problem::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "a stored AEO case has an unknown status",
        )
    })?;
    let roles: Vec<OperatorRole> = record
        .operator_roles
        .iter()
        .filter_map(|r| OperatorRole::parse(r))
        .collect();
    let current = stored_responses(&record.responses);
    let assessment = aeo::assess(&roles, &current);
    let changes = record
        .approved_responses
        .as_deref()
        .map(|approved| aeo::diff(&stored_responses(approved), &current))
        .unwrap_or_default();
    let events = platform(state).store.aeo_events(&record.id).await?;
    let etag = format!("\"{}\"", record.version);
    let body = AeoView {
        status_label: status.label(),
        public_status: public_status_of(&record),
        grantable: aeo::grantable(&assessment),
        assessment,
        changes_since_certification: changes,
        allowed_actions: party(caller)
            .map(|p| aeo::allowed_actions(status, p))
            .unwrap_or_default(),
        events,
        record,
    };
    let mut res = Json(body).into_response();
    res.headers_mut()
        .insert(header::ETAG, HeaderValue::from_str(&etag).expect("digits"));
    Ok(res)
}

#[derive(Serialize)]
struct AeoList {
    total: i64,
    items: Vec<AeoRecord>,
}

async fn list(State(state): State<AppState>, caller: Caller) -> Result<Json<AeoList>, Problem> {
    let companies = (!caller.actor.role().is_some_and(|r| r.is_staff())).then(|| {
        caller
            .actor
            .company()
            .map(|c| vec![c.to_string()])
            .unwrap_or_default()
    });
    let (items, total) = platform(&state)
        .store
        .list_aeo(companies.as_deref(), None, 200, 0)
        .await?;
    Ok(Json(AeoList { total, items }))
}

async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let record = load(&state, &caller, &id).await?;
    view(&state, &caller, record).await
}

#[derive(Deserialize, Default)]
pub(crate) struct ActionRequest {
    pub action: String,
    pub version: Option<i64>,
    pub grant: Option<String>,
    pub reasons: Option<String>,
    pub visit_date: Option<String>,
    pub findings: Option<String>,
}

async fn act(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Json<ActionRequest>, JsonRejection>,
) -> Result<Response, Problem> {
    let req = json_body(body)?;
    let version = expected_version(req.version, &headers)?;
    let updated = act_on_aeo(&state, &caller, &id, version, req).await?;
    view(&state, &caller, updated).await
}

/// Moves an AEO case by one action: the decision checked against the rules and the
/// self-assessment, a certificate issued on certification, the company notified.
pub(crate) async fn act_on_aeo(
    state: &AppState,
    caller: &Caller,
    id: &str,
    version: i64,
    req: ActionRequest,
) -> Result<AeoRecord, Problem> {
    let action = Action::parse(&req.action).ok_or_else(|| {
        let known: Vec<_> = Action::ALL.iter().map(|a| a.as_str()).collect();
        Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("action: must be one of {}.", known.join(", ")),
        )
    })?;
    let party = party(caller).ok_or_else(|| forbidden("Your role takes no part in AEO cases."))?;
    let record = load(state, caller, id).await?;
    let from = Status::parse(&record.status)
        .ok_or_else(|| Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "unknown stored status"))?;
    let to = aeo::transition(from, action, party)
        .map_err(|e| conflict(e.to_string()).saying(Sentence(e)))?;
    if record.version != version {
        return Err(store::StoreError::Stale {
            current: record.version,
        }
        .into());
    }
    let grant = match req.grant.as_deref() {
        None => None,
        Some(g) => Some(Grant::parse(g).ok_or_else(|| {
            unprocessable(
                AeoSaid::UnknownGrant,
                vec![field_problem("grant", AeoSaid::GrantChoices)],
            )
        })?),
    };
    let decision = aeo::Decision {
        grant,
        reasons: req.reasons.clone().unwrap_or_default(),
    };
    aeo::check_decision(action, &decision).map_err(|e| {
        unprocessable(
            AeoSaid::DecisionSentence(e.clone()),
            vec![field_problem(
                if grant.is_none() && action == Action::Certify {
                    "grant"
                } else {
                    "reasons"
                },
                AeoSaid::Decision(e),
            )],
        )
    })?;
    let on_date = iso(today());
    let mut change = AeoChange::new(&record.id, version, action.as_str(), to.as_str(), &on_date);
    change.message = req.reasons.as_deref().or(req.findings.as_deref());
    match action {
        Action::ScheduleVisit => {
            let date = req
                .visit_date
                .as_deref()
                .filter(|d| parse_date(d).is_some_and(|d| d >= today()));
            let Some(date) = date else {
                return Err(unprocessable(
                    AeoSaid::VisitNeedsDate,
                    vec![field_problem("visit_date", AeoSaid::VisitDate)],
                ));
            };
            change.visit_date = Some(Some(date));
        }
        Action::RecordFindings => {
            if req
                .findings
                .as_deref()
                .is_none_or(|f| f.trim().chars().count() < 10)
            {
                return Err(unprocessable(
                    AeoSaid::RecordFindings,
                    vec![field_problem("findings", AeoSaid::FindingsTooShort)],
                ));
            }
            change.findings = Some(req.findings.as_deref());
        }
        Action::Refuse | Action::Suspend | Action::Revoke => {
            change.reasons = Some(req.reasons.as_deref())
        }
        _ => {}
    }
    let store = &platform(state).store;
    let mut tx = store.write().await?;
    let number;
    let issued = iso(today());
    let expires;
    if action == Action::Certify {
        let grant = grant.expect("checked above");
        let roles: Vec<OperatorRole> = record
            .operator_roles
            .iter()
            .filter_map(|r| OperatorRole::parse(r))
            .collect();
        let supported = aeo::grantable(&aeo::assess(&roles, &stored_responses(&record.responses)));
        let allowed = match supported {
            Some(Grant::Both) => true,
            Some(s) => s == grant,
            None => false,
        };
        if !allowed {
            return Err(unprocessable(
                AeoSaid::GrantNotSupported,
                vec![field_problem(
                    "grant",
                    AeoSaid::AssessmentSupports(supported),
                )],
            ));
        }
        let serial = tx.next_certificate_serial().await?;
        let serial = u32::try_from(serial).map_err(|_| {
            Problem::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "certificate serials exhausted",
            )
        })?;
        number = aeo::CertificateNumber::new(grant, serial)
            .map_err(|e| Problem::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        expires = iso(aeo::expiry(today()));
        change.grant_kind = Some(Some(grant.as_str()));
        change.certificate = Some(CertificateGrant {
            number: number.as_str(),
            issued_on: &issued,
            expires_on: &expires,
        });
    }
    let updated = tx.change_aeo(&caller.audit_name(), change).await?;
    let message = format!(
        "AEO {}: {} — now {}.",
        updated.reference,
        action.as_str().replace('_', " "),
        to.label().to_lowercase()
    );
    tx.notify_company(&updated.company_id, &updated.reference, &message)
        .await?;
    tx.commit().await?;
    Ok(updated)
}

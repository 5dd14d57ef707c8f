//! Officers' bulk import of clearances from CSV (all rows or none, every bad line reported)
//! and a vehicle's timeline of changes and agency reads.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use vehicles::Anomaly;

use super::i18n::Lang;
use super::i18n::vehicle_problems::VehicleDetail;
use super::vehicles_api::facts_of;
use super::{Caller, platform};
use crate::problem::{FieldProblem, Say};
use crate::{AppState, Problem};

/// Data rows per file: a day's clearances at the busiest port fit many times over.
pub const MAX_IMPORT_ROWS: usize = 10_000;

#[derive(Debug, Serialize)]
pub(crate) struct ImportedLine {
    pub line: usize,
    pub vin: String,
    pub anomalies: Vec<Anomaly>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Imported {
    pub imported: usize,
    pub lines: Vec<ImportedLine>,
}

fn refused(status: StatusCode, detail: VehicleDetail) -> Problem {
    Problem::new(status, detail.say(Lang::En)).saying(detail)
}

fn rejected(detail: VehicleDetail, errors: Vec<FieldProblem>) -> Problem {
    refused(StatusCode::UNPROCESSABLE_ENTITY, detail).with_errors(errors)
}

fn line_problem(line: usize, field: &str, said: impl Say + 'static) -> FieldProblem {
    FieldProblem::new(field, said.say(Lang::En))
        .at_line(line)
        .saying(said)
}

/// Checks the whole file, then records every row in one transaction: nothing is half
/// imported. Rows that clash with clearances already on record are rejected like invalid
/// ones.
pub(crate) async fn import_csv(
    state: &AppState,
    caller: &Caller,
    bytes: &[u8],
) -> Result<Imported, Problem> {
    let report = vehicles::parse_csv(bytes);
    if let Some(error) = report.file_error {
        return Err(refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            VehicleDetail::Unreadable(error),
        ));
    }
    let rows = report.accepted.len() + report.rejected.len();
    if rows == 0 {
        return Err(rejected(VehicleDetail::NoDataRows, Vec::new()));
    }
    if rows > MAX_IMPORT_ROWS {
        return Err(refused(
            StatusCode::PAYLOAD_TOO_LARGE,
            VehicleDetail::TooManyRows(rows, MAX_IMPORT_ROWS),
        ));
    }
    let mut errors: Vec<FieldProblem> = report
        .rejected
        .iter()
        .flat_map(|r| {
            r.issues
                .iter()
                .map(|i| line_problem(r.line, i.field, i.issue.clone()))
        })
        .collect();
    let store = &platform(state).store;
    for (line, clearance) in &report.accepted {
        if store.vehicle(clearance.vin.as_str()).await?.is_some() {
            errors.push(line_problem(*line, "vin", VehicleDetail::VinOnRecord));
        } else if store
            .vehicle(&clearance.certificate_number)
            .await?
            .is_some()
        {
            errors.push(line_problem(
                *line,
                "certificate_number",
                VehicleDetail::CertificateUsed,
            ));
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        let bad_lines = {
            let mut lines: Vec<_> = errors.iter().filter_map(|e| e.line).collect();
            lines.dedup();
            lines.len()
        };
        return Err(rejected(
            VehicleDetail::RowsRefused(bad_lines, rows),
            errors,
        ));
    }
    let actor = caller.audit_name();
    let mut tx = store.write().await?;
    let mut lines = Vec::with_capacity(report.accepted.len());
    for (line, clearance) in &report.accepted {
        tx.create_vehicle(
            &actor,
            clearance.vin.as_str(),
            &clearance.certificate_number,
            &facts_of(clearance),
            clearance.status.as_str(),
        )
        .await?;
        lines.push(ImportedLine {
            line: *line,
            vin: clearance.vin.as_str().to_string(),
            anomalies: vehicles::anomalies(clearance),
        });
    }
    tx.commit().await?;
    Ok(Imported {
        imported: lines.len(),
        lines,
    })
}

pub(crate) async fn import(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Problem> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !content_type.starts_with("text/csv") {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Send the file as the body with Content-Type: text/csv.",
        ));
    }
    let done = import_csv(&state, &caller, &body).await?;
    Ok((StatusCode::CREATED, Json(done)).into_response())
}

#[derive(Serialize)]
pub(crate) struct Read {
    pub agency: String,
    pub scope: String,
    pub at: String,
}

#[derive(Serialize)]
pub(crate) struct Timeline {
    pub vin: String,
    pub changes: Vec<store::vehicle_feed::VehicleChange>,
    pub reads: Vec<Read>,
}

pub(crate) async fn timeline(state: &AppState, vin: &str) -> Result<Timeline, Problem> {
    let store = &platform(state).store;
    let record = store
        .vehicle(vin)
        .await?
        .ok_or_else(|| Problem::not_found(format!("No cleared vehicle {vin}.")))?;
    let changes = store.vehicle_history(&record.vin).await?;
    let reads = store
        .vehicle_reads(&record.vin, 500)
        .await?
        .into_iter()
        .map(|(agency, entry)| Read {
            agency,
            scope: entry.scope,
            at: entry.at,
        })
        .collect();
    Ok(Timeline {
        vin: record.vin,
        changes,
        reads,
    })
}

pub(crate) async fn history(
    State(state): State<AppState>,
    Path(vin): Path<String>,
) -> Result<Response, Problem> {
    let key = vin.trim().to_uppercase();
    Ok(Json(timeline(&state, &key).await?).into_response())
}

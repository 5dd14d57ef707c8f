//! The officers' review queue, sorted by legal deadline, and the published rulings that
//! anyone may search as precedents.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Query, State};
use eapp::{ApplicationKind, Status};
use serde::{Deserialize, Serialize};
use store::applications::{ApplicationFilter, QueueOrder};

use super::applications_api::stored_kind;
use super::casework::{self, ClockView};
use super::platform;
use crate::{AppState, Problem};

#[derive(Deserialize)]
pub(crate) struct QueueQuery {
    status: Option<String>,
    kind: Option<String>,
    /// `me`, `none` or an officer's id.
    assigned: Option<String>,
    /// `due` (default: the nearest legal deadline first), `oldest` or `newest`.
    sort: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct QueueItem {
    pub id: String,
    pub reference: String,
    pub kind: String,
    pub title: &'static str,
    pub company_id: String,
    pub status: String,
    pub assigned_to: Option<String>,
    pub updated_at: String,
    pub clock: ClockView,
}

pub(crate) async fn queue(
    State(state): State<AppState>,
    caller: super::Caller,
    Query(q): Query<QueueQuery>,
) -> Result<Json<Vec<QueueItem>>, Problem> {
    let sort = q.sort.as_deref().unwrap_or("due");
    if !["due", "oldest", "newest"].contains(&sort) {
        return Err(Problem::bad_request(
            "sort: must be one of due, oldest, newest.",
        ));
    }
    let items = open_cases(
        &state,
        &caller,
        q.status.as_deref(),
        q.kind.as_deref(),
        q.assigned.as_deref(),
        sort,
    )
    .await?;
    Ok(Json(items))
}

/// Submitted cases (open ones unless a status is asked for), with their clocks, sorted.
pub(crate) async fn open_cases(
    state: &AppState,
    caller: &super::Caller,
    status: Option<&str>,
    kind: Option<&str>,
    assigned: Option<&str>,
    sort: &str,
) -> Result<Vec<QueueItem>, Problem> {
    let store = &platform(state).store;
    let (cases, _) = store
        .list_applications(&ApplicationFilter {
            status: status.map(str::to_string),
            kind: kind.map(str::to_string),
            exclude_drafts: true,
            order: if sort == "newest" {
                QueueOrder::NewestFirst
            } else {
                QueueOrder::OldestFirst
            },
            limit: 500,
            ..Default::default()
        })
        .await?;
    let me = match &caller.actor {
        auth::Actor::User { id, .. } => Some(id.clone()),
        _ => None,
    };
    let mut items = Vec::new();
    let ids: Vec<String> = cases.iter().map(|c| c.id.clone()).collect();
    let mut histories = store.application_histories(&ids).await?;
    for case in cases {
        let open = Status::parse(&case.status).is_some_and(|s| !s.is_terminal());
        if status.is_none() && !open {
            continue;
        }
        let keep = match assigned {
            None => true,
            Some("none") => case.assigned_to.is_none(),
            Some("me") => case.assigned_to == me,
            Some(other) => case.assigned_to.as_deref() == Some(other),
        };
        if !keep {
            continue;
        }
        let kind = stored_kind(&case)?;
        let events = histories.remove(&case.id).unwrap_or_default();
        items.push(QueueItem {
            clock: casework::clock_view(state, kind, &events),
            title: kind.title(),
            id: case.id,
            reference: case.reference,
            kind: case.kind,
            company_id: case.company_id,
            status: case.status,
            assigned_to: case.assigned_to,
            updated_at: case.updated_at,
        });
    }
    if sort == "due" {
        items.sort_by(|a, b| {
            let due = |i: &QueueItem| (i.clock.due.is_none(), i.clock.due.clone());
            due(a)
                .cmp(&due(b))
                .then_with(|| a.reference.cmp(&b.reference))
        });
    }
    Ok(items)
}

#[derive(Deserialize)]
pub(crate) struct RulingsQuery {
    q: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct PublishedRuling {
    reference: String,
    code: Option<String>,
    decided_at: String,
    /// The application with its confidential fields removed.
    fields: BTreeMap<String, String>,
}

/// Approved advance rulings as precedents, with confidential parts removed.
pub(crate) async fn rulings(
    State(state): State<AppState>,
    Query(q): Query<RulingsQuery>,
) -> Result<Json<Vec<PublishedRuling>>, Problem> {
    let (cases, _) = platform(&state)
        .store
        .list_applications(&ApplicationFilter {
            status: Some(Status::Approved.as_str().into()),
            kind: Some(ApplicationKind::AdvanceRuling.as_str().into()),
            order: QueueOrder::NewestFirst,
            limit: 500,
            ..Default::default()
        })
        .await?;
    let words: Vec<String> =
        q.q.unwrap_or_default()
            .to_lowercase()
            .split_whitespace()
            .map(str::to_string)
            .collect();
    Ok(Json(
        cases
            .into_iter()
            .map(|case| PublishedRuling {
                fields: eapp::redact(ApplicationKind::AdvanceRuling, &case.fields),
                reference: case.reference,
                code: case.decision_code,
                decided_at: case.updated_at,
            })
            .filter(|r| {
                let text = r
                    .fields
                    .values()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_lowercase();
                words.iter().all(|w| text.contains(w.as_str()))
            })
            .collect(),
    ))
}

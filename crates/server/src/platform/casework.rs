//! What the e-Application handlers share: who sees a case, which party a caller is, today's
//! date in Taipei, and the legal clock of a case computed from its history.

use auth::{Actor, Role};
use eapp::{ApplicationKind, ClockState, Event, Party, Status};
use serde::Serialize;
use store::applications::{ApplicationRecord, EventRecord};
use time::macros::{format_description, offset};
use time::{Date, OffsetDateTime};

use super::platform;
use crate::{AppState, Problem};

/// Customs' legal days are counted in Taipei time.
pub fn today() -> Date {
    OffsetDateTime::now_utc().to_offset(offset!(+8)).date()
}

pub fn iso(date: Date) -> String {
    date.format(format_description!("[year]-[month]-[day]"))
        .expect("a date formats")
}

pub fn parse_date(s: &str) -> Option<Date> {
    Date::parse(s, format_description!("[year]-[month]-[day]")).ok()
}

pub fn party_of(actor: &Actor) -> Option<Party> {
    match actor.role()? {
        Role::Trader | Role::Broker => Some(Party::Applicant),
        Role::Officer => Some(Party::Officer),
        Role::Agency | Role::Admin | Role::DataScientist | Role::Reviewer => None,
    }
}

/// Staff see every submitted case; a trader its company's; a broker the cases it filed and
/// those of traders who authorised it. Anything else is "not found", never "forbidden", so
/// that nobody learns another company's case exists.
pub async fn visible(
    state: &AppState,
    actor: &Actor,
    case: &ApplicationRecord,
) -> Result<bool, Problem> {
    Ok(match actor.role() {
        Some(Role::Officer) | Some(Role::Admin) => case.status != Status::Draft.as_str(),
        Some(Role::Trader) => actor.company() == Some(case.company_id.as_str()),
        Some(Role::Broker) => {
            let Some(own) = actor.company() else {
                return Ok(false);
            };
            case.filed_by_company.as_deref() == Some(own)
                || platform(state)
                    .store
                    .has_mandate(own, &case.company_id)
                    .await?
        }
        _ => false,
    })
}

/// The companies whose cases a caller lists; `None` for staff (all companies).
pub async fn visible_companies(
    state: &AppState,
    actor: &Actor,
) -> Result<Option<Vec<String>>, Problem> {
    Ok(match actor.role() {
        Some(Role::Officer) | Some(Role::Admin) => None,
        Some(Role::Broker) => {
            let own = actor.company().unwrap_or_default().to_string();
            let mut companies = platform(state).store.clients_of(&own).await?;
            companies.push(own);
            Some(companies)
        }
        _ => Some(
            actor
                .company()
                .map(|c| vec![c.to_string()])
                .unwrap_or_default(),
        ),
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct ClockView {
    pub state: &'static str,
    pub started: Option<String>,
    pub due: Option<String>,
    pub working_days_used: i64,
    pub working_days_left: i64,
    pub legal_working_days: u32,
    /// When a request for information is open: the applicant's deadline to answer.
    pub reply_due: Option<String>,
}

pub fn clock_state_name(state: ClockState) -> &'static str {
    match state {
        ClockState::NotStarted => "not_started",
        ClockState::Running => "running",
        ClockState::Near => "near",
        ClockState::Overdue => "overdue",
        ClockState::Stopped => "stopped",
        ClockState::Finished => "finished",
    }
}

pub fn clock_view(state: &AppState, kind: ApplicationKind, events: &[EventRecord]) -> ClockView {
    let history: Vec<Event> = events
        .iter()
        .filter_map(|e| {
            Some(Event {
                status: Status::parse(&e.to_status)?,
                on: parse_date(&e.on_date)?,
            })
        })
        .collect();
    let calendar = &platform(state).calendar;
    let clock = eapp::clock(kind, &history, today(), calendar);
    let reply_due = match history.last() {
        Some(last) if last.status == Status::InfoRequested => {
            Some(iso(eapp::reply_due(last.on, kind, calendar)))
        }
        _ => None,
    };
    ClockView {
        state: clock_state_name(clock.state),
        started: clock.started.map(iso),
        due: clock.due.map(iso),
        working_days_used: clock.used,
        working_days_left: clock.left,
        legal_working_days: kind.legal_working_days(),
        reply_due,
    }
}

/// Whether a 6-digit code is a subheading of HS 2022.
pub fn code_exists(state: &AppState) -> impl Fn(&str) -> bool + '_ {
    move |code: &str| {
        nomenclature::HsCode::parse(code)
            .ok()
            .filter(|c| c.as_str().len() == 6)
            .is_some_and(|c| state.index.nomenclature().get(&c).is_some())
    }
}

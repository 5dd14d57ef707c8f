//! The legal clock: how many working days customs has used on an
//! application and how many it has left.
//!
//! The clock starts when the application is first submitted, stops while
//! customs waits for the applicant's information, and finishes at the
//! decision (or withdrawal).

mod calendar;

use serde::{Deserialize, Serialize};
use time::Date;

pub use calendar::{Calendar, TAIWAN_HOLIDAY_YEARS};

use crate::kind::ApplicationKind;
use crate::workflow::Status;
use calendar::next_day;

/// Working days left at or below which a case is flagged as near its
/// deadline, so officers see it a working week ahead.
pub const NEAR_WORKING_DAYS: i64 = 5;

/// The status an application entered on a given day. A history is a list of
/// these in the order they happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Event {
    pub status: Status,
    pub on: Date,
}

/// How the clock stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    /// Not submitted yet.
    NotStarted,
    /// Counting, with more than [`NEAR_WORKING_DAYS`] left.
    Running,
    /// Counting, with 0 to [`NEAR_WORKING_DAYS`] working days left (0 means
    /// the decision is due today).
    Near,
    /// Counting, past the due date.
    Overdue,
    /// Paused while waiting for the applicant's information.
    Stopped,
    /// Decided or withdrawn; the figures are final.
    Finished,
}

/// The clock of one application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Clock {
    /// Day of first submission; the clock counts from the next working day.
    pub started: Option<Date>,
    /// Day the decision is due: the start plus the legal working days plus
    /// every working day paused so far. While paused it moves out each
    /// working day; once past, it stays where the limit was reached.
    pub due: Option<Date>,
    /// Working days counted against customs.
    pub used: i64,
    /// Legal working days minus `used`; negative when late.
    pub left: i64,
    pub state: ClockState,
}

/// The clock of a `kind` application with the given `history`, as of `today`.
pub fn clock(kind: ApplicationKind, history: &[Event], today: Date, cal: &Calendar) -> Clock {
    let legal = i64::from(kind.legal_working_days());
    let Some(start) = history.iter().position(|e| e.status == Status::Submitted) else {
        return Clock {
            started: None,
            due: None,
            used: 0,
            left: legal,
            state: ClockState::NotStarted,
        };
    };
    let started = history[start].on;
    // Nothing after the first final status can move the clock.
    let events = match history[start..].iter().position(|e| e.status.is_terminal()) {
        Some(end) => &history[start..=start + end],
        None => &history[start..],
    };
    let finished_on = events
        .last()
        .filter(|e| e.status.is_terminal())
        .map(|e| e.on);
    // A `today` before submission (clock skew) reads as the day of submission.
    let end = finished_on.unwrap_or(today).max(started);

    // A working day counts when customs holds the case at its start: the day
    // information is requested still counts, the day it arrives does not.
    let mut status = Status::Submitted;
    let mut applied = 1;
    let mut used = 0;
    let mut limit_reached_on = (legal == 0).then_some(started);
    let mut day = started;
    while day < end {
        while applied < events.len() && events[applied].on <= day {
            status = events[applied].status;
            applied += 1;
        }
        day = next_day(day);
        if cal.is_working_day(day) && is_with_customs(status) {
            used += 1;
            if used == legal {
                limit_reached_on = Some(day);
            }
        }
    }
    let current = events
        .iter()
        .rev()
        .find(|e| e.on <= end)
        .map_or(Status::Submitted, |e| e.status);

    let left = legal - used;
    let due = match limit_reached_on {
        Some(day) => day,
        // Not reached yet: assume the clock runs from `end` on.
        None => cal.add_working_days(end, u32::try_from(left).expect("left is positive here")),
    };
    let state = if finished_on.is_some() {
        ClockState::Finished
    } else if current == Status::InfoRequested {
        ClockState::Stopped
    } else if left < 0 {
        ClockState::Overdue
    } else if left <= NEAR_WORKING_DAYS {
        ClockState::Near
    } else {
        ClockState::Running
    };
    Clock {
        started: Some(started),
        due: Some(due),
        used,
        left,
        state,
    }
}

/// Statuses in which the working days are customs' to use.
fn is_with_customs(status: Status) -> bool {
    matches!(status, Status::Submitted | Status::UnderReview)
}

/// Last day for the applicant to answer a request for information made on
/// `requested_on`.
pub fn reply_due(requested_on: Date, kind: ApplicationKind, cal: &Calendar) -> Date {
    cal.add_working_days(requested_on, kind.reply_working_days())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn event(status: Status, on: Date) -> Event {
        Event { status, on }
    }

    const FRIDAY: Date = date!(2026 - 12 - 04);

    #[test]
    fn a_draft_has_no_clock() {
        let history = [event(Status::Draft, FRIDAY)];
        let c = clock(
            ApplicationKind::DutyRefund,
            &history,
            FRIDAY,
            &Calendar::taiwan(),
        );
        assert_eq!(
            c,
            Clock {
                started: None,
                due: None,
                used: 0,
                left: 30,
                state: ClockState::NotStarted
            }
        );
    }

    #[test]
    fn friday_submission_counts_from_monday_and_skips_holidays() {
        let history = [
            event(Status::Draft, date!(2026 - 12 - 01)),
            event(Status::Submitted, FRIDAY),
        ];
        let taiwan = Calendar::taiwan();
        let ruling = ApplicationKind::AdvanceRuling;

        let on_friday = clock(ruling, &history, FRIDAY, &taiwan);
        assert_eq!(on_friday.started, Some(FRIDAY));
        assert_eq!((on_friday.used, on_friday.left), (0, 30));
        // 30 working days, skipping Dec 25 and Jan 1 (both Fridays).
        assert_eq!(on_friday.due, Some(date!(2027 - 01 - 19)));
        assert_eq!(on_friday.state, ClockState::Running);

        let weekend = clock(ruling, &history, date!(2026 - 12 - 06), &taiwan);
        assert_eq!(weekend.used, 0);
        let monday = clock(ruling, &history, date!(2026 - 12 - 07), &taiwan);
        assert_eq!((monday.used, monday.left), (1, 29));
        assert_eq!(monday.due, on_friday.due);

        let without_holidays = clock(ruling, &history, FRIDAY, &Calendar::default());
        assert_eq!(without_holidays.due, Some(date!(2027 - 01 - 15)));
    }

    #[test]
    fn near_then_overdue() {
        let history = [event(Status::Submitted, FRIDAY)];
        let origin = ApplicationKind::CertificateOfOrigin;
        let cal = Calendar::taiwan();

        let tuesday = clock(origin, &history, date!(2026 - 12 - 08), &cal);
        assert_eq!(
            (tuesday.used, tuesday.left, tuesday.state),
            (2, 1, ClockState::Near)
        );
        assert_eq!(tuesday.due, Some(date!(2026 - 12 - 09)));

        let due_day = clock(origin, &history, date!(2026 - 12 - 09), &cal);
        assert_eq!((due_day.left, due_day.state), (0, ClockState::Near));

        let thursday = clock(origin, &history, date!(2026 - 12 - 10), &cal);
        assert_eq!((thursday.used, thursday.left), (4, -1));
        assert_eq!(thursday.state, ClockState::Overdue);
        assert_eq!(thursday.due, Some(date!(2026 - 12 - 09)), "due stays put");
    }

    /// Bonded warehouse (20 days) submitted Monday 2026-03-02; March has no
    /// fixed holidays, so only weekends matter. Due unpaused: Mon 03-30.
    fn paused_history() -> Vec<Event> {
        vec![
            event(Status::Submitted, date!(2026 - 03 - 02)),
            event(Status::UnderReview, date!(2026 - 03 - 03)),
            event(Status::InfoRequested, date!(2026 - 03 - 09)),
            event(Status::UnderReview, date!(2026 - 03 - 16)),
        ]
    }

    #[test]
    fn a_week_of_waiting_moves_the_due_date_by_five_working_days() {
        let cal = Calendar::taiwan();
        let kind = ApplicationKind::BondedWarehouse;
        let unpaused = clock(kind, &paused_history()[..2], date!(2026 - 03 - 03), &cal);
        assert_eq!(unpaused.due, Some(date!(2026 - 03 - 30)));

        let resumed = clock(kind, &paused_history(), date!(2026 - 03 - 20), &cal);
        // Mar 3-6 and 9 (5) plus Mar 17-20 (4); Mar 10-16 were paused.
        assert_eq!((resumed.used, resumed.left), (9, 11));
        assert_eq!(resumed.due, Some(date!(2026 - 04 - 06)));
        assert_eq!(resumed.state, ClockState::Running);
    }

    #[test]
    fn the_clock_stops_while_waiting_for_the_applicant() {
        let cal = Calendar::taiwan();
        let history = &paused_history()[..3];
        let waiting = clock(
            ApplicationKind::BondedWarehouse,
            history,
            date!(2026 - 03 - 13),
            &cal,
        );
        assert_eq!((waiting.used, waiting.left), (5, 15));
        assert_eq!(waiting.state, ClockState::Stopped);
        // Four working days paused so far (Mar 10-13).
        assert_eq!(waiting.due, Some(date!(2026 - 04 - 03)));
    }

    #[test]
    fn a_decision_freezes_the_clock() {
        let cal = Calendar::taiwan();
        let mut history = paused_history();
        history.push(event(Status::Approved, date!(2026 - 03 - 18)));
        history.push(event(Status::Withdrawn, date!(2026 - 03 - 19)));
        for today in [date!(2026 - 03 - 18), date!(2027 - 06 - 01)] {
            let done = clock(ApplicationKind::BondedWarehouse, &history, today, &cal);
            assert_eq!(
                (done.used, done.left, done.state),
                (7, 13, ClockState::Finished)
            );
            assert_eq!(done.due, Some(date!(2026 - 04 - 06)));
        }
    }

    #[test]
    fn a_late_decision_keeps_its_negative_margin() {
        let history = [
            event(Status::Submitted, FRIDAY),
            event(Status::UnderReview, date!(2026 - 12 - 08)),
            event(Status::Rejected, date!(2026 - 12 - 10)),
        ];
        let done = clock(
            ApplicationKind::CertificateOfOrigin,
            &history,
            date!(2027 - 01 - 04),
            &Calendar::taiwan(),
        );
        assert_eq!(
            (done.used, done.left, done.state),
            (4, -1, ClockState::Finished)
        );
        assert_eq!(done.due, Some(date!(2026 - 12 - 09)));
    }

    #[test]
    fn withdrawal_while_waiting_counts_no_waiting_days() {
        let mut history = paused_history()[..3].to_vec();
        history.push(event(Status::Withdrawn, date!(2026 - 03 - 20)));
        let done = clock(
            ApplicationKind::BondedWarehouse,
            &history,
            date!(2026 - 03 - 20),
            &Calendar::taiwan(),
        );
        assert_eq!((done.used, done.state), (5, ClockState::Finished));
    }

    #[test]
    fn reply_due_is_ten_working_days_later() {
        let cal = Calendar::taiwan();
        assert_eq!(
            reply_due(FRIDAY, ApplicationKind::AdvanceRuling, &cal),
            date!(2026 - 12 - 18)
        );
        // Over Christmas and New Year (both holidays): Dec 21 + 10 → Jan 6.
        assert_eq!(
            reply_due(date!(2026 - 12 - 21), ApplicationKind::DutyRefund, &cal),
            date!(2027 - 01 - 06)
        );
    }
}

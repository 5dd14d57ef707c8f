//! Domain rules of the customs e-Application service: what each kind of
//! application asks for, how its answers are validated, which workflow
//! steps are allowed, and the working-day legal clock for decisions.
//!
//! Architecture invariant: domain crates such as this one take and return
//! plain Rust types and do no IO; only the `store` crate knows SQL and only
//! the `server` crate knows JSON and HTTP.

pub mod clock;
pub mod country;
pub mod form;
mod issue;
pub mod kind;
mod schema;
mod values;
pub mod workflow;

pub use clock::{
    Calendar, Clock, ClockState, Event, NEAR_WORKING_DAYS, TAIWAN_HOLIDAY_YEARS, clock, reply_due,
};
pub use country::{COUNTRY_CODES, is_country_code};
pub use form::{
    Completeness, Field, FieldError, FieldKind, Issue, confidential_fields, normalize_hs_code,
    redact, validate,
};
pub use kind::ApplicationKind;
pub use workflow::{
    Action, Decision, Party, RULING_VALIDITY_YEARS, Status, TRANSITIONS, TransitionError,
    allowed_actions, check_decision, entitled_parties, transition,
};

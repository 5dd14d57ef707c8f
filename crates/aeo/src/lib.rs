//! Authorized Economic Operator (AEO) certification domain: the
//! self-assessment questionnaire along the WCO SAFE Framework criteria, the
//! application and certificate life cycle, certificate numbers and public
//! status, and the mutual recognition arrangements of the programme.
//!
//! Architecture invariant: this is a pure domain crate; it takes and returns
//! plain Rust types and does no IO, no JSON, no SQL and no async. Only the
//! `store` crate knows SQL and only `server` knows HTTP/JSON.

mod dates;

pub mod certificate;
pub mod mra;
pub mod questionnaire;
pub mod workflow;

pub use certificate::{
    CertificateNumber, CertificateNumberError, PublicStatus, VALIDITY_YEARS, certificate_digest,
    expiry, next_review, public_status, reassessment_due, verify_certificate_digest,
};
pub use mra::{Partner, partner, partners};
pub use questionnaire::{
    Answer, AnswerKind, Area, AreaScore, Assessment, Change, OperatorRole, Question, Response,
    assess, diff, question, questions,
};
pub use workflow::{
    Action, Decision, DecisionError, Grant, MIN_REASON_CHARS, Party, REAPPLY_WAIT_YEARS, Status,
    TransitionError, allowed_actions, check_decision, grantable, may_reapply, transition,
};

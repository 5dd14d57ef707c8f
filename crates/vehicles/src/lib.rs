//! Vehicle facts for the Cross-Agency Vehicle Information Exchange.
//!
//! Customs clears imported vehicles; registration, tax, inspection and police
//! agencies read the resulting facts. This crate holds the rules: VIN parsing
//! ([`vin`]), manufacturer decoding ([`wmi`]), validation of clearance input
//! and anomaly checks ([`record`]), all-or-nothing CSV import
//! ([`csv_import`]) and per-agency data minimisation ([`scope`]).
//!
//! Architecture invariant: this crate is pure — it only parses and checks
//! values or bytes handed to it, with no IO, clock, database or network; only
//! `store` knows SQL, and only `server` knows HTTP/JSON.

pub mod csv_import;
mod fields;
pub mod issue;
pub mod record;
pub mod scope;
pub mod vin;
pub mod wmi;

pub use csv_import::{ImportReport, RejectedRow, parse_csv};
pub use issue::{FileError, HeaderProblem, Issue};
pub use record::{Anomaly, Clearance, ClearanceInput, FieldIssue, Fuel, anomalies, validate};
pub use scope::{AgencyScope, Status, visible_fields};
pub use vin::{CheckDigit, Vin, VinError};
pub use wmi::{Maker, country_hint, decode_wmi, region};

//! The service platform over real HTTP: the role matrix, accounts and sessions, and the
//! e-Application and AEO journeys, on SQLite and PostgreSQL.

mod common;

#[path = "platform/accounts.rs"]
mod accounts;
#[path = "platform/applications.rs"]
mod applications;
#[path = "platform/harness.rs"]
mod harness;
#[path = "platform/matrix.rs"]
mod matrix;

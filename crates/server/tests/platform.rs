//! The service platform over real HTTP: the role matrix, accounts and sessions, and the
//! e-Application and AEO journeys, on SQLite and PostgreSQL.

mod common;

#[path = "platform/accounts.rs"]
mod accounts;
#[path = "platform/aeo.rs"]
mod aeo_flow;
#[path = "platform/applications.rs"]
mod applications;
#[path = "platform/datasets.rs"]
mod datasets;
#[path = "platform/harness.rs"]
mod harness;
#[path = "platform/matrix.rs"]
mod matrix;
#[path = "platform/opendata.rs"]
mod open_data;
#[path = "platform/pages.rs"]
mod pages;
#[path = "platform/training.rs"]
mod training;
#[path = "platform/vehicle_feed.rs"]
mod vehicle_feed;
#[path = "platform/vehicles.rs"]
mod vehicles;
#[path = "platform/zh_messages.rs"]
mod zh_messages;
#[path = "platform/zh_messages2.rs"]
mod zh_messages2;
#[path = "platform/zh_pages.rs"]
mod zh_pages;

/// A date `days` from today (Taipei), as YYYY-MM-DD.
pub fn date_in_days(days: i64) -> String {
    let today = time::OffsetDateTime::now_utc()
        .to_offset(time::macros::offset!(+8))
        .date();
    (today + time::Duration::days(days)).to_string()
}

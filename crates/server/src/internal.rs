//! Routes for the private deployment only (officers' network). A public instance never
//! mounts them; `tests/profiles.rs` proves it.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/internal/status", get(status))
}

#[derive(Serialize)]
struct Status {
    profile: settings::Profile,
    data_dir: String,
    data_digest: String,
    index_documents: u64,
    uptime_seconds: u64,
    version: &'static str,
}

async fn status(State(state): State<AppState>) -> Json<Status> {
    Json(Status {
        profile: state.profile,
        data_dir: state.data_dir.display().to_string(),
        data_digest: state.index.nomenclature().digest().to_string(),
        index_documents: state.index.documents(),
        uptime_seconds: state.started.elapsed().as_secs(),
        version: env!("CARGO_PKG_VERSION"),
    })
}

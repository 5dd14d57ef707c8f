//! The HTTP server: JSON API under `/api/v1`, server-rendered pages, health and metrics.
//!
//! Architecture invariant: this is the only crate that knows HTTP and JSON shapes. Handlers
//! translate requests into calls on the domain crates (`nomenclature`, `search`) and their
//! answers into responses; no domain rule lives here.

mod api;
pub mod guide_token;
mod internal;
pub mod limits;
mod metrics;
pub mod platform;
mod problem;
mod web;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::routing::get;
use search::SearchIndex;
use settings::Profile;
use tokio::net::TcpListener;

pub use metrics::Metrics;
pub use problem::Problem;

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub index: Arc<SearchIndex>,
    /// Swapped whole when a model version is promoted or rolled back.
    pub classifier: classify::Serving,
    pub profile: Profile,
    pub metrics: Arc<Metrics>,
    pub started: Instant,
    pub data_dir: PathBuf,
    pub guide: Arc<guide::Guide>,
    /// Signs guided-dialogue sessions; instances behind one load balancer share it.
    pub guide_key: guide_token::TokenKey,
    /// Accounts, e-Application and AEO: mounted when a store is configured.
    pub platform: Option<Arc<platform::Platform>>,
    /// Taiwan's 11-digit tariff, the duty calculator and the concordance: None when the data
    /// directory has no national tariff.
    pub tariff: Option<Arc<tariff::NationalTariff>>,
    /// Classifies descriptions written in Chinese against the national tariff's texts.
    pub chinese: Option<Arc<classify::ChineseLeg>>,
    /// Training runs (private instances) and following model promotions: with a platform.
    pub training: Option<Arc<platform::training::Training>>,
}

impl AppState {
    pub fn new(
        index: Arc<SearchIndex>,
        classifier: classify::Serving,
        guide: Arc<guide::Guide>,
        profile: Profile,
        data_dir: PathBuf,
    ) -> AppState {
        let metrics = Arc::new(Metrics::new(index.documents()));
        AppState {
            index,
            guide,
            guide_key: guide_token::TokenKey::random(),
            classifier,
            profile,
            metrics,
            started: Instant::now(),
            data_dir,
            platform: None,
            tariff: None,
            chinese: None,
            training: None,
        }
    }
}

impl AppState {
    /// Signs sessions with a configured key instead of a fresh random one.
    pub fn with_guide_key(mut self, key: guide_token::TokenKey) -> AppState {
        self.guide_key = key;
        self
    }

    /// Serves the national tariff, its duty calculator and concordance.
    pub fn with_tariff(mut self, tariff: Option<Arc<tariff::NationalTariff>>) -> AppState {
        self.tariff = tariff;
        self
    }

    /// Classifies Chinese descriptions with this leg.
    pub fn with_chinese(mut self, leg: Option<Arc<classify::ChineseLeg>>) -> AppState {
        self.chinese = leg;
        self
    }

    /// Runs training jobs (when `training.trains`) and follows model promotions.
    pub fn with_training(mut self, training: platform::training::Training) -> AppState {
        self.training = Some(Arc::new(training));
        self
    }

    /// Mounts the service platform over this store.
    pub fn with_platform(mut self, platform: platform::Platform) -> AppState {
        self.platform = Some(Arc::new(platform));
        self
    }
}

/// The whole application for a profile. A public instance does not mount internal routes.
pub fn router(state: AppState) -> Router {
    let mut app = Router::new()
        .merge(api::routes())
        .merge(web::routes())
        .route("/healthz", get(health))
        .route("/metrics", get(metrics::render));
    if state.profile.mounts_internal_routes() {
        app = app.merge(internal::routes());
    }
    if state.platform.is_some() {
        app = app.merge(platform::routes(state.profile, state.clone()));
    }
    // Pages read the profile to link the private instance's internal pages.
    let app = app
        .fallback(web::not_found)
        .layer(axum::Extension(state.profile));
    limits::apply(app, state.clone()).with_state(state)
}

async fn health() -> &'static str {
    "ok"
}

/// Serves until `shutdown` resolves, then finishes in-flight requests.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    if let Some(platform) = &state.platform {
        tokio::spawn(platform::webhooks::run(platform.clone()));
        tokio::spawn(platform::opendata_usage::run(platform.clone()));
        if let Some(training) = &state.training {
            tokio::spawn(platform::training::run_worker(
                state.clone(),
                platform.clone(),
                training.clone(),
            ));
        }
    }
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

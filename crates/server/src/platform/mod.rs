//! The service platform over HTTP: accounts and sessions, the e-Application, AEO, vehicle
//! exchange and open data services, and the analysts' data sets. Routes are built from the [`access::ENDPOINTS`] table; [`guard`] resolves the
//! caller, enforces the declared rule, CSRF on cookie sessions and per-client rate limits.

pub mod access;
mod accounts_api;
mod admin_api;
mod aeo_api;
mod aeo_evidence;
mod aeo_public;
mod applications_api;
mod attachments_api;
mod caller;
mod casework;
mod datasets;
mod datasets_api;
mod datasets_pages;
mod error_analysis;
mod errors;
pub(crate) mod i18n;
mod models_api;
mod models_pages;
pub(crate) mod openapi;
mod opendata_api;
mod opendata_charts;
mod opendata_datasets;
mod opendata_files;
mod opendata_pages;
mod opendata_releases;
pub(crate) mod opendata_usage;
mod pages;
mod pages_aeo;
mod pages_aeo_cases;
mod pages_queue;
mod pages_session;
mod pages_vehicles;
mod queue_api;
mod runs_api;
mod runs_pages;
pub mod training;
mod vehicles_api;
mod vehicles_feed_api;
mod vehicles_import;
pub mod webhooks;

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::MethodRouter;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use settings::Profile;

use crate::AppState;
pub use access::{Deploy, ENDPOINTS, Endpoint};
pub use caller::{Caller, SESSION_COOKIE};

/// What the platform routes share.
pub struct Platform {
    pub store: store::Store,
    pub settings: PlatformSettings,
    pub(crate) login_by_account: auth::LoginThrottle,
    pub(crate) login_by_address: auth::LoginThrottle,
    pub(crate) limiter: DefaultKeyedRateLimiter<String>,
    pub(crate) calendar: eapp::Calendar,
    /// Classification usage counted in memory until the next flush.
    pub(crate) usage: opendata_usage::UsageCounter,
    /// Open data releases read back as tables (releases never change).
    pub(crate) tables: opendata_releases::TableCache,
}

/// The key open data release manifests are signed with (HMAC-SHA256). Never printed.
#[derive(Clone)]
pub struct SigningKey(pub Vec<u8>);

impl SigningKey {
    pub fn random() -> SigningKey {
        let mut key = vec![0u8; 32];
        getrandom::fill(&mut key).expect("the system has a random source");
        SigningKey(key)
    }

    /// A key of its own derived from another secret (the guide key an installation keeps),
    /// so manifests stay verifiable across restarts without a second secret to manage.
    pub fn derived_from(secret: &[u8]) -> SigningKey {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        h.update(b"smart-customs open data manifests\0");
        h.update(secret);
        SigningKey(h.finalize().to_vec())
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(…)")
    }
}

#[derive(Debug, Clone)]
pub struct PlatformSettings {
    /// Requests per minute one client (API key, user or address) may make.
    pub requests_per_minute: u32,
    /// How long a sign-in lasts.
    pub session_ttl: Duration,
    /// Failed sign-ins per account, and per client address, before a lockout.
    pub login_failures_per_account: usize,
    pub login_failures_per_address: usize,
    pub login_window: Duration,
    /// Delivery of the vehicle feed to agencies' endpoints.
    pub webhooks: webhooks::WebhookSettings,
    /// Signs open data release manifests; instances sharing a database should share it.
    pub opendata_key: SigningKey,
    /// How often the classification usage counted in memory is added to the store.
    pub usage_flush: Duration,
}

impl Default for PlatformSettings {
    fn default() -> Self {
        PlatformSettings {
            requests_per_minute: 600,
            session_ttl: Duration::from_secs(12 * 3600),
            login_failures_per_account: 5,
            login_failures_per_address: 20,
            login_window: Duration::from_secs(15 * 60),
            webhooks: webhooks::WebhookSettings::default(),
            opendata_key: SigningKey::random(),
            usage_flush: Duration::from_secs(60),
        }
    }
}

impl Platform {
    pub fn new(store: store::Store, settings: PlatformSettings) -> Platform {
        let per_minute = NonZeroU32::new(settings.requests_per_minute.max(1)).expect("non-zero");
        Platform {
            store,
            login_by_account: auth::LoginThrottle::new(
                settings.login_failures_per_account,
                settings.login_window,
            ),
            login_by_address: auth::LoginThrottle::new(
                settings.login_failures_per_address,
                settings.login_window,
            ),
            limiter: RateLimiter::keyed(Quota::per_minute(per_minute)),
            calendar: eapp::Calendar::taiwan(),
            usage: opendata_usage::UsageCounter::default(),
            tables: opendata_releases::TableCache::default(),
            settings,
        }
    }
}

fn handler(method: &str, path: &str) -> MethodRouter<AppState> {
    accounts_api::handler(method, path)
        .or_else(|| applications_api::handler(method, path))
        .or_else(|| aeo_api::handler(method, path))
        .or_else(|| pages::handler(method, path))
        .or_else(|| vehicles_api::handler(method, path))
        .or_else(|| opendata_api::handler(method, path))
        .or_else(|| datasets_api::handler(method, path))
        .or_else(|| training_handler(method, path))
        .unwrap_or_else(|| panic!("no handler for the declared endpoint {method} {path}"))
}

fn training_handler(method: &str, path: &str) -> Option<MethodRouter<AppState>> {
    use axum::routing::{get, post};
    Some(match (method, path) {
        ("GET", "/api/v1/runs") => get(runs_api::list),
        ("POST", "/api/v1/runs") => post(runs_api::create),
        ("GET", "/api/v1/runs/{id}") => get(runs_api::show),
        ("GET", "/api/v1/runs/{id}/events") => get(runs_api::events),
        ("POST", "/api/v1/runs/{id}/cancel") => post(runs_api::cancel),
        ("POST", "/api/v1/runs/{id}/rerun") => post(runs_api::rerun),
        ("GET", "/api/v1/models") => get(models_api::list),
        ("GET", "/api/v1/models/compare") => get(models_api::compare),
        ("GET", "/api/v1/models/{version}") => get(models_api::show),
        ("POST", "/api/v1/models/{version}/propose") => post(models_api::propose),
        ("POST", "/api/v1/models/{version}/approve") => post(models_api::approve),
        ("POST", "/api/v1/models/{version}/reject") => post(models_api::reject),
        ("POST", "/api/v1/models/rollback") => post(models_api::rollback),
        ("GET", "/runs") => get(runs_pages::list_page),
        ("POST", "/runs") => post(runs_pages::create_submit),
        ("GET", "/runs/{id}") => get(runs_pages::run_page),
        ("POST", "/runs/{id}/cancel") => post(runs_pages::cancel_submit),
        ("POST", "/runs/{id}/rerun") => post(runs_pages::rerun_submit),
        ("GET", "/models") => get(models_pages::models_page),
        ("GET", "/models/compare") => get(models_pages::compare_page),
        ("POST", "/models/rollback") => post(models_pages::rollback_submit),
        ("GET", "/models/{version}/errors") => get(error_analysis::errors_page),
        ("POST", "/models/{version}/errors/correct") => post(error_analysis::correct_submit),
        ("GET", "/api/v1/models/{version}/errors") => get(error_analysis::errors_json),
        ("POST", "/api/v1/models/{version}/errors/correct") => post(error_analysis::correct_json),
        ("POST", "/models/{version}/{action}") => post(models_pages::model_action_submit),
        _ => return None,
    })
}

/// The platform's routes for this profile, each behind the guard.
pub fn routes(profile: Profile, state: AppState) -> Router<AppState> {
    let mut router = Router::new();
    for endpoint in ENDPOINTS {
        if endpoint.deploy == Deploy::Private && !profile.mounts_internal_routes() {
            continue;
        }
        router = router.route(endpoint.path, handler(endpoint.method, endpoint.path));
    }
    router.route_layer(axum::middleware::from_fn_with_state(state, caller::guard))
}

pub(crate) fn platform(state: &AppState) -> &Arc<Platform> {
    state
        .platform
        .as_ref()
        .expect("platform routes are mounted only with a platform")
}

//! A platform test server: a fresh store (SQLite or PostgreSQL) seeded with one account of
//! every role, and a client that speaks as any of them.
// Shared with the browser tests, which use a part of it.
#![allow(dead_code)]

use auth::Role;
use reqwest::{Method, Response};
use serde_json::Value;
use settings::Profile;
use store::accounts::{ApiKeyRecord, Company, NewUser};
use store::{Backend, Store};

use crate::common::{TestServer, start_with, state};

pub const TRADER_CO: &str = "04595257";
pub const OTHER_TRADER_CO: &str = "10458575";
pub const BROKER_CO: &str = "22099131";
pub const PASSWORD: &str = "correct horse battery";
/// The key test servers sign open data manifests with, so tests can verify them.
pub const OPENDATA_KEY: &[u8] = b"open data test signing key";

/// Who a request is made as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum As {
    Anonymous,
    Trader,
    OtherTrader,
    Broker,
    Officer,
    Agency,
    Admin,
    DataScientist,
    Reviewer,
}

impl As {
    pub const ALL: [As; 9] = [
        As::Anonymous,
        As::Trader,
        As::OtherTrader,
        As::Broker,
        As::Officer,
        As::Agency,
        As::Admin,
        As::DataScientist,
        As::Reviewer,
    ];

    pub fn role(self) -> Option<Role> {
        match self {
            As::Anonymous => None,
            As::Trader | As::OtherTrader => Some(Role::Trader),
            As::Broker => Some(Role::Broker),
            As::Officer => Some(Role::Officer),
            As::Agency => Some(Role::Agency),
            As::Admin => Some(Role::Admin),
            As::DataScientist => Some(Role::DataScientist),
            As::Reviewer => Some(Role::Reviewer),
        }
    }
}

pub struct Platform {
    pub server: TestServer,
    pub store: Store,
    /// Bearer tokens of the seeded accounts (sessions and the agency's API key).
    pub tokens: Vec<(As, String)>,
    pub officer_id: String,
    /// The server's state directory (runs' checkpoints, the model registry).
    pub state_dir: std::path::PathBuf,
}

pub struct Options {
    pub profile: Profile,
    pub backend: Backend,
    pub requests_per_minute: u32,
    /// Runs the training worker with this lease, on a temporary state directory.
    pub training_lease: Option<std::time::Duration>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            profile: Profile::Private,
            backend: Backend::Sqlite,
            requests_per_minute: 100_000,
            training_lease: None,
        }
    }
}

async fn seed(store: &Store) -> (Vec<(As, String)>, String) {
    // One hash for all: argon2 is slow on purpose.
    let hash = auth::hash_password(PASSWORD).unwrap();
    let mut tx = store.write().await.unwrap();
    for (id, name, kind) in [
        (TRADER_CO, "Formosa Fruit Co.", "trader"),
        (OTHER_TRADER_CO, "Keelung Tools Ltd.", "trader"),
        (BROKER_CO, "Harbour Brokers", "broker"),
    ] {
        let company = Company {
            id: id.into(),
            name: name.into(),
            kind: kind.into(),
        };
        tx.create_company("seed", &company).await.unwrap();
    }
    let mut tokens = Vec::new();
    let mut officer_id = String::new();
    for (who, email, company) in [
        (As::Trader, "amy@formosa.example", Some(TRADER_CO)),
        (
            As::OtherTrader,
            "ken@keelung.example",
            Some(OTHER_TRADER_CO),
        ),
        (As::Broker, "bo@harbour.example", Some(BROKER_CO)),
        (As::Officer, "olivia@customs.example", None),
        (As::Admin, "root@customs.example", None),
        (As::DataScientist, "dana@customs.example", None),
        (As::Reviewer, "rey@customs.example", None),
    ] {
        let user = tx
            .create_user(
                "seed",
                NewUser {
                    email,
                    display_name: email,
                    password_hash: &hash,
                    role: who.role().unwrap(),
                    company_id: company,
                },
            )
            .await
            .unwrap();
        if who == As::Officer {
            officer_id = user.id.clone();
        }
        let token = auth::SessionSecret::generate();
        tx.create_session(&user.id, &token.digest(), "2999-01-01T00:00:00.000000Z")
            .await
            .unwrap();
        tokens.push((who, token.0));
    }
    let key = auth::ApiKeySecret::generate();
    tx.create_api_key(
        "seed",
        &ApiKeyRecord {
            id: key.id.clone(),
            secret_hash: key.digest(),
            name: "vehicle registry".into(),
            role: Role::Agency,
            company_id: None,
            scopes: vec!["aeo:verify".into(), "applications:read".into()],
            created_by: "seed".into(),
            created_at: store::now(),
            revoked_at: None,
        },
    )
    .await
    .unwrap();
    tokens.push((As::Agency, key.token()));
    tx.grant_mandate("seed", BROKER_CO, TRADER_CO)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (tokens, officer_id)
}

pub async fn start(options: Options) -> Platform {
    let store = store::testing::fresh(options.backend).await;
    let state_dir = tempfile::tempdir().unwrap().keep();
    start_on(store, state_dir, options).await
}

/// [`start`] on a store and state directory the test prepared.
pub async fn start_on(store: Store, state_dir: std::path::PathBuf, options: Options) -> Platform {
    let (tokens, officer_id) = seed(&store).await;
    let platform = server::platform::Platform::new(
        store.clone(),
        server::platform::PlatformSettings {
            requests_per_minute: options.requests_per_minute,
            // The tests' webhook receivers listen on 127.0.0.1 and fail on purpose.
            webhooks: server::platform::webhooks::WebhookSettings {
                poll: std::time::Duration::from_millis(50),
                backoff: std::time::Duration::from_millis(100),
                max_attempts: 4,
                allow_internal_hosts: true,
                ..Default::default()
            },
            opendata_key: server::platform::SigningKey(OPENDATA_KEY.to_vec()),
            ..Default::default()
        },
    );
    let mut app = state(options.profile).with_platform(platform);
    if let Some(lease) = options.training_lease {
        let mut training = server::platform::training::Training::new(
            state_dir.clone(),
            crate::common::classifier(),
            options.profile == Profile::Private,
        );
        training.lease = lease;
        training.heartbeat = lease / 4;
        training.poll = std::time::Duration::from_millis(100);
        app = app.with_training(training);
    }
    let server = start_with(app).await;
    Platform {
        server,
        store,
        tokens,
        officer_id,
        state_dir,
    }
}

impl Platform {
    pub fn token(&self, who: As) -> Option<&str> {
        self.tokens
            .iter()
            .find(|(w, _)| *w == who)
            .map(|(_, t)| t.as_str())
    }

    /// A request as `who`, with a JSON body when given.
    pub async fn call(&self, who: As, method: Method, path: &str, body: Option<Value>) -> Response {
        let mut req = self.server.client.request(method, self.server.url(path));
        if let Some(token) = self.token(who) {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        req.send().await.expect("request")
    }

    /// The same, returning the status and the JSON body (Null when there is none).
    pub async fn json(
        &self,
        who: As,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let res = self.call(who, method, path, body).await;
        let status = res.status().as_u16();
        let text = res.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub async fn get(&self, who: As, path: &str) -> (u16, Value) {
        self.json(who, Method::GET, path, None).await
    }

    pub async fn post(&self, who: As, path: &str, body: Value) -> (u16, Value) {
        self.json(who, Method::POST, path, Some(body)).await
    }
}

/// A fresh API key with one scope, issued by the admin.
pub async fn key(p: &Platform, scope: &str) -> String {
    let (status, key) = p
        .post(
            As::Admin,
            "/api/v1/admin/api-keys",
            serde_json::json!({"name": scope, "scopes": [scope]}),
        )
        .await;
    assert_eq!(status, 201, "{key}");
    key["token"].as_str().unwrap().to_string()
}

/// A request with an API key; the status and the JSON body (Null when there is none).
pub async fn as_key(
    p: &Platform,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = p
        .server
        .client
        .request(method, p.server.url(path))
        .bearer_auth(token);
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

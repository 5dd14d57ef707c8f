//! Shared test harness: the real data set, one index per test binary, a real server on a
//! loopback port per test.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use search::SearchIndex;
use settings::Profile;

pub fn data_dir() -> PathBuf {
    settings::data_dir_for_tests(env!("CARGO_MANIFEST_DIR"))
}

/// The real engine (index, corpus, tuned classifier) built once per test binary into a
/// temporary state directory, exactly as `customs serve` builds it.
type Parts = (
    Arc<SearchIndex>,
    Arc<classify::Classifier>,
    Arc<guide::Guide>,
    Option<Arc<tariff::NationalTariff>>,
    Option<Arc<classify::ChineseLeg>>,
);

fn engine() -> &'static Parts {
    static ENGINE: OnceLock<Parts> = OnceLock::new();
    ENGINE.get_or_init(|| {
        // The lexical legs only: the dense legs have their own tests (classify, encoder), and
        // embedding the whole corpus here would cost minutes per test binary.
        let state = settings::StateDir(tempfile::tempdir().expect("temp dir").keep());
        let paths = engine::Paths {
            data_dir: &data_dir(),
            state: &state,
            models: None,
        };
        let e = engine::open(&paths, &|_, _, _| {}).expect("the engine opens on the real data");
        let national = engine::national_tariff(&data_dir(), &e.nomenclature)
            .expect("the national tariff loads");
        let chinese = national
            .as_deref()
            .map(|n| Arc::new(engine::chinese_leg(n, None).expect("the Chinese index builds")));
        let guide = Arc::new(
            guide::Guide::new(e.classifier.clone(), guide::Settings::default())
                .with_chinese(chinese.clone()),
        );
        (e.search, e.classifier, guide, national, chinese)
    })
}

/// The classifier test servers start with (the lexical legs, no trained head).
pub fn classifier() -> Arc<classify::Classifier> {
    engine().1.clone()
}

/// The key test servers sign guided sessions with, so tests can forge expired ones.
pub const GUIDE_KEY: [u8; 32] = [42; 32];

pub struct TestServer {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    pub async fn json(&self, path: &str) -> (u16, serde_json::Value) {
        let res = self.get(path).await;
        let status = res.status().as_u16();
        (status, res.json().await.expect("a JSON body"))
    }
}

/// Starts a real server on 127.0.0.1 with an ephemeral port; it lives as long as the test's
/// runtime.
pub async fn start(profile: Profile) -> TestServer {
    start_with(state(profile)).await
}

/// The application state a test server runs on, before any platform is added.
pub fn state(profile: Profile) -> server::AppState {
    let (index, classifier, guide, national, chinese) = engine().clone();
    // Each server its own serving slot: a test that promotes a model swaps only its own.
    let serving = classify::Serving::new(classifier);
    server::AppState::new(index, serving, guide, profile, data_dir())
        .with_guide_key(server::guide_token::TokenKey::new(GUIDE_KEY))
        .with_tariff(national)
        .with_chinese(chinese)
}

pub async fn start_with(state: server::AppState) -> TestServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(server::serve(listener, state, std::future::pending()));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    TestServer { addr, client }
}

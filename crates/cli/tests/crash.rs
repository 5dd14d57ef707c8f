//! Durability under a crash: the real `customs serve` on SQLite takes a write load from
//! several clients and is killed with SIGKILL mid-flight. Every application whose 201 (and
//! every submission whose 200) reached a client must be in the database afterwards, the
//! audit chain must be intact, and the server must start again on the same file.

use std::io::Write;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const EMAIL: &str = "amy@formosa.example";
const PASSWORD: &str = "crash-test-password";
/// Clients writing at once.
const WRITERS: usize = 8;
/// How long the load runs before the kill (longer only if too few writes were acknowledged).
const LOAD: Duration = Duration::from_millis(1500);
/// Fewer acknowledged writes than this and the test would prove little.
const ENOUGH: usize = 21;
/// The first start builds the search index and the corpus: slow in a debug build on a busy
/// machine.
const STARTUP: Duration = Duration::from_secs(180);

fn customs(state: &Path, url: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_customs"));
    cmd.arg("--no-encoder")
        .arg("--state-dir")
        .arg(state)
        .arg("--database-url")
        .arg(url)
        .env(
            "CUSTOMS_DATA_DIR",
            settings::data_dir_for_tests(env!("CARGO_MANIFEST_DIR")),
        )
        // The flag is given; an inherited CUSTOMS_NO_ENCODER=1 would not parse as a bool.
        .env_remove("CUSTOMS_NO_ENCODER")
        .env("RUST_LOG", "warn");
    cmd
}

/// Kills the server when dropped, so a failing assertion leaves no process behind.
struct Server {
    child: Child,
    base: String,
    log: std::path::PathBuf,
}

impl Server {
    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILL: no shutdown hook, no flush, no goodbye.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn start(state: &Path, url: &str, run: &str, http: &reqwest::Client) -> Server {
    let port = free_port();
    let log = state.join(format!("serve-{run}.log"));
    let file = std::fs::File::create(&log).unwrap();
    let child = customs(state, url)
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .args(["--rate-limit", "1000000"])
        .stdin(Stdio::null())
        .stdout(file.try_clone().unwrap())
        .stderr(file)
        .spawn()
        .expect("customs serve starts");
    let mut server = Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
        log,
    };
    let started = Instant::now();
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            panic!("customs serve exited with {status}:\n{}", server.log());
        }
        let health = http
            .get(format!("{}/healthz", server.base))
            .timeout(Duration::from_secs(5))
            .send()
            .await;
        if health.is_ok_and(|r| r.status().is_success()) {
            eprintln!(
                "server ({run}) ready in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            return server;
        }
        assert!(
            started.elapsed() < STARTUP,
            "customs serve not healthy after {STARTUP:?}:\n{}",
            server.log()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn sign_in(http: &reqwest::Client, base: &str) -> String {
    let res = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": EMAIL, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "sign-in");
    let body: Value = res.json().await.unwrap();
    body["token"].as_str().unwrap().to_string()
}

/// What the clients saw acknowledged.
#[derive(Default)]
struct Acked {
    created: Vec<String>,
    submitted: Vec<String>,
}

/// One client: create, submit, repeat until told to stop. Only complete, successful
/// responses count; anything else (a reset connection after the kill) is just lost.
async fn writer(
    http: reqwest::Client,
    base: String,
    token: String,
    n: usize,
    stop: Arc<AtomicBool>,
    acked: Arc<Mutex<Acked>>,
) {
    let mut i = 0;
    while !stop.load(Ordering::Relaxed) {
        i += 1;
        let created = async {
            let res = http
                .post(format!("{base}/api/v1/applications"))
                .bearer_auth(&token)
                .json(&json!({"kind": "advance_ruling", "fields": {
                    "goods_description": format!("Dried apricots, lot {n}-{i}"),
                    "intended_code": "0813.10"}}))
                .send()
                .await
                .ok()?;
            if res.status() != 201 {
                return None;
            }
            let body: Value = res.json().await.ok()?;
            Some(body["id"].as_str()?.to_string())
        }
        .await;
        let Some(id) = created else { continue };
        acked.lock().unwrap().created.push(id.clone());
        let submitted = async {
            let res = http
                .post(format!("{base}/api/v1/applications/{id}/actions"))
                .bearer_auth(&token)
                .json(&json!({"action": "submit", "version": 1}))
                .send()
                .await
                .ok()?;
            if res.status() != 200 {
                return None;
            }
            let body: Value = res.json().await.ok()?;
            (body["status"] == "submitted").then_some(())
        }
        .await;
        if submitted.is_some() {
            acked.lock().unwrap().submitted.push(id);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_writes_survive_sigkill() {
    let began = Instant::now();
    let state = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", state.path().join("customs.db").display());

    // A trader, made from the console as an operator would.
    let mut add = customs(state.path(), &url)
        .args(["user", "add", "--email", EMAIL, "--name", "Amy"])
        .args(["--role", "trader", "--company", "04595257"])
        .args(["--company-name", "Formosa Fruit"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    add.stdin
        .take()
        .unwrap()
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .unwrap();
    let out = add.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "user add: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let mut server = start(state.path(), &url, "first", &http).await;
    let token = sign_in(&http, &server.base).await;

    let stop = Arc::new(AtomicBool::new(false));
    let acked = Arc::new(Mutex::new(Acked::default()));
    let writers: Vec<_> = (0..WRITERS)
        .map(|n| {
            tokio::spawn(writer(
                http.clone(),
                server.base.clone(),
                token.clone(),
                n,
                stop.clone(),
                acked.clone(),
            ))
        })
        .collect();

    // Load for LOAD, longer if the machine is too slow to have acknowledged ENOUGH yet.
    let load_started = Instant::now();
    tokio::time::sleep(LOAD).await;
    while acked.lock().unwrap().created.len() < ENOUGH {
        assert!(
            load_started.elapsed() < Duration::from_secs(120),
            "only {} writes acknowledged in 120 s:\n{}",
            acked.lock().unwrap().created.len(),
            server.log()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The writers are mid-request: kill the server under them.
    server.kill();
    let load_time = load_started.elapsed();
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }
    let acked = std::mem::take(&mut *acked.lock().unwrap());

    // Open the file the dead server left, as the next process would.
    let store = store::Store::connect(&url)
        .await
        .expect("the database opens after the crash");
    let mut missing = Vec::new();
    for id in &acked.created {
        match store.application(id).await.unwrap() {
            Some(case) => {
                if acked.submitted.contains(id) {
                    assert_eq!(case.status, "submitted", "{id} was acknowledged submitted");
                }
            }
            None => missing.push(id.clone()),
        }
    }
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged applications lost: {missing:?}",
        missing.len(),
        acked.created.len()
    );
    let audit = store.verify_audit(|_, _| {}).await.unwrap();
    assert!(audit.is_intact(), "audit chain broken: {audit:?}");
    store.close().await;
    eprintln!(
        "{} applications and {} submissions acknowledged in {:.2} s of load before SIGKILL; \
         all present, audit intact ({} entries)",
        acked.created.len(),
        acked.submitted.len(),
        load_time.as_secs_f64(),
        audit.entries
    );
    assert!(acked.created.len() >= ENOUGH);

    // And the server itself starts again on the same file and serves what was written.
    let server = start(state.path(), &url, "restart", &http).await;
    let token = sign_in(&http, &server.base).await;
    let id = acked.created.last().unwrap();
    let res = http
        .get(format!("{}/api/v1/applications/{id}", server.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let case: Value = res.json().await.unwrap();
    assert_eq!(case["id"], id.as_str());
    drop(server);
    eprintln!("crash test took {:.1} s", began.elapsed().as_secs_f64());
}

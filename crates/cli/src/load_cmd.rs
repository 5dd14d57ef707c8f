//! `customs load`: a write load on a running platform. Signs a trader in, then creates and
//! submits advance-ruling applications, `--concurrency` at a time, and reports throughput and
//! the latency of a whole submission (both requests).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use serde_json::{Value, json};

use crate::BadInput;

#[derive(clap::Args)]
pub struct LoadArgs {
    /// The platform's base URL.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// A trader's e-mail (submissions).
    #[arg(long, required_unless_present = "vin")]
    email: Option<String>,
    /// Read-load instead: look this VIN up as a partner agency, whose API key is read from
    /// standard input; each look-up is logged and audited, as in production.
    #[arg(long)]
    vin: Option<String>,
    /// Read the password from standard input (the only way: never on the command line).
    #[arg(long)]
    password_stdin: bool,
    /// Submissions to make (each is two requests: create, then submit).
    #[arg(long, default_value_t = 1000)]
    requests: usize,
    /// Submissions in flight at once.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Per-request timeout in seconds.
    #[arg(long, default_value_t = 30)]
    timeout: u64,
    /// Also write the report as JSON here.
    #[arg(long)]
    out: Option<PathBuf>,
}

#[derive(Serialize)]
struct Report {
    url: String,
    submissions: usize,
    concurrency: usize,
    succeeded: usize,
    errors: usize,
    /// Failures by kind: the HTTP status of the failing request, or "transport".
    error_kinds: BTreeMap<String, usize>,
    http_requests: usize,
    seconds: f64,
    submissions_per_second: f64,
    requests_per_second: f64,
    /// Create plus submit, successful submissions only.
    latency_ms: Latency,
}

#[derive(Serialize)]
struct Latency {
    p50: f64,
    p90: f64,
    p99: f64,
    max: f64,
    mean: f64,
}

#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    errors: BTreeMap<String, usize>,
    http_requests: usize,
}

/// Why a submission failed, for the error table.
fn kind(e: &reqwest::Error) -> String {
    match e.status() {
        Some(status) => status.as_u16().to_string(),
        None if e.is_timeout() => "timeout".into(),
        None => "transport".into(),
    }
}

async fn post(
    http: &reqwest::Client,
    url: String,
    token: &str,
    body: Value,
    want: u16,
) -> Result<Value, String> {
    let res = http
        .post(url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .map_err(|e| kind(&e))?;
    let status = res.status().as_u16();
    let body = res.bytes().await.map_err(|e| kind(&e))?;
    if status != want {
        return Err(status.to_string());
    }
    serde_json::from_slice(&body).map_err(|_| "bad json".to_string())
}

/// One agency look-up of a cleared vehicle.
async fn lookup(
    http: &reqwest::Client,
    base: &str,
    key: &str,
    vin: &str,
) -> (usize, Result<(), String>) {
    let res = match http
        .get(format!("{base}/api/v1/vehicles/{vin}"))
        .bearer_auth(key)
        .send()
        .await
    {
        Ok(res) => res,
        Err(e) => return (1, Err(kind(&e))),
    };
    let status = res.status().as_u16();
    let _ = res.bytes().await;
    (
        1,
        if status == 200 {
            Ok(())
        } else {
            Err(status.to_string())
        },
    )
}

/// One submission: (HTTP requests made, outcome).
async fn submission(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    i: usize,
) -> (usize, Result<(), String>) {
    let create = json!({"kind": "advance_ruling", "fields": {
        "goods_description": format!("Dried apricots in 250 g retail bags, lot {i}"),
        "intended_code": "0813.10"}});
    let case = match post(
        http,
        format!("{base}/api/v1/applications"),
        token,
        create,
        201,
    )
    .await
    {
        Ok(case) => case,
        Err(e) => return (1, Err(e)),
    };
    let (Some(id), Some(version)) = (case["id"].as_str(), case["version"].as_i64()) else {
        return (1, Err("bad json".into()));
    };
    let submitted = post(
        http,
        format!("{base}/api/v1/applications/{id}/actions"),
        token,
        json!({"action": "submit", "version": version}),
        200,
    )
    .await;
    (2, submitted.map(|_| ()))
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

pub fn run(args: LoadArgs) -> anyhow::Result<()> {
    if !args.password_stdin {
        return Err(BadInput(
            "give the password (or, with --vin, the agency's API key) on standard input with --password-stdin"
                .into(),
        )
        .into());
    }
    if args.requests == 0 || !(1..=1024).contains(&args.concurrency) {
        return Err(BadInput(
            "--requests must be at least 1 and --concurrency between 1 and 1024".into(),
        )
        .into());
    }
    let base = args.url.trim_end_matches('/').to_string();
    if !(base.starts_with("http://") || base.starts_with("https://")) {
        return Err(BadInput(format!(
            "--url must be http://HOST:PORT, not {:?}",
            args.url
        ))
        .into());
    }
    let mut password = String::new();
    std::io::stdin().read_to_string(&mut password)?;
    let password = password.trim_end_matches(['\n', '\r']).to_string();

    let runtime = tokio::runtime::Runtime::new()?;
    let report = runtime.block_on(async {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(args.timeout))
            .pool_max_idle_per_host(args.concurrency)
            .build()?;
        let token = match &args.vin {
            Some(_) => password.clone(),
            None => {
                let email = args.email.clone().unwrap_or_default();
                let res = http
                    .post(format!("{base}/api/v1/auth/login"))
                    .json(&json!({"email": email, "password": password}))
                    .send()
                    .await
                    .with_context(|| format!("reaching {base}"))?;
                if !res.status().is_success() {
                    let status = res.status();
                    let text = res.text().await.unwrap_or_default();
                    anyhow::bail!("signing in as {email}: {status} {text}");
                }
                let login: Value = res.json().await?;
                login["token"]
                    .as_str()
                    .context("the sign-in answer has no token")?
                    .to_string()
            }
        };
        let vin = args.vin.clone();

        let bar = ProgressBar::new(args.requests as u64).with_style(
            ProgressStyle::with_template(
                "requests [{bar:40}] {pos}/{len} {per_sec} ({elapsed}, eta {eta}) {msg}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        );
        let next = Arc::new(AtomicUsize::new(0));
        let tally = Arc::new(Mutex::new(Tally::default()));
        let started = Instant::now();
        let workers: Vec<_> = (0..args.concurrency.min(args.requests))
            .map(|_| {
                let (http, base, token, vin) =
                    (http.clone(), base.clone(), token.clone(), vin.clone());
                let (next, tally, bar) = (next.clone(), tally.clone(), bar.clone());
                let total = args.requests;
                tokio::spawn(async move {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= total {
                            break;
                        }
                        let t = Instant::now();
                        let (made, outcome) = match &vin {
                            Some(vin) => lookup(&http, &base, &token, vin).await,
                            None => submission(&http, &base, &token, i).await,
                        };
                        let elapsed = t.elapsed();
                        let mut tally = tally.lock().expect("no panics while held");
                        tally.http_requests += made;
                        match outcome {
                            Ok(()) => tally.latencies.push(elapsed),
                            Err(kind) => {
                                *tally.errors.entry(kind).or_default() += 1;
                                let errors: usize = tally.errors.values().sum();
                                bar.set_message(format!("{errors} errors"));
                            }
                        }
                        bar.inc(1);
                    }
                })
            })
            .collect();
        for w in workers {
            w.await?;
        }
        let seconds = started.elapsed().as_secs_f64();
        bar.finish_and_clear();
        let mut tally = std::mem::take(&mut *tally.lock().expect("workers are done"));
        tally.latencies.sort();
        let ok = tally.latencies.len();
        let mean =
            tally.latencies.iter().sum::<Duration>().as_secs_f64() * 1000.0 / ok.max(1) as f64;
        anyhow::Ok(Report {
            url: base.clone(),
            submissions: args.requests,
            concurrency: args.concurrency,
            succeeded: ok,
            errors: tally.errors.values().sum(),
            error_kinds: tally.errors,
            http_requests: tally.http_requests,
            seconds,
            submissions_per_second: ok as f64 / seconds,
            requests_per_second: tally.http_requests as f64 / seconds,
            latency_ms: Latency {
                p50: percentile(&tally.latencies, 0.50),
                p90: percentile(&tally.latencies, 0.90),
                p99: percentile(&tally.latencies, 0.99),
                max: percentile(&tally.latencies, 1.0),
                mean,
            },
        })
    })?;

    let (unit, what) = match args.vin {
        Some(_) => ("look-ups", "one agency read, logged and audited"),
        None => ("submissions", "create + submit"),
    };
    println!(
        "{} of {} {unit} in {:.2} s at concurrency {}: {:.1} {unit}/s, {:.1} requests/s",
        report.succeeded,
        report.submissions,
        report.seconds,
        report.concurrency,
        report.submissions_per_second,
        report.requests_per_second
    );
    let l = &report.latency_ms;
    println!(
        "latency ({what}): p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        l.p50, l.p90, l.p99, l.max
    );
    println!("errors: {} {:?}", report.errors, report.error_kinds);
    if let Some(out) = &args.out {
        if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(out, serde_json::to_string_pretty(&report)?)
            .with_context(|| format!("writing {}", out.display()))?;
        eprintln!("report written to {}", out.display());
    }
    if report.succeeded == 0 {
        anyhow::bail!("no submission succeeded");
    }
    Ok(())
}

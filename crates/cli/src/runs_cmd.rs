//! `customs train --config run.toml`: queue a training run on the platform and run it here
//! with a progress bar (or leave it to a server's worker, `--detach`); `customs worker`: run
//! queued runs in a process of their own, so training never competes with a server's
//! requests for its threads.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use server::platform::training::{RunContext, Training, resolve, work};
use store::runs::NewRun;

use crate::open::{Bars, engine};
use crate::{BadInput, platform_cmd};

fn who() -> String {
    format!(
        "cli:{}",
        std::env::var("USER").unwrap_or_else(|_| "operator".into())
    )
}

/// Shows a run's progress from its events until it has finished; returns its record.
async fn follow(store: &store::Store, id: i64) -> anyhow::Result<store::runs::RunRecord> {
    let bars = Bars::new();
    let mut after = 0;
    loop {
        for e in store.run_events(id, after).await? {
            after = e.seq;
            let body: serde_json::Value = serde_json::from_str(&e.body).unwrap_or_default();
            match e.kind.as_str() {
                "progress" => {
                    let (epoch, step, steps) = (
                        body["epoch"].as_u64().unwrap_or(1),
                        body["step"].as_u64().unwrap_or(0),
                        body["steps"].as_u64().unwrap_or(1),
                    );
                    bars.report(&format!("epoch {epoch}"), step, steps);
                }
                "epoch" => {
                    bars.finish();
                    eprintln!(
                        "epoch {}: loss {:.4}, development top-1 {}",
                        body["epoch"],
                        body["loss"].as_f64().unwrap_or(f64::NAN),
                        body["dev_top1"]
                            .as_f64()
                            .map_or("–".into(), |v| format!("{v:.3}"))
                    );
                }
                "log" => eprintln!("{}", body["message"].as_str().unwrap_or_default()),
                "status" => eprintln!("status: {}", body),
                _ => {}
            }
        }
        let run = store.run(id).await?.context("the run disappeared")?;
        if run.is_finished() {
            bars.finish();
            return Ok(run);
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

fn summary(run: &store::runs::RunRecord) {
    let result: serde_json::Value = run
        .result
        .as_deref()
        .and_then(|r| serde_json::from_str(r).ok())
        .unwrap_or_default();
    println!("run #{}: {}", run.id, run.status);
    if let Some(e) = &run.error {
        println!("  {e}");
    }
    if let Some(model) = result["model"].as_str() {
        println!(
            "  model {model} ({})",
            if result["newly_registered"] == true {
                "registered"
            } else {
                "already registered: the same weights"
            }
        );
        println!(
            "  trained in {:.0} s",
            result["report"]["seconds"].as_f64().unwrap_or(0.0)
        );
        let metrics = &result["metrics"];
        println!(
            "  {:<24} {:>6} {:>7} {:>7} {:>7}",
            "set", "cases", "top-1", "top-10", "MRR"
        );
        for (name, m) in metrics.as_object().into_iter().flatten() {
            if m.get("cases").is_some() {
                println!(
                    "  {:<24} {:>6} {:>7.3} {:>7.3} {:>7.3}",
                    name,
                    m["cases"],
                    m["top1"].as_f64().unwrap_or(0.0),
                    m["top10"].as_f64().unwrap_or(0.0),
                    m["mrr"].as_f64().unwrap_or(0.0)
                );
            }
        }
        println!(
            "  speed p50 {:.1} ms, p99 {:.1} ms",
            metrics["speed"]["p50_ms"].as_f64().unwrap_or(0.0),
            metrics["speed"]["p99_ms"].as_f64().unwrap_or(0.0)
        );
    }
}

pub fn train_config(
    paths: &engine::Paths<'_>,
    url: &str,
    file: &Path,
    detach: bool,
) -> anyhow::Result<()> {
    let text =
        std::fs::read_to_string(file).map_err(|e| BadInput(format!("{}: {e}", file.display())))?;
    let config = platform::RunConfig::from_toml(&text)
        .map_err(|e| BadInput(format!("{}: {e}", file.display())))?;
    let runtime = tokio::runtime::Runtime::new()?;
    let store = runtime.block_on(platform_cmd::open(url))?;
    let spec = runtime
        .block_on(resolve(&store, config))
        .map_err(|e| BadInput(format!("{}: {}", file.display(), platform::ConfigErrors(e))))?;
    let run = runtime.block_on(async {
        let mut tx = store.write().await?;
        let run = tx
            .enqueue_run(&NewRun {
                name: spec.config.name.clone(),
                config: text.clone(),
                spec: serde_json::to_string(&spec)?,
                rerun_of: None,
                created_by: who(),
            })
            .await?;
        tx.commit().await?;
        anyhow::Ok(run)
    })?;
    eprintln!("run #{} queued", run.id);
    if detach {
        println!("{}", run.id);
        return Ok(());
    }
    let engine = engine(paths)?;
    let training = Training::new(paths.state.0.clone(), engine.classifier.clone(), true);
    let ctx = RunContext {
        base: engine.classifier.clone(),
        data_dir: paths.data_dir.to_path_buf(),
    };
    let finished = runtime.block_on(async {
        let store = Arc::new(store);
        let follower = {
            let store = store.clone();
            tokio::spawn(async move { follow(&store, run.id).await })
        };
        // A server's worker may have claimed it first: then this only follows.
        work(&store, &training, &ctx, Some(run.id)).await?;
        follower.await?
    })?;
    summary(&finished);
    if finished.status != "succeeded" {
        anyhow::bail!("run #{} {}", finished.id, finished.status);
    }
    Ok(())
}

/// Runs queued runs until none is left, then waits for more (until interrupted).
pub fn worker(paths: &engine::Paths<'_>, url: &str, once: bool) -> anyhow::Result<()> {
    let engine = engine(paths)?;
    let training = Training::new(paths.state.0.clone(), engine.classifier.clone(), true);
    let ctx = RunContext {
        base: engine.classifier.clone(),
        data_dir: paths.data_dir.to_path_buf(),
    };
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let store = platform_cmd::open(url).await?;
        eprintln!("worker {} waiting for runs", training.worker);
        loop {
            for id in work(&store, &training, &ctx, None).await? {
                if let Some(run) = store.run(id).await? {
                    summary(&run);
                }
            }
            if once {
                return Ok(());
            }
            tokio::time::sleep(training.poll).await;
        }
    })
}

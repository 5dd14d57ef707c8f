//! The training worker and model switching.
//!
//! The worker claims queued runs one at a time, trains each on a low-priority thread pool
//! (serving comes first), writes its events as it goes, beats its heartbeat, and registers
//! the model version it made. A run it finds whose worker stopped beating resumes from that
//! run's checkpoint (the store requeues it).
//!
//! Model switching follows the store's serving row: on promotion or rollback here, and on a
//! poll for changes made by another instance. The new classifier is built beside the old one
//! and swapped whole, so no request fails or mixes two models.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use classify::Classifier;
use engine::runs::{DatasetRows, LabelledCase, RunEnd, RunHooks, RunInputs};
use platform::{ConfigProblem, EvalSet, RunConfig};
use serde::{Deserialize, Serialize};
use serde_json::json;
use store::models::{CaseRow, ModelRecord};
use store::runs::{Ending, RunRecord};
use tokio::sync::mpsc;

use super::Platform;
use crate::AppState;

/// How training runs and model switching are set up on this instance.
pub struct Training {
    /// The state directory: runs' checkpoints under `runs/`, model versions under
    /// `models/registry/`.
    pub state_dir: PathBuf,
    /// This worker's name in the queue (host and process).
    pub worker: String,
    /// A run whose heartbeat is older than this is taken over.
    pub lease: Duration,
    pub heartbeat: Duration,
    /// How often the queue and the serving row are polled.
    pub poll: Duration,
    /// Threads a run trains on (at low priority).
    pub threads: usize,
    /// Whether this instance trains (private) or only follows promotions (public).
    pub trains: bool,
    /// What serves when no registered version does: the classifier start-up built.
    installed: Arc<Classifier>,
    /// The registered version serving here (`None`: the installed one); held while swapping.
    serving: tokio::sync::Mutex<Option<String>>,
}

impl Training {
    pub fn new(state_dir: PathBuf, installed: Arc<Classifier>, trains: bool) -> Training {
        let host = std::fs::read_to_string("/etc/hostname")
            .map(|h| h.trim().to_string())
            .unwrap_or_else(|_| "host".into());
        Training {
            state_dir,
            worker: format!("{host}-{}", std::process::id()),
            lease: Duration::from_secs(120),
            heartbeat: Duration::from_secs(10),
            poll: Duration::from_secs(2),
            threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
            trains,
            installed,
            serving: tokio::sync::Mutex::new(None),
        }
    }

    pub fn registry(&self) -> PathBuf {
        self.state_dir.join("models").join("registry")
    }

    pub fn run_dir(&self, id: i64) -> PathBuf {
        self.state_dir.join("runs").join(format!("run-{id}"))
    }

    /// The machine's training lock: held by whichever process trains now (a server's worker,
    /// `customs worker`, `customs train --config`), so one machine runs one run at a time.
    /// `None` while another process holds it.
    pub fn machine_lock(&self) -> Option<std::fs::File> {
        let dir = self.state_dir.join("runs");
        std::fs::create_dir_all(&dir).ok()?;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(".training.lock"))
            .ok()?;
        file.try_lock().ok()?;
        Some(file)
    }

    /// Whether `worker` was a process of this machine that no longer runs.
    pub fn is_gone(&self, worker: &str) -> bool {
        let Some((host, pid)) = worker.rsplit_once('-') else {
            return false;
        };
        let mine = self.worker.rsplit_once('-').map(|(h, _)| h);
        mine == Some(host)
            && pid.parse::<u32>().is_ok_and(|pid| {
                pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists()
            })
    }

    /// A registered version as a classifier over the installed legs.
    pub fn classifier_for(&self, record: &ModelRecord) -> anyhow::Result<Classifier> {
        let dir = self.state_dir.join(&record.dir);
        Ok(engine::runs::classifier_for(&self.installed, &dir)?.0)
    }

    /// The registered version serving on this instance now.
    pub async fn serving_version(&self) -> Option<String> {
        self.serving.lock().await.clone()
    }
}

/// What a queued run is: the config and the exact data set versions it resolved to.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunSpec {
    pub config: RunConfig,
    pub datasets: Vec<ResolvedDataset>,
    /// "dataset:…" evaluation sets with the version each resolved to.
    pub eval_datasets: Vec<(String, ResolvedDataset)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResolvedDataset {
    pub name: String,
    pub version: i64,
    pub sha256: String,
}

/// Resolves a config's data set names to versions; a missing one is named.
pub async fn resolve(
    store: &store::Store,
    mut config: RunConfig,
) -> Result<RunSpec, Vec<ConfigProblem>> {
    let mut errors = Vec::new();
    // "datasets" stands for every data set's newest version, fixed now.
    if config
        .evaluate
        .sets
        .iter()
        .any(|s| s == platform::runs::ALL_DATASETS)
    {
        let all = store.datasets().await.map_err(|e| {
            vec![ConfigProblem::Lookup {
                field: "evaluate.sets",
                error: e.to_string(),
            }]
        })?;
        let mut sets: Vec<String> = Vec::new();
        for s in std::mem::take(&mut config.evaluate.sets) {
            if s == platform::runs::ALL_DATASETS {
                sets.extend(
                    all.iter()
                        .map(|d| format!("dataset:{}@{}", d.name, d.latest.version)),
                );
            } else if !sets.contains(&s) {
                sets.push(s);
            }
        }
        sets.dedup();
        config.evaluate.sets = sets;
    }
    let mut lookup =
        async |r: &platform::DatasetRef, field: &'static str| -> Option<ResolvedDataset> {
            match store.dataset_version(&r.name, r.version).await {
                Ok(Some(v)) => Some(ResolvedDataset {
                    name: v.meta.name,
                    version: v.meta.version,
                    sha256: v.meta.sha256,
                }),
                Ok(None) => {
                    errors.push(ConfigProblem::NoSuchVersion {
                        field,
                        reference: r.to_string(),
                    });
                    None
                }
                Err(e) => {
                    errors.push(ConfigProblem::Lookup {
                        field,
                        error: e.to_string(),
                    });
                    None
                }
            }
        };
    let mut datasets = Vec::new();
    for r in config.dataset_refs().map_err(|e| e.0.clone())? {
        if let Some(d) = lookup(&r, "data.datasets").await {
            datasets.push(d);
        }
    }
    let mut eval_datasets = Vec::new();
    for (set, name) in config
        .eval_sets()
        .map_err(|e| e.0.clone())?
        .into_iter()
        .zip(&config.evaluate.sets)
    {
        if let EvalSet::Dataset(r) = set
            && let Some(d) = lookup(&r, "evaluate.sets").await
        {
            eval_datasets.push((name.clone(), d));
        }
    }
    if errors.is_empty() {
        Ok(RunSpec {
            config,
            datasets,
            eval_datasets,
        })
    } else {
        Err(errors)
    }
}

async fn dataset_cases(
    store: &store::Store,
    d: &ResolvedDataset,
    split: Option<&str>,
) -> anyhow::Result<Vec<LabelledCase>> {
    Ok(store
        .dataset_rows(&d.name, d.version, split)
        .await?
        .into_iter()
        .map(|r| LabelledCase {
            id: r.id,
            text: r.text,
            code: r.code,
            source: if r.source.is_empty() {
                d.name.clone()
            } else {
                r.source
            },
            split: r.split,
        })
        .collect())
}

enum Message {
    Progress(usize, usize, usize, f32),
    Epoch(head::EpochReport),
    Log(String),
}

/// What a run trains over besides its data: the legs of the classifier that serves (the run
/// replaces only the head and the fusion) and the data directory.
pub struct RunContext {
    pub base: Arc<Classifier>,
    pub data_dir: PathBuf,
}

/// Claims and runs queued training runs, one at a time, until the process ends; between
/// runs, follows promotions made elsewhere.
pub async fn run_worker(state: AppState, platform: Arc<Platform>, training: Arc<Training>) {
    // Runs this machine's earlier processes left running (a restart, a crash) resume now,
    // not a lease later.
    if training.trains {
        let actor = format!("worker:{}", training.worker);
        match platform
            .store
            .requeue_orphans(&actor, &|w| training.is_gone(w))
            .await
        {
            Ok(ids) if !ids.is_empty() => {
                tracing::info!(runs = ?ids, "resuming runs left by a stopped process")
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "could not look for runs left running"),
        }
    }
    loop {
        if let Err(e) = sync_serving(&state, &platform, &training).await {
            tracing::warn!(error = %e, "could not follow the serving model");
        }
        let lock = if training.trains {
            training.machine_lock()
        } else {
            None
        };
        if lock.is_some() {
            match platform
                .store
                .claim_run(&training.worker, training.lease)
                .await
            {
                Ok(Some(run)) => {
                    let id = run.id;
                    let ctx = RunContext {
                        base: state.classifier.current(),
                        data_dir: state.data_dir.clone(),
                    };
                    if let Err(e) = execute(&platform.store, &training, ctx, run).await {
                        tracing::error!(run = id, error = %e, "the run could not be recorded");
                    }
                    continue;
                }
                Ok(None) => {}
                Err(e) => tracing::warn!(error = %e, "could not read the training queue"),
            }
        }
        drop(lock);
        tokio::time::sleep(training.poll).await;
    }
}

async fn event(store: &store::Store, id: i64, kind: &str, body: serde_json::Value) {
    if let Err(e) = store.add_run_event(id, kind, &body.to_string()).await {
        tracing::warn!(run = id, error = %e, "could not record a run event");
    }
}

/// Runs queued runs on this process, without a server (`customs worker`, and `customs train
/// --config` for the run it queued): `only` picks one run, else every queued run in turn
/// until none is left. Returns the runs it finished.
pub async fn work(
    store: &store::Store,
    training: &Training,
    ctx: &RunContext,
    only: Option<i64>,
) -> anyhow::Result<Vec<i64>> {
    let mut done = Vec::new();
    loop {
        // Another process of this machine is training: the run waits its turn.
        let Some(_lock) = training.machine_lock() else {
            return Ok(done);
        };
        let claimed = match only {
            Some(id) => {
                store
                    .claim_run_id(id, &training.worker, training.lease)
                    .await?
            }
            None => store.claim_run(&training.worker, training.lease).await?,
        };
        let Some(run) = claimed else {
            return Ok(done);
        };
        let id = run.id;
        let ctx = RunContext {
            base: ctx.base.clone(),
            data_dir: ctx.data_dir.clone(),
        };
        execute(store, training, ctx, run).await?;
        done.push(id);
        if only.is_some() {
            return Ok(done);
        }
    }
}

/// Runs one claimed run to its end and records how it ended.
async fn execute(
    store: &store::Store,
    training: &Training,
    ctx: RunContext,
    run: RunRecord,
) -> anyhow::Result<()> {
    let id = run.id;
    let worker = training.worker.clone();
    let fail = async |why: String| -> anyhow::Result<()> {
        event(
            store,
            id,
            "status",
            json!({"status": "failed", "error": why}),
        )
        .await;
        store
            .finish_run(id, &worker, Ending::Failed, Some(&why), None)
            .await?;
        Ok(())
    };
    let spec: RunSpec = match serde_json::from_str(&run.spec) {
        Ok(s) => s,
        Err(e) => return fail(format!("the run's stored spec cannot be read: {e}")).await,
    };
    let mut datasets = Vec::new();
    for d in &spec.datasets {
        match dataset_cases(store, d, None).await {
            Ok(rows) => datasets.push(DatasetRows {
                name: d.name.clone(),
                version: d.version,
                rows,
            }),
            Err(e) => return fail(format!("reading {}@{}: {e}", d.name, d.version)).await,
        }
    }
    let mut dataset_eval = Vec::new();
    for (name, d) in &spec.eval_datasets {
        match dataset_cases(store, d, Some("test")).await {
            Ok(rows) => dataset_eval.push((name.clone(), rows)),
            Err(e) => return fail(format!("reading {}@{}: {e}", d.name, d.version)).await,
        }
    }
    let base = ctx.base;
    let environment = engine::runs::environment(&base);
    store
        .set_run_environment(id, &environment.to_string())
        .await?;
    let status = if run.attempts > 1 {
        json!({"status": "resumed", "attempt": run.attempts, "checkpoint_epoch": run.checkpoint_epoch, "worker": worker})
    } else {
        json!({"status": "started", "worker": worker})
    };
    event(store, id, "status", status).await;

    let (tx, mut rx) = mpsc::unbounded_channel::<Message>();
    let stop = Arc::new(AtomicBool::new(false));
    let (done_tx, done_rx) = tokio::sync::oneshot::channel();
    let thread = {
        let stop = stop.clone();
        let config = spec.config.clone();
        let data_dir = ctx.data_dir.clone();
        let run_dir = training.run_dir(id);
        let registry = training.registry();
        let threads = training.threads;
        std::thread::Builder::new()
            .name(format!("run-{id}"))
            .spawn(move || {
                engine::runs::lower_priority();
                let hooks_tx = tx.clone();
                let progress = |e, s, n, l| {
                    let _ = hooks_tx.send(Message::Progress(e, s, n, l));
                };
                let epoch = |r: &head::EpochReport| {
                    let _ = hooks_tx.send(Message::Epoch(r.clone()));
                };
                let log = |m: &str| {
                    let _ = hooks_tx.send(Message::Log(m.to_string()));
                };
                let stopped = || stop.load(Ordering::Relaxed);
                let inputs = RunInputs {
                    config: &config,
                    datasets: &datasets,
                    dataset_eval: &dataset_eval,
                    base: &base,
                    data_dir: &data_dir,
                    run_dir: &run_dir,
                    registry: &registry,
                };
                let hooks = RunHooks {
                    progress: &progress,
                    epoch: &epoch,
                    log: &log,
                    stop: &stopped,
                };
                let result = match engine::runs::background_pool(threads) {
                    Ok(pool) => pool.install(|| engine::runs::execute(&inputs, &hooks)),
                    Err(e) => Err(e),
                };
                drop(tx);
                let _ = done_tx.send(result);
            })?
    };
    let mut beat = tokio::time::interval(training.heartbeat);
    let mut last_progress: Option<Instant> = None;
    loop {
        tokio::select! {
            msg = rx.recv() => match msg {
                Some(Message::Progress(epoch, step, steps, loss)) => {
                    if last_progress.is_none_or(|t| t.elapsed() >= Duration::from_secs(1)) || step == steps {
                        last_progress = Some(Instant::now());
                        event(store, id, "progress", json!({"epoch": epoch, "step": step, "steps": steps, "loss": loss})).await;
                    }
                }
                Some(Message::Epoch(r)) => {
                    event(store, id, "epoch", serde_json::to_value(&r)?).await;
                    store.set_checkpoint(id, r.epoch as i64).await?;
                }
                Some(Message::Log(m)) => event(store, id, "log", json!({"message": m})).await,
                None => break,
            },
            _ = beat.tick() => {
                if !store.heartbeat(id, &worker).await.unwrap_or(true) {
                    stop.store(true, Ordering::Relaxed);
                }
            }
        }
    }
    let _ = tokio::task::spawn_blocking(move || thread.join()).await;
    let result = done_rx
        .await
        .unwrap_or_else(|_| Err(anyhow::anyhow!("the training thread panicked")));
    match result {
        Ok(RunEnd::Done(outcome)) => {
            let record = ModelRecord {
                version: outcome.version.clone(),
                run_id: id,
                dir: outcome
                    .dir
                    .strip_prefix(&training.state_dir)
                    .unwrap_or(&outcome.dir)
                    .display()
                    .to_string(),
                trained_for: outcome.trained_for.clone(),
                metrics: outcome.metrics.to_string(),
                status: String::new(),
                proposed_by: None,
                proposed_at: None,
                proposal_note: None,
                approved_by: None,
                approved_at: None,
                created_at: String::new(),
            };
            let cases: Vec<CaseRow> = outcome
                .cases
                .iter()
                .map(|(set, c)| CaseRow {
                    eval_set: set.clone(),
                    case_id: c.case_id.clone(),
                    text: c.text.clone(),
                    gold: c.gold.clone(),
                    source: c.source.clone(),
                    predicted: c.predicted.clone(),
                    gold_rank: c.gold_rank as i64,
                    confidence: c.confidence,
                })
                .collect();
            // A rerun that made the very same weights finds its version registered already.
            let registered = if store.model(&record.version).await?.is_some() {
                false
            } else {
                let mut tx = store.write().await?;
                tx.register_model(&record, &cases).await?;
                tx.commit().await?;
                true
            };
            let result = json!({
                "model": outcome.version,
                "newly_registered": registered,
                "resumed_after_epoch": outcome.resumed_after,
                "report": outcome.report,
                "metrics": outcome.metrics,
            });
            event(
                store,
                id,
                "status",
                json!({"status": "succeeded", "model": outcome.version}),
            )
            .await;
            store
                .finish_run(
                    id,
                    &worker,
                    Ending::Succeeded,
                    None,
                    Some(&result.to_string()),
                )
                .await?;
            let _ = std::fs::remove_dir_all(training.run_dir(id).join("checkpoint"));
        }
        Ok(RunEnd::Stopped { epochs_done }) => {
            let cancelled = store.run(id).await?.is_some_and(|r| r.cancel_requested);
            if cancelled {
                event(
                    store,
                    id,
                    "status",
                    json!({"status": "cancelled", "epochs_done": epochs_done}),
                )
                .await;
                store
                    .finish_run(id, &worker, Ending::Cancelled, Some("cancelled"), None)
                    .await?;
            }
            // Otherwise another worker took it over: it resumes from the checkpoint.
        }
        Err(e) => fail(format!("{e:#}")).await?,
    }
    Ok(())
}

/// Serves what the store says serves, if this instance does not already.
pub async fn sync_serving(
    state: &AppState,
    platform: &Platform,
    training: &Training,
) -> anyhow::Result<()> {
    let wanted = platform.store.serving().await?.version;
    let mut serving = training.serving.lock().await;
    if *serving == wanted {
        return Ok(());
    }
    let next = match &wanted {
        Some(version) => {
            let record = platform.store.model(version).await?.ok_or_else(|| {
                anyhow::anyhow!("the serving version {version} is not registered")
            })?;
            let dir = training.state_dir.join(&record.dir);
            let installed = training.installed.clone();
            let (classifier, _) =
                tokio::task::spawn_blocking(move || engine::runs::classifier_for(&installed, &dir))
                    .await??;
            Arc::new(classifier)
        }
        None => training.installed.clone(),
    };
    if let Some(leg) = &state.chinese {
        leg.swap_head(next.head().cloned(), classify::zh::ZH_HEAD_WEIGHT);
    }
    state.classifier.swap(next);
    tracing::info!(model = %state.classifier.model_version(), "now serving");
    *serving = wanted;
    Ok(())
}

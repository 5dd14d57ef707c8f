//! One training run, start to end: the recipe's rows plus the run's data sets, the head
//! trained with a checkpoint each epoch, the fusion tuned for it, every evaluation set
//! measured case by case, and the model version's files written where the registry and
//! promotion find them. The queue, the events and the registry rows are the caller's.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use classify::trained::{Recipe, dev_rows, label_space, training_rows};
use classify::{Classifier, Fusion};
use corpus::Split;
use head::{EpochReport, Head, TrainConfig, TrainReport, TrainRow};
use nomenclature::HsCode;
use platform::{CaseResult, EvalSet, RunConfig};
use serde_json::json;

/// The fusion file beside a registered head.
pub const FUSION_FILE: &str = "fusion.json";
/// The measurements beside a registered head.
pub const METRICS_FILE: &str = "metrics.json";
/// The labelled set kept apart for evaluation only (its PROVENANCE calls it too small to
/// train on).
const CBP_SET: &str = "us-cbp-cross-ny-sample";

/// A labelled row of a platform data set, with the split its text's key gave it.
#[derive(Debug, Clone)]
pub struct LabelledCase {
    pub id: String,
    pub text: String,
    pub code: String,
    pub source: String,
    pub split: String,
}

/// The rows of one data set version a run learns from.
#[derive(Debug, Clone)]
pub struct DatasetRows {
    pub name: String,
    pub version: i64,
    pub rows: Vec<LabelledCase>,
}

pub struct RunInputs<'a> {
    pub config: &'a RunConfig,
    pub datasets: &'a [DatasetRows],
    /// The "dataset:…" evaluation sets, resolved by the caller: (name as configured, cases).
    pub dataset_eval: &'a [(String, Vec<LabelledCase>)],
    /// The serving classifier: its corpus, encoder and lexical legs are reused.
    pub base: &'a Classifier,
    pub data_dir: &'a Path,
    /// The run's own folder: its checkpoint lives here.
    pub run_dir: &'a Path,
    /// Where model versions are written, one folder each.
    pub registry: &'a Path,
}

pub struct RunHooks<'a> {
    /// (epoch, step, steps per epoch, loss).
    pub progress: &'a (dyn Fn(usize, usize, usize, f32) + Sync),
    pub epoch: &'a (dyn Fn(&EpochReport) + Sync),
    pub log: &'a (dyn Fn(&str) + Sync),
    pub stop: &'a (dyn Fn() -> bool + Sync),
}

pub struct RunOutcome {
    pub version: String,
    pub dir: PathBuf,
    pub trained_for: String,
    pub report: TrainReport,
    pub resumed_after: usize,
    /// Per evaluation set (cases, top-1/5/10, MRR), speed and memory.
    pub metrics: serde_json::Value,
    /// (evaluation set, how the model answered each case).
    pub cases: Vec<(String, CaseResult)>,
}

pub enum RunEnd {
    Done(Box<RunOutcome>),
    Stopped { epochs_done: usize },
}

/// The config's recipe in the classifier's terms.
pub fn recipe(config: &RunConfig) -> Recipe {
    let t = &config.train;
    let r = &config.recipe;
    Recipe {
        config: TrainConfig {
            seed: config.seed,
            epochs: t.epochs,
            batch: t.batch,
            learning_rate: t.learning_rate,
            weight_decay: t.weight_decay,
            hidden: t.hidden,
            bag: t.bag,
            buckets: t.buckets,
            dropout: t.dropout,
            embedding_dropout: t.embedding_dropout,
            ..TrainConfig::default()
        },
        labelled: if config.data.shared_labelled {
            r.labelled
        } else {
            0.0
        },
        tariff: r.tariff,
        extra_national: r.extra_national,
        chinese: r.chinese,
        extra_national_per_subheading: r.extra_national_per_subheading,
    }
}

fn six_digits(code: &str) -> Option<HsCode> {
    let digits: String = code.chars().filter(char::is_ascii_digit).take(6).collect();
    HsCode::parse(&digits)
        .ok()
        .filter(|c| c.as_str().len() == 6)
}

/// Rows of the run's data sets in one split, with their embeddings when the encoder is
/// there; rows whose subheading the corpus lacks are counted, not used.
fn dataset_rows(
    inputs: &RunInputs<'_>,
    split: &str,
    weight: f32,
    log: &(dyn Fn(&str) + Sync),
) -> anyhow::Result<Vec<TrainRow>> {
    let labels = label_space(inputs.base.corpus());
    let mut out = Vec::new();
    for set in inputs.datasets {
        let picked: Vec<(&LabelledCase, usize)> = set
            .rows
            .iter()
            .filter(|r| r.split == split)
            .filter_map(|r| Some((r, labels.position(&six_digits(&r.code)?)?)))
            .collect();
        let in_split = set.rows.iter().filter(|r| r.split == split).count();
        if picked.len() < in_split {
            log(&format!(
                "{}@{}: {} {split} rows name a subheading the corpus does not have; left out",
                set.name,
                set.version,
                in_split - picked.len()
            ));
        }
        let embeddings = match inputs.base.semantic() {
            Some(s) if !picked.is_empty() => {
                let texts: Vec<&str> = picked.iter().map(|(r, _)| r.text.as_str()).collect();
                Some(
                    s.encoder
                        .encode(&texts)
                        .context("embedding the data set's rows")?,
                )
            }
            _ => None,
        };
        for (i, (r, leaf)) in picked.iter().enumerate() {
            out.push(TrainRow {
                text: r.text.clone(),
                leaf: *leaf,
                embedding: embeddings.as_ref().map(|e| e[i].clone()),
                weight,
                source: format!("dataset:{}", set.name),
            });
        }
    }
    Ok(out)
}

/// The cases of one evaluation set, at most `max` (spread evenly over the set).
fn eval_cases(
    inputs: &RunInputs<'_>,
    set: &EvalSet,
    name: &str,
) -> anyhow::Result<Vec<LabelledCase>> {
    let corpus = inputs.base.corpus();
    let from_split = |split: Split| -> Vec<LabelledCase> {
        corpus
            .labelled
            .split(split)
            .map(|e| LabelledCase {
                id: e.id.clone(),
                text: e.text.clone(),
                code: e.code.to_string(),
                source: e.source.clone(),
                split: split.as_str().to_string(),
            })
            .collect()
    };
    let all = match set {
        EvalSet::Builtin(b) if b == "development" => from_split(Split::Dev),
        EvalSet::Builtin(b) if b == "test" => from_split(Split::Test),
        EvalSet::Builtin(_) => match corpus::read_labelled_rows(inputs.data_dir, CBP_SET)? {
            Some((rows, _)) => rows
                .into_iter()
                .map(|r| LabelledCase {
                    id: r.id,
                    text: r.description,
                    code: r.code,
                    source: CBP_SET.to_string(),
                    split: "test".into(),
                })
                .collect(),
            None => Vec::new(),
        },
        EvalSet::AllDatasets => {
            anyhow::bail!("\"datasets\" was not expanded when the run was queued")
        }
        EvalSet::Dataset(_) => inputs
            .dataset_eval
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c.clone())
            .with_context(|| format!("the evaluation set {name} was not resolved"))?,
    };
    Ok(match inputs.config.evaluate.max_cases {
        Some(max) if all.len() > max => {
            let step = all.len() as f64 / max as f64;
            (0..max)
                .map(|i| all[(i as f64 * step) as usize].clone())
                .collect()
        }
        _ => all,
    })
}

/// The current resident memory of this process, in MiB (Linux; 0 elsewhere).
pub fn resident_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((q * (sorted.len() - 1) as f64).round()) as usize]
}

/// Measures `classifier` on every configured set: per-case answers and summary figures.
fn evaluate(
    inputs: &RunInputs<'_>,
    classifier: &Classifier,
    log: &(dyn Fn(&str) + Sync),
) -> anyhow::Result<(serde_json::Value, Vec<(String, CaseResult)>)> {
    let sets = inputs.config.eval_sets().map_err(anyhow::Error::msg)?;
    let mut metrics = serde_json::Map::new();
    let mut cases = Vec::new();
    let mut latencies = Vec::new();
    for (set, name) in sets.iter().zip(&inputs.config.evaluate.sets) {
        let picked = eval_cases(inputs, set, name)?;
        let (mut top1, mut top5, mut top10, mut rr, mut n) = (0, 0, 0, 0.0, 0usize);
        for c in &picked {
            let Some(gold) = six_digits(&c.code) else {
                continue;
            };
            let started = Instant::now();
            let answer = classifier.classify(&c.text, 10);
            latencies.push(started.elapsed().as_secs_f64() * 1000.0);
            let rank = answer
                .candidates
                .iter()
                .position(|k| k.code == gold)
                .map_or(0, |p| p + 1);
            n += 1;
            top1 += (rank == 1) as usize;
            top5 += (1..=5).contains(&rank) as usize;
            top10 += (rank >= 1) as usize;
            rr += if rank > 0 { 1.0 / rank as f64 } else { 0.0 };
            let first = answer.candidates.first();
            cases.push((
                name.clone(),
                CaseResult {
                    case_id: c.id.clone(),
                    text: c.text.clone(),
                    gold: gold.to_string(),
                    source: c.source.clone(),
                    predicted: first.map(|k| k.code.to_string()).unwrap_or_default(),
                    gold_rank: rank as u32,
                    confidence: first.map_or(0.0, |k| k.probability as f64),
                },
            ));
        }
        let share = |k: usize| k as f64 / n.max(1) as f64;
        log(&format!(
            "{name}: {n} cases, top-1 {:.3}, top-10 {:.3}",
            share(top1),
            share(top10)
        ));
        metrics.insert(
            name.clone(),
            json!({"cases": n, "top1": share(top1), "top5": share(top5), "top10": share(top10), "mrr": rr / n.max(1) as f64}),
        );
    }
    latencies.sort_by(f64::total_cmp);
    metrics.insert(
        "speed".into(),
        json!({"classifications": latencies.len(), "p50_ms": percentile(&latencies, 0.5), "p99_ms": percentile(&latencies, 0.99)}),
    );
    Ok((serde_json::Value::Object(metrics), cases))
}

/// Runs a training run to its end (or until `hooks.stop`), resuming from the checkpoint in
/// `inputs.run_dir` when there is one for the same config and rows.
pub fn execute(inputs: &RunInputs<'_>, hooks: &RunHooks<'_>) -> anyhow::Result<RunEnd> {
    let config = inputs.config;
    config.check().map_err(anyhow::Error::msg)?;
    let base = inputs.base;
    let corpus = base.corpus();
    let semantic = base.semantic();
    let recipe = recipe(config);
    let chinese = if recipe.chinese > 0.0 {
        crate::chinese_pairs(inputs.data_dir, base.nomenclature())?
    } else {
        Vec::new()
    };
    let mut rows: Vec<TrainRow> = training_rows(corpus, semantic, &chinese, &recipe)
        .into_iter()
        .filter(|r| r.weight > 0.0)
        .collect();
    rows.extend(dataset_rows(
        inputs,
        "train",
        config.recipe.labelled,
        hooks.log,
    )?);
    let mut dev = dev_rows(corpus, semantic);
    dev.extend(dataset_rows(inputs, "dev", 1.0, hooks.log)?);
    (hooks.log)(&format!(
        "{} training rows, {} development rows, {} subheadings",
        rows.len(),
        dev.len(),
        corpus.docs.len()
    ));
    let dim = semantic.map_or(0, |s| s.encoder.dim());
    let progress = |p: head::TrainProgress| (hooks.progress)(p.epoch, p.step, p.steps, p.loss);
    let outcome = head::train_with(
        label_space(corpus),
        &rows,
        &dev,
        dim,
        &recipe.config,
        head::Hooks {
            progress: &progress,
            epoch: hooks.epoch,
            stop: hooks.stop,
            checkpoint: Some(&inputs.run_dir.join("checkpoint")),
        },
    )
    .context("training the head")?;
    let (mut trained, report, resumed_after) = match outcome {
        head::Outcome::Done {
            head,
            report,
            resumed_after,
        } => (head, report, resumed_after),
        head::Outcome::Stopped { epochs_done } => return Ok(RunEnd::Stopped { epochs_done }),
    };
    trained.set_trained_for(&corpus.manifest.version);
    if let Some(s) = semantic {
        trained.set_encoder(s.encoder.version());
    }
    let staging = inputs.registry.join(format!(
        ".staging-{}",
        inputs
            .run_dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("run")
    ));
    let _ = std::fs::remove_dir_all(&staging);
    let version = trained.save(&staging).context("saving the head")?;
    let head = Arc::new(*trained);

    (hooks.log)("tuning the fusion on the development split");
    let mut classifier = base
        .with_model(Some(head.clone()), Fusion::untuned(&base.legs_with_head()))
        .map_err(anyhow::Error::msg)?;
    classifier.tune_on(config.evaluate.max_cases);
    std::fs::write(
        staging.join(FUSION_FILE),
        serde_json::to_vec_pretty(classifier.fusion())?,
    )?;
    (hooks.log)("evaluating");
    let (mut metrics, cases) = evaluate(inputs, &classifier, hooks.log)?;
    let head_bytes = std::fs::metadata(staging.join(head::WEIGHTS_FILE)).map_or(0, |m| m.len());
    metrics["memory"] = json!({"resident_mib": resident_mib(), "head_file_mib": head_bytes as f64 / (1024.0 * 1024.0)});
    metrics["training"] = json!({
        "seconds": report.seconds,
        "rows": report.rows,
        "rows_by_source": report.rows_by_source,
        "dev_top1": report.epochs.last().and_then(|e| e.dev_top1),
    });
    std::fs::write(
        staging.join(METRICS_FILE),
        serde_json::to_vec_pretty(&metrics)?,
    )?;
    // The same weights (a rerun) land in the same folder: the first copy stays.
    let dir = inputs.registry.join(&version);
    if dir.is_dir() {
        std::fs::remove_dir_all(&staging)?;
    } else {
        std::fs::rename(&staging, &dir)
            .with_context(|| format!("moving the model into {}", dir.display()))?;
    }
    Ok(RunEnd::Done(Box::new(RunOutcome {
        version,
        dir,
        trained_for: corpus.manifest.version.clone(),
        report,
        resumed_after,
        metrics,
        cases,
    })))
}

/// A registered model version as the classifier to serve: `base`'s legs with the version's
/// head and fusion. The head must fit the corpus `base` serves.
pub fn classifier_for(base: &Classifier, dir: &Path) -> anyhow::Result<(Classifier, Arc<Head>)> {
    let head = Arc::new(Head::load(dir).with_context(|| format!("loading {}", dir.display()))?);
    if head.meta().trained_for != base.corpus().manifest.version {
        anyhow::bail!(
            "{} was trained for corpus {}; this server runs corpus {}",
            head.meta().version,
            head.meta().trained_for,
            base.corpus().manifest.version
        );
    }
    let fusion: Fusion = serde_json::from_slice(
        &std::fs::read(dir.join(FUSION_FILE))
            .with_context(|| format!("reading {}", dir.join(FUSION_FILE).display()))?,
    )?;
    let classifier = base
        .with_model(Some(head.clone()), fusion)
        .map_err(anyhow::Error::msg)?;
    Ok((classifier, head))
}

/// A pool for training at low priority: its threads are niced, so the candle maths of a
/// run inside [`rayon::ThreadPool::install`] yields to requests being served.
pub fn background_pool(threads: usize) -> anyhow::Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .thread_name(|i| format!("training-{i}"))
        .start_handler(|_| lower_priority())
        .build()
        .context("starting the training threads")
}

/// Lowers the calling thread's scheduling priority (nice 10 on Linux; a no-op elsewhere).
pub fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority on the calling thread's id only changes that thread's nice value.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, tid, 10);
    }
}

/// What reproduces a run beside its config: the code revision and library versions this
/// binary was built from, and the corpus and encoder it read.
pub fn environment(base: &Classifier) -> serde_json::Value {
    json!({
        "code_revision": env!("CUSTOMS_GIT_REVISION"),
        "libraries": env!("CUSTOMS_LIBRARY_VERSIONS"),
        "corpus_version": base.corpus().manifest.version,
        "encoder": base.semantic().map(|_| encoder::MODEL_NAME),
        "rustc_target": std::env::consts::ARCH,
    })
}

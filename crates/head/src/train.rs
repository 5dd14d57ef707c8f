//! Training: seeded AdamW over shuffled mini-batches, a linearly decaying learning rate, dropout
//! on the hidden layer and on the sentence embedding, a loss on all three levels of the tree.
//! The same rows, config and seed give the same weights.

use std::collections::BTreeMap;
use std::time::Instant;

use std::path::Path;

use candle_core::{Device, Tensor};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::checkpoint;
use crate::head::{Head, HeadMeta};
use crate::net::{Batch, Dims, Net, dropout_mask, log_softmax};
use crate::optim::{AdamParams, AdamW};
use crate::{Featurizer, HeadError, LabelSpace};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrainConfig {
    pub seed: u64,
    pub epochs: usize,
    pub batch: usize,
    pub learning_rate: f64,
    pub weight_decay: f64,
    pub hidden: usize,
    /// Width of each n-gram's embedding.
    pub bag: usize,
    /// Hash slots for n-grams (memory: buckets × bag × 4 bytes).
    pub buckets: u32,
    pub dropout: f32,
    /// Chance that a row's sentence embedding is hidden for an epoch, so that the head also
    /// answers from n-grams alone (Chinese text, or no encoder).
    pub embedding_dropout: f32,
    /// Loss weights of the heading and chapter heads (the subheading head's is 1).
    pub heading_loss: f32,
    pub chapter_loss: f32,
    /// At inference: how much the heading's and chapter's log-probabilities add to a leaf's.
    pub heading_weight: f32,
    pub chapter_weight: f32,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            seed: 20261130,
            epochs: 6,
            batch: 256,
            learning_rate: 3e-3,
            weight_decay: 1e-5,
            hidden: 256,
            bag: 32,
            buckets: 1 << 16,
            dropout: 0.2,
            embedding_dropout: 0.3,
            heading_loss: 0.5,
            chapter_loss: 0.25,
            heading_weight: 0.5,
            chapter_weight: 0.25,
        }
    }
}

/// One labelled text.
#[derive(Debug, Clone)]
pub struct TrainRow {
    pub text: String,
    /// Position of its subheading in the label space.
    pub leaf: usize,
    /// Its sentence embedding, when the encoder read it.
    pub embedding: Option<Vec<f32>>,
    /// Weight in the loss: user-written descriptions count more than tariff wording.
    pub weight: f32,
    /// Where it came from, for the report ("labelled", "tariff", "tariff-zh", …).
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpochReport {
    pub epoch: usize,
    pub loss: f64,
    pub dev_top1: Option<f64>,
    pub dev_top5: Option<f64>,
    pub seconds: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrainReport {
    pub rows: usize,
    pub rows_by_source: BTreeMap<String, usize>,
    pub dev_cases: usize,
    pub epochs: Vec<EpochReport>,
    pub seconds: f64,
}

/// Where training is, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub struct TrainProgress {
    pub epoch: usize,
    pub step: usize,
    pub steps: usize,
    pub loss: f32,
}

fn targets(labels: &LabelSpace, rows: &[&TrainRow]) -> Result<[Tensor; 4], HeadError> {
    let dev = &Device::Cpu;
    let leaf: Vec<u32> = rows.iter().map(|r| r.leaf as u32).collect();
    let heading: Vec<u32> = rows
        .iter()
        .map(|r| labels.heading_of(r.leaf) as u32)
        .collect();
    let chapter: Vec<u32> = rows
        .iter()
        .map(|r| labels.chapter_of(r.leaf) as u32)
        .collect();
    let weight: Vec<f32> = rows.iter().map(|r| r.weight).collect();
    let n = rows.len();
    Ok([
        Tensor::from_vec(leaf, (n, 1), dev)?,
        Tensor::from_vec(heading, (n, 1), dev)?,
        Tensor::from_vec(chapter, (n, 1), dev)?,
        Tensor::from_vec(weight, n, dev)?,
    ])
}

/// Weighted mean of the picked log-probabilities.
fn weighted_nll(logits: &Tensor, target: &Tensor, weight: &Tensor) -> Result<Tensor, HeadError> {
    let picked = log_softmax(logits)?.gather(target, 1)?.squeeze(1)?;
    Ok((picked.mul(weight)?.sum_all()? / weight.sum_all()?.to_scalar::<f32>()? as f64)?.neg()?)
}

/// What a caller hears while training runs, and how it resumes or stops it.
#[derive(Clone, Copy)]
pub struct Hooks<'a> {
    pub progress: &'a dyn Fn(TrainProgress),
    /// After each epoch, once its checkpoint (if any) is saved.
    pub epoch: &'a dyn Fn(&EpochReport),
    /// Asked between batches; `true` stops training where the last checkpoint stands.
    pub stop: &'a dyn Fn() -> bool,
    /// Where the checkpoint lives: resumed from when it fits, written after every epoch.
    pub checkpoint: Option<&'a Path>,
}

/// How [`train_with`] ended.
pub enum Outcome {
    Done {
        head: Box<Head>,
        report: TrainReport,
        /// Epochs the run resumed past (0: it started afresh).
        resumed_after: usize,
    },
    /// Told to stop; the checkpoint holds this many epochs.
    Stopped { epochs_done: usize },
}

/// Trains a head on `rows`; `dev` cases are only measured (once an epoch), never learned from.
pub fn train(
    labels: LabelSpace,
    rows: &[TrainRow],
    dev: &[TrainRow],
    embedding_dim: usize,
    config: &TrainConfig,
    progress: &dyn Fn(TrainProgress),
) -> Result<(Head, TrainReport), HeadError> {
    let hooks = Hooks {
        progress,
        epoch: &|_| {},
        stop: &|| false,
        checkpoint: None,
    };
    match train_with(labels, rows, dev, embedding_dim, config, hooks)? {
        Outcome::Done { head, report, .. } => Ok((*head, report)),
        Outcome::Stopped { .. } => unreachable!("nothing asks it to stop"),
    }
}

/// Each epoch draws from its own stream of the seed, so a run resumed after epoch k
/// shuffles and drops out exactly as one that never stopped.
fn epoch_rng(seed: u64, epoch: usize) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(epoch as u64);
    rng
}

/// [`train`], resuming from and writing a checkpoint, and stoppable between batches. A run
/// resumed from its checkpoint ends with the same weights as one that never stopped.
pub fn train_with(
    labels: LabelSpace,
    rows: &[TrainRow],
    dev: &[TrainRow],
    embedding_dim: usize,
    config: &TrainConfig,
    hooks: Hooks<'_>,
) -> Result<Outcome, HeadError> {
    let started = Instant::now();
    if rows.is_empty() {
        return Err(HeadError::NoData);
    }
    if let Some(r) = rows.iter().chain(dev).find(|r| r.leaf >= labels.len()) {
        return Err(HeadError::Shape(format!(
            "a row's leaf {} is outside the labels",
            r.leaf
        )));
    }
    let featurizer = Featurizer::new(config.buckets);
    let dims = Dims {
        buckets: config.buckets as usize,
        bag: config.bag,
        embedding: embedding_dim,
        hidden: config.hidden,
        leaves: labels.len(),
        headings: labels.headings(),
        chapters: labels.chapters(),
    };
    let vars = Net::init(dims, &mut ChaCha8Rng::seed_from_u64(config.seed))?;
    let mut opt = AdamW::new(
        vars.clone(),
        AdamParams::new(config.learning_rate, config.weight_decay),
    )?;
    let ids: Vec<Vec<u32>> = rows.iter().map(|r| featurizer.ids(&r.text)).collect();
    let mut report = TrainReport {
        rows: rows.len(),
        dev_cases: dev.len(),
        ..TrainReport::default()
    };
    for r in rows {
        *report.rows_by_source.entry(r.source.clone()).or_default() += 1;
    }
    let fingerprint = checkpoint::fingerprint(config, &dims, rows);
    let mut resumed_after = 0;
    if let Some(dir) = hooks.checkpoint
        && let Some(saved) = checkpoint::load(dir, &fingerprint)?
    {
        checkpoint::restore(&saved, &vars, &mut opt)?;
        resumed_after = saved.meta.epochs.len();
        report.epochs = saved.meta.epochs;
    }
    let batch = config.batch.max(1);
    let steps_per_epoch = rows.len().div_ceil(batch);
    let total_steps = (steps_per_epoch * config.epochs).max(1);
    let meta = HeadMeta::new(dims, featurizer, &labels, config);
    for epoch in resumed_after + 1..=config.epochs {
        let epoch_started = Instant::now();
        let mut rng = epoch_rng(config.seed, epoch);
        let mut order: Vec<usize> = (0..rows.len()).collect();
        order.shuffle(&mut rng);
        let (mut loss_sum, mut loss_n) = (0.0f64, 0usize);
        for (i, chunk) in order.chunks(batch).enumerate() {
            if (hooks.stop)() {
                return Ok(Outcome::Stopped {
                    epochs_done: epoch - 1,
                });
            }
            let step_no = opt.steps();
            let lr = config.learning_rate * (1.0 - step_no as f64 / total_steps as f64);
            opt.params.lr = lr.max(config.learning_rate * 0.02);
            let picked: Vec<&TrainRow> = chunk.iter().map(|&j| &rows[j]).collect();
            let inputs: Vec<(&[u32], Option<&[f32]>)> = chunk
                .iter()
                .map(|&j| {
                    let hide = rand::Rng::random::<f32>(&mut rng) < config.embedding_dropout;
                    let e = rows[j].embedding.as_deref().filter(|_| !hide);
                    (ids[j].as_slice(), e)
                })
                .collect();
            let b = Batch::new(&inputs, embedding_dim, &Device::Cpu)?;
            let mask = dropout_mask(&mut rng, chunk.len(), config.hidden, config.dropout)?;
            let net = Net::from_vars(dims, &vars);
            let logits = net.forward(&b, Some(&mask))?;
            let [leaf, heading, chapter, weight] = targets(&labels, &picked)?;
            let loss = ((weighted_nll(&logits.leaf, &leaf, &weight)?
                + (weighted_nll(&logits.heading, &heading, &weight)?
                    * config.heading_loss as f64)?)?
                + (weighted_nll(&logits.chapter, &chapter, &weight)?
                    * config.chapter_loss as f64)?)?;
            opt.backward_step(&loss)?;
            let l = loss.to_scalar::<f32>()?;
            loss_sum += l as f64;
            loss_n += 1;
            (hooks.progress)(TrainProgress {
                epoch,
                step: i + 1,
                steps: steps_per_epoch,
                loss: l,
            });
        }
        let head = Head::from_parts(
            Net::from_vars(dims, &vars),
            featurizer,
            labels.clone(),
            meta.clone(),
        );
        let (dev_top1, dev_top5) = if dev.is_empty() {
            (None, None)
        } else {
            let (t1, t5) = head.accuracy(dev)?;
            (Some(t1), Some(t5))
        };
        report.epochs.push(EpochReport {
            epoch,
            loss: loss_sum / loss_n.max(1) as f64,
            dev_top1,
            dev_top5,
            seconds: epoch_started.elapsed().as_secs_f64(),
        });
        if let Some(dir) = hooks.checkpoint {
            checkpoint::save(dir, &fingerprint, &vars, &opt, &report.epochs)?;
        }
        (hooks.epoch)(report.epochs.last().expect("just pushed"));
    }
    report.seconds = started.elapsed().as_secs_f64();
    let mut head = Head::from_parts(Net::from_vars(dims, &vars), featurizer, labels, meta);
    head.set_report(report.clone());
    Ok(Outcome::Done {
        head: Box::new(head),
        report,
        resumed_after,
    })
}

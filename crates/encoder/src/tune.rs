//! Contrastive fine-tuning of MiniLM on (query, passage) pairs: each query is pulled towards
//! its own passage and pushed from the other passages of its batch (in-batch negatives, the
//! "multiple negatives ranking" loss of sentence-transformers), except passages of its own
//! group, which are not negatives.
//!
//! Why a forward pass of its own: candle's BERT layers call fused layer-norm and softmax
//! kernels that have no backward pass, so gradients would stop at the first layer norm. Here
//! every operation is one candle differentiates. The word embeddings stay frozen: they are
//! two thirds of the weights, and a few thousand pairs would only move the rows of the words
//! they happen to contain.

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use candle_core::{D, DType, Device, Tensor, Var};
use candle_nn::optim::{AdamW, Optimizer, ParamsAdamW};
use candle_transformers::models::bert::Config;
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use tokenizers::Tokenizer;

use crate::EncoderError;

/// Files a MiniLM directory holds; a tuned one holds the same, so [`crate::Encoder::load`]
/// reads it like the original.
const FILES: [&str; 2] = ["config.json", "tokenizer.json"];
const WEIGHTS: &str = "model.safetensors";
const WORDS: &str = "embeddings.word_embeddings.weight";
/// Added to the scores of padding positions and of same-group passages: far below any
/// cosine times the scale, and finite, so that no gradient turns into NaN.
const MASKED: f64 = -1e4;

/// One training pair. Pairs of the same group (the same subheading, say) are never each
/// other's negatives.
#[derive(Debug, Clone)]
pub struct TunePair {
    pub query: String,
    pub passage: String,
    pub group: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TuneConfig {
    pub seed: u64,
    pub epochs: usize,
    /// Pairs a batch: each query's negatives are the batch's other passages.
    pub batch: usize,
    pub learning_rate: f64,
    pub weight_decay: f64,
    /// Cosines are multiplied by this before the softmax (a temperature of 1/scale).
    pub scale: f64,
    /// Share of the steps over which the learning rate rises from zero; it then falls
    /// linearly to zero.
    pub warmup: f64,
}

impl Default for TuneConfig {
    fn default() -> Self {
        TuneConfig {
            seed: 20261201,
            // Off unless asked for: measured, one epoch moved the dense leg alone a lot and
            // the fused classifier hardly at all (see the README), for eleven more minutes
            // of `customs train` on two cores.
            epochs: 0,
            batch: 64,
            learning_rate: 3e-5,
            weight_decay: 0.01,
            scale: 20.0,
            warmup: 0.1,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TuneReport {
    pub pairs: usize,
    pub steps: usize,
    /// Mean loss of each epoch.
    pub epoch_losses: Vec<f32>,
    pub seconds: f64,
}

/// Fine-tunes the MiniLM in `base` on `pairs` and writes the tuned model into `out` (the
/// same files as `base`). `progress(step, steps)` after each step.
pub fn tune(
    base: &Path,
    pairs: &[TunePair],
    config: &TuneConfig,
    out: &Path,
    progress: &dyn Fn(usize, usize),
) -> Result<TuneReport, EncoderError> {
    let started = Instant::now();
    let run = |e: &dyn std::fmt::Display| EncoderError::Run(e.to_string());
    if pairs.len() < 2 || config.batch < 2 || config.epochs == 0 {
        return Err(EncoderError::Run(
            "tuning needs at least two pairs, a batch of two and one epoch".into(),
        ));
    }
    let model = Trainable::load(base)?;
    let mut optimizer = AdamW::new(
        model.vars.clone(),
        ParamsAdamW {
            lr: config.learning_rate,
            weight_decay: config.weight_decay,
            ..ParamsAdamW::default()
        },
    )
    .map_err(|e| run(&e))?;
    let per_epoch = pairs.len().div_ceil(config.batch);
    let steps = per_epoch * config.epochs;
    let warmup = ((steps as f64 * config.warmup).ceil() as usize).max(1);
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let mut order: Vec<usize> = (0..pairs.len()).collect();
    let mut report = TuneReport {
        pairs: pairs.len(),
        steps,
        ..TuneReport::default()
    };
    let mut step = 0;
    for _ in 0..config.epochs {
        order.shuffle(&mut rng);
        let mut total = 0.0f32;
        for chunk in order.chunks(config.batch) {
            let batch: Vec<&TunePair> = chunk.iter().map(|&i| &pairs[i]).collect();
            let lr = if step < warmup {
                config.learning_rate * (step + 1) as f64 / warmup as f64
            } else {
                config.learning_rate * (steps - step) as f64 / (steps - warmup).max(1) as f64
            };
            optimizer.set_learning_rate(lr);
            let loss = model
                .batch_loss(&batch, config.scale)
                .map_err(|e| run(&e))?;
            total += loss.to_scalar::<f32>().map_err(|e| run(&e))?;
            optimizer.backward_step(&loss).map_err(|e| run(&e))?;
            step += 1;
            progress(step, steps);
        }
        report.epoch_losses.push(total / per_epoch as f32);
    }
    model.save(base, out)?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// MiniLM's weights as trainable variables (all but the word embeddings) and a forward pass
/// through differentiable operations.
struct Trainable {
    tensors: HashMap<String, Tensor>,
    vars: Vec<Var>,
    config: Config,
    tokenizer: Tokenizer,
}

impl Trainable {
    fn load(dir: &Path) -> Result<Trainable, EncoderError> {
        let load_err = |message: String| EncoderError::Load {
            dir: dir.display().to_string(),
            message,
        };
        let weights = crate::required_file(dir, WEIGHTS)?;
        let (config, tokenizer) = crate::bert_config_and_tokenizer(dir)?;
        let stored = candle_core::safetensors::load(weights, &Device::Cpu)
            .map_err(|e| load_err(e.to_string()))?;
        let mut tensors = HashMap::new();
        let mut vars = Vec::new();
        // Sorted, so that the optimiser sees the variables in the same order every run.
        let mut names: Vec<&String> = stored.keys().collect();
        names.sort();
        for name in names {
            let t = stored[name].clone();
            if !t.dtype().is_float() {
                continue; // position_ids: the forward pass counts positions itself
            }
            let t = t
                .to_dtype(DType::F32)
                .map_err(|e| load_err(e.to_string()))?;
            if name == WORDS {
                tensors.insert(name.clone(), t);
            } else {
                let var = Var::from_tensor(&t).map_err(|e| load_err(e.to_string()))?;
                tensors.insert(name.clone(), var.as_tensor().clone());
                vars.push(var);
            }
        }
        Ok(Trainable {
            tensors,
            vars,
            config,
            tokenizer,
        })
    }

    fn get(&self, name: &str) -> candle_core::Result<&Tensor> {
        self.tensors
            .get(name)
            .ok_or_else(|| candle_core::Error::Msg(format!("no tensor {name} in the model")))
    }

    fn linear(&self, x: &Tensor, prefix: &str) -> candle_core::Result<Tensor> {
        let w = self.get(&format!("{prefix}.weight"))?;
        let b = self.get(&format!("{prefix}.bias"))?;
        x.broadcast_matmul(&w.t()?)?.broadcast_add(b)
    }

    fn layer_norm(&self, x: &Tensor, prefix: &str) -> candle_core::Result<Tensor> {
        let mean = x.mean_keepdim(D::Minus1)?;
        let centred = x.broadcast_sub(&mean)?;
        let variance = centred.sqr()?.mean_keepdim(D::Minus1)?;
        let normed = centred.broadcast_div(&(variance + self.config.layer_norm_eps)?.sqrt()?)?;
        normed
            .broadcast_mul(self.get(&format!("{prefix}.weight"))?)?
            .broadcast_add(self.get(&format!("{prefix}.bias"))?)
    }

    /// Mean-pooled, unit-length embeddings of `texts`: `[n, hidden]`.
    fn embed(&self, texts: &[&str]) -> candle_core::Result<Tensor> {
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| candle_core::Error::Msg(e.to_string()))?;
        let (n, len) = (encodings.len(), encodings[0].get_ids().len());
        let h = self.config.hidden_size;
        let heads = self.config.num_attention_heads;
        let d = h / heads;
        let ids: Vec<u32> = encodings
            .iter()
            .flat_map(|e| e.get_ids().to_vec())
            .collect();
        let mask: Vec<f32> = encodings
            .iter()
            .flat_map(|e| e.get_attention_mask().iter().map(|&m| m as f32))
            .collect();
        let device = Device::Cpu;
        let ids = Tensor::from_vec(ids, n * len, &device)?;
        let mask = Tensor::from_vec(mask, (n, len), &device)?;
        let positions = self
            .get("embeddings.position_embeddings.weight")?
            .narrow(0, 0, len)?;
        let token_type = self
            .get("embeddings.token_type_embeddings.weight")?
            .narrow(0, 0, 1)?;
        let words = self
            .get(WORDS)?
            .index_select(&ids, 0)?
            .reshape((n, len, h))?;
        let mut x = self.layer_norm(
            &words
                .broadcast_add(&positions)?
                .broadcast_add(&token_type)?,
            "embeddings.LayerNorm",
        )?;
        let additive = ((mask.ones_like()? - &mask)? * MASKED)?.reshape((n, 1, 1, len))?;
        let split = |t: Tensor| -> candle_core::Result<Tensor> {
            t.reshape((n, len, heads, d))?.transpose(1, 2)?.contiguous()
        };
        for i in 0..self.config.num_hidden_layers {
            let p = format!("encoder.layer.{i}");
            let q = split(self.linear(&x, &format!("{p}.attention.self.query"))?)?;
            let k = split(self.linear(&x, &format!("{p}.attention.self.key"))?)?;
            let v = split(self.linear(&x, &format!("{p}.attention.self.value"))?)?;
            let scores =
                (q.matmul(&k.t()?.contiguous()?)? / (d as f64).sqrt())?.broadcast_add(&additive)?;
            let probs = candle_nn::ops::softmax(&scores, D::Minus1)?;
            let context = probs
                .matmul(&v)?
                .transpose(1, 2)?
                .contiguous()?
                .reshape((n, len, h))?;
            let attended = self.layer_norm(
                &(self.linear(&context, &format!("{p}.attention.output.dense"))? + &x)?,
                &format!("{p}.attention.output.LayerNorm"),
            )?;
            let inner = self
                .linear(&attended, &format!("{p}.intermediate.dense"))?
                .gelu_erf()?;
            x = self.layer_norm(
                &(self.linear(&inner, &format!("{p}.output.dense"))? + attended)?,
                &format!("{p}.output.LayerNorm"),
            )?;
        }
        let m = mask.unsqueeze(2)?;
        let mean = x.broadcast_mul(&m)?.sum(1)?.broadcast_div(&m.sum(1)?)?;
        let norm = mean.sqr()?.sum_keepdim(1)?.sqrt()?;
        mean.broadcast_div(&norm)
    }

    /// The batch's loss: cross-entropy of each query over the batch's passages.
    fn batch_loss(&self, batch: &[&TunePair], scale: f64) -> candle_core::Result<Tensor> {
        let queries: Vec<&str> = batch.iter().map(|p| p.query.as_str()).collect();
        let passages: Vec<&str> = batch.iter().map(|p| p.passage.as_str()).collect();
        let q = self.embed(&queries)?;
        let p = self.embed(&passages)?;
        let n = batch.len();
        let same_group: Vec<f32> = (0..n)
            .flat_map(|a| {
                (0..n).map(move |b| {
                    if a != b && batch[a].group == batch[b].group {
                        MASKED as f32
                    } else {
                        0.0
                    }
                })
            })
            .collect();
        let same_group = Tensor::from_vec(same_group, (n, n), &Device::Cpu)?;
        let logits = ((q.matmul(&p.t()?)? * scale)? + same_group)?;
        let targets = Tensor::arange(0u32, n as u32, &Device::Cpu)?;
        candle_nn::loss::cross_entropy(&logits, &targets)
    }

    /// Writes the tuned weights, with `base`'s config and tokenizer, into `out`.
    fn save(&self, base: &Path, out: &Path) -> Result<(), EncoderError> {
        let io = |e: &dyn std::fmt::Display| EncoderError::Run(format!("{}: {e}", out.display()));
        std::fs::create_dir_all(out).map_err(|e| io(&e))?;
        for name in FILES {
            std::fs::copy(base.join(name), out.join(name)).map_err(|e| io(&e))?;
        }
        // Written beside, then renamed: a reader never sees half a file.
        let partial = out.join(format!("{WEIGHTS}.partial"));
        candle_core::safetensors::save(&self.tensors, &partial).map_err(|e| io(&e))?;
        std::fs::rename(&partial, out.join(WEIGHTS)).map_err(|e| io(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Encoder, cosine};

    fn base() -> Option<std::path::PathBuf> {
        let root = settings::model_dir_for_tests(env!("CARGO_MANIFEST_DIR"));
        let dir = Encoder::default_dir(&root);
        dir.join(WEIGHTS).is_file().then_some(dir)
    }

    #[test]
    fn tuning_pulls_a_query_towards_its_passage_and_the_result_loads() {
        let Some(base) = base() else {
            eprintln!("skipped: no MiniLM files (run scripts/fetch-model)");
            return;
        };
        let texts = [
            ("hoodie", "Jerseys, pullovers, cardigans; of cotton"),
            ("tee", "T-shirts, singlets and other vests; of cotton"),
            ("specs", "Spectacles, goggles and the like; sunglasses"),
            (
                "tyres",
                "New pneumatic tyres, of rubber; of a kind used on motor cars",
            ),
        ];
        let pairs: Vec<TunePair> = texts
            .iter()
            .enumerate()
            .map(|(i, (q, p))| TunePair {
                query: q.to_string(),
                passage: p.to_string(),
                group: i as u32,
            })
            .collect();
        let config = TuneConfig {
            epochs: 8,
            batch: 4,
            learning_rate: 1e-4,
            warmup: 0.0,
            ..TuneConfig::default()
        };
        let out = tempfile::tempdir().unwrap();
        let steps = std::cell::Cell::new(0);
        let report = tune(&base, &pairs, &config, out.path(), &|s, _| steps.set(s)).unwrap();
        assert_eq!((report.steps, steps.get()), (8, 8));
        assert!(
            report.epoch_losses.last() < report.epoch_losses.first(),
            "{report:?}"
        );
        let before = Encoder::load(&base).unwrap();
        let after = Encoder::load(out.path()).unwrap();
        let margin = |e: &Encoder| {
            let v = e.encode(&["specs", texts[2].1, texts[0].1]).unwrap();
            cosine(&v[0], &v[1]) - cosine(&v[0], &v[2])
        };
        assert!(margin(&after) > margin(&before) + 0.05);
    }

    #[test]
    fn the_trainable_forward_pass_computes_what_serving_computes() {
        let Some(base) = base() else { return };
        let texts = [
            "frozen peeled shrimp",
            "men's cotton shirts, woven, not knitted",
        ];
        let trainable = Trainable::load(&base).unwrap();
        let tuned: Vec<Vec<f32>> = trainable.embed(&texts).unwrap().to_vec2().unwrap();
        let served = Encoder::load(&base).unwrap().encode(&texts).unwrap();
        for (a, b) in tuned.iter().zip(&served) {
            assert!(cosine(a, b) > 0.9999, "{}", cosine(a, b));
        }
    }

    #[test]
    fn tuning_refuses_too_little_to_learn_from() {
        let Some(base) = base() else { return };
        let one = [TunePair {
            query: "tee".into(),
            passage: "T-shirts".into(),
            group: 0,
        }];
        let out = tempfile::tempdir().unwrap();
        let err = tune(&base, &one, &TuneConfig::default(), out.path(), &|_, _| {}).unwrap_err();
        assert!(err.to_string().contains("two pairs"), "{err}");
        assert!(!out.path().join(WEIGHTS).exists());
    }
}

//! A trained head: scoring, accuracy, and its files (weights in safetensors, a JSON description
//! beside them with the config, the labels, the training report and the weights' sha256).

use std::path::{Path, PathBuf};

use candle_core::Device;
use nomenclature::HsCode;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::net::{Batch, Dims, Logits, Net, log_softmax};
use crate::train::{TrainConfig, TrainReport, TrainRow};
use crate::{Featurizer, HeadError, LabelSpace};

/// Bumped when the file layout or the features change; older files are refused.
pub const FORMAT: u32 = 1;
pub const WEIGHTS_FILE: &str = "head.safetensors";
pub const META_FILE: &str = "head.json";
/// Rows scored at once when measuring.
const EVAL_BATCH: usize = 256;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeadMeta {
    pub format: u32,
    /// "head-" and the first 12 hex digits of the weights' sha256; set when saved.
    pub version: String,
    pub weights_sha256: String,
    pub dims: Dims,
    pub featurizer: Featurizer,
    pub config: TrainConfig,
    /// The subheadings, in the order of the leaf head's outputs.
    pub leaves: Vec<String>,
    pub report: TrainReport,
    /// What the caller trained it for (the corpus version, say): a stale head is not loaded.
    pub trained_for: String,
    /// The sentence encoder's version its embeddings came from; empty for a head that reads
    /// no embeddings. Served with another encoder's vectors, it would read noise.
    #[serde(default)]
    pub encoder: String,
}

impl HeadMeta {
    pub(crate) fn new(
        dims: Dims,
        featurizer: Featurizer,
        labels: &LabelSpace,
        config: &TrainConfig,
    ) -> HeadMeta {
        HeadMeta {
            format: FORMAT,
            version: String::new(),
            weights_sha256: String::new(),
            dims,
            featurizer,
            config: config.clone(),
            leaves: labels
                .leaves()
                .iter()
                .map(|c| c.as_str().to_string())
                .collect(),
            report: TrainReport::default(),
            trained_for: String::new(),
            encoder: String::new(),
        }
    }
}

pub struct Head {
    net: Net,
    featurizer: Featurizer,
    labels: LabelSpace,
    meta: HeadMeta,
}

impl Head {
    pub(crate) fn from_parts(
        net: Net,
        featurizer: Featurizer,
        labels: LabelSpace,
        meta: HeadMeta,
    ) -> Head {
        Head {
            net,
            featurizer,
            labels,
            meta,
        }
    }

    pub fn meta(&self) -> &HeadMeta {
        &self.meta
    }

    pub fn labels(&self) -> &LabelSpace {
        &self.labels
    }

    /// Width of the sentence embedding it reads (0: n-grams only).
    pub fn embedding_dim(&self) -> usize {
        self.net.dims.embedding
    }

    pub(crate) fn set_report(&mut self, report: TrainReport) {
        self.meta.report = report;
    }

    pub fn set_trained_for(&mut self, what: &str) {
        self.meta.trained_for = what.to_string();
    }

    pub fn set_encoder(&mut self, version: &str) {
        self.meta.encoder = version.to_string();
    }

    /// Per row: the log-probability of every leaf, the heading's and chapter's added in and
    /// normalised again over the leaves.
    fn hierarchical(&self, logits: &Logits) -> Result<Vec<Vec<f32>>, HeadError> {
        let leaf = log_softmax(&logits.leaf)?.to_vec2::<f32>()?;
        let heading = log_softmax(&logits.heading)?.to_vec2::<f32>()?;
        let chapter = log_softmax(&logits.chapter)?.to_vec2::<f32>()?;
        let (hw, cw) = (
            self.meta.config.heading_weight,
            self.meta.config.chapter_weight,
        );
        Ok(leaf
            .into_iter()
            .zip(heading)
            .zip(chapter)
            .map(|((l, h), c)| {
                let mut s: Vec<f32> = l
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        v + hw * h[self.labels.heading_of(i)] + cw * c[self.labels.chapter_of(i)]
                    })
                    .collect();
                let max = s.iter().copied().fold(f32::MIN, f32::max);
                let z = s.iter().map(|v| (v - max).exp()).sum::<f32>().ln() + max;
                s.iter_mut().for_each(|v| *v -= z);
                s
            })
            .collect())
    }

    fn score_batch(&self, rows: &[(&str, Option<&[f32]>)]) -> Result<Vec<Vec<f32>>, HeadError> {
        let ids: Vec<Vec<u32>> = rows.iter().map(|r| self.featurizer.ids(r.0)).collect();
        let inputs: Vec<(&[u32], Option<&[f32]>)> = ids
            .iter()
            .zip(rows)
            .map(|(f, r)| (f.as_slice(), r.1))
            .collect();
        let batch = Batch::new(&inputs, self.net.dims.embedding, &Device::Cpu)?;
        let logits = self.net.forward(&batch, None)?;
        self.hierarchical(&logits)
    }

    /// Log-probability of every leaf for one text (and its sentence embedding, if the head
    /// reads one and the encoder understood the text).
    pub fn log_probs(&self, text: &str, embedding: Option<&[f32]>) -> Result<Vec<f32>, HeadError> {
        let embedding = embedding.filter(|_| self.embedding_dim() > 0);
        Ok(self.score_batch(&[(text, embedding)])?.remove(0))
    }

    /// The `k` likeliest leaves with their probabilities, best first.
    pub fn top(
        &self,
        text: &str,
        embedding: Option<&[f32]>,
        k: usize,
    ) -> Result<Vec<(usize, f32)>, HeadError> {
        Ok(top_k(&self.log_probs(text, embedding)?, k))
    }

    /// (top-1, top-5) accuracy at 6 digits over labelled rows.
    pub fn accuracy(&self, rows: &[TrainRow]) -> Result<(f64, f64), HeadError> {
        let (mut top1, mut top5) = (0usize, 0usize);
        for chunk in rows.chunks(EVAL_BATCH) {
            let inputs: Vec<(&str, Option<&[f32]>)> = chunk
                .iter()
                .map(|r| (r.text.as_str(), r.embedding.as_deref()))
                .collect();
            for (scores, row) in self.score_batch(&inputs)?.iter().zip(chunk) {
                let best = top_k(scores, 5);
                top1 += best.first().is_some_and(|b| b.0 == row.leaf) as usize;
                top5 += best.iter().any(|b| b.0 == row.leaf) as usize;
            }
        }
        let n = rows.len().max(1) as f64;
        Ok((top1 as f64 / n, top5 as f64 / n))
    }

    /// Writes the weights and the description into `dir`; returns the version.
    pub fn save(&mut self, dir: &Path) -> Result<String, HeadError> {
        std::fs::create_dir_all(dir)?;
        let weights = dir.join(WEIGHTS_FILE);
        candle_core::safetensors::save(&self.net.named(), &weights)?;
        let digest = hex::encode(Sha256::digest(std::fs::read(&weights)?));
        self.meta.version = format!("head-{}", &digest[..12]);
        self.meta.weights_sha256 = digest;
        let json = serde_json::to_vec_pretty(&self.meta)?;
        let tmp = dir.join(format!("{META_FILE}.tmp"));
        std::fs::write(&tmp, json)?;
        std::fs::rename(tmp, dir.join(META_FILE))?;
        Ok(self.meta.version.clone())
    }

    /// The description alone, to decide whether the head fits before loading the weights.
    pub fn read_meta(dir: &Path) -> Result<HeadMeta, HeadError> {
        let meta: HeadMeta = serde_json::from_slice(&std::fs::read(dir.join(META_FILE))?)?;
        if meta.format != FORMAT {
            return Err(HeadError::Shape(format!(
                "model format {} where this build reads {FORMAT}; train again",
                meta.format
            )));
        }
        Ok(meta)
    }

    /// Loads a saved head, checking the weights against the sha256 it was saved with.
    pub fn load(dir: &Path) -> Result<Head, HeadError> {
        let meta = Head::read_meta(dir)?;
        let weights: PathBuf = dir.join(WEIGHTS_FILE);
        let bytes = std::fs::read(&weights)?;
        if hex::encode(Sha256::digest(&bytes)) != meta.weights_sha256 {
            return Err(HeadError::Shape(format!(
                "{} does not match the sha256 in {META_FILE}",
                weights.display()
            )));
        }
        let named = candle_core::safetensors::load_buffer(&bytes, &Device::Cpu)?;
        let leaves = meta
            .leaves
            .iter()
            .map(|c| HsCode::parse(c).map_err(|e| HeadError::Shape(e.to_string())))
            .collect::<Result<Vec<_>, _>>()?;
        let labels = LabelSpace::new(leaves);
        let net = Net::from_named(meta.dims, named)?;
        Ok(Head::from_parts(net, meta.featurizer, labels, meta))
    }
}

/// The `k` best (index, probability) of log-probabilities, best first.
pub fn top_k(log_probs: &[f32], k: usize) -> Vec<(usize, f32)> {
    let mut idx: Vec<usize> = (0..log_probs.len()).collect();
    let k = k.min(idx.len());
    if k == 0 {
        return Vec::new();
    }
    idx.select_nth_unstable_by(k - 1, |&a, &b| log_probs[b].total_cmp(&log_probs[a]));
    idx.truncate(k);
    idx.sort_by(|&a, &b| log_probs[b].total_cmp(&log_probs[a]).then(a.cmp(&b)));
    idx.into_iter().map(|i| (i, log_probs[i].exp())).collect()
}

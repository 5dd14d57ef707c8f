//! Sentence embeddings with a BERT-family encoder (all-MiniLM-L6-v2), loaded from files on
//! disk (`scripts/fetch-model` puts them there) and run on the CPU with candle.
//!
//! Architecture invariant: loads only from a local directory; never downloads. Knows nothing
//! of tariffs: texts in, vectors out.

use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::{PaddingParams, Tokenizer, TruncationParams};

/// Tokens beyond this are cut: goods descriptions are short, and attention cost grows with
/// the square of the length.
pub const MAX_TOKENS: usize = 64;
pub const MODEL_NAME: &str = "all-MiniLM-L6-v2";

#[derive(Debug, thiserror::Error)]
pub enum EncoderError {
    #[error("model file {path} is missing; run scripts/fetch-model")]
    Missing { path: String },
    #[error("model in {dir}: {message}")]
    Load { dir: String, message: String },
    #[error("encoding: {0}")]
    Run(String),
}

pub struct Encoder {
    model: BertModel,
    tokenizer: Tokenizer,
    device: Device,
    dim: usize,
    dir: PathBuf,
}

impl Encoder {
    /// The directory holding `config.json`, `model.safetensors` and `tokenizer.json`.
    pub fn default_dir(model_root: &Path) -> PathBuf {
        model_root.join(MODEL_NAME)
    }

    pub fn load(dir: &Path) -> Result<Encoder, EncoderError> {
        let file = |name: &str| {
            let p = dir.join(name);
            if p.is_file() {
                Ok(p)
            } else {
                Err(EncoderError::Missing {
                    path: p.display().to_string(),
                })
            }
        };
        let load_err = |message: String| EncoderError::Load {
            dir: dir.display().to_string(),
            message,
        };
        let config: Config = serde_json::from_slice(
            &std::fs::read(file("config.json")?).map_err(|e| load_err(e.to_string()))?,
        )
        .map_err(|e| load_err(format!("config.json: {e}")))?;
        let mut tokenizer = Tokenizer::from_file(file("tokenizer.json")?)
            .map_err(|e| load_err(format!("tokenizer.json: {e}")))?;
        tokenizer.with_padding(Some(PaddingParams::default()));
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS,
                ..TruncationParams::default()
            }))
            .map_err(|e| load_err(format!("truncation: {e}")))?;
        let device = Device::Cpu;
        let weights = file("model.safetensors")?;
        // SAFETY: the weights file is memory-mapped read-only and not modified while mapped.
        let vb = unsafe { VarBuilder::from_mmaped_safetensors(&[weights], DType::F32, &device) }
            .map_err(|e| load_err(e.to_string()))?;
        let model = BertModel::load(vb, &config).map_err(|e| load_err(e.to_string()))?;
        let dim = config.hidden_size;
        Ok(Encoder {
            model,
            tokenizer,
            device,
            dim,
            dir: dir.to_path_buf(),
        })
    }

    pub fn dim(&self) -> usize {
        self.dim
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Mean-pooled, L2-normalised embeddings, one per text, each `dim()` long.
    pub fn encode(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EncoderError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let run = |e: &dyn std::fmt::Display| EncoderError::Run(e.to_string());
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| run(&e))?;
        let n = encodings.len();
        let len = encodings[0].get_ids().len();
        let flat = |f: &dyn Fn(&tokenizers::Encoding) -> &[u32]| -> Vec<u32> {
            encodings
                .iter()
                .flat_map(|e| f(e).iter().copied())
                .collect()
        };
        let ids = Tensor::from_vec(flat(&|e| e.get_ids()), (n, len), &self.device)
            .map_err(|e| run(&e))?;
        let types = Tensor::from_vec(flat(&|e| e.get_type_ids()), (n, len), &self.device)
            .map_err(|e| run(&e))?;
        let mask = Tensor::from_vec(flat(&|e| e.get_attention_mask()), (n, len), &self.device)
            .map_err(|e| run(&e))?;
        let hidden = self
            .model
            .forward(&ids, &types, Some(&mask))
            .map_err(|e| run(&e))?;
        let pooled = (|| -> candle_core::Result<Tensor> {
            let m = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
            let summed = hidden.broadcast_mul(&m)?.sum(1)?;
            let counts = m.sum(1)?;
            let mean = summed.broadcast_div(&counts)?;
            let norm = mean.sqr()?.sum_keepdim(1)?.sqrt()?;
            mean.broadcast_div(&norm)
        })()
        .map_err(|e| run(&e))?;
        pooled.to_vec2::<f32>().map_err(|e| run(&e))
    }
}

/// Dot product of two unit vectors: their cosine similarity.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

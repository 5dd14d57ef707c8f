//! The trained leg's model file: trained by `customs train`, loaded at start-up when it was
//! trained for the current corpus. Start-up never trains (minutes of CPU); without a fitting
//! head the classifier runs its other legs and says so.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use classify::Semantic;
use classify::trained::Recipe;
use corpus::Corpus;
use head::Head;
use nomenclature::{HsCode, Nomenclature};
use settings::StateDir;

use crate::Progress;

/// Where the serving head lives.
pub fn head_dir(state: &StateDir) -> PathBuf {
    state.0.join("models").join("head")
}

/// The saved head, if it was trained for this corpus. A head that does not fit is skipped
/// with a warning, never half-used.
pub fn load_head(corpus: &Corpus, state: &StateDir) -> Option<Arc<Head>> {
    load_head_for(&corpus.manifest.version, state)
}

fn load_head_for(corpus_version: &str, state: &StateDir) -> Option<Arc<Head>> {
    let dir = head_dir(state);
    let meta = match Head::read_meta(&dir) {
        Ok(m) => m,
        Err(_) => {
            tracing::warn!(
                "trained leg off: no trained head in {} (run `customs train`)",
                dir.display()
            );
            return None;
        }
    };
    if meta.trained_for != corpus_version {
        tracing::warn!(
            head = %meta.version,
            "trained leg off: the head was trained for another corpus version (run `customs train`)"
        );
        return None;
    }
    let encoder = crate::tuned::expected_encoder_for(corpus_version, state);
    if meta.dims.embedding > 0 && meta.encoder != encoder {
        tracing::warn!(
            head = %meta.version,
            trained_with = %meta.encoder,
            serving = %encoder,
            "trained leg off: the head read another encoder's embeddings (run `customs train`)"
        );
        return None;
    }
    match Head::load(&dir) {
        Ok(h) => Some(Arc::new(h)),
        Err(e) => {
            tracing::warn!(error = %e, "trained leg off: the head could not be loaded");
            None
        }
    }
}

/// Chinese (text, subheading) pairs from Taiwan's tariff: each line's 中文貨名 and each
/// subheading's zh-TW name. Empty when the data has no Taiwan tariff.
pub fn chinese_pairs(data_dir: &Path, hs: &Nomenclature) -> anyhow::Result<Vec<(String, HsCode)>> {
    if !tariff::tw_dir(data_dir).join(tariff::TARIFF_FILE).is_file() {
        return Ok(Vec::new());
    }
    let tw = tariff::TwTariff::load_with(data_dir, hs).context("loading the Taiwan tariff")?;
    let mut pairs: Vec<(String, HsCode)> = tw
        .lines()
        .iter()
        .map(|l| (l.description_zh.clone(), l.code.hs6()))
        .collect();
    for hs6 in tw.hs6_codes() {
        if let Some(name) = tw.zh_name(hs6) {
            let heading = hs6.parent().and_then(|h| tw.zh_name(&h));
            let text = match heading {
                Some(h) => format!("{} {}", h.text, name.text),
                None => name.text,
            };
            pairs.push((text, hs6.clone()));
        }
    }
    Ok(pairs)
}

/// Trains the head by `recipe` and saves it where start-up finds it.
pub fn train_head(
    data_dir: &Path,
    hs: &Nomenclature,
    corpus: &Corpus,
    semantic: Option<&Semantic>,
    state: &StateDir,
    recipe: &Recipe,
    progress: Progress<'_>,
) -> anyhow::Result<Arc<Head>> {
    let chinese = chinese_pairs(data_dir, hs)?;
    let epochs = recipe.config.epochs as u64;
    let mut head = classify::trained::train_head(corpus, semantic, &chinese, recipe, &|p| {
        let steps = p.steps as u64;
        progress(
            "training",
            (p.epoch as u64 - 1) * steps + p.step as u64,
            epochs * steps,
        );
    })
    .context("training the head")?;
    let dir = head_dir(state);
    head.save(&dir)
        .with_context(|| format!("saving the head to {}", dir.display()))?;
    Ok(Arc::new(head))
}

#[cfg(test)]
mod tests {
    use super::*;
    use head::{LabelSpace, TrainConfig, TrainRow};

    /// A head of two subheadings that reads 2-wide embeddings, saved for `corpus-a` as read
    /// through `encoder`.
    fn save_head(state: &StateDir, encoder: &str) {
        let labels = LabelSpace::new(vec![
            HsCode::parse("030617").unwrap(),
            HsCode::parse("080420").unwrap(),
        ]);
        let rows: Vec<TrainRow> = [("frozen shrimp", 0), ("dried figs", 1)]
            .iter()
            .map(|&(t, leaf)| TrainRow {
                text: t.into(),
                leaf,
                embedding: Some(if leaf == 0 {
                    vec![1.0, 0.0]
                } else {
                    vec![0.0, 1.0]
                }),
                weight: 1.0,
                source: "fixture".into(),
            })
            .collect();
        let config = TrainConfig {
            epochs: 1,
            batch: 2,
            hidden: 4,
            bag: 4,
            buckets: 64,
            ..TrainConfig::default()
        };
        let (mut trained, _) = head::train(labels, &rows, &[], 2, &config, &|_| {}).unwrap();
        trained.set_trained_for("corpus-a");
        trained.set_encoder(encoder);
        trained.save(&head_dir(state)).unwrap();
    }

    #[test]
    fn a_head_serves_only_beside_the_encoder_whose_embeddings_it_learnt() {
        let tmp = tempfile::tempdir().unwrap();
        let state = StateDir(tmp.path().to_path_buf());
        save_head(&state, encoder::MODEL_NAME);
        assert!(load_head_for("corpus-a", &state).is_some());
        assert!(load_head_for("corpus-b", &state).is_none());

        // A head of the tuned encoder is off while the pretrained one serves.
        save_head(&state, "tuned-0123456789ab");
        assert!(load_head_for("corpus-a", &state).is_none());
    }
}

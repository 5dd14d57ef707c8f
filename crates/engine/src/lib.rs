//! Start-up composition. Each derived artifact (search index, corpus, tuned fusion) is reused
//! when it was built from exactly the current inputs and rebuilt otherwise, so `make run` on a
//! fresh machine and a restart after new data both just work.
//!
//! Architecture invariant: the only crate that decides *when* to rebuild; the domain crates
//! only know *how*.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use classify::dense::{Dense, DenseRows};
use classify::fusion::FUSION_FORMAT;
use classify::{Classifier, Fusion, Semantic};
use corpus::Corpus;
use nomenclature::Nomenclature;
use search::SearchIndex;
use settings::StateDir;

mod embeddings;
mod national;
pub mod runs;
mod trained;
mod tuned;
mod zh_dense;

pub use national::{chinese_index, chinese_leg, chinese_leg_over, national_tariff};
pub use tariff::NationalTariff;
pub use trained::{chinese_pairs, head_dir, load_head, train_head};
pub use tuned::{
    TunedMeta, encoder_for, expected_encoder, fitting_tuned_encoder, remove_tuned_encoder,
    tune_encoder, tune_pairs, tuned_encoder_dir,
};
pub use zh_dense::{with_zh_dense, zh_cache_file, zh_dense, zh_encoder};

/// Reports progress: (stage, done, total). Stages: "index", "corpus", "embedding", "training",
/// "tuning".
pub type Progress<'a> = &'a dyn Fn(&str, u64, u64);

pub struct Engine {
    pub nomenclature: Arc<Nomenclature>,
    pub search: Arc<SearchIndex>,
    pub classifier: Arc<Classifier>,
}

pub fn nomenclature(data_dir: &Path) -> anyhow::Result<Arc<Nomenclature>> {
    let hs = nomenclature::load_dir(data_dir).with_context(|| {
        format!(
            "loading the HS nomenclature from {} (set --data-dir or CUSTOMS_DATA_DIR, or run scripts/fetch-data)",
            data_dir.display()
        )
    })?;
    Ok(Arc::new(hs))
}

pub fn search_index(
    hs: Arc<Nomenclature>,
    state: &StateDir,
    force: bool,
    progress: Progress<'_>,
) -> anyhow::Result<SearchIndex> {
    let dir = state.search_index();
    let report = |done, total| progress("index", done, total);
    let index = if force {
        SearchIndex::build(&dir, hs, &report)
    } else {
        SearchIndex::open_or_build(&dir, hs, &report)
    };
    index.with_context(|| format!("opening the search index in {}", dir.display()))
}

fn corpus_dir(state: &StateDir) -> PathBuf {
    state.0.join("corpus")
}

fn fusion_file(state: &StateDir) -> PathBuf {
    state.0.join("models").join("fusion.json")
}

/// The corpus artifact in the state dir, rebuilt when the nomenclature or any input changed.
pub fn corpus(
    data_dir: &Path,
    hs: &Nomenclature,
    state: &StateDir,
    force: bool,
    progress: Progress<'_>,
) -> anyhow::Result<Arc<Corpus>> {
    let dir = corpus_dir(state);
    if !force
        && let Ok(stored) = corpus::read_artifact(&dir)
        && stored.manifest.nomenclature_digest == hs.digest()
        && stored.manifest.inputs
            == corpus::current_inputs_with_decisions(data_dir, Some(&state.0))?
    {
        return Ok(Arc::new(stored));
    }
    // Customs' own approved rulings (`customs rulings export`) join the labelled data.
    let built = Corpus::build_with_decisions(
        data_dir,
        Some(&state.0),
        hs,
        &text::Synonyms::builtin(),
        &|done, total, _| progress("corpus", done, total),
    )
    .context("building the corpus")?;
    let manifest = corpus::write_artifact(&built, &dir)
        .with_context(|| format!("writing the corpus to {}", dir.display()))?;
    tracing::info!(version = %manifest.version, subheadings = manifest.subheadings, "corpus built");
    // Read back, so the in-memory corpus carries the written version.
    Ok(Arc::new(corpus::read_artifact(&dir)?))
}

/// The encoder and the embedded corpus, or `None` (with a warning) when the model files are
/// not there. The encoder is the one fine-tuned for this corpus when there is one, else the
/// pretrained one. Embeddings are cached per corpus version and encoder version in the state
/// dir.
pub fn semantic(
    corpus: &Corpus,
    models: &Path,
    state: &StateDir,
    progress: Progress<'_>,
) -> anyhow::Result<Option<Semantic>> {
    let (dir, version) = encoder_for(corpus, models, state);
    let encoder = match encoder::Encoder::load(&dir) {
        Ok(e) => Arc::new(e.with_version(&version)),
        Err(e) => {
            tracing::warn!("dense legs off: {e}");
            return Ok(None);
        }
    };
    let rows = DenseRows::from_corpus(corpus);
    let cache = state.0.join("embeddings").join(format!(
        "{}-{}-{}.f32",
        version,
        corpus.manifest.version,
        rows.texts.len()
    ));
    let dim = encoder.dim();
    let matrix = match embeddings::read(&cache, dim, rows.texts.len()) {
        Some(m) => m,
        None => {
            let m =
                embeddings::compute(&encoder, &rows.texts, &|d, t| progress("embedding", d, t))?;
            embeddings::write(&cache, dim, rows.texts.len(), &m)?;
            m
        }
    };
    let dense = Dense::new(&rows, matrix, dim, corpus.docs.len());
    Ok(Some(Semantic { encoder, dense }))
}

/// The classifier over `corpus`, with the fusion tuned for this corpus version, these legs
/// and this head (tuned now and saved if the stored one does not fit, or `retune`).
pub fn classifier(
    hs: Arc<Nomenclature>,
    corpus: Arc<Corpus>,
    semantic: Option<Semantic>,
    head: Option<Arc<head::Head>>,
    state: &StateDir,
    retune: bool,
    progress: Progress<'_>,
) -> anyhow::Result<Classifier> {
    let path = fusion_file(state);
    let version = corpus.manifest.version.clone();
    let mut classifier = Classifier::new(corpus, hs, None, semantic)?;
    if let Some(h) = head
        && let Err(why) = classifier.set_trained(h)
    {
        tracing::warn!("trained leg off: {why}");
    }
    let legs = classifier.legs();
    let head_version = classifier.head().map(|h| h.meta().version.clone());
    let stored: Option<Fusion> = std::fs::read(&path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .filter(|f: &Fusion| {
            f.tuning.as_ref().is_some_and(|t| {
                t.format == FUSION_FORMAT
                    && t.corpus_version == version
                    && t.head_version == head_version
            }) && f.weights.keys().copied().eq(legs.iter().copied())
        });
    let fresh = retune || stored.is_none();
    if let Some(f) = stored.filter(|_| !retune) {
        classifier.set_fusion(f);
    }
    if fresh {
        progress("tuning", 0, 1);
        classifier.tune();
        progress("tuning", 1, 1);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, serde_json::to_vec_pretty(classifier.fusion())?)
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(classifier)
}

/// Where things are read from and written to.
pub struct Paths<'a> {
    pub data_dir: &'a Path,
    pub state: &'a StateDir,
    /// Root of the model files; `None` runs without the dense legs.
    pub models: Option<&'a Path>,
}

/// Everything the service needs, reusing what is up to date.
pub fn open(paths: &Paths<'_>, progress: Progress<'_>) -> anyhow::Result<Engine> {
    let (data_dir, state) = (paths.data_dir, paths.state);
    let started = std::time::Instant::now();
    let hs = nomenclature(data_dir)?;
    let nomenclature_ms = started.elapsed().as_millis();
    let search = Arc::new(search_index(hs.clone(), state, false, progress)?);
    let search_ms = started.elapsed().as_millis();
    let corpus = corpus(data_dir, &hs, state, false, progress)?;
    let corpus_ms = started.elapsed().as_millis();
    let semantic = match paths.models {
        Some(models) => semantic(&corpus, models, state, progress)?,
        None => None,
    };
    let semantic_ms = started.elapsed().as_millis();
    let head = load_head(&corpus, state);
    let head_ms = started.elapsed().as_millis();
    // Where start-up time goes, each phase's end since the start.
    let classifier = Arc::new(classifier(
        hs.clone(),
        corpus,
        semantic,
        head,
        state,
        false,
        progress,
    )?);
    tracing::debug!(
        nomenclature_ms,
        search_ms,
        corpus_ms,
        semantic_ms,
        head_ms,
        classifier_ms = started.elapsed().as_millis(),
        "engine opened"
    );
    Ok(Engine {
        nomenclature: hs,
        search,
        classifier,
    })
}

/// The key that signs guided-dialogue sessions. `configured` (64 hex digits, from
/// CUSTOMS_GUIDE_KEY) is what instances behind one load balancer share; without it the key is
/// made once and kept in the state dir, so links survive a restart.
pub fn guide_key(state: &StateDir, configured: Option<&str>) -> anyhow::Result<[u8; 32]> {
    let parse =
        |hex_text: &str| -> Option<[u8; 32]> { hex::decode(hex_text.trim()).ok()?.try_into().ok() };
    if let Some(text) = configured {
        return parse(text)
            .ok_or_else(|| anyhow::anyhow!("CUSTOMS_GUIDE_KEY must be 64 hexadecimal digits"));
    }
    let path = state.0.join("guide-key");
    if let Ok(text) = std::fs::read_to_string(&path)
        && let Some(key) = parse(&text)
    {
        return Ok(key);
    }
    let mut key = [0u8; 32];
    getrandom::fill(&mut key).map_err(|e| anyhow::anyhow!("no random source: {e}"))?;
    std::fs::create_dir_all(&state.0)?;
    write_private(&path, hex::encode(key).as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(key)
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

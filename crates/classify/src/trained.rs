//! The trained leg: the [`head`] crate's classifier over this corpus's subheadings, and the
//! default recipe that turns the corpus into its training rows.
//!
//! What it learns from, weighted by how much it says about how people write:
//! - the labelled descriptions of the training split (1.0), with their sentence embeddings;
//! - each subheading's heading-and-subheading text and its most specific national line (0.5),
//!   the rows the dense leg embeds, with their embeddings;
//! - further national lines and trade names (0.3), n-grams only;
//! - the Chinese names of Taiwan's tariff lines and of HS codes (0.5), n-grams only: what
//!   lets the leg read Chinese, which the English encoder cannot.
//!
//! The development split is measured each epoch and never learned from: the fusion is tuned
//! on it afterwards.

use std::sync::Arc;

use corpus::{Corpus, Split};
use head::{Head, HeadError, LabelSpace, TrainConfig, TrainProgress, TrainRow};
use nomenclature::HsCode;

use crate::Semantic;
use crate::dense::DenseRows;
use crate::legs::{LEG_DEPTH, LegHits};

/// Weights in the loss, by source, and how much of the tariff wording to use.
#[derive(Debug, Clone)]
pub struct Recipe {
    pub config: TrainConfig,
    pub labelled: f32,
    pub tariff: f32,
    pub extra_national: f32,
    pub chinese: f32,
    /// National lines per subheading beyond the one the dense leg embeds.
    pub extra_national_per_subheading: usize,
}

impl Default for Recipe {
    fn default() -> Self {
        Recipe {
            config: TrainConfig::default(),
            labelled: 1.0,
            tariff: 0.5,
            extra_national: 0.3,
            chinese: 0.5,
            extra_national_per_subheading: 4,
        }
    }
}

/// The corpus's subheadings, in corpus order: leaf i is `corpus.docs[i]`.
pub fn label_space(corpus: &Corpus) -> LabelSpace {
    LabelSpace::new(corpus.docs.iter().map(|d| d.code.clone()).collect())
}

fn row(text: &str, leaf: usize, embedding: Option<&[f32]>, weight: f32, source: &str) -> TrainRow {
    TrainRow {
        text: text.to_string(),
        leaf,
        embedding: embedding.map(<[f32]>::to_vec),
        weight,
        source: source.to_string(),
    }
}

/// Training rows from the corpus (and its embeddings, when the encoder is there) and from
/// Chinese (text, subheading) pairs.
pub fn training_rows(
    corpus: &Corpus,
    semantic: Option<&Semantic>,
    chinese: &[(String, HsCode)],
    recipe: &Recipe,
) -> Vec<TrainRow> {
    let dense_rows = DenseRows::from_corpus(corpus);
    let mut rows = Vec::new();
    for (i, (text, &owner)) in dense_rows.texts.iter().zip(&dense_rows.owners).enumerate() {
        let embedding = semantic.map(|s| s.dense.embedding(i));
        let (weight, source) = if i < dense_rows.nomenclature_rows {
            (recipe.tariff, "tariff")
        } else {
            (recipe.labelled, "labelled")
        };
        rows.push(row(text, owner as usize, embedding, weight, source));
    }
    for (leaf, d) in corpus.docs.iter().enumerate() {
        let mut national: Vec<&String> = d.national.iter().collect();
        national.sort_by_key(|t| std::cmp::Reverse(t.len()));
        let skip = crate::dense::NATIONAL_LINES_PER_SUBHEADING;
        for n in national
            .into_iter()
            .skip(skip)
            .take(recipe.extra_national_per_subheading)
            .chain(&d.trade_names)
        {
            rows.push(row(n, leaf, None, recipe.extra_national, "national"));
        }
    }
    let labels = label_space(corpus);
    for (text, code) in chinese {
        if let Some(leaf) = labels.position(code) {
            rows.push(row(text, leaf, None, recipe.chinese, "tariff-zh"));
        }
    }
    rows
}

/// The development split, embedded when the encoder is there: measured, never learned from.
pub fn dev_rows(corpus: &Corpus, semantic: Option<&Semantic>) -> Vec<TrainRow> {
    let labels = label_space(corpus);
    let examples: Vec<_> = corpus
        .labelled
        .split(Split::Dev)
        .filter_map(|e| Some((e, labels.position(&e.code)?)))
        .collect();
    let embedded: Option<Vec<Vec<f32>>> = semantic.and_then(|s| {
        let texts: Vec<&str> = examples.iter().map(|(e, _)| e.text.as_str()).collect();
        s.encoder.encode(&texts).ok()
    });
    examples
        .iter()
        .enumerate()
        .map(|(i, (e, leaf))| {
            let embedding = embedded.as_ref().map(|m| m[i].as_slice());
            row(&e.text, *leaf, embedding, 1.0, &e.source)
        })
        .collect()
}

/// Trains the head by the recipe; the result is tagged with the corpus version.
pub fn train_head(
    corpus: &Corpus,
    semantic: Option<&Semantic>,
    chinese: &[(String, HsCode)],
    recipe: &Recipe,
    progress: &dyn Fn(TrainProgress),
) -> Result<Head, HeadError> {
    let rows = training_rows(corpus, semantic, chinese, recipe);
    let dev = dev_rows(corpus, semantic);
    let dim = semantic.map_or(0, |s| s.encoder.dim());
    let (mut trained, _) = head::train(
        label_space(corpus),
        &rows,
        &dev,
        dim,
        &recipe.config,
        progress,
    )?;
    trained.set_trained_for(&corpus.manifest.version);
    if let Some(s) = semantic {
        trained.set_encoder(s.encoder.version());
    }
    Ok(trained)
}

/// The leg: the head's top subheadings for a description. Scores are log-probabilities
/// shifted so the deepest hit is just above zero, the scale fusion normalises.
#[derive(Clone)]
pub struct Trained {
    pub head: Arc<Head>,
}

impl Trained {
    /// The leg's hits from the head's log-probabilities over every subheading.
    pub fn hits_from(log_probs: &[f32]) -> LegHits {
        let top = head::top_k(log_probs, LEG_DEPTH);
        let floor = top.last().map_or(0.0, |t| t.1.max(1e-30).ln()) - 1e-3;
        top.into_iter()
            .map(|(leaf, p)| (leaf, p.max(1e-30).ln() - floor))
            .collect()
    }
}

//! Tariff classification: a description in, ranked HS 2022 subheadings out, each with a
//! calibrated probability and an explanation.
//!
//! Several model legs score the corpus ([`legs`]); [`fusion`] combines their normalised scores
//! with weights tuned on the development split and turns the result into probabilities with a
//! temperature fitted there too. [`Classifier::classify`] adds the flags (too vague, low
//! confidence, code typed) and the explanations. [`check`] compares declared codes with what
//! the description says.
//!
//! Architecture invariant: pure and synchronous. No HTTP, no SQL, no network; the only state is
//! what the constructor is given.

mod check;
mod classifier;
pub mod dense;
mod explain;
pub mod fusion;
pub mod legs;
mod rest;
mod serving;
pub mod trained;
mod vague;
pub mod zh;
pub mod zh_dense;

pub use check::{CheckOutcome, DeclarationCheck, Verdict};
pub use classifier::{Candidate, Classification, Classifier, Flag, LegScore, Semantic};
pub use explain::{Evidence, Explanation, NearestExample};
pub use fusion::{Fusion, LegName};
pub use rest::{CHAPTER_COSINE_NATS, COSINE_NATS, FullScores};
pub use serving::Serving;
pub use vague::VagueDetector;
pub use zh::{ChineseLeg, ZhCandidate, is_chinese};

#[derive(Debug, thiserror::Error)]
pub enum ClassifyError {
    #[error("building the {leg} index: {source}")]
    Index {
        leg: &'static str,
        source: tantivy::TantivyError,
    },
}

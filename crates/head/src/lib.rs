//! The trained leg of the classifier: a deep classification head trained in Rust with candle.
//!
//! Input: the hashed word and character n-grams of a description ([`Featurizer`]; Chinese reads
//! as character unigrams and bigrams) and, when the encoder read the text, its sentence
//! embedding. One hidden layer, then three softmaxes over the HS tree's levels (subheading,
//! heading, chapter) — hierarchy-aware: the coarse heads are trained too and their
//! log-probabilities are added to each leaf's at inference ([`LabelSpace`]).
//!
//! [`train`] is seeded and reproducible; [`train_with`] resumes from a checkpoint exactly; [`Head::save`] writes a versioned model file with its
//! training report beside it.
//!
//! Architecture invariant: pure computation over what it is given. It knows nothing of the
//! corpus, the data files, HTTP or SQL; callers turn their data into [`TrainRow`]s.

mod checkpoint;
mod features;
mod head;
mod labels;
mod net;
mod optim;
mod train;

pub use checkpoint::checkpoint_epochs;
pub use features::{Featurizer, MAX_FEATURES};
pub use head::{FORMAT, Head, HeadMeta, META_FILE, WEIGHTS_FILE, top_k};
pub use labels::LabelSpace;
pub use net::Dims;
pub use train::{
    EpochReport, Hooks, Outcome, TrainConfig, TrainProgress, TrainReport, TrainRow, train,
    train_with,
};

#[derive(Debug, thiserror::Error)]
pub enum HeadError {
    #[error("no training rows")]
    NoData,
    #[error("{0}")]
    Shape(String),
    #[error("tensor maths: {0}")]
    Candle(#[from] candle_core::Error),
    #[error("model file: {0}")]
    Io(#[from] std::io::Error),
    #[error("model description: {0}")]
    Json(#[from] serde_json::Error),
}

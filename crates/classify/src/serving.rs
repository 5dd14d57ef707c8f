//! The classifier that serves now. Promoting a model version swaps it whole; a request takes
//! the current one when it starts and keeps it to the end, so a swap fails no request and no
//! request mixes two models.

use std::sync::Arc;

use arc_swap::ArcSwap;

use crate::Classifier;

#[derive(Clone)]
pub struct Serving {
    current: Arc<ArcSwap<Classifier>>,
}

impl Serving {
    pub fn new(classifier: Arc<Classifier>) -> Serving {
        Serving {
            current: Arc::new(ArcSwap::new(classifier)),
        }
    }

    /// The classifier to answer one request with.
    pub fn current(&self) -> Arc<Classifier> {
        self.current.load_full()
    }

    /// Serves `next` from now on; returns the one it replaces.
    pub fn swap(&self, next: Arc<Classifier>) -> Arc<Classifier> {
        self.current.swap(next)
    }

    /// The version of the trained head serving now ("none" without one).
    pub fn model_version(&self) -> String {
        self.current
            .load()
            .head()
            .map_or_else(|| "none".to_string(), |h| h.meta().version.clone())
    }
}

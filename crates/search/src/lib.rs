//! Search over the HS nomenclature.
//!
//! A tantivy index holds one document per code: its own text, its ancestors' text (context) and
//! its code prefixes. Text goes through [`text::analyze`] on both sides, so stemming, spelling
//! and unit folding agree between documents, queries and highlights. Queries that look like a
//! code are answered from the tree directly.
//!
//! [`TariffIndex`] does the same for Taiwan's national tariff, in Chinese and English: an
//! in-memory index of its 11-digit lines over [`text::analyze_zh`].

mod analyzer;
mod index;
mod query;
mod tw;
pub mod weighted;

pub use index::{BuildProgress, IndexError, SearchIndex};
pub use query::{Hit, Hits, SearchRequest, highlight};
pub use tw::{
    Hs6Aggregation, Hs6Hit, TariffHit, TariffIndex, TariffIndexOptions, ZhPassage, zh_passages,
};

//! Search over the HS nomenclature.
//!
//! A tantivy index holds one document per code: its own text, its ancestors' text (context) and
//! its code prefixes. Text goes through [`text::analyze`] on both sides, so stemming, spelling
//! and unit folding agree between documents, queries and highlights. Queries that look like a
//! code are answered from the tree directly.

mod analyzer;
mod index;
mod query;
pub mod weighted;

pub use index::{BuildProgress, IndexError, SearchIndex};
pub use query::{Hit, Hits, SearchRequest, highlight};

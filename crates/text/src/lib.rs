//! Tariff-language text normalisation, shared by indexing and querying so both sides agree.
//!
//! Pure functions over strings: no index, no I/O. The search crate wraps [`tokenize`] in a
//! tantivy tokenizer; later the classifier's corpus uses the same normalisation.
//!
//! [`zh`] is the Chinese path (Taiwan's tariff, zh-TW queries, mixed zh/en shop titles): CJK
//! runs become character n-grams, everything else goes through [`analyze`].

mod analyze;
mod negation;
mod spelling;
mod synonyms;
mod tokens;
pub mod zh;

pub use analyze::{analyze, is_stop_word, stem};
pub use negation::without_negated;
pub use synonyms::{Expansion, Synonyms};
pub use tokens::{Token, normalise, tokenize};
pub use zh::{Segmenter, ZhOptions, ZhSynonyms, analyze_zh};

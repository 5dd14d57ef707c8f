//! The data analysis platform's rules, as values: labelled data sets and what we know about
//! them.
//!
//! - [`rows`]: a set's rows (`id`, `text`, `code`, `source`), read from CSV or JSON Lines with
//!   an error per bad line, and its content hash (sha256 of a canonical serialisation).
//! - [`keys`]: the language of a text, its normalised form and its key terms; the
//!   deterministic train/dev/test split by a hash of the key.
//! - [`similar`]: pairs of texts whose key terms overlap (Jaccard) at least a threshold.
//! - [`card`]: the data card of a version (counts, languages, labels by section and chapter,
//!   invalid codes, conflicts, duplicates, leakage between splits, a sample).
//! - [`sources`]: rows from the shared labelled folders and from approved rulings.
//! - [`runs`]: a training run's config (TOML), checked field by field.
//! - [`compare`]: two model versions on the same cases: a paired bootstrap interval, per
//!   chapter and source, and the cases that flipped.
//!
//! Architecture invariant: pure. No SQL, no HTTP, no files: callers hand in bytes, the
//! nomenclature and the national tariff, and store or serve what comes back.

pub mod card;
pub mod compare;
pub mod config_problems;
mod findings;
pub mod keys;
pub mod rows;
pub mod runs;
pub mod similar;
pub mod sources;

pub use card::{CardContext, Computed, DataCard, Leakage, code_problem, compute_card};
pub use compare::{CaseResult, Comparison, Difference, compare, paired_bootstrap};
pub use config_problems::{
    ConfigProblem, EvalSetProblem, Hyper, NameProblem, RefProblem, TomlFault, TomlProblem,
};
pub use keys::{Language, Split, key_terms, language, normalised, split_of};
pub use rows::{
    Format, HeaderError, LabelledRow, MAX_ROWS, ParseError, RowError, RowProblem, canonical_order,
    content_hash, parse_rows,
};
pub use runs::{ConfigErrors, DatasetRef, EvalSet, RunConfig};
pub use sources::{Source, SourceError, from_rulings, from_shared};

/// Near-duplicate and leakage threshold: Jaccard similarity of two texts' key terms.
/// 0.75 counts "cotton t-shirts" and "cotton t-shirts for men" (3 of 4 terms) as near
/// duplicates, and "cotton shirts" and "cotton shirts for men" (2 of 3) not.
pub const SIMILARITY_THRESHOLD: f64 = 0.75;

/// Checks a data set name: 1 to 64 characters of lower-case letters, digits, `.`, `_` and
/// `-`, starting with a letter or digit. Names appear in URLs and file names as they are.
pub fn check_name(name: &str) -> Result<(), NameProblem> {
    let ok_start = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    let ok_chars = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
    if ok_start && ok_chars && name.len() <= 64 {
        Ok(())
    } else {
        Err(NameProblem {
            got: name.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::check_name;

    #[test]
    fn names_are_url_safe() {
        assert!(check_name("uk-search-refs_v2.1").is_ok());
        assert!(check_name("").is_err());
        assert!(check_name("-x").is_err());
        assert!(check_name("Upper").is_err());
        assert!(check_name("a/b").is_err());
        assert!(check_name(&"a".repeat(65)).is_err());
    }
}

//! What a text is, for comparing texts: its language, its normalised form and its key
//! terms, and the split its key puts it in.
//!
//! The key is the sorted set of distinct terms: for English, the stems of `text::analyze`
//! (stop words dropped, plurals and spelling folded: "Frozen prawns, peeled" and "peeled
//! frozen prawn" share it); for Chinese, the distinct characters of `text::analyze_zh` (shop
//! noise dropped) and the stems of any Latin words, so reordered characters share it too.
//! English keys are exactly the corpus's (`corpus::split_of`), so a data set splits the way
//! the classifier's corpus does.

use std::collections::BTreeSet;

use sha2::{Digest, Sha256};

pub use corpus::Split;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    En,
    Zh,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Zh => "zh",
        }
    }
}

/// Chinese when `text::zh::is_chinese` says so (the classifier's routing rule), else English.
pub fn language(text: &str) -> Language {
    if text::zh::is_chinese(text) {
        Language::Zh
    } else {
        Language::En
    }
}

/// The normalised words joined by spaces (case, width, punctuation and spelling folded):
/// texts equal here are the same text for conflicts and exact duplicates.
pub fn normalised(text: &str) -> String {
    text::normalise(text)
}

/// The distinct key terms of a text (see the module documentation).
pub fn key_terms(text: &str) -> BTreeSet<String> {
    match language(text) {
        Language::En => text::analyze(text).into_iter().map(|t| t.text).collect(),
        Language::Zh => text::analyze_zh(text, text::ZhOptions::default())
            .into_iter()
            .map(|t| t.text)
            // Pairs add nothing a set of characters does not have.
            .filter(|t| !is_cjk_pair(t))
            .collect(),
    }
}

fn is_cjk_pair(term: &str) -> bool {
    let mut chars = term.chars();
    matches!(
        (chars.next(), chars.next(), chars.next()),
        (Some(a), Some(b), None) if text::zh::is_cjk(a) && text::zh::is_cjk(b)
    )
}

/// The split of a text: 80 % train, 10 % dev, 10 % test by the first four bytes of the
/// sha256 of its key terms joined by spaces. Texts with the same key always share a split.
pub fn split_of(text: &str) -> Split {
    split_of_terms(&key_terms(text))
}

pub fn split_of_terms(terms: &BTreeSet<String>) -> Split {
    let joined = terms
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ");
    let digest = Sha256::digest(joined.as_bytes());
    match u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]) % 100 {
        0..80 => Split::Train,
        80..90 => Split::Dev,
        _ => Split::Test,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reorderings_and_plurals_share_a_key() {
        assert_eq!(
            key_terms("Frozen prawns, peeled"),
            key_terms("peeled frozen prawn")
        );
        assert_eq!(key_terms("冷凍蝦仁"), key_terms("蝦仁 冷凍"));
        assert_ne!(key_terms("冷凍蝦仁"), key_terms("冷凍蝦"));
        assert_eq!(split_of("LAPTOP bags"), split_of("laptop bag"));
    }

    #[test]
    fn english_splits_are_the_corpus_splits() {
        for text in [
            "laptop bags",
            "frozen peeled prawns",
            "cotton t-shirts, men's",
            "£5",
        ] {
            assert_eq!(split_of(text), corpus::split_of(text), "{text}");
        }
    }

    #[test]
    fn languages_follow_the_classifier() {
        assert_eq!(language("frozen shrimp"), Language::En);
        assert_eq!(language("冷凍去殼白蝦仁"), Language::Zh);
        assert_eq!(language("USB-C 充電器 65W"), Language::Zh);
    }

    #[test]
    fn normalised_texts_fold_case_and_punctuation() {
        assert_eq!(normalised("Frozen  Prawns,"), normalised("frozen prawns"));
        assert_ne!(normalised("frozen prawn"), normalised("frozen prawns"));
    }
}

//! The full analysis chain used for matching: tokens → stop words dropped → English stems.
//! Indexing, querying, synonyms and highlighting all go through [`analyze`], so they agree.

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

use crate::tokens::{Token, tokenize};

/// Function words that carry no tariff meaning. "not", "other", "than" are kept on purpose:
/// they carry the nomenclature's exclusions ("other than pure-bred").
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "if", "in", "into",
    "is", "it", "its", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "were", "which", "will", "with", "whether", "thereof",
];

pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word)
}

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// The English stem of one normalised word; numbers and units pass through unchanged.
pub fn stem(word: &str) -> String {
    if word.chars().any(|c| c.is_ascii_digit()) || word.len() <= 2 {
        return word.to_string();
    }
    stemmer().stem(word).into_owned()
}

/// Tokens ready for matching: normalised, stop words removed, stemmed. Offsets still point at
/// the original text.
pub fn analyze(text: &str) -> Vec<Token> {
    tokenize(text)
        .into_iter()
        .filter(|t| !is_stop_word(&t.text))
        .map(|t| Token {
            text: stem(&t.text),
            ..t
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(s: &str) -> Vec<String> {
        analyze(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn stems_and_drops_function_words() {
        assert_eq!(terms("Horses, asses and mules"), ["hors", "ass", "mule"]);
        assert_eq!(terms("laptops of 10kg"), ["laptop", "10", "kg"]);
        assert_eq!(terms("other than frozen"), ["other", "than", "frozen"]);
    }
}

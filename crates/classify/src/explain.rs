//! Explanations: which words matched where, the nomenclature path, and the nearest labelled
//! examples (rulings) with their codes.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::OnceLock;

use corpus::SubheadingDoc;
use nomenclature::HsCode;

/// Where a candidate's support comes from.
#[derive(Debug, Clone)]
pub struct Evidence {
    /// "subheading", "heading", "chapter", "national line", "trade name" or "example".
    pub source: &'static str,
    pub text: String,
    /// Words of `text` that matched the description.
    pub words: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct NearestExample {
    pub text: String,
    pub code: HsCode,
    pub score: f32,
}

#[derive(Debug, Clone, Default)]
pub struct Explanation {
    /// Distinct words of the nomenclature and its enrichments that matched.
    pub matched_words: Vec<String>,
    pub evidence: Vec<Evidence>,
    /// Labelled examples near the description that carry this code.
    pub examples: Vec<NearestExample>,
}

const MAX_PER_SOURCE: usize = 2;

/// The analysed words of every text of every subheading, each analysed the first time a
/// candidate needs it and kept.
///
/// Why: an explanation matches the description's terms against a candidate's own text, its
/// headings, trade names, national lines and examples. Stemming those texts again for each of
/// ten candidates on every request was a sixth of a classification (perf, 2026-11-30 e).
/// Kept as (term hash, byte range) per word: about 12 bytes a word.
pub(crate) struct TermsCache {
    docs: Vec<OnceLock<DocTerms>>,
}

/// One subheading's texts, in the order [`texts`] walks them.
struct DocTerms {
    texts: Vec<Vec<(u64, u32, u32)>>,
}

impl TermsCache {
    pub(crate) fn new(docs: usize) -> TermsCache {
        TermsCache {
            docs: (0..docs).map(|_| OnceLock::new()).collect(),
        }
    }

    fn terms(&self, position: usize, doc: &SubheadingDoc) -> &DocTerms {
        self.docs[position].get_or_init(|| DocTerms {
            texts: texts(doc)
                .map(|(_, text)| {
                    text::analyze(text)
                        .into_iter()
                        .map(|t| (term_hash(&t.text), t.from as u32, t.to as u32))
                        .collect()
                })
                .collect(),
        })
    }
}

/// Every text an explanation may quote, with its source's name.
fn texts(doc: &SubheadingDoc) -> impl Iterator<Item = (&'static str, &str)> {
    let levels = ["chapter", "heading"];
    std::iter::once(("subheading", doc.text.as_str()))
        .chain(
            doc.context
                .iter()
                .enumerate()
                .map(move |(i, c)| (levels.get(i).copied().unwrap_or("heading"), c.as_str())),
        )
        .chain(doc.trade_names.iter().map(|n| ("trade name", n.as_str())))
        .chain(doc.national.iter().map(|n| ("national line", n.as_str())))
        .chain(doc.examples.iter().map(|e| ("example", e.as_str())))
}

fn term_hash(term: &str) -> u64 {
    let mut h = DefaultHasher::new();
    term.hash(&mut h);
    h.finish()
}

/// The description's analysed terms, hashed as [`TermsCache`] keeps them.
pub(crate) fn wanted_hashes(wanted: &HashSet<String>) -> HashSet<u64> {
    wanted.iter().map(|t| term_hash(t)).collect()
}

pub(crate) fn explain(
    position: usize,
    doc: &SubheadingDoc,
    cache: &TermsCache,
    wanted: &HashSet<u64>,
) -> Explanation {
    let analysed = cache.terms(position, doc);
    let mut evidence = Vec::new();
    for ((source, text), terms) in texts(doc).zip(&analysed.texts) {
        // The source's own text, its chapter and heading once each; the lists twice at most.
        let limit = match source {
            "subheading" | "chapter" | "heading" => 1,
            _ => MAX_PER_SOURCE,
        };
        let found = evidence
            .iter()
            .filter(|e: &&Evidence| e.source == source)
            .count();
        if found >= limit {
            continue;
        }
        let mut words: Vec<String> = Vec::new();
        for &(hash, from, to) in terms {
            if wanted.contains(&hash) {
                let word = &text[from as usize..to as usize];
                if !words.iter().any(|w| w == word) {
                    words.push(word.to_string());
                }
            }
        }
        if !words.is_empty() {
            evidence.push(Evidence {
                source,
                text: text.to_string(),
                words,
            });
        }
    }
    let mut matched_words: Vec<String> = Vec::new();
    for e in &evidence {
        for w in &e.words {
            if !matched_words.iter().any(|m| m.eq_ignore_ascii_case(w)) {
                matched_words.push(w.clone());
            }
        }
    }
    Explanation {
        matched_words,
        evidence,
        examples: Vec::new(),
    }
}

//! Explanations: which words matched where, the nomenclature path, and the nearest labelled
//! examples (rulings) with their codes.

use std::collections::HashSet;

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

pub(crate) fn explain(doc: &SubheadingDoc, wanted: &HashSet<String>) -> Explanation {
    let mut evidence = Vec::new();
    let mut push = |source: &'static str, text: &str, limit: usize| {
        let found = evidence
            .iter()
            .filter(|e: &&Evidence| e.source == source)
            .count();
        if found >= limit {
            return;
        }
        let (_, words) = search::highlight(text, wanted);
        if !words.is_empty() {
            evidence.push(Evidence {
                source,
                text: text.to_string(),
                words,
            });
        }
    };
    push("subheading", &doc.text, 1);
    let levels = ["chapter", "heading"];
    for (i, c) in doc.context.iter().enumerate() {
        push(levels.get(i).copied().unwrap_or("heading"), c, 1);
    }
    for n in &doc.trade_names {
        push("trade name", n, MAX_PER_SOURCE);
    }
    for n in &doc.national {
        push("national line", n, MAX_PER_SOURCE);
    }
    for e in &doc.examples {
        push("example", e, MAX_PER_SOURCE);
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

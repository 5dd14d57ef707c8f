//! Building blocks for BM25 queries over analysed text, shared by the nomenclature search here
//! and by the classifier's lexical legs, so both read queries the same way.

use std::collections::HashSet;

use tantivy::Index;
use tantivy::Term;
use tantivy::query::{BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::TextAnalyzer;

use crate::analyzer::{HsTokenizer, NAME};

/// Query terms beyond this many are ignored: no real description needs more, and it bounds
/// the work one request can cause.
pub const MAX_TERMS: usize = 64;

/// Field options for text analysed with [`text::analyze`].
pub fn analysed_text() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
}

/// Registers the analyser on an index; call before writing or searching.
pub fn register_analyzer(index: &Index) {
    index
        .tokenizers()
        .register(NAME, TextAnalyzer::builder(HsTokenizer).build());
}

/// A query read once: its own terms, and the terms its everyday names stand for.
#[derive(Debug, Clone, Default)]
pub struct QueryTerms {
    pub terms: Vec<String>,
    pub synonym_terms: Vec<String>,
    pub expansions: Vec<text::Expansion>,
}

impl QueryTerms {
    pub fn new(text: &str, synonyms: &text::Synonyms) -> QueryTerms {
        let terms = unique_terms(text);
        let expansions = synonyms.expand(text);
        let synonym_terms = dedup(
            expansions
                .iter()
                .flat_map(|e| e.words.iter().flat_map(|w| unique_terms(w)))
                .filter(|t| !terms.contains(t))
                .collect(),
        );
        QueryTerms {
            terms,
            synonym_terms,
            expansions,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.synonym_terms.is_empty()
    }

    /// Every term that counts as a match, the query's own and its synonyms'.
    pub fn all(&self) -> HashSet<String> {
        self.terms
            .iter()
            .chain(&self.synonym_terms)
            .cloned()
            .collect()
    }

    /// One SHOULD clause per (term, field), boosted by the field's weight; synonym terms count
    /// `synonym_weight` of a typed term.
    pub fn clauses(
        &self,
        fields: &[(Field, f32)],
        synonym_weight: f32,
    ) -> Vec<(Occur, Box<dyn Query>)> {
        let typed = self.terms.iter().map(|t| (t, 1.0));
        let implied = self.synonym_terms.iter().map(|t| (t, synonym_weight));
        typed
            .chain(implied)
            .flat_map(|(term, weight)| {
                fields.iter().map(move |&(field, boost)| {
                    (Occur::Should, term_query(field, term, boost * weight))
                })
            })
            .collect()
    }
}

pub fn term_query(field: Field, term: &str, boost: f32) -> Box<dyn Query> {
    let q = TermQuery::new(
        Term::from_field_text(field, term),
        IndexRecordOption::WithFreqs,
    );
    Box::new(BoostQuery::new(Box::new(q), boost))
}

fn unique_terms(text: &str) -> Vec<String> {
    dedup(
        text::analyze(text)
            .into_iter()
            .map(|t| t.text)
            .take(MAX_TERMS)
            .collect(),
    )
}

fn dedup(terms: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    terms
        .into_iter()
        .filter(|t| seen.insert(t.clone()))
        .collect()
}

use std::collections::HashSet;
use std::ops::Range;

use nomenclature::{HsCode, Level, Node};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use crate::SearchIndex;
use crate::index::level_number;

/// Query terms beyond this many are ignored: no real description needs more, and it bounds
/// the work one request can cause.
const MAX_TERMS: usize = 64;

const BOOST_TEXT: f32 = 3.0;
const BOOST_CONTEXT: f32 = 1.0;
const BOOST_CODE: f32 = 4.0;
const BOOST_SYNONYM: f32 = 0.6;

#[derive(Debug, Clone)]
pub struct SearchRequest<'a> {
    pub text: &'a str,
    pub limit: usize,
    /// Only codes of this level, when set.
    pub level: Option<Level>,
}

/// One ranked code with the parts of its description that matched.
#[derive(Debug, Clone)]
pub struct Hit {
    pub code: HsCode,
    pub score: f32,
    /// Byte ranges of the description that matched the query.
    pub highlights: Vec<Range<usize>>,
    /// The words of the description that matched, as written there.
    pub matched_words: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Hits {
    pub hits: Vec<Hit>,
    /// True when the query was read as a code (or code prefix) rather than words.
    pub code_lookup: bool,
    /// Everyday names recognised in the query and the nomenclature words they added.
    pub expansions: Vec<text::Expansion>,
}

impl SearchIndex {
    pub fn search(&self, req: &SearchRequest<'_>) -> Hits {
        if req.limit == 0 {
            return Hits::default();
        }
        if HsCode::looks_like_code(req.text) {
            return self.code_prefix_lookup(req);
        }
        self.text_search(req)
    }

    /// "8471", "8471.3", "847130" or a national line "8471300000": the code and what lies
    /// below it, in code order.
    fn code_prefix_lookup(&self, req: &SearchRequest<'_>) -> Hits {
        let digits: String = req
            .text
            .chars()
            .filter(char::is_ascii_digit)
            .take(6)
            .collect();
        let hits = self
            .nomenclature
            .nodes()
            .iter()
            .filter(|n| n.code.as_str().starts_with(&digits))
            .filter(|n| req.level.is_none_or(|l| n.level() == l))
            .take(req.limit)
            .enumerate()
            .map(|(rank, n)| Hit {
                code: n.code.clone(),
                score: 1.0 / (1.0 + rank as f32),
                highlights: Vec::new(),
                matched_words: Vec::new(),
            })
            .collect();
        Hits {
            hits,
            code_lookup: true,
            expansions: Vec::new(),
        }
    }

    fn text_search(&self, req: &SearchRequest<'_>) -> Hits {
        let f = self.fields;
        let terms = unique_terms(req.text);
        let expansions = self.synonyms.expand(req.text);
        let synonym_terms: Vec<String> = expansions
            .iter()
            .flat_map(|e| e.words.iter().flat_map(|w| unique_terms(w)))
            .filter(|t| !terms.contains(t))
            .collect::<Vec<_>>();

        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for term in &terms {
            clauses.push((Occur::Should, term_query(f.text, term, BOOST_TEXT)));
            clauses.push((Occur::Should, term_query(f.context, term, BOOST_CONTEXT)));
            if term.len() >= 2 && term.chars().all(|c| c.is_ascii_digit()) {
                clauses.push((Occur::Should, term_query(f.prefixes, term, BOOST_CODE)));
            }
        }
        for term in dedup(synonym_terms) {
            clauses.push((
                Occur::Should,
                term_query(f.text, &term, BOOST_TEXT * BOOST_SYNONYM),
            ));
            let boost = BOOST_CONTEXT * BOOST_SYNONYM;
            clauses.push((Occur::Should, term_query(f.context, &term, boost)));
        }
        if clauses.is_empty() {
            return Hits {
                expansions,
                ..Hits::default()
            };
        }
        let mut query: Box<dyn Query> = Box::new(BooleanQuery::new(clauses));
        if let Some(level) = req.level {
            let level_term = Term::from_field_u64(f.level, level_number(level));
            let filter = TermQuery::new(level_term, IndexRecordOption::Basic);
            query = Box::new(BooleanQuery::new(vec![
                (Occur::Must, query),
                (Occur::Must, Box::new(filter)),
            ]));
        }

        let searcher = self.reader.searcher();
        let top = searcher
            .search(&query, &TopDocs::with_limit(req.limit).order_by_score())
            .unwrap_or_default();
        let wanted: HashSet<String> = terms
            .iter()
            .cloned()
            .chain(
                expansions
                    .iter()
                    .flat_map(|e| e.words.iter().flat_map(|w| unique_terms(w))),
            )
            .collect();
        let hits = top
            .into_iter()
            .filter_map(|(score, addr)| {
                let doc: TantivyDocument = searcher.doc(addr).ok()?;
                let code = HsCode::parse(doc.get_first(f.code)?.as_str()?).ok()?;
                let node = self.nomenclature.get(&code)?;
                Some(highlighted(node, score, &wanted))
            })
            .collect();
        Hits {
            hits,
            code_lookup: false,
            expansions,
        }
    }
}

fn term_query(field: Field, term: &str, boost: f32) -> Box<dyn Query> {
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

fn highlighted(node: &Node, score: f32, wanted: &HashSet<String>) -> Hit {
    let mut highlights = Vec::new();
    let mut matched_words: Vec<String> = Vec::new();
    for token in text::analyze(&node.description) {
        if wanted.contains(&token.text) {
            let word = node.description[token.from..token.to].to_string();
            if !matched_words.contains(&word) {
                matched_words.push(word);
            }
            highlights.push(token.from..token.to);
        }
    }
    Hit {
        code: node.code.clone(),
        score,
        highlights,
        matched_words,
    }
}

use std::collections::HashSet;
use std::ops::Range;

use nomenclature::{HsCode, Level, Node};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

use crate::SearchIndex;
use crate::index::level_number;
use crate::weighted::{QueryTerms, term_query};

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
        let q = QueryTerms::new(req.text, &self.synonyms);
        let fields = [(f.text, BOOST_TEXT), (f.context, BOOST_CONTEXT)];
        let mut clauses = q.clauses(&fields, BOOST_SYNONYM);
        for term in q
            .terms
            .iter()
            .filter(|t| t.len() >= 2 && t.chars().all(|c| c.is_ascii_digit()))
        {
            clauses.push((Occur::Should, term_query(f.prefixes, term, BOOST_CODE)));
        }
        if clauses.is_empty() {
            return Hits {
                expansions: q.expansions,
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
        let wanted = q.all();
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
            expansions: q.expansions,
        }
    }
}

/// Byte ranges of `text` whose analysed terms are in `wanted`, and the words there.
pub fn highlight(text: &str, wanted: &HashSet<String>) -> (Vec<Range<usize>>, Vec<String>) {
    let mut ranges = Vec::new();
    let mut words: Vec<String> = Vec::new();
    for token in text::analyze(text) {
        if wanted.contains(&token.text) {
            let word = text[token.from..token.to].to_string();
            if !words.contains(&word) {
                words.push(word);
            }
            ranges.push(token.from..token.to);
        }
    }
    (ranges, words)
}

fn highlighted(node: &Node, score: f32, wanted: &HashSet<String>) -> Hit {
    let (highlights, matched_words) = highlight(&node.description, wanted);
    Hit {
        code: node.code.clone(),
        score,
        highlights,
        matched_words,
    }
}

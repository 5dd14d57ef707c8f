//! The model legs. Each scores subheadings (by position in the corpus) for a query; higher is
//! better, on the leg's own scale. Fusion normalises the scales.

use std::collections::HashMap;

use corpus::{Corpus, Split};
use search::weighted::{QueryTerms, analysed_text, register_analyzer};
use tantivy::collector::TopDocs;
use tantivy::query::BooleanQuery;
use tantivy::schema::{Field, INDEXED, STORED, Schema, Value};
use tantivy::{Index, IndexReader, TantivyDocument};

use crate::ClassifyError;

/// How many hits a leg returns; fusion works over their union.
pub const LEG_DEPTH: usize = 100;
const WRITER_HEAP_BYTES: usize = 64 * 1024 * 1024;

/// Scores of one leg: (corpus position, score), best first.
pub type LegHits = Vec<(usize, f32)>;

fn index_err(leg: &'static str) -> impl FnOnce(tantivy::TantivyError) -> ClassifyError {
    move |source| ClassifyError::Index { leg, source }
}

/// BM25 over the enriched subheading documents: own text, context, national lines, trade
/// names and training examples, each field with its weight.
pub struct Lexical {
    reader: IndexReader,
    fields: Vec<(Field, f32)>,
    position: Field,
}

impl Lexical {
    pub fn build(corpus: &Corpus) -> Result<Lexical, ClassifyError> {
        let mut b = Schema::builder();
        let t = analysed_text();
        let text = b.add_text_field("text", t.clone());
        let context = b.add_text_field("context", t.clone());
        let national = b.add_text_field("national", t.clone());
        let trade = b.add_text_field("trade", t.clone());
        let examples = b.add_text_field("examples", t);
        let position = b.add_u64_field("position", INDEXED | STORED);
        let index = Index::create_in_ram(b.build());
        register_analyzer(&index);
        let mut w = index
            .writer_with_num_threads::<TantivyDocument>(1, WRITER_HEAP_BYTES)
            .map_err(index_err("lexical"))?;
        for (i, d) in corpus.docs.iter().enumerate() {
            // What a text names only to exclude ("other than cotton") must not match.
            let mut doc = TantivyDocument::default();
            doc.add_text(text, text::without_negated(&d.text));
            for c in &d.context {
                doc.add_text(context, text::without_negated(c));
            }
            for n in &d.national {
                doc.add_text(national, text::without_negated(n));
            }
            for n in &d.trade_names {
                doc.add_text(trade, n);
            }
            for e in &d.examples {
                doc.add_text(examples, e);
            }
            doc.add_u64(position, i as u64);
            w.add_document(doc).map_err(index_err("lexical"))?;
        }
        w.commit().map_err(index_err("lexical"))?;
        let reader = index.reader().map_err(index_err("lexical"))?;
        Ok(Lexical {
            reader,
            fields: vec![
                (text, 3.0),
                (context, 1.0),
                (national, 1.5),
                (trade, 2.0),
                (examples, 2.0),
            ],
            position,
        })
    }

    pub fn score(&self, q: &QueryTerms) -> LegHits {
        top_positions(&self.reader, q, &self.fields, self.position, LEG_DEPTH)
    }
}

fn top_positions(
    reader: &IndexReader,
    q: &QueryTerms,
    fields: &[(Field, f32)],
    position: Field,
    depth: usize,
) -> Vec<(usize, f32)> {
    let clauses = q.clauses(fields, 0.6);
    if clauses.is_empty() {
        return Vec::new();
    }
    let searcher = reader.searcher();
    let query = BooleanQuery::new(clauses);
    let top = searcher
        .search(&query, &TopDocs::with_limit(depth).order_by_score())
        .unwrap_or_default();
    top.into_iter()
        .filter_map(|(score, addr)| {
            let doc: TantivyDocument = searcher.doc(addr).ok()?;
            Some((doc.get_first(position)?.as_u64()? as usize, score))
        })
        .collect()
}

/// Nearest labelled examples (BM25 over the training split): each subheading scores as its
/// best-matching example. How people write, rather than how the tariff does.
pub struct Examples {
    reader: IndexReader,
    text: Field,
    example: Field,
    /// Training example number → corpus position of its code.
    code_position: Vec<usize>,
    texts: Vec<(String, nomenclature::HsCode)>,
}

/// One labelled example close to the query.
#[derive(Debug, Clone)]
pub struct ExampleHit {
    pub text: String,
    pub code: nomenclature::HsCode,
    pub position: usize,
    pub score: f32,
}

impl Examples {
    pub fn build(corpus: &Corpus) -> Result<Examples, ClassifyError> {
        let positions: HashMap<&nomenclature::HsCode, usize> = corpus
            .docs
            .iter()
            .enumerate()
            .map(|(i, d)| (&d.code, i))
            .collect();
        let mut b = Schema::builder();
        let text = b.add_text_field("text", analysed_text());
        let example = b.add_u64_field("example", INDEXED | STORED);
        let index = Index::create_in_ram(b.build());
        register_analyzer(&index);
        let mut w = index
            .writer_with_num_threads::<TantivyDocument>(1, WRITER_HEAP_BYTES)
            .map_err(index_err("examples"))?;
        let mut code_position = Vec::new();
        let mut texts = Vec::new();
        for ex in corpus.labelled.split(Split::Train) {
            let Some(&pos) = positions.get(&ex.code) else {
                continue;
            };
            let mut doc = TantivyDocument::default();
            doc.add_text(text, &ex.text);
            doc.add_u64(example, code_position.len() as u64);
            w.add_document(doc).map_err(index_err("examples"))?;
            code_position.push(pos);
            texts.push((ex.text.clone(), ex.code.clone()));
        }
        w.commit().map_err(index_err("examples"))?;
        let reader = index.reader().map_err(index_err("examples"))?;
        Ok(Examples {
            reader,
            text,
            example,
            code_position,
            texts,
        })
    }

    pub fn len(&self) -> usize {
        self.texts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// Which of `positions` subheadings have at least one example: all the example legs can
    /// ever score.
    pub fn scorable(&self, positions: usize) -> Vec<bool> {
        let mut out = vec![false; positions];
        for &p in &self.code_position {
            out[p] = true;
        }
        out
    }

    /// The nearest examples themselves, best first.
    pub fn nearest(&self, q: &QueryTerms, k: usize) -> Vec<ExampleHit> {
        top_positions(&self.reader, q, &[(self.text, 1.0)], self.example, k)
            .into_iter()
            .map(|(n, score)| ExampleHit {
                text: self.texts[n].0.clone(),
                code: self.texts[n].1.clone(),
                position: self.code_position[n],
                score,
            })
            .collect()
    }

    /// Subheadings scored by their best example among the nearest.
    pub fn score(&self, q: &QueryTerms) -> LegHits {
        best_per_subheading(&self.nearest(q, LEG_DEPTH))
    }
}

/// The leg's hits from the nearest examples: each subheading at its best example's score.
pub fn best_per_subheading(nearest: &[ExampleHit]) -> LegHits {
    let mut best: Vec<(usize, f32)> = Vec::new();
    for hit in nearest {
        if !best.iter().any(|(p, _)| *p == hit.position) {
            best.push((hit.position, hit.score));
        }
    }
    best
}

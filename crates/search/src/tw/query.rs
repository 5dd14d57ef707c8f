//! Text queries over the tariff index: terms weighted by kind (CJK pair, CJK character,
//! synonym), BM25 over four fields, and the matched stretches of each hit's texts.

use std::ops::Range;

use nomenclature::HsCode;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query};
use tariff::{CccCode, TariffLine};

use super::TariffIndex;
use crate::weighted::term_query;

/// Field weights: the line's own Chinese text is what a Taiwanese query names; its English
/// text next; the subheading/heading/chapter names only place it.
const BOOST_ZH: f32 = 3.0;
const BOOST_EN: f32 = 1.5;
const BOOST_CONTEXT_ZH: f32 = 1.0;
const BOOST_CONTEXT_EN: f32 = 0.5;
/// A single CJK character says less than a pair (蝦 vs 蝦仁): it still finds a line when
/// the pairs differ, without outweighing the lines that share whole pairs.
const WEIGHT_UNIGRAM: f32 = 0.5;
/// What a synonym's tariff word counts, against a word the user typed.
const WEIGHT_SYNONYM: f32 = 0.6;
/// Numbers and units ("200g", "100%", "1公升") describe the pack, rarely the goods, and the
/// tariff's thresholds are full of them: they count a fifth.
const WEIGHT_MEASURE: f32 = 0.2;
/// Terms beyond this many are ignored (a long shop title gives two per character).
const MAX_TERMS: usize = 160;

/// Unit symbols as the analysers write them.
const UNITS: &[&str] = &[
    "%", "kg", "g", "mg", "l", "ml", "cm", "mm", "m", "m2", "cm3", "w", "kw", "v", "lb", "inch",
    "pcs", "ctn",
];

fn is_measure(term: &str) -> bool {
    term.chars().any(|c| c.is_ascii_digit()) || UNITS.contains(&term)
}

/// One ranked 11-digit line.
#[derive(Debug, Clone)]
pub struct TariffHit {
    pub code: CccCode,
    pub hs6: HsCode,
    pub score: f32,
    /// Stretches of the line's zh and en texts that matched, as written there.
    pub matched: Vec<String>,
}

/// A query read once: weighted terms (its own and its synonyms').
pub(crate) struct WeightedTerms {
    pub terms: Vec<(String, f32)>,
}

impl WeightedTerms {
    pub fn contains(&self, term: &str) -> bool {
        self.terms.iter().any(|(t, _)| t == term)
    }

    /// Adds a term (measures discounted); a term met twice keeps its higher weight.
    fn add(&mut self, term: &str, weight: f32) {
        let weight = if is_measure(term) {
            weight * WEIGHT_MEASURE
        } else {
            weight
        };
        if let Some((_, w)) = self.terms.iter_mut().find(|(t, _)| t == term) {
            *w = w.max(weight);
        } else if self.terms.len() < MAX_TERMS {
            self.terms.push((term.to_string(), weight));
        }
    }
}

impl TariffIndex {
    /// The best lines for `query`: a code or code prefix ("8517.13", "85171300005") walks the
    /// tariff in code order; anything else is BM25 over the analysed texts.
    pub fn search(&self, query: &str, limit: usize) -> Vec<TariffHit> {
        if limit == 0 {
            return Vec::new();
        }
        if let Some(lines) = self.code_walk(query) {
            return lines.into_iter().take(limit).collect();
        }
        let terms = self.terms(query);
        let mut hits = self.ranked_lines(&terms, limit);
        for hit in &mut hits {
            if let Some(line) = self.tariff.get(&hit.code) {
                hit.matched = matched_stretches(line, &terms, self.options.analysis);
            }
        }
        hits
    }

    /// The query's terms with their weights: typed terms 1, measures [`WEIGHT_MEASURE`], CJK
    /// characters inside a longer run [`WEIGHT_UNIGRAM`], synonym words [`WEIGHT_SYNONYM`].
    pub(crate) fn terms(&self, query: &str) -> WeightedTerms {
        let analysis = self.options.analysis;
        let mut terms = WeightedTerms { terms: Vec::new() };
        let own = text::analyze_zh(query, analysis);
        for t in &own {
            // A lone character typed as a word (蝦, 茶) is a whole word, not a fragment.
            let fragment = own.iter().any(|u| {
                u.from <= t.from
                    && u.to >= t.to
                    && u.text.chars().count() >= 2
                    && u.text.chars().all(text::zh::is_cjk)
            });
            let w = if fragment && text::zh::is_unigram(&t.text) {
                WEIGHT_UNIGRAM
            } else {
                1.0
            };
            terms.add(&t.text, w);
        }
        if self.options.synonyms {
            let expansions = self
                .zh_synonyms
                .expand(query)
                .into_iter()
                .chain(self.en_synonyms.expand(query));
            for word in expansions.flat_map(|e| e.words) {
                let whole = word.chars().count() == 1;
                for t in text::analyze_zh(&word, analysis) {
                    let w = if !whole && text::zh::is_unigram(&t.text) {
                        WEIGHT_UNIGRAM
                    } else {
                        1.0
                    };
                    terms.add(&t.text, WEIGHT_SYNONYM * w);
                }
            }
        }
        terms
    }

    /// BM25 over the four text fields; hits without `matched` filled in.
    pub(crate) fn ranked_lines(&self, terms: &WeightedTerms, limit: usize) -> Vec<TariffHit> {
        let f = self.fields;
        let fields = [
            (f.zh, BOOST_ZH),
            (f.en, BOOST_EN),
            (f.context_zh, BOOST_CONTEXT_ZH),
            (f.context_en, BOOST_CONTEXT_EN),
        ];
        let clauses: Vec<(Occur, Box<dyn Query>)> = terms
            .terms
            .iter()
            .flat_map(|(term, weight)| {
                fields.iter().map(move |&(field, boost)| {
                    (Occur::Should, term_query(field, term, boost * weight))
                })
            })
            .collect();
        if clauses.is_empty() {
            return Vec::new();
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let Ok(top) = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score()) else {
            return Vec::new();
        };
        let columns: Vec<_> = searcher
            .segment_readers()
            .iter()
            .map(|s| s.fast_fields().u64(super::LINE).ok())
            .collect();
        let lines = self.tariff.lines();
        top.into_iter()
            .filter_map(|(score, addr)| {
                let column = columns.get(addr.segment_ord as usize)?.as_ref()?;
                let line = lines.get(column.first(addr.doc_id)? as usize)?;
                Some(TariffHit {
                    code: line.code,
                    hs6: line.code.hs6(),
                    score,
                    matched: Vec::new(),
                })
            })
            .collect()
    }
}

/// The stretches of a line's texts covered by matching terms, overlapping ranges merged (so
/// the pairs 冷凍, 凍蝦, 蝦仁 give 冷凍蝦仁). Lone CJK characters count only when nothing
/// longer matched: alone they are weak evidence, not worth showing next to real words.
pub(crate) fn matched_stretches(
    line: &TariffLine,
    terms: &WeightedTerms,
    analysis: text::ZhOptions,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut singles: Vec<String> = Vec::new();
    for source in [&line.description_zh, &line.description_en] {
        let ranges: Vec<Range<usize>> = text::analyze_zh(source, analysis)
            .into_iter()
            .filter(|t| terms.contains(&t.text))
            .map(|t| t.from..t.to)
            .collect();
        for r in merge(ranges) {
            let word = source[r].to_string();
            let bucket = if text::zh::is_unigram(&word) {
                &mut singles
            } else {
                &mut out
            };
            if !bucket.contains(&word) {
                bucket.push(word);
            }
        }
    }
    if out.is_empty() { singles } else { out }
}

fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut out: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start < last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::merge;

    #[test]
    fn merges_overlapping_ranges_only() {
        assert_eq!(merge(vec![3..9, 0..6, 12..15]), vec![0..9, 12..15]);
        assert_eq!(merge(vec![0..3, 3..6]), vec![0..3, 3..6]);
    }
}

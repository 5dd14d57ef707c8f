//! Chinese descriptions. The fused legs read English; a description written in Chinese goes
//! to the Taiwan tariff's Chinese index instead, which ranks 11-digit lines and groups them
//! by HS subheading. Scores become probabilities with a softmax whose temperature was fitted
//! for log-loss on the zh-TW development set (see `ZH_TEMPERATURE`). With a trained head,
//! which learnt the tariff's Chinese names as character n-grams, the two are blended in log
//! space ([`ZH_HEAD_WEIGHT`]); the head also brings candidates the index missed. With a
//! sentence encoder's dense part ([`crate::zh_dense`]) the same is done with its cosines
//! ([`ZH_DENSE_WEIGHT`]).

use std::collections::HashMap;
use std::sync::Arc;

use arc_swap::ArcSwapOption;

use nomenclature::HsCode;
use search::TariffIndex;
use tariff::CccCode;

use crate::zh_dense::{DenseHit, ZH_DENSE_TEMPERATURE, ZhDense, blend_log};

/// Fitted on `crates/eval/fixtures/zh_tw_dev.jsonl`: `customs eval --zh` reports the power
/// of the probabilities that minimises the gold HS6's log-loss, and 6 → 17 took the NLL from
/// 2.52 to 2.15 and the ECE from 0.21 to 0.15 (on the set it was fitted on).
pub const ZH_TEMPERATURE: f32 = 17.0;
/// The trained head's share of the log-space blend with the index, from `customs eval --zh
/// --head-weight W` on the zh-TW development set: 0.05 took HS6 top-1 from 0.520 to 0.541 and
/// 11-digit top-10 from 0.765 to 0.783, HS6 top-10 from 0.907 to 0.897; 0.3 lost 13 points of
/// top-10. The head learnt Chinese only from the tariff's own names, not from how people
/// write, so the index (with its zh-TW synonyms) leads.
pub const ZH_HEAD_WEIGHT: f32 = 0.05;
/// The dense part's (multilingual-e5-small's) share of the log-space blend, from `customs eval
/// --zh --zh-encoder` on the zh-TW development set (index without a head): 0.3 took HS6 top-1
/// from 0.520 to 0.552 (+11 cases, -2) with top-10 0.907 unchanged and 11-digit top-10 from
/// 0.765 to 0.783; 0.5 gave 0.559 top-1 (+18, -7); 0.7 fell back to 0.537; e5 alone had
/// 0.335 / 0.637. It costs about 28 ms per query on two threads.
pub const ZH_DENSE_WEIGHT: f32 = 0.3;
/// Subheadings the softmax runs over; the rest get nothing.
const POOL: usize = 30;
/// Subheadings a guided dialogue's prior takes from the leg.
const PRIOR_POOL: usize = 50;
/// Lines scored to order each candidate's national lines.
const LINE_POOL: usize = 100;

/// Whether a description is written (mostly) in Chinese; the rule lives in `text::zh`.
pub use text::zh::is_chinese;

#[derive(Debug, Clone)]
pub struct ZhCandidate {
    pub hs6: HsCode,
    pub probability: f32,
    /// The national lines under it that matched, best first: where the text decides the
    /// line, the first is it.
    pub lines: Vec<(CccCode, f32)>,
    /// The words of the tariff text that matched.
    pub matched: Vec<String>,
}

pub struct ChineseLeg {
    index: Arc<TariffIndex>,
    temperature: f32,
    /// The trained head blended in and its weight; swapped when another model is promoted.
    head: ArcSwapOption<(Arc<head::Head>, f32)>,
    /// The sentence encoder's part and its weight in the log-space blend.
    dense: Option<(Arc<ZhDense>, f32)>,
}

impl ChineseLeg {
    pub fn new(index: Arc<TariffIndex>) -> ChineseLeg {
        ChineseLeg::with_temperature(index, ZH_TEMPERATURE)
    }

    pub fn with_temperature(index: Arc<TariffIndex>, temperature: f32) -> ChineseLeg {
        ChineseLeg {
            index,
            temperature: temperature.max(1e-3),
            head: ArcSwapOption::empty(),
            dense: None,
        }
    }

    /// Blends the dense part in, with `weight` in [0, 1] ([`ZH_DENSE_WEIGHT`] measured best).
    pub fn with_dense(mut self, dense: Arc<ZhDense>, weight: f32) -> ChineseLeg {
        self.dense = Some((dense, weight.clamp(0.0, 1.0)));
        self
    }

    pub fn has_dense(&self) -> bool {
        self.dense.is_some()
    }

    /// Blends the trained head in, with `weight` in [0, 1] (0: the index alone).
    pub fn with_head(self, head: Arc<head::Head>, weight: f32) -> ChineseLeg {
        self.swap_head(Some(head), weight);
        self
    }

    /// Blends another head in from now on (or none); requests under way keep theirs.
    pub fn swap_head(&self, head: Option<Arc<head::Head>>, weight: f32) {
        self.head
            .store(head.map(|h| Arc::new((h, weight.clamp(0.0, 1.0)))));
    }

    pub fn index(&self) -> &TariffIndex {
        &self.index
    }

    /// Subheadings with probabilities (summing to one over the pool), best first.
    fn ranked(&self, text: &str, limit: usize) -> Vec<(search::Hs6Hit, f32)> {
        let hits = self.index.search_hs6(text, POOL.max(limit));
        let best = hits.first().map_or(0.0, |h| h.score);
        // The index's log-probabilities over its pool (up to a constant).
        let mut scored: Vec<(search::Hs6Hit, f32)> = hits
            .into_iter()
            .map(|h| {
                let s = (h.score - best) / self.temperature;
                (h, s)
            })
            .collect();
        let blended = self.head.load_full();
        if let Some((head, weight)) = blended.as_deref()
            && let Ok(log_probs) = head.log_probs(text, None)
        {
            self.blend(&mut scored, head, *weight, &log_probs);
        }
        if let Some((dense, weight)) = &self.dense
            && let Some(query) = dense.embed(text)
        {
            let hits = dense.search(&query, POOL);
            scored = self.blend_dense(scored, &hits, *weight);
        }
        let Some(max) = scored.iter().map(|s| s.1).reduce(f32::max) else {
            return Vec::new();
        };
        let total: f32 = scored.iter().map(|s| (s.1 - max).exp()).sum();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1));
        scored
            .into_iter()
            .take(limit)
            .map(|(h, s)| (h, (s - max).exp() / total))
            .collect()
    }

    /// Mixes the head's log-probabilities into the index's, adding the head's best
    /// subheadings that the index did not find (with the index's lowest score).
    fn blend(
        &self,
        scored: &mut Vec<(search::Hs6Hit, f32)>,
        head: &head::Head,
        weight: f32,
        log_probs: &[f32],
    ) {
        let labels = head.labels();
        let floor_index = scored.iter().map(|s| s.1).fold(0.0, f32::min) - 1.0;
        let floor_head = log_probs.iter().copied().fold(0.0, f32::min);
        for (leaf, _) in head::top_k(log_probs, POOL) {
            let code = &labels.leaves()[leaf];
            if scored.iter().any(|(h, _)| h.hs6 == *code) {
                continue;
            }
            let lines = self
                .index
                .tariff()
                .by_hs6(code)
                .into_iter()
                .map(|l| l.code)
                .collect();
            let hit = search::Hs6Hit {
                hs6: code.clone(),
                score: 0.0,
                lines,
                matched: Vec::new(),
            };
            scored.push((hit, floor_index));
        }
        for (hit, s) in scored.iter_mut() {
            let lp = labels
                .position(&hit.hs6)
                .map_or(floor_head, |i| log_probs[i]);
            *s = (1.0 - weight) * *s + weight * lp;
        }
    }

    /// Mixes the dense part's subheadings in (see [`crate::zh_dense::blend_log`]); those the
    /// index did not find come with all their lines.
    fn blend_dense(
        &self,
        scored: Vec<(search::Hs6Hit, f32)>,
        hits: &[DenseHit],
        weight: f32,
    ) -> Vec<(search::Hs6Hit, f32)> {
        let index: Vec<(HsCode, f32)> = scored.iter().map(|(h, s)| (h.hs6.clone(), *s)).collect();
        let blended = blend_log(&index, hits, weight, ZH_DENSE_TEMPERATURE);
        let mut by_code: HashMap<HsCode, search::Hs6Hit> = scored
            .into_iter()
            .map(|(h, _)| (h.hs6.clone(), h))
            .collect();
        blended
            .into_iter()
            .map(|(code, s)| {
                let hit = by_code.remove(&code).unwrap_or_else(|| search::Hs6Hit {
                    lines: self
                        .index
                        .tariff()
                        .by_hs6(&code)
                        .into_iter()
                        .map(|l| l.code)
                        .collect(),
                    hs6: code,
                    score: 0.0,
                    matched: Vec::new(),
                });
                (hit, s)
            })
            .collect()
    }

    /// The probabilities alone (a prior for the guided dialogue): no line scoring.
    pub fn probabilities(&self, text: &str) -> Vec<(HsCode, f32)> {
        self.ranked(text, PRIOR_POOL)
            .into_iter()
            .map(|(h, p)| (h.hs6, p))
            .collect()
    }

    /// Ranked subheadings with probabilities and their lines.
    pub fn classify(&self, text: &str, limit: usize) -> Vec<ZhCandidate> {
        let ranked = self.ranked(text, limit);
        if ranked.is_empty() {
            return Vec::new();
        }
        let line_scores = self.index.search(text, LINE_POOL);
        ranked
            .into_iter()
            .map(|(h, probability)| {
                let lines = h
                    .lines
                    .iter()
                    .map(|code| {
                        let score = line_scores
                            .iter()
                            .find(|l| l.code == *code)
                            .map_or(0.0, |l| l.score);
                        (*code, score)
                    })
                    .collect();
                ZhCandidate {
                    hs6: h.hs6,
                    probability,
                    lines,
                    matched: h.matched,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::is_chinese;

    #[test]
    fn chinese_is_told_from_english() {
        assert!(is_chinese("冷凍去殼白蝦仁"));
        assert!(is_chinese("【快充】65W 氮化鎵 USB-C 充電器"));
        assert!(!is_chinese("frozen peeled shrimp"));
        assert!(!is_chinese("USB-C charger 65W"));
    }
}

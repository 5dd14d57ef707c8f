//! Chinese descriptions. The fused legs read English; a description written in Chinese goes
//! to the Taiwan tariff's Chinese index instead, which ranks 11-digit lines and groups them
//! by HS subheading. Scores become probabilities with a softmax whose temperature was fitted
//! for log-loss on the zh-TW development set (see `ZH_TEMPERATURE`).

use std::sync::Arc;

use nomenclature::HsCode;
use search::TariffIndex;
use tariff::CccCode;

/// Fitted on `crates/eval/fixtures/zh_tw_dev.jsonl`: `customs eval --zh` reports the power
/// of the probabilities that minimises the gold HS6's log-loss, and 6 → 17 took the NLL from
/// 2.52 to 2.15 and the ECE from 0.21 to 0.15 (on the set it was fitted on).
pub const ZH_TEMPERATURE: f32 = 17.0;
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
}

impl ChineseLeg {
    pub fn new(index: Arc<TariffIndex>) -> ChineseLeg {
        ChineseLeg::with_temperature(index, ZH_TEMPERATURE)
    }

    pub fn with_temperature(index: Arc<TariffIndex>, temperature: f32) -> ChineseLeg {
        ChineseLeg {
            index,
            temperature: temperature.max(1e-3),
        }
    }

    pub fn index(&self) -> &TariffIndex {
        &self.index
    }

    /// Subheadings with probabilities (summing to one over the pool), best first.
    fn ranked(&self, text: &str, limit: usize) -> Vec<(search::Hs6Hit, f32)> {
        let hits = self.index.search_hs6(text, POOL.max(limit));
        let Some(best) = hits.first().map(|h| h.score) else {
            return Vec::new();
        };
        let weights: Vec<f32> = hits
            .iter()
            .map(|h| ((h.score - best) / self.temperature).exp())
            .collect();
        let total: f32 = weights.iter().sum();
        hits.into_iter()
            .zip(weights)
            .take(limit)
            .map(|(h, w)| (h, w / total))
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

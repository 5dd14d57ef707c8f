//! Fusion of the legs and calibration of the result.
//!
//! Each leg's scores are divided by its best score for the query (so every leg speaks on a
//! 0..1 scale), weighted and summed. Probabilities come from a softmax of the fused scores
//! times a temperature, over *all* subheadings: those no leg found keep a fused score of 0 and
//! share the remaining mass, so a probability means what it says. Weights are tuned for MRR on
//! the development split, then the temperature is fitted there by minimising the negative
//! log-likelihood of the gold code.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::legs::LegHits;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegName {
    /// BM25 over enriched subheading documents.
    Lexical,
    /// BM25 nearest labelled examples.
    Examples,
    /// Sentence-embedding similarity to the subheadings' texts.
    Dense,
    /// Sentence-embedding nearest labelled examples.
    DenseExamples,
    /// The trained head (n-grams and sentence embedding → subheading).
    Trained,
}

impl LegName {
    pub fn as_str(self) -> &'static str {
        match self {
            LegName::Lexical => "lexical",
            LegName::Examples => "examples",
            LegName::Dense => "dense",
            LegName::DenseExamples => "dense_examples",
            LegName::Trained => "trained",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Fusion {
    pub weights: BTreeMap<LegName, f32>,
    pub temperature: f32,
    /// How the weights were chosen; absent for the untuned defaults.
    pub tuning: Option<Tuning>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tuning {
    pub dev_cases: usize,
    pub dev_top1: f64,
    pub dev_mrr10: f64,
    pub dev_nll: f64,
    /// Version of the corpus the legs were built from.
    pub corpus_version: String,
    /// Version of the trained head, when the trained leg took part.
    #[serde(default)]
    pub head_version: Option<String>,
}

/// One development case: where the gold code sits in the corpus, and each leg's hits.
pub struct DevRun {
    pub gold: usize,
    pub legs: Vec<(LegName, LegHits)>,
}

const WEIGHT_GRID: &[f32] = &[0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0];
const ASCENT_ROUNDS: usize = 3;

impl Fusion {
    /// Equal weights and a moderate temperature: used until tuned.
    pub fn untuned(legs: &[LegName]) -> Fusion {
        Fusion {
            weights: legs.iter().map(|&l| (l, 1.0)).collect(),
            temperature: 8.0,
            tuning: None,
        }
    }

    /// Fused scores, best first.
    pub fn fuse(&self, legs: &[(LegName, LegHits)]) -> Vec<(usize, f32)> {
        fuse_with(&self.weights, legs)
    }

    /// Probability of each fused candidate, given `universe` subheadings in all.
    pub fn probabilities(&self, fused: &[(usize, f32)], universe: usize) -> Vec<f32> {
        softmax_with_rest(fused, self.temperature, universe).0
    }

    /// A probability for every corpus position: the fused ones their own, the unseen ones an
    /// equal share of the rest. Sums to one.
    pub fn dense_probabilities(&self, fused: &[(usize, f32)], universe: usize) -> Vec<f64> {
        let (probs, rest) = softmax_with_rest(fused, self.temperature, universe);
        let mut dense = vec![rest as f64; universe];
        for (&(pos, _), p) in fused.iter().zip(probs) {
            dense[pos] = p as f64;
        }
        dense
    }

    /// Tunes weights (MRR@10, by coordinate ascent over a grid) and then the temperature
    /// (NLL) on development runs.
    pub fn tune(
        runs: &[DevRun],
        legs: &[LegName],
        universe: usize,
        corpus_version: &str,
    ) -> Fusion {
        let mut weights = Fusion::untuned(legs).weights;
        let mut best_mrr = rank_metrics(runs, &weights).1;
        // The first leg anchors the scale; the temperature absorbs the rest.
        for _ in 0..ASCENT_ROUNDS {
            let mut improved = false;
            for &leg in legs.iter().skip(1) {
                for &w in WEIGHT_GRID {
                    let mut trial = weights.clone();
                    trial.insert(leg, w);
                    let mrr = rank_metrics(runs, &trial).1;
                    if mrr > best_mrr + 1e-9 {
                        best_mrr = mrr;
                        weights = trial;
                        improved = true;
                    }
                }
            }
            if !improved {
                break;
            }
        }
        let best = (best_mrr, weights);
        let weights = best.1;
        let fused: Vec<(Vec<(usize, f32)>, usize)> = runs
            .iter()
            .map(|r| (fuse_with(&weights, &r.legs), r.gold))
            .collect();
        let mut best_t = (f64::MAX, 1.0f32);
        for i in 0..80 {
            let t = (0.5f64 * (400.0f64 / 0.5).powf(i as f64 / 79.0)) as f32;
            let nll = mean_nll(&fused, t, universe);
            if nll < best_t.0 {
                best_t = (nll, t);
            }
        }
        let (top1, mrr) = rank_metrics(runs, &weights);
        Fusion {
            weights,
            temperature: best_t.1,
            tuning: Some(Tuning {
                dev_cases: runs.len(),
                dev_top1: top1,
                dev_mrr10: mrr,
                dev_nll: best_t.0,
                corpus_version: corpus_version.to_string(),
                head_version: None,
            }),
        }
    }
}

fn fuse_with(weights: &BTreeMap<LegName, f32>, legs: &[(LegName, LegHits)]) -> Vec<(usize, f32)> {
    let mut fused: HashMap<usize, f32> = HashMap::new();
    for (leg, hits) in legs {
        let w = weights.get(leg).copied().unwrap_or(0.0);
        let Some(&(_, top)) = hits.first() else {
            continue;
        };
        if w == 0.0 || top <= 0.0 {
            continue;
        }
        for &(pos, score) in hits {
            *fused.entry(pos).or_default() += w * score / top;
        }
    }
    let mut out: Vec<(usize, f32)> = fused.into_iter().collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// Softmax over the candidates plus `universe - candidates` unseen ones at score 0. Returns
/// the candidates' probabilities and the probability of any one unseen subheading.
fn softmax_with_rest(fused: &[(usize, f32)], t: f32, universe: usize) -> (Vec<f32>, f32) {
    let max = fused.first().map_or(0.0, |f| f.1).max(0.0) * t;
    let exps: Vec<f64> = fused
        .iter()
        .map(|&(_, s)| ((s * t - max) as f64).exp())
        .collect();
    let rest_each = (-(max as f64)).exp();
    let rest = universe.saturating_sub(fused.len()) as f64 * rest_each;
    let z: f64 = exps.iter().sum::<f64>() + rest;
    (
        exps.iter().map(|e| (e / z) as f32).collect(),
        (rest_each / z) as f32,
    )
}

fn mean_nll(fused: &[(Vec<(usize, f32)>, usize)], t: f32, universe: usize) -> f64 {
    let total: f64 = fused
        .iter()
        .map(|(f, gold)| {
            let (probs, rest) = softmax_with_rest(f, t, universe);
            let p = f
                .iter()
                .position(|(pos, _)| pos == gold)
                .map_or(rest, |i| probs[i]);
            -(p.max(1e-12) as f64).ln()
        })
        .sum();
    total / fused.len().max(1) as f64
}

/// (top-1 accuracy, MRR@10) of the fused ranking.
fn rank_metrics(runs: &[DevRun], weights: &BTreeMap<LegName, f32>) -> (f64, f64) {
    let (mut top1, mut mrr) = (0.0, 0.0);
    for run in runs {
        let fused = fuse_with(weights, &run.legs);
        if let Some(rank) = fused.iter().take(10).position(|(p, _)| *p == run.gold) {
            mrr += 1.0 / (rank as f64 + 1.0);
            top1 += (rank == 0) as u8 as f64;
        }
    }
    let n = runs.len().max(1) as f64;
    (top1 / n, mrr / n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probabilities_leave_mass_for_the_unseen() {
        let f = Fusion::untuned(&[LegName::Lexical]);
        let fused = vec![(3, 1.0), (7, 0.5)];
        let p = f.probabilities(&fused, 5000);
        assert!(p[0] > p[1] && p[0] < 1.0);
        let (probs, rest) = softmax_with_rest(&fused, 8.0, 5000);
        let total: f32 = probs.iter().sum::<f32>() + rest * 4998.0;
        assert!((total - 1.0).abs() < 1e-4, "{total}");
    }

    #[test]
    fn tuning_prefers_the_leg_that_finds_the_gold() {
        // The examples leg always has the gold first; the lexical leg only has a wrong code,
        // which the examples leg ranks second. Equal weights put the wrong code first.
        let runs: Vec<DevRun> = (0..20)
            .map(|i| DevRun {
                gold: i,
                legs: vec![
                    (LegName::Lexical, vec![(100 + i, 5.0)]),
                    (LegName::Examples, vec![(i, 9.0), (100 + i, 4.5)]),
                ],
            })
            .collect();
        let f = Fusion::tune(&runs, &[LegName::Lexical, LegName::Examples], 1000, "v");
        assert!(f.weights[&LegName::Examples] > 1.0, "{:?}", f.weights);
        let t = f.tuning.unwrap();
        assert_eq!(t.dev_top1, 1.0);
        assert!(f.temperature > 1.0);
    }
}

//! Fusion of the legs and calibration of the result.
//!
//! Each leg's scores are divided by its best score for the query (so every leg speaks on a
//! 0..1 scale), weighted and summed. Probabilities come from a softmax of the fused scores
//! times a temperature, over *all* subheadings: those no leg found keep a fused score of 0 and
//! share the remaining mass, so a probability means what it says. Weights are tuned for MRR on
//! the development split, then the temperature is fitted there by minimising the negative
//! log-likelihood of the gold code.
//!
//! Some legs can only score some subheadings: the example legs know only those with labelled
//! examples. A subheading such a leg cannot score would otherwise lose that leg's whole weight
//! to any neighbour that has examples ("dried apricots" going to fresh apricots, which has
//! examples, rather than dried ones, which has none). So each candidate's sum is scaled by
//! `(weight of the legs that ran / weight of those that could score it) ^ coverage_exponent`,
//! and the exponent is tuned with the weights (0 turns the correction off).

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
    /// How far a candidate that some legs cannot score is compensated for them (0..1).
    #[serde(default)]
    pub coverage_exponent: f32,
    /// How the weights were chosen; absent for the untuned defaults.
    pub tuning: Option<Tuning>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tuning {
    /// [`FUSION_FORMAT`] when tuned; a stored fusion of another format is tuned again.
    #[serde(default)]
    pub format: u32,
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

/// Bumped when fusion changes what its tuned numbers mean.
pub const FUSION_FORMAT: u32 = 2;

/// Which subheadings (corpus positions) each leg can score at all. A leg not listed can score
/// every one.
#[derive(Debug, Clone, Default)]
pub struct Coverage {
    by_leg: BTreeMap<LegName, Vec<bool>>,
}

impl Coverage {
    /// `leg` scores only the positions marked true.
    pub fn limit(&mut self, leg: LegName, scorable: Vec<bool>) {
        self.by_leg.insert(leg, scorable);
    }

    pub fn covers(&self, leg: LegName, position: usize) -> bool {
        self.by_leg
            .get(&leg)
            .is_none_or(|s| s.get(position).copied().unwrap_or(false))
    }
}

/// One development case: where the gold code sits in the corpus, and each leg's hits.
pub struct DevRun {
    pub gold: usize,
    pub legs: Vec<(LegName, LegHits)>,
}

const WEIGHT_GRID: &[f32] = &[0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0];
const ASCENT_ROUNDS: usize = 3;
const EXPONENT_GRID: &[f32] = &[0.0, 0.25, 0.5, 0.75, 1.0];

/// What fusion needs besides the legs' hits.
#[derive(Clone, Copy)]
struct Knobs<'a> {
    weights: &'a BTreeMap<LegName, f32>,
    coverage: &'a Coverage,
    exponent: f32,
}

impl Fusion {
    /// Equal weights and a moderate temperature: used until tuned.
    pub fn untuned(legs: &[LegName]) -> Fusion {
        Fusion {
            weights: legs.iter().map(|&l| (l, 1.0)).collect(),
            temperature: 8.0,
            coverage_exponent: 0.0,
            tuning: None,
        }
    }

    /// Fused scores, best first.
    pub fn fuse(&self, legs: &[(LegName, LegHits)], coverage: &Coverage) -> Vec<(usize, f32)> {
        fuse_with(self.knobs(coverage), legs)
    }

    fn knobs<'a>(&'a self, coverage: &'a Coverage) -> Knobs<'a> {
        Knobs {
            weights: &self.weights,
            coverage,
            exponent: self.coverage_exponent,
        }
    }

    /// Probability of each fused candidate, given `universe` subheadings in all.
    pub fn probabilities(&self, fused: &[(usize, f32)], universe: usize) -> Vec<f32> {
        softmax_with_rest(fused, self.temperature, universe).0
    }

    /// A probability for every corpus position: the fused ones their own; the unseen ones
    /// share the rest of the mass in proportion to `rest_shape` (log-probabilities over every
    /// position, the trained head's) when given, else equally. Sums to one.
    ///
    /// The rest is most of the mass when a description is vague (0.45 for "altimeters");
    /// spread equally, it makes the chapters with the most subheadings look likeliest.
    pub fn dense_probabilities(
        &self,
        fused: &[(usize, f32)],
        universe: usize,
        rest_shape: Option<&[f32]>,
    ) -> Vec<f64> {
        let (probs, rest) = softmax_with_rest(fused, self.temperature, universe);
        let mut dense = vec![rest as f64; universe];
        let mut seen = vec![false; universe];
        for (&(pos, _), p) in fused.iter().zip(probs) {
            dense[pos] = p as f64;
            seen[pos] = true;
        }
        let Some(shape) = rest_shape.filter(|s| s.len() == universe) else {
            return dense;
        };
        let unseen: Vec<(usize, f64)> = (0..universe)
            .filter(|&i| !seen[i])
            .map(|i| (i, f64::from(shape[i]).exp()))
            .collect();
        let total_weight: f64 = unseen.iter().map(|(_, w)| w).sum();
        if total_weight > 0.0 && total_weight.is_finite() {
            let rest_mass = rest as f64 * unseen.len() as f64;
            for (i, w) in unseen {
                dense[i] = rest_mass * w / total_weight;
            }
        }
        dense
    }

    /// Tunes weights and the coverage exponent (MRR@10, by coordinate ascent over grids) and
    /// then the temperature (NLL) on development runs.
    pub fn tune(
        runs: &[DevRun],
        legs: &[LegName],
        coverage: &Coverage,
        universe: usize,
        corpus_version: &str,
    ) -> Fusion {
        let mut weights = Fusion::untuned(legs).weights;
        let mut exponent = 0.0f32;
        let mrr_of = |weights: &BTreeMap<LegName, f32>, exponent: f32| {
            let knobs = Knobs {
                weights,
                coverage,
                exponent,
            };
            rank_metrics(runs, knobs).1
        };
        let mut best_mrr = mrr_of(&weights, exponent);
        // The first leg anchors the scale; the temperature absorbs the rest.
        for _ in 0..ASCENT_ROUNDS {
            let mut improved = false;
            for &leg in legs.iter().skip(1) {
                for &w in WEIGHT_GRID {
                    let mut trial = weights.clone();
                    trial.insert(leg, w);
                    let mrr = mrr_of(&trial, exponent);
                    if mrr > best_mrr + 1e-9 {
                        best_mrr = mrr;
                        weights = trial;
                        improved = true;
                    }
                }
            }
            for &e in EXPONENT_GRID {
                let mrr = mrr_of(&weights, e);
                if mrr > best_mrr + 1e-9 {
                    best_mrr = mrr;
                    exponent = e;
                    improved = true;
                }
            }
            if !improved {
                break;
            }
        }
        let knobs = Knobs {
            weights: &weights,
            coverage,
            exponent,
        };
        let fused: Vec<(Vec<(usize, f32)>, usize)> = runs
            .iter()
            .map(|r| (fuse_with(knobs, &r.legs), r.gold))
            .collect();
        let mut best_t = (f64::MAX, 1.0f32);
        for i in 0..80 {
            let t = (0.5f64 * (400.0f64 / 0.5).powf(i as f64 / 79.0)) as f32;
            let nll = mean_nll(&fused, t, universe);
            if nll < best_t.0 {
                best_t = (nll, t);
            }
        }
        let (top1, mrr) = rank_metrics(runs, knobs);
        Fusion {
            weights,
            temperature: best_t.1,
            coverage_exponent: exponent,
            tuning: Some(Tuning {
                format: FUSION_FORMAT,
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

fn fuse_with(knobs: Knobs<'_>, legs: &[(LegName, LegHits)]) -> Vec<(usize, f32)> {
    let mut fused: HashMap<usize, f32> = HashMap::new();
    let mut ran: Vec<(LegName, f32)> = Vec::new();
    for (leg, hits) in legs {
        let w = knobs.weights.get(leg).copied().unwrap_or(0.0);
        let Some(&(_, top)) = hits.first() else {
            continue;
        };
        if w == 0.0 || top <= 0.0 {
            continue;
        }
        ran.push((*leg, w));
        for &(pos, score) in hits {
            *fused.entry(pos).or_default() += w * score / top;
        }
    }
    if knobs.exponent > 0.0 {
        let total: f32 = ran.iter().map(|(_, w)| w).sum();
        for (&pos, score) in fused.iter_mut() {
            let able: f32 = ran
                .iter()
                .filter(|(leg, _)| knobs.coverage.covers(*leg, pos))
                .map(|(_, w)| w)
                .sum();
            if able > 0.0 && able < total {
                *score *= (total / able).powf(knobs.exponent);
            }
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
fn rank_metrics(runs: &[DevRun], knobs: Knobs<'_>) -> (f64, f64) {
    let (mut top1, mut mrr) = (0.0, 0.0);
    for run in runs {
        let fused = fuse_with(knobs, &run.legs);
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
    fn the_rest_follows_the_head_where_no_leg_found_anything() {
        let f = Fusion::untuned(&[LegName::Lexical]);
        let fused = vec![(0, 1.0), (1, 0.5)];
        let even = f.dense_probabilities(&fused, 6, None);
        // The head thinks position 4 twenty times likelier than 2, 3 and 5, and puts most
        // of its mass on position 0, which the legs found already.
        let shape: Vec<f32> = [0.7f32, 0.1, 0.01, 0.01, 0.2, 0.01]
            .iter()
            .map(|p| p.ln())
            .collect();
        let shaped = f.dense_probabilities(&fused, 6, Some(&shape));
        assert_eq!(
            &shaped[..2],
            &even[..2],
            "the found keep their own probabilities"
        );
        let rest = |p: &[f64]| p[2..].iter().sum::<f64>();
        assert!(
            (rest(&shaped) - rest(&even)).abs() < 1e-9,
            "the rest's mass is kept"
        );
        assert!((shaped[4] / shaped[2] - 20.0).abs() < 1e-3, "{shaped:?}");
        assert_eq!(shaped[2], shaped[3]);
        assert!((shaped.iter().sum::<f64>() - 1.0).abs() < 1e-5);
        assert_eq!(even[2], even[4], "without a head the rest is even");
        // A shape of the wrong length is ignored rather than misread.
        assert_eq!(f.dense_probabilities(&fused, 6, Some(&shape[..3])), even);
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
        let coverage = Coverage::default();
        let f = Fusion::tune(
            &runs,
            &[LegName::Lexical, LegName::Examples],
            &coverage,
            1000,
            "v",
        );
        assert!(f.weights[&LegName::Examples] > 1.0, "{:?}", f.weights);
        let t = f.tuning.unwrap();
        assert_eq!(t.dev_top1, 1.0);
        assert!(f.temperature > 1.0);
    }

    #[test]
    fn a_code_the_examples_cannot_score_is_compensated_for_them() {
        // Gold 1 has no examples; its neighbour 2 has, and the examples leg finds 2 only.
        // Lexical ranks gold first. Without compensation, 2 wins on the examples' weight.
        let mut coverage = Coverage::default();
        let mut scorable = vec![true; 10];
        scorable[1] = false;
        coverage.limit(LegName::Examples, scorable);
        let legs = vec![
            (LegName::Lexical, vec![(1, 10.0), (2, 9.0)]),
            (LegName::Examples, vec![(2, 5.0)]),
        ];
        let mut f = Fusion::untuned(&[LegName::Lexical, LegName::Examples]);
        assert_eq!(f.fuse(&legs, &coverage)[0].0, 2);
        f.coverage_exponent = 1.0;
        let fused = f.fuse(&legs, &coverage);
        assert_eq!(fused[0].0, 1, "{fused:?}");
        assert!(
            (fused[0].1 - 2.0).abs() < 1e-6,
            "scaled by 2 / 1: {fused:?}"
        );
    }

    #[test]
    fn tuning_finds_the_exponent_when_golds_lack_examples() {
        let mut coverage = Coverage::default();
        coverage.limit(LegName::Examples, (0..200).map(|p| p >= 100).collect());
        // Half the golds (0..10) have no examples and lose to a neighbour the examples leg
        // finds; the other half have examples and the examples leg finds them.
        let runs: Vec<DevRun> = (0..20)
            .map(|i| {
                if i < 10 {
                    DevRun {
                        gold: i,
                        legs: vec![
                            (LegName::Lexical, vec![(i, 10.0), (150 + i, 8.0)]),
                            (LegName::Examples, vec![(150 + i, 5.0)]),
                        ],
                    }
                } else {
                    DevRun {
                        gold: 100 + i,
                        legs: vec![
                            (LegName::Lexical, vec![(170 + i, 10.0), (100 + i, 9.0)]),
                            (LegName::Examples, vec![(100 + i, 5.0), (170 + i, 1.0)]),
                        ],
                    }
                }
            })
            .collect();
        let legs = [LegName::Lexical, LegName::Examples];
        let f = Fusion::tune(&runs, &legs, &coverage, 1000, "v");
        assert!(f.coverage_exponent > 0.0, "{f:?}");
        assert_eq!(f.tuning.unwrap().dev_top1, 1.0);
    }
}

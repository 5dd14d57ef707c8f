//! Comparing two model versions on the same evaluation cases: the difference in top-1
//! accuracy with a paired bootstrap confidence interval, the same per chapter and per data
//! source, and the cases that flipped.
//!
//! Paired: both versions answered the same cases, so the bootstrap resamples cases (not the
//! two accuracies apart), which is what makes a small difference on a shared set detectable.

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// How one version answered one case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseResult {
    pub case_id: String,
    pub text: String,
    /// The gold subheading (6 digits).
    pub gold: String,
    pub source: String,
    pub predicted: String,
    /// 1-based rank of the gold subheading in the top 10; 0 when it is not there.
    pub gold_rank: u32,
    pub confidence: f64,
}

impl CaseResult {
    pub fn correct(&self) -> bool {
        self.gold_rank == 1
    }
}

/// A difference in top-1 accuracy (B minus A) with its 95 % interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Difference {
    pub cases: usize,
    pub a: f64,
    pub b: f64,
    pub diff: f64,
    pub low: f64,
    pub high: f64,
}

impl Difference {
    /// "better" when the whole interval is above 0, "worse" when below, else "no_difference".
    pub fn verdict(&self) -> &'static str {
        if self.low > 0.0 {
            "better"
        } else if self.high < 0.0 {
            "worse"
        } else {
            "no_difference"
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupDifference {
    pub group: String,
    pub difference: Difference,
}

/// A case one version got right and the other wrong.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flip {
    pub case_id: String,
    pub text: String,
    pub gold: String,
    pub source: String,
    pub a_predicted: String,
    pub a_confidence: f64,
    pub b_predicted: String,
    pub b_confidence: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub overall: Difference,
    pub verdict: String,
    pub resamples: usize,
    /// By the gold code's section (roman numeral), then chapter (two digits).
    pub by_section: Vec<GroupDifference>,
    pub by_chapter: Vec<GroupDifference>,
    pub by_source: Vec<GroupDifference>,
    /// Wrong under A, right under B.
    pub to_right: Vec<Flip>,
    /// Right under A, wrong under B.
    pub to_wrong: Vec<Flip>,
    /// Cases only one version answered (left out of everything above).
    pub unpaired: usize,
}

/// Resamples used unless told otherwise: the interval's ends move by less than 0.002 beyond
/// this on sets of a few hundred cases.
pub const RESAMPLES: usize = 2000;

/// Paired bootstrap of B's accuracy minus A's: resample the cases with replacement
/// `resamples` times (seeded, so the same inputs give the same interval) and take the 2.5th
/// and 97.5th percentiles of the difference.
pub fn paired_bootstrap(a: &[bool], b: &[bool], resamples: usize, seed: u64) -> Difference {
    assert_eq!(a.len(), b.len(), "paired outcomes");
    let n = a.len();
    let mean = |v: &[bool]| v.iter().filter(|x| **x).count() as f64 / n.max(1) as f64;
    let (acc_a, acc_b) = (mean(a), mean(b));
    if n == 0 {
        return Difference {
            cases: 0,
            a: 0.0,
            b: 0.0,
            diff: 0.0,
            low: 0.0,
            high: 0.0,
        };
    }
    // Each case contributes -1, 0 or +1 to the difference.
    let delta: Vec<i32> = a
        .iter()
        .zip(b)
        .map(|(x, y)| *y as i32 - *x as i32)
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut diffs: Vec<f64> = (0..resamples.max(1))
        .map(|_| {
            let sum: i64 = (0..n).map(|_| delta[rng.random_range(0..n)] as i64).sum();
            sum as f64 / n as f64
        })
        .collect();
    diffs.sort_by(f64::total_cmp);
    let at = |q: f64| diffs[((q * (diffs.len() - 1) as f64).round()) as usize];
    Difference {
        cases: n,
        a: acc_a,
        b: acc_b,
        diff: acc_b - acc_a,
        low: at(0.025),
        high: at(0.975),
    }
}

/// Compares A's and B's answers on the same set, paired by case id. `section_of` names the
/// section of a gold code (the nomenclature's business, not this crate's).
pub fn compare(
    a: &[CaseResult],
    b: &[CaseResult],
    resamples: usize,
    seed: u64,
    section_of: &dyn Fn(&str) -> Option<String>,
) -> Comparison {
    let by_id: BTreeMap<&str, &CaseResult> = b.iter().map(|r| (r.case_id.as_str(), r)).collect();
    let pairs: Vec<(&CaseResult, &CaseResult)> = a
        .iter()
        .filter_map(|x| by_id.get(x.case_id.as_str()).map(|y| (x, *y)))
        .collect();
    let unpaired = a.len() + b.len() - 2 * pairs.len();
    let outcome = |ps: &[(&CaseResult, &CaseResult)]| -> Difference {
        let xa: Vec<bool> = ps.iter().map(|(x, _)| x.correct()).collect();
        let xb: Vec<bool> = ps.iter().map(|(_, y)| y.correct()).collect();
        paired_bootstrap(&xa, &xb, resamples, seed)
    };
    let grouped = |key: &dyn Fn(&CaseResult) -> String| -> Vec<GroupDifference> {
        let mut groups: BTreeMap<String, Vec<(&CaseResult, &CaseResult)>> = BTreeMap::new();
        for p in &pairs {
            groups.entry(key(p.0)).or_default().push(*p);
        }
        let mut out: Vec<GroupDifference> = groups
            .into_iter()
            .map(|(group, ps)| GroupDifference {
                group,
                difference: outcome(&ps),
            })
            .collect();
        // The largest changes first, then the biggest groups.
        out.sort_by(|x, y| {
            y.difference
                .diff
                .abs()
                .total_cmp(&x.difference.diff.abs())
                .then(y.difference.cases.cmp(&x.difference.cases))
        });
        out
    };
    let flip = |x: &CaseResult, y: &CaseResult| Flip {
        case_id: x.case_id.clone(),
        text: x.text.clone(),
        gold: x.gold.clone(),
        source: x.source.clone(),
        a_predicted: x.predicted.clone(),
        a_confidence: x.confidence,
        b_predicted: y.predicted.clone(),
        b_confidence: y.confidence,
    };
    let overall = outcome(&pairs);
    Comparison {
        verdict: overall.verdict().to_string(),
        overall,
        resamples,
        by_section: grouped(&|r| section_of(&r.gold).unwrap_or_else(|| "?".into())),
        by_chapter: grouped(&|r| r.gold.chars().take(2).collect()),
        by_source: grouped(&|r| r.source.clone()),
        to_right: pairs
            .iter()
            .filter(|(x, y)| !x.correct() && y.correct())
            .map(|(x, y)| flip(x, y))
            .collect(),
        to_wrong: pairs
            .iter()
            .filter(|(x, y)| x.correct() && !y.correct())
            .map(|(x, y)| flip(x, y))
            .collect(),
        unpaired,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(id: usize, gold: &str, rank: u32, source: &str) -> CaseResult {
        CaseResult {
            case_id: format!("c{id}"),
            text: format!("item {id}"),
            gold: gold.into(),
            source: source.into(),
            predicted: if rank == 1 {
                gold.into()
            } else {
                "999999".into()
            },
            gold_rank: rank,
            confidence: 0.5,
        }
    }

    #[test]
    fn identical_answers_differ_by_exactly_zero() {
        let a = [true, false, true, true];
        let d = paired_bootstrap(&a, &a, 500, 1);
        assert_eq!((d.diff, d.low, d.high), (0.0, 0.0, 0.0));
        assert_eq!(d.verdict(), "no_difference");
    }

    #[test]
    fn a_clear_improvement_is_better_and_a_coin_flip_is_not() {
        // B fixes 60 of A's 100 errors on 300 cases and breaks none.
        let a: Vec<bool> = (0..300).map(|i| i >= 100).collect();
        let b: Vec<bool> = (0..300).map(|i| i >= 40).collect();
        let d = paired_bootstrap(&a, &b, 2000, 7);
        assert!((d.diff - 0.2).abs() < 1e-12);
        assert!(d.low > 0.14 && d.high < 0.26, "{d:?}");
        assert_eq!(d.verdict(), "better");
        assert_eq!(paired_bootstrap(&b, &a, 2000, 7).verdict(), "worse");
        // Ten fixed and ten broken: no difference, interval around 0.
        let c: Vec<bool> = (0..300).map(|i| !(10..110).contains(&i)).collect();
        let d = paired_bootstrap(&a, &c, 2000, 7);
        assert_eq!(d.diff, 0.0);
        assert_eq!(d.verdict(), "no_difference");
        // Seeded: the same interval twice.
        assert_eq!(paired_bootstrap(&a, &c, 2000, 7), d);
    }

    #[test]
    fn comparison_pairs_by_id_and_lists_flips_by_group() {
        let a = vec![
            case(1, "081340", 1, "uk"),
            case(2, "610910", 2, "uk"),
            case(3, "847130", 1, "cbp"),
            case(9, "010121", 1, "uk"),
        ];
        let b = vec![
            case(3, "847130", 3, "cbp"),
            case(2, "610910", 1, "uk"),
            case(1, "081340", 1, "uk"),
        ];
        let section = |code: &str| Some(if code < "50" { "I-X" } else { "XI-XXI" }.to_string());
        let c = compare(&a, &b, 200, 3, &section);
        assert_eq!(c.overall.cases, 3);
        assert_eq!(c.unpaired, 1);
        assert_eq!(c.to_right.len(), 1);
        assert_eq!(c.to_right[0].case_id, "c2");
        assert_eq!(c.to_wrong[0].case_id, "c3");
        assert_eq!(c.to_wrong[0].b_predicted, "999999");
        let chapters: Vec<&str> = c.by_chapter.iter().map(|g| g.group.as_str()).collect();
        assert_eq!(chapters.len(), 3);
        assert!(
            c.by_source
                .iter()
                .any(|g| g.group == "cbp" && g.difference.diff == -1.0)
        );
        assert_eq!(c.by_section.len(), 2);
    }
}

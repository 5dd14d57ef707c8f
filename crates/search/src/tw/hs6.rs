//! Lines aggregated to their HS 2022 subheading: what an international code needs, and what
//! the national lines under one subheading say together.

use std::collections::HashMap;

use nomenclature::HsCode;
use tariff::CccCode;

use super::TariffIndex;
use super::query::{TariffHit, matched_stretches};

/// Lines looked at per requested subheading (at least [`MIN_POOL`]): enough that a subheading
/// whose best line ranks low still gathers its other lines.
const POOL_PER_HIT: usize = 20;
const MIN_POOL: usize = 200;

/// How line scores combine into a subheading's score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Hs6Aggregation {
    /// The best line's score: a subheading is as good as its best line.
    Max,
    /// `t·ln Σ exp(s/t)`: the best line, plus a little for each other good line.
    SoftMax { temperature: f32 },
}

impl Hs6Aggregation {
    fn combine(self, scores: &[f32]) -> f32 {
        let max = scores.iter().copied().fold(f32::MIN, f32::max);
        match self {
            Hs6Aggregation::Max => max,
            Hs6Aggregation::SoftMax { temperature: t } => {
                max + t * scores
                    .iter()
                    .map(|s| ((s - max) / t).exp())
                    .sum::<f32>()
                    .ln()
            }
        }
    }
}

/// One ranked subheading with the lines that made it.
#[derive(Debug, Clone)]
pub struct Hs6Hit {
    pub hs6: HsCode,
    pub score: f32,
    /// Its matching lines, best first.
    pub lines: Vec<CccCode>,
    /// What matched in the best line.
    pub matched: Vec<String>,
}

impl TariffIndex {
    /// The best HS6 subheadings for `query`, from the best lines under each.
    pub fn search_hs6(&self, query: &str, limit: usize) -> Vec<Hs6Hit> {
        if limit == 0 {
            return Vec::new();
        }
        if let Some(lines) = self.code_walk(query) {
            return group(lines, Hs6Aggregation::Max, limit);
        }
        let terms = self.terms(query);
        let pool = self.ranked_lines(&terms, (limit * POOL_PER_HIT).max(MIN_POOL));
        let mut hits = group(pool, self.options.aggregation, limit);
        for hit in &mut hits {
            if let Some(line) = hit.lines.first().and_then(|c| self.tariff.get(c)) {
                hit.matched = matched_stretches(line, &terms, self.options.analysis);
            }
        }
        hits
    }
}

/// Groups ranked lines by subheading, scores each group, keeps the best `limit`; ties keep
/// the order in which the groups first appeared.
fn group(lines: Vec<TariffHit>, aggregation: Hs6Aggregation, limit: usize) -> Vec<Hs6Hit> {
    let mut order: Vec<HsCode> = Vec::new();
    let mut groups: HashMap<HsCode, Vec<TariffHit>> = HashMap::new();
    for hit in lines {
        let entry = groups.entry(hit.hs6.clone()).or_insert_with(|| {
            order.push(hit.hs6.clone());
            Vec::new()
        });
        entry.push(hit);
    }
    let mut out: Vec<Hs6Hit> = order
        .into_iter()
        .map(|hs6| {
            let lines = groups.remove(&hs6).unwrap_or_default();
            let scores: Vec<f32> = lines.iter().map(|l| l.score).collect();
            Hs6Hit {
                hs6,
                score: aggregation.combine(&scores),
                lines: lines.iter().map(|l| l.code).collect(),
                matched: Vec::new(),
            }
        })
        .collect();
    out.sort_by(|a, b| b.score.total_cmp(&a.score));
    out.truncate(limit);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soft_max_rewards_many_good_lines_but_stays_near_the_best() {
        let max = Hs6Aggregation::Max.combine(&[10.0, 9.0]);
        let soft = Hs6Aggregation::SoftMax { temperature: 1.0 }.combine(&[10.0, 9.0]);
        assert_eq!(max, 10.0);
        assert!(soft > 10.0 && soft < 10.5, "{soft}");
        let one = Hs6Aggregation::SoftMax { temperature: 1.0 }.combine(&[10.0]);
        assert!((one - 10.0).abs() < 1e-5);
    }
}

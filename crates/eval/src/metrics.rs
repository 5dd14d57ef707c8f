use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use serde::Serialize;

use crate::{Case, Ranked};

pub const DIGITS: [usize; 3] = [6, 4, 2];
pub const KS: [usize; 4] = [1, 3, 5, 10];
const BOOTSTRAP_RESAMPLES: usize = 1000;

#[derive(Debug, Clone, Serialize)]
pub struct SystemMetrics {
    pub name: String,
    /// "top{k}@{digits}" → share of cases whose gold prefix is among the first k distinct
    /// prefixes of that length.
    pub accuracy: BTreeMap<String, f64>,
    pub mrr10_at_6: f64,
    pub mrr10_at_4: f64,
    /// 95 % bootstrap interval of top-1 accuracy at 6 digits.
    pub top1_at_6_ci95: (f64, f64),
    /// Cases with a gold code of at least 6 digits (the others count only at 4 and 2).
    pub cases_at_6: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Latency {
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub mean_ms: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bin {
    pub from: f64,
    pub to: f64,
    pub count: usize,
    pub mean_confidence: f64,
    pub accuracy: f64,
}

/// Reliability of the top candidate's probability at 6 digits.
#[derive(Debug, Clone, Serialize)]
pub struct Calibration {
    pub bins: Vec<Bin>,
    /// Expected calibration error: the count-weighted mean |accuracy − confidence|.
    pub ece: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChapterRow {
    pub chapter: String,
    pub cases: usize,
    pub top1_at_6: f64,
    pub top5_at_6: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Confusion {
    pub gold: String,
    pub predicted: String,
    pub count: usize,
    pub example: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub gold_sha256: String,
    pub cases: usize,
    pub systems: Vec<SystemMetrics>,
    pub latency: Option<Latency>,
    pub calibration: Option<Calibration>,
    pub per_chapter: Vec<ChapterRow>,
    pub confusions: Vec<Confusion>,
    /// Free-form facts about what was evaluated (corpus version, fusion weights, …).
    pub about: serde_json::Value,
}

/// 1-based rank of the gold prefix among the distinct prefixes of `ranked`, if present.
fn rank_at(ranked: &Ranked, gold: &str, digits: usize) -> Option<usize> {
    if gold.len() < digits {
        return None;
    }
    let want = &gold[..digits];
    let mut seen: Vec<&str> = Vec::new();
    for (code, _) in ranked {
        let prefix = &code.as_str()[..digits];
        if !seen.contains(&prefix) {
            seen.push(prefix);
            if prefix == want {
                return Some(seen.len());
            }
        }
    }
    None
}

/// A small deterministic generator for the bootstrap, so reports repeat exactly.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

fn bootstrap_ci(hits: &[bool]) -> (f64, f64) {
    if hits.is_empty() {
        return (0.0, 0.0);
    }
    let mut rng = SplitMix(42);
    let n = hits.len();
    let mut means: Vec<f64> = (0..BOOTSTRAP_RESAMPLES)
        .map(|_| {
            let k = (0..n)
                .filter(|_| hits[(rng.next() % n as u64) as usize])
                .count();
            k as f64 / n as f64
        })
        .collect();
    means.sort_by(f64::total_cmp);
    (
        means[BOOTSTRAP_RESAMPLES * 25 / 1000],
        means[BOOTSTRAP_RESAMPLES * 975 / 1000],
    )
}

fn system_metrics(name: &str, cases: &[Case], ranked: &[Ranked]) -> SystemMetrics {
    let mut accuracy = BTreeMap::new();
    for d in DIGITS {
        let eligible: Vec<usize> = (0..cases.len())
            .filter(|&i| cases[i].code.len() >= d)
            .collect();
        for k in KS {
            let hit = eligible
                .iter()
                .filter(|&&i| rank_at(&ranked[i], &cases[i].code, d).is_some_and(|r| r <= k))
                .count();
            accuracy.insert(
                format!("top{k}@{d}"),
                hit as f64 / eligible.len().max(1) as f64,
            );
        }
    }
    let mrr = |d: usize| {
        let eligible: Vec<usize> = (0..cases.len())
            .filter(|&i| cases[i].code.len() >= d)
            .collect();
        let sum: f64 = eligible
            .iter()
            .filter_map(|&i| rank_at(&ranked[i], &cases[i].code, d))
            .filter(|&r| r <= 10)
            .map(|r| 1.0 / r as f64)
            .sum();
        sum / eligible.len().max(1) as f64
    };
    let top1: Vec<bool> = (0..cases.len())
        .filter(|&i| cases[i].code.len() >= 6)
        .map(|i| rank_at(&ranked[i], &cases[i].code, 6) == Some(1))
        .collect();
    SystemMetrics {
        name: name.to_string(),
        accuracy,
        mrr10_at_6: mrr(6),
        mrr10_at_4: mrr(4),
        top1_at_6_ci95: bootstrap_ci(&top1),
        cases_at_6: top1.len(),
    }
}

fn percentile_ms(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn calibration(cases: &[Case], ranked: &[Ranked]) -> Calibration {
    let mut bins: Vec<(f64, f64, usize)> = vec![(0.0, 0.0, 0); 10];
    let mut total = 0;
    for (case, r) in cases.iter().zip(ranked) {
        let (Some((code, p)), true) = (r.first(), case.code.len() >= 6) else {
            continue;
        };
        let b = ((*p as f64) * 10.0).floor().clamp(0.0, 9.0) as usize;
        bins[b].0 += *p as f64;
        bins[b].1 += (code.as_str() == &case.code[..6]) as u8 as f64;
        bins[b].2 += 1;
        total += 1;
    }
    let mut ece = 0.0;
    let bins = bins
        .into_iter()
        .enumerate()
        .map(|(i, (conf, acc, n))| {
            let (mc, ma) = if n > 0 {
                (conf / n as f64, acc / n as f64)
            } else {
                (0.0, 0.0)
            };
            ece += n as f64 / total.max(1) as f64 * (ma - mc).abs();
            Bin {
                from: i as f64 / 10.0,
                to: (i + 1) as f64 / 10.0,
                count: n,
                mean_confidence: mc,
                accuracy: ma,
            }
        })
        .collect();
    Calibration { bins, ece }
}

/// Evaluates each system's rankings; the first system is the main one (calibration,
/// chapters, confusions, latency refer to it).
pub fn evaluate(
    cases: &[Case],
    gold_sha256: &str,
    systems: &[(String, Vec<Ranked>)],
    latencies: &[Duration],
    about: serde_json::Value,
) -> Report {
    let metrics = systems
        .iter()
        .map(|(n, r)| system_metrics(n, cases, r))
        .collect();
    let main = systems.first().map(|(_, r)| r.as_slice()).unwrap_or(&[]);
    let mut sorted = latencies.to_vec();
    sorted.sort();
    let latency = (!sorted.is_empty()).then(|| Latency {
        p50_ms: percentile_ms(&sorted, 0.50),
        p95_ms: percentile_ms(&sorted, 0.95),
        p99_ms: percentile_ms(&sorted, 0.99),
        mean_ms: sorted.iter().sum::<Duration>().as_secs_f64() * 1000.0 / sorted.len() as f64,
    });
    let mut chapters: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut confusions: HashMap<(String, String), (usize, String)> = HashMap::new();
    for (case, r) in cases.iter().zip(main) {
        if case.code.len() < 6 {
            continue;
        }
        let rank = rank_at(r, &case.code, 6);
        let row = chapters.entry(case.code[..2].to_string()).or_default();
        row.0 += 1;
        row.1 += (rank == Some(1)) as usize;
        row.2 += rank.is_some_and(|k| k <= 5) as usize;
        if let Some((top, _)) = r.first()
            && top.as_str() != &case.code[..6]
        {
            let entry = confusions
                .entry((case.code[..6].to_string(), top.to_string()))
                .or_insert((0, case.description.clone()));
            entry.0 += 1;
        }
    }
    let per_chapter = chapters
        .into_iter()
        .map(|(chapter, (n, t1, t5))| ChapterRow {
            chapter,
            cases: n,
            top1_at_6: t1 as f64 / n as f64,
            top5_at_6: t5 as f64 / n as f64,
        })
        .collect();
    let mut confusions: Vec<Confusion> = confusions
        .into_iter()
        .map(|((gold, predicted), (count, example))| Confusion {
            gold,
            predicted,
            count,
            example,
        })
        .collect();
    confusions.sort_by(|a, b| b.count.cmp(&a.count).then(a.gold.cmp(&b.gold)));
    confusions.truncate(20);
    Report {
        gold_sha256: gold_sha256.to_string(),
        cases: cases.len(),
        systems: metrics,
        latency,
        calibration: (!main.is_empty()).then(|| calibration(cases, main)),
        per_chapter,
        confusions,
        about,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nomenclature::HsCode;

    fn ranked(codes: &[&str]) -> Ranked {
        codes
            .iter()
            .map(|c| (HsCode::parse(c).unwrap(), 0.5))
            .collect()
    }

    #[test]
    fn ranks_count_distinct_prefixes() {
        let r = ranked(&["847130", "847141", "851713"]);
        assert_eq!(rank_at(&r, "8517130000", 6), Some(3));
        assert_eq!(rank_at(&r, "8517130000", 4), Some(2), "8471 counted once");
        assert_eq!(rank_at(&r, "85", 2), Some(2));
        assert_eq!(rank_at(&r, "85", 4), None, "a 2-digit gold has no heading");
    }

    #[test]
    fn metrics_and_confusions_follow_the_rankings() {
        let cases = vec![
            Case {
                description: "laptop".into(),
                code: "847130".into(),
            },
            Case {
                description: "phone".into(),
                code: "851713".into(),
            },
        ];
        let systems = vec![(
            "fused".to_string(),
            vec![ranked(&["847130"]), ranked(&["847130", "851713"])],
        )];
        let r = evaluate(
            &cases,
            "x",
            &systems,
            &[Duration::from_millis(2)],
            serde_json::Value::Null,
        );
        let m = &r.systems[0];
        assert_eq!(m.accuracy["top1@6"], 0.5);
        assert_eq!(m.accuracy["top3@6"], 1.0);
        assert!((m.mrr10_at_6 - 0.75).abs() < 1e-9);
        assert_eq!(r.confusions[0].gold, "851713");
        assert_eq!(r.confusions[0].predicted, "847130");
        assert_eq!(r.latency.unwrap().p50_ms, 2.0);
        let ci = m.top1_at_6_ci95;
        assert!(ci.0 <= 0.5 && ci.1 >= 0.5);
    }
}

//! Evaluation of Chinese descriptions against the national tariff: top-1 and top-10 at HS6
//! and at the 11-digit line, per kind of writer (public, trader, shop, declaration), the
//! calibration of the probabilities, and the softmax temperature that would fit them best.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::CasesError;

#[derive(Debug, Clone, Deserialize)]
pub struct ZhCase {
    pub id: String,
    pub kind: String,
    pub description: String,
    /// The 11-digit CCC line.
    pub code: String,
    pub hs6: String,
}

pub fn read_zh_cases(path: &Path) -> Result<Vec<ZhCase>, CasesError> {
    let text = std::fs::read_to_string(path).map_err(|e| CasesError::Io {
        path: path.display().to_string(),
        source: e,
    })?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| CasesError::Invalid {
                path: path.display().to_string(),
                line: i + 1,
                message: e.to_string(),
            })
        })
        .collect()
}

/// What the system answered for one case.
#[derive(Debug, Clone, Default)]
pub struct ZhAnswer {
    /// HS6 codes with probabilities, best first.
    pub hs6: Vec<(String, f32)>,
    /// 11-digit lines, best first (the top candidate's lines first).
    pub lines: Vec<String>,
    pub took: Duration,
}

#[derive(Debug, Clone, Serialize)]
pub struct ZhRow {
    pub kind: String,
    pub cases: usize,
    pub hs6_top1: f64,
    pub hs6_top10: f64,
    pub line_top1: f64,
    pub line_top10: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ZhReport {
    pub rows: Vec<ZhRow>,
    /// Mean negative log-likelihood of the gold HS6 (probability floored at 1e-4).
    pub nll: f64,
    /// Expected calibration error of the top answer over 10 bins.
    pub ece: f64,
    /// The power p^a (renormalised) that minimises the NLL: a > 1 means the probabilities
    /// are too flat, a < 1 too sharp. The softmax temperature that fits is T / a.
    pub best_power: f64,
    pub nll_at_best_power: f64,
    pub latency_p50_ms: f64,
    pub latency_p99_ms: f64,
    /// (mean confidence, accuracy, count) per non-empty bin.
    pub reliability: Vec<(f64, f64, usize)>,
    /// Dense retrieval and its blends, when measured (`--zh-encoder`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dense: Option<crate::ZhDenseReport>,
}

const FLOOR: f64 = 1e-4;

fn nll(cases: &[ZhCase], answers: &[ZhAnswer], power: f64) -> f64 {
    let mut total = 0.0;
    for (c, a) in cases.iter().zip(answers) {
        let z: f64 = a.hs6.iter().map(|(_, p)| f64::from(*p).powf(power)).sum();
        let gold = a
            .hs6
            .iter()
            .find(|(code, _)| *code == c.hs6)
            .map_or(0.0, |(_, p)| {
                f64::from(*p).powf(power) / z.max(f64::MIN_POSITIVE)
            });
        total -= gold.max(FLOOR).ln();
    }
    total / cases.len().max(1) as f64
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

pub fn evaluate_zh(cases: &[ZhCase], answers: &[ZhAnswer]) -> ZhReport {
    let mut by_kind: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, c) in cases.iter().enumerate() {
        by_kind.entry(c.kind.clone()).or_default().push(i);
        by_kind.entry("all".into()).or_default().push(i);
    }
    let share = |idx: &[usize], hit: &dyn Fn(usize) -> bool| {
        idx.iter().filter(|&&i| hit(i)).count() as f64 / idx.len().max(1) as f64
    };
    let rows = by_kind
        .iter()
        .map(|(kind, idx)| ZhRow {
            kind: kind.clone(),
            cases: idx.len(),
            hs6_top1: share(idx, &|i| {
                answers[i]
                    .hs6
                    .first()
                    .is_some_and(|(c, _)| *c == cases[i].hs6)
            }),
            hs6_top10: share(idx, &|i| {
                answers[i]
                    .hs6
                    .iter()
                    .take(10)
                    .any(|(c, _)| *c == cases[i].hs6)
            }),
            line_top1: share(idx, &|i| answers[i].lines.first() == Some(&cases[i].code)),
            line_top10: share(idx, &|i| {
                answers[i]
                    .lines
                    .iter()
                    .take(10)
                    .any(|c| *c == cases[i].code)
            }),
        })
        .collect();
    let (best_power, nll_at_best_power) = (1..=80)
        .map(|k| f64::from(k) * 0.05)
        .map(|a| (a, nll(cases, answers, a)))
        .min_by(|x, y| x.1.total_cmp(&y.1))
        .unwrap_or((1.0, nll(cases, answers, 1.0)));
    let mut bins = vec![(0.0, 0.0, 0usize); 10];
    for (c, a) in cases.iter().zip(answers) {
        let Some((code, p)) = a.hs6.first() else {
            continue;
        };
        let p = f64::from(*p);
        let b = ((p * 10.0) as usize).min(9);
        bins[b].0 += p;
        bins[b].1 += f64::from(u8::from(*code == c.hs6));
        bins[b].2 += 1;
    }
    let n = cases.len().max(1) as f64;
    let ece = bins
        .iter()
        .filter(|b| b.2 > 0)
        .map(|(conf, acc, _)| (conf - acc).abs() / n)
        .sum();
    let reliability = bins
        .iter()
        .filter(|b| b.2 > 0)
        .map(|(conf, acc, k)| (conf / *k as f64, acc / *k as f64, *k))
        .collect();
    let mut took: Vec<Duration> = answers.iter().map(|a| a.took).collect();
    took.sort();
    ZhReport {
        rows,
        nll: nll(cases, answers, 1.0),
        ece,
        best_power,
        nll_at_best_power,
        latency_p50_ms: percentile(&took, 0.5),
        latency_p99_ms: percentile(&took, 0.99),
        reliability,
        dense: None,
    }
}

/// A self-contained page: the table, accuracy bars per kind and the reliability diagram.
pub fn write_zh_html(report: &ZhReport, path: &Path) -> std::io::Result<()> {
    let labels: Vec<String> = report.rows.iter().map(|r| r.kind.clone()).collect();
    let series = vec![
        (
            "HS6 top-1".to_string(),
            report.rows.iter().map(|r| r.hs6_top1).collect(),
        ),
        (
            "HS6 top-10".to_string(),
            report.rows.iter().map(|r| r.hs6_top10).collect(),
        ),
        (
            "11-digit top-1".to_string(),
            report.rows.iter().map(|r| r.line_top1).collect(),
        ),
        (
            "11-digit top-10".to_string(),
            report.rows.iter().map(|r| r.line_top10).collect(),
        ),
    ];
    let mut rows = String::new();
    for r in &report.rows {
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{:.3}</td><td>{:.3}</td><td>{:.3}</td><td>{:.3}</td></tr>",
            r.kind, r.cases, r.hs6_top1, r.hs6_top10, r.line_top1, r.line_top10
        ));
    }
    let page = format!(
        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Chinese classification</title>\
         <h1>Chinese descriptions against the national tariff</h1>\
         <table><tr><th>kind</th><th>cases</th><th>HS6 top-1</th><th>HS6 top-10</th><th>11-digit top-1</th><th>11-digit top-10</th></tr>{rows}</table>\
         <p>NLL {:.3}; ECE {:.3}; best power {:.2} (NLL {:.3}); latency p50 {:.2} ms, p99 {:.2} ms.</p>{}{}{}</html>",
        report.nll,
        report.ece,
        report.best_power,
        report.nll_at_best_power,
        report.latency_p50_ms,
        report.latency_p99_ms,
        crate::svg::bars("Accuracy by kind of description", &labels, &series),
        crate::svg::reliability("Reliability of the top answer", &report.reliability),
        report
            .dense
            .as_ref()
            .map(crate::dense_html)
            .unwrap_or_default(),
    );
    std::fs::write(path, page)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(kind: &str, hs6: &str, code: &str) -> ZhCase {
        ZhCase {
            id: "x".into(),
            kind: kind.into(),
            description: "d".into(),
            code: code.into(),
            hs6: hs6.into(),
        }
    }

    #[test]
    fn counts_hits_per_kind_and_overall() {
        let cases = vec![
            case("shop", "851713", "85171300005"),
            case("public", "030617", "03061712008"),
        ];
        let answers = vec![
            ZhAnswer {
                hs6: vec![("851713".into(), 0.9), ("851714".into(), 0.1)],
                lines: vec!["85171300005".into()],
                took: Duration::from_millis(2),
            },
            ZhAnswer {
                hs6: vec![("030616".into(), 0.6), ("030617".into(), 0.4)],
                lines: vec!["03061600000".into()],
                took: Duration::from_millis(4),
            },
        ];
        let r = evaluate_zh(&cases, &answers);
        let all = r.rows.iter().find(|r| r.kind == "all").unwrap();
        assert_eq!(
            (all.hs6_top1, all.hs6_top10, all.line_top1),
            (0.5, 1.0, 0.5)
        );
        let shop = r.rows.iter().find(|r| r.kind == "shop").unwrap();
        assert_eq!(shop.line_top1, 1.0);
        assert!(r.nll > 0.0 && r.nll_at_best_power <= r.nll);
    }
}

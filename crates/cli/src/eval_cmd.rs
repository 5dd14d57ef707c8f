//! `customs eval --cases FILE`: each leg alone and fused, JSON and HTML reports.

use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use classify::{Classifier, LegName};
use indicatif::{ProgressBar, ProgressStyle};

use crate::BadInput;

const DEPTH: usize = 10;

pub fn run(c: &Classifier, cases_path: &Path, out_dir: &Path) -> anyhow::Result<()> {
    let (cases, sha) = eval::read_cases(cases_path).map_err(|e| BadInput(e.to_string()))?;
    let legs = c.legs();
    let bar = cases_bar(cases.len(), "evaluate");
    let mut fused = Vec::with_capacity(cases.len());
    let mut alone: Vec<Vec<eval::Ranked>> = vec![Vec::with_capacity(cases.len()); legs.len()];
    let mut latencies = Vec::with_capacity(cases.len());
    for case in &cases {
        // Timed as a user sees it: all legs and the fusion.
        let t = Instant::now();
        let run = c.run_legs(&case.description);
        fused.push(c.rank_from_legs(run.clone(), DEPTH, None));
        latencies.push(t.elapsed());
        for (i, &leg) in legs.iter().enumerate() {
            alone[i].push(c.rank_from_legs(run.clone(), DEPTH, Some(leg)));
        }
        bar.inc(1);
    }
    let mut systems = vec![("fused".to_string(), fused)];
    for (leg, ranked) in legs.iter().zip(alone) {
        systems.push((leg_label(*leg), ranked));
    }
    bar.finish_and_clear();
    let about = serde_json::json!({
        "cases_file": cases_path.display().to_string(),
        "corpus_version": c.corpus().manifest.version,
        "fusion": c.fusion(),
    });
    let report = eval::evaluate(&cases, &sha, &systems, &latencies, about);
    std::fs::create_dir_all(out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
    let json_path = out_dir.join("report.json");
    std::fs::write(&json_path, serde_json::to_vec_pretty(&report)?)?;
    let html_path = out_dir.join("report.html");
    eval::write_html(&report, &html_path)?;
    println!(
        "{:<10} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}",
        "system", "top1@6", "top5@6", "top10@6", "top1@4", "top1@2", "MRR@6"
    );
    for s in &report.systems {
        let a = |k: &str| s.accuracy[k];
        println!(
            "{:<10} {:>7.3} {:>7.3} {:>7.3} {:>7.3} {:>7.3} {:>7.3}",
            s.name,
            a("top1@6"),
            a("top5@6"),
            a("top10@6"),
            a("top1@4"),
            a("top1@2"),
            s.mrr10_at_6
        );
    }
    if let Some(l) = &report.latency {
        println!(
            "latency p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms",
            l.p50_ms, l.p95_ms, l.p99_ms
        );
    }
    if let Some(cal) = &report.calibration {
        println!("expected calibration error {:.3}", cal.ece);
    }
    eprintln!(
        "reports: {} and {}",
        json_path.display(),
        html_path.display()
    );
    Ok(())
}

/// The progress bar of a run over evaluation cases.
pub fn cases_bar(len: usize, message: &'static str) -> ProgressBar {
    let bar = ProgressBar::new(len as u64);
    bar.set_style(
        ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len} ({eta})")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message(message);
    bar
}

fn leg_label(leg: LegName) -> String {
    format!("{} only", leg.as_str())
}

/// What `--zh-encoder` needs to measure the dense part as well.
pub struct DenseSetup<'a> {
    pub national: &'a tariff::NationalTariff,
    pub models: &'a Path,
    pub state: &'a settings::StateDir,
}

/// Chinese descriptions against the national tariff: accuracy per kind at HS6 and 11
/// digits, calibration and latency; with `dense`, also the sentence encoder alone and
/// blended; JSON and HTML under `out_dir`.
pub fn run_zh(
    leg: &classify::ChineseLeg,
    cases_path: &Path,
    out_dir: &Path,
    dense: Option<DenseSetup<'_>>,
) -> anyhow::Result<()> {
    let cases = eval::read_zh_cases(cases_path)?;
    let bar = cases_bar(cases.len(), "classifying");
    let answers: Vec<eval::ZhAnswer> = cases
        .iter()
        .map(|c| {
            let started = std::time::Instant::now();
            let found = leg.classify(&c.description, 10);
            let took = started.elapsed();
            bar.inc(1);
            eval::ZhAnswer {
                hs6: found
                    .iter()
                    .map(|f| (f.hs6.as_str().to_string(), f.probability))
                    .collect(),
                lines: found
                    .iter()
                    .flat_map(|f| f.lines.iter().map(|(code, _)| code.as_str().to_string()))
                    .collect(),
                took,
            }
        })
        .collect();
    bar.finish_and_clear();
    let mut report = eval::evaluate_zh(&cases, &answers);
    if let Some(d) = dense {
        report.dense = Some(crate::eval_zh_dense::measure(
            leg, d.national, d.models, d.state, &cases,
        )?);
    }
    println!(
        "{:12} {:>5} {:>9} {:>10} {:>11} {:>12}",
        "kind", "cases", "HS6 top1", "HS6 top10", "line top1", "line top10"
    );
    for r in &report.rows {
        println!(
            "{:12} {:>5} {:>9.3} {:>10.3} {:>11.3} {:>12.3}",
            r.kind, r.cases, r.hs6_top1, r.hs6_top10, r.line_top1, r.line_top10
        );
    }
    println!(
        "NLL {:.3}, ECE {:.3}; best power {:.2} (temperature {:.2}, NLL {:.3}); latency p50 {:.2} ms, p99 {:.2} ms",
        report.nll,
        report.ece,
        report.best_power,
        f64::from(classify::zh::ZH_TEMPERATURE) / report.best_power,
        report.nll_at_best_power,
        report.latency_p50_ms,
        report.latency_p99_ms
    );
    if let Some(d) = &report.dense {
        crate::eval_zh_dense::print(d);
    }
    std::fs::create_dir_all(out_dir)?;
    std::fs::write(
        out_dir.join("report-zh.json"),
        serde_json::to_string_pretty(&report)?,
    )?;
    eval::write_zh_html(&report, &out_dir.join("report-zh.html"))?;
    println!("reports: {}", out_dir.join("report-zh.html").display());
    Ok(())
}

/// The Chinese leg as `customs serve` builds it: the index over Taiwan's tariff, blended with
/// the saved head when one was trained for the current corpus (`head_weight` overrides the
/// blend; 0 leaves the head out), and the tariff it reads.
pub fn chinese_leg(
    data_dir: &Path,
    state: &settings::StateDir,
    head_weight: Option<f32>,
) -> anyhow::Result<(classify::ChineseLeg, std::sync::Arc<tariff::NationalTariff>)> {
    let hs = engine::nomenclature(data_dir)?;
    let national = engine::national_tariff(data_dir, &hs)?
        .ok_or_else(|| anyhow::anyhow!("no Taiwan tariff under {}", data_dir.display()))?;
    let corpus = engine::corpus(data_dir, &hs, state, false, &|_, _, _| {})?;
    let head = engine::load_head(&corpus, state).filter(|_| head_weight != Some(0.0));
    let leg = engine::chinese_leg(&national, head.clone())?;
    let leg = match (head, head_weight) {
        (Some(h), Some(w)) => leg.with_head(h, w),
        _ => leg,
    };
    Ok((leg, national))
}

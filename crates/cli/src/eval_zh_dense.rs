//! `customs eval --zh --zh-encoder`: multilingual-e5-small's dense retrieval over the national
//! tariff's Chinese passages, alone and blended with the Chinese leg, on the same cases.

use std::path::Path;
use std::time::{Duration, Instant};

use classify::zh_dense::{self, DenseHit, ZH_DENSE_TEMPERATURE};
use classify::{ChineseLeg, ZhCandidate};
use eval::{ZhAnswer, ZhCase, ZhDenseReport, ZhSystem};
use nomenclature::HsCode;

use crate::eval_cmd::cases_bar;

/// Candidates each side contributes to a blend (the leg's softmax pool).
const POOL: usize = 30;
/// Log-space blends: the dense part's weight.
const LOG_WEIGHTS: [f32; 5] = [0.1, 0.2, 0.3, 0.5, 0.7];
/// Reciprocal-rank blends: the dense part's weight, with k = 10.
const RANK_WEIGHTS: [f32; 2] = [0.3, 0.5];
const RANK_K: f32 = 10.0;
/// The short query timed for latency, and how often.
const TIMED_QUERY: &str = "冷凍去殼白蝦仁";
const TIMED_RUNS: usize = 100;

pub fn measure(
    leg: &ChineseLeg,
    national: &tariff::NationalTariff,
    models: &Path,
    state: &settings::StateDir,
    cases: &[ZhCase],
) -> anyhow::Result<ZhDenseReport> {
    let rss_before_mib = engine::runs::resident_mib();
    let started = Instant::now();
    let encoder = engine::zh_encoder(models).ok_or_else(|| {
        anyhow::anyhow!(
            "no multilingual-e5-small under {} (run scripts/fetch-model)",
            models.display()
        )
    })?;
    let load_s = started.elapsed().as_secs_f64();
    let rss_after_load_mib = engine::runs::resident_mib();
    let model = encoder.name().to_string();
    let cache_hit =
        engine::zh_cache_file(state, &model, &search::zh_passages(&national.tw)).is_file();
    let started = Instant::now();
    let bars = crate::open::Bars::new();
    let dense = engine::zh_dense(national, encoder.clone(), state, &|s, d, t| {
        bars.report(s, d, t)
    })?;
    bars.finish();
    let passages_s = started.elapsed().as_secs_f64();

    let mut timed = Vec::with_capacity(TIMED_RUNS);
    for i in 0..TIMED_RUNS + 3 {
        let t = Instant::now();
        encoder.encode_queries(&[TIMED_QUERY])?;
        if i >= 3 {
            timed.push(t.elapsed());
        }
    }
    timed.sort();

    let bar = cases_bar(cases.len(), "dense");
    let mut per_case = Vec::with_capacity(cases.len());
    for c in cases {
        let index = leg.classify(&c.description, POOL);
        let hits = dense
            .embed(&c.description)
            .map(|q| dense.search(&q, POOL))
            .unwrap_or_default();
        per_case.push((index, hits));
        bar.inc(1);
    }
    bar.finish_and_clear();

    let mut systems = vec![
        system("index (leg)", cases, &per_case, |ix, _| {
            answer(
                ix.iter().map(|c| (c.hs6.clone(), c.probability)).collect(),
                ix,
                &[],
            )
        }),
        system("e5 dense", cases, &per_case, |_, hits| {
            let scores = hits
                .iter()
                .map(|h| (h.hs6.clone(), h.score / ZH_DENSE_TEMPERATURE))
                .collect();
            answer(softmax(scores), &[], hits)
        }),
    ];
    for w in LOG_WEIGHTS {
        systems.push(system(
            &format!("log w={w}"),
            cases,
            &per_case,
            |ix, hits| {
                let index: Vec<(HsCode, f32)> = ix
                    .iter()
                    .map(|c| (c.hs6.clone(), c.probability.max(1e-9).ln()))
                    .collect();
                let blended = zh_dense::blend_log(&index, hits, w, ZH_DENSE_TEMPERATURE);
                answer(softmax(blended), ix, hits)
            },
        ));
    }
    for w in RANK_WEIGHTS {
        systems.push(system(
            &format!("rank w={w}"),
            cases,
            &per_case,
            |ix, hits| {
                let a: Vec<HsCode> = ix.iter().map(|c| c.hs6.clone()).collect();
                let b: Vec<HsCode> = hits.iter().map(|h| h.hs6.clone()).collect();
                let blended = zh_dense::blend_rank(&a, &b, w, RANK_K);
                let total: f32 = blended.iter().map(|s| s.1).sum();
                let probs = blended
                    .into_iter()
                    .map(|(c, s)| (c, s / total.max(f32::MIN_POSITIVE)))
                    .collect();
                answer(probs, ix, hits)
            },
        ));
    }
    let ms = |d: &Duration| d.as_secs_f64() * 1000.0;
    let pct = |p: f64| {
        timed
            .get(((timed.len() as f64 - 1.0) * p).round() as usize)
            .map_or(0.0, ms)
    };
    Ok(ZhDenseReport {
        model,
        passages: dense.passages(),
        load_s,
        rss_before_mib,
        rss_after_load_mib,
        passages_s,
        passages_cached: cache_hit,
        threads: std::env::var("RAYON_NUM_THREADS").unwrap_or_else(|_| {
            let n = std::thread::available_parallelism().map_or(1, |n| n.get());
            format!("default ({n})")
        }),
        query: TIMED_QUERY.into(),
        query_p50_ms: pct(0.5),
        query_p99_ms: pct(0.99),
        systems,
    })
}

type PerCase = (Vec<ZhCandidate>, Vec<DenseHit>);

fn system(
    name: &str,
    cases: &[ZhCase],
    per_case: &[PerCase],
    rank: impl Fn(&[ZhCandidate], &[DenseHit]) -> ZhAnswer,
) -> ZhSystem {
    let answers: Vec<ZhAnswer> = per_case.iter().map(|(ix, d)| rank(ix, d)).collect();
    let first = |c: &ZhCase, top: Option<&str>| top == Some(c.hs6.as_str());
    let (mut gained, mut lost) = (Vec::new(), Vec::new());
    for ((c, a), (ix, _)) in cases.iter().zip(&answers).zip(per_case) {
        let mine = first(c, a.hs6.first().map(|h| h.0.as_str()));
        let leg = first(c, ix.first().map(|h| h.hs6.as_str()));
        if mine && !leg {
            gained.push(c.id.clone());
        } else if leg && !mine {
            lost.push(c.id.clone());
        }
    }
    ZhSystem {
        name: name.into(),
        rows: eval::evaluate_zh(cases, &answers).rows,
        gained,
        lost,
    }
}

/// Probabilities from log-scores, best first.
fn softmax(mut scored: Vec<(HsCode, f32)>) -> Vec<(HsCode, f32)> {
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    let max = scored.first().map_or(0.0, |s| s.1);
    let total: f32 = scored.iter().map(|s| (s.1 - max).exp()).sum();
    scored
        .into_iter()
        .map(|(c, s)| (c, (s - max).exp() / total))
        .collect()
}

/// The first ten subheadings of `ranked`, each with its lines: the leg's order of them where
/// the leg had the subheading, else the dense part's.
fn answer(ranked: Vec<(HsCode, f32)>, index: &[ZhCandidate], dense: &[DenseHit]) -> ZhAnswer {
    let ranked: Vec<(HsCode, f32)> = ranked.into_iter().take(10).collect();
    let lines = ranked
        .iter()
        .flat_map(|(code, _)| {
            let from_index = index
                .iter()
                .find(|c| c.hs6 == *code)
                .map(|c| c.lines.iter().map(|l| l.0).collect::<Vec<_>>());
            from_index.unwrap_or_else(|| {
                dense
                    .iter()
                    .find(|h| h.hs6 == *code)
                    .map(|h| h.lines.iter().map(|l| l.0).collect())
                    .unwrap_or_default()
            })
        })
        .map(|l| l.as_str().to_string())
        .collect();
    ZhAnswer {
        hs6: ranked
            .into_iter()
            .map(|(c, p)| (c.as_str().to_string(), p))
            .collect(),
        lines,
        took: Duration::ZERO,
    }
}

/// The table on the terminal: per system, all cases at HS6 and 11 digits, then HS6 per kind.
pub fn print(report: &ZhDenseReport) {
    println!(
        "\n{} over {} passages: load {:.2} s, RSS {:.0} -> {:.0} MiB, passages {:.1} s{}, \
         query p50 {:.1} ms p99 {:.1} ms on {} threads",
        report.model,
        report.passages,
        report.load_s,
        report.rss_before_mib,
        report.rss_after_load_mib,
        report.passages_s,
        if report.passages_cached {
            " (cached)"
        } else {
            ""
        },
        report.query_p50_ms,
        report.query_p99_ms,
        report.threads
    );
    let kinds: Vec<String> = report
        .systems
        .first()
        .map(|s| s.rows.iter().map(|r| r.kind.clone()).collect())
        .unwrap_or_default();
    print!("{:14} {:>15} {:>15}", "system", "HS6 1/10", "line 1/10");
    for k in kinds.iter().filter(|k| *k != "all") {
        print!(" {:>13}", format!("{k} 1/10"));
    }
    println!();
    for s in &report.systems {
        let Some(all) = s.rows.iter().find(|r| r.kind == "all") else {
            continue;
        };
        print!(
            "{:14} {:>7.3} {:>7.3} {:>7.3} {:>7.3}",
            s.name, all.hs6_top1, all.hs6_top10, all.line_top1, all.line_top10
        );
        for r in s.rows.iter().filter(|r| r.kind != "all") {
            print!(" {:>6.3} {:>6.3}", r.hs6_top1, r.hs6_top10);
        }
        println!("  +{} -{}", s.gained.len(), s.lost.len());
    }
}

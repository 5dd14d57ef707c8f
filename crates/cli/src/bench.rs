//! `customs bench`: index build time, search latency over varied real queries, and how often
//! plain search already puts the right HS6 in its top 10 (a baseline for the classifier).

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::ProgressBar;
use search::{SearchIndex, SearchRequest};
use serde::Serialize;
use settings::StateDir;

/// A labelled query: what a person typed and the HS6 it belongs to (when known).
struct Query {
    text: String,
    hs6: Option<String>,
}

#[derive(Serialize)]
struct Report {
    documents: u64,
    index_build_seconds: f64,
    queries: usize,
    latency_ms: Latency,
    labelled_queries: usize,
    hs6_hit_at_10: f64,
    hs4_hit_at_10: f64,
    peak_rss_mib: Option<f64>,
}

#[derive(Serialize)]
struct Latency {
    p50: f64,
    p90: f64,
    p99: f64,
    max: f64,
    mean: f64,
}

fn labelled_queries(data_dir: &Path) -> Vec<Query> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(data_dir.join("labelled")) else {
        return out;
    };
    let mut files: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path().join("labelled.csv"))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    for file in files {
        let Ok(mut reader) = csv::Reader::from_path(&file) else {
            continue;
        };
        for rec in reader.deserialize::<std::collections::HashMap<String, String>>() {
            let Ok(rec) = rec else { continue };
            let Some(text) = rec.get("description").filter(|t| !t.trim().is_empty()) else {
                continue;
            };
            let hs6 = rec
                .get("code")
                .filter(|c| c.len() >= 6 && c.chars().all(|d| d.is_ascii_digit()))
                .map(|c| c[..6].to_string());
            out.push(Query {
                text: text.clone(),
                hs6,
            });
        }
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

pub fn run(data_dir: &Path, state: &StateDir, n: usize, out: &Path) -> anyhow::Result<()> {
    let hs = engine::nomenclature(data_dir)?;
    let scratch = state.0.join("bench-index");
    let started = Instant::now();
    let index = SearchIndex::build(&scratch, hs.clone(), &|_, _| {})?;
    let build = started.elapsed();

    let mut queries = labelled_queries(data_dir);
    if queries.is_empty() {
        // No labelled data: use the nomenclature's own words, a few at a time.
        queries = hs
            .nodes()
            .iter()
            .map(|node| Query {
                text: node.description.split(';').next().unwrap_or("").to_string(),
                hs6: None,
            })
            .collect();
    }
    // Every 20th query is a code, as people also type codes.
    let timed: Vec<String> = (0..n)
        .map(|i| {
            let q = &queries[(i * 7919) % queries.len()];
            match (&q.hs6, i % 20) {
                (Some(code), 0) => format!("{}.{}", &code[..4], &code[4..]),
                _ => q.text.clone(),
            }
        })
        .collect();
    let bar = ProgressBar::new(n as u64);
    let mut latencies = Vec::with_capacity(n);
    for q in &timed {
        let t = Instant::now();
        let hits = index.search(&SearchRequest {
            text: q,
            limit: 10,
            level: None,
        });
        latencies.push(t.elapsed());
        std::hint::black_box(hits);
        bar.inc(1);
    }
    bar.finish_and_clear();
    latencies.sort();
    let mean = latencies.iter().sum::<Duration>().as_secs_f64() * 1000.0 / n.max(1) as f64;

    let labelled: Vec<&Query> = queries.iter().filter(|q| q.hs6.is_some()).collect();
    let (mut hit6, mut hit4) = (0usize, 0usize);
    for q in &labelled {
        let gold = q.hs6.as_deref().unwrap_or("");
        let hits = index.search(&SearchRequest {
            text: &q.text,
            limit: 10,
            level: Some(nomenclature::Level::Subheading),
        });
        let codes: Vec<&str> = hits.hits.iter().map(|h| h.code.as_str()).collect();
        hit6 += codes.contains(&gold) as usize;
        hit4 += codes.iter().any(|c| c[..4] == gold[..4]) as usize;
    }
    let share = |k: usize| k as f64 / labelled.len().max(1) as f64;
    let report = Report {
        documents: index.documents(),
        index_build_seconds: build.as_secs_f64(),
        queries: n,
        latency_ms: Latency {
            p50: percentile(&latencies, 0.50),
            p90: percentile(&latencies, 0.90),
            p99: percentile(&latencies, 0.99),
            max: percentile(&latencies, 1.0),
            mean,
        },
        labelled_queries: labelled.len(),
        hs6_hit_at_10: share(hit6),
        hs4_hit_at_10: share(hit4),
        peak_rss_mib: peak_rss_mib(),
    };
    drop(index);
    let _ = std::fs::remove_dir_all(&scratch);
    let json = serde_json::to_string_pretty(&report)?;
    if let Some(parent) = out.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(out, &json).with_context(|| format!("writing {}", out.display()))?;
    println!("{json}");
    eprintln!("report written to {}", out.display());
    Ok(())
}

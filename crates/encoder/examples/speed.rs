//! Load time, resident memory and embedding throughput:
//! `cargo run --release -p encoder --example speed [MODEL_DIR]` (default: MiniLM).
use std::time::Instant;

/// Resident set size in MB, from /proc (Linux only; 0 elsewhere).
fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "models/all-MiniLM-L6-v2".into());
    let t = Instant::now();
    let e = encoder::Encoder::load(std::path::Path::new(&dir)).expect("model");
    println!(
        "{}: loaded in {:.2} s, RSS {:.0} MB",
        e.name(),
        t.elapsed().as_secs_f64(),
        rss_mb()
    );
    // QUERIES_ONLY=1 times single queries alone (for a profiler).
    let queries_only = std::env::var_os("QUERIES_ONLY").is_some();
    let shapes: &[(usize, usize)] = if queries_only {
        &[]
    } else {
        &[(4, 32), (16, 32), (48, 32), (16, 1), (16, 128)]
    };
    for &(len, batch) in shapes {
        let text = vec!["horse"; len].join(" ");
        let texts: Vec<&str> = vec![text.as_str(); batch];
        let t = Instant::now();
        let reps = 3;
        for _ in 0..reps {
            e.encode(&texts).unwrap();
        }
        let per = t.elapsed().as_secs_f64() / (reps * batch) as f64;
        println!(
            "{len:>3} words x batch {batch:>3}: {:.2} ms per text, {:.0} texts/s",
            per * 1e3,
            1.0 / per
        );
    }
    println!("RSS after encoding {:.0} MB", rss_mb());
    one_query_at_a_time(&e);
}

/// Queries as a server meets them, one by one, on the descriptions of `CASES` (JSONL with "description"; default a few written here).
fn one_query_at_a_time(e: &encoder::Encoder) {
    let texts: Vec<String> = std::env::var("CASES")
        .ok()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .map(|s| {
            s.lines()
                .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
                .filter_map(|v| v["description"].as_str().map(str::to_string))
                .take(500)
                .collect()
        })
        .unwrap_or_else(|| {
            [
                "dried apricots",
                "frozen peeled shrimp in 1 kg bags",
                "kids' plastic mug with a monster face",
                "65W GaN USB-C charger",
                "men's cotton knitted t-shirt",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect()
        });
    let percentile = |v: &mut Vec<f64>, p: f64| {
        v.sort_by(f64::total_cmp);
        v[((v.len() - 1) as f64 * p).round() as usize]
    };
    let mut times = Vec::new();
    for t in &texts {
        let s = Instant::now();
        e.encode_queries(&[t]).unwrap();
        times.push(s.elapsed().as_secs_f64() * 1e3);
    }
    let (p50, p99) = (percentile(&mut times, 0.5), percentile(&mut times, 0.99));
    println!(
        "one query at a time over {} texts: p50 {p50:.2} ms, p99 {p99:.2} ms",
        texts.len()
    );
    // What batching concurrent queries would save: the same texts, a few at a time.
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    if std::env::var_os("QUERIES_ONLY").is_some() {
        return;
    }
    for batch in [2, 4, 8] {
        let s = Instant::now();
        for chunk in refs.chunks(batch) {
            e.encode_queries(chunk).unwrap();
        }
        let per = s.elapsed().as_secs_f64() * 1e3 / texts.len() as f64;
        println!("batches of {batch}: {per:.2} ms per query");
    }
}

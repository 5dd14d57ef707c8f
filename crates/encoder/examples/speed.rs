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
    for (len, batch) in [(4, 32), (16, 32), (48, 32), (16, 1), (16, 128)] {
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
}

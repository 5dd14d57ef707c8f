//! Measures Chinese search over Taiwan's tariff on a labelled set, per analysis variant: top-1
//! and top-10 at HS6 and at 11 digits, per kind and overall, search latency (per query the
//! median of three runs) and index build time. The defaults of `TariffIndexOptions` are the
//! variant this picked.
//!
//! cargo run --release -p search --example zh_eval -- --data-dir /work/shared/data \
//!     --cases crates/eval/fixtures/zh_tw_dev.jsonl [--misses 20] [--only NAME]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use search::{Hs6Aggregation, TariffIndex, TariffIndexOptions};
use tariff::TwTariff;
use text::{Segmenter, ZhOptions};

#[derive(serde::Deserialize)]
struct Case {
    id: String,
    kind: String,
    description: String,
    code: String,
    hs6: String,
}

struct Args {
    data_dir: PathBuf,
    cases: PathBuf,
    misses: usize,
    only: Option<String>,
}

fn args() -> Args {
    let mut a = Args {
        data_dir: PathBuf::from(std::env::var("CUSTOMS_DATA_DIR").unwrap_or("data".into())),
        cases: PathBuf::from("crates/eval/fixtures/zh_tw_dev.jsonl"),
        misses: 0,
        only: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--data-dir" => a.data_dir = value.into(),
            "--cases" => a.cases = value.into(),
            "--misses" => a.misses = value.parse().expect("--misses N"),
            "--only" => a.only = Some(value),
            other => panic!("unknown flag {other}"),
        }
    }
    a
}

fn variants() -> Vec<(&'static str, TariffIndexOptions)> {
    let base = TariffIndexOptions::default();
    let analysis = |segmenter, strip_noise| ZhOptions {
        segmenter,
        strip_noise,
    };
    let with = |segmenter, strip_noise, synonyms| TariffIndexOptions {
        analysis: analysis(segmenter, strip_noise),
        synonyms,
        ..base
    };
    vec![
        ("ngram+syn+noise", with(Segmenter::CharNgrams, true, true)),
        ("ngram+syn", with(Segmenter::CharNgrams, false, true)),
        ("ngram+noise", with(Segmenter::CharNgrams, true, false)),
        ("ngram", with(Segmenter::CharNgrams, false, false)),
        ("bigram+syn+noise", with(Segmenter::Bigrams, true, true)),
        (
            "ngram+syn+noise softmax5",
            TariffIndexOptions {
                aggregation: Hs6Aggregation::SoftMax { temperature: 5.0 },
                ..with(Segmenter::CharNgrams, true, true)
            },
        ),
    ]
}

#[derive(Default, Clone, Copy)]
struct Score {
    n: usize,
    hs6_1: usize,
    hs6_10: usize,
    ccc_1: usize,
    ccc_10: usize,
}

impl Score {
    fn row(&self) -> String {
        let pct = |k: usize| 100.0 * k as f64 / self.n.max(1) as f64;
        format!(
            "{:>4} | {:5.1} | {:5.1} | {:5.1} | {:5.1}",
            self.n,
            pct(self.hs6_1),
            pct(self.hs6_10),
            pct(self.ccc_1),
            pct(self.ccc_10)
        )
    }
}

/// The result and the median time of three runs: one query's typical latency, less exposed
/// to a busy machine's spikes than a single run.
fn timed<T>(mut f: impl FnMut() -> T) -> (T, Duration) {
    let mut times = Vec::with_capacity(3);
    let mut out = None;
    for _ in 0..3 {
        let t = Instant::now();
        out = Some(f());
        times.push(t.elapsed());
    }
    times.sort();
    (out.expect("ran"), times[1])
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn main() {
    let args = args();
    let t = Instant::now();
    let tariff = Arc::new(TwTariff::load(&args.data_dir).expect("the tariff loads"));
    eprintln!("tariff: {} lines in {:?}", tariff.len(), t.elapsed());
    let cases: Vec<Case> = std::fs::read_to_string(&args.cases)
        .expect("cases file")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("a case per line"))
        .collect();
    let unknown = cases
        .iter()
        .filter(|c| !tariff.lines().iter().any(|l| l.code.as_str() == c.code))
        .count();
    println!(
        "{} cases, {} with a code not in the tariff\n",
        cases.len(),
        unknown
    );
    let mut kinds: Vec<&str> = cases.iter().map(|c| c.kind.as_str()).collect();
    kinds.sort();
    kinds.dedup();

    println!("variant | kind | n | HS6@1 | HS6@10 | CCC@1 | CCC@10");
    let mut timing = Vec::new();
    for (name, options) in variants() {
        if args.only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let t = Instant::now();
        let index = TariffIndex::build_with(Arc::clone(&tariff), options).expect("index builds");
        let build = t.elapsed();
        let mut by_kind: Vec<Score> = vec![Score::default(); kinds.len()];
        let mut all = Score::default();
        let (mut hs6_times, mut line_times) = (Vec::new(), Vec::new());
        let mut misses = Vec::new();
        for case in &cases {
            let (hs6, t) = timed(|| index.search_hs6(&case.description, 10));
            hs6_times.push(t);
            let (lines, t) = timed(|| index.search(&case.description, 10));
            line_times.push(t);
            let hs6_rank = hs6.iter().position(|h| h.hs6.as_str() == case.hs6);
            let ccc_rank = lines.iter().position(|h| h.code.as_str() == case.code);
            let k = kinds.iter().position(|k| *k == case.kind).unwrap();
            for s in [&mut by_kind[k], &mut all] {
                s.n += 1;
                s.hs6_1 += usize::from(hs6_rank == Some(0));
                s.hs6_10 += usize::from(hs6_rank.is_some());
                s.ccc_1 += usize::from(ccc_rank == Some(0));
                s.ccc_10 += usize::from(ccc_rank.is_some());
            }
            if hs6_rank.is_none() {
                let got: Vec<&str> = hs6.iter().take(3).map(|h| h.hs6.as_str()).collect();
                misses.push(format!(
                    "  {} [{}] {} → want {}, got {:?} {:?}",
                    case.id,
                    case.kind,
                    case.description,
                    case.hs6,
                    got,
                    hs6.first().map(|h| &h.matched)
                ));
            }
        }
        for (kind, s) in kinds.iter().zip(&by_kind) {
            println!("{name} | {kind} | {}", s.row());
        }
        println!("{name} | **all** | {}", all.row());
        hs6_times.sort();
        line_times.sort();
        timing.push(format!(
            "{name} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2}",
            build.as_secs_f64() * 1000.0,
            percentile(&hs6_times, 0.5),
            percentile(&hs6_times, 0.99),
            percentile(&line_times, 0.5),
            percentile(&line_times, 0.99),
        ));
        for m in misses.iter().take(args.misses) {
            println!("{m}");
        }
    }
    println!("\nvariant | build ms | search_hs6 p50 ms | p99 ms | search p50 ms | p99 ms");
    for row in timing {
        println!("{row}");
    }
}

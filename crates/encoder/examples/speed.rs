//! Embedding throughput: `cargo run --release -p encoder --example speed`.
use std::time::Instant;

fn main() {
    let e = encoder::Encoder::load(std::path::Path::new("models/all-MiniLM-L6-v2")).expect("model");
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
}

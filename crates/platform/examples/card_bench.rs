//! How long a data card takes: `cargo run --release -p platform --example card_bench [ROWS]`.
//! Reads every shared labelled folder, then (to reach ROWS, default 100,000 = MAX_ROWS)
//! adds variants of its texts with one extra word, the worst case for the pair search:
//! every variant is a near duplicate of its original. Prints the time of each stage.

use std::time::Instant;

use platform::{CardContext, LabelledRow, SIMILARITY_THRESHOLD};

fn main() {
    let data = settings::data_dir_for_tests(env!("CARGO_MANIFEST_DIR"));
    let target: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(platform::MAX_ROWS);
    let hs = nomenclature::load_dir(&data).expect("HS 2022");
    let tw = tariff::TwTariff::load_with(&data, &hs).expect("Taiwan's tariff");
    let mut rows: Vec<LabelledRow> = Vec::new();
    for folder in corpus::labelled_sets(&data) {
        let (raw, _) = corpus::read_labelled_rows(&data, &folder).unwrap().unwrap();
        rows.extend(platform::from_shared(&folder, raw).unwrap());
    }
    let real = rows.len();
    const EXTRA: [&str; 8] = [
        "new", "used", "blue", "large", "kids", "pack", "gift", "set",
    ];
    let mut i = 0;
    while rows.len() < target {
        let base = rows[i % real].clone();
        rows.push(LabelledRow {
            id: format!("{}-v{i}", base.id),
            text: format!("{} {}", base.text, EXTRA[(i / real) % EXTRA.len()]),
            ..base
        });
        i += 1;
    }
    rows.truncate(target);
    let t = Instant::now();
    platform::canonical_order(&mut rows);
    let sha = platform::content_hash(&rows);
    let hashed = t.elapsed();
    let t = Instant::now();
    let computed = platform::compute_card(
        &rows,
        CardContext {
            hs: &hs,
            tariff: Some(&tw),
        },
        SIMILARITY_THRESHOLD,
        &mut |_, _| {},
    );
    let carded = t.elapsed();
    let c = &computed.card;
    println!(
        "{} rows ({real} real), sha256 {}…: hash {:.0} ms, card {:.2} s; near-duplicate pairs {}, leaking pairs {}, conflicts {}, invalid rows {}",
        c.rows,
        &sha[..12],
        hashed.as_secs_f64() * 1000.0,
        carded.as_secs_f64(),
        c.near_duplicates.pairs,
        c.leakage.pairs,
        c.conflicts.texts,
        c.invalid_codes.rows
    );
}

//! The two costly steps of an English classification, alone: encoding the description with
//! the sentence encoder, and scoring it against every embedded corpus row. `customs eval`
//! reports the whole request's latency; `cargo bench -p guide` the lexical legs.
//! Run: `cargo bench -p classify`.

use classify::dense::{Dense, DenseRows, dot, dot_i8, quantise};
use criterion::{Criterion, criterion_group, criterion_main};

/// The shape of the real corpus: 17,220 embedded rows over 5,612 subheadings (12,214 rows of
/// nomenclature and national wording, the rest training examples), 384 dimensions.
const ROWS: usize = 17_220;
const NOMENCLATURE_ROWS: usize = 12_214;
const POSITIONS: usize = 5_612;
const DIM: usize = 384;

fn unit_rows(n: usize, seed: u64) -> Vec<f32> {
    // A small xorshift: reproducible rows without another dependency.
    let mut state = seed | 1;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 40) as f32 / (1u64 << 24) as f32 - 0.5
    };
    let mut out = Vec::with_capacity(n * DIM);
    for _ in 0..n {
        let row: Vec<f32> = (0..DIM).map(|_| next()).collect();
        let norm = row.iter().map(|x| x * x).sum::<f32>().sqrt();
        out.extend(row.iter().map(|x| x / norm));
    }
    out
}

fn bench(c: &mut Criterion) {
    let rows = DenseRows {
        texts: vec![String::new(); ROWS],
        owners: (0..ROWS).map(|r| (r % POSITIONS) as u32).collect(),
        nomenclature_rows: NOMENCLATURE_ROWS,
    };
    let dense = Dense::new(&rows, unit_rows(ROWS, 7), DIM, POSITIONS);
    let query = unit_rows(1, 11);
    c.bench_function("dot 384", |b| {
        b.iter(|| dot(std::hint::black_box(&query), dense.embedding(0)))
    });
    // What `dot` replaced: one running sum, a dependency chain the compiler keeps in order.
    c.bench_function("dot 384, one running sum", |b| {
        b.iter(|| {
            std::hint::black_box(&query)
                .iter()
                .zip(dense.embedding(0))
                .map(|(x, y)| x * y)
                .sum::<f32>()
        })
    });
    let (q8, _) = quantise(&query);
    let (r8, _) = quantise(dense.embedding(0));
    c.bench_function("dot 384, 8-bit", |b| {
        b.iter(|| dot_i8(std::hint::black_box(&q8), &r8))
    });
    c.bench_function("dense score, 17,220 rows (8-bit)", |b| {
        b.iter(|| dense.score(std::hint::black_box(&query)))
    });
    match encoder::Encoder::load(&encoder::Encoder::default_dir(
        &settings::model_dir_for_tests(env!("CARGO_MANIFEST_DIR")),
    )) {
        Ok(encoder) => {
            for q in [
                "dried apricots",
                "men's cotton trousers, woven, not knitted",
            ] {
                c.bench_function(&format!("encode {q:?}"), |b| {
                    b.iter(|| encoder.encode(&[q]).unwrap())
                });
            }
        }
        Err(e) => eprintln!("encoder benchmarks skipped: {e}"),
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);

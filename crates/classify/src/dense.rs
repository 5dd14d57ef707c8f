//! Dense legs: cosine similarity between the description's embedding and embeddings of the
//! subheadings (heading and subheading text, and their most specific national line) and of the training examples.
//! A subheading scores as its best-matching row.

use corpus::{Corpus, Split};

use crate::legs::{LEG_DEPTH, LegHits};

/// National lines embedded per subheading, besides its path text: enough to catch how it is
/// worded in practice without embedding every line of four tariffs.
pub const NATIONAL_LINES_PER_SUBHEADING: usize = 1;

/// What to embed, and which corpus position each row belongs to.
pub struct DenseRows {
    pub texts: Vec<String>,
    pub owners: Vec<u32>,
    /// Rows before this index describe subheadings; the rest are training examples.
    pub nomenclature_rows: usize,
}

impl DenseRows {
    pub fn from_corpus(corpus: &Corpus) -> DenseRows {
        let mut texts = Vec::new();
        let mut owners = Vec::new();
        for (i, d) in corpus.docs.iter().enumerate() {
            texts.push(subheading_passage(d));
            owners.push(i as u32);
            let mut national: Vec<&String> = d.national.iter().collect();
            // The most specific wordings first: longer lines say more.
            national.sort_by_key(|t| std::cmp::Reverse(t.len()));
            for n in national.into_iter().take(NATIONAL_LINES_PER_SUBHEADING) {
                texts.push(format!("{} › {}", d.text, n));
                owners.push(i as u32);
            }
        }
        let nomenclature_rows = texts.len();
        let position: std::collections::HashMap<&nomenclature::HsCode, u32> = corpus
            .docs
            .iter()
            .enumerate()
            .map(|(i, d)| (&d.code, i as u32))
            .collect();
        for ex in corpus.labelled.split(Split::Train) {
            if let Some(&p) = position.get(&ex.code) {
                texts.push(ex.text.clone());
                owners.push(p);
            }
        }
        DenseRows {
            texts,
            owners,
            nomenclature_rows,
        }
    }
}

/// How a subheading reads to the encoder: its heading and its own text. The chapter adds
/// length (cost) more than meaning.
pub fn subheading_passage(doc: &corpus::SubheadingDoc) -> String {
    let heading = doc.context.last().map_or("", String::as_str);
    format!("{heading} › {}", doc.text)
}

/// The embedded rows, ready to score.
pub struct Dense {
    dim: usize,
    /// Exact rows: what training reads.
    matrix: Vec<f32>,
    /// The same rows in 8 bits: what a query scans (a quarter of the bytes; scanning every
    /// row is memory-bound).
    quantised: Quantised,
    owners: Vec<u32>,
    nomenclature_rows: usize,
    positions: usize,
}

impl Dense {
    /// `matrix` holds `rows.texts.len()` unit vectors of `dim` floats, row after row.
    pub fn new(rows: &DenseRows, matrix: Vec<f32>, dim: usize, positions: usize) -> Dense {
        assert_eq!(
            matrix.len(),
            rows.texts.len() * dim,
            "one embedding per row"
        );
        Dense {
            dim,
            quantised: Quantised::new(&matrix, dim),
            matrix,
            owners: rows.owners.clone(),
            nomenclature_rows: rows.nomenclature_rows,
            positions,
        }
    }

    /// The embedding of row `row` (in [`DenseRows`] order).
    pub fn embedding(&self, row: usize) -> &[f32] {
        &self.matrix[row * self.dim..(row + 1) * self.dim]
    }

    /// (subheading leg, examples leg) for a unit query vector.
    pub fn score(&self, query: &[f32]) -> (LegHits, LegHits) {
        self.cosines(query).hits()
    }

    /// Each position's best cosine among its subheading rows and among its example rows
    /// (`f32::MIN` where it has none): what the legs keep the top of.
    pub fn cosines(&self, query: &[f32]) -> Cosines {
        let mut best_nom = vec![f32::MIN; self.positions];
        let mut best_ex = vec![f32::MIN; self.positions];
        let (q, q_scale) = quantise(query);
        let mut dots = vec![0i32; self.quantised.scales.len()];
        dot_rows(&self.quantised.values, &q, &mut dots);
        for (row, (&d, scale)) in dots.iter().zip(&self.quantised.scales).enumerate() {
            let s = d as f32 * scale * q_scale;
            let best = if row < self.nomenclature_rows {
                &mut best_nom
            } else {
                &mut best_ex
            };
            let owner = self.owners[row] as usize;
            if s > best[owner] {
                best[owner] = s;
            }
        }
        Cosines {
            subheadings: best_nom,
            examples: best_ex,
        }
    }
}

/// Every position's best cosine to the query, by kind of row.
pub struct Cosines {
    pub subheadings: Vec<f32>,
    pub examples: Vec<f32>,
}

impl Cosines {
    /// (subheading leg, examples leg): the top of each.
    pub fn hits(&self) -> (LegHits, LegHits) {
        (top(&self.subheadings), top(&self.examples))
    }
}

/// Rows stored as 8-bit integers, each with its own scale (its largest magnitude / 127).
struct Quantised {
    values: Vec<i8>,
    scales: Vec<f32>,
}

impl Quantised {
    fn new(matrix: &[f32], dim: usize) -> Quantised {
        let mut values = Vec::with_capacity(matrix.len());
        let mut scales = Vec::with_capacity(matrix.len() / dim.max(1));
        for row in matrix.chunks_exact(dim) {
            let (q, scale) = quantise(row);
            values.extend(q);
            scales.push(scale);
        }
        Quantised { values, scales }
    }
}

/// `v` as 8-bit integers and the scale that turns them back: `v[i] ≈ q[i] * scale`.
pub fn quantise(v: &[f32]) -> (Vec<i8>, f32) {
    let max = v.iter().fold(0.0f32, |m, x| m.max(x.abs()));
    if max == 0.0 {
        return (vec![0; v.len()], 0.0);
    }
    let scale = max / 127.0;
    let q = v.iter().map(|x| (x / scale).round() as i8).collect();
    (q, scale)
}

/// `out[r] = dot_i8(row r of rows, q)`: the scan that scores every stored vector. Compiled a
/// second time for AVX2 (twice the lanes of the SSE2 baseline) and chosen at run time.
fn dot_rows(rows: &[i8], q: &[i8], out: &mut [i32]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has just been seen to support AVX2.
        return unsafe { dot_rows_avx2(rows, q, out) };
    }
    dot_rows_body(rows, q, out)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn dot_rows_avx2(rows: &[i8], q: &[i8], out: &mut [i32]) {
    dot_rows_body(rows, q, out)
}

#[inline(always)]
fn dot_rows_body(rows: &[i8], q: &[i8], out: &mut [i32]) {
    for (row, o) in rows.chunks_exact(q.len()).zip(out) {
        *o = dot_i8(row, q);
    }
}

/// Integer dot product; integer addition is associative, so the compiler vectorises it as is.
#[inline(always)]
pub fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
    a.iter().zip(b).map(|(&x, &y)| x as i32 * y as i32).sum()
}

/// Dot product with eight independent sums: a single running sum is one long dependency
/// chain that the compiler may not reorder (float addition is not associative), which made
/// scoring every row of the matrix the slowest step of a classification.
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    const LANES: usize = 8;
    let mut sums = [0.0f32; LANES];
    let (a_body, a_tail) = a.split_at(a.len() - a.len() % LANES);
    let (b_body, b_tail) = b.split_at(a_body.len().min(b.len()));
    for (x, y) in a_body.chunks_exact(LANES).zip(b_body.chunks_exact(LANES)) {
        for i in 0..LANES {
            sums[i] += x[i] * y[i];
        }
    }
    let tail: f32 = a_tail.iter().zip(b_tail).map(|(x, y)| x * y).sum();
    sums.iter().sum::<f32>() + tail
}

fn top(best: &[f32]) -> LegHits {
    let mut hits: Vec<(usize, f32)> = best
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, s)| *s > 0.0)
        .collect();
    let depth = LEG_DEPTH.min(hits.len());
    if depth == 0 {
        return Vec::new();
    }
    hits.select_nth_unstable_by(depth - 1, |a, b| b.1.total_cmp(&a.1));
    hits.truncate(depth);
    hits.sort_by(|a, b| b.1.total_cmp(&a.1));
    // Cosines crowd near their maximum; shift so the leg's scale starts at the depth-th hit
    // and fusion's max-normalisation spreads them.
    let floor = hits.last().map_or(0.0, |h| h.1) - 1e-3;
    hits.into_iter().map(|(p, s)| (p, s - floor)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(n: usize, seed: f32) -> Vec<f32> {
        let v: Vec<f32> = (0..n).map(|i| (i as f32 * seed).sin()).collect();
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.into_iter().map(|x| x / norm).collect()
    }

    #[test]
    fn eight_bit_cosines_stay_within_a_thousandth() {
        let (a, b) = (unit(384, 0.37), unit(384, 0.41));
        let ((qa, sa), (qb, sb)) = (quantise(&a), quantise(&b));
        let exact = dot(&a, &b);
        let approx = dot_i8(&qa, &qb) as f32 * sa * sb;
        assert!((exact - approx).abs() < 1e-3, "{exact} vs {approx}");
        assert_eq!(quantise(&[0.0; 4]), (vec![0; 4], 0.0));
    }

    #[test]
    fn scoring_keeps_each_owners_best_row() {
        let rows = DenseRows {
            texts: vec!["a".into(), "b".into(), "c".into()],
            owners: vec![0, 1, 1],
            nomenclature_rows: 1,
        };
        let matrix: Vec<f32> = [unit(8, 0.3), unit(8, 0.9), unit(8, 0.31)].concat();
        let dense = Dense::new(&rows, matrix, 8, 2);
        let (nom, ex) = dense.score(&unit(8, 0.3));
        assert_eq!(nom.first().map(|h| h.0), Some(0));
        assert_eq!(
            ex.first().map(|h| h.0),
            Some(1),
            "row c, near the query, speaks for 1"
        );
    }

    #[test]
    fn dot_matches_the_plain_sum_at_every_length() {
        for n in [0, 1, 7, 8, 9, 384, 385] {
            let a: Vec<f32> = (0..n).map(|i| (i as f32 * 0.37).sin()).collect();
            let b: Vec<f32> = (0..n).map(|i| (i as f32 * 0.11).cos()).collect();
            let plain: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
            assert!((dot(&a, &b) - plain).abs() < 1e-4, "length {n}");
        }
    }
}

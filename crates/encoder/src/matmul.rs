//! `x · Wᵀ + b` for the few rows of one query, without packing.
//!
//! Why by hand: candle hands every product to the `gemm` crate, which first repacks the whole
//! weight matrix into its panel layout. For a batch of passages that cost is shared by hundreds
//! of rows; for one query of a dozen tokens it was most of the time (perf: 38 % of a
//! classification in gemm's packing, 11 % in its multiply kernel). Here each output is a dot
//! product of a row of `x` with a row of `W` (PyTorch's `[out, in]` layout), so the weights are
//! read once, in place, four rows and two tokens at a time, from half-precision copies: the
//! product streams every weight from memory once a query, so half the bytes is nearly half
//! the time (measured: 11.7 → 6.3 ms for MiniLM's 24 products).

/// Rows at or below this go through [`linear`]; more rows amortise gemm's packing.
pub const SMALL_ROWS: usize = 64;

/// Independent running sums per dot product, and weight rows multiplied at once.
const LANES: usize = 16;
const WEIGHT_ROWS: usize = 4;

use half::f16;

/// `y[i][j] = b[j] + Σ_t x[i][t] · w[j][t]`, with `x` `[m, k]`, `w` `[n, k]` in half precision
/// (half the bytes to stream per query), `y` `[m, n]`. AVX2 + FMA + F16C where the CPU has
/// them, else portable Rust over the same rounded weights.
pub fn linear(x: &[f32], k: usize, w: &[f16], b: &[f32], y: &mut [f32]) {
    assert!(k > 0 && x.len().is_multiple_of(k) && w.len().is_multiple_of(k));
    assert_eq!(b.len(), w.len() / k);
    assert_eq!(y.len(), x.len() / k * b.len());
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2")
        && std::arch::is_x86_feature_detected!("fma")
        && std::arch::is_x86_feature_detected!("f16c")
    {
        // SAFETY: the CPU has just been seen to support the three features.
        return unsafe { fma::linear_f16(x, k, w, b, y) };
    }
    linear_portable(x, k, w, b, y)
}

fn linear_portable(x: &[f32], k: usize, w: &[f16], b: &[f32], y: &mut [f32]) {
    let n = b.len();
    let mut j = 0;
    while j + WEIGHT_ROWS <= n {
        let rows: [&[f16]; WEIGHT_ROWS] = std::array::from_fn(|r| &w[(j + r) * k..(j + r + 1) * k]);
        for (xr, yr) in x.chunks_exact(k).zip(y.chunks_exact_mut(n)) {
            let dots = dot4(xr, rows);
            for r in 0..WEIGHT_ROWS {
                yr[j + r] = b[j + r] + dots[r];
            }
        }
        j += WEIGHT_ROWS;
    }
    for j in j..n {
        let row = &w[j * k..(j + 1) * k];
        for (xr, yr) in x.chunks_exact(k).zip(y.chunks_exact_mut(n)) {
            yr[j] = b[j] + xr.iter().zip(row).map(|(a, c)| a * c.to_f32()).sum::<f32>();
        }
    }
}

/// Four dot products of `x` with four rows, each with `LANES` independent sums so that no
/// addition waits on the one before it (float addition is not reordered by the compiler).
fn dot4(x: &[f32], rows: [&[f16]; WEIGHT_ROWS]) -> [f32; WEIGHT_ROWS] {
    let body = x.len() - x.len() % LANES;
    let mut sums = [[0.0f32; LANES]; WEIGHT_ROWS];
    let mut t = 0;
    while t < body {
        for r in 0..WEIGHT_ROWS {
            for l in 0..LANES {
                sums[r][l] += x[t + l] * rows[r][t + l].to_f32();
            }
        }
        t += LANES;
    }
    std::array::from_fn(|r| {
        let tail: f32 = x[body..]
            .iter()
            .zip(&rows[r][body..])
            .map(|(a, c)| a * c.to_f32())
            .sum();
        sums[r].iter().sum::<f32>() + tail
    })
}

/// The product with 8-wide fused multiply-adds on half-precision weights widened by F16C: two
/// activation rows against four weight rows, so each weight load feeds two multiply-adds and
/// eight independent sums hide the adder's latency. Chosen at run time, so the binary still
/// runs on an x86-64 without these features (through `linear_portable`).
#[cfg(target_arch = "x86_64")]
mod fma {
    use std::arch::x86_64::*;

    use half::f16;

    use super::WEIGHT_ROWS;

    #[target_feature(enable = "avx2,fma,f16c")]
    pub(super) unsafe fn linear_f16(x: &[f32], k: usize, w: &[f16], b: &[f32], y: &mut [f32]) {
        let n = b.len();
        let m = x.len() / k;
        let full = n - n % WEIGHT_ROWS;
        for j in (0..full).step_by(WEIGHT_ROWS) {
            let rows: [&[f16]; WEIGHT_ROWS] =
                std::array::from_fn(|r| &w[(j + r) * k..(j + r + 1) * k]);
            let mut i = 0;
            while i < m {
                let x0 = &x[i * k..(i + 1) * k];
                let x1 = if i + 1 < m {
                    &x[(i + 1) * k..(i + 2) * k]
                } else {
                    x0
                };
                // SAFETY: every slice is k long, and dot2x4_f16 reads only within them.
                let dots = unsafe { dot2x4_f16(x0, x1, rows) };
                for r in 0..WEIGHT_ROWS {
                    y[i * n + j + r] = b[j + r] + dots[0][r];
                    if i + 1 < m {
                        y[(i + 1) * n + j + r] = b[j + r] + dots[1][r];
                    }
                }
                i += 2;
            }
        }
        for j in full..n {
            let row = &w[j * k..(j + 1) * k];
            for i in 0..m {
                let xr = &x[i * k..(i + 1) * k];
                y[i * n + j] = b[j] + xr.iter().zip(row).map(|(a, c)| a * c.to_f32()).sum::<f32>();
            }
        }
    }

    #[target_feature(enable = "avx2,fma,f16c")]
    unsafe fn dot2x4_f16(
        x0: &[f32],
        x1: &[f32],
        rows: [&[f16]; WEIGHT_ROWS],
    ) -> [[f32; WEIGHT_ROWS]; 2] {
        const STEP: usize = 8;
        let k = x0.len();
        let body = k - k % STEP;
        let mut a = [_mm256_setzero_ps(); WEIGHT_ROWS];
        let mut c = [_mm256_setzero_ps(); WEIGHT_ROWS];
        let mut t = 0;
        while t < body {
            // SAFETY: t + 8 <= k, the length of both activation rows and of every weight row.
            unsafe {
                let u = _mm256_loadu_ps(x0.as_ptr().add(t));
                let v = _mm256_loadu_ps(x1.as_ptr().add(t));
                for r in 0..WEIGHT_ROWS {
                    let h = _mm_loadu_si128(rows[r].as_ptr().add(t) as *const __m128i);
                    let wv = _mm256_cvtph_ps(h);
                    a[r] = _mm256_fmadd_ps(u, wv, a[r]);
                    c[r] = _mm256_fmadd_ps(v, wv, c[r]);
                }
            }
            t += STEP;
        }
        let tail = |x: &[f32], r: usize| -> f32 {
            x[body..]
                .iter()
                .zip(&rows[r][body..])
                .map(|(p, q)| p * q.to_f32())
                .sum()
        };
        [
            std::array::from_fn(|r| hsum(a[r]) + tail(x0, r)),
            std::array::from_fn(|r| hsum(c[r]) + tail(x1, r)),
        ]
    }

    #[target_feature(enable = "avx2,fma")]
    fn hsum(v: __m256) -> f32 {
        let q = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
        let q = _mm_add_ps(q, _mm_movehl_ps(q, q));
        let q = _mm_add_ss(q, _mm_shuffle_ps(q, q, 1));
        _mm_cvtss_f32(q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(x: &[f32], k: usize, w: &[f32], b: &[f32]) -> Vec<f32> {
        let n = b.len();
        let mut y = Vec::new();
        for xr in x.chunks(k) {
            for j in 0..n {
                let d: f64 = (0..k).map(|t| xr[t] as f64 * w[j * k + t] as f64).sum();
                y.push(b[j] + d as f32);
            }
        }
        y
    }

    /// k, then x `[m, k]`, W `[n, k]` and b `[n]`.
    type Case = (usize, Vec<f32>, Vec<f32>, Vec<f32>);

    /// Sizes that leave tails (k not a multiple of the lanes, n not of the row block), each
    /// with activations, weights and biases.
    fn cases() -> Vec<Case> {
        let sizes = [(1, 384, 384), (3, 37, 7), (9, 1536, 6), (2, 5, 1)];
        sizes
            .into_iter()
            .map(|(m, k, n)| {
                let x = (0..m * k).map(|i| ((i * 7 % 13) as f32 - 6.0) / 5.0);
                let w = (0..n * k).map(|i| ((i * 5 % 11) as f32 - 5.0) / 7.0);
                let b = (0..n).map(|j| j as f32 / 3.0);
                (k, x.collect(), w.collect(), b.collect())
            })
            .collect()
    }

    fn close(got: &[f32], want: &[f32]) {
        for (got, want) in got.iter().zip(want) {
            assert!(
                (got - want).abs() < 1e-3 * (1.0 + want.abs()),
                "{got} vs {want}"
            );
        }
    }

    /// Each case's weights rounded to half precision, and the textbook product of those.
    fn rounded(k: usize, x: &[f32], w: &[f32], b: &[f32]) -> (Vec<f16>, Vec<f32>) {
        let h: Vec<f16> = w.iter().map(|&v| f16::from_f32(v)).collect();
        let exact: Vec<f32> = h.iter().map(|v| v.to_f32()).collect();
        (h, naive(x, k, &exact, b))
    }

    #[test]
    fn half_precision_weights_multiply_as_their_rounded_values() {
        for (k, x, w, b) in cases() {
            let (h, want) = rounded(k, &x, &w, &b);
            let mut y = vec![f32::NAN; x.len() / k * b.len()];
            linear(&x, k, &h, &b, &mut y);
            close(&y, &want);
        }
    }

    #[test]
    fn the_portable_product_matches_the_textbook_one_for_awkward_sizes() {
        for (k, x, w, b) in cases() {
            let (h, want) = rounded(k, &x, &w, &b);
            let mut y = vec![f32::NAN; x.len() / k * b.len()];
            linear_portable(&x, k, &h, &b, &mut y);
            close(&y, &want);
        }
    }
}

//! `x · Wᵀ + b` for the few rows of one query, without packing.
//!
//! Why by hand: candle hands every product to the `gemm` crate, which first repacks the whole
//! weight matrix into its panel layout. For a batch of passages that cost is shared by hundreds
//! of rows; for one query of a dozen tokens it was most of the time (perf: 38 % of a
//! classification in gemm's packing, 11 % in its multiply kernel). Here each output is a dot
//! product of a row of `x` with a row of `W` (PyTorch's `[out, in]` layout), so the weights are
//! read once, in place, four rows at a time while the activations stay in L1.

/// Rows at or below this go through [`linear`]; more rows amortise gemm's packing.
pub const SMALL_ROWS: usize = 64;

/// `y[i][j] = b[j] + Σ_t x[i][t] · w[j][t]`, with `x` `[m, k]`, `w` `[n, k]`, `y` `[m, n]`.
pub fn linear(x: &[f32], k: usize, w: &[f32], b: &[f32], y: &mut [f32]) {
    assert!(k > 0 && x.len() % k == 0 && w.len() % k == 0);
    assert_eq!(b.len(), w.len() / k);
    assert_eq!(y.len(), x.len() / k * b.len());
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma") {
        // SAFETY: the CPU has just been seen to support both features.
        return unsafe { fma::linear(x, k, w, b, y) };
    }
    linear_body(x, k, w, b, y)
}

const LANES: usize = 16;
const WEIGHT_ROWS: usize = 4;

#[inline(always)]
fn linear_body(x: &[f32], k: usize, w: &[f32], b: &[f32], y: &mut [f32]) {
    let n = b.len();
    let mut j = 0;
    while j + WEIGHT_ROWS <= n {
        let rows: [&[f32]; WEIGHT_ROWS] = std::array::from_fn(|r| &w[(j + r) * k..(j + r + 1) * k]);
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
            yr[j] = b[j] + dot4(xr, [row; WEIGHT_ROWS])[0];
        }
    }
}

/// Four dot products of `x` with four rows, each with `LANES` independent sums so that no
/// addition waits on the one before it (float addition is not reordered by the compiler).
#[inline(always)]
fn dot4(x: &[f32], rows: [&[f32]; WEIGHT_ROWS]) -> [f32; WEIGHT_ROWS] {
    let body = x.len() - x.len() % LANES;
    let mut sums = [[0.0f32; LANES]; WEIGHT_ROWS];
    let mut t = 0;
    while t < body {
        let xs: &[f32; LANES] = x[t..t + LANES].try_into().expect("LANES values");
        for r in 0..WEIGHT_ROWS {
            let ws: &[f32; LANES] = rows[r][t..t + LANES].try_into().expect("LANES values");
            for l in 0..LANES {
                sums[r][l] += xs[l] * ws[l];
            }
        }
        t += LANES;
    }
    std::array::from_fn(|r| {
        let tail: f32 = x[body..]
            .iter()
            .zip(&rows[r][body..])
            .map(|(a, c)| a * c)
            .sum();
        sums[r].iter().sum::<f32>() + tail
    })
}

/// The same product with 8-wide fused multiply-adds: two running sums per weight row, so that
/// eight independent chains hide the adder's latency. Chosen at run time, so the binary still
/// runs on an x86-64 without AVX2.
#[cfg(target_arch = "x86_64")]
mod fma {
    use std::arch::x86_64::*;

    use super::WEIGHT_ROWS;

    #[target_feature(enable = "avx2,fma")]
    pub(super) unsafe fn linear(x: &[f32], k: usize, w: &[f32], b: &[f32], y: &mut [f32]) {
        let n = b.len();
        let full = n - n % WEIGHT_ROWS;
        for j in (0..full).step_by(WEIGHT_ROWS) {
            let rows: [&[f32]; WEIGHT_ROWS] =
                std::array::from_fn(|r| &w[(j + r) * k..(j + r + 1) * k]);
            // Two activation rows at a time: each weight load feeds two multiply-adds.
            let paired = x.len() / k / 2 * 2;
            let pairs = x.chunks_exact(2 * k).zip(y.chunks_exact_mut(2 * n));
            for (xs, ys) in pairs {
                let (x0, x1) = xs.split_at(k);
                // SAFETY: the slices are k long, and dot2x4 reads only within them.
                let dots = unsafe { dot2x4(x0, x1, rows) };
                for r in 0..WEIGHT_ROWS {
                    ys[j + r] = b[j + r] + dots[0][r];
                    ys[n + j + r] = b[j + r] + dots[1][r];
                }
            }
            let (xs, ys) = (&x[paired * k..], &mut y[paired * n..]);
            if !xs.is_empty() {
                // SAFETY: as above.
                let dots = unsafe { dot4(xs, rows) };
                for r in 0..WEIGHT_ROWS {
                    ys[j + r] = b[j + r] + dots[r];
                }
            }
        }
        for j in full..n {
            let row = &w[j * k..(j + 1) * k];
            for (xr, yr) in x.chunks_exact(k).zip(y.chunks_exact_mut(n)) {
                yr[j] = b[j] + xr.iter().zip(row).map(|(a, c)| a * c).sum::<f32>();
            }
        }
    }

    #[target_feature(enable = "avx2,fma")]
    unsafe fn dot2x4(
        x0: &[f32],
        x1: &[f32],
        rows: [&[f32]; WEIGHT_ROWS],
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
                    let wv = _mm256_loadu_ps(rows[r].as_ptr().add(t));
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
                .map(|(p, q)| p * q)
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

    #[target_feature(enable = "avx2,fma")]
    unsafe fn dot4(x: &[f32], rows: [&[f32]; WEIGHT_ROWS]) -> [f32; WEIGHT_ROWS] {
        const STEP: usize = 16;
        let k = x.len();
        let body = k - k % STEP;
        let mut lo = [_mm256_setzero_ps(); WEIGHT_ROWS];
        let mut hi = [_mm256_setzero_ps(); WEIGHT_ROWS];
        let mut t = 0;
        while t < body {
            // SAFETY: t + 16 <= k, the length of x and of every row.
            unsafe {
                let x0 = _mm256_loadu_ps(x.as_ptr().add(t));
                let x1 = _mm256_loadu_ps(x.as_ptr().add(t + 8));
                for r in 0..WEIGHT_ROWS {
                    let p = rows[r].as_ptr().add(t);
                    lo[r] = _mm256_fmadd_ps(x0, _mm256_loadu_ps(p), lo[r]);
                    hi[r] = _mm256_fmadd_ps(x1, _mm256_loadu_ps(p.add(8)), hi[r]);
                }
            }
            t += STEP;
        }
        std::array::from_fn(|r| {
            let tail: f32 = x[body..]
                .iter()
                .zip(&rows[r][body..])
                .map(|(a, c)| a * c)
                .sum();
            hsum(_mm256_add_ps(lo[r], hi[r])) + tail
        })
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

    #[test]
    fn matches_the_textbook_product_for_awkward_sizes() {
        // Sizes that leave tails: k not a multiple of the lanes, n not of the row block.
        for (m, k, n) in [(1, 384, 384), (3, 37, 7), (9, 1536, 6), (2, 5, 1)] {
            let x: Vec<f32> = (0..m * k)
                .map(|i| ((i * 7 % 13) as f32 - 6.0) / 5.0)
                .collect();
            let w: Vec<f32> = (0..n * k)
                .map(|i| ((i * 5 % 11) as f32 - 5.0) / 7.0)
                .collect();
            let b: Vec<f32> = (0..n).map(|j| j as f32 / 3.0).collect();
            let mut y = vec![f32::NAN; m * n];
            linear(&x, k, &w, &b, &mut y);
            for (got, want) in y.iter().zip(naive(&x, k, &w, &b)) {
                assert!(
                    (got - want).abs() < 1e-3 * (1.0 + want.abs()),
                    "{got} vs {want}"
                );
            }
        }
    }
}

//! A semantic part for Chinese descriptions: the national tariff's Chinese passages embedded
//! with a multilingual sentence encoder (multilingual-e5-small), a query scored against all of
//! them, and a subheading scored by its best passage. Also the blends with the index's
//! ranking that `customs eval --zh --zh-encoder` compares.
//!
//! The matrix is built elsewhere (the engine caches it); queries are embedded through a
//! closure, so this module loads no files.

use std::collections::HashMap;
use std::sync::Arc;

use nomenclature::HsCode;
use search::ZhPassage;
use tariff::CccCode;

/// Embeds one query (with whatever prefix the model wants); `None` when encoding failed.
pub type QueryEncoder = Arc<dyn Fn(&str) -> Option<Vec<f32>> + Send + Sync>;

/// Cosine differences become log-probabilities at this temperature: e5's cosines between
/// related texts sit within a few hundredths of each other.
pub const ZH_DENSE_TEMPERATURE: f32 = 0.02;

/// One subheading found by the dense part, with its best passage's cosine and its lines
/// (those that have a passage), best first.
#[derive(Debug, Clone)]
pub struct DenseHit {
    pub hs6: HsCode,
    pub score: f32,
    pub lines: Vec<(CccCode, f32)>,
}

pub struct ZhDense {
    hs6: Vec<HsCode>,
    lines: Vec<Option<CccCode>>,
    matrix: Vec<f32>,
    dim: usize,
    encode: QueryEncoder,
}

impl ZhDense {
    /// `matrix` holds one unit vector of `dim` values per passage, in the passages' order.
    pub fn new(
        passages: &[ZhPassage],
        matrix: Vec<f32>,
        dim: usize,
        encode: QueryEncoder,
    ) -> Result<ZhDense, String> {
        if dim == 0 || matrix.len() != passages.len() * dim {
            return Err(format!(
                "{} values for {} passages of {dim}",
                matrix.len(),
                passages.len()
            ));
        }
        Ok(ZhDense {
            hs6: passages.iter().map(|p| p.hs6.clone()).collect(),
            lines: passages.iter().map(|p| p.line).collect(),
            matrix,
            dim,
            encode,
        })
    }

    pub fn passages(&self) -> usize {
        self.hs6.len()
    }

    pub fn embed(&self, text: &str) -> Option<Vec<f32>> {
        (self.encode)(text).filter(|v| v.len() == self.dim)
    }

    /// The best `limit` subheadings for an embedded query, each scored by its best passage.
    pub fn search(&self, query: &[f32], limit: usize) -> Vec<DenseHit> {
        let mut by_hs6: HashMap<&HsCode, DenseHit> = HashMap::new();
        for (i, row) in self.matrix.chunks_exact(self.dim).enumerate() {
            let score = crate::dense::dot(row, query);
            let hit = by_hs6.entry(&self.hs6[i]).or_insert_with(|| DenseHit {
                hs6: self.hs6[i].clone(),
                score: f32::MIN,
                lines: Vec::new(),
            });
            hit.score = hit.score.max(score);
            if let Some(line) = self.lines[i] {
                hit.lines.push((line, score));
            }
        }
        let mut hits: Vec<DenseHit> = by_hs6.into_values().collect();
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.hs6.cmp(&b.hs6)));
        hits.truncate(limit);
        for h in &mut hits {
            h.lines.sort_by(|a, b| b.1.total_cmp(&a.1));
        }
        hits
    }
}

/// Log-space blend: `(1 - weight) * index + weight * (cosine - best) / temperature`, where
/// `index` holds log-probabilities (up to a constant). A subheading only one side found gets
/// that side's lowest value (the index's minus one, as the head blend does). Best first.
pub fn blend_log(
    index: &[(HsCode, f32)],
    dense: &[DenseHit],
    weight: f32,
    temperature: f32,
) -> Vec<(HsCode, f32)> {
    let best = dense.first().map_or(0.0, |h| h.score);
    let dense_lp: HashMap<&HsCode, f32> = dense
        .iter()
        .map(|h| (&h.hs6, (h.score - best) / temperature.max(1e-6)))
        .collect();
    let floor_index = index.iter().map(|s| s.1).fold(0.0, f32::min) - 1.0;
    let floor_dense = dense_lp.values().copied().fold(0.0, f32::min);
    let index_lp: HashMap<&HsCode, f32> = index.iter().map(|(c, s)| (c, *s)).collect();
    let mut codes: Vec<&HsCode> = index.iter().map(|(c, _)| c).collect();
    codes.extend(
        dense
            .iter()
            .map(|h| &h.hs6)
            .filter(|c| !index_lp.contains_key(c)),
    );
    let mut out: Vec<(HsCode, f32)> = codes
        .into_iter()
        .map(|c| {
            let a = index_lp.get(c).copied().unwrap_or(floor_index);
            let b = dense_lp.get(c).copied().unwrap_or(floor_dense);
            (c.clone(), (1.0 - weight) * a + weight * b)
        })
        .collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// Reciprocal-rank blend: `(1 - weight) / (k + rank in index) + weight / (k + rank in
/// dense)`, ranks from 1, a missing side adding nothing. Best first.
pub fn blend_rank(index: &[HsCode], dense: &[HsCode], weight: f32, k: f32) -> Vec<(HsCode, f32)> {
    let mut score: HashMap<&HsCode, f32> = HashMap::new();
    for (side, w) in [(index, 1.0 - weight), (dense, weight)] {
        for (r, c) in side.iter().enumerate() {
            *score.entry(c).or_default() += w / (k + r as f32 + 1.0);
        }
    }
    let mut out: Vec<(HsCode, f32)> = score.into_iter().map(|(c, s)| (c.clone(), s)).collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hs(s: &str) -> HsCode {
        HsCode::parse(s).unwrap()
    }

    fn passage(code: &str) -> ZhPassage {
        ZhPassage {
            hs6: hs(code),
            line: None,
            text: code.into(),
        }
    }

    #[test]
    fn a_subheading_scores_by_its_best_passage() {
        let passages = [passage("030617"), passage("030617"), passage("851713")];
        let matrix = vec![0.6, 0.8, 1.0, 0.0, 0.0, 1.0];
        let encode: QueryEncoder = Arc::new(|_| Some(vec![1.0, 0.0]));
        let d = ZhDense::new(&passages, matrix, 2, encode).unwrap();
        let q = d.embed("x").unwrap();
        let hits = d.search(&q, 10);
        assert_eq!(hits[0].hs6, hs("030617"));
        assert_eq!(hits[0].score, 1.0);
        assert_eq!(hits[1].hs6, hs("851713"));
        assert!(ZhDense::new(&passages, vec![0.0; 5], 2, d.encode.clone()).is_err());
    }

    #[test]
    fn blends_move_a_dense_favourite_up() {
        let index = vec![(hs("010121"), 0.0), (hs("030617"), -0.5)];
        let dense = vec![
            DenseHit {
                hs6: hs("030617"),
                score: 0.90,
                lines: vec![],
            },
            DenseHit {
                hs6: hs("010121"),
                score: 0.80,
                lines: vec![],
            },
        ];
        assert_eq!(blend_log(&index, &dense, 0.0, 0.02)[0].0, hs("010121"));
        assert_eq!(blend_log(&index, &dense, 0.5, 0.02)[0].0, hs("030617"));
        let ranked = blend_rank(&[hs("010121")], &[hs("030617"), hs("010121")], 0.5, 10.0);
        assert_eq!(ranked[0].0, hs("010121"));
        assert_eq!(ranked.len(), 2);
    }
}

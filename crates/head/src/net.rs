//! The network: a bag of hashed n-gram embeddings (averaged) beside an optional sentence
//! embedding, one ReLU hidden layer, and three softmax heads (subheading, heading, chapter).
//! fastText's shape with a hidden layer: a few milliseconds on one CPU core, a few minutes to
//! train on two.

use std::collections::HashMap;

use candle_core::{D, DType, Device, Tensor, Var};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};
use serde::{Deserialize, Serialize};

use crate::HeadError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dims {
    pub buckets: usize,
    /// Width of each n-gram's embedding.
    pub bag: usize,
    /// Width of the sentence embedding; 0 for a head that reads n-grams only.
    pub embedding: usize,
    pub hidden: usize,
    pub leaves: usize,
    pub headings: usize,
    pub chapters: usize,
}

/// The parameters, by name, in a fixed order (the order the optimiser and the file use).
pub(crate) const NAMES: [&str; 9] = [
    "bag",
    "w1",
    "b1",
    "w_leaf",
    "b_leaf",
    "w_heading",
    "b_heading",
    "w_chapter",
    "b_chapter",
];

/// One batch, ready for the network.
pub(crate) struct Batch {
    /// [B, L] feature ids, 0-padded.
    pub ids: Tensor,
    /// [B, L] 1 for a feature, 0 for padding.
    pub mask: Tensor,
    /// [B, E] sentence embeddings (zero rows where absent); `None` when E is 0.
    pub embedding: Option<Tensor>,
}

impl Batch {
    /// `rows`: (feature ids, embedding or none) per example.
    pub fn new(
        rows: &[(&[u32], Option<&[f32]>)],
        embedding_dim: usize,
        device: &Device,
    ) -> Result<Batch, HeadError> {
        let b = rows.len();
        let l = rows.iter().map(|r| r.0.len()).max().unwrap_or(0).max(1);
        let mut ids = vec![0u32; b * l];
        let mut mask = vec![0f32; b * l];
        for (i, (f, _)) in rows.iter().enumerate() {
            for (j, &id) in f.iter().enumerate() {
                ids[i * l + j] = id;
                mask[i * l + j] = 1.0;
            }
        }
        let embedding = if embedding_dim > 0 {
            let mut e = vec![0f32; b * embedding_dim];
            for (i, (_, v)) in rows.iter().enumerate() {
                if let Some(v) = v {
                    if v.len() != embedding_dim {
                        return Err(HeadError::Shape(format!(
                            "an embedding of {} values where the head reads {embedding_dim}",
                            v.len()
                        )));
                    }
                    e[i * embedding_dim..(i + 1) * embedding_dim].copy_from_slice(v);
                }
            }
            Some(Tensor::from_vec(e, (b, embedding_dim), device)?)
        } else {
            None
        };
        Ok(Batch {
            ids: Tensor::from_vec(ids, (b, l), device)?,
            mask: Tensor::from_vec(mask, (b, l), device)?,
            embedding,
        })
    }
}

/// Logits of the three heads.
pub(crate) struct Logits {
    pub leaf: Tensor,
    pub heading: Tensor,
    pub chapter: Tensor,
}

pub(crate) struct Net {
    pub dims: Dims,
    /// Parameters in [`NAMES`] order.
    pub params: Vec<Tensor>,
}

fn normal(rng: &mut ChaCha8Rng, n: usize, std: f32) -> Vec<f32> {
    let dist = Normal::new(0.0, std).expect("a positive deviation");
    (0..n).map(|_| dist.sample(rng)).collect()
}

impl Net {
    /// Fresh parameters from `rng`: the same seed gives the same network.
    pub fn init(dims: Dims, rng: &mut ChaCha8Rng) -> Result<Vec<Var>, HeadError> {
        let dev = &Device::Cpu;
        let input = dims.bag + dims.embedding;
        let shapes: [(usize, usize, f32); 4] = [
            (dims.buckets, dims.bag, 0.1),
            (input, dims.hidden, (2.0 / input as f32).sqrt()),
            (dims.hidden, dims.leaves, (1.0 / dims.hidden as f32).sqrt()),
            (
                dims.hidden,
                dims.headings,
                (1.0 / dims.hidden as f32).sqrt(),
            ),
        ];
        let mut vars = Vec::new();
        let (rows, cols, std) = shapes[0];
        let mut bag = normal(rng, rows * cols, std);
        bag[..cols].fill(0.0); // padding
        vars.push(Var::from_vec(bag, (rows, cols), dev)?);
        for &(rows, cols, std) in &shapes[1..] {
            vars.push(Var::from_vec(
                normal(rng, rows * cols, std),
                (rows, cols),
                dev,
            )?);
            vars.push(Var::zeros(cols, DType::F32, dev)?);
        }
        let std = (1.0 / dims.hidden as f32).sqrt();
        vars.push(Var::from_vec(
            normal(rng, dims.hidden * dims.chapters, std),
            (dims.hidden, dims.chapters),
            dev,
        )?);
        vars.push(Var::zeros(dims.chapters, DType::F32, dev)?);
        Ok(vars)
    }

    pub fn from_vars(dims: Dims, vars: &[Var]) -> Net {
        Net {
            dims,
            params: vars.iter().map(|v| v.as_tensor().clone()).collect(),
        }
    }

    pub fn from_named(dims: Dims, mut named: HashMap<String, Tensor>) -> Result<Net, HeadError> {
        let params = NAMES
            .iter()
            .map(|n| {
                named
                    .remove(*n)
                    .ok_or_else(|| HeadError::Shape(format!("the model file lacks `{n}`")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let net = Net { dims, params };
        let want = [
            (0, (dims.buckets, dims.bag)),
            (1, (dims.bag + dims.embedding, dims.hidden)),
            (3, (dims.hidden, dims.leaves)),
            (5, (dims.hidden, dims.headings)),
            (7, (dims.hidden, dims.chapters)),
        ];
        for (i, shape) in want {
            let got = net.params[i].dims2()?;
            if got != shape {
                return Err(HeadError::Shape(format!(
                    "`{}` is {got:?}, the head's description says {shape:?}",
                    NAMES[i]
                )));
            }
        }
        Ok(net)
    }

    pub fn named(&self) -> HashMap<String, Tensor> {
        NAMES
            .iter()
            .zip(&self.params)
            .map(|(n, t)| (n.to_string(), t.clone()))
            .collect()
    }

    /// The three heads' logits; `dropout` (a [B, hidden] mask already scaled) in training.
    pub fn forward(&self, batch: &Batch, dropout: Option<&Tensor>) -> Result<Logits, HeadError> {
        let p = &self.params;
        let (b, l) = batch.ids.dims2()?;
        let looked_up =
            p[0].index_select(&batch.ids.flatten_all()?, 0)?
                .reshape((b, l, self.dims.bag))?;
        let mask = batch.mask.unsqueeze(2)?;
        let counts = batch.mask.sum_keepdim(1)?.clamp(1.0, f32::MAX)?;
        let bag = looked_up
            .broadcast_mul(&mask)?
            .sum(1)?
            .broadcast_div(&counts)?;
        let x = match &batch.embedding {
            Some(e) => Tensor::cat(&[&bag, e], 1)?,
            None => bag,
        };
        let mut h = x.matmul(&p[1])?.broadcast_add(&p[2])?.relu()?;
        if let Some(d) = dropout {
            h = h.mul(d)?;
        }
        let head = |w: &Tensor, bias: &Tensor| h.matmul(w)?.broadcast_add(bias);
        Ok(Logits {
            leaf: head(&p[3], &p[4])?,
            heading: head(&p[5], &p[6])?,
            chapter: head(&p[7], &p[8])?,
        })
    }
}

/// A [B, hidden] inverted-dropout mask.
pub(crate) fn dropout_mask(
    rng: &mut ChaCha8Rng,
    rows: usize,
    hidden: usize,
    rate: f32,
) -> Result<Tensor, HeadError> {
    let keep = 1.0 / (1.0 - rate);
    let m: Vec<f32> = (0..rows * hidden)
        .map(|_| {
            if rng.random::<f32>() < rate {
                0.0
            } else {
                keep
            }
        })
        .collect();
    Ok(Tensor::from_vec(m, (rows, hidden), &Device::Cpu)?)
}

/// Row-wise log-softmax.
pub(crate) fn log_softmax(t: &Tensor) -> Result<Tensor, HeadError> {
    Ok(candle_nn::ops::log_softmax(t, D::Minus1)?)
}

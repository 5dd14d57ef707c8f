//! MiniLM's forward pass: candle's BERT arithmetic (`candle_transformers::models::bert`), with
//! the dense layers multiplied by [`crate::matmul::linear`] when there are few rows (one
//! query) and by candle's gemm when there are many (batches of passages). The query, key and
//! value projections are fused into one product.

#[cfg(test)]
use candle_core::Device;
use candle_core::{D, DType, Module, Tensor};
use candle_nn::{Embedding, LayerNorm, VarBuilder};
use candle_transformers::models::bert::{Config, HiddenAct};

use crate::matmul;

type Result<T> = candle_core::Result<T>;

/// A dense layer `x · Wᵀ + b`: the f32 weights as candle's tensor for batches (the corpus cache
/// and training read exact embeddings), and a half-precision `[out, in]` copy for single
/// queries, whose product streams every weight from memory once (42 MB in f32 for MiniLM,
/// more than the L3 cache), so half the bytes is nearly half the time.
struct Linear {
    weight: Tensor,
    bias: Tensor,
    weight16: Vec<half::f16>,
    bias_values: Vec<f32>,
    inputs: usize,
}

impl Linear {
    fn new(weight: &Tensor, bias: &Tensor) -> Result<Linear> {
        let (_, inputs) = weight.dims2()?;
        let values: Vec<f32> = weight.flatten_all()?.to_vec1()?;
        Ok(Linear {
            weight16: values.iter().map(|&w| half::f16::from_f32(w)).collect(),
            weight: weight.contiguous()?,
            bias_values: bias.to_vec1()?,
            bias: bias.clone(),
            inputs,
        })
    }

    fn load(vb: VarBuilder, inputs: usize, outputs: usize) -> Result<Linear> {
        Linear::new(
            &vb.get((outputs, inputs), "weight")?,
            &vb.get(outputs, "bias")?,
        )
    }

    fn outputs(&self) -> usize {
        self.bias_values.len()
    }

    /// `x`: `[batch, len, in]` → `[batch, len, out]`.
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        self.forward_then(x, false)
    }

    /// [`Linear::forward`] followed by BERT's (erf) GELU.
    fn forward_gelu(&self, x: &Tensor) -> Result<Tensor> {
        self.forward_then(x, true)
    }

    fn forward_then(&self, x: &Tensor, gelu: bool) -> Result<Tensor> {
        let (b, len, _) = x.dims3()?;
        let n = self.outputs();
        if b * len > matmul::SMALL_ROWS {
            let y = x
                .broadcast_matmul(&self.weight.t()?)?
                .broadcast_add(&self.bias)?;
            return if gelu { y.gelu_erf() } else { Ok(y) };
        }
        let xs = x.flatten_all()?.to_vec1::<f32>()?;
        let mut y = vec![0.0f32; b * len * n];
        matmul::linear(&xs, self.inputs, &self.weight16, &self.bias_values, &mut y);
        if gelu {
            y.iter_mut().for_each(|v| *v = gelu_erf(*v));
        }
        Tensor::from_vec(y, (b, len, n), x.device())
    }
}

/// `x · Φ(x)`, with erf from Abramowitz and Stegun 7.1.26 (error under 1.5e-7). candle's
/// `gelu_erf` calls libm's erf for each value, which took a tenth of a query's time.
fn gelu_erf(x: f32) -> f32 {
    let z = x.abs() * std::f32::consts::FRAC_1_SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * z);
    let poly = t
        * (0.254_829_6
            + t * (-0.284_496_74 + t * (1.421_413_7 + t * (-1.453_152 + t * 1.061_405_4))));
    let erf = 1.0 - poly * (-z * z).exp();
    0.5 * x * (1.0 + erf.copysign(x))
}

fn layer_norm(vb: VarBuilder, size: usize, eps: f64) -> Result<LayerNorm> {
    Ok(LayerNorm::new(
        vb.get(size, "weight")?,
        vb.get(size, "bias")?,
        eps,
    ))
}

struct Layer {
    qkv: Linear,
    attention_out: Linear,
    attention_norm: LayerNorm,
    up: Linear,
    down: Linear,
    output_norm: LayerNorm,
}

impl Layer {
    fn load(vb: VarBuilder, c: &Config) -> Result<Layer> {
        let (h, ff, eps) = (c.hidden_size, c.intermediate_size, c.layer_norm_eps);
        let attention = vb.pp("attention");
        let own = attention.pp("self");
        let part = |name: &str| -> Result<(Tensor, Tensor)> {
            let p = own.pp(name);
            Ok((p.get((h, h), "weight")?, p.get(h, "bias")?))
        };
        let (q, k, v) = (part("query")?, part("key")?, part("value")?);
        Ok(Layer {
            qkv: Linear::new(
                &Tensor::cat(&[&q.0, &k.0, &v.0], 0)?,
                &Tensor::cat(&[&q.1, &k.1, &v.1], 0)?,
            )?,
            attention_out: Linear::load(attention.pp("output").pp("dense"), h, h)?,
            attention_norm: layer_norm(attention.pp("output").pp("LayerNorm"), h, eps)?,
            up: Linear::load(vb.pp("intermediate").pp("dense"), h, ff)?,
            down: Linear::load(vb.pp("output").pp("dense"), ff, h)?,
            output_norm: layer_norm(vb.pp("output").pp("LayerNorm"), h, eps)?,
        })
    }

    /// `x`: `[batch, len, hidden]`; `mask`: additive, `[batch, 1, 1, len]`.
    fn forward(&self, x: &Tensor, mask: &Tensor, heads: usize) -> Result<Tensor> {
        let (b, len, h) = x.dims3()?;
        let d = h / heads;
        let split = |t: Tensor| -> Result<Tensor> {
            t.reshape((b, len, heads, d))?.transpose(1, 2)?.contiguous()
        };
        let qkv = self.qkv.forward(x)?;
        let q = split(qkv.narrow(D::Minus1, 0, h)?)?;
        let k = split(qkv.narrow(D::Minus1, h, h)?)?;
        let v = split(qkv.narrow(D::Minus1, 2 * h, h)?)?;
        let scores = (q.matmul(&k.t()?)? / (d as f64).sqrt())?.broadcast_add(mask)?;
        let probs = candle_nn::ops::softmax_last_dim(&scores)?;
        let context = probs
            .matmul(&v)?
            .transpose(1, 2)?
            .contiguous()?
            .reshape((b, len, h))?;
        let attended = self
            .attention_norm
            .forward(&(self.attention_out.forward(&context)? + x)?)?;
        let inner = self.up.forward_gelu(&attended)?;
        self.output_norm
            .forward(&(self.down.forward(&inner)? + attended)?)
    }
}

/// BERT as `BertModel` computes it, loaded from the same safetensors.
pub struct Bert {
    words: Embedding,
    positions: Embedding,
    token_types: Embedding,
    embedding_norm: LayerNorm,
    layers: Vec<Layer>,
    heads: usize,
}

impl Bert {
    /// `vb` is rooted where `BertModel::load` roots it (`embeddings.*`, `encoder.layer.N.*`,
    /// with or without a `bert.` prefix).
    pub fn load(vb: VarBuilder, c: &Config) -> Result<Bert> {
        if c.hidden_act != HiddenAct::Gelu {
            candle_core::bail!("only the erf GELU activation is supported");
        }
        let vb = if vb.contains_tensor("embeddings.word_embeddings.weight") {
            vb
        } else {
            vb.pp("bert")
        };
        let e = vb.pp("embeddings");
        let h = c.hidden_size;
        let table = |name: &str, rows: usize| -> Result<Embedding> {
            Ok(Embedding::new(e.pp(name).get((rows, h), "weight")?, h))
        };
        let layers = (0..c.num_hidden_layers)
            .map(|l| Layer::load(vb.pp(format!("encoder.layer.{l}")), c))
            .collect::<Result<Vec<_>>>()?;
        Ok(Bert {
            words: table("word_embeddings", c.vocab_size)?,
            positions: table("position_embeddings", c.max_position_embeddings)?,
            token_types: table("token_type_embeddings", c.type_vocab_size)?,
            embedding_norm: layer_norm(e.pp("LayerNorm"), h, c.layer_norm_eps)?,
            layers,
            heads: c.num_attention_heads,
        })
    }

    /// Hidden states `[batch, len, hidden]` for right-padded `ids` with their 0/1 `mask`.
    pub fn forward(&self, ids: &Tensor, types: &Tensor, mask: &Tensor) -> Result<Tensor> {
        let (_, len) = ids.dims2()?;
        let positions = Tensor::arange(0u32, len as u32, ids.device())?;
        let x = (self.words.forward(ids)? + self.token_types.forward(types)?)?
            .broadcast_add(&self.positions.forward(&positions)?)?;
        let mut x = self.embedding_norm.forward(&x)?;
        // Additive mask: a large negative where there is padding, as candle's BertModel does.
        let m = mask.to_dtype(DType::F32)?.unsqueeze(1)?.unsqueeze(1)?;
        let additive = ((m.ones_like()? - &m)? * f32::MIN as f64)?;
        for layer in &self.layers {
            x = layer.forward(&x, &additive, self.heads)?;
        }
        Ok(x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gelu_matches_candles_erf_gelu() {
        let xs: Vec<f32> = (-800..=800).map(|i| i as f32 / 100.0).collect();
        let t = Tensor::new(xs.as_slice(), &Device::Cpu).unwrap();
        let want = t.gelu_erf().unwrap().to_vec1::<f32>().unwrap();
        for (x, w) in xs.iter().zip(want) {
            assert!(
                (gelu_erf(*x) - w).abs() < 1e-6,
                "gelu({x}): {} vs {w}",
                gelu_erf(*x)
            );
        }
    }
    use candle_transformers::models::bert::BertModel;

    /// The same hidden states as candle's BertModel, one text (the hand-written product, on
    /// half-precision weights) and a batch of padded texts long enough for gemm.
    #[test]
    fn matches_candles_bert_for_one_query_and_for_a_batch() {
        let dir =
            crate::Encoder::default_dir(&settings::model_dir_for_tests(env!("CARGO_MANIFEST_DIR")));
        let config: Config =
            serde_json::from_slice(&std::fs::read(dir.join("config.json")).unwrap()).unwrap();
        let device = Device::Cpu;
        // SAFETY: read-only mapping of a file nobody writes during the test.
        let vb = unsafe {
            VarBuilder::from_mmaped_safetensors(
                &[dir.join("model.safetensors")],
                DType::F32,
                &device,
            )
        }
        .unwrap();
        let reference = BertModel::load(vb.clone(), &config).unwrap();
        let ours = Bert::load(vb, &config).unwrap();
        for (batch, len) in [(1, 9), (8, 12)] {
            assert_eq!(batch * len > matmul::SMALL_ROWS, batch == 8);
            let ids: Vec<u32> = (0..batch * len)
                .map(|i| 1000 + (i * 37 % 5000) as u32)
                .collect();
            let ids = Tensor::from_vec(ids, (batch, len), &device).unwrap();
            let types = ids.zeros_like().unwrap();
            let mask: Vec<u32> = (0..batch * len)
                .map(|i| u32::from(i % len < len - (i / len) % 3))
                .collect();
            let mask = Tensor::from_vec(mask, (batch, len), &device).unwrap();
            let want = reference.forward(&ids, &types, Some(&mask)).unwrap();
            let got = ours.forward(&ids, &types, &mask).unwrap();
            let diff = (want - got)
                .unwrap()
                .abs()
                .unwrap()
                .flatten_all()
                .unwrap()
                .max(0)
                .unwrap()
                .to_scalar::<f32>()
                .unwrap();
            // One query runs on half-precision weights; a batch on the exact ones.
            let tolerance = if batch == 1 { 1e-2 } else { 1e-3 };
            assert!(diff < tolerance, "batch {batch}: largest difference {diff}");
        }
    }
}

//! AdamW with its state in the open: candle's keeps its moments private, and a training run
//! that must resume from a checkpoint exactly where it stopped has to save them. The update is
//! candle's (decoupled weight decay, bias-corrected moments), step for step.

use std::collections::HashMap;

use candle_core::backprop::GradStore;
use candle_core::{Tensor, Var};

use crate::HeadError;

#[derive(Debug, Clone, Copy)]
pub(crate) struct AdamParams {
    pub lr: f64,
    pub beta1: f64,
    pub beta2: f64,
    pub eps: f64,
    pub weight_decay: f64,
}

impl AdamParams {
    pub fn new(lr: f64, weight_decay: f64) -> AdamParams {
        AdamParams {
            lr,
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weight_decay,
        }
    }
}

pub(crate) struct AdamW {
    vars: Vec<Var>,
    first: Vec<Var>,
    second: Vec<Var>,
    step: usize,
    pub params: AdamParams,
}

impl AdamW {
    pub fn new(vars: Vec<Var>, params: AdamParams) -> Result<AdamW, HeadError> {
        let zeros = |v: &Var| Var::zeros(v.shape(), v.dtype(), v.device());
        let first = vars.iter().map(zeros).collect::<Result<Vec<_>, _>>()?;
        let second = vars.iter().map(zeros).collect::<Result<Vec<_>, _>>()?;
        Ok(AdamW {
            vars,
            first,
            second,
            step: 0,
            params,
        })
    }

    pub fn backward_step(&mut self, loss: &Tensor) -> Result<(), HeadError> {
        let grads = loss.backward()?;
        self.step(&grads)
    }

    fn step(&mut self, grads: &GradStore) -> Result<(), HeadError> {
        self.step += 1;
        let p = self.params;
        let scale_m = 1.0 / (1.0 - p.beta1.powi(self.step as i32));
        let scale_v = 1.0 / (1.0 - p.beta2.powi(self.step as i32));
        for ((theta, m), v) in self.vars.iter().zip(&self.first).zip(&self.second) {
            let Some(g) = grads.get(theta) else { continue };
            let next_m = ((m.as_tensor() * p.beta1)? + (g * (1.0 - p.beta1))?)?;
            let next_v = ((v.as_tensor() * p.beta2)? + (g.sqr()? * (1.0 - p.beta2))?)?;
            let m_hat = (&next_m * scale_m)?;
            let v_hat = (&next_v * scale_v)?;
            let decayed = (theta.as_tensor() * (1.0 - p.lr * p.weight_decay))?;
            let adjusted = (m_hat / (v_hat.sqrt()? + p.eps)?)?;
            let next_theta = (decayed - (adjusted * p.lr)?)?;
            m.set(&next_m)?;
            v.set(&next_v)?;
            theta.set(&next_theta)?;
        }
        Ok(())
    }

    /// The moments by parameter name, for a checkpoint.
    pub fn state(&self, names: &[&str]) -> HashMap<String, Tensor> {
        let mut out = HashMap::new();
        for (i, name) in names.iter().enumerate() {
            out.insert(format!("m.{name}"), self.first[i].as_tensor().clone());
            out.insert(format!("v.{name}"), self.second[i].as_tensor().clone());
        }
        out
    }

    pub fn steps(&self) -> usize {
        self.step
    }

    /// Restores the moments and the step count a checkpoint saved.
    pub fn restore(
        &mut self,
        names: &[&str],
        state: &HashMap<String, Tensor>,
        steps: usize,
    ) -> Result<(), HeadError> {
        for (i, name) in names.iter().enumerate() {
            for (key, var) in [("m", &self.first[i]), ("v", &self.second[i])] {
                let t = state.get(&format!("{key}.{name}")).ok_or_else(|| {
                    HeadError::Shape(format!("the checkpoint has no {key}.{name}"))
                })?;
                var.set(t)?;
            }
        }
        self.step = steps;
        Ok(())
    }
}

//! A training checkpoint: after each epoch, the weights, the optimiser's moments and step
//! count, and the epochs' reports, so a run stopped by a crash or a restart resumes exactly
//! where it was. It is only used for the same config, dimensions and rows (a fingerprint).

use std::collections::HashMap;
use std::path::Path;

use candle_core::{Device, Tensor, Var};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::HeadError;
use crate::net::{Dims, NAMES};
use crate::optim::AdamW;
use crate::train::{EpochReport, TrainConfig, TrainRow};

const TENSORS: &str = "checkpoint.safetensors";
const META: &str = "checkpoint.json";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct CheckpointMeta {
    pub fingerprint: String,
    pub steps: usize,
    pub epochs: Vec<EpochReport>,
    pub tensors_sha256: String,
}

pub(crate) struct Saved {
    pub meta: CheckpointMeta,
    pub tensors: HashMap<String, Tensor>,
}

/// What a checkpoint is valid for: the config, the network's shape and every row.
pub(crate) fn fingerprint(config: &TrainConfig, dims: &Dims, rows: &[TrainRow]) -> String {
    let mut h = Sha256::new();
    h.update(serde_json::to_vec(&(config, dims)).expect("serialisable"));
    for r in rows {
        h.update(r.text.as_bytes());
        h.update([0]);
        h.update((r.leaf as u64).to_le_bytes());
        h.update(r.weight.to_le_bytes());
        h.update([r.embedding.is_some() as u8]);
    }
    hex::encode(h.finalize())
}

/// Writes the checkpoint: the tensors first, then the description naming their hash, each
/// by rename, so a crash mid-write leaves the previous checkpoint or none, never half of one.
pub(crate) fn save(
    dir: &Path,
    fingerprint: &str,
    vars: &[Var],
    opt: &AdamW,
    epochs: &[EpochReport],
) -> Result<(), HeadError> {
    std::fs::create_dir_all(dir)?;
    let mut tensors = opt.state(&NAMES);
    for (name, var) in NAMES.iter().zip(vars) {
        tensors.insert(format!("w.{name}"), var.as_tensor().clone());
    }
    let tmp = dir.join(format!("{TENSORS}.tmp"));
    candle_core::safetensors::save(&tensors, &tmp)?;
    let sha = hex::encode(Sha256::digest(std::fs::read(&tmp)?));
    std::fs::rename(&tmp, dir.join(TENSORS))?;
    let meta = CheckpointMeta {
        fingerprint: fingerprint.to_string(),
        steps: opt.steps(),
        epochs: epochs.to_vec(),
        tensors_sha256: sha,
    };
    let tmp = dir.join(format!("{META}.tmp"));
    std::fs::write(&tmp, serde_json::to_vec_pretty(&meta)?)?;
    std::fs::rename(tmp, dir.join(META))?;
    Ok(())
}

/// The checkpoint in `dir` when there is one for this fingerprint and it is whole.
pub(crate) fn load(dir: &Path, fingerprint: &str) -> Result<Option<Saved>, HeadError> {
    let Ok(bytes) = std::fs::read(dir.join(META)) else {
        return Ok(None);
    };
    let meta: CheckpointMeta = serde_json::from_slice(&bytes)?;
    if meta.fingerprint != fingerprint {
        return Ok(None);
    }
    let bytes = std::fs::read(dir.join(TENSORS))?;
    if hex::encode(Sha256::digest(&bytes)) != meta.tensors_sha256 {
        return Err(HeadError::Shape(format!(
            "the checkpoint in {} is damaged (its tensors do not match their sha256)",
            dir.display()
        )));
    }
    let tensors = candle_core::safetensors::load_buffer(&bytes, &Device::Cpu)?;
    Ok(Some(Saved { meta, tensors }))
}

/// Puts the saved weights and moments back.
pub(crate) fn restore(saved: &Saved, vars: &[Var], opt: &mut AdamW) -> Result<(), HeadError> {
    for (name, var) in NAMES.iter().zip(vars) {
        let t = saved
            .tensors
            .get(&format!("w.{name}"))
            .ok_or_else(|| HeadError::Shape(format!("the checkpoint has no w.{name}")))?;
        var.set(t)?;
    }
    opt.restore(&NAMES, &saved.tensors, saved.meta.steps)
}

/// Whether `dir` holds a checkpoint, and of how many epochs (whatever it is for).
pub fn checkpoint_epochs(dir: &Path) -> Option<usize> {
    let bytes = std::fs::read(dir.join(META)).ok()?;
    let meta: CheckpointMeta = serde_json::from_slice(&bytes).ok()?;
    Some(meta.epochs.len())
}

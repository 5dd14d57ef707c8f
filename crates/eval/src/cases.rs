use std::io::BufRead;
use std::path::Path;

use sha2::{Digest, Sha256};

/// One gold case: a description and its code (2 to 11 digits: HS, national lines, Taiwan's
/// 11-digit CCC lines).
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
pub struct Case {
    pub description: String,
    pub code: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CasesError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} line {line}: {message}")]
    Invalid {
        path: String,
        line: usize,
        message: String,
    },
}

/// Reads `{"description": ..., "code": ...}` lines; returns the cases and the file's sha256.
pub fn read_cases(path: &Path) -> Result<(Vec<Case>, String), CasesError> {
    let p = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| CasesError::Io {
        path: p.clone(),
        source,
    })?;
    let digest = hex::encode(Sha256::digest(&bytes));
    let mut cases = Vec::new();
    for (i, line) in bytes.lines().enumerate() {
        let invalid = |message: String| CasesError::Invalid {
            path: p.clone(),
            line: i + 1,
            message,
        };
        let line = line.map_err(|e| invalid(e.to_string()))?;
        if line.trim().is_empty() {
            continue;
        }
        let case: Case = serde_json::from_str(&line).map_err(|e| invalid(e.to_string()))?;
        let digits: String = case
            .code
            .chars()
            .filter(|c| !matches!(c, '.' | ' '))
            .collect();
        if !(2..=11).contains(&digits.len()) || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(invalid(format!(
                "code {:?} is not 2 to 11 digits",
                case.code
            )));
        }
        if case.description.trim().is_empty() {
            return Err(invalid("empty description".into()));
        }
        cases.push(Case {
            description: case.description,
            code: digits,
        });
    }
    if cases.is_empty() {
        return Err(CasesError::Invalid {
            path: p,
            line: 0,
            message: "no cases".into(),
        });
    }
    Ok((cases, digest))
}

//! Signed release manifests and their offline verification.
//!
//! The signature is HMAC-SHA256 over the canonical JSON of the release: keys sorted,
//! no whitespace, UTF-8 as is (what Python's
//! `json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)` gives).
//! HMAC is symmetric: whoever verifies the signature holds the key. The file hashes in
//! the manifest can be checked by anyone.

use std::collections::HashMap;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use sha2::Sha256;
use thiserror::Error;

use crate::release::{Release, sha256_hex};

pub const SIGNATURE_ALGORITHM: &str = "HMAC-SHA256";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    pub algorithm: String,
    /// Lowercase hex MAC.
    pub value: String,
}

/// A release and its signature, published next to the files as `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub release: Release,
    pub signature: Signature,
}

#[derive(Debug, Error)]
pub enum ManifestError {
    #[error("not a manifest: {0}")]
    Json(#[from] serde_json::Error),
}

/// The exact bytes that are signed.
pub fn canonical_json(release: &Release) -> Vec<u8> {
    let value = serde_json::to_value(release).expect("releases always serialise");
    let mut out = String::new();
    write_canonical(&value, &mut out);
    out.into_bytes()
}

/// Sorts keys itself rather than relying on serde_json's map order, which a
/// `preserve_order` feature elsewhere in the build would silently change.
fn write_canonical(v: &Json, out: &mut String) {
    match v {
        Json::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Json::String(k.clone()).to_string());
                out.push(':');
                write_canonical(&map[k], out);
            }
            out.push('}');
        }
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

fn mac(key: &[u8]) -> Hmac<Sha256> {
    Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length")
}

impl Manifest {
    pub fn sign(release: Release, key: &[u8]) -> Manifest {
        let mut m = mac(key);
        m.update(&canonical_json(&release));
        let value = hex::encode(m.finalize().into_bytes());
        Manifest {
            release,
            signature: Signature {
                algorithm: SIGNATURE_ALGORITHM.into(),
                value,
            },
        }
    }

    /// Pretty JSON for people; the signature does not depend on this layout.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("manifests always serialise")
    }

    pub fn from_json(s: &str) -> Result<Manifest, ManifestError> {
        Ok(serde_json::from_str(s)?)
    }

    /// Constant-time check of the signature alone.
    pub fn signature_valid(&self, key: &[u8]) -> bool {
        if self.signature.algorithm != SIGNATURE_ALGORITHM {
            return false;
        }
        let Ok(expected) = hex::decode(&self.signature.value) else {
            return false;
        };
        let mut m = mac(key);
        m.update(&canonical_json(&self.release));
        m.verify_slice(&expected).is_ok()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileStatus {
    Ok,
    Missing,
    SizeMismatch { expected: u64, actual: u64 },
    HashMismatch { expected: String, actual: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileCheck {
    pub name: String,
    pub status: FileStatus,
}

/// What `verify_manifest` found, file by file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub signature_valid: bool,
    pub files: Vec<FileCheck>,
    /// Files handed in that the manifest does not list.
    pub unlisted: Vec<String>,
}

impl Verification {
    /// True when the signature holds and every listed file is present and intact.
    /// Unlisted extra files do not fail it; they are reported.
    pub fn is_ok(&self) -> bool {
        self.signature_valid && self.files.iter().all(|f| f.status == FileStatus::Ok)
    }

    /// One line per problem, for a CLI or a log.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.signature_valid {
            out.push("signature does not match the manifest (wrong key or edited manifest)".into());
        }
        for f in &self.files {
            match &f.status {
                FileStatus::Ok => {}
                FileStatus::Missing => out.push(format!("{}: missing", f.name)),
                FileStatus::SizeMismatch { expected, actual } => out.push(format!(
                    "{}: {actual} bytes, manifest says {expected}",
                    f.name
                )),
                FileStatus::HashMismatch { expected, actual } => out.push(format!(
                    "{}: sha256 {actual}, manifest says {expected}",
                    f.name
                )),
            }
        }
        out.extend(
            self.unlisted
                .iter()
                .map(|n| format!("{n}: not listed in the manifest")),
        );
        out
    }
}

/// Checks the signature with `key` and each listed file against `files` (name → bytes).
pub fn verify_manifest(
    manifest: &Manifest,
    files: &HashMap<String, Vec<u8>>,
    key: &[u8],
) -> Verification {
    let checks = manifest
        .release
        .files
        .iter()
        .map(|f| {
            let status = match files.get(&f.name) {
                None => FileStatus::Missing,
                Some(b) if b.len() as u64 != f.byte_size => FileStatus::SizeMismatch {
                    expected: f.byte_size,
                    actual: b.len() as u64,
                },
                Some(b) => {
                    let actual = sha256_hex(b);
                    if actual == f.sha256 {
                        FileStatus::Ok
                    } else {
                        FileStatus::HashMismatch {
                            expected: f.sha256.clone(),
                            actual,
                        }
                    }
                }
            };
            FileCheck {
                name: f.name.clone(),
                status,
            }
        })
        .collect();
    let mut unlisted: Vec<String> = files
        .keys()
        .filter(|n| !manifest.release.files.iter().any(|f| &f.name == *n))
        .cloned()
        .collect();
    unlisted.sort();
    Verification {
        signature_valid: manifest.signature_valid(key),
        files: checks,
        unlisted,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::release::tests::sample_published;

    const KEY: &[u8] = b"release-signing-key";

    fn signed() -> (Manifest, HashMap<String, Vec<u8>>) {
        let p = sample_published();
        (
            Manifest::sign(p.release, KEY),
            p.files.into_iter().collect(),
        )
    }

    #[test]
    fn intact_release_verifies_after_a_json_round_trip() {
        let (m, files) = signed();
        let back = Manifest::from_json(&m.to_json()).unwrap();
        assert_eq!(back, m);
        let v = verify_manifest(&back, &files, KEY);
        assert!(v.is_ok(), "{:?}", v.problems());
        assert!(v.problems().is_empty());
    }

    #[test]
    fn canonical_json_sorts_keys_and_has_no_whitespace() {
        let (m, _) = signed();
        let c = String::from_utf8(canonical_json(&m.release)).unwrap();
        assert!(
            c.starts_with(r#"{"dataset":"vehicle-imports","files":[{"byte_size":"#),
            "{c}"
        );
        assert!(c.contains(r#""published_at":"2024-03-05""#));
        assert!(!c.contains(": ") && !c.contains('\n'));
    }

    #[test]
    fn wrong_key_or_edited_manifest_fails_the_signature() {
        let (m, files) = signed();
        assert!(!verify_manifest(&m, &files, b"other key").signature_valid);
        let mut edited = m.clone();
        edited.release.rows += 1;
        let v = verify_manifest(&edited, &files, KEY);
        assert!(!v.signature_valid && !v.is_ok());
        assert!(v.files.iter().all(|f| f.status == FileStatus::Ok));
        let mut bad_hex = m;
        bad_hex.signature.value = "zz".into();
        assert!(!bad_hex.signature_valid(KEY));
    }

    #[test]
    fn names_the_file_that_does_not_match() {
        let (m, mut files) = signed();
        let csv = "vehicle-imports-v2.csv".to_string();
        let json = "vehicle-imports-v2.json".to_string();
        // Same length, one byte changed: only the hash can tell.
        let bytes = files.get_mut(&csv).unwrap();
        let last = bytes.len() - 3;
        bytes[last] ^= 1;
        files.get_mut(&json).unwrap().push(b' ');
        files.remove("vehicle-imports-v2.parquet");
        files.insert("extra.txt".into(), vec![]);
        let v = verify_manifest(&m, &files, KEY);
        assert!(v.signature_valid && !v.is_ok());
        let status = |n: &str| v.files.iter().find(|f| f.name == n).unwrap().status.clone();
        assert!(matches!(status(&csv), FileStatus::HashMismatch { .. }));
        assert!(matches!(status(&json), FileStatus::SizeMismatch { .. }));
        assert_eq!(status("vehicle-imports-v2.parquet"), FileStatus::Missing);
        assert_eq!(status("vehicle-imports-v2.jsonl"), FileStatus::Ok);
        assert_eq!(v.unlisted, ["extra.txt"]);
        let problems = v.problems().join("\n");
        assert!(
            problems.contains("vehicle-imports-v2.csv: sha256"),
            "{problems}"
        );
        assert!(problems.contains("vehicle-imports-v2.parquet: missing"));
    }
}

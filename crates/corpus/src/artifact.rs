//! The corpus as a versioned artifact on disk: `corpus.jsonl` (one subheading a line),
//! `examples.jsonl` (every labelled example with its split), `vague.json`, and
//! `manifest.json` naming the inputs and the version (a digest of the content).

use std::collections::BTreeMap;
use std::io::{BufRead, BufWriter, Write};
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::labelled::{Example, LabelledSet};
use crate::{Corpus, CorpusError, SubheadingDoc, io_err};

/// Bump when the artifact's layout changes.
pub const ARTIFACT_FORMAT: u32 = 1;

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct CorpusManifest {
    pub format: u32,
    /// First 16 hex digits of the sha256 over corpus.jsonl and examples.jsonl.
    pub version: String,
    pub nomenclature_digest: String,
    /// (path inside the data dir, sha256) of every input file.
    pub inputs: Vec<(String, String)>,
    pub subheadings: usize,
    pub national_lines: usize,
    pub trade_names: usize,
    /// Examples by "source/split".
    pub examples: BTreeMap<String, usize>,
    pub skipped_examples: usize,
    pub vague_terms: usize,
    /// True when no labelled data was found: models then learn from the corpus alone.
    pub trained_on_corpus_only: bool,
}

fn write_jsonl<T: serde::Serialize>(path: &Path, items: &[T]) -> Result<Vec<u8>, CorpusError> {
    let mut bytes = Vec::new();
    for item in items {
        serde_json::to_writer(&mut bytes, item).expect("serialisable");
        bytes.push(b'\n');
    }
    let file = std::fs::File::create(path).map_err(io_err(path))?;
    let mut w = BufWriter::new(file);
    w.write_all(&bytes).map_err(io_err(path))?;
    w.flush().map_err(io_err(path))?;
    Ok(bytes)
}

/// Writes the artifact into `dir` (created if needed) and returns the manifest with its version.
pub fn write_artifact(corpus: &Corpus, dir: &Path) -> Result<CorpusManifest, CorpusError> {
    std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    let mut hasher = Sha256::new();
    hasher.update(write_jsonl(&dir.join("corpus.jsonl"), &corpus.docs)?);
    hasher.update(write_jsonl(
        &dir.join("examples.jsonl"),
        &corpus.labelled.examples,
    )?);
    let vague = serde_json::to_vec(&corpus.labelled.vague).expect("serialisable");
    std::fs::write(dir.join("vague.json"), &vague).map_err(io_err(dir))?;
    hasher.update(&vague);
    write_cases(dir, corpus)?;
    let mut manifest = corpus.manifest.clone();
    manifest.version = hex::encode(hasher.finalize())[..16].to_string();
    let json = serde_json::to_vec_pretty(&manifest).expect("serialisable");
    std::fs::write(dir.join("manifest.json"), json).map_err(io_err(dir))?;
    Ok(manifest)
}

/// Evaluation inputs beside the artifact: `cases-dev.jsonl`, `cases-test.jsonl` and one
/// `cases-<set>.jsonl` per held-out set, in the `{"description", "code"}` form `customs eval`
/// reads.
fn write_cases(dir: &Path, corpus: &Corpus) -> Result<(), CorpusError> {
    #[derive(serde::Serialize)]
    struct Case<'a> {
        description: &'a str,
        code: &'a str,
    }
    let as_cases = |examples: &mut dyn Iterator<Item = &Example>| -> Vec<(String, String)> {
        examples
            .map(|e| (e.text.clone(), e.code.to_string()))
            .collect()
    };
    let mut sets: Vec<(String, Vec<(String, String)>)> = vec![
        (
            "dev".into(),
            as_cases(&mut corpus.labelled.split(crate::Split::Dev)),
        ),
        (
            "test".into(),
            as_cases(&mut corpus.labelled.split(crate::Split::Test)),
        ),
    ];
    for (name, examples) in &corpus.held_out {
        sets.push((name.clone(), as_cases(&mut examples.iter())));
    }
    for (name, cases) in sets {
        let rows: Vec<Case> = cases
            .iter()
            .map(|(d, c)| Case {
                description: d,
                code: c,
            })
            .collect();
        write_jsonl(&dir.join(format!("cases-{name}.jsonl")), &rows)?;
    }
    Ok(())
}

fn read_jsonl<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Vec<T>, CorpusError> {
    let file = std::fs::File::open(path).map_err(io_err(path))?;
    let mut out = Vec::new();
    for (i, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(io_err(path))?;
        if line.trim().is_empty() {
            continue;
        }
        out.push(
            serde_json::from_str(&line).map_err(|e| CorpusError::Invalid {
                path: path.display().to_string(),
                message: format!("line {}: {e}", i + 1),
            })?,
        );
    }
    Ok(out)
}

/// Reads an artifact written by [`write_artifact`].
pub fn read_artifact(dir: &Path) -> Result<Corpus, CorpusError> {
    let manifest_path = dir.join("manifest.json");
    let bytes = std::fs::read(&manifest_path).map_err(io_err(&manifest_path))?;
    let manifest: CorpusManifest =
        serde_json::from_slice(&bytes).map_err(|e| CorpusError::Invalid {
            path: manifest_path.display().to_string(),
            message: e.to_string(),
        })?;
    if manifest.format != ARTIFACT_FORMAT {
        return Err(CorpusError::Invalid {
            path: manifest_path.display().to_string(),
            message: format!(
                "artifact format {} is not {ARTIFACT_FORMAT}; rebuild with `customs corpus build`",
                manifest.format
            ),
        });
    }
    let docs: Vec<SubheadingDoc> = read_jsonl(&dir.join("corpus.jsonl"))?;
    let examples: Vec<Example> = read_jsonl(&dir.join("examples.jsonl"))?;
    let vague_path = dir.join("vague.json");
    let vague_bytes = std::fs::read(&vague_path).map_err(io_err(&vague_path))?;
    let vague: Vec<String> =
        serde_json::from_slice(&vague_bytes).map_err(|e| CorpusError::Invalid {
            path: vague_path.display().to_string(),
            message: e.to_string(),
        })?;
    let labelled = LabelledSet {
        examples,
        vague,
        ..LabelledSet::default()
    };
    Ok(Corpus::new(docs, manifest, labelled))
}

//! The tariff text corpus that the classification models read.
//!
//! For every HS 2022 subheading: its own text, its heading and chapter context (an "Other"
//! means nothing alone), how national tariffs word it (US, UK, EU, Taiwan lines), the trade
//! names that point at it, and the labelled examples of the training split. Labelled data is
//! split deterministically (train/dev/test) by a hash of a normalised text key, so the same or
//! nearly the same description always lands on the same side.
//!
//! Reads files; writes nothing but the artifact it is asked to write. No HTTP, no SQL.

mod artifact;
mod build;
mod labelled;
mod national;

pub use artifact::{ARTIFACT_FORMAT, CorpusManifest, read_artifact, write_artifact};
pub use build::{Corpus, SubheadingDoc};
pub use labelled::{
    EVAL_SETS, Example, LabelledRow, LabelledSet, Split, TRAINING_SETS, labelled_sets,
    load_labelled, read_labelled_rows, split_of,
};
pub use national::{NationalLine, load_national_lines};

#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

/// (path, sha256) of every input file the corpus would read from `data_dir` now, in the order
/// [`Corpus::build`] records them: compare with a manifest's `inputs` to see if it is stale.
pub fn current_inputs(data_dir: &std::path::Path) -> Result<Vec<(String, String)>, CorpusError> {
    current_inputs_with_decisions(data_dir, None)
}

/// The inputs, with customs' own decisions under `decisions` when given.
pub fn current_inputs_with_decisions(
    data_dir: &std::path::Path,
    decisions: Option<&std::path::Path>,
) -> Result<Vec<(String, String)>, CorpusError> {
    use sha2::{Digest, Sha256};
    let mut paths: Vec<String> = national::source_paths().map(|p| p.to_string()).collect();
    paths.extend(
        labelled::TRAINING_SETS
            .iter()
            .map(|s| format!("labelled/{s}/labelled.csv")),
    );
    paths.push(format!("labelled/{}/vague.csv", labelled::VAGUE_SET));
    let mut roots = vec![(data_dir, paths)];
    if let Some(root) = decisions {
        let own = format!("labelled/{}/labelled.csv", labelled::DECISIONS_SET);
        roots.push((root, vec![own]));
    }
    let mut out = Vec::new();
    for (root, paths) in roots {
        for rel in paths {
            let path = root.join(&rel);
            if path.is_file() {
                let bytes = std::fs::read(&path).map_err(io_err(&path))?;
                out.push((rel, hex::encode(Sha256::digest(&bytes))));
            }
        }
    }
    Ok(out)
}

pub(crate) fn io_err(path: &std::path::Path) -> impl FnOnce(std::io::Error) -> CorpusError {
    let path = path.display().to_string();
    move |source| CorpusError::Io { path, source }
}

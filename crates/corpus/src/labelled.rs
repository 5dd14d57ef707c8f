//! Labelled goods descriptions (description → code) and "too vague" texts, with deterministic
//! train/dev/test splits.

use std::collections::BTreeSet;
use std::path::Path;

use nomenclature::{HsCode, Level, Nomenclature};
use sha2::{Digest, Sha256};

use crate::{CorpusError, io_err};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Split {
    Train,
    Dev,
    Test,
}

impl Split {
    pub fn as_str(self) -> &'static str {
        match self {
            Split::Train => "train",
            Split::Dev => "dev",
            Split::Test => "test",
        }
    }
}

/// The split of a text: 80 % train, 10 % dev, 10 % test, by a hash of its sorted distinct
/// stems. Reordered words, plurals, case and punctuation do not move a text across splits.
pub fn split_of(text: &str) -> Split {
    let key: BTreeSet<String> = text::analyze(text).into_iter().map(|t| t.text).collect();
    let joined = key.into_iter().collect::<Vec<_>>().join(" ");
    let digest = Sha256::digest(joined.as_bytes());
    let bucket = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]) % 100;
    match bucket {
        0..80 => Split::Train,
        80..90 => Split::Dev,
        _ => Split::Test,
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Example {
    pub id: String,
    pub text: String,
    /// The HS 2022 subheading (first 6 digits of the national code).
    pub code: HsCode,
    /// The data set folder it came from, e.g. "uk-ott-search-references".
    pub source: String,
    pub split: Split,
}

#[derive(Debug, Default)]
pub struct LabelledSet {
    pub examples: Vec<Example>,
    /// Texts known to be too vague to classify ("gift", "parts").
    pub vague: Vec<String>,
    /// (source, id, reason) for rows that could not be used.
    pub skipped: Vec<(String, String, String)>,
    /// sha256 of every file read, for the corpus manifest.
    pub files: Vec<(String, String)>,
}

impl LabelledSet {
    pub fn split(&self, split: Split) -> impl Iterator<Item = &Example> {
        self.examples.iter().filter(move |e| e.split == split)
    }
}

/// Sets used for training and development. The CBP rulings sample is kept apart as an
/// evaluation set: its PROVENANCE calls it too small to train on.
pub const TRAINING_SETS: &[&str] = &[
    "uk-ott-search-references",
    "uk-ott-fpo-parcels",
    "uk-ott-intercept-terms",
];
/// Customs' own approved rulings, exported from the platform into the state directory.
pub const DECISIONS_SET: &str = "customs-rulings";
/// Sets for evaluation only.
pub const EVAL_SETS: &[&str] = &["us-cbp-cross-ny-sample"];
pub const VAGUE_SET: &str = "uk-ott-vague-terms";

/// One row of a set's `labelled.csv` as the file has it: the national code untouched.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct LabelledRow {
    pub id: String,
    pub description: String,
    pub code: String,
    /// Whose code it is: "UK", "US-HTS"… (empty when the file has no such column).
    #[serde(default)]
    pub code_system: String,
}

/// A set's rows and its file as (path under the data dir, sha256).
pub type LabelledFile = (Vec<LabelledRow>, (String, String));

/// The rows of `<data_dir>/labelled/<set>/labelled.csv` and the file's (path, sha256);
/// `None` when the set has no such file. A set is a folder name, never a path.
pub fn read_labelled_rows(data_dir: &Path, set: &str) -> Result<Option<LabelledFile>, CorpusError> {
    if set.is_empty() || set.starts_with('.') || set.contains(['/', '\\']) {
        return Err(CorpusError::Invalid {
            path: set.to_string(),
            message: "a labelled set is a folder name under labelled/".into(),
        });
    }
    let path = data_dir.join("labelled").join(set).join("labelled.csv");
    if !path.is_file() {
        return Ok(None);
    }
    let bytes = std::fs::read(&path).map_err(io_err(&path))?;
    let file = (
        relative(data_dir, &path),
        hex::encode(Sha256::digest(&bytes)),
    );
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let rows = reader
        .deserialize::<LabelledRow>()
        .enumerate()
        .map(|(i, row)| {
            row.map_err(|e| CorpusError::Invalid {
                path: path.display().to_string(),
                message: format!("row {}: {e}", i + 2),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some((rows, file)))
}

/// The folders under `<data_dir>/labelled` that hold a `labelled.csv`, in name order.
pub fn labelled_sets(data_dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(data_dir.join("labelled")) else {
        return Vec::new();
    };
    let mut sets: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.path().join("labelled.csv").is_file())
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    sets.sort();
    sets
}

/// Reads `<data_dir>/labelled/<set>/labelled.csv` for `sets`, and the vague terms. Missing
/// folders are fine (a data dir may not have labelled data); malformed files are errors.
pub fn load_labelled(
    data_dir: &Path,
    sets: &[&str],
    hs: &Nomenclature,
) -> Result<LabelledSet, CorpusError> {
    let mut out = LabelledSet::default();
    for set in sets {
        let Some((rows, file)) = read_labelled_rows(data_dir, set)? else {
            continue;
        };
        out.files.push(file);
        for row in rows {
            match to_hs6(&row.code, hs) {
                Ok(code) if !row.description.trim().is_empty() => out.examples.push(Example {
                    split: split_of(&row.description),
                    id: row.id,
                    text: row.description.trim().to_string(),
                    code,
                    source: set.to_string(),
                }),
                Ok(_) => out
                    .skipped
                    .push((set.to_string(), row.id, "empty description".into())),
                Err(reason) => out.skipped.push((set.to_string(), row.id, reason)),
            }
        }
    }
    let vague = data_dir.join("labelled").join(VAGUE_SET).join("vague.csv");
    if vague.is_file() {
        let bytes = std::fs::read(&vague).map_err(io_err(&vague))?;
        out.files.push((
            relative(data_dir, &vague),
            hex::encode(Sha256::digest(&bytes)),
        ));
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        for rec in reader.deserialize::<VagueRow>() {
            let rec = rec.map_err(|e| CorpusError::Invalid {
                path: vague.display().to_string(),
                message: e.to_string(),
            })?;
            if !rec.description.trim().is_empty() {
                out.vague.push(rec.description.trim().to_string());
            }
        }
    }
    Ok(out)
}

fn relative(base: &Path, path: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[derive(serde::Deserialize)]
struct VagueRow {
    description: String,
}

/// A national code of 6 to 10 digits → its HS 2022 subheading, if that exists.
pub(crate) fn to_hs6(code: &str, hs: &Nomenclature) -> Result<HsCode, String> {
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 6 {
        return Err(format!("code {code:?} is shorter than a subheading"));
    }
    let hs6 = HsCode::parse(&digits[..6]).map_err(|e| e.to_string())?;
    match hs.get(&hs6) {
        Some(n) if n.level() == Level::Subheading => Ok(hs6),
        _ => Err(format!("{} is not an HS 2022 subheading", hs6.dotted())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_duplicates_share_a_split() {
        assert_eq!(
            split_of("Frozen prawns, peeled"),
            split_of("peeled frozen prawn")
        );
        assert_eq!(split_of("LAPTOP bags"), split_of("laptop bag"));
    }

    #[test]
    fn splits_are_roughly_80_10_10() {
        let mut counts = [0usize; 3];
        for i in 0..3000 {
            counts[split_of(&format!("item number {i} widget")) as usize] += 1;
        }
        assert!((2250..2550).contains(&counts[0]), "{counts:?}");
        assert!((220..380).contains(&counts[1]), "{counts:?}");
        assert!((220..380).contains(&counts[2]), "{counts:?}");
    }
}

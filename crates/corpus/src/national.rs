//! National tariff lines (US HTS, UK Global Tariff, EU CN, Taiwan CCC) as extra wording for
//! the HS subheading they fall under: a line such as "Smartphones" is how a subheading is
//! worded in practice.

use std::collections::HashMap;
use std::path::Path;

use nomenclature::{HsCode, Nomenclature};
use sha2::{Digest, Sha256};

use crate::labelled::to_hs6;
use crate::{CorpusError, io_err};

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct NationalLine {
    /// "US", "UK", "EU" or "TW".
    pub system: String,
    pub code: String,
    pub hs6: HsCode,
    /// The line's text with the national groupings above it ("Horses: Purebred breeding").
    pub text: String,
}

struct Source {
    system: &'static str,
    path: &'static str,
    read: fn(&[u8], &Nomenclature) -> Result<Vec<NationalLine>, String>,
}

const SOURCES: &[Source] = &[
    Source {
        system: "US",
        path: "tariffs/us/us_hts_2026_rev10.csv",
        read: read_us,
    },
    Source {
        system: "UK",
        path: "tariffs/uk/uk_global_tariff_2021.csv",
        read: read_uk,
    },
    Source {
        system: "EU",
        path: "tariffs/eu/eu_cn_2026.csv",
        read: read_eu,
    },
    Source {
        system: "TW",
        path: "tariffs/tw/tw_customs_import_tariff_2025.csv",
        read: read_tw,
    },
];

/// The files [`load_national_lines`] reads, in its order.
pub(crate) fn source_paths() -> impl Iterator<Item = &'static str> {
    SOURCES.iter().map(|s| s.path)
}

/// All national lines found under `data_dir/tariffs`, and (path, sha256) of each file read.
/// A missing file is skipped; a malformed one is an error.
#[allow(clippy::type_complexity)]
pub fn load_national_lines(
    data_dir: &Path,
    hs: &Nomenclature,
) -> Result<(Vec<NationalLine>, Vec<(String, String)>), CorpusError> {
    let mut lines = Vec::new();
    let mut files = Vec::new();
    for source in SOURCES {
        let path = data_dir.join(source.path);
        if !path.is_file() {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(io_err(&path))?;
        files.push((source.path.to_string(), hex::encode(Sha256::digest(&bytes))));
        let mut read = (source.read)(&bytes, hs).map_err(|message| CorpusError::Invalid {
            path: path.display().to_string(),
            message,
        })?;
        debug_assert!(read.iter().all(|l| l.system == source.system));
        lines.append(&mut read);
    }
    Ok((lines, files))
}

fn clean(text: &str) -> String {
    text.trim()
        .trim_start_matches(['-', '–', ' '])
        .trim_end_matches([':', ' '])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn records<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<Vec<T>, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    csv::Reader::from_reader(bytes)
        .deserialize()
        .enumerate()
        .map(|(i, r)| r.map_err(|e| format!("row {}: {e}", i + 2)))
        .collect()
}

fn line(system: &str, code: &str, text: String, hs: &Nomenclature) -> Option<NationalLine> {
    let hs6 = to_hs6(code, hs).ok()?;
    Some(NationalLine {
        system: system.to_string(),
        code: code.to_string(),
        hs6,
        text,
    })
}

#[derive(serde::Deserialize)]
struct UsRow {
    row_id: String,
    parent_row_id: String,
    code: String,
    description: String,
}

/// US rows form a tree through `parent_row_id`; a line's text is its own description with the
/// national groupings above it, up to (not including) the HS-level rows.
fn read_us(bytes: &[u8], hs: &Nomenclature) -> Result<Vec<NationalLine>, String> {
    let rows: Vec<UsRow> = records(bytes)?;
    let by_id: HashMap<&str, &UsRow> = rows.iter().map(|r| (r.row_id.as_str(), r)).collect();
    let mut out = Vec::new();
    for row in rows.iter().filter(|r| r.code.len() > 6) {
        let mut parts = vec![clean(&row.description)];
        let mut parent = by_id.get(row.parent_row_id.as_str());
        while let Some(p) = parent {
            if !p.code.is_empty() && p.code.len() <= 6 {
                break;
            }
            parts.push(clean(&p.description));
            parent = by_id.get(p.parent_row_id.as_str());
        }
        parts.reverse();
        if let Some(l) = line("US", &row.code, parts.join(": "), hs) {
            out.push(l);
        }
    }
    Ok(out)
}

#[derive(serde::Deserialize)]
struct UkRow {
    code: String,
    description_en: String,
}

fn read_uk(bytes: &[u8], hs: &Nomenclature) -> Result<Vec<NationalLine>, String> {
    let rows: Vec<UkRow> = records(bytes)?;
    Ok(rows
        .into_iter()
        .filter_map(|r| line("UK", &r.code, clean(&r.description_en), hs))
        .collect())
}

#[derive(serde::Deserialize)]
struct EuRow {
    code: String,
    level: String,
    description_en: String,
}

fn read_eu(bytes: &[u8], hs: &Nomenclature) -> Result<Vec<NationalLine>, String> {
    let rows: Vec<EuRow> = records(bytes)?;
    Ok(rows
        .into_iter()
        .filter(|r| r.level == "cn8")
        .filter_map(|r| line("EU", &r.code, clean(&r.description_en), hs))
        .collect())
}

#[derive(serde::Deserialize)]
struct TwRow {
    code: String,
    description_en: String,
}

fn read_tw(bytes: &[u8], hs: &Nomenclature) -> Result<Vec<NationalLine>, String> {
    let rows: Vec<TwRow> = records(bytes)?;
    Ok(rows
        .into_iter()
        .filter_map(|r| line("TW", &r.code, clean(&r.description_en), hs))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_dashes_and_colons() {
        assert_eq!(clean("- - Other  live horses:"), "Other live horses");
    }
}

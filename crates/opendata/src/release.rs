//! Immutable, versioned releases: the files of one version and what they must hash to.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;
use time::Date;

use crate::encode::{ParquetError, encode};
use crate::format::Format;
use crate::schema::Schema;
use crate::table::{Table, TableError};
use crate::value::iso_date;

/// One file of a release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseFile {
    pub name: String,
    pub format: Format,
    pub byte_size: u64,
    /// Lowercase hex SHA-256 of the file's bytes.
    pub sha256: String,
}

/// A published version of a dataset. Once published it never changes; a correction is a
/// new version, so anyone holding version N can check it against this record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Release {
    pub dataset: String,
    /// 1, 2, 3…: one number per publication, never reused.
    pub version: u32,
    #[serde(with = "iso_date")]
    pub published_at: Date,
    pub rows: u64,
    pub schema: Schema,
    pub files: Vec<ReleaseFile>,
}

/// A release with the bytes of its files, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub release: Release,
    /// (file name, bytes), in `release.files` order.
    pub files: Vec<(String, Vec<u8>)>,
}

#[derive(Debug, Error)]
pub enum PublishError {
    #[error("dataset {0:?} is not a valid id: use lowercase letters, digits and hyphens")]
    BadDataset(String),
    #[error("version numbers start at 1")]
    ZeroVersion,
    #[error("the table does not fit its schema: {0}")]
    InvalidTable(#[from] TableError),
    #[error(transparent)]
    Parquet(#[from] ParquetError),
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// File name of one format of one version: `{dataset}-v{version}.{ext}`. The version is in
/// the name so a downloaded file still says what it is.
pub fn file_name(dataset: &str, version: u32, format: Format) -> String {
    format!("{dataset}-v{version}.{}", format.name())
}

/// Encodes `table` in every format and records sizes and hashes. Refuses invalid tables:
/// a release is forever, so it must be right.
pub fn publish(
    dataset: &str,
    version: u32,
    published_at: Date,
    table: &Table,
) -> Result<Published, PublishError> {
    if !crate::catalog::is_valid_slug(dataset) {
        return Err(PublishError::BadDataset(dataset.to_owned()));
    }
    if version == 0 {
        return Err(PublishError::ZeroVersion);
    }
    table.validate()?;
    let mut files = Vec::new();
    let mut listed = Vec::new();
    for format in Format::ALL {
        let bytes = encode(table, format)?;
        let name = file_name(dataset, version, format);
        listed.push(ReleaseFile {
            name: name.clone(),
            format,
            byte_size: bytes.len() as u64,
            sha256: sha256_hex(&bytes),
        });
        files.push((name, bytes));
    }
    let release = Release {
        dataset: dataset.to_owned(),
        version,
        published_at,
        rows: table.rows.len() as u64,
        schema: table.schema.clone(),
        files: listed,
    };
    Ok(Published { release, files })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::table::tests::{vehicles_schema, vrow};
    use crate::value::parse_date;

    pub fn sample_table() -> Table {
        Table::new(
            vehicles_schema(),
            vec![
                vrow("Toyota", 2020, "2024-01-01", Some(12)),
                vrow("Hyundai", 2019, "2024-01-01", None),
                vrow("Toyota", 2021, "2024-02-01", Some(3)),
            ],
        )
        .unwrap()
    }

    pub fn sample_published() -> Published {
        publish(
            "vehicle-imports",
            2,
            parse_date("2024-03-05").unwrap(),
            &sample_table(),
        )
        .unwrap()
    }

    pub fn sample_release() -> Release {
        sample_published().release
    }

    #[test]
    fn publish_lists_every_format_with_true_hashes() {
        let p = sample_published();
        let names: Vec<&str> = p.release.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "vehicle-imports-v2.csv",
                "vehicle-imports-v2.json",
                "vehicle-imports-v2.jsonl",
                "vehicle-imports-v2.parquet"
            ]
        );
        for (f, (name, bytes)) in p.release.files.iter().zip(&p.files) {
            assert_eq!(&f.name, name);
            assert_eq!(f.byte_size, bytes.len() as u64);
            assert_eq!(f.sha256, sha256_hex(bytes));
        }
        assert_eq!(p.release.rows, 3);
    }

    #[test]
    fn publishing_is_deterministic() {
        assert_eq!(sample_published(), sample_published());
    }

    #[test]
    fn refuses_bad_input() {
        let d = parse_date("2024-03-05").unwrap();
        let t = sample_table();
        assert!(matches!(
            publish("Vehicle Imports", 1, d, &t),
            Err(PublishError::BadDataset(_))
        ));
        assert!(matches!(
            publish("v", 0, d, &t),
            Err(PublishError::ZeroVersion)
        ));
        let mut bad = t.clone();
        bad.rows.push(bad.rows[0].clone());
        assert!(matches!(
            publish("v", 1, d, &bad),
            Err(PublishError::InvalidTable(_))
        ));
    }

    #[test]
    fn sha256_matches_known_vector() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}

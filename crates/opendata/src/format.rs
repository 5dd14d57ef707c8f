//! Download formats and how catalogues name them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Json,
    /// JSON Lines: one object per line, streamable.
    Jsonl,
    Parquet,
}

impl Format {
    pub const ALL: [Format; 4] = [Format::Csv, Format::Json, Format::Jsonl, Format::Parquet];

    /// The name used in `_format=` and file extensions.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Jsonl => "jsonl",
            Format::Parquet => "parquet",
        }
    }

    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// HTTP `Content-Type`.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv",
            Format::Json => "application/json",
            Format::Jsonl => "application/jsonl",
            Format::Parquet => "application/vnd.apache.parquet",
        }
    }

    /// IANA registry page, for `dcat:mediaType`; JSON Lines has no registered type.
    pub fn iana_media_type_uri(self) -> Option<String> {
        (self != Format::Jsonl).then(|| {
            format!(
                "https://www.iana.org/assignments/media-types/{}",
                self.media_type()
            )
        })
    }

    /// EU Publications Office file-type authority, for `dct:format` in DCAT-AP.
    pub fn file_type_uri(self) -> &'static str {
        match self {
            Format::Csv => "http://publications.europa.eu/resource/authority/file-type/CSV",
            Format::Json | Format::Jsonl => {
                "http://publications.europa.eu/resource/authority/file-type/JSON"
            }
            Format::Parquet => "http://publications.europa.eu/resource/authority/file-type/PARQUET",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for f in Format::ALL {
            assert_eq!(Format::from_name(f.name()), Some(f));
        }
        assert_eq!(Format::from_name("xml"), None);
        assert_eq!(Format::Jsonl.iana_media_type_uri(), None);
        assert_eq!(
            Format::Csv.iana_media_type_uri().unwrap(),
            "https://www.iana.org/assignments/media-types/text/csv"
        );
    }
}

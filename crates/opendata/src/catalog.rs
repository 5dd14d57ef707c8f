//! Dataset metadata and distributions: what a DCAT-AP catalogue says about each dataset.

use serde::{Deserialize, Serialize};
use thiserror::Error;
use time::Date;

use crate::format::Format;
use crate::release::Release;
use crate::value::{format_date, iso_date};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agent {
    pub name: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Licence {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    pub email: String,
}

/// Temporal coverage; an open end means "still being added to".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    #[serde(with = "iso_date::option")]
    pub start: Option<Date>,
    #[serde(with = "iso_date::option")]
    pub end: Option<Date>,
}

/// Update frequency, from the EU frequency authority table used by DCAT-AP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Frequency {
    Continuous,
    Daily,
    Weekly,
    Monthly,
    Quarterly,
    Annual,
    Irregular,
    Never,
}

impl Frequency {
    pub fn uri(self) -> &'static str {
        match self {
            Frequency::Continuous => {
                "http://publications.europa.eu/resource/authority/frequency/UPDATE_CONT"
            }
            Frequency::Daily => "http://publications.europa.eu/resource/authority/frequency/DAILY",
            Frequency::Weekly => {
                "http://publications.europa.eu/resource/authority/frequency/WEEKLY"
            }
            Frequency::Monthly => {
                "http://publications.europa.eu/resource/authority/frequency/MONTHLY"
            }
            Frequency::Quarterly => {
                "http://publications.europa.eu/resource/authority/frequency/QUARTERLY"
            }
            Frequency::Annual => {
                "http://publications.europa.eu/resource/authority/frequency/ANNUAL"
            }
            Frequency::Irregular => {
                "http://publications.europa.eu/resource/authority/frequency/IRREG"
            }
            Frequency::Never => "http://publications.europa.eu/resource/authority/frequency/NEVER",
        }
    }

    /// Longest gap between releases that still counts as on time, in days; `None` when the
    /// promise has no schedule. The longest month, quarter and year are allowed.
    pub fn max_age_days(self) -> Option<i64> {
        match self {
            Frequency::Continuous | Frequency::Daily => Some(1),
            Frequency::Weekly => Some(7),
            Frequency::Monthly => Some(31),
            Frequency::Quarterly => Some(92),
            Frequency::Annual => Some(366),
            Frequency::Irregular | Frequency::Never => None,
        }
    }
}

/// EU data-theme authority table (the DCAT-AP controlled vocabulary for `dcat:theme`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Theme {
    Agri,
    Econ,
    Educ,
    Ener,
    Envi,
    Gove,
    Heal,
    Intr,
    Just,
    Regi,
    Soci,
    Tech,
    Tran,
}

impl Theme {
    pub fn uri(self) -> String {
        let code = match self {
            Theme::Agri => "AGRI",
            Theme::Econ => "ECON",
            Theme::Educ => "EDUC",
            Theme::Ener => "ENER",
            Theme::Envi => "ENVI",
            Theme::Gove => "GOVE",
            Theme::Heal => "HEAL",
            Theme::Intr => "INTR",
            Theme::Just => "JUST",
            Theme::Regi => "REGI",
            Theme::Soci => "SOCI",
            Theme::Tech => "TECH",
            Theme::Tran => "TRAN",
        };
        format!("http://publications.europa.eu/resource/authority/data-theme/{code}")
    }
}

/// Everything a catalogue says about one dataset that does not change per release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatasetMeta {
    /// URL slug, also the stable identifier: `[a-z0-9-]`, starting with a letter.
    pub id: String,
    pub title: String,
    pub description: String,
    pub publisher: Agent,
    pub licence: Licence,
    pub keywords: Vec<String>,
    pub themes: Vec<Theme>,
    pub frequency: Frequency,
    pub temporal: Option<Period>,
    /// A place URI, e.g. from the EU country authority table.
    pub spatial: Option<String>,
    pub contact: Contact,
    pub landing_page: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CatalogError {
    #[error(
        "bad dataset id {0:?}: use lowercase letters, digits and hyphens, starting with a letter"
    )]
    BadId(String),
    #[error("dataset {id:?}: {field} must be an http(s) URL, got {value:?}")]
    BadUrl {
        id: String,
        field: &'static str,
        value: String,
    },
    #[error("dataset {id:?}: contact email {value:?} has no @")]
    BadEmail { id: String, value: String },
    #[error("dataset {id:?}: temporal coverage ends ({end}) before it starts ({start})")]
    BadPeriod {
        id: String,
        start: String,
        end: String,
    },
}

/// Dataset ids appear in URLs and file names, so they stay plain.
pub fn is_valid_slug(id: &str) -> bool {
    let mut b = id.bytes();
    id.len() <= 64
        && b.next().is_some_and(|c| c.is_ascii_lowercase())
        && b.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
}

fn is_http_url(s: &str) -> bool {
    (s.starts_with("https://") || s.starts_with("http://")) && !s.contains(char::is_whitespace)
}

impl DatasetMeta {
    /// Checks what a catalogue harvester would reject.
    pub fn check(&self) -> Result<(), CatalogError> {
        let id = || self.id.clone();
        if !is_valid_slug(&self.id) {
            return Err(CatalogError::BadId(id()));
        }
        let urls = [
            ("licence url", Some(&self.licence.url)),
            ("landing page", self.landing_page.as_ref()),
            ("publisher url", self.publisher.url.as_ref()),
        ];
        for (field, value) in urls {
            if let Some(v) = value.filter(|v| !is_http_url(v)) {
                return Err(CatalogError::BadUrl {
                    id: id(),
                    field,
                    value: v.clone(),
                });
            }
        }
        if !self.contact.email.contains('@') {
            return Err(CatalogError::BadEmail {
                id: id(),
                value: self.contact.email.clone(),
            });
        }
        if let Some(Period {
            start: Some(s),
            end: Some(e),
        }) = &self.temporal
            && e < s
        {
            return Err(CatalogError::BadPeriod {
                id: id(),
                start: format_date(*s),
                end: format_date(*e),
            });
        }
        Ok(())
    }
}

/// One downloadable file of a release, as listed in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Distribution {
    pub format: Format,
    pub media_type: &'static str,
    pub download_url: String,
    pub byte_size: u64,
    pub sha256: String,
}

/// `base` without trailing slashes, so joined URLs never get `//`.
pub(crate) fn trim_base(base: &str) -> &str {
    base.trim_end_matches('/')
}

/// The one URL pattern for release files: `{base}/{dataset}/v{version}/{file}`, where `base`
/// is the root the datasets live under (the server's `/api/v1/opendata`).
/// Versioned paths never change content, so they can be cached forever.
pub fn download_url(base: &str, dataset: &str, version: u32, file: &str) -> String {
    format!("{}/{dataset}/v{version}/{file}", trim_base(base))
}

/// The distributions of a release, with URLs under `base`.
pub fn distributions(base: &str, release: &Release) -> Vec<Distribution> {
    release
        .files
        .iter()
        .map(|f| Distribution {
            format: f.format,
            media_type: f.format.media_type(),
            download_url: download_url(base, &release.dataset, release.version, &f.name),
            byte_size: f.byte_size,
            sha256: f.sha256.clone(),
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn vehicles_meta() -> DatasetMeta {
        DatasetMeta {
            id: "vehicle-imports".into(),
            title: "Vehicle imports by maker and month".into(),
            description: "Cleared vehicles, aggregated by maker, model year and month.".into(),
            publisher: Agent {
                name: "Customs".into(),
                url: Some("https://customs.example".into()),
            },
            licence: Licence {
                name: "CC BY 4.0".into(),
                url: "https://creativecommons.org/licenses/by/4.0/".into(),
            },
            keywords: vec!["vehicles".into(), "imports".into()],
            themes: vec![Theme::Tran, Theme::Econ],
            frequency: Frequency::Monthly,
            temporal: Some(Period {
                start: crate::value::parse_date("2020-01-01"),
                end: None,
            }),
            spatial: Some("http://publications.europa.eu/resource/authority/country/MNG".into()),
            contact: Contact {
                name: "Open data desk".into(),
                email: "opendata@customs.example".into(),
            },
            landing_page: Some("https://customs.example/data/vehicle-imports".into()),
        }
    }

    #[test]
    fn metadata_checks_name_the_field() {
        assert_eq!(vehicles_meta().check(), Ok(()));
        let mut m = vehicles_meta();
        m.id = "Vehicle Imports".into();
        assert_eq!(
            m.check(),
            Err(CatalogError::BadId("Vehicle Imports".into()))
        );
        let mut m = vehicles_meta();
        m.licence.url = "creativecommons.org".into();
        assert!(
            m.check()
                .unwrap_err()
                .to_string()
                .contains("licence url must be an http(s) URL")
        );
        let mut m = vehicles_meta();
        m.temporal = Some(Period {
            start: crate::value::parse_date("2024-01-01"),
            end: crate::value::parse_date("2023-01-01"),
        });
        assert!(matches!(m.check(), Err(CatalogError::BadPeriod { .. })));
    }

    #[test]
    fn download_urls_do_not_double_slashes() {
        assert_eq!(
            download_url("https://data.example/", "hs", 3, "hs-v3.csv"),
            "https://data.example/hs/v3/hs-v3.csv"
        );
    }

    #[test]
    fn frequencies_map_to_eu_vocabulary() {
        assert!(Frequency::Monthly.uri().ends_with("/frequency/MONTHLY"));
        assert_eq!(Frequency::Irregular.max_age_days(), None);
        assert_eq!(serde_json::to_string(&Theme::Tran).unwrap(), r#""TRAN""#);
    }
}

//! The catalogue as DCAT-AP JSON-LD, for national and EU portals to harvest.

use serde_json::{Map, Value as Json, json};

use crate::catalog::{Agent, DatasetMeta, Distribution, distributions, trim_base};
use crate::release::Release;
use crate::value::format_date;

/// Catalogue-level facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogInfo {
    pub title: String,
    pub description: String,
    pub publisher: Agent,
    /// BCP 47 tag of titles and descriptions, e.g. `en`.
    pub language: String,
}

/// A dataset with its latest release, if it has been published.
#[derive(Debug, Clone, Copy)]
pub struct CatalogEntry<'a> {
    pub meta: &'a DatasetMeta,
    pub latest: Option<&'a Release>,
}

/// The URL of a dataset's description, also its `@id`: `{base}/{id}`.
pub fn dataset_url(base: &str, id: &str) -> String {
    format!("{}/{id}", trim_base(base))
}

fn id(uri: impl Into<String>) -> Json {
    json!({ "@id": uri.into() })
}

fn typed(value: impl Into<String>, datatype: &str) -> Json {
    json!({ "@value": value.into(), "@type": datatype })
}

fn agent(a: &Agent) -> Json {
    let mut o = json!({ "@type": "foaf:Agent", "foaf:name": a.name });
    if let Some(url) = &a.url {
        o["@id"] = json!(url);
    }
    o
}

/// Renders the catalogue; `base` is the public root URL of the open data service.
pub fn to_dcat_jsonld(base: &str, info: &CatalogInfo, entries: &[CatalogEntry<'_>]) -> Json {
    let lang = |s: &str| json!({ "@value": s, "@language": info.language });
    let datasets: Vec<Json> = entries.iter().map(|e| dataset(base, e, &lang)).collect();
    json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
            "spdx": "http://spdx.org/rdf/terms#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": format!("{}/catalog.jsonld", trim_base(base)),
        "@type": "dcat:Catalog",
        "dct:title": lang(&info.title),
        "dct:description": lang(&info.description),
        "dct:publisher": agent(&info.publisher),
        "dct:language": id(format!(
            "http://publications.europa.eu/resource/authority/language/{}",
            iso639_3(&info.language)
        )),
        "foaf:homepage": id(trim_base(base)),
        "dcat:dataset": datasets,
    })
}

/// EU language authority uses ISO 639-3 codes; map the common ones, upper-case the rest.
fn iso639_3(tag: &str) -> String {
    let primary = tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
    match primary.as_str() {
        "en" => "ENG".into(),
        "fr" => "FRA".into(),
        "de" => "DEU".into(),
        "ru" => "RUS".into(),
        "mn" => "MON".into(),
        "zh" => "ZHO".into(),
        other => other.to_ascii_uppercase(),
    }
}

fn dataset(base: &str, entry: &CatalogEntry<'_>, lang: &dyn Fn(&str) -> Json) -> Json {
    let m = entry.meta;
    let mut d = Map::new();
    d.insert("@id".into(), json!(dataset_url(base, &m.id)));
    d.insert("@type".into(), json!("dcat:Dataset"));
    d.insert("dct:identifier".into(), json!(m.id));
    d.insert("dct:title".into(), lang(&m.title));
    d.insert("dct:description".into(), lang(&m.description));
    d.insert("dct:publisher".into(), agent(&m.publisher));
    d.insert(
        "dcat:keyword".into(),
        json!(m.keywords.iter().map(|k| lang(k)).collect::<Vec<_>>()),
    );
    d.insert(
        "dcat:theme".into(),
        json!(m.themes.iter().map(|t| id(t.uri())).collect::<Vec<_>>()),
    );
    d.insert("dct:accrualPeriodicity".into(), id(m.frequency.uri()));
    d.insert(
        "dcat:contactPoint".into(),
        json!({
            "@type": "vcard:Kind",
            "vcard:fn": m.contact.name,
            "vcard:hasEmail": id(format!("mailto:{}", m.contact.email)),
        }),
    );
    if let Some(p) = &m.temporal {
        let mut t = json!({ "@type": "dct:PeriodOfTime" });
        if let Some(s) = p.start {
            t["dcat:startDate"] = typed(format_date(s), "xsd:date");
        }
        if let Some(e) = p.end {
            t["dcat:endDate"] = typed(format_date(e), "xsd:date");
        }
        d.insert("dct:temporal".into(), t);
    }
    if let Some(s) = &m.spatial {
        d.insert("dct:spatial".into(), id(s.as_str()));
    }
    if let Some(l) = &m.landing_page {
        d.insert("dcat:landingPage".into(), id(l.as_str()));
    }
    if let Some(r) = entry.latest {
        d.insert("dcat:version".into(), json!(r.version.to_string()));
        d.insert(
            "dct:modified".into(),
            typed(format_date(r.published_at), "xsd:date"),
        );
        let dists: Vec<Json> = distributions(base, r)
            .iter()
            .map(|x| distribution(base, m, x, lang))
            .collect();
        d.insert("dcat:distribution".into(), json!(dists));
    }
    Json::Object(d)
}

fn distribution(
    base: &str,
    m: &DatasetMeta,
    x: &Distribution,
    lang: &dyn Fn(&str) -> Json,
) -> Json {
    let mut o = json!({
        "@id": x.download_url,
        "@type": "dcat:Distribution",
        "dct:title": lang(&format!("{} ({})", m.title, x.format.name().to_uppercase())),
        "dcat:accessURL": id(dataset_url(base, &m.id)),
        "dcat:downloadURL": id(x.download_url.as_str()),
        "dct:format": id(x.format.file_type_uri()),
        "dcat:byteSize": typed(x.byte_size.to_string(), "xsd:nonNegativeInteger"),
        "dct:license": id(m.licence.url.as_str()),
        "spdx:checksum": {
            "@type": "spdx:Checksum",
            "spdx:algorithm": id("spdx:checksumAlgorithm_sha256"),
            "spdx:checksumValue": typed(x.sha256.as_str(), "xsd:hexBinary"),
        },
    });
    if let Some(uri) = x.format.iana_media_type_uri() {
        o["dcat:mediaType"] = id(uri);
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::tests::vehicles_meta;
    use crate::release::tests::sample_release;

    fn info() -> CatalogInfo {
        CatalogInfo {
            title: "Customs open data".into(),
            description: "Datasets published by customs.".into(),
            publisher: Agent {
                name: "Customs".into(),
                url: None,
            },
            language: "en".into(),
        }
    }

    #[test]
    fn catalogue_has_dcat_shape_and_links_files() {
        let meta = vehicles_meta();
        let release = sample_release();
        let entries = [CatalogEntry {
            meta: &meta,
            latest: Some(&release),
        }];
        let doc = to_dcat_jsonld("https://data.example/", &info(), &entries);
        assert_eq!(doc["@type"], "dcat:Catalog");
        assert_eq!(doc["@context"]["dcat"], "http://www.w3.org/ns/dcat#");
        assert_eq!(doc["@id"], "https://data.example/catalog.jsonld");
        assert_eq!(
            doc["dct:language"]["@id"],
            "http://publications.europa.eu/resource/authority/language/ENG"
        );
        let ds = &doc["dcat:dataset"][0];
        assert_eq!(ds["@id"], "https://data.example/vehicle-imports");
        assert_eq!(
            ds["dct:title"]["@value"],
            "Vehicle imports by maker and month"
        );
        assert_eq!(
            ds["dct:accrualPeriodicity"]["@id"],
            Frequency::Monthly.uri()
        );
        assert_eq!(ds["dct:temporal"]["dcat:startDate"]["@value"], "2020-01-01");
        assert!(ds["dct:temporal"].get("dcat:endDate").is_none());
        assert_eq!(
            ds["dcat:contactPoint"]["vcard:hasEmail"]["@id"],
            "mailto:opendata@customs.example"
        );
        assert_eq!(ds["dcat:version"], "2");
        let dists = ds["dcat:distribution"].as_array().unwrap();
        assert_eq!(dists.len(), release.files.len());
        let csv = &dists[0];
        assert_eq!(
            csv["dcat:downloadURL"]["@id"],
            "https://data.example/vehicle-imports/v2/vehicle-imports-v2.csv"
        );
        assert_eq!(
            csv["spdx:checksum"]["spdx:checksumValue"]["@value"],
            release.files[0].sha256
        );
        assert_eq!(
            csv["dcat:mediaType"]["@id"],
            "https://www.iana.org/assignments/media-types/text/csv"
        );
        assert_eq!(
            csv["dct:license"]["@id"],
            "https://creativecommons.org/licenses/by/4.0/"
        );
    }

    #[test]
    fn unpublished_dataset_has_no_distributions() {
        let meta = vehicles_meta();
        let doc = to_dcat_jsonld(
            "https://data.example",
            &info(),
            &[CatalogEntry {
                meta: &meta,
                latest: None,
            }],
        );
        let ds = &doc["dcat:dataset"][0];
        assert!(ds.get("dcat:distribution").is_none());
        assert!(ds.get("dct:modified").is_none());
    }

    use crate::catalog::Frequency;
}

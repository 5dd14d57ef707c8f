//! The server's flow end to end: publish two versions, sign, verify offline, diff the
//! stored files, list them in the catalogue.

use std::collections::HashMap;

use opendata::{
    Agent, CatalogEntry, CatalogInfo, Column, ColumnType, Contact, DatasetMeta, Frequency, Licence,
    Manifest, Period, Schema, Table, Theme, Value, diff, from_parquet, publish, to_dcat_jsonld,
    value::parse_date, verify_manifest,
};

const KEY: &[u8] = b"test signing key";

fn schema() -> Schema {
    Schema::new(
        vec![
            Column::new("certificate", ColumnType::Text, "AEO certificate number"),
            Column::new("holder", ColumnType::Text, "Operator name"),
            Column::new("valid_from", ColumnType::Date, "Start of validity"),
            Column::new("suspended", ColumnType::Boolean, "Suspended now"),
        ],
        &["certificate"],
    )
    .unwrap()
}

fn row(cert: &str, holder: &str, from: &str, suspended: bool) -> Vec<Value> {
    vec![
        Value::text(cert),
        Value::text(holder),
        Value::date(from).unwrap(),
        Value::Boolean(suspended),
    ]
}

fn meta() -> DatasetMeta {
    DatasetMeta {
        id: "aeo-register".into(),
        title: "AEO certificate register".into(),
        description: "Public register of Authorised Economic Operators.".into(),
        publisher: Agent {
            name: "Customs".into(),
            url: None,
        },
        licence: Licence {
            name: "CC BY 4.0".into(),
            url: "https://creativecommons.org/licenses/by/4.0/".into(),
        },
        keywords: vec!["AEO".into()],
        themes: vec![Theme::Econ],
        frequency: Frequency::Weekly,
        temporal: Some(Period {
            start: parse_date("2019-01-01"),
            end: None,
        }),
        spatial: None,
        contact: Contact {
            name: "AEO desk".into(),
            email: "aeo@customs.example".into(),
        },
        landing_page: None,
    }
}

#[test]
fn publish_sign_verify_diff_and_catalogue() {
    let v1 = Table::new(
        schema(),
        vec![
            row("MN-AEO-001", "Alpha LLC", "2020-05-01", false),
            row("MN-AEO-002", "Beta LLC", "2021-01-10", false),
        ],
    )
    .unwrap();
    let v2 = Table::new(
        schema(),
        vec![
            row("MN-AEO-002", "Beta LLC", "2021-01-10", true),
            row("MN-AEO-003", "Gamma & Sons", "2024-02-01", false),
        ],
    )
    .unwrap();
    let p1 = publish("aeo-register", 1, parse_date("2024-02-01").unwrap(), &v1).unwrap();
    let p2 = publish("aeo-register", 2, parse_date("2024-02-08").unwrap(), &v2).unwrap();

    // Offline verification from nothing but the stored manifest text and files.
    let stored = Manifest::sign(p2.release.clone(), KEY).to_json();
    let files: HashMap<String, Vec<u8>> = p2.files.iter().cloned().collect();
    let check = verify_manifest(&Manifest::from_json(&stored).unwrap(), &files, KEY);
    assert!(check.is_ok(), "{:?}", check.problems());
    // v1's files do not pass as v2's.
    let wrong: HashMap<String, Vec<u8>> = p1
        .files
        .iter()
        .map(|(n, b)| (n.replace("-v1.", "-v2."), b.clone()))
        .collect();
    assert!(!verify_manifest(&Manifest::from_json(&stored).unwrap(), &wrong, KEY).is_ok());

    // Diff the stored Parquet files, as the change feed would.
    let parquet = |p: &opendata::Published| {
        from_parquet(
            &p.files
                .iter()
                .find(|(n, _)| n.ends_with(".parquet"))
                .unwrap()
                .1,
        )
        .unwrap()
    };
    let d = diff(&parquet(&p1), &parquet(&p2)).unwrap();
    assert_eq!(
        d.added,
        vec![row("MN-AEO-003", "Gamma & Sons", "2024-02-01", false)]
    );
    assert_eq!(
        d.removed,
        vec![row("MN-AEO-001", "Alpha LLC", "2020-05-01", false)]
    );
    assert_eq!(d.changed.len(), 1);
    assert_eq!(
        (d.changed[0].column.as_str(), &d.changed[0].new),
        ("suspended", &Value::Boolean(true))
    );

    let m = meta();
    m.check().unwrap();
    let info = CatalogInfo {
        title: "Customs open data".into(),
        description: "All datasets.".into(),
        publisher: Agent {
            name: "Customs".into(),
            url: None,
        },
        language: "en".into(),
    };
    let doc = to_dcat_jsonld(
        "https://data.customs.example",
        &info,
        &[CatalogEntry {
            meta: &m,
            latest: Some(&p2.release),
        }],
    );
    let dists = doc["dcat:dataset"][0]["dcat:distribution"]
        .as_array()
        .unwrap();
    let parquet_dist = dists
        .iter()
        .find(|d| {
            d["dct:format"]["@id"]
                .as_str()
                .unwrap()
                .ends_with("PARQUET")
        })
        .unwrap();
    assert_eq!(
        parquet_dist["dcat:downloadURL"]["@id"],
        "https://data.customs.example/aeo-register/v2/aeo-register-v2.parquet"
    );
    let listed = &p2
        .release
        .files
        .iter()
        .find(|f| f.name.ends_with(".parquet"))
        .unwrap()
        .sha256;
    assert_eq!(
        parquet_dist["spdx:checksum"]["spdx:checksumValue"]["@value"],
        listed.as_str()
    );
}

//! The open datasets: what each says about itself (DCAT metadata), how its table is built
//! from the platform's own data, and which charts its page draws.
//!
//! What leaves the platform here is public by construction: the nomenclature; AEO
//! certificates whose holders consented; approved advance rulings with their confidential
//! fields removed and no company; vehicle clearances only as counts; classification usage
//! only as monthly counts of vocabulary words and codes of at least k (see opendata_usage).

use std::collections::BTreeMap;

use eapp::{ApplicationKind, Status};
use opendata::{
    Agent, Column, ColumnType, Contact, DatasetMeta, Frequency, Licence, Period, Schema, Table,
    Theme, Value,
};
use store::applications::{ApplicationFilter, QueueOrder};

use super::aeo_public::public_status_of;
use super::opendata_usage::MIN_COUNT;
use super::platform;
use crate::{AppState, Problem};

pub struct DatasetDef {
    pub id: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub keywords: &'static [&'static str],
    pub themes: &'static [Theme],
    pub frequency: Frequency,
    /// The date column whose range is the temporal coverage.
    pub time_column: Option<&'static str>,
}

pub const DATASETS: &[DatasetDef] = &[
    DatasetDef {
        id: "hs-nomenclature",
        title: "Harmonized System nomenclature (HS 2022)",
        description: "Every chapter, heading and subheading of the HS 2022 nomenclature with its parent, section and official description: the codes the classification service answers with.",
        keywords: &["HS", "tariff", "nomenclature", "classification"],
        themes: &[Theme::Econ, Theme::Gove],
        frequency: Frequency::Irregular,
        time_column: None,
    },
    DatasetDef {
        id: "aeo-register",
        title: "Register of Authorised Economic Operators",
        description: "AEO certificates of holders who consented to publication: number, holder, type of authorisation, validity and current status.",
        keywords: &[
            "AEO",
            "authorised economic operator",
            "certificates",
            "SAFE",
        ],
        themes: &[Theme::Econ, Theme::Gove],
        frequency: Frequency::Weekly,
        time_column: None,
    },
    DatasetDef {
        id: "advance-rulings",
        title: "Advance tariff classification rulings",
        description: "Approved advance rulings as precedents: the goods as described, the code customs decided and the decision date. Confidential details and the applicants are never published.",
        keywords: &["advance ruling", "classification", "precedents", "HS"],
        themes: &[Theme::Econ, Theme::Just],
        frequency: Frequency::Monthly,
        time_column: Some("decided_on"),
    },
    DatasetDef {
        id: "vehicle-imports",
        title: "Vehicle imports by maker, model year and month",
        description: "Vehicles cleared by customs, counted by maker (decoded from the VIN's manufacturer code, else as declared), model year and month of clearance. No VINs or other per-vehicle facts.",
        keywords: &["vehicles", "imports", "cars", "statistics"],
        themes: &[Theme::Tran, Theme::Econ],
        frequency: Frequency::Monthly,
        time_column: Some("month"),
    },
    DatasetDef {
        id: "classification-usage",
        title: "Use of the classification service",
        description: "What people classify, by month: requests, the most frequent top HS codes and the most frequent goods words (from the tariff's own vocabulary). Only items counted at least 5 times in a month are published, so rare queries never are.",
        keywords: &["classification", "usage", "HS", "statistics"],
        themes: &[Theme::Econ, Theme::Gove],
        frequency: Frequency::Monthly,
        time_column: Some("month"),
    },
];

/// The dataset with this id, or a 404 naming the ones there are.
pub fn find(id: &str) -> Result<&'static DatasetDef, Problem> {
    DATASETS.iter().find(|d| d.id == id).ok_or_else(|| {
        let ids: Vec<&str> = DATASETS.iter().map(|d| d.id).collect();
        Problem::not_found(format!(
            "No dataset {id:?}; the datasets are: {}.",
            ids.join(", ")
        ))
    })
}

pub fn publisher() -> Agent {
    Agent {
        name: "Smart Customs".into(),
        url: None,
    }
}

/// The catalogue entry; `origin` is `scheme://host` of the request, `table` the latest
/// release (for the temporal coverage).
pub fn meta(def: &DatasetDef, origin: &str, table: Option<&Table>) -> DatasetMeta {
    let temporal = def
        .time_column
        .zip(table)
        .and_then(|(col, t)| date_range(t, col));
    DatasetMeta {
        id: def.id.into(),
        title: def.title.into(),
        description: def.description.into(),
        publisher: publisher(),
        licence: Licence {
            name: "Open Government Data License, version 1.0".into(),
            url: "https://data.gov.tw/license".into(),
        },
        keywords: def.keywords.iter().map(|k| k.to_string()).collect(),
        themes: def.themes.to_vec(),
        frequency: def.frequency,
        temporal,
        spatial: Some("http://publications.europa.eu/resource/authority/country/TWN".into()),
        contact: Contact {
            name: "Open data desk".into(),
            email: "opendata@smart-customs.example".into(),
        },
        landing_page: Some(format!("{origin}/open-data/{}", def.id)),
    }
}

fn date_range(t: &Table, column: &str) -> Option<Period> {
    let i = t.schema.index_of(column)?;
    let mut dates = t.rows.iter().filter_map(|r| match r.get(i) {
        Some(Value::Date(d)) => Some(*d),
        _ => None,
    });
    let first = dates.next()?;
    let (lo, hi) = dates.fold((first, first), |(lo, hi), d| (lo.min(d), hi.max(d)));
    Some(Period {
        start: Some(lo),
        end: Some(hi),
    })
}

fn schema(columns: Vec<Column>, key: &[&str]) -> Schema {
    Schema::new(columns, key).expect("the datasets' schemas are valid")
}

fn text_or_null(s: Option<&str>) -> Value {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Value::text(s),
        None => Value::Null,
    }
}

fn date_or_null(s: Option<&str>) -> Value {
    s.and_then(|s| Value::date(s.get(..10)?))
        .unwrap_or(Value::Null)
}

fn table(schema: Schema, rows: Vec<Vec<Value>>) -> Result<Table, Problem> {
    Table::new(schema, rows).map_err(|e| {
        tracing::error!(error = %e, "an open dataset does not fit its schema");
        Problem::new(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            "The dataset could not be built from the platform's data; nothing was published.",
        )
    })
}

/// Builds the dataset's table from the platform's data as it is now.
pub async fn build(state: &AppState, def: &DatasetDef) -> Result<Table, Problem> {
    match def.id {
        "hs-nomenclature" => hs_nomenclature(state.index.nomenclature()),
        "aeo-register" => aeo_register(state).await,
        "advance-rulings" => advance_rulings(state).await,
        "vehicle-imports" => vehicle_imports(state).await,
        "classification-usage" => classification_usage(state).await,
        other => Err(find(other).err().unwrap_or_else(|| {
            Problem::not_found(format!("No builder for the dataset {other:?}."))
        })),
    }
}

fn hs_nomenclature(hs: &nomenclature::Nomenclature) -> Result<Table, Problem> {
    use ColumnType::Text;
    let s = schema(
        vec![
            Column::new(
                "code",
                Text,
                "HS code: 2 digits (chapter), 4 (heading) or 6 (subheading)",
            ),
            Column::new("dotted", Text, "The code as usually written, e.g. 0813.40"),
            Column::new("level", Text, "chapter, heading or subheading"),
            Column::new("parent", Text, "The code one level up; empty for chapters").nullable(),
            Column::new(
                "section",
                Text,
                "Section in Roman numerals (I to XXI); empty for chapter 99",
            )
            .nullable(),
            Column::new("description", Text, "The official description"),
        ],
        &["code"],
    );
    let rows = hs
        .nodes()
        .iter()
        .map(|n| {
            vec![
                Value::text(n.code.as_str()),
                Value::text(n.code.dotted()),
                Value::text(n.level().as_str()),
                n.parent
                    .as_ref()
                    .map_or(Value::Null, |p| Value::text(p.as_str())),
                n.section.map_or(Value::Null, |s| Value::text(s.roman())),
                Value::text(n.description.as_str()),
            ]
        })
        .collect();
    table(s, rows)
}

async fn aeo_register(state: &AppState) -> Result<Table, Problem> {
    use ColumnType::{Date, Text};
    let s = schema(
        vec![
            Column::new(
                "certificate_number",
                Text,
                "AEO certificate number, e.g. TWAEOC0000017",
            ),
            Column::new("holder", Text, "Registered name of the holder"),
            Column::new(
                "authorisation",
                Text,
                "Type of authorisation granted (AEO-C, AEO-S or both)",
            )
            .nullable(),
            Column::new("valid_from", Date, "Date of issue").nullable(),
            Column::new("valid_to", Date, "Date of expiry").nullable(),
            Column::new(
                "status",
                Text,
                "valid, expired, suspended or revoked, as of the release date",
            ),
        ],
        &["certificate_number"],
    );
    let store = &platform(state).store;
    let mut rows = Vec::new();
    // The store lists only holders who consented to publication.
    for record in store.public_aeo_register().await? {
        let Some(number) = record.certificate_number.clone() else {
            continue;
        };
        let holder = store
            .company(&record.company_id)
            .await?
            .map(|c| c.name)
            .unwrap_or_default();
        let status = serde_json::to_value(public_status_of(&record))
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        rows.push(vec![
            Value::text(number),
            Value::text(holder),
            text_or_null(record.grant_kind.as_deref()),
            date_or_null(record.issued_on.as_deref()),
            date_or_null(record.expires_on.as_deref()),
            Value::text(status),
        ]);
    }
    table(s, rows)
}

async fn advance_rulings(state: &AppState) -> Result<Table, Problem> {
    use ColumnType::{Date, Text};
    let kind = ApplicationKind::AdvanceRuling;
    // The form's public fields, described by their labels; confidential ones never appear.
    let public: Vec<&eapp::Field> = kind.schema().iter().filter(|f| !f.confidential).collect();
    let mut columns = vec![
        Column::new("reference", Text, "Reference of the ruling"),
        Column::new("decided_on", Date, "Date of the decision"),
        Column::new(
            "hs_code",
            Text,
            "The subheading customs decided, e.g. 0813.40",
        )
        .nullable(),
        Column::new("chapter", Text, "HS chapter of the decided code").nullable(),
    ];
    columns.extend(
        public
            .iter()
            .map(|f| Column::new(f.name, Text, f.label).nullable()),
    );
    let s = schema(columns, &["reference"]);
    let store = &platform(state).store;
    let mut rows = Vec::new();
    let mut offset = 0;
    loop {
        let (cases, _) = store
            .list_applications(&ApplicationFilter {
                status: Some(Status::Approved.as_str().into()),
                kind: Some(kind.as_str().into()),
                order: QueueOrder::OldestFirst,
                limit: 500,
                offset,
                ..Default::default()
            })
            .await?;
        if cases.is_empty() {
            break;
        }
        offset += cases.len() as i64;
        for case in cases {
            let fields = eapp::redact(kind, &case.fields);
            let code = case
                .decision_code
                .as_deref()
                .and_then(|c| nomenclature::HsCode::parse(c).ok());
            let mut row = vec![
                Value::text(case.reference),
                date_or_null(Some(case.updated_at.as_str())),
                code.as_ref()
                    .map_or(Value::Null, |c| Value::text(c.dotted())),
                code.as_ref()
                    .map_or(Value::Null, |c| Value::text(c.chapter().as_str())),
            ];
            row.extend(
                public
                    .iter()
                    .map(|f| text_or_null(fields.get(f.name).map(String::as_str))),
            );
            rows.push(row);
        }
    }
    table(s, rows)
}

/// The maker of a clearance: from the VIN's manufacturer code when known, else as declared.
fn maker(vin: &str, facts: &BTreeMap<String, String>) -> Option<String> {
    if let Some(m) = vin.get(..3).and_then(vehicles::decode_wmi) {
        return Some(m.name.to_string());
    }
    facts
        .get("make")
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty())
}

async fn vehicle_imports(state: &AppState) -> Result<Table, Problem> {
    use ColumnType::{Date, Integer, Text};
    let s = schema(
        vec![
            Column::new(
                "maker",
                Text,
                "Maker, from the VIN's manufacturer code (WMI) or as declared",
            ),
            Column::new("model_year", Integer, "Model year"),
            Column::new("month", Date, "Month of clearance (its first day)"),
            Column::new("count", Integer, "Vehicles cleared"),
        ],
        &["maker", "model_year", "month"],
    );
    let mut counts: BTreeMap<(String, i64, String), i64> = BTreeMap::new();
    for v in platform(state).store.all_vehicles().await? {
        // Held vehicles are not released yet; revoked clearances no longer count.
        if v.status != vehicles::Status::Cleared.as_str() {
            continue;
        }
        let year = v
            .facts
            .get("model_year")
            .and_then(|y| y.parse::<i64>().ok());
        let month = v
            .facts
            .get("clearance_date")
            .and_then(|d| d.get(..7))
            .map(|m| format!("{m}-01"));
        if let (Some(maker), Some(year), Some(month)) = (maker(&v.vin, &v.facts), year, month) {
            *counts.entry((maker, year, month)).or_insert(0) += 1;
        }
    }
    let rows = counts
        .into_iter()
        .filter_map(|((maker, year, month), n)| {
            Some(vec![
                Value::text(maker),
                Value::Integer(year),
                Value::date(&month)?,
                Value::Integer(n),
            ])
        })
        .collect();
    table(s, rows)
}

async fn classification_usage(state: &AppState) -> Result<Table, Problem> {
    use ColumnType::{Date, Integer, Text};
    let s = schema(
        vec![
            Column::new("month", Date, "Month (its first day)"),
            Column::new(
                "kind",
                Text,
                "requests (all classifications), code (the top HS code answered) or term (a goods word of the tariff vocabulary in the description)",
            ),
            Column::new("item", Text, "The code or word; \"all\" for requests"),
            Column::new("description", Text, "Official description of the code").nullable(),
            Column::new(
                "count",
                Integer,
                "Times counted in the month; at least 5, rarer items are not published",
            ),
        ],
        &["month", "kind", "item"],
    );
    // Monthly sums of at least k, computed by the store: rarer items are never read.
    let sums = platform(state).store.usage_by_month(MIN_COUNT).await?;
    let hs = state.index.nomenclature();
    let rows = sums
        .into_iter()
        .filter(|c| c.hits >= MIN_COUNT)
        .filter_map(|c| {
            let (month, kind, item, n) = (format!("{}-01", c.day), c.kind, c.item, c.hits);
            let description = nomenclature::HsCode::parse(&item)
                .ok()
                .filter(|_| kind == super::opendata_usage::KIND_CODE)
                .and_then(|c| hs.get(&c))
                .map_or(Value::Null, |n| Value::text(n.description.as_str()));
            Some(vec![
                Value::date(&month)?,
                Value::text(kind),
                Value::text(item),
                description,
                Value::Integer(n),
            ])
        })
        .collect();
    table(s, rows)
}

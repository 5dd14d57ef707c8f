//! Open data over HTTP on SQLite and PostgreSQL: staff publish each dataset from the
//! platform's data; anyone reads the catalogue (JSON and DCAT), downloads files that match
//! their signed manifest, pages through rows with a cursor and is told which parameter is
//! wrong; a publication without changes makes no version and a change makes the next one,
//! with its diff. Usage statistics never show an item counted fewer than k times.

use std::collections::{BTreeMap, HashMap, HashSet};

use reqwest::Method;
use serde_json::{Value, json};
use store::Backend;
use store::aeo::{AeoChange, CertificateGrant, NewAeoApplication};
use store::opendata::UsageCount;

use crate::date_in_days;
use crate::harness::{As, OPENDATA_KEY, OTHER_TRADER_CO, Options, Platform, TRADER_CO, start};

const DATASETS: [&str; 5] = [
    "hs-nomenclature",
    "aeo-register",
    "advance-rulings",
    "vehicle-imports",
    "classification-usage",
];

fn clearance(vin: &str, make: &str, year: &str, date: &str, n: u32) -> Value {
    json!({
        "vin": vin, "make": make, "model": "Model", "model_year": year, "body_type": "sedan",
        "engine_number": format!("EN-{n:06}"), "engine_cc": "1998", "fuel": "petrol",
        "colour": "white", "declaration_number": format!("AA{n:012}"), "clearance_date": date,
        "duties_twd": "100000", "certificate_number": format!("CC-2026-{n:04}")
    })
}

async fn publish(p: &Platform, who: As, dataset: &str) -> (u16, Value) {
    p.post(
        who,
        &format!("/api/v1/opendata/{dataset}/releases"),
        json!({}),
    )
    .await
}

/// A certificate straight in the store (the AEO journey has its own test).
async fn certify(p: &Platform, company: &str, number: &str, consent: bool) {
    let mut tx = p.store.write().await.unwrap();
    let profile = BTreeMap::new();
    let case = tx
        .create_aeo_application(
            "seed",
            NewAeoApplication {
                company_id: company,
                created_by: "seed",
                operator_roles: &["importer".to_string()],
                profile: &profile,
                responses_json: "{}",
                publish_consent: consent,
                status: "submitted",
                on_date: "2026-01-05",
            },
        )
        .await
        .unwrap();
    let (issued, expires) = (date_in_days(-10), date_in_days(1000));
    tx.change_aeo(
        "seed",
        AeoChange {
            id: &case.id,
            expected_version: 1,
            action: "certify",
            to_status: "certified",
            message: None,
            on_date: "2026-01-05",
            grant_kind: Some(Some("aeo_c")),
            reasons: None,
            visit_date: None,
            findings: None,
            certificate: Some(CertificateGrant {
                number,
                issued_on: &issued,
                expires_on: &expires,
            }),
            responses_json: None,
            assigned_to: None,
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// An advance ruling from draft to approval, with a confidential field.
async fn approved_ruling(p: &Platform) {
    let fields = json!({"goods_description": "Freeze-dried strawberry slices in 30 g pouches",
        "intended_code": "0813.40", "country_of_origin": "TW",
        "confidential_details": "supplier: Lishan Farm"});
    let (status, case) = p
        .post(
            As::Trader,
            "/api/v1/applications",
            json!({"kind": "advance_ruling", "fields": fields}),
        )
        .await;
    assert_eq!(status, 201, "{case}");
    let id = case["id"].as_str().unwrap().to_string();
    let mut version = case["version"].as_i64().unwrap();
    for (who, body) in [
        (As::Trader, json!({"action": "submit"})),
        (As::Officer, json!({"action": "start_review"})),
        (
            As::Officer,
            json!({"action": "approve", "decision_code": "0813.40", "message": "GIR 1 and 6: dried fruit, other."}),
        ),
    ] {
        let mut body = body;
        body["version"] = json!(version);
        let (status, after) = p
            .post(who, &format!("/api/v1/applications/{id}/actions"), body)
            .await;
        assert_eq!(status, 200, "{after}");
        version = after["version"].as_i64().unwrap();
    }
}

async fn classify(p: &Platform, description: &str, times: usize) {
    for _ in 0..times {
        let (status, body) = p
            .post(
                As::Anonymous,
                "/api/v1/classify",
                json!({ "description": description }),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
}

async fn bytes(p: &Platform, path: &str) -> (reqwest::header::HeaderMap, Vec<u8>) {
    let res = p.call(As::Anonymous, Method::GET, path, None).await;
    assert_eq!(res.status(), 200, "{path}");
    let headers = res.headers().clone();
    (headers, res.bytes().await.unwrap().to_vec())
}

async fn text(p: &Platform, path: &str) -> (u16, String) {
    let res = p.call(As::Anonymous, Method::GET, path, None).await;
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn datasets_are_published_downloaded_queried_and_versioned() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        journey(
            start(Options {
                backend,
                ..Options::default()
            })
            .await,
        )
        .await;
    }
}

async fn journey(p: Platform) {
    for (n, (vin, make, date)) in [
        ("JTDKB20U093123456", "Toyota", "2026-01-15"),
        ("JTDKB20U093123457", "Toyota", "2026-01-20"),
        ("KMHCT41D09U123456", "Hyundai", "2026-02-03"),
    ]
    .into_iter()
    .enumerate()
    {
        let (status, body) = p
            .post(
                As::Officer,
                "/api/v1/vehicles",
                clearance(vin, make, "2009", date, n as u32 + 1),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    approved_ruling(&p).await;
    certify(&p, TRADER_CO, "TWAEOC0000017", true).await;
    certify(&p, OTHER_TRADER_CO, "TWAEOC0000025", false).await;
    classify(&p, "dried strawberries for Mr Wangbo", 5).await;
    classify(&p, "bicycles", 2).await;

    // Staff publish; others may not.
    assert_eq!(publish(&p, As::Trader, "vehicle-imports").await.0, 403);
    assert_eq!(publish(&p, As::Anonymous, "vehicle-imports").await.0, 401);
    let (status, body) = publish(&p, As::Admin, "no-such-data").await;
    assert_eq!(status, 404);
    assert!(body["detail"].as_str().unwrap().contains("vehicle-imports"));
    for dataset in DATASETS {
        let (status, body) = publish(&p, As::Admin, dataset).await;
        assert_eq!(status, 201, "{dataset}: {body}");
        assert_eq!(body["version"], 1, "{body}");
    }

    // The catalogue, as JSON and as DCAT-AP.
    let (status, catalog) = p.get(As::Anonymous, "/api/v1/opendata").await;
    assert_eq!(status, 200);
    let datasets = catalog["datasets"].as_array().unwrap();
    assert_eq!(datasets.len(), DATASETS.len());
    for d in datasets {
        assert_eq!(d["latest"]["version"], 1, "{d}");
        assert_eq!(d["latest"]["distributions"].as_array().unwrap().len(), 4);
        assert!(
            d["licence"]["url"]
                .as_str()
                .unwrap()
                .starts_with("https://")
        );
        assert!(d["title"].is_string() && d["frequency"].is_string());
    }
    let vehicles = datasets
        .iter()
        .find(|d| d["id"] == "vehicle-imports")
        .unwrap();
    assert_eq!(vehicles["temporal"]["start"], "2026-01-01");
    for path in [
        "/api/v1/opendata?format=dcat",
        "/api/v1/opendata/catalog.jsonld",
    ] {
        let res = p.call(As::Anonymous, Method::GET, path, None).await;
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.headers()["content-type"].to_str().unwrap(),
            "application/ld+json"
        );
        let doc: Value = res.json().await.unwrap();
        assert_eq!(doc["@type"], "dcat:Catalog");
        let ds = doc["dcat:dataset"].as_array().unwrap();
        assert_eq!(ds.len(), DATASETS.len());
        // Every download URL in the catalogue answers.
        let url = ds[0]["dcat:distribution"][0]["dcat:downloadURL"]["@id"]
            .as_str()
            .unwrap();
        let path = &url[url.find("/api/").unwrap()..];
        bytes(&p, path).await;
    }
    let (status, body) = p.get(As::Anonymous, "/api/v1/opendata?format=xml").await;
    assert_eq!(status, 400);
    assert_eq!(body["errors"][0]["field"], "format");

    // Downloads match the signed manifest, and the Parquet file reads back.
    let (_, manifest) = bytes(&p, "/api/v1/opendata/vehicle-imports/v1/manifest.json").await;
    let manifest =
        ::opendata::Manifest::from_json(std::str::from_utf8(&manifest).unwrap()).unwrap();
    assert_eq!(manifest.release.rows, 2);
    let mut files = HashMap::new();
    for f in &manifest.release.files {
        let path = format!("/api/v1/opendata/vehicle-imports/v1/{}", f.name);
        let (headers, body) = bytes(&p, &path).await;
        assert!(
            headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with(f.format.media_type()),
            "{headers:?}"
        );
        assert_eq!(
            headers["etag"].to_str().unwrap(),
            format!("\"{}\"", f.sha256)
        );
        assert!(
            headers["cache-control"]
                .to_str()
                .unwrap()
                .contains("immutable")
        );
        assert!(
            headers["content-disposition"]
                .to_str()
                .unwrap()
                .contains(&f.name)
        );
        let again = p
            .server
            .client
            .get(p.server.url(&path))
            .header("If-None-Match", format!("\"{}\"", f.sha256))
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304);
        files.insert(f.name.clone(), body);
    }
    let check = ::opendata::verify_manifest(&manifest, &files, OPENDATA_KEY);
    assert!(check.is_ok(), "{:?}", check.problems());
    let table = ::opendata::from_parquet(&files["vehicle-imports-v1.parquet"]).unwrap();
    let rows: Vec<String> = table
        .rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    assert_eq!(
        rows,
        ["Hyundai,2009,2026-02-01,1", "Toyota,2009,2026-01-01,2"]
    );
    let csv = String::from_utf8(files["vehicle-imports-v1.csv"].clone()).unwrap();
    assert!(csv.starts_with("maker,model_year,month,count\r\n"), "{csv}");
    assert!(!csv.contains("JTDKB20U"), "no VINs are published");
    let json: Value = serde_json::from_slice(&files["vehicle-imports-v1.json"]).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 2);
    let (_, csv_again) = bytes(&p, "/api/v1/opendata/vehicle-imports/v1/csv").await;
    assert_eq!(csv_again, files["vehicle-imports-v1.csv"]);
    assert_eq!(
        p.get(
            As::Anonymous,
            "/api/v1/opendata/vehicle-imports/v1/data.xml"
        )
        .await
        .0,
        404
    );

    // Paging through a whole dataset: every row exactly once.
    let (_, hs) = p
        .get(As::Anonymous, "/api/v1/opendata/hs-nomenclature")
        .await;
    let total = hs["latest"]["rows"].as_u64().unwrap() as usize;
    assert!(total > 5000, "{total}");
    let mut seen = HashSet::new();
    let mut next = Some("/api/v1/opendata/hs-nomenclature/rows?_size=1000".to_string());
    while let Some(path) = next {
        let (status, page) = p.get(As::Anonymous, &path).await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(page["matched"].as_u64().unwrap() as usize, total);
        for row in page["rows"].as_array().unwrap() {
            assert!(
                seen.insert(row["code"].as_str().unwrap().to_string()),
                "{row}"
            );
        }
        next = page["next_url"].as_str().map(str::to_string);
    }
    assert_eq!(seen.len(), total);
    // With a filter and a descending sort.
    let mut codes = Vec::new();
    let mut next = Some(
        "/api/v1/opendata/hs-nomenclature/rows?level=chapter&_sort_desc=code&_size=10".to_string(),
    );
    while let Some(path) = next {
        let (_, page) = p.get(As::Anonymous, &path).await;
        codes.extend(
            page["rows"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["code"].as_str().unwrap().to_string()),
        );
        next = page["next_url"].as_str().map(str::to_string);
    }
    assert!(
        codes.len() >= 96 && codes.windows(2).all(|w| w[0] > w[1]),
        "{codes:?}"
    );
    let (status, csv) = text(
        &p,
        "/api/v1/opendata/vehicle-imports/rows?maker=Toyota&_format=csv",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        csv,
        "maker,model_year,month,count\r\nToyota,2009,2026-01-01,2\r\n"
    );

    // Errors name the parameter and what it allows.
    let (status, body) = p
        .get(
            As::Anonymous,
            "/api/v1/opendata/vehicle-imports/rows?makr=x",
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(body["errors"][0]["field"], "makr");
    let detail = body["detail"].as_str().unwrap();
    assert!(
        detail.contains("\"makr\"")
            && detail.contains("columns are: maker, model_year, month, count"),
        "{detail}"
    );
    let (status, body) = p
        .get(
            As::Anonymous,
            "/api/v1/opendata/vehicle-imports/rows?_version=x",
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(body["errors"][0]["field"], "_version");
    assert_eq!(
        p.get(
            As::Anonymous,
            "/api/v1/opendata/vehicle-imports/rows?_version=9"
        )
        .await
        .0,
        404
    );

    // No change, no version; a new clearance makes version 2 with its diff.
    let (status, body) = publish(&p, As::Officer, "vehicle-imports").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["published"].as_bool(), body["version"].as_i64()),
        (Some(false), Some(1))
    );
    let (status, body) = p
        .post(
            As::Officer,
            "/api/v1/vehicles",
            clearance("JHMCM56557C404453", "Honda", "2007", "2026-03-01", 9),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = publish(&p, As::Officer, "vehicle-imports").await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["version"], 2);
    let (_, changes) = p
        .get(As::Anonymous, "/api/v1/opendata/vehicle-imports/changes")
        .await;
    let latest = &changes[0];
    assert_eq!(latest["version"], 2);
    assert_eq!(latest["changes"]["from_version"], 1);
    assert_eq!(
        (
            latest["changes"]["added"].as_u64(),
            latest["changes"]["removed"].as_u64()
        ),
        (Some(1), Some(0))
    );
    assert_eq!(
        latest["changes"]["added_rows"][0],
        json!({"maker": "Honda", "model_year": 2007, "month": "2026-03-01", "count": 1})
    );
    assert_eq!(changes[1]["version"], 1);
    let (_, old) = p
        .get(
            As::Anonymous,
            "/api/v1/opendata/vehicle-imports/rows?_version=1",
        )
        .await;
    assert_eq!(
        (
            old["version"].as_i64(),
            old["rows"].as_array().unwrap().len()
        ),
        (Some(1), 2)
    );
    let (_, new) = p
        .get(As::Anonymous, "/api/v1/opendata/vehicle-imports/rows")
        .await;
    assert_eq!(
        (
            new["version"].as_i64(),
            new["rows"].as_array().unwrap().len()
        ),
        (Some(2), 3)
    );
    // Version 1 is still there, unchanged.
    let (_, csv_v1) = bytes(
        &p,
        "/api/v1/opendata/vehicle-imports/v1/vehicle-imports-v1.csv",
    )
    .await;
    assert_eq!(csv_v1, files["vehicle-imports-v1.csv"]);
    let (_, meta) = p
        .get(As::Anonymous, "/api/v1/opendata/vehicle-imports")
        .await;
    assert_eq!(meta["versions"].as_array().unwrap().len(), 2);
    assert_eq!(meta["quality"]["valid"]["status"], "pass");
    assert_eq!(meta["quality"]["fresh"]["status"], "pass");

    // Published rulings: no confidential field, no company.
    let (_, rulings) = text(&p, "/api/v1/opendata/advance-rulings/rows?_format=csv").await;
    assert!(
        rulings.contains("0813.40") && rulings.contains("Freeze-dried strawberry"),
        "{rulings}"
    );
    for secret in ["Lishan", "confidential", TRADER_CO] {
        assert!(!rulings.contains(secret), "{secret} in {rulings}");
    }
    // The register: only the holder who consented.
    let (_, register) = p
        .get(As::Anonymous, "/api/v1/opendata/aeo-register/rows")
        .await;
    let register = register["rows"].as_array().unwrap();
    assert_eq!(register.len(), 1, "{register:?}");
    assert_eq!(register[0]["holder"], "Formosa Fruit Co.");
    assert_eq!(register[0]["status"], "valid");

    // Usage: items seen at least k times, never a rarer one, never a word outside the vocabulary.
    let (_, usage) = p
        .get(
            As::Anonymous,
            "/api/v1/opendata/classification-usage/rows?_size=1000",
        )
        .await;
    let usage = usage["rows"].as_array().unwrap();
    let items: Vec<&str> = usage.iter().map(|r| r["item"].as_str().unwrap()).collect();
    assert!(
        usage.iter().all(|r| r["count"].as_i64().unwrap() >= 5),
        "{usage:?}"
    );
    assert!(
        items.contains(&"strawberries") && items.contains(&"dried"),
        "{items:?}"
    );
    assert!(
        usage.iter().any(|r| r["kind"] == "code" && r["count"] == 5),
        "{usage:?}"
    );
    assert!(
        usage
            .iter()
            .any(|r| r["kind"] == "requests" && r["count"] == 7),
        "{usage:?}"
    );
    assert!(!items.contains(&"bicycles"), "seen twice only: {items:?}");
    let stored = p.store.usage(None).await.unwrap();
    assert!(stored.iter().any(|c| c.item == "bicycles" && c.hits == 2));
    assert!(
        !stored.iter().any(|c| c.item.contains("wangbo")),
        "names are never counted"
    );

    // The pages.
    let (status, html) = text(&p, "/open-data").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Vehicle imports by maker")
            && html.contains("/api/v1/opendata/catalog.jsonld")
    );
    let (status, html) = text(&p, "/open-data/vehicle-imports?_size=1&_sort=count&_desc=1").await;
    assert_eq!(status, 200);
    assert!(html.contains("<svg"), "charts are drawn on the server");
    assert!(html.contains("Next page"), "{html}");
    assert!(html.contains("/api/v1/opendata/vehicle-imports/rows?"));
    assert!(html.contains("_sort_desc=count"));
    assert!(html.contains("Version 2") && html.contains("+1 row"));
    let (status, html) = text(&p, "/open-data/vehicle-imports?maker__contains=toy").await;
    assert_eq!(status, 200);
    assert!(html.contains("1 matching rows"), "{html}");
    let (status, html) = text(&p, "/open-data/vehicle-imports?makr=x").await;
    assert_eq!(status, 400);
    assert!(html.contains("makr"));
    assert_eq!(text(&p, "/open-data/no-such-data").await.0, 404);
    for dataset in DATASETS {
        let (status, html) = text(&p, &format!("/open-data/{dataset}")).await;
        assert_eq!(status, 200, "{dataset}");
        assert!(html.contains("<svg"), "{dataset}");
    }
}

#[tokio::test]
async fn usage_statistics_never_publish_an_item_counted_fewer_than_k_times() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let p = start(Options {
            backend,
            ..Options::default()
        })
        .await;
        let count = |day: &str, kind: &str, item: &str, hits| UsageCount {
            day: day.into(),
            kind: kind.into(),
            item: item.into(),
            hits,
        };
        p.store
            .add_usage(&[
                // 3 + 3 in one month: published as 6.
                count("2026-01-03", "term", "strawberries", 3),
                count("2026-01-20", "term", "strawberries", 3),
                // 4 in each of two months: never reaches 5 in a month.
                count("2026-01-05", "term", "bicycles", 4),
                count("2026-02-05", "term", "bicycles", 4),
                count("2026-02-07", "code", "871200", 4),
                count("2026-02-07", "code", "081340", 5),
            ])
            .await
            .unwrap();
        let (status, body) = publish(&p, As::Admin, "classification-usage").await;
        assert_eq!(status, 201, "{body}");
        let (_, rows) = p
            .get(As::Anonymous, "/api/v1/opendata/classification-usage/rows")
            .await;
        let rows = rows["rows"].as_array().unwrap();
        assert!(rows.iter().all(|r| r["count"].as_i64().unwrap() >= 5));
        let got: Vec<(String, String, i64)> = rows
            .iter()
            .map(|r| {
                (
                    r["month"].as_str().unwrap().into(),
                    r["item"].as_str().unwrap().into(),
                    r["count"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("2026-01-01".to_string(), "strawberries".to_string(), 6),
                ("2026-02-01".to_string(), "081340".to_string(), 5),
            ]
        );
        assert!(
            rows[1]["description"].as_str().is_some(),
            "codes carry their description"
        );
    }
}

#[tokio::test]
async fn anonymous_callers_are_rate_limited_per_address_and_key_holders_per_key() {
    let p = start(Options {
        requests_per_minute: 3,
        ..Options::default()
    })
    .await;
    for _ in 0..3 {
        assert_eq!(p.get(As::Anonymous, "/api/v1/opendata").await.0, 200);
    }
    let res = p
        .call(
            As::Anonymous,
            Method::GET,
            "/api/v1/opendata/vehicle-imports/rows",
            None,
        )
        .await;
    assert_eq!(res.status(), 429);
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    assert_eq!(
        res.headers()["content-type"].to_str().unwrap(),
        "application/problem+json"
    );
    let problem: Value = res.json().await.unwrap();
    assert!(
        problem["detail"].as_str().unwrap().contains("3 a minute"),
        "{problem}"
    );
    // A key has its own budget, whatever its role.
    assert_eq!(p.get(As::Agency, "/api/v1/opendata").await.0, 200);
}

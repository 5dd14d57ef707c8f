//! Labelled data sets over HTTP: versions by content, cards, splits and leakage, sources,
//! bad rows and sizes, roles, and the public profile, on SQLite and PostgreSQL.

use reqwest::Method;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};
use settings::Profile;
use store::Backend;

use crate::harness::{As, Options, Platform, start};

/// The platform crate's fixture: every finding of its card is known (see its tests).
const FIXTURE: &str = include_str!("../../../platform/tests/fixtures/card.csv");

async fn upload(
    p: &Platform,
    who: As,
    query: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let mut req = p
        .server
        .client
        .post(p.server.url(&format!("/api/v1/datasets?{query}")))
        .header(CONTENT_TYPE, content_type)
        .body(body);
    if let Some(token) = p.token(who) {
        req = req.bearer_auth(token);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// The fixture's rows as JSON Lines, in another order: the same content.
fn fixture_as_jsonl() -> String {
    let mut reader = csv::Reader::from_reader(FIXTURE.as_bytes());
    let mut lines: Vec<String> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            json!({"id": &r[0], "text": &r[1], "code": &r[2], "source": &r[3]}).to_string()
        })
        .collect();
    lines.reverse();
    lines.join("\n")
}

#[tokio::test]
async fn analysts_register_versions_and_read_their_cards() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        journey(
            start(Options {
                backend,
                ..Options::default()
            })
            .await,
            backend,
        )
        .await;
    }
}

async fn journey(p: Platform, backend: Backend) {
    let (status, first) = upload(
        &p,
        As::DataScientist,
        "name=parcels&filename=parcels.csv",
        "text/csv",
        FIXTURE.into(),
    )
    .await;
    assert_eq!(status, 201, "{first}");
    assert_eq!(first["version"]["version"], 1);
    assert_eq!(first["version"]["rows"], 15);
    let sha = first["version"]["sha256"].as_str().unwrap().to_string();

    // The same rows as JSON Lines in another order: content-addressed, so no new version.
    let (status, same) = upload(
        &p,
        As::Admin,
        "name=parcels",
        "application/x-ndjson",
        fixture_as_jsonl().into(),
    )
    .await;
    assert_eq!(status, 200, "{same}");
    assert_eq!(same["created"], false);
    assert!(same["message"].as_str().unwrap().contains("no new version"));
    assert_eq!(same["version"]["sha256"], sha.as_str());

    let changed = FIXTURE.replace("r15,phone,85171399999", "r15,phone,851713");
    let (status, second) = upload(
        &p,
        As::DataScientist,
        "name=parcels",
        "text/csv",
        changed.into(),
    )
    .await;
    assert_eq!(status, 201, "{second}");
    assert_eq!(second["version"]["version"], 2);

    let (_, list) = p.get(As::Reviewer, "/api/v1/datasets").await;
    assert_eq!(list["datasets"][0]["name"], "parcels");
    assert_eq!(list["datasets"][0]["versions"], 2);
    assert!(
        list["sources"]
            .as_array()
            .unwrap()
            .contains(&json!("shared:uk-ott-fpo-parcels"))
    );
    let (_, versions) = p.get(As::Officer, "/api/v1/datasets/parcels").await;
    assert_eq!(versions["versions"].as_array().unwrap().len(), 2);

    // The old version stays readable, with its own card.
    let (status, v1) = p
        .get(As::Reviewer, "/api/v1/datasets/parcels/versions/1")
        .await;
    assert_eq!(status, 200, "{v1}");
    let card = &v1["card"];
    assert_eq!(card["rows"], 15);
    assert_eq!(card["invalid_codes"]["rows"], 3);
    assert_eq!(card["conflicts"]["texts"], 1);
    assert_eq!(card["exact_duplicates"]["extra_rows"], 1);
    assert_eq!(card["near_duplicates"]["pairs"], 5);
    assert_eq!(card["leakage"]["pairs"], 2);
    assert_eq!(card["chapters"][1]["label"], "03");
    let (_, v2) = p
        .get(As::Reviewer, "/api/v1/datasets/parcels/versions/2")
        .await;
    assert_eq!(v2["card"]["invalid_codes"]["rows"], 2);

    // Splits download as JSON Lines, and add up to the card's counts.
    let mut total = 0;
    for (i, split) in ["train", "dev", "test"].iter().enumerate() {
        let res = p
            .call(
                As::DataScientist,
                Method::GET,
                &format!("/api/v1/datasets/parcels/versions/1/rows?split={split}"),
                None,
            )
            .await;
        assert_eq!(res.status(), 200);
        assert!(
            res.headers()[CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("application/x-ndjson")
        );
        let text = res.text().await.unwrap();
        let rows: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert!(rows.iter().all(|r| r["split"] == *split));
        assert_eq!(json!(rows.len()), card["splits"][i]["rows"], "{split}");
        total += rows.len();
    }
    assert_eq!(total, 15);
    let (status, bad) = p
        .get(
            As::DataScientist,
            "/api/v1/datasets/parcels/versions/1/rows?split=all",
        )
        .await;
    assert_eq!(
        (status, bad["errors"][0]["field"].as_str()),
        (400, Some("split"))
    );
    let (status, _) = p
        .get(As::DataScientist, "/api/v1/datasets/parcels/versions/9")
        .await;
    assert_eq!(status, 404);
    let (status, _) = p.get(As::DataScientist, "/api/v1/datasets/nothing").await;
    assert_eq!(status, 404);

    let (status, leak) = p
        .get(As::Reviewer, "/api/v1/datasets/parcels/versions/1/leakage")
        .await;
    assert_eq!(status, 200);
    assert_eq!(leak["leakage"]["threshold"], 0.75);
    for pair in leak["leakage"]["examples"].as_array().unwrap() {
        assert_ne!(pair["a"]["split"], pair["b"]["split"]);
    }

    // From the shared data, through the corpus's loader; the CBP sample is small and fast.
    let shared = json!({"name": "cbp", "source": "shared:us-cbp-cross-ny-sample"});
    let (status, cbp) = p
        .post(As::DataScientist, "/api/v1/datasets", shared.clone())
        .await;
    assert_eq!(status, 201, "{cbp}");
    assert_eq!(cbp["version"]["rows"], 182);
    assert_eq!(cbp["version"]["source"], "shared:us-cbp-cross-ny-sample");
    let (status, again) = p.post(As::DataScientist, "/api/v1/datasets", shared).await;
    assert_eq!((status, again["created"].clone()), (200, json!(false)));
    let (_, cbp_card) = p
        .get(As::DataScientist, "/api/v1/datasets/cbp/versions/1")
        .await;
    // PROVENANCE: three CBP codes have no HS 2022 subheading.
    assert_eq!(cbp_card["card"]["invalid_codes"]["rows"], 3);
    for bad in [
        "shared:no-such-folder",
        "shared:../../etc",
        "http://example.com",
    ] {
        let (status, body) = p
            .post(
                As::DataScientist,
                "/api/v1/datasets",
                json!({"name": "x", "source": bad}),
            )
            .await;
        assert_eq!(status, 422, "{bad}: {body}");
    }

    // From approved rulings: none yet, then one.
    let rulings = json!({"name": "rulings", "source": "rulings"});
    let (status, _) = p.post(As::Admin, "/api/v1/datasets", rulings.clone()).await;
    assert_eq!(status, 422);
    let mut tx = p.store.write().await.unwrap();
    tx.add_labelled_example(
        "advance_ruling",
        "AR-2026-000001",
        "Freeze-dried strawberry slices",
        "081340",
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let (status, ruled) = p.post(As::Admin, "/api/v1/datasets", rulings).await;
    assert_eq!(status, 201, "{ruled}");
    assert_eq!(ruled["version"]["rows"], 1);

    // Every version is in the audit log, by its author.
    let trail = p.store.audit_trail("dataset:parcels").await.unwrap();
    assert_eq!(
        trail.len(),
        2,
        "{backend:?}: the identical upload wrote nothing"
    );
    assert!(
        trail
            .iter()
            .all(|e| e.action == "dataset.version" && e.actor.starts_with("user:"))
    );
    assert!(p.store.verify_audit(|_, _| {}).await.unwrap().is_intact());
}

#[tokio::test]
async fn bad_rows_are_named_and_big_files_refused() {
    let p = start(Options::default()).await;
    let bad = "id,text,code\na,horses,0101\nb,,0101\nc,cows,01.0x\na,again,0102\n";
    let (status, problem) = upload(&p, As::DataScientist, "name=bad", "text/csv", bad.into()).await;
    assert_eq!(status, 422, "{problem}");
    let lines: Vec<i64> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["line"].as_i64().unwrap())
        .collect();
    assert_eq!(lines, [3, 4, 5]);
    assert!(problem["detail"].as_str().unwrap().contains("3 of 4 rows"));
    let (status, _) = upload(
        &p,
        As::DataScientist,
        "name=bad",
        "text/csv",
        b"name,hs\nx,0101\n".to_vec(),
    )
    .await;
    assert_eq!(status, 422);
    let (status, problem) = upload(
        &p,
        As::DataScientist,
        "",
        "text/csv",
        b"text,code\nx,0101\n".to_vec(),
    )
    .await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str()),
        (422, Some("name"))
    );
    let (status, _) = upload(
        &p,
        As::DataScientist,
        "name=Bad%20Name",
        "text/csv",
        b"text,code\nx,0101\n".to_vec(),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        p.store.datasets().await.unwrap().is_empty(),
        "nothing half stored"
    );

    // One byte over the limit is refused as a problem, before any parsing.
    let mut big = b"text,code\n".to_vec();
    big.resize(server::limits::MAX_DATASET_BYTES + 1, b'a');
    let res = p
        .server
        .client
        .post(p.server.url("/api/v1/datasets?name=big"))
        .bearer_auth(p.token(As::DataScientist).unwrap())
        .header(CONTENT_TYPE, "text/csv")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    assert_eq!(res.headers()[CONTENT_TYPE], "application/problem+json");

    // A multipart form is an upload too.
    let boundary = "b0undary";
    let form = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nform-set\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"rows.csv\"\r\nContent-Type: text/csv\r\n\r\ntext,code\nhorses,0101\n\r\n--{boundary}--\r\n"
    );
    let (status, made) = upload(
        &p,
        As::DataScientist,
        "",
        &format!("multipart/form-data; boundary={boundary}"),
        form.into(),
    )
    .await;
    assert_eq!(status, 201, "{made}");
    assert_eq!(made["version"]["filename"], "rows.csv");
}

#[tokio::test]
async fn data_scientists_and_admins_register_reviewers_and_officers_read() {
    let p = start(Options::default()).await;
    let body = || b"text,code\nhorses,0101\n".to_vec();
    for (who, expected) in [
        (As::DataScientist, 201),
        (As::Admin, 200),
        (As::Reviewer, 403),
        (As::Officer, 403),
        (As::Trader, 403),
        (As::Anonymous, 401),
    ] {
        let (status, _) = upload(&p, who, "name=roles", "text/csv", body()).await;
        assert_eq!(status, expected, "{who:?} registers");
    }
    for (who, expected) in [
        (As::DataScientist, 200),
        (As::Reviewer, 200),
        (As::Officer, 200),
        (As::Admin, 200),
        (As::Broker, 403),
        (As::Agency, 403),
        (As::Anonymous, 401),
    ] {
        let (status, _) = p.get(who, "/api/v1/datasets/roles/versions/1").await;
        assert_eq!(status, expected, "{who:?} reads");
    }
}

#[tokio::test]
async fn a_public_instance_has_no_data_sets() {
    let p = start(Options {
        profile: Profile::Public,
        ..Options::default()
    })
    .await;
    for path in [
        "/api/v1/datasets",
        "/api/v1/datasets/x/versions/1",
        "/datasets",
    ] {
        let (status, _) = p.get(As::Admin, path).await;
        assert_eq!(status, 404, "{path}");
    }
    let (status, _) = upload(
        &p,
        As::Admin,
        "name=x",
        "text/csv",
        b"text,code\nx,0101\n".to_vec(),
    )
    .await;
    assert_eq!(status, 404);
    // Nor does its page shell link them.
    let res = p.server.get("/").await;
    assert!(!res.text().await.unwrap().contains("href=\"/datasets\""));
}

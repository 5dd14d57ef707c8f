//! The vehicle exchange over HTTP on SQLite and PostgreSQL: officers record clearances;
//! each agency's key sees only its scope's fields; the police flag a theft that every
//! agency then sees; every read is in the agency's own access log.

use reqwest::Method;
use serde_json::{Value, json};
use store::Backend;

use crate::harness::{As, Options, Platform, as_key, key, start};

fn accord() -> Value {
    json!({
        "vin": "1hgcm82633a004352", "make": "Honda", "model": "Accord", "model_year": "2003",
        "body_type": "sedan", "engine_number": "J30A4-123456", "engine_cc": "2997", "fuel": "petrol",
        "colour": "silver", "declaration_number": "AA123456789012", "clearance_date": "2026-11-20",
        "duties_twd": "125000", "certificate_number": "CC-2026-0001"
    })
}

#[tokio::test]
async fn clearances_are_shared_by_scope_and_every_read_is_logged() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        exchange(
            start(Options {
                backend,
                ..Options::default()
            })
            .await,
        )
        .await;
    }
}

async fn exchange(p: Platform) {
    let mut bad = accord();
    bad["vin"] = json!("1HGCM82633A00435O");
    let (status, body) = p.post(As::Officer, "/api/v1/vehicles", bad).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["field"] == "vin")
    );

    let (status, recorded) = p.post(As::Officer, "/api/v1/vehicles", accord()).await;
    assert_eq!(status, 201, "{recorded}");
    assert_eq!(
        recorded["vin"], "1HGCM82633A004352",
        "VINs are stored upper-case"
    );
    assert_eq!(recorded["anomalies"], json!([]));
    assert_eq!(
        p.post(As::Officer, "/api/v1/vehicles", accord()).await.0,
        409,
        "one clearance per VIN"
    );

    let mut odd = accord();
    odd["vin"] = json!("JHMCM56557C404453");
    odd["make"] = json!("Toyota");
    odd["certificate_number"] = json!("CC-2026-0002");
    let (status, flagged) = p.post(As::Officer, "/api/v1/vehicles", odd).await;
    assert_eq!(status, 201, "{flagged}");
    assert!(
        flagged["anomalies"].to_string().contains("make_mismatch")
            || flagged["anomalies"].to_string().contains("MakeMismatch"),
        "{flagged}"
    );

    let tax = key(&p, "vehicles:tax").await;
    let registration = key(&p, "vehicles:registration").await;
    let police = key(&p, "vehicles:police").await;
    let (status, seen) = as_key(
        &p,
        &tax,
        Method::GET,
        "/api/v1/vehicles/1HGCM82633A004352",
        None,
    )
    .await;
    assert_eq!(status, 200, "{seen}");
    assert_eq!(seen["fields"]["duties_twd"], "125000.00");
    assert!(
        seen["fields"].get("engine_number").is_none(),
        "tax does not see engine numbers"
    );
    let (_, seen) = as_key(
        &p,
        &registration,
        Method::GET,
        "/api/v1/vehicles/CC-2026-0001",
        None,
    )
    .await;
    assert_eq!(
        seen["vin"], "1HGCM82633A004352",
        "found by certificate number"
    );
    assert!(
        seen["fields"].get("duties_twd").is_none(),
        "registration does not see duties"
    );
    assert_eq!(seen["stolen"], false);
    // The harness's agency key has no vehicle scope.
    assert_eq!(
        p.get(As::Agency, "/api/v1/vehicles/1HGCM82633A004352")
            .await
            .0,
        403
    );
    let (status, _) = as_key(
        &p,
        &tax,
        Method::POST,
        "/api/v1/vehicles/1HGCM82633A004352/stolen",
        Some(json!({"note": "report 2026-998"})),
    )
    .await;
    assert_eq!(status, 403, "only the police scope flags thefts");
    let (status, _) = as_key(
        &p,
        &police,
        Method::POST,
        "/api/v1/vehicles/1HGCM82633A004352/stolen",
        Some(json!({"note": "Taipei police report 2026-998"})),
    )
    .await;
    assert_eq!(status, 204);
    let (_, seen) = as_key(
        &p,
        &registration,
        Method::GET,
        "/api/v1/vehicles/1HGCM82633A004352",
        None,
    )
    .await;
    assert_eq!(seen["stolen"], true, "every agency sees the theft flag");

    let (_, log) = as_key(
        &p,
        &registration,
        Method::GET,
        "/api/v1/vehicles/access-log",
        None,
    )
    .await;
    assert_eq!(log.as_array().unwrap().len(), 2);
    assert_eq!(log[0]["scope"], "vehicles:registration");
    let (_, tax_log) = as_key(&p, &tax, Method::GET, "/api/v1/vehicles/access-log", None).await;
    assert_eq!(
        tax_log.as_array().unwrap().len(),
        1,
        "an agency sees only its own reads"
    );

    let (_, record) = p
        .get(As::Officer, "/api/v1/vehicles/1HGCM82633A004352")
        .await;
    let version = record["version"].as_i64().unwrap();
    let mut amend = accord();
    amend["status"] = json!("held");
    amend["version"] = json!(version - 1);
    let (status, _) = p
        .json(
            As::Officer,
            Method::PUT,
            "/api/v1/vehicles/1HGCM82633A004352",
            Some(amend.clone()),
        )
        .await;
    assert_eq!(status, 409, "a stale amendment loses nothing");
    amend["version"] = json!(version);
    let (status, held) = p
        .json(
            As::Officer,
            Method::PUT,
            "/api/v1/vehicles/1HGCM82633A004352",
            Some(amend),
        )
        .await;
    assert_eq!(status, 200, "{held}");
    assert_eq!(held["status"], "held");

    let trail = p
        .store
        .audit_trail("vehicle:1HGCM82633A004352")
        .await
        .unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "vehicle.create",
            "vehicle.read",
            "vehicle.read",
            "vehicle.stolen",
            "vehicle.read",
            "vehicle.amend"
        ]
    );
    assert!(p.store.verify_audit(|_, _| {}).await.unwrap().is_intact());
}

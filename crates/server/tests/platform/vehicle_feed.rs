//! How agencies hear of clearances, on SQLite and PostgreSQL: officers import a CSV file (all
//! rows or none); the change feed pages by cursor; a webhook receiver on 127.0.0.1 that
//! fails at first gets every event, signed, after retries, each event acknowledged once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode};
use hmac::{Hmac, Mac};
use reqwest::Method;
use serde_json::{Value, json};
use sha2::Sha256;
use store::Backend;

use crate::harness::{As, Options, Platform, as_key, key, start};

const HEADER: &str = "vin,make,model,model_year,body_type,engine_number,engine_cc,fuel,colour,declaration_number,clearance_date,duties_twd,certificate_number";

fn row(vin: &str, make: &str, certificate: &str) -> String {
    format!(
        "{vin},{make},Model X,2019,sedan,EN-1,1998,petrol,black,AA123456789012,2026-11-20,98000,{certificate}"
    )
}

#[derive(Default)]
struct Received {
    /// (event id, attempt header, signature header, body, answered status)
    calls: Vec<(String, String, String, String, u16)>,
}

/// A receiver that answers 500 to its first `failures` calls, then 200.
async fn receiver(failures: usize) -> (String, Arc<Mutex<Received>>) {
    let seen = Arc::new(Mutex::new(Received::default()));
    let state = seen.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let state = state.clone();
            async move {
                let mut seen = state.lock().unwrap();
                let status = if seen.calls.len() < failures {
                    StatusCode::INTERNAL_SERVER_ERROR
                } else {
                    StatusCode::OK
                };
                let header = |name: &str| {
                    headers
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_string()
                };
                seen.calls.push((
                    header("x-customs-event-id"),
                    header("x-customs-delivery-attempt"),
                    header("x-customs-signature"),
                    body,
                    status.as_u16(),
                ));
                status
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

fn verifies(secret: &str, signature: &str, body: &str) -> bool {
    let Some((t, v1)) = signature
        .strip_prefix("t=")
        .and_then(|rest| rest.split_once(",v1="))
    else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{body}").as_bytes());
    hex::decode(v1).is_ok_and(|sig| mac.verify_slice(&sig).is_ok())
}

async fn import(p: &Platform, csv: String) -> (u16, Value) {
    let res = p
        .server
        .client
        .post(p.server.url("/api/v1/vehicles/import"))
        .bearer_auth(p.token(As::Officer).unwrap())
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

#[tokio::test]
async fn imports_feed_and_webhooks_announce_every_change() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        feed(
            start(Options {
                backend,
                ..Options::default()
            })
            .await,
        )
        .await;
    }
}

async fn feed(p: Platform) {
    let (url, received) = receiver(3).await;
    let registration = key(&p, "vehicles:registration").await;
    let (status, hook) = as_key(
        &p,
        &registration,
        Method::POST,
        "/api/v1/vehicles/webhooks",
        Some(json!({"url": url})),
    )
    .await;
    assert_eq!(status, 201, "{hook}");
    let secret = hook["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"));
    let (status, _) = as_key(
        &p,
        &registration,
        Method::POST,
        "/api/v1/vehicles/webhooks",
        Some(json!({"url": "ftp://example.com/x"})),
    )
    .await;
    assert_eq!(status, 422);

    // One bad line refuses the whole file, and names the line.
    let bad = format!(
        "{HEADER}\n{}\n{}\n",
        row("1M8GDM9AXKP042788", "MCI", "CC-2026-0101"),
        row("1M8GDM9AXKP042789", "MCI", "CC-2026-0102")
    );
    let (status, problem) = import(&p, bad).await;
    assert_eq!(status, 422, "{problem}");
    assert!(
        problem["detail"].as_str().unwrap().contains("1 of 2 rows"),
        "{problem}"
    );
    assert!(
        problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["line"] == 3 && e["field"] == "vin"),
        "{problem}"
    );
    assert_eq!(
        p.get(As::Officer, "/api/v1/vehicles/1M8GDM9AXKP042788")
            .await
            .0,
        404,
        "nothing half imported"
    );

    let good = format!(
        "{HEADER}\n{}\n{}\n",
        row("1M8GDM9AXKP042788", "MCI", "CC-2026-0101"),
        row("WBA0000009A000001", "BMW", "CC-2026-0103")
    );
    let (status, done) = import(&p, good.clone()).await;
    assert_eq!(status, 201, "{done}");
    assert_eq!(done["imported"], 2);
    let (status, again) = import(&p, good).await;
    assert_eq!(
        status, 422,
        "a second import of the same VINs is refused: {again}"
    );

    // The feed, by cursor.
    let (status, page) = as_key(
        &p,
        &registration,
        Method::GET,
        "/api/v1/vehicles/changes?limit=1",
        None,
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["events"].as_array().unwrap().len(), 1);
    assert_eq!(page["has_more"], true);
    assert_eq!(page["events"][0]["type"], "vehicle.created");
    let next = page["next"].as_str().unwrap().to_string();
    let (_, rest) = as_key(
        &p,
        &registration,
        Method::GET,
        &format!("/api/v1/vehicles/changes?after={next}"),
        None,
    )
    .await;
    assert_eq!(rest["events"].as_array().unwrap().len(), 1);
    assert_eq!(rest["events"][0]["vin"], "WBA0000009A000001");
    assert_eq!(rest["has_more"], false);
    let end = rest["next"].as_str().unwrap().to_string();
    let (_, empty) = as_key(
        &p,
        &registration,
        Method::GET,
        &format!("/api/v1/vehicles/changes?after={end}"),
        None,
    )
    .await;
    assert_eq!(empty["events"], json!([]));
    assert_eq!(
        empty["next"],
        end.as_str(),
        "an empty page keeps the cursor"
    );
    let (status, problem) = as_key(
        &p,
        &registration,
        Method::GET,
        "/api/v1/vehicles/changes?after=-3",
        None,
    )
    .await;
    assert_eq!(status, 400);
    assert!(problem["detail"].as_str().unwrap().starts_with("after:"));

    // A change after the import is announced too.
    let (_, record) = p
        .get(As::Officer, "/api/v1/vehicles/WBA0000009A000001")
        .await;
    let mut amend: Value = serde_json::from_str(&format!(
        "{{\"vin\":\"WBA0000009A000001\",\"make\":\"BMW\",\"model\":\"Model X\",\"model_year\":\"2019\",\"body_type\":\"sedan\",\"engine_number\":\"EN-1\",\"engine_cc\":\"1998\",\"fuel\":\"petrol\",\"colour\":\"black\",\"declaration_number\":\"AA123456789012\",\"clearance_date\":\"2026-11-20\",\"duties_twd\":\"98000\",\"certificate_number\":\"CC-2026-0103\",\"version\":{}}}",
        record["version"]
    ))
    .unwrap();
    amend["status"] = json!("held");
    let (status, _) = p
        .json(
            As::Officer,
            Method::PUT,
            "/api/v1/vehicles/WBA0000009A000001",
            Some(amend),
        )
        .await;
    assert_eq!(status, 200);

    // Three events; the receiver fails its first three calls, so some are retried.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let delivered: usize = {
            let r = received.lock().unwrap();
            let mut ok: HashMap<&str, usize> = HashMap::new();
            for call in r.calls.iter().filter(|c| c.4 == 200) {
                *ok.entry(call.0.as_str()).or_default() += 1;
            }
            ok.len()
        };
        if delivered == 3 {
            break;
        }
        assert!(Instant::now() < deadline, "webhooks not delivered in time");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(400)).await;
    {
        let r = received.lock().unwrap();
        let mut acknowledged: HashMap<String, usize> = HashMap::new();
        for (event, attempt, signature, body, status) in &r.calls {
            assert!(
                verifies(&secret, signature, body),
                "bad signature on {body}"
            );
            let event_body: Value = serde_json::from_str(body).unwrap();
            assert_eq!(&event_body["id"], event.as_str());
            assert!(attempt.parse::<u32>().unwrap() >= 1);
            if *status == 200 {
                *acknowledged.entry(event.clone()).or_default() += 1;
            }
        }
        assert_eq!(
            r.calls.len(),
            6,
            "three failures, then one success per event"
        );
        assert!(
            r.calls.iter().any(|c| c.1 != "1"),
            "failed deliveries were retried"
        );
        assert!(
            acknowledged.values().all(|n| *n == 1),
            "each event acknowledged once: {acknowledged:?}"
        );
    }

    let (_, hooks) = as_key(
        &p,
        &registration,
        Method::GET,
        "/api/v1/vehicles/webhooks",
        None,
    )
    .await;
    assert_eq!(hooks[0]["delivered"], 3, "{hooks}");
    assert_eq!(hooks[0]["pending"], 0);

    // The officers' timeline: created, then amended.
    let (status, history) = p
        .get(As::Officer, "/api/v1/vehicles/WBA0000009A000001/history")
        .await;
    assert_eq!(status, 200, "{history}");
    let kinds: Vec<&str> = history["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["created", "amended"]);

    // The officers' pages show the same.
    let page = p
        .call(As::Officer, Method::GET, "/vehicles?q=wba", None)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("WBA0000009A000001") && !page.contains("1M8GDM9AXKP042788"));
    let page = p
        .call(
            As::Officer,
            Method::GET,
            "/vehicles/WBA0000009A000001",
            None,
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("amended (version 2)"), "{page}");
    assert!(page.contains("BMW (DE)"), "the maker decoded from the VIN");

    // The page's amendment form: version-checked like the API.
    let (_, record) = p
        .get(As::Officer, "/api/v1/vehicles/WBA0000009A000001")
        .await;
    let mut form: Vec<(String, String)> = record["facts"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .filter(|(k, _)| k != "colour" && k != "status")
        .collect();
    form.push(("colour".into(), "red".into()));
    form.push(("version".into(), record["version"].to_string()));
    let res = p
        .server
        .client
        .post(p.server.url("/vehicles/WBA0000009A000001/amend"))
        .bearer_auth(p.token(As::Officer).unwrap())
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert!(
        res.headers()["location"]
            .to_str()
            .unwrap()
            .contains("amended")
    );
    let (_, after) = p
        .get(As::Officer, "/api/v1/vehicles/WBA0000009A000001")
        .await;
    assert_eq!(after["facts"]["colour"], "red");
    assert_eq!(after["status"], "held", "an amendment keeps the status");

    // Removing the webhook stops it; another agency cannot remove it.
    let id = hook["id"].as_str().unwrap();
    let tax = key(&p, "vehicles:tax").await;
    let (status, _) = as_key(
        &p,
        &tax,
        Method::DELETE,
        &format!("/api/v1/vehicles/webhooks/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = as_key(
        &p,
        &registration,
        Method::DELETE,
        &format!("/api/v1/vehicles/webhooks/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 204);
    let (_, hooks) = as_key(
        &p,
        &registration,
        Method::GET,
        "/api/v1/vehicles/webhooks",
        None,
    )
    .await;
    assert_eq!(hooks, json!([]));
    assert!(p.store.verify_audit(|_, _| {}).await.unwrap().is_intact());
}

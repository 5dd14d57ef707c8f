//! The e-Application journey over HTTP, on SQLite and on PostgreSQL: draft, edit, submit,
//! review, request for information, reply, decision — with versions, visibility,
//! attachments, notifications, the legal clock and the audit trail checked on the way.

use reqwest::Method;
use serde_json::{Value, json};
use store::Backend;

use crate::harness::{As, Options, Platform, TRADER_CO, start};

async fn act(p: &Platform, who: As, id: &str, body: Value) -> (u16, Value) {
    p.post(who, &format!("/api/v1/applications/{id}/actions"), body)
        .await
}

#[tokio::test]
async fn an_advance_ruling_from_draft_to_decision() {
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
    // A malformed draft is refused field by field.
    let (status, body) = p
        .post(
            As::Trader,
            "/api/v1/applications",
            json!({"kind": "advance_ruling",
              "fields": {"intended_code": "0813.99", "country_of_origin": "XX", "colour": "red"}}),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for f in ["intended_code", "country_of_origin", "colour"] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }

    let (status, draft) = p
        .post(As::Trader, "/api/v1/applications", json!({"kind": "advance_ruling",
              "fields": {"goods_description": "Freeze-dried strawberry slices in 30 g pouches", "intended_code": "0813.40"}}))
        .await;
    assert_eq!(status, 201, "{draft}");
    let id = draft["id"].as_str().unwrap().to_string();
    assert_eq!(
        (draft["status"].as_str(), draft["version"].as_i64()),
        (Some("draft"), Some(1))
    );
    assert_eq!(
        draft["fields"]["intended_code"], "081340",
        "codes are normalised"
    );
    assert!(draft["reference"].as_str().unwrap().starts_with("EA-"));

    // Drafts are the applicant's own: officers and other companies do not see them.
    assert_eq!(
        p.get(As::Officer, &format!("/api/v1/applications/{id}"))
            .await
            .0,
        404
    );
    assert_eq!(
        p.get(As::OtherTrader, &format!("/api/v1/applications/{id}"))
            .await
            .0,
        404
    );
    assert_eq!(
        p.get(As::Broker, &format!("/api/v1/applications/{id}"))
            .await
            .0,
        200,
        "the trader authorised this broker"
    );

    // Edit with the version read; a second edit with the old version is a conflict.
    let path = format!("/api/v1/applications/{id}");
    let fields = json!({"goods_description": "Freeze-dried strawberry slices in 30 g pouches",
                        "intended_code": "081340", "country_of_origin": "tw", "confidential_details": "supplier: Lishan Farm"});
    let (status, edited) = p
        .json(
            As::Trader,
            Method::PUT,
            &path,
            Some(json!({"fields": fields, "version": 1})),
        )
        .await;
    assert_eq!(status, 200, "{edited}");
    assert_eq!(edited["version"], 2);
    let (status, stale) = p
        .json(
            As::Trader,
            Method::PUT,
            &path,
            Some(json!({"fields": fields, "version": 1})),
        )
        .await;
    assert_eq!(status, 409, "{stale}");
    let (status, _) = p
        .json(
            As::Trader,
            Method::PUT,
            &path,
            Some(json!({"fields": fields})),
        )
        .await;
    assert_eq!(status, 428, "a write must say which version it changes");

    // Attachments: type and content are checked, bytes come back as stored.
    let pdf = b"%PDF-1.7\n spec sheet".to_vec();
    let up = |body: Vec<u8>, ct: &'static str| {
        p.server
            .client
            .post(p.server.url(&format!(
                "{path}/attachments?filename=spec.pdf&confidential=true"
            )))
            .bearer_auth(p.token(As::Trader).unwrap())
            .header("Content-Type", ct)
            .body(body)
            .send()
    };
    assert_eq!(
        up(b"MZ\x90\x00 not a pdf".to_vec(), "application/pdf")
            .await
            .unwrap()
            .status(),
        422
    );
    assert_eq!(
        up(pdf.clone(), "application/x-msdownload")
            .await
            .unwrap()
            .status(),
        415
    );
    let res = up(pdf.clone(), "application/pdf").await.unwrap();
    assert_eq!(res.status(), 201);
    let attachment: Value = res.json().await.unwrap();
    let download = p
        .call(
            As::Trader,
            Method::GET,
            &format!("{path}/attachments/{}", attachment["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(download.headers()["content-type"], "application/pdf");
    assert_eq!(download.bytes().await.unwrap().to_vec(), pdf);

    // Transitions: only the right party, only from the right state.
    let (status, body) = act(
        &p,
        As::Trader,
        &id,
        json!({"action": "approve", "version": 2}),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    let (status, submitted) = act(
        &p,
        As::Trader,
        &id,
        json!({"action": "submit", "version": 2}),
    )
    .await;
    assert_eq!(status, 200, "{submitted}");
    assert_eq!(submitted["status"], "submitted");
    assert_eq!(submitted["clock"]["state"], "running");
    assert_eq!(submitted["clock"]["legal_working_days"], 30);
    assert!(submitted["clock"]["due"].as_str().is_some());
    let (status, _) = act(
        &p,
        As::Trader,
        &id,
        json!({"action": "submit", "version": 3}),
    )
    .await;
    assert_eq!(status, 409, "submitting twice is refused");

    // The officer's queue shows it with its deadline; starting the review assigns it.
    let (status, queue) = p
        .get(As::Officer, "/api/v1/review-queue?assigned=none")
        .await;
    assert_eq!(status, 200);
    assert!(
        queue
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == id.as_str() && c["clock"]["due"].is_string())
    );
    let (status, review) = act(
        &p,
        As::Officer,
        &id,
        json!({"action": "start_review", "version": 3}),
    )
    .await;
    assert_eq!(status, 200, "{review}");
    assert_eq!(review["assigned_to"], p.officer_id.as_str());
    let v = review["version"].as_i64().unwrap();

    let (status, body) = act(
        &p,
        As::Officer,
        &id,
        json!({"action": "request_info", "version": v, "message": "?"}),
    )
    .await;
    assert_eq!(status, 422, "a request needs a real message: {body}");
    let (status, asked) = act(
        &p,
        As::Officer,
        &id,
        json!({"action": "request_info", "version": v,
        "message": "Please state the moisture content and the packing."}),
    )
    .await;
    assert_eq!(status, 200, "{asked}");
    assert_eq!(asked["clock"]["state"], "stopped");
    assert!(asked["clock"]["reply_due"].is_string());
    let (_, notes) = p.get(As::Trader, "/api/v1/notifications").await;
    assert!(
        notes
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["message"].as_str().unwrap().contains("moisture content"))
    );
    let outbox = p.store.outbox(100).await.unwrap();
    assert!(
        outbox
            .iter()
            .any(|m| m.to_address == "amy@formosa.example" && m.body.contains("moisture content"))
    );

    let v = asked["version"].as_i64().unwrap();
    let mut more = fields.clone();
    more["composition"] = json!("strawberries 100 %, moisture 3 %");
    let (status, edited) = p
        .json(
            As::Trader,
            Method::PUT,
            &path,
            Some(json!({"fields": more, "version": v})),
        )
        .await;
    assert_eq!(status, 200, "{edited}");
    let (status, replied) = act(
        &p,
        As::Trader,
        &id,
        json!({"action": "respond", "version": edited["version"],
        "message": "Moisture 3 %, 30 g pouches."}),
    )
    .await;
    assert_eq!(status, 200, "{replied}");
    assert_eq!(replied["status"], "under_review");

    let v = replied["version"].as_i64().unwrap();
    let (status, body) = act(
        &p,
        As::Officer,
        &id,
        json!({"action": "approve", "version": v, "decision_code": "0813.99",
        "message": "GIR 1 and 6: dried strawberries."}),
    )
    .await;
    assert_eq!(status, 422, "the decided code must exist: {body}");
    let (status, approved) = act(
        &p,
        As::Officer,
        &id,
        json!({"action": "approve", "version": v, "decision_code": "0813.40",
        "message": "GIR 1 and 6: dried fruit, other."}),
    )
    .await;
    assert_eq!(status, 200, "{approved}");
    assert_eq!(
        (
            approved["status"].as_str(),
            approved["decision_code"].as_str()
        ),
        (Some("approved"), Some("081340"))
    );
    assert_eq!(approved["clock"]["state"], "finished");

    // The decision feeds the classifier's corpus and the public precedents, redacted.
    let examples = p.store.labelled_examples().await.unwrap();
    assert_eq!(examples.len(), 1);
    assert_eq!(examples[0].code, "081340");
    let (_, published) = p.get(As::Anonymous, "/api/v1/rulings?q=strawberry").await;
    let published = published.as_array().unwrap();
    assert_eq!(published.len(), 1);
    assert_eq!(published[0]["code"], "081340");
    assert!(
        published[0]["fields"].get("confidential_details").is_none(),
        "confidential parts are removed"
    );
    assert!(
        p.get(As::Anonymous, "/api/v1/rulings?q=bicycle")
            .await
            .1
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Every step is in the audit trail, and the chain is intact.
    let trail = p
        .store
        .audit_trail(&format!("application:{id}"))
        .await
        .unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    for a in [
        "application.create",
        "application.edit",
        "attachment.add",
        "application.submit",
        "application.start_review",
        "application.assign",
        "application.request_info",
        "application.respond",
        "application.approve",
    ] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
    assert!(p.store.verify_audit(|_, _| {}).await.unwrap().is_intact());
    let (_, listed) = p.get(As::OtherTrader, "/api/v1/applications").await;
    assert_eq!(listed["total"], 0, "another company's cases never show");
}

#[tokio::test]
async fn brokers_file_only_for_traders_who_authorised_them() {
    let p = start(Options::default()).await;
    let draft = json!({"kind": "certificate_of_origin", "company_id": TRADER_CO, "fields": {"exporter_name": "Formosa Fruit"}});
    let (status, body) = p.post(As::Broker, "/api/v1/applications", draft).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        (
            body["company_id"].as_str(),
            body["filed_by_company"].as_str()
        ),
        (Some(TRADER_CO), Some("22099131"))
    );
    let (_, mine) = p.get(As::Trader, "/api/v1/applications").await;
    assert_eq!(mine["total"], 1, "the trader sees what its broker filed");

    let other = json!({"kind": "certificate_of_origin", "company_id": "10458575", "fields": {}});
    assert_eq!(
        p.post(As::Broker, "/api/v1/applications", other).await.0,
        403
    );
    // Revoking the mandate ends the broker's access.
    let (status, _) = p
        .json(
            As::Trader,
            Method::DELETE,
            "/api/v1/mandates/22099131",
            None,
        )
        .await;
    assert_eq!(status, 204);
    let (_, listed) = p.get(As::Broker, "/api/v1/applications").await;
    assert_eq!(
        listed["total"], 1,
        "what it filed itself stays visible to it"
    );
    let again = json!({"kind": "certificate_of_origin", "company_id": TRADER_CO, "fields": {}});
    assert_eq!(
        p.post(As::Broker, "/api/v1/applications", again).await.0,
        403
    );
}

#[tokio::test]
async fn incomplete_forms_cannot_be_submitted_and_applicants_may_withdraw() {
    let p = start(Options::default()).await;
    let (_, draft) = p
        .post(
            As::Trader,
            "/api/v1/applications",
            json!({"kind": "duty_refund", "fields": {"amount_twd": "1,250.5"}}),
        )
        .await;
    assert_eq!(draft["fields"]["amount_twd"], "1250.50");
    let id = draft["id"].as_str().unwrap();
    let (status, body) = act(
        &p,
        As::Trader,
        id,
        json!({"action": "submit", "version": 1}),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["field"] == "import_declaration_number")
    );
    let (status, withdrawn) = act(
        &p,
        As::Trader,
        id,
        json!({"action": "withdraw", "version": 1}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(withdrawn["status"], "withdrawn");
    assert_eq!(withdrawn["allowed_actions"], json!([]));
}

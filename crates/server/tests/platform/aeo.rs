//! AEO certification over HTTP: the self-assessment, the officer's workflow to a
//! certificate, and public verification that shows status but nothing private.

use aeo::{AnswerKind, OperatorRole};
use serde_json::{Map, Value, json};
use store::Backend;

use crate::harness::{As, Options, Platform, start};

const ROLES: [OperatorRole; 2] = [OperatorRole::Importer, OperatorRole::Exporter];

/// A complete, favourable self-assessment for an importer-exporter.
fn favourable(evidence_id: &str) -> Value {
    let mut responses = Map::new();
    for q in aeo::questions().iter().filter(|q| q.applies_to(&ROLES)) {
        let answer = match q.kind {
            AnswerKind::YesNo => json!(if q.favourable == Some(false) {
                "no"
            } else {
                "yes"
            }),
            AnswerKind::Number => json!(12),
            AnswerKind::Text => json!("Documented in our security manual, chapter 4."),
        };
        let evidence = if q.evidence_required {
            json!([evidence_id])
        } else {
            json!([])
        };
        responses.insert(
            q.id.to_string(),
            json!({"answer": answer, "evidence": evidence}),
        );
    }
    json!({
        "operator_roles": ["importer", "exporter"],
        "profile": {"legal_name": "Formosa Fruit Co.", "address": "1 Harbour Rd, Keelung", "contact_email": "aeo@formosa.example",
                    "employees": "120", "customs_declarations_last_year": "2400"},
        "responses": responses,
        "publish_consent": true,
    })
}

async fn act(p: &Platform, who: As, id: &str, body: Value) -> (u16, Value) {
    p.post(who, &format!("/api/v1/aeo/applications/{id}/actions"), body)
        .await
}

#[tokio::test]
async fn from_self_assessment_to_a_verifiable_certificate() {
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
    let (status, q) = p.get(As::Anonymous, "/api/v1/aeo/questionnaire").await;
    assert_eq!(status, 200);
    assert_eq!(q["areas"].as_array().unwrap().len(), 9);

    // Evidence is uploaded first, then cited by id.
    let pdf = b"%PDF-1.7 security manual".to_vec();
    let upload = p
        .server
        .client
        .post(p.server.url("/api/v1/aeo/evidence?filename=manual-v3.pdf"))
        .bearer_auth(p.token(As::Trader).unwrap())
        .header("Content-Type", "application/pdf")
        .body(pdf.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(upload.status(), 201);
    let evidence: Value = upload.json().await.unwrap();
    let evidence = evidence["id"].as_str().unwrap().to_string();
    let favourable = || favourable(&evidence);
    let (status, body) = p
        .post(As::OtherTrader, "/api/v1/aeo/applications", favourable())
        .await;
    assert_eq!(
        status, 422,
        "another company's upload cannot be cited: {body}"
    );

    let mut incomplete = favourable();
    incomplete["responses"]
        .as_object_mut()
        .unwrap()
        .remove("cr.1");
    incomplete["responses"]["zz.9"] = json!({"answer": "yes"});
    let (status, body) = p
        .post(As::Trader, "/api/v1/aeo/applications", incomplete)
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["field"] == "responses.zz.9")
    );

    let (status, case) = p
        .post(As::Trader, "/api/v1/aeo/applications", favourable())
        .await;
    assert_eq!(status, 201, "{case}");
    assert_eq!(
        (case["status"].as_str(), case["grantable"].as_str()),
        (Some("submitted"), Some("both"))
    );
    let id = case["id"].as_str().unwrap().to_string();
    assert_eq!(
        p.post(As::Trader, "/api/v1/aeo/applications", favourable())
            .await
            .0,
        409,
        "one open case per company"
    );
    assert_eq!(
        p.get(As::OtherTrader, &format!("/api/v1/aeo/applications/{id}"))
            .await
            .0,
        404
    );
    let cited = format!("/api/v1/aeo/applications/{id}/evidence/{evidence}");
    let download = p
        .call(As::Officer, reqwest::Method::GET, &cited, None)
        .await;
    assert_eq!(download.status(), 200);
    assert_eq!(download.bytes().await.unwrap().to_vec(), pdf);
    assert_eq!(p.get(As::OtherTrader, &cited).await.0, 404);

    let (status, body) = act(
        &p,
        As::Trader,
        &id,
        json!({"action": "certify", "version": 1, "grant": "both"}),
    )
    .await;
    assert_eq!(status, 409, "applicants do not certify themselves: {body}");
    let mut v = 1;
    let visit = super::date_in_days(7);
    for step in [
        json!({"action": "accept"}),
        json!({"action": "start_document_review"}),
        json!({"action": "schedule_visit", "visit_date": visit}),
        json!({"action": "record_findings", "findings": "Perimeter fencing and CCTV checked; seals log complete."}),
    ] {
        let mut step = step;
        step["version"] = json!(v);
        let (status, body) = act(&p, As::Officer, &id, step.clone()).await;
        assert_eq!(status, 200, "{step}: {body}");
        v = body["version"].as_i64().unwrap();
    }
    let (status, body) = act(
        &p,
        As::Officer,
        &id,
        json!({"action": "certify", "version": v}),
    )
    .await;
    assert_eq!(status, 422, "certifying names the grant: {body}");
    let (status, certified) = act(
        &p,
        As::Officer,
        &id,
        json!({"action": "certify", "version": v, "grant": "both"}),
    )
    .await;
    assert_eq!(status, 200, "{certified}");
    let number = certified["certificate_number"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(number.starts_with("TWAEOF"), "{number}");
    assert_eq!(certified["public_status"], "valid");

    let (status, verified) = p
        .get(As::Anonymous, &format!("/api/v1/aeo/certificates/{number}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (verified["status"].as_str(), verified["holder"].as_str()),
        (Some("valid"), Some("Formosa Fruit Co."))
    );
    assert!(
        verified.get("profile").is_none() && verified.get("responses").is_none(),
        "nothing private: {verified}"
    );
    let lower = number.to_lowercase();
    assert_eq!(
        p.get(As::Anonymous, &format!("/api/v1/aeo/certificates/{lower}"))
            .await
            .1["status"],
        "valid"
    );
    let (_, register) = p.get(As::Anonymous, "/api/v1/aeo/register").await;
    assert_eq!(register.as_array().unwrap().len(), 1);

    let mut typo = number.clone().into_bytes();
    typo[7] = if typo[7] == b'9' { b'8' } else { b'9' };
    let (status, _) = p
        .get(
            As::Anonymous,
            &format!(
                "/api/v1/aeo/certificates/{}",
                String::from_utf8(typo).unwrap()
            ),
        )
        .await;
    assert_eq!(status, 422, "a mistyped number fails its check character");
    let unknown = aeo::CertificateNumber::new(aeo::Grant::AeoC, 999_999).unwrap();
    assert_eq!(
        p.get(
            As::Anonymous,
            &format!("/api/v1/aeo/certificates/{}", unknown.as_str())
        )
        .await
        .1["status"],
        "unknown"
    );

    let v = certified["version"].as_i64().unwrap();
    let (status, suspended) = act(
        &p,
        As::Officer,
        &id,
        json!({"action": "suspend", "version": v,
        "reasons": "Seal log gaps found in a post-clearance audit; remedy plan due in 30 days."}),
    )
    .await;
    assert_eq!(status, 200, "{suspended}");
    assert_eq!(
        p.get(As::Anonymous, &format!("/api/v1/aeo/certificates/{number}"))
            .await
            .1["status"],
        "suspended"
    );
    assert!(
        p.get(As::Anonymous, "/api/v1/aeo/register")
            .await
            .1
            .as_array()
            .unwrap()
            .is_empty()
    );
    let (_, revoked) = act(
        &p,
        As::Officer,
        &id,
        json!({"action": "revoke", "version": suspended["version"],
        "reasons": "Remedy plan not delivered by its due date."}),
    )
    .await;
    assert_eq!(revoked["status"], "revoked");
    assert_eq!(
        p.get(As::Anonymous, &format!("/api/v1/aeo/certificates/{number}"))
            .await
            .1["status"],
        "revoked"
    );
    assert_eq!(
        p.post(As::Trader, "/api/v1/aeo/applications", favourable())
            .await
            .0,
        409,
        "three years before a new application"
    );

    let trail = p.store.audit_trail(&format!("aeo:{id}")).await.unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "aeo.submit",
            "aeo.accept",
            "aeo.start_document_review",
            "aeo.schedule_visit",
            "aeo.record_findings",
            "aeo.certify",
            "aeo.suspend",
            "aeo.revoke"
        ]
    );
    assert!(p.store.verify_audit(|_, _| {}).await.unwrap().is_intact());
    let (_, partners) = p.get(As::Anonymous, "/api/v1/aeo/partners").await;
    assert!(
        partners
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["country"] == "US")
    );
}

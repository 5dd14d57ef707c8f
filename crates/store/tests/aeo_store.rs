//! AEO storage tests, each run against SQLite and PostgreSQL for real.

use std::collections::BTreeMap;

use store::accounts::Company;
use store::aeo::{AeoChange, AeoRecord, CertificateGrant, NewAeoApplication};
use store::testing::fresh;
use store::{Backend, Store, StoreError};

const BACKENDS: [Backend; 2] = [Backend::Sqlite, Backend::Postgres];

async fn with_company(store: &Store, id: &str, name: &str) {
    let mut tx = store.write().await.unwrap();
    tx.create_company(
        "admin",
        &Company {
            id: id.into(),
            name: name.into(),
            kind: "trader".into(),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

fn roles() -> Vec<String> {
    vec!["importer".into(), "exporter".into()]
}

fn profile(name: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("legal_name".to_string(), name.to_string()),
        ("employees".to_string(), "42".to_string()),
    ])
}

const RESPONSES: &str = r#"{"s1.q1":{"answer":"yes","note":"ISO 28000"}}"#;

async fn submit(store: &Store, company: &str, consent: bool) -> AeoRecord {
    let mut tx = store.write().await.unwrap();
    let app = tx
        .create_aeo_application(
            "user:amy",
            NewAeoApplication {
                company_id: company,
                created_by: "amy",
                operator_roles: &roles(),
                profile: &profile(company),
                responses_json: RESPONSES,
                publish_consent: consent,
                status: "submitted",
                on_date: "2026-03-02",
            },
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    app
}

/// Moves an application to certified with the given certificate number.
async fn certify(store: &Store, app: &AeoRecord, number: &str) -> AeoRecord {
    let mut tx = store.write().await.unwrap();
    let mut change = AeoChange::new(&app.id, app.version, "certify", "certified", "2026-06-01");
    change.grant_kind = Some(Some("aeo_c"));
    change.certificate = Some(CertificateGrant {
        number,
        issued_on: "2026-06-01",
        expires_on: "2029-05-31",
    });
    let certified = tx.change_aeo("user:officer", change).await.unwrap();
    tx.commit().await.unwrap();
    certified
}

#[tokio::test]
async fn aeo_lifecycle_is_versioned_evented_and_audited() {
    for backend in BACKENDS {
        let store = fresh(backend).await;
        with_company(&store, "04595257", "Formosa Fruit Co.").await;
        let app = submit(&store, "04595257", true).await;
        assert_eq!(app.reference, "AEO-2026-000001", "{backend:?}");
        assert_eq!((app.status.as_str(), app.version), ("submitted", 1));

        let stored = store.aeo_application(&app.reference).await.unwrap();
        assert_eq!(stored.as_ref(), Some(&app), "{backend:?}: round trip");
        let by_id = store.aeo_application(&app.id).await.unwrap().unwrap();
        assert_eq!(by_id.operator_roles, roles());
        assert_eq!(by_id.profile["legal_name"], "04595257");
        assert_eq!(by_id.responses, RESPONSES);
        assert!(by_id.publish_consent);
        assert_eq!(by_id.approved_responses, None);
        assert!(store.aeo_application("nope").await.unwrap().is_none());

        // Document review: new answers, an assigned officer, a visit date.
        let mut tx = store.write().await.unwrap();
        let new_responses = r#"{"s1.q1":{"answer":"yes","note":"ISO 28000:2022"}}"#;
        let mut change = AeoChange::new(&app.id, 1, "accept", "document_review", "2026-03-05");
        change.message = Some("Complete; review begins.");
        change.responses_json = Some(new_responses);
        change.assigned_to = Some(Some("officer-1"));
        change.visit_date = Some(Some("2026-04-20"));
        let reviewed = tx.change_aeo("user:officer", change).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(reviewed.version, 2);
        assert_eq!(reviewed.assigned_to.as_deref(), Some("officer-1"));
        assert_eq!(reviewed.visit_date.as_deref(), Some("2026-04-20"));

        // A writer who read version 1 loses with Stale, and nothing changes.
        let mut tx = store.write().await.unwrap();
        let stale = tx
            .change_aeo(
                "user:other",
                AeoChange::new(&app.id, 1, "withdraw", "withdrawn", "2026-03-06"),
            )
            .await;
        assert!(
            matches!(stale, Err(StoreError::Stale { current: 2 })),
            "{backend:?}: {stale:?}"
        );
        drop(tx);
        let mut tx = store.write().await.unwrap();
        let missing = tx
            .change_aeo(
                "user:other",
                AeoChange::new("nope", 1, "withdraw", "withdrawn", "2026-03-06"),
            )
            .await;
        assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");
        drop(tx);

        // Certifying issues the certificate and snapshots the answers it was granted on.
        let mut tx = store.write().await.unwrap();
        let serial = tx.next_certificate_serial().await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(serial, 1);
        let number = format!("TW-AEO-{serial:06}");
        let certified = certify(&store, &reviewed, &number).await;
        assert_eq!(
            (certified.status.as_str(), certified.version),
            ("certified", 3)
        );
        assert_eq!(
            certified.certificate_number.as_deref(),
            Some(number.as_str())
        );
        assert_eq!(certified.issued_on.as_deref(), Some("2026-06-01"));
        assert_eq!(certified.expires_on.as_deref(), Some("2029-05-31"));
        assert_eq!(certified.grant_kind.as_deref(), Some("aeo_c"));
        assert_eq!(certified.approved_responses.as_deref(), Some(new_responses));
        assert_eq!(certified.assigned_to.as_deref(), Some("officer-1"), "kept");
        assert_eq!(
            store.aeo_application(&app.id).await.unwrap().as_ref(),
            Some(&certified)
        );

        // Reassessment edits the answers; the approved snapshot stays for the diff.
        let mut tx = store.write().await.unwrap();
        let mut change = AeoChange::new(&app.id, 3, "reassess", "reassessment", "2027-06-01");
        change.responses_json = Some(RESPONSES);
        change.assigned_to = Some(None);
        let reassessing = tx.change_aeo("user:officer", change).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(reassessing.responses, RESPONSES);
        assert_eq!(
            reassessing.approved_responses.as_deref(),
            Some(new_responses)
        );
        assert_eq!(reassessing.assigned_to, None, "cleared");
        assert_eq!(reassessing.certificate_number, certified.certificate_number);

        let found = store.aeo_by_certificate(&number).await.unwrap().unwrap();
        assert_eq!(found.id, app.id);
        assert!(
            store
                .aeo_by_certificate("TW-AEO-999999")
                .await
                .unwrap()
                .is_none()
        );

        let events = store.aeo_events(&app.id).await.unwrap();
        let steps: Vec<_> = events
            .iter()
            .map(|e| {
                (
                    e.seq,
                    e.action.as_str(),
                    e.from_status.as_deref(),
                    e.to_status.as_str(),
                )
            })
            .collect();
        assert_eq!(
            steps,
            [
                (1, "submit", None, "submitted"),
                (2, "accept", Some("submitted"), "document_review"),
                (3, "certify", Some("document_review"), "certified"),
                (4, "reassess", Some("certified"), "reassessment"),
            ],
            "{backend:?}"
        );
        assert_eq!(
            events[1].message.as_deref(),
            Some("Complete; review begins.")
        );
        assert_eq!(events[2].on_date, "2026-06-01");
        assert_eq!(events[0].actor, "user:amy");

        let trail = store.audit_trail(&format!("aeo:{}", app.id)).await.unwrap();
        let actions: Vec<_> = trail.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            ["aeo.submit", "aeo.accept", "aeo.certify", "aeo.reassess"]
        );
        assert!(trail[0].before.is_none());
        assert!(!trail[2].before.as_deref().unwrap().contains(&number));
        assert!(trail[2].after.as_deref().unwrap().contains(&number));
        assert!(store.verify_audit(|_, _| {}).await.unwrap().is_intact());
    }
}

#[tokio::test]
async fn register_and_lists_respect_consent_and_company() {
    for backend in BACKENDS {
        let store = fresh(backend).await;
        with_company(&store, "04595257", "Formosa Fruit Co.").await;
        with_company(&store, "22099131", "Harbour Logistics").await;
        with_company(&store, "12345675", "Quiet Metals").await;
        let formosa = submit(&store, "04595257", true).await;
        let harbour = submit(&store, "22099131", true).await;
        let quiet = submit(&store, "12345675", false).await;
        let _pending = submit(&store, "04595257", true).await;
        assert_eq!(harbour.reference, "AEO-2026-000002");

        // Certified in the opposite order of their numbers: the register sorts by number.
        certify(&store, &harbour, "TW-AEO-000002").await;
        certify(&store, &formosa, "TW-AEO-000001").await;
        certify(&store, &quiet, "TW-AEO-000003").await;

        let register = store.public_aeo_register().await.unwrap();
        let listed: Vec<_> = register
            .iter()
            .map(|r| r.certificate_number.as_deref().unwrap())
            .collect();
        assert_eq!(
            listed,
            ["TW-AEO-000001", "TW-AEO-000002"],
            "{backend:?}: only consenting certified holders"
        );

        // A second holder cannot be given a number already issued.
        let pending = store
            .aeo_application("AEO-2026-000004")
            .await
            .unwrap()
            .unwrap();
        let mut tx = store.write().await.unwrap();
        let mut change = AeoChange::new(&pending.id, 1, "certify", "certified", "2026-06-02");
        change.certificate = Some(CertificateGrant {
            number: "TW-AEO-000001",
            issued_on: "2026-06-02",
            expires_on: "2029-06-01",
        });
        let duplicate = tx.change_aeo("user:officer", change).await;
        assert!(
            matches!(duplicate, Err(StoreError::Duplicate(_))),
            "{backend:?}: {duplicate:?}"
        );
        drop(tx);

        let (all, total) = store.list_aeo(None, None, 10, 0).await.unwrap();
        assert_eq!((all.len(), total), (4, 4), "staff see all");

        let mine = ["04595257".to_string()];
        let (own, total) = store.list_aeo(Some(&mine), None, 10, 0).await.unwrap();
        assert_eq!(total, 2);
        assert!(own.iter().all(|r| r.company_id == "04595257"));

        let (certified, total) = store
            .list_aeo(Some(&mine), Some("certified"), 10, 0)
            .await
            .unwrap();
        assert_eq!((certified.len(), total), (1, 1));
        assert_eq!(certified[0].id, formosa.id);

        let (page, total) = store.list_aeo(None, None, 1, 1).await.unwrap();
        assert_eq!((page.len(), total), (1, 4), "paged, total counts all");

        let (none, total) = store.list_aeo(Some(&[]), None, 10, 0).await.unwrap();
        assert!(none.is_empty() && total == 0, "no companies, nothing");
        let others = ["99999999".to_string()];
        let (none, total) = store.list_aeo(Some(&others), None, 10, 0).await.unwrap();
        assert!(
            none.is_empty() && total == 0,
            "another company's stay hidden"
        );
        assert!(store.verify_audit(|_, _| {}).await.unwrap().is_intact());
    }
}

//! Storage tests, each run against SQLite and PostgreSQL for real.

use std::collections::BTreeMap;

use auth::Role;
use store::accounts::{ApiKeyRecord, Company, NewUser};
use store::applications::{ApplicationFilter, NewApplication, QueueOrder, StatusChange};
use store::attachments::NewAttachment;
use store::testing::fresh;
use store::{Backend, Store, StoreError};

const BACKENDS: [Backend; 2] = [Backend::Sqlite, Backend::Postgres];

async fn with_trader(store: &Store) -> String {
    let mut tx = store.write().await.unwrap();
    tx.create_company(
        "admin",
        &Company {
            id: "04595257".into(),
            name: "Formosa Fruit Co.".into(),
            kind: "trader".into(),
        },
    )
    .await
    .unwrap();
    let user = tx
        .create_user(
            "admin",
            NewUser {
                email: "Amy@Formosa.example",
                display_name: "Amy",
                password_hash: "$argon2id$not-checked-here",
                role: Role::Trader,
                company_id: Some("04595257"),
            },
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    user.id
}

fn fields(description: &str) -> BTreeMap<String, String> {
    BTreeMap::from([("goods_description".to_string(), description.to_string())])
}

#[tokio::test]
async fn accounts_sessions_keys_and_mandates() {
    for backend in BACKENDS {
        let store = fresh(backend).await;
        let user_id = with_trader(&store).await;
        let (user, hash) = store
            .user_for_login(" amy@formosa.EXAMPLE ")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(user.id, user_id);
        assert_eq!(user.company_id.as_deref(), Some("04595257"));
        assert!(hash.starts_with("$argon2id$"));

        // The same e-mail twice is a duplicate, and the failed transaction leaves nothing.
        let mut tx = store.write().await.unwrap();
        let again = tx
            .create_user(
                "admin",
                NewUser {
                    email: "amy@formosa.example",
                    display_name: "Amy 2",
                    password_hash: "x",
                    role: Role::Trader,
                    company_id: None,
                },
            )
            .await;
        assert!(
            matches!(again, Err(StoreError::Duplicate(_))),
            "{backend:?}: {again:?}"
        );
        drop(tx);

        let mut tx = store.write().await.unwrap();
        tx.create_session(&user_id, "live", "2999-01-01T00:00:00.000000Z")
            .await
            .unwrap();
        tx.create_session(&user_id, "old", "2000-01-01T00:00:00.000000Z")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            store.session_user("live").await.unwrap().unwrap().id,
            user_id
        );
        assert!(
            store.session_user("old").await.unwrap().is_none(),
            "expired"
        );
        assert!(store.session_user("nope").await.unwrap().is_none());

        let key = ApiKeyRecord {
            id: "00112233aabbccdd".into(),
            secret_hash: auth::digest("s3cret"),
            name: "registry".into(),
            role: Role::Agency,
            company_id: None,
            scopes: vec!["aeo:verify".into(), "vehicles:read".into()],
            created_by: "user:admin".into(),
            created_at: store::now(),
            revoked_at: None,
        };
        let mut tx = store.write().await.unwrap();
        tx.create_api_key("user:admin", &key).await.unwrap();
        tx.commit().await.unwrap();
        let loaded = store.api_key(&key.id).await.unwrap().unwrap();
        assert_eq!(loaded.scopes, key.scopes);
        assert_eq!(loaded.secret_hash, key.secret_hash);
        let mut tx = store.write().await.unwrap();
        tx.revoke_api_key("user:admin", &key.id).await.unwrap();
        assert!(matches!(
            tx.revoke_api_key("user:admin", &key.id).await,
            Err(StoreError::NotFound)
        ));
        drop(tx);

        let mut tx = store.write().await.unwrap();
        tx.create_company(
            "admin",
            &Company {
                id: "22099131".into(),
                name: "Harbour Brokers".into(),
                kind: "broker".into(),
            },
        )
        .await
        .unwrap();
        tx.grant_mandate("user:amy", "22099131", "04595257")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(store.has_mandate("22099131", "04595257").await.unwrap());
        assert_eq!(
            store.clients_of("22099131").await.unwrap(),
            vec!["04595257"]
        );
        let mut tx = store.write().await.unwrap();
        tx.revoke_mandate("user:amy", "22099131", "04595257")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert!(!store.has_mandate("22099131", "04595257").await.unwrap());
        assert!(store.verify_audit(|_, _| {}).await.unwrap().is_intact());
    }
}

#[tokio::test]
async fn stale_updates_are_refused_and_history_is_kept() {
    for backend in BACKENDS {
        let store = fresh(backend).await;
        let user = with_trader(&store).await;
        let actor = format!("user:{user}");
        let mut tx = store.write().await.unwrap();
        let app = tx
            .create_application(
                &actor,
                NewApplication {
                    kind: "advance_ruling",
                    company_id: "04595257",
                    filed_by_company: None,
                    created_by: &user,
                    fields: &fields("dried figs"),
                    on_date: "2026-12-04",
                },
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(app.reference, "EA-2026-000001");
        assert_eq!((app.status.as_str(), app.version), ("draft", 1));

        let mut tx = store.write().await.unwrap();
        let edited = tx
            .update_application_fields(&actor, &app.id, 1, &fields("dried figs, whole"))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(edited.version, 2);

        // A second writer who read version 1 loses with Stale, not silently.
        let mut tx = store.write().await.unwrap();
        let stale = tx
            .update_application_fields(&actor, &app.id, 1, &fields("figs"))
            .await;
        assert!(
            matches!(stale, Err(StoreError::Stale { current: 2 })),
            "{stale:?}"
        );
        drop(tx);

        let mut tx = store.write().await.unwrap();
        let submitted = tx
            .change_application_status(
                &actor,
                StatusChange {
                    id: &app.id,
                    expected_version: 2,
                    action: "submit",
                    to_status: "submitted",
                    message: None,
                    decision_code: None,
                    decision_reasons: None,
                    on_date: "2026-12-04",
                },
            )
            .await
            .unwrap();
        tx.notify_company(
            "04595257",
            &app.reference,
            "Your application was submitted.",
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            (submitted.status.as_str(), submitted.version),
            ("submitted", 3)
        );
        let stored = store.application(&app.reference).await.unwrap().unwrap();
        assert_eq!(stored.fields["goods_description"], "dried figs, whole");

        let events = store.application_events(&app.id).await.unwrap();
        let path: Vec<_> = events.iter().map(|e| e.to_status.as_str()).collect();
        assert_eq!(path, ["draft", "submitted"]);
        assert_eq!(store.notifications("04595257", 10).await.unwrap().len(), 1);
        let outbox = store.outbox(10).await.unwrap();
        assert_eq!(outbox.len(), 1);
        assert_eq!(outbox[0].to_address, "amy@formosa.example");

        let trail = store
            .audit_trail(&format!("application:{}", app.id))
            .await
            .unwrap();
        let actions: Vec<_> = trail.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            [
                "application.create",
                "application.edit",
                "application.submit"
            ]
        );
        assert!(trail[1].before.as_deref().unwrap().contains("dried figs\""));
        assert!(
            trail[1]
                .after
                .as_deref()
                .unwrap()
                .contains("dried figs, whole")
        );

        let (queue, total) = store
            .list_applications(&ApplicationFilter {
                exclude_drafts: true,
                order: QueueOrder::OldestFirst,
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!((queue.len(), total), (1, 1));
        let (none, total) = store
            .list_applications(&ApplicationFilter {
                companies: Some(vec!["22099131".into()]),
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(
            none.is_empty() && total == 0,
            "another company's cases stay hidden"
        );
    }
}

#[tokio::test]
async fn attachments_are_content_addressed_and_checked() {
    for backend in BACKENDS {
        let store = fresh(backend).await;
        let user = with_trader(&store).await;
        let mut tx = store.write().await.unwrap();
        let content = b"%PDF-1.7 spec sheet".to_vec();
        let a = tx
            .add_attachment(
                &user,
                NewAttachment {
                    owner_kind: "application",
                    owner_id: "x",
                    filename: "spec.pdf",
                    media_type: "application/pdf",
                    content: &content,
                    confidential: true,
                },
            )
            .await
            .unwrap();
        let b = tx
            .add_attachment(
                &user,
                NewAttachment {
                    owner_kind: "application",
                    owner_id: "x",
                    filename: "copy.pdf",
                    media_type: "application/pdf",
                    content: &content,
                    confidential: false,
                },
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(a.sha256, b.sha256, "one blob for identical content");
        let (meta, bytes) = store.attachment_content(&a.id).await.unwrap();
        assert_eq!(bytes, content);
        assert!(meta.confidential);
        assert_eq!(
            store.attachments("application", "x").await.unwrap().len(),
            2
        );

        sqlx::query("UPDATE attachment_blobs SET content = 'QUJD'")
            .execute(store.pool())
            .await
            .unwrap();
        assert!(matches!(
            store.attachment_content(&a.id).await,
            Err(StoreError::Corrupt(_))
        ));
    }
}

#[tokio::test]
async fn audit_verify_finds_edits_deletions_and_truncation() {
    for backend in BACKENDS {
        let store = fresh(backend).await;
        with_trader(&store).await;
        let clean = store.verify_audit(|_, _| {}).await.unwrap();
        assert!(clean.is_intact());
        assert_eq!(clean.entries, 2);

        sqlx::query("UPDATE audit_log SET actor = 'someone-else' WHERE seq = 2")
            .execute(store.pool())
            .await
            .unwrap();
        let edited = store.verify_audit(|_, _| {}).await.unwrap();
        assert_eq!(edited.broken_at, Some(2), "{edited:?}");

        let store = fresh(backend).await;
        with_trader(&store).await;
        sqlx::query("DELETE FROM audit_log WHERE seq = 2")
            .execute(store.pool())
            .await
            .unwrap();
        let truncated = store.verify_audit(|_, _| {}).await.unwrap();
        assert_eq!(truncated.broken_at, Some(2), "{truncated:?}");

        let store = fresh(backend).await;
        with_trader(&store).await;
        sqlx::query("DELETE FROM audit_log WHERE seq = 1")
            .execute(store.pool())
            .await
            .unwrap();
        let head_cut = store.verify_audit(|_, _| {}).await.unwrap();
        assert_eq!(head_cut.broken_at, Some(1), "{head_cut:?}");
    }
}

#[tokio::test]
async fn concurrent_writers_keep_one_linear_chain() {
    for backend in BACKENDS {
        let store = fresh(backend).await;
        let user = with_trader(&store).await;
        let mut tasks = Vec::new();
        for i in 0..16 {
            let store = store.clone();
            let user = user.clone();
            tasks.push(tokio::spawn(async move {
                let mut tx = store.write().await.unwrap();
                tx.create_application(
                    &user,
                    NewApplication {
                        kind: "duty_refund",
                        company_id: "04595257",
                        filed_by_company: None,
                        created_by: &user,
                        fields: &fields(&format!("case {i}")),
                        on_date: "2026-12-07",
                    },
                )
                .await
                .unwrap();
                tx.commit().await.unwrap();
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let verification = store.verify_audit(|_, _| {}).await.unwrap();
        assert!(verification.is_intact(), "{backend:?}: {verification:?}");
        assert_eq!(verification.entries, 2 + 16);
        let (apps, _) = store
            .list_applications(&ApplicationFilter {
                limit: 100,
                ..Default::default()
            })
            .await
            .unwrap();
        let mut refs: Vec<_> = apps.iter().map(|a| a.reference.clone()).collect();
        refs.sort();
        refs.dedup();
        assert_eq!(refs.len(), 16, "references are unique");
    }
}

#[tokio::test]
async fn rejects_unknown_database_urls() {
    assert!(matches!(
        Store::connect("mysql://localhost/x").await,
        Err(StoreError::Url(_))
    ));
}

//! Accounts: registration, sign-in with throttling, cookie sessions with CSRF, API keys,
//! rate limits, and the audit log behind them.

use reqwest::Method;
use reqwest::header::{COOKIE, RETRY_AFTER, SET_COOKIE};
use serde_json::json;

use crate::harness::{As, Options, PASSWORD, start};

#[tokio::test]
async fn register_sign_in_and_out() {
    let p = start(Options::default()).await;
    let (status, body) = p
        .post(
            As::Anonymous,
            "/api/v1/auth/register",
            json!({"business_id": "12345675", "company_name": "Tainan Tea", "email": "Lin@Tainan.example",
                   "display_name": "Lin", "password": "a long enough secret"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["role"], "trader");
    assert!(
        body.get("password_hash").is_none(),
        "hashes never leave the server"
    );

    // A bad business ID names the field; a registered company cannot be taken over.
    let (status, body) = p
        .post(
            As::Anonymous,
            "/api/v1/auth/register",
            json!({"business_id": "12345678", "company_name": "X",
              "email": "x@x.example", "display_name": "X", "password": "a long enough secret"}),
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        body["detail"].as_str().unwrap().starts_with("business_id"),
        "{body}"
    );
    let (status, _) = p
        .post(
            As::Anonymous,
            "/api/v1/auth/register",
            json!({"business_id": "12345675", "company_name": "Y",
              "email": "y@y.example", "display_name": "Y", "password": "a long enough secret"}),
        )
        .await;
    assert_eq!(status, 409);

    let login = p
        .call(
            As::Anonymous,
            Method::POST,
            "/api/v1/auth/login",
            Some(json!({"email": "lin@tainan.example", "password": "a long enough secret"})),
        )
        .await;
    assert_eq!(login.status(), 200);
    let cookie = login.headers()[SET_COOKIE].to_str().unwrap().to_string();
    for attribute in ["HttpOnly", "Secure", "SameSite=Strict"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    let body: serde_json::Value = login.json().await.unwrap();
    let token = body["token"].as_str().unwrap().to_string();
    let csrf = body["csrf_token"].as_str().unwrap().to_string();

    // The cookie session works for reads; unsafe requests need the CSRF token.
    let session_cookie = format!("customs_session={token}");
    let me = p
        .server
        .client
        .get(p.server.url("/api/v1/me"))
        .header(COOKIE, &session_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    let me: serde_json::Value = me.json().await.unwrap();
    assert_eq!(
        (me["role"].as_str(), me["company"].as_str()),
        (Some("trader"), Some("12345675"))
    );
    let create = json!({"kind": "advance_ruling", "fields": {"goods_description": "green tea"}});
    let forged = p
        .server
        .client
        .post(p.server.url("/api/v1/applications"))
        .header(COOKIE, &session_cookie)
        .json(&create)
        .send()
        .await
        .unwrap();
    assert_eq!(
        forged.status(),
        403,
        "a cross-site POST riding the cookie is refused"
    );
    let genuine = p
        .server
        .client
        .post(p.server.url("/api/v1/applications"))
        .header(COOKIE, &session_cookie)
        .header("X-CSRF-Token", &csrf)
        .json(&create)
        .send()
        .await
        .unwrap();
    assert_eq!(genuine.status(), 201);

    let out = p
        .server
        .client
        .post(p.server.url("/api/v1/auth/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    let after = p
        .server
        .client
        .get(p.server.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 401, "a signed-out session is dead");

    let trail = p.store.audit_recent(50).await.unwrap();
    assert!(trail.iter().any(|e| e.action == "session.login"));
    assert!(
        trail
            .iter()
            .all(|e| !format!("{e:?}").contains("a long enough secret")),
        "secrets never reach the audit log"
    );
    assert!(trail.iter().all(|e| !format!("{e:?}").contains(&token)));
}

#[tokio::test]
async fn failed_sign_ins_are_throttled_per_account() {
    let p = start(Options::default()).await;
    for _ in 0..5 {
        let (status, _) = p
            .post(
                As::Anonymous,
                "/api/v1/auth/login",
                json!({"email": "amy@formosa.example", "password": "wrong password!"}),
            )
            .await;
        assert_eq!(status, 401);
    }
    let res = p
        .call(
            As::Anonymous,
            Method::POST,
            "/api/v1/auth/login",
            Some(json!({"email": "amy@formosa.example", "password": PASSWORD})),
        )
        .await;
    assert_eq!(
        res.status(),
        429,
        "even the right password waits out the lockout"
    );
    let wait: u64 = res.headers()[RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait > 0 && wait <= 15 * 60);
    // Another account from elsewhere is not locked.
    let (status, _) = p
        .post(
            As::Anonymous,
            "/api/v1/auth/login",
            json!({"email": "ken@keelung.example", "password": PASSWORD}),
        )
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn api_keys_are_scoped_shown_once_and_revocable() {
    let p = start(Options::default()).await;
    let (status, body) = p
        .post(
            As::Admin,
            "/api/v1/admin/api-keys",
            json!({"name": "tax agency", "scopes": ["aeo:verify", "launch:missiles"]}),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let (status, key) = p
        .post(
            As::Admin,
            "/api/v1/admin/api-keys",
            json!({"name": "tax agency", "scopes": ["aeo:verify"]}),
        )
        .await;
    assert_eq!(status, 201, "{key}");
    let token = key["token"].as_str().unwrap();
    assert!(token.starts_with("ck_"));
    let stored = p
        .store
        .api_key(key["id"].as_str().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(
        !stored.secret_hash.contains(&token[20..]),
        "only a digest is stored"
    );

    let me = p
        .server
        .client
        .get(p.server.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    // The key lacks applications:read.
    let denied = p
        .server
        .client
        .get(p.server.url("/api/v1/applications"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), 403);
    let tampered = format!("{}x", &token[..token.len() - 1]);
    let bad = p
        .server
        .client
        .get(p.server.url("/api/v1/me"))
        .bearer_auth(&tampered)
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 401);

    let (status, _) = p
        .json(
            As::Admin,
            Method::DELETE,
            &format!("/api/v1/admin/api-keys/{}", key["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert_eq!(status, 204);
    let revoked = p
        .server
        .client
        .get(p.server.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 401);
}

#[tokio::test]
async fn clients_over_their_rate_get_429_with_retry_after() {
    let p = start(Options {
        requests_per_minute: 3,
        ..Options::default()
    })
    .await;
    for _ in 0..3 {
        assert_eq!(p.get(As::Trader, "/api/v1/me").await.0, 200);
    }
    let res = p.call(As::Trader, Method::GET, "/api/v1/me", None).await;
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key(RETRY_AFTER));
    // Limits are per client: another caller still gets through.
    assert_eq!(p.get(As::Officer, "/api/v1/me").await.0, 200);
}

#[tokio::test]
async fn staff_read_and_verify_the_audit_log() {
    let p = start(Options::default()).await;
    let (status, verification) = p.get(As::Officer, "/api/v1/audit/verify").await;
    assert_eq!(status, 200);
    assert_eq!(verification["broken_at"], serde_json::Value::Null);
    assert!(verification["entries"].as_i64().unwrap() >= 10);
    sqlx_tamper(&p.store).await;
    let (_, verification) = p.get(As::Admin, "/api/v1/audit/verify").await;
    assert_eq!(verification["broken_at"], 3);
}

async fn sqlx_tamper(store: &store::Store) {
    let mut tx = store.pool().begin().await.unwrap();
    sqlx::query("UPDATE audit_log SET object = 'company:00000000' WHERE seq = 3")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

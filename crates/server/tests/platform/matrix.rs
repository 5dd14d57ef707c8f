//! Every declared endpoint against every role: allowed callers get through the guard,
//! others get 401 (anonymous) or 403 — and a public instance does not mount the private ones.

use reqwest::Method;
use serde_json::json;
use settings::Profile;

use crate::harness::{As, BROKER_CO, Options, start};
use server::platform::{Deploy, ENDPOINTS, Endpoint};

fn concrete(path: &str) -> String {
    path.replace("{id}", "no-such-id")
        .replace("{broker}", BROKER_CO)
        .replace("{attachment}", "no-such-attachment")
        .replace("{number}", "TWAEOC0000010")
}

/// The scopes the harness's agency key carries.
const AGENCY_SCOPES: [&str; 2] = ["aeo:verify", "applications:read"];

fn method(e: &Endpoint) -> Method {
    Method::from_bytes(e.method.as_bytes()).unwrap()
}

#[tokio::test]
async fn every_endpoint_admits_exactly_its_roles() {
    let p = start(Options::default()).await;
    // Signing out ends the session the other rows use: walk it last.
    let mut endpoints: Vec<&Endpoint> = ENDPOINTS.iter().collect();
    endpoints.sort_by_key(|e| e.path == "/api/v1/auth/logout");
    let mut checked = 0;
    for e in endpoints {
        for who in As::ALL {
            let body = (e.method != "GET").then(|| json!({}));
            let res = p.call(who, method(e), &concrete(e.path), body).await;
            let status = res.status().as_u16();
            let scopes_ok = match e.access {
                auth::Access::Roles(_, Some(scope)) if who == As::Agency => {
                    AGENCY_SCOPES.contains(&scope)
                }
                _ => true,
            };
            let admitted = e.access.admits(who.role()) && scopes_ok;
            if admitted {
                assert!(
                    status != 401 && status != 403,
                    "{who:?} {} {} should pass the guard, got {status}: {}",
                    e.method,
                    e.path,
                    res.text().await.unwrap()
                );
            } else {
                let expected = if who == As::Anonymous { 401 } else { 403 };
                assert_eq!(status, expected, "{who:?} {} {}", e.method, e.path);
                let ct = res.headers()[reqwest::header::CONTENT_TYPE]
                    .to_str()
                    .unwrap()
                    .to_string();
                assert_eq!(ct, "application/problem+json");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, ENDPOINTS.len() * As::ALL.len());
}

#[tokio::test]
async fn a_public_instance_does_not_mount_private_endpoints() {
    let p = start(Options {
        profile: Profile::Public,
        ..Options::default()
    })
    .await;
    let mut private = 0;
    for e in ENDPOINTS {
        let path = concrete(e.path);
        let (status, body) = p.json(As::Admin, method(e), &path, None).await;
        let unmounted = status == 404 && body["detail"] == format!("No API resource at {path}.");
        if e.deploy == Deploy::Private {
            private += 1;
            assert!(
                unmounted,
                "{} {} is mounted on a public instance: {status}",
                e.method, e.path
            );
        } else {
            assert!(
                !unmounted,
                "{} {} is missing from a public instance",
                e.method, e.path
            );
        }
    }
    assert!(private >= 5);
}

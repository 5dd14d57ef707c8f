//! Every declared endpoint against every role: allowed callers get through the guard,
//! others get 401 (anonymous) or 403 — and a public instance does not mount the private ones.

use reqwest::Method;
use serde_json::json;
use settings::Profile;

use crate::harness::{As, BROKER_CO, Options, Platform, start};
use server::platform::{Deploy, ENDPOINTS, Endpoint};

fn concrete(path: &str) -> String {
    path.replace("{id}", "no-such-id")
        .replace("{broker}", BROKER_CO)
        .replace("{attachment}", "no-such-attachment")
        .replace("{number}", "TWAEOC0000010")
        .replace("{vin}", "1HGCM82633A004352")
        .replace("{dataset}", "vehicle-imports")
        .replace("{name}", "no-such-set")
        .replace("{version}", "v1")
        .replace("{file}", "vehicle-imports-v1.csv")
}

/// The scopes the harness's agency key carries.
const AGENCY_SCOPES: [&str; 2] = ["aeo:verify", "applications:read"];

fn method(e: &Endpoint) -> Method {
    Method::from_bytes(e.method.as_bytes()).unwrap()
}

#[tokio::test]
async fn every_endpoint_admits_exactly_its_roles() {
    // Signing out ends the session the other rows use: each sign-out gets its own server.
    let (logouts, others): (Vec<&Endpoint>, Vec<&Endpoint>) =
        ENDPOINTS.iter().partition(|e| e.path.ends_with("logout"));
    let p = start(Options::default()).await;
    for e in others {
        check_every_role(&p, e).await;
    }
    for e in logouts {
        check_every_role(&start(Options::default()).await, e).await;
    }
}

async fn check_every_role(p: &Platform, e: &Endpoint) {
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
        } else if e.path.starts_with("/api/") {
            let expected = if who == As::Anonymous { 401 } else { 403 };
            assert_eq!(status, expected, "{who:?} {} {}", e.method, e.path);
            let ct = res.headers()[reqwest::header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .to_string();
            assert_eq!(ct, "application/problem+json");
        } else if who == As::Anonymous {
            // Pages send anonymous visitors to sign in, and back afterwards.
            assert_eq!(status, 303, "{} {}", e.method, e.path);
            let location = res.headers()["location"].to_str().unwrap();
            assert!(location.starts_with("/login?next="), "{location}");
        } else {
            assert_eq!(status, 403, "{who:?} {} {}", e.method, e.path);
        }
    }
}

#[tokio::test]
async fn a_public_instance_does_not_mount_private_endpoints() {
    let p = start(Options {
        profile: Profile::Public,
        ..Options::default()
    })
    .await;
    let mut private = 0;
    // Signing out would end the session the other rows use.
    for e in ENDPOINTS.iter().filter(|e| !e.path.ends_with("logout")) {
        let path = concrete(e.path);
        let (status, body) = p.json(As::Admin, method(e), &path, None).await;
        // The fallback answers what is not mounted: a problem for the API, a page otherwise;
        // where the path serves other methods, the router answers 405.
        let unmounted = (status == 404
            && (!path.starts_with("/api/")
                || body["detail"] == format!("No API resource at {path}.")))
            || status == 405;
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

#[tokio::test]
async fn the_openapi_document_lists_every_mounted_api_endpoint_with_its_roles() {
    for profile in [Profile::Private, Profile::Public] {
        let p = start(Options {
            profile,
            ..Options::default()
        })
        .await;
        let (status, doc) = p.get(As::Anonymous, "/api/v1/openapi.json").await;
        assert_eq!(status, 200);
        for e in ENDPOINTS.iter().filter(|e| e.path.starts_with("/api/")) {
            let op = &doc["paths"][e.path][e.method.to_lowercase()];
            let mounted = profile == Profile::Private || e.deploy == Deploy::Both;
            assert_eq!(
                op.is_object(),
                mounted,
                "{profile:?} {} {}",
                e.method,
                e.path
            );
            if mounted && e.access != auth::Access::Public {
                assert!(
                    op["description"].as_str().unwrap().contains("Roles")
                        || op["description"].as_str().unwrap().contains("signed-in")
                );
                assert!(op["security"].is_array(), "{} {}", e.method, e.path);
            }
        }
        assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    }
}

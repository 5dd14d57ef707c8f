//! The hybrid cloud: one codebase, two profiles. A public instance does not mount internal
//! routes at all.

mod common;

use common::start;
use settings::Profile;

#[tokio::test]
async fn a_public_instance_does_not_mount_internal_routes() {
    let public = start(Profile::Public).await;
    let res = public.get("/internal/status").await;
    assert_eq!(res.status(), 404);
    // The public site itself is there, without links to the analysts' pages.
    assert_eq!(public.get("/api/v1/sections").await.status(), 200);
    let home = public.get("/").await.text().await.unwrap();
    assert!(!home.contains("href=\"/datasets\""));
}

#[tokio::test]
async fn a_private_instance_mounts_them() {
    let private = start(Profile::Private).await;
    let home = private.get("/").await.text().await.unwrap();
    assert!(
        home.contains("href=\"/datasets\""),
        "the private header links data sets"
    );
    let (status, body) = private.json("/internal/status").await;
    assert_eq!(status, 200);
    assert_eq!(body["profile"], "private");
    assert_eq!(body["index_documents"], 6939);
    assert_eq!(body["data_digest"].as_str().unwrap().len(), 64);
}

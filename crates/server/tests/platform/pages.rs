//! The AEO pages as a browser uses them (cookie session, forms with the CSRF token, a
//! multipart upload), over real HTTP.

use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION};
use serde_json::Value;

use crate::harness::{As, Options, Platform, start};

fn cookie(p: &Platform, who: As) -> String {
    p.token(who)
        .map_or_else(String::new, |t| format!("customs_session={t}"))
}

async fn csrf(p: &Platform, who: As) -> String {
    let (_, me) = p.get(who, "/api/v1/me").await;
    me["csrf_token"].as_str().unwrap().to_string()
}

async fn form(p: &Platform, who: As, path: &str, pairs: &[(String, String)]) -> reqwest::Response {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    p.server
        .client
        .post(p.server.url(path))
        .header(COOKIE, cookie(p, who))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn page_text(p: &Platform, who: As, path: &str) -> (u16, String) {
    let res = p
        .server
        .client
        .get(p.server.url(path))
        .header(COOKIE, cookie(p, who))
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn an_operator_applies_and_an_officer_certifies_through_the_aeo_pages() {
    let p = start(Options::default()).await;
    let token = csrf(&p, As::Trader).await;

    // Upload evidence as a browser does: multipart, CSRF token in the action's query.
    let boundary = "XyZ123";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"manual.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7 manual\r\n--{boundary}--\r\n"
    );
    let upload = |csrf: String| {
        p.server
            .client
            .post(p.server.url(&format!("/aeo/evidence?csrf={csrf}")))
            .header(COOKIE, cookie(&p, As::Trader))
            .header(
                CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body.clone())
            .send()
    };
    assert_eq!(upload("forged".into()).await.unwrap().status(), 403);
    let res = upload(token.clone()).await.unwrap();
    assert_eq!(res.status(), 303);
    let (_, home) = page_text(&p, As::Trader, "/aeo").await;
    assert!(home.contains("manual.pdf"), "the upload is listed");
    let evidence = p
        .store
        .attachments("aeo-evidence", crate::harness::TRADER_CO)
        .await
        .unwrap();
    let evidence_id = evidence[0].id.clone();

    // The self-assessment form: one field per applicable question.
    let (status, form_page) = page_text(&p, As::Trader, "/aeo/apply").await;
    assert_eq!(status, 200);
    assert!(form_page.contains("name=\"q.cr.1\""));
    let mut pairs: Vec<(String, String)> = vec![
        ("csrf".into(), token.clone()),
        ("role".into(), "importer".into()),
        ("consent".into(), "yes".into()),
    ];
    for (name, _) in [
        ("legal_name", ""),
        ("address", ""),
        ("contact_email", ""),
        ("employees", ""),
        ("customs_declarations_last_year", ""),
    ] {
        pairs.push((format!("profile.{name}"), "Formosa Fruit, 120, 2400".into()));
    }
    let roles = [aeo::OperatorRole::Importer];
    for q in aeo::questions().iter().filter(|q| q.applies_to(&roles)) {
        let answer = match q.kind {
            aeo::AnswerKind::YesNo => {
                if q.favourable == Some(false) {
                    "no"
                } else {
                    "yes"
                }
            }
            aeo::AnswerKind::Number => "12",
            aeo::AnswerKind::Text => "Described in our manual.",
        };
        pairs.push((format!("q.{}", q.id), answer.into()));
        if q.evidence_required {
            pairs.push((format!("e.{}", q.id), evidence_id.clone()));
        }
    }
    let missing: Vec<_> = pairs
        .iter()
        .filter(|(k, _)| k != "q.cr.1")
        .cloned()
        .collect();
    let res = form(&p, As::Trader, "/aeo/apply", &missing).await;
    assert_eq!(res.status(), 422, "an unanswered question comes back");
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("responses.cr.1: unanswered")
    );
    let res = form(&p, As::Trader, "/aeo/apply", &pairs).await;
    assert_eq!(res.status(), 303);
    let case_url = res.headers()[LOCATION].to_str().unwrap().to_string();
    let id = case_url.rsplit('/').next().unwrap().to_string();

    // The officer walks it to a certificate through the case page's forms.
    let officer_token = csrf(&p, As::Officer).await;
    let (status, case_page) = page_text(&p, As::Officer, &case_url).await;
    assert_eq!(status, 200);
    assert!(case_page.contains("value=\"accept\""));
    for (action, extra) in [
        ("accept", None),
        ("start_document_review", None),
        ("certify", Some(("grant", "both"))),
    ] {
        let (_, record): (u16, Value) = p
            .get(As::Officer, &format!("/api/v1/aeo/applications/{id}"))
            .await;
        let mut pairs = vec![
            ("csrf".to_string(), officer_token.clone()),
            ("action".to_string(), action.to_string()),
            ("version".to_string(), record["version"].to_string()),
        ];
        if let Some((k, v)) = extra {
            pairs.push((k.to_string(), v.to_string()));
        }
        let res = form(&p, As::Officer, &format!("/aeo/cases/{id}/act"), &pairs).await;
        assert_eq!(res.status(), 303);
        assert_eq!(
            res.headers()[LOCATION],
            case_url.as_str(),
            "{action} succeeded"
        );
    }
    let (_, certified) = page_text(&p, As::Trader, &case_url).await;
    assert!(
        certified.contains("TWAEO"),
        "the certificate number is shown"
    );
    let (_, record) = p
        .get(As::Trader, &format!("/api/v1/aeo/applications/{id}"))
        .await;
    let number = record["certificate_number"].as_str().unwrap();
    let (status, verify) =
        page_text(&p, As::Anonymous, &format!("/aeo/verify?number={number}")).await;
    assert_eq!(status, 200);
    assert!(verify.contains("Valid") && verify.contains("Formosa Fruit Co."));
}

#[tokio::test]
async fn applicants_attach_files_from_the_case_page() {
    let p = start(Options::default()).await;
    let (_, draft) = p
        .post(
            As::Trader,
            "/api/v1/applications",
            serde_json::json!({"kind": "advance_ruling", "fields": {"goods_description": "kids' plastic mug"}}),
        )
        .await;
    let id = draft["id"].as_str().unwrap();
    let (_, page) = page_text(&p, As::Trader, &format!("/applications/{id}")).await;
    assert!(
        page.contains("enctype=\"multipart/form-data\""),
        "the case page offers an upload"
    );
    let token = csrf(&p, As::Trader).await;
    let boundary = "B0undary";
    // A PNG's signature is binary: build the bytes by hand.
    let mut bytes = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"confidential\"\r\n\r\nyes\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"mug.png\"\r\nContent-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    bytes.extend_from_slice(b"\x89PNG\r\n\x1a\nrest-of-image");
    bytes.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let res = p
        .server
        .client
        .post(
            p.server
                .url(&format!("/applications/{id}/attach?csrf={token}")),
        )
        .header(COOKIE, cookie(&p, As::Trader))
        .header(
            CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(bytes)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert!(
        res.headers()[LOCATION]
            .to_str()
            .unwrap()
            .contains("attached")
    );
    let stored = p.store.attachments("application", id).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert!(stored[0].confidential);
    assert_eq!(stored[0].media_type, "image/png");
}

#[tokio::test]
async fn officers_take_and_release_cases_from_the_case_page() {
    let p = start(Options::default()).await;
    let (_, draft) = p
        .post(
            As::Trader,
            "/api/v1/applications",
            serde_json::json!({"kind": "advance_ruling", "fields": {"goods_description": "kids' plastic mug", "intended_code": "3924.10"}}),
        )
        .await;
    let id = draft["id"].as_str().unwrap();
    let (status, _) = p
        .post(
            As::Trader,
            &format!("/api/v1/applications/{id}/actions"),
            serde_json::json!({"action": "submit", "version": 1}),
        )
        .await;
    assert_eq!(status, 200);
    let (_, page) = page_text(&p, As::Officer, &format!("/applications/{id}")).await;
    assert!(page.contains("Assign to me"));
    let token = csrf(&p, As::Officer).await;
    let take = vec![
        ("csrf".to_string(), token.clone()),
        ("version".to_string(), "2".to_string()),
        ("officer_id".to_string(), p.officer_id.clone()),
    ];
    let res = form(
        &p,
        As::Officer,
        &format!("/applications/{id}/assign"),
        &take,
    )
    .await;
    assert_eq!(res.status(), 303);
    let (_, case) = p
        .get(As::Officer, &format!("/api/v1/applications/{id}"))
        .await;
    assert_eq!(case["assigned_to"], p.officer_id.as_str());
    // A stale form (the old version) does not overwrite: the page says so.
    let res = form(
        &p,
        As::Officer,
        &format!("/applications/{id}/assign"),
        &take,
    )
    .await;
    assert!(
        res.headers()[LOCATION]
            .to_str()
            .unwrap()
            .contains("changed")
    );
    let release = vec![
        ("csrf".to_string(), token),
        ("version".to_string(), "3".to_string()),
        ("officer_id".to_string(), String::new()),
    ];
    form(
        &p,
        As::Officer,
        &format!("/applications/{id}/assign"),
        &release,
    )
    .await;
    let (_, case) = p
        .get(As::Officer, &format!("/api/v1/applications/{id}"))
        .await;
    assert!(case["assigned_to"].is_null());
}

#[tokio::test]
async fn analysts_upload_a_data_set_and_read_its_card_from_the_pages() {
    let p = start(Options::default()).await;
    let (status, list) = page_text(&p, As::DataScientist, "/datasets").await;
    assert_eq!(status, 200);
    assert!(
        list.contains("href=\"/datasets\""),
        "the private nav links data sets"
    );
    assert!(list.contains("Register from source") && list.contains("shared:uk-ott-fpo-parcels"));
    assert!(
        list.contains(r#"href="/course/en/04-data-sets""#),
        "the page links the lesson on data sets"
    );
    let (_, as_reviewer) = page_text(&p, As::Reviewer, "/datasets").await;
    assert!(
        !as_reviewer.contains("enctype"),
        "reviewers read, they do not register"
    );

    let token = csrf(&p, As::DataScientist).await;
    let multipart = |name: &str, file: &str| {
        let boundary = "DsB0undary";
        let body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n{name}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"rows.csv\"\r\nContent-Type: text/csv\r\n\r\n{file}\r\n--{boundary}--\r\n"
        );
        p.server
            .client
            .post(p.server.url(&format!("/datasets?csrf={token}")))
            .header(COOKIE, cookie(&p, As::DataScientist))
            .header(
                CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
    };
    let fixture = include_str!("../../../platform/tests/fixtures/card.csv");
    let res = multipart("fixture", fixture).await.unwrap();
    assert_eq!(res.status(), 303);
    let location = res.headers()[LOCATION].to_str().unwrap().to_string();
    assert!(
        location.starts_with("/datasets/fixture/1?msg="),
        "{location}"
    );

    let (status, card) = page_text(&p, As::Reviewer, &location).await;
    assert_eq!(status, 200);
    for part in [
        "Rows per section",
        "Rows per chapter",
        "Rows per language",
        "<svg",
        "85171399999",
        "Leakage between splits",
        "cotton t-shirts for women",
    ] {
        assert!(card.contains(part), "the card shows {part}");
    }

    // Bad rows: the page says which lines, and nothing is stored.
    let res = multipart("broken", "text,code\nok,0101\n,0101\n")
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("text is empty") && page.contains("<td>3</td>"),
        "{page}"
    );

    let res = form(
        &p,
        As::DataScientist,
        "/datasets/register",
        &[
            ("csrf".into(), token.clone()),
            ("name".into(), "cbp".into()),
            ("source".into(), "shared:us-cbp-cross-ny-sample".into()),
        ],
    )
    .await;
    assert_eq!(res.status(), 303);
    assert!(
        res.headers()[LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/datasets/cbp/1")
    );
    let (_, versions) = page_text(&p, As::Officer, "/datasets/cbp").await;
    assert!(versions.contains("shared:us-cbp-cross-ny-sample") && versions.contains(">v1<"));
}

#[tokio::test]
async fn the_training_pages_link_their_lessons() {
    let p = start(Options::default()).await;
    for (page, lesson) in [
        ("/runs", "05-training"),
        ("/models", "07-promoting-and-rolling-back"),
    ] {
        let (status, html) = page_text(&p, As::DataScientist, page).await;
        assert_eq!(status, 200, "{page}");
        assert!(
            html.contains(&format!(r#"href="/course/en/{lesson}""#)),
            "{page} links lesson {lesson}"
        );
    }
}

//! More problems on pages in the reader's language: tampered or expired forms and links,
//! run configs, data set names and sources, parser errors and refused store writes, in
//! Traditional Chinese (Accept-Language: zh-TW) and in English (`?lang=en`), while the JSON
//! API and problem bodies keep their English words.

use reqwest::header::{ACCEPT, ACCEPT_LANGUAGE, CONTENT_TYPE, COOKIE};
use serde_json::json;

use crate::harness::{As, Options, Platform, start};
use crate::zh_messages::{FORM, cookie, csrf, has_all, page, post_form};

/// Posts a form and follows its redirect in the same language; the page it lands on.
async fn post_and_follow(p: &Platform, who: As, path: &str, lang: &str, body: String) -> String {
    let (status, location, html) = post_form(p, who, path, lang, body, FORM).await;
    assert_eq!(status, 303, "{html}");
    page(p, who, &location.unwrap(), lang).await
}

/// A multipart body with a `name` field and a `file`.
fn upload_body(boundary: &str, name: &str, filename: &str, content: &str) -> String {
    format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n{name}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n{content}\r\n--{boundary}--\r\n"
    )
}

#[tokio::test]
async fn tampered_forms_and_links_follow_the_language() {
    let p = start(Options::default()).await;
    let body = "csrf=forged&kind=advance_ruling&intent=draft&goods_description=Mug".to_string();
    let (status, _, html) = post_form(
        &p,
        As::Trader,
        "/applications/new",
        "zh-TW",
        body.clone(),
        FORM,
    )
    .await;
    assert_eq!(status, 403, "{html}");
    has_all(
        &html,
        &["表單已失效", "因此未做任何變更"],
        &["CSRF token", "The form has expired"],
    );
    let (status, _, html) = post_form(&p, As::Trader, "/applications/new", "en", body, FORM).await;
    assert_eq!(status, 403, "{html}");
    has_all(
        &html,
        &["The form has expired", "nothing was changed"],
        &["表單已失效"],
    );
    // The API still answers a forged request with an English problem.
    let res = p
        .server
        .client
        .post(p.server.url("/api/v1/applications"))
        .header(COOKIE, cookie(&p, As::Trader))
        .header(ACCEPT_LANGUAGE, "zh-TW")
        .json(&json!({"kind": "advance_ruling", "fields": {}}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let problem: serde_json::Value = res.json().await.unwrap();
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .starts_with("Missing or wrong CSRF token"),
        "{problem}"
    );

    // A session cookie that has run out (or was never ours).
    for (lang, said, unsaid) in [
        (
            "zh-TW",
            "登入已逾期或不存在，請重新登入。",
            "The session has expired",
        ),
        (
            "en",
            "The session has expired or does not exist; sign in again.",
            "登入已逾期",
        ),
    ] {
        let res = p
            .server
            .client
            .get(p.server.url("/applications"))
            .header(COOKIE, "customs_session=expired")
            .header(ACCEPT_LANGUAGE, lang)
            .header(ACCEPT, "text/html")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
        has_all(&res.text().await.unwrap(), &[said], &[unsaid]);
    }
    let res = p
        .server
        .client
        .get(p.server.url("/api/v1/me"))
        .header(COOKIE, "customs_session=expired")
        .header(ACCEPT_LANGUAGE, "zh-TW")
        .header(ACCEPT, "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let problem: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        problem["detail"],
        "The session has expired or does not exist; sign in again."
    );

    // A guided session's link that was altered.
    let html = page(&p, As::Anonymous, "/guide/bm90LWEtdG9rZW4.AAAA", "zh-TW").await;
    has_all(
        &html,
        &["找不到此引導式歸列：連結不完整或已遭變更。"],
        &["No such guided session"],
    );
    let html = page(
        &p,
        As::Anonymous,
        "/guide/bm90LWEtdG9rZW4.AAAA?lang=en",
        "zh-TW",
    )
    .await;
    has_all(&html, &["No such guided session"], &["找不到此引導式歸列"]);
    let (status, problem) = p
        .get(As::Anonymous, "/api/v1/guide/bm90LWEtdG9rZW4.AAAA")
        .await;
    assert_eq!(status, 404);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .starts_with("No such guided session"),
        "{problem}"
    );
}

#[tokio::test]
async fn run_config_errors_follow_the_language() {
    let p = start(Options::default()).await;
    let token = csrf(&p, As::DataScientist).await;
    let form = |toml: &str| {
        let config: String = url::form_urlencoded::byte_serialize(toml.as_bytes()).collect();
        format!("csrf={token}&config={config}")
    };
    // A key the config does not have: where it is, and which.
    let typo = form("name = \"a\"\n[train]\nepoch = 3\n");
    let (status, _, html) =
        post_form(&p, As::DataScientist, "/runs", "zh-TW", typo.clone(), FORM).await;
    assert_eq!(status, 422, "{html}");
    has_all(
        &html,
        &[
            "訓練設定有 1 個問題，未排入佇列。",
            "第 3 行第 1 欄：沒有「epoch」這個設定項目",
        ],
        &["TOML parse error", "nothing was queued"],
    );
    let (_, _, html) = post_form(&p, As::DataScientist, "/runs", "en", typo, FORM).await;
    has_all(
        &html,
        &[
            "The run config has 1 problem(s); nothing was queued.",
            "TOML parse error at line 3, column 1",
        ],
        &["未排入佇列"],
    );
    // Values out of range, field by field.
    let bad = form("name = \"Bad\"\n[train]\nepochs = 0\n");
    let (status, _, html) =
        post_form(&p, As::DataScientist, "/runs", "zh-TW", bad.clone(), FORM).await;
    assert_eq!(status, 422, "{html}");
    has_all(
        &html,
        &[
            "訓練設定有 2 個問題",
            "name：訓練名稱須為 1 至 64 個小寫英文字母",
            "train.epochs：須為 1 至 50",
        ],
        &["from 1 to 50", "a run name is"],
    );
    let (_, _, html) = post_form(&p, As::DataScientist, "/runs", "en", bad, FORM).await;
    has_all(
        &html,
        &["train.epochs: from 1 to 50", "name: a run name is 1 to 64"],
        &["須為"],
    );
    // The API keeps the English messages and the fields.
    let res = p
        .server
        .client
        .post(p.server.url("/api/v1/runs"))
        .bearer_auth(p.token(As::DataScientist).unwrap())
        .header(CONTENT_TYPE, "application/toml")
        .header(ACCEPT_LANGUAGE, "zh-TW")
        .body("name = \"a\"\n[train]\nepochs = 0\n")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let problem: serde_json::Value = res.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "train.epochs", "{problem}");
    assert_eq!(
        problem["errors"][0]["message"],
        "train.epochs: from 1 to 50"
    );
}

#[tokio::test]
async fn data_set_names_and_sources_follow_the_language() {
    let p = start(Options::default()).await;
    let token = csrf(&p, As::DataScientist).await;
    let boundary = "n4me";
    let body = upload_body(boundary, "Bad Name", "rows.csv", "text,code\nhorses,0101\n");
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let path = format!("/datasets?csrf={token}");
    let (status, _, html) = post_form(
        &p,
        As::DataScientist,
        &path,
        "zh-TW",
        body.clone(),
        &content_type,
    )
    .await;
    assert_eq!(status, 422, "{html}");
    has_all(
        &html,
        &[
            "資料集名稱須為 1 至 64 個小寫英文字母",
            "「Bad Name」",
            "名稱",
        ],
        &["a data set name is", "name:"],
    );
    let (_, _, html) = post_form(&p, As::DataScientist, &path, "en", body, &content_type).await;
    has_all(
        &html,
        &["name: a data set name is 1 to 64 lower-case letters"],
        &["資料集名稱須為"],
    );
    // Registering from a source that is none, and from rulings before any was approved.
    for (source, zh, en) in [
        (
            "nowhere",
            "來源須為「shared:資料夾」或「rulings」，收到「nowhere」。",
            "source: source is",
        ),
        (
            "rulings",
            "目前尚無已核准的稅則預先歸列。",
            "There are no approved advance rulings yet.",
        ),
    ] {
        let body = format!("csrf={token}&name=from-source&source={source}");
        let (status, _, html) = post_form(
            &p,
            As::DataScientist,
            "/datasets/register",
            "zh-TW",
            body.clone(),
            FORM,
        )
        .await;
        assert_eq!(status, 422, "{html}");
        has_all(&html, &[zh], &[en]);
        let (_, _, html) = post_form(
            &p,
            As::DataScientist,
            "/datasets/register",
            "en",
            body,
            FORM,
        )
        .await;
        has_all(&html, &[en], &[zh]);
    }
}

#[tokio::test]
async fn parser_errors_follow_the_language() {
    let p = start(Options::default()).await;
    let token = csrf(&p, As::DataScientist).await;
    let boundary = "j50n";
    let jsonl = "{\"text\": \"horses\", \"code\": \"0101\"}\n{\"text\": \"cows\", \"code\": \n{\"text\" \"goats\"}\n";
    let body = upload_body(boundary, "json-set", "rows.jsonl", jsonl);
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let path = format!("/datasets?csrf={token}");
    let (status, _, html) = post_form(
        &p,
        As::DataScientist,
        &path,
        "zh-TW",
        body.clone(),
        &content_type,
    )
    .await;
    assert_eq!(status, 422, "{html}");
    has_all(
        &html,
        &[
            "3 列中有 2 列無法使用",
            "不是完整的 JSON：此行在第 ",
            "不是有效的 JSON：第 9 個字元處有語法錯誤",
        ],
        &["not JSON", "EOF while parsing"],
    );
    let (_, _, html) = post_form(&p, As::DataScientist, &path, "en", body, &content_type).await;
    has_all(
        &html,
        &["not JSON: EOF while parsing", "at line 1 column 9"],
        &["不是有效的 JSON"],
    );

    // A pagination cursor that is not one.
    let (status, body) = p
        .post(
            As::Admin,
            "/api/v1/opendata/hs-nomenclature/releases",
            json!({}),
        )
        .await;
    assert!(status < 300, "{body}");
    let html = page(
        &p,
        As::Anonymous,
        "/open-data/hs-nomenclature?_next=***",
        "zh-TW",
    )
    .await;
    has_all(
        &html,
        &["參數「_next」不是此資料集的分頁游標（不是 URL 安全的 base64 編碼）"],
        &["not URL-safe base64", "not a cursor"],
    );
    let html = page(
        &p,
        As::Anonymous,
        "/open-data/hs-nomenclature?_next=***&lang=en",
        "zh-TW",
    )
    .await;
    has_all(&html, &["not URL-safe base64"], &["分頁游標"]);
}

#[tokio::test]
async fn refused_store_writes_follow_the_language() {
    let p = start(Options::default()).await;
    let token = csrf(&p, As::Reviewer).await;
    let body = format!("csrf={token}");
    let html = post_and_follow(&p, As::Reviewer, "/models/rollback", "zh-TW", body.clone()).await;
    has_all(
        &html,
        &["沒有可復原的版本：目前使用的是系統內建模型。"],
        &["nothing to roll back"],
    );
    let html = post_and_follow(&p, As::Reviewer, "/models/rollback", "en", body).await;
    has_all(&html, &["nothing to roll back"], &["沒有可復原的版本"]);
    // The API keeps the English detail.
    let (status, problem) = p
        .post(As::Reviewer, "/api/v1/models/rollback", json!({}))
        .await;
    assert_eq!(status, 409, "{problem}");
    assert_eq!(
        problem["detail"],
        "nothing to roll back: the installation's own model serves"
    );

    // Amending a clearance to a certificate number another clearance has.
    for (vin, certificate) in [
        ("1HGCM82633A004352", "CC-2026-0001"),
        ("JHMCM56557C404453", "CC-2026-0002"),
    ] {
        let (status, body) = p
            .post(
                As::Officer,
                "/api/v1/vehicles",
                json!({
                    "vin": vin, "make": "Honda", "model": "Accord", "model_year": "2003",
                    "body_type": "sedan", "engine_number": "J30A4-123456", "engine_cc": "2997",
                    "fuel": "petrol", "colour": "silver", "declaration_number": "AA123456789012",
                    "clearance_date": "2026-11-20", "duties_twd": "125000",
                    "certificate_number": certificate
                }),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let token = csrf(&p, As::Officer).await;
    let body = format!(
        "csrf={token}&version=1&vin=JHMCM56557C404453&make=Honda&model=Accord&model_year=2003&body_type=sedan&engine_number=J30A4-123456&engine_cc=2997&fuel=petrol&colour=silver&declaration_number=AA123456789012&clearance_date=2026-11-20&duties_twd=125000&certificate_number=CC-2026-0001"
    );
    let path = "/vehicles/JHMCM56557C404453/amend";
    let html = post_and_follow(&p, As::Officer, path, "zh-TW", body.clone()).await;
    has_all(
        &html,
        &["使用此完稅證明書號碼的通關紀錄已存在。"],
        &["already exists"],
    );
    let html = post_and_follow(&p, As::Officer, path, "en", body).await;
    has_all(
        &html,
        &["Not saved: a clearance with this certificate number already exists."],
        &["已存在"],
    );
}

/// A page's address as a browser asks for it (Accept: text/html); the status, content type
/// and body.
async fn browse(
    p: &Platform,
    who: As,
    path: &str,
    lang: &str,
    accept: &str,
) -> (u16, String, String) {
    let res = p
        .server
        .client
        .get(p.server.url(path))
        .header(COOKIE, cookie(p, who))
        .header(ACCEPT_LANGUAGE, lang)
        .header(ACCEPT, accept)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let content_type = res.headers()[CONTENT_TYPE].to_str().unwrap().to_string();
    (status, content_type, res.text().await.unwrap())
}

#[tokio::test]
async fn missing_records_are_pages_in_the_language() {
    let p = start(Options::default()).await;
    let html_accept = "text/html,application/xhtml+xml,*/*;q=0.8";
    for (who, path, zh, en) in [
        (
            As::DataScientist,
            "/datasets/nosuch",
            "沒有名為 nosuch 的資料集。",
            "No data set nosuch.",
        ),
        (
            As::DataScientist,
            "/datasets/nosuch/9",
            "資料集 nosuch 沒有版本 9。",
            "No version 9 of data set nosuch.",
        ),
        (
            As::DataScientist,
            "/runs/999",
            "沒有訓練作業 999。",
            "There is no run 999.",
        ),
        (
            As::Officer,
            "/vehicles/1HGCM82633A004352",
            "查無車身號碼 1HGCM82633A004352 的通關紀錄。",
            "No cleared vehicle 1HGCM82633A004352.",
        ),
    ] {
        let (status, content_type, html) = browse(&p, who, path, "zh-TW", html_accept).await;
        assert_eq!(
            (status, content_type.starts_with("text/html")),
            (404, true),
            "{html}"
        );
        has_all(&html, &["找不到", zh], &[en]);
        let (status, _, html) =
            browse(&p, who, &format!("{path}?lang=en"), "zh-TW", html_accept).await;
        assert_eq!(status, 404);
        has_all(&html, &["Not Found", en], &[zh]);
        // A client that does not ask for HTML keeps the English problem.
        let (status, content_type, body) = browse(&p, who, path, "zh-TW", "*/*").await;
        assert_eq!(
            (status, content_type.as_str()),
            (404, "application/problem+json")
        );
        has_all(&body, &[en], &[zh]);
    }
}

#[tokio::test]
async fn errors_below_the_handlers_are_pages_in_the_language() {
    let p = start(Options::default()).await;
    let send = |lang: &'static str| {
        p.server
            .client
            .post(p.server.url("/tariff"))
            .header(ACCEPT_LANGUAGE, lang)
            .header(ACCEPT, "text/html")
            .send()
    };
    let res = send("zh-TW").await.unwrap();
    assert_eq!(res.status(), 405);
    assert!(res.headers().contains_key("allow"), "Allow is kept");
    let html = res.text().await.unwrap();
    has_all(
        &html,
        &["此網址不接受這種請求方式。"],
        &["Method Not Allowed"],
    );
    let html = send("en").await.unwrap().text().await.unwrap();
    has_all(&html, &["Method Not Allowed"], &["此網址不接受"]);
}

#[tokio::test]
async fn the_rate_limit_and_an_unknown_application_type_follow_the_language() {
    let p = start(Options {
        requests_per_minute: 2,
        ..Options::default()
    })
    .await;
    let browse = |lang: &'static str| {
        let path = match lang {
            "en" => "/applications?lang=en",
            _ => "/applications",
        };
        p.server
            .client
            .get(p.server.url(path))
            .header(COOKIE, cookie(&p, As::Trader))
            .header(ACCEPT, "text/html")
            .header(ACCEPT_LANGUAGE, lang)
            .send()
    };
    for _ in 0..2 {
        assert_eq!(browse("zh-TW").await.unwrap().status(), 200);
    }
    let refused = browse("zh-TW").await.unwrap();
    assert_eq!(refused.status(), 429);
    has_all(
        &refused.text().await.unwrap(),
        &["請求過多", "每分鐘上限 2 次"],
        &["Too many requests"],
    );
    let refused = browse("en").await.unwrap();
    assert_eq!(refused.status(), 429);
    has_all(
        &refused.text().await.unwrap(),
        &["Too many requests with this credential: the limit is 2 a minute."],
        &["請求過多"],
    );

    // A form naming an application type the service does not offer.
    let p = start(Options::default()).await;
    let body = format!(
        "csrf={}&kind=moon_rock&intent=draft",
        csrf(&p, As::Trader).await
    );
    for (lang, path, said, unsaid) in [
        (
            "zh-TW",
            "/applications/new",
            "申請類別不存在",
            "unknown application type",
        ),
        (
            "en",
            "/applications/new?lang=en",
            "kind: unknown application type",
            "申請類別不存在",
        ),
    ] {
        let res = p
            .server
            .client
            .post(p.server.url(path))
            .header(COOKIE, cookie(&p, As::Trader))
            .header(ACCEPT, "text/html")
            .header(ACCEPT_LANGUAGE, lang)
            .header(CONTENT_TYPE, FORM)
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400);
        has_all(&res.text().await.unwrap(), &[said], &[unsaid]);
    }
}

//! The domain's problems on pages in the reader's language: form validation, workflow refusals,
//! CSV import rows and open data quality badges, in Traditional Chinese (Accept-Language:
//! zh-TW) and in English (`?lang=en`), while the JSON API keeps its English words.

use reqwest::header::{ACCEPT_LANGUAGE, CONTENT_TYPE, COOKIE, LOCATION};
use serde_json::json;

use crate::harness::{As, Options, Platform, start};

pub(crate) fn cookie(p: &Platform, who: As) -> String {
    p.token(who)
        .map_or_else(String::new, |t| format!("customs_session={t}"))
}

pub(crate) async fn csrf(p: &Platform, who: As) -> String {
    let (_, me) = p.get(who, "/api/v1/me").await;
    me["csrf_token"].as_str().unwrap().to_string()
}

/// Posts a form as `who` in `lang` (`zh-TW` or `en`); the status, redirect target and page.
pub(crate) async fn post_form(
    p: &Platform,
    who: As,
    path: &str,
    lang: &str,
    body: String,
    content_type: &str,
) -> (u16, Option<String>, String) {
    let sep = if path.contains('?') { '&' } else { '?' };
    let url = if lang == "en" {
        format!("{path}{sep}lang=en")
    } else {
        path.to_string()
    };
    let res = p
        .server
        .client
        .post(p.server.url(&url))
        .header(COOKIE, cookie(p, who))
        .header(ACCEPT_LANGUAGE, lang)
        .header(CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get(LOCATION)
        .map(|l| l.to_str().unwrap().to_string());
    (status, location, res.text().await.unwrap())
}

pub(crate) async fn page(p: &Platform, who: As, path: &str, lang: &str) -> String {
    p.server
        .client
        .get(p.server.url(path))
        .header(COOKIE, cookie(p, who))
        .header(ACCEPT_LANGUAGE, lang)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

pub(crate) const FORM: &str = "application/x-www-form-urlencoded";

pub(crate) fn has_all(html: &str, what: &[&str], none: &[&str]) {
    for s in what {
        assert!(html.contains(s), "lacks {s:?}: {html}");
    }
    for s in none {
        assert!(!html.contains(s), "still says {s:?}: {html}");
    }
}

#[tokio::test]
async fn e_application_form_errors_follow_the_language() {
    let p = start(Options::default()).await;
    let token = csrf(&p, As::Trader).await;
    // Malformed values fail even a draft: the form comes back with the problems.
    let bad = format!(
        "csrf={token}&kind=advance_ruling&intent=draft&goods_description=Mug&intended_code=0813.4&country_of_origin=UK"
    );
    let (status, _, html) = post_form(
        &p,
        As::Trader,
        "/applications/new",
        "zh-TW",
        bad.clone(),
        FORM,
    )
    .await;
    assert_eq!(status, 422, "{html}");
    has_all(
        &html,
        &[
            "表單有誤。",
            "擬申報稅則號列：格式不正確，須為 6 位數 HS 號列",
            "原產地：UK 不是有效的 ISO 3166-1 國家代碼",
        ],
        &[
            "The form has errors",
            "must be a 6-digit HS code",
            "is not an assigned",
            "intended_code:",
        ],
    );
    let (_, _, html) = post_form(&p, As::Trader, "/applications/new", "en", bad, FORM).await;
    has_all(
        &html,
        &[
            "The form has errors.",
            "intended_code: must be a 6-digit HS code such as 0813.40 or 081340.",
            "country_of_origin: UK is not an assigned ISO 3166-1 country code.",
        ],
        &["格式不正確"],
    );

    // Submitting leaves out the required fields: saved as a draft, with what is missing.
    for (lang, said, unsaid) in [
        (
            "zh-TW",
            &[
                "送件前請先填妥表單。",
                "貨物名稱及說明：必填。",
                "擬申報稅則號列：必填。",
            ][..],
            &["is required", "Complete the form"][..],
        ),
        (
            "en",
            &[
                "goods_description: is required.",
                "intended_code: is required.",
            ][..],
            &["必填"][..],
        ),
    ] {
        let body =
            format!("csrf={token}&kind=advance_ruling&intent=submit&commercial_name=Orchard");
        let (status, location, _) =
            post_form(&p, As::Trader, "/applications/new", lang, body, FORM).await;
        assert_eq!(status, 303);
        let html = page(&p, As::Trader, &location.unwrap(), lang).await;
        has_all(&html, said, unsaid);
    }

    // The API still answers in English.
    let (status, body) = p
        .post(
            As::Trader,
            "/api/v1/applications",
            json!({"kind": "advance_ruling", "fields": {"intended_code": "0813.4"}}),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        body["errors"][0]["message"],
        "must be a 6-digit HS code such as 0813.40 or 081340"
    );
}

#[tokio::test]
async fn workflow_refusals_follow_the_language() {
    let p = start(Options::default()).await;
    let (_, draft) = p
        .post(
            As::Trader,
            "/api/v1/applications",
            json!({"kind": "advance_ruling", "fields": {"goods_description": "kids' plastic mug", "intended_code": "3924.10"}}),
        )
        .await;
    let id = draft["id"].as_str().unwrap().to_string();
    let token = csrf(&p, As::Trader).await;
    for (lang, said, unsaid) in [
        (
            "zh-TW",
            "案件狀態為「草稿」，不能核准；可執行的步驟：送件（申請人）、撤回（申請人）。",
            "cannot approve",
        ),
        (
            "en",
            "cannot approve an application that is draft; allowed actions: submit (applicant), withdraw (applicant)",
            "不能核准",
        ),
    ] {
        let body = format!("csrf={token}&action=approve&version=1");
        let (status, location, _) = post_form(
            &p,
            As::Trader,
            &format!("/applications/{id}/act"),
            lang,
            body,
            FORM,
        )
        .await;
        assert_eq!(status, 303);
        let html = page(&p, As::Trader, &location.unwrap(), lang).await;
        has_all(&html, &[said], &[unsaid]);
    }
}

#[tokio::test]
async fn refused_attachments_follow_the_language() {
    let p = start(Options::default()).await;
    let (_, draft) = p
        .post(
            As::Trader,
            "/api/v1/applications",
            json!({"kind": "advance_ruling", "fields": {"goods_description": "kids' plastic mug"}}),
        )
        .await;
    let id = draft["id"].as_str().unwrap().to_string();
    let token = csrf(&p, As::Trader).await;
    let boundary = "a77ach";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"box.zip\"\r\nContent-Type: application/zip\r\n\r\nPK\r\n--{boundary}--\r\n"
    );
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let path = format!("/applications/{id}/attach?csrf={token}");
    for (lang, said, unsaid) in [
        (
            "zh-TW",
            "未上傳附件：不接受檔案類型「application/zip」；請上傳下列類型之一：application/pdf、",
            "Not attached",
        ),
        (
            "en",
            "Not attached: Content-Type &quot;application/zip&quot; is not accepted",
            "未上傳附件",
        ),
    ] {
        let (status, location, _) =
            post_form(&p, As::Trader, &path, lang, body.clone(), &content_type).await;
        assert_eq!(status, 303);
        let html = page(&p, As::Trader, &location.unwrap(), lang).await;
        has_all(&html, &[said], &[unsaid]);
    }
}

#[tokio::test]
async fn aeo_application_errors_follow_the_language() {
    let p = start(Options::default()).await;
    let token = csrf(&p, As::Trader).await;
    let (status, _, html) = post_form(
        &p,
        As::Trader,
        "/aeo/apply",
        "zh-TW",
        format!("csrf={token}"),
        FORM,
    )
    .await;
    assert_eq!(status, 422, "{html}");
    has_all(
        &html,
        &[
            "請選擇業者類別。",
            "業者類別：須為下列一項或多項：製造商、進口商",
        ],
        &["roles are needed", "one or more of"],
    );
    let body = format!("csrf={token}&role=importer");
    let (status, _, html) =
        post_form(&p, As::Trader, "/aeo/apply", "zh-TW", body.clone(), FORM).await;
    assert_eq!(status, 422, "{html}");
    has_all(
        &html,
        &["申請資料有誤。", "公司登記名稱：必填。", "員工人數：必填。"],
        &[
            "The application has errors",
            "give the",
            "profile.legal_name:",
        ],
    );
    let (_, _, html) = post_form(&p, As::Trader, "/aeo/apply", "en", body, FORM).await;
    has_all(
        &html,
        &[
            "The application has errors.",
            "profile.legal_name: give the registered name of the company.",
        ],
        &["必填"],
    );
}

#[tokio::test]
async fn vehicle_import_rows_follow_the_language() {
    let p = start(Options::default()).await;
    let token = csrf(&p, As::Officer).await;
    let boundary = "v3hicl3s";
    let csv = "vin,make,model,model_year,body_type,engine_number,engine_cc,fuel,colour,declaration_number,clearance_date,duties_twd,certificate_number\n\
               1HGCM82633A00435,Honda,Accord,2003,Sedan,K24A4-1,2354,petrol,Silver,AA12345678901B,2024-02-30,1000,C-1\n";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cars.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n"
    );
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let path = format!("/vehicles/import?csrf={token}");
    let (status, _, html) =
        post_form(&p, As::Officer, &path, "zh-TW", body.clone(), &content_type).await;
    assert_eq!(status, 422, "{html}");
    has_all(
        &html,
        &[
            "1 列中有 1 列無法匯入",
            "車身號碼（VIN）",
            "車身號碼須為 17 碼，目前為 16 碼",
            "通關日期（YYYY-MM-DD）",
            "「2024-02-30」不是有效的日期",
        ],
        &[
            "cannot be imported",
            "a VIN has exactly 17 characters",
            "is not a real calendar date",
        ],
    );
    let (_, _, html) = post_form(&p, As::Officer, &path, "en", body, &content_type).await;
    has_all(
        &html,
        &[
            "1 of 1 rows cannot be imported",
            "a VIN has exactly 17 characters, found 16",
            "2024-02-30",
            "is not a real calendar date",
        ],
        &["無法匯入"],
    );
    // The same problems when a clearance is recorded through the form.
    let body = format!(
        "csrf={token}&vin=1HGCM82633A00435&make=Honda&model=Accord&model_year=2003&fuel=petrol&engine_cc=2354&declaration_number=AA12345678901B&clearance_date=2024-02-30&duties_twd=1000&certificate_number=C-1"
    );
    let (status, _, html) = post_form(&p, As::Officer, "/vehicles", "zh-TW", body, FORM).await;
    assert_eq!(status, 422, "{html}");
    has_all(
        &html,
        &[
            "通關資料有誤。車身號碼（VIN）：車身號碼須為 17 碼，目前為 16 碼。",
            "通關日期（YYYY-MM-DD）：「2024-02-30」不是有效的日期。",
        ],
        &["has errors", "vin:"],
    );
}

#[tokio::test]
async fn open_data_badges_follow_the_language() {
    let p = start(Options::default()).await;
    let (status, body) = p
        .post(
            As::Admin,
            "/api/v1/opendata/hs-nomenclature/releases",
            json!({}),
        )
        .await;
    assert!(status < 300, "{body}");
    let html = page(&p, As::Anonymous, "/open-data/hs-nomenclature", "zh-TW").await;
    has_all(
        &html,
        &[
            "<strong>完整性</strong>：必填欄位皆無空值",
            "<strong>即時性</strong>：",
            "<strong>正確性</strong>：全部 ",
            "列皆符合結構定義。",
            "aria-label=\"完整性: 通過\"",
        ],
        &[
            "No nulls in required columns",
            "rows match the schema",
            "<strong>complete</strong>",
            "aria-label=\"complete: pass\"",
        ],
    );
    let html = page(
        &p,
        As::Anonymous,
        "/open-data/hs-nomenclature?lang=en",
        "zh-TW",
    )
    .await;
    has_all(
        &html,
        &[
            "<strong>complete</strong>: No nulls in required columns",
            "rows match the schema.",
            "aria-label=\"complete: pass\"",
        ],
        &["完整性", "必填欄位"],
    );
    // The query builder's refusals too.
    let html = page(
        &p,
        As::Anonymous,
        "/open-data/hs-nomenclature?nosuch=1",
        "zh-TW",
    )
    .await;
    has_all(
        &html,
        &["參數「nosuch」中的欄位「nosuch」不存在；可用欄位："],
        &["unknown column"],
    );
    let html = page(
        &p,
        As::Anonymous,
        "/open-data/hs-nomenclature?nosuch=1&lang=en",
        "zh-TW",
    )
    .await;
    has_all(
        &html,
        &["unknown column &quot;nosuch&quot; in parameter &quot;nosuch&quot;"],
        &["不存在"],
    );
    // The API keeps the English badges.
    let (_, meta) = p
        .get(As::Anonymous, "/api/v1/opendata/hs-nomenclature")
        .await;
    let quality = meta["quality"].to_string();
    assert!(
        quality.contains("No nulls in required columns"),
        "{quality}"
    );
    assert!(!quality.contains("finding"), "{quality}");
}

#[tokio::test]
async fn refused_data_set_rows_follow_the_language() {
    let p = start(Options::default()).await;
    let token = csrf(&p, As::DataScientist).await;
    let boundary = "r0ws";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nbad-set\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"rows.csv\"\r\nContent-Type: text/csv\r\n\r\ntext,code\nhorses,01x1\n,0101\n\r\n--{boundary}--\r\n"
    );
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
            "2 列中有 2 列無法使用，因此全部未採用",
            "code「01x1」不是 2 至 11 位數字",
            "text 為空白",
            "整列",
        ],
        &["cannot be used", "is not 2 to 11 digits", "text is empty"],
    );
    let (_, _, html) = post_form(&p, As::DataScientist, &path, "en", body, &content_type).await;
    has_all(
        &html,
        &["2 of 2 rows cannot be used", "text is empty"],
        &["無法使用"],
    );
}

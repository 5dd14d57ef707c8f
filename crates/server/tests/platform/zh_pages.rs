//! Every platform page family in Traditional Chinese (Accept-Language: zh-TW) and in English
//! (`?lang=en`, which wins over the header), over real HTTP as the role that uses it.

use reqwest::header::{ACCEPT_LANGUAGE, CONTENT_TYPE, COOKIE, LOCATION};
use serde_json::json;

use crate::harness::{As, Options, Platform, start};

fn cookie(p: &Platform, who: As) -> String {
    p.token(who)
        .map_or_else(String::new, |t| format!("customs_session={t}"))
}

/// The page as `who` sees it with a browser set to Traditional Chinese.
async fn get(p: &Platform, who: As, path: &str) -> (u16, String) {
    let res = p
        .server
        .client
        .get(p.server.url(path))
        .header(COOKIE, cookie(p, who))
        .header(ACCEPT_LANGUAGE, "zh-TW,zh;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

fn with_lang(path: &str, lang: &str) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}lang={lang}")
}

/// The page in Chinese has `zh`, none of the English `leftovers`, and the Chinese `<html
/// lang>` and switch; with `?lang=en` it has `en` instead.
async fn both(p: &Platform, who: As, path: &str, zh: &[&str], en: &[&str], leftovers: &[&str]) {
    let (status, html) = get(p, who, path).await;
    assert!(status < 500, "{path}: {status}");
    assert!(html.contains(r#"<html lang="zh-TW">"#), "{path}: {html}");
    assert!(
        html.contains(r#"hreflang="en""#),
        "{path} offers the switch to English"
    );
    for s in zh {
        assert!(html.contains(s), "{path} in zh-TW lacks {s:?}: {html}");
    }
    for s in leftovers {
        assert!(
            !html.contains(s),
            "{path} in zh-TW still says {s:?}: {html}"
        );
    }
    let (_, html) = get(p, who, &with_lang(path, "en")).await;
    assert!(html.contains(r#"<html lang="en">"#), "{path}?lang=en");
    for s in en {
        assert!(html.contains(s), "{path} in English lacks {s:?}: {html}");
    }
}

#[tokio::test]
async fn sign_in_and_the_refusal_page_follow_the_language() {
    let p = start(Options::default()).await;
    both(
        &p,
        As::Anonymous,
        "/login",
        &["<h1>登入</h1>", "電子郵件", "密碼"],
        &["<h1>Sign in</h1>", "E-mail", "Password"],
        &["Sign in", "E-mail", "Password"],
    )
    .await;
    // A wrong password is told in the reader's language.
    let res = p
        .server
        .client
        .post(p.server.url("/login"))
        .header(ACCEPT_LANGUAGE, "zh-TW")
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("email=amy%40formosa.example&password=wrong&next=%2Fapplications")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    assert!(res.text().await.unwrap().contains("電子郵件或密碼錯誤。"));
    // The guard's own page: a trader may not open the training runs.
    let (status, html) = get(&p, As::Trader, "/runs").await;
    assert_eq!(status, 403);
    assert!(html.contains("<h1>無權限</h1>") && !html.contains("Not allowed"));
}

#[tokio::test]
async fn e_application_pages_in_chinese() {
    let p = start(Options::default()).await;
    let (_, draft) = p
        .post(
            As::Trader,
            "/api/v1/applications",
            json!({"kind": "advance_ruling", "fields": {"goods_description": "kids' plastic mug", "intended_code": "3924.10"}}),
        )
        .await;
    let id = draft["id"].as_str().unwrap().to_string();
    both(
        &p,
        As::Trader,
        "/applications",
        &[
            "<h1>申請案件</h1>",
            "新增申請",
            "稅則預先歸列申請",
            "草稿",
            "案號",
            "登出",
        ],
        &[
            "<h1>Applications</h1>",
            "New application",
            "Draft",
            "Sign out",
        ],
        &["New application", "Reference", "Sign out", ">Draft<"],
    )
    .await;
    both(
        &p,
        As::Trader,
        &format!("/applications/{id}"),
        &[
            "貨物名稱及說明",
            "儲存變更",
            "處理紀錄",
            "建立",
            "送件至海關",
            "plastic mug",
        ],
        &[
            "Description of the goods",
            "Save changes",
            "History",
            "Submit to customs",
        ],
        &[
            "Description of the goods",
            "Save changes",
            "<h2>History</h2>",
            "Next steps",
        ],
    )
    .await;
    both(
        &p,
        As::Trader,
        "/applications/new?kind=duty_refund",
        &[
            "退還關稅或沖退稅申請",
            "進口報單號碼",
            "溢繳稅款",
            "儲存草稿",
        ],
        &[
            "Duty refund or drawback",
            "Import declaration number",
            "Save draft",
        ],
        &[
            "Import declaration number",
            "Duty overpaid",
            "Save draft",
            "working days",
        ],
    )
    .await;
    let (status, _) = p
        .post(
            As::Trader,
            &format!("/api/v1/applications/{id}/actions"),
            json!({"action": "submit", "version": 1}),
        )
        .await;
    assert_eq!(status, 200);
    both(
        &p,
        As::Officer,
        "/review-queue",
        &["<h1>待審案件</h1>", "未分派", "已送件", "期限"],
        &["<h1>Review queue</h1>", "Unassigned", "Submitted"],
        &[
            "Review queue",
            "Unassigned",
            ">Submitted<",
            "working days left",
        ],
    )
    .await;
    both(
        &p,
        As::Officer,
        &format!("/applications/{id}"),
        &["分派給我", "開始審核", "送件"],
        &["Assign to me", "Start review"],
        &["Assign to me", "Start review", "Due "],
    )
    .await;
}

#[tokio::test]
async fn aeo_pages_in_chinese() {
    let p = start(Options::default()).await;
    both(
        &p,
        As::Anonymous,
        "/aeo/verify?number=XYZ",
        &[
            "查驗優質企業（AEO）證書",
            "證書號碼",
            "相互承認（MRA）夥伴",
            "不是有效的證書號碼：證書號碼的長度不正確",
        ],
        &[
            "Verify an AEO certificate",
            "Mutual recognition partners",
            "is not a certificate number",
        ],
        &[
            "Verify an AEO certificate",
            "Mutual recognition partners",
            "Certificate number",
        ],
    )
    .await;
    both(
        &p,
        As::Trader,
        "/aeo",
        &[
            "<h1>優質企業（AEO）認證</h1>",
            "申請優質企業認證",
            "佐證文件",
            "公開狀態",
        ],
        &[
            "<h1>AEO certification</h1>",
            "Apply for AEO status",
            "Evidence",
        ],
        &[
            "Apply for AEO status",
            "Public status",
            "<h2>Evidence</h2>",
            "Upload documents first",
        ],
    )
    .await;
    both(
        &p,
        As::Trader,
        "/aeo/apply",
        &[
            "貴公司的業務類型？",
            "過去 3 年內，貴公司是否曾有嚴重違反海關法規的情事？",
            "進口商",
            "守法紀錄",
            "公司登記名稱",
            "送出申請",
            " 是",
        ],
        &[
            "What does your company do?",
            "Customs compliance record",
            "Submit the application",
        ],
        &[
            "What does your company do?",
            "Customs compliance record",
            "Submit the application",
            "registered name of the company",
            "Have you committed any serious infringement",
        ],
    )
    .await;
}

#[tokio::test]
async fn vehicle_pages_in_chinese() {
    let p = start(Options::default()).await;
    let (status, body) = p
        .post(
            As::Officer,
            "/api/v1/vehicles",
            json!({
                "vin": "1hgcm82633a004352", "make": "Honda", "model": "Accord", "model_year": "2003",
                "body_type": "sedan", "engine_number": "J30A4-123456", "engine_cc": "2997", "fuel": "petrol",
                "colour": "silver", "declaration_number": "AA123456789012", "clearance_date": "2026-11-20",
                "duties_twd": "125000", "certificate_number": "CC-2026-0001"
            }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    both(
        &p,
        As::Officer,
        "/vehicles",
        &[
            "<h1>進口車輛通關資訊</h1>",
            "登錄一筆通關資料",
            "廠牌",
            "已通關",
            "Honda",
        ],
        &[
            "<h1>Vehicle clearances</h1>",
            "Record a clearance",
            "cleared",
        ],
        &[
            "Vehicle clearances",
            "Record a clearance",
            "Import all rows",
            "No clearance matches",
        ],
    )
    .await;
    both(
        &p,
        As::Officer,
        "/vehicles/1HGCM82633A004352",
        &[
            "車輛 <code>1HGCM82633A004352</code>",
            "變更狀態",
            "異動紀錄",
            "機關查詢紀錄",
            "建立（第 1 版）",
        ],
        &[
            "Vehicle <code>",
            "Change status",
            "Timeline",
            "Agency reads",
        ],
        &[
            "Change status",
            "Timeline",
            "Agency reads",
            "Amend the record",
        ],
    )
    .await;
}

#[tokio::test]
async fn open_data_pages_in_chinese() {
    let p = start(Options::default()).await;
    both(
        &p,
        As::Anonymous,
        "/open-data",
        &[
            "<h1>開放資料</h1>",
            "機器可讀目錄",
            "優質企業（AEO）名錄",
            "尚未發布",
        ],
        &[
            "<h1>Open data</h1>",
            "Register of Authorised Economic Operators",
            "Not published yet",
        ],
        &[
            "<h1>Open data</h1>",
            "Latest release",
            "Not published yet",
            "Machine-readable",
        ],
    )
    .await;
    both(
        &p,
        As::Anonymous,
        "/open-data/vehicle-imports",
        &["發布機關", "授權條款", "版本紀錄", "此資料集尚未發布。"],
        &[
            "Publisher",
            "Licence",
            "Versions",
            "has not been published yet",
        ],
        &[
            "Publisher",
            "Licence",
            "<h2>Versions</h2>",
            "has not been published yet",
        ],
    )
    .await;
    // A published release: its charts, statistics and history.
    let (status, body) = p
        .post(
            As::Admin,
            "/api/v1/opendata/hs-nomenclature/releases",
            json!({}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    both(
        &p,
        As::Anonymous,
        "/open-data/hs-nomenclature?level=chapter",
        &[
            "國際商品統一分類制度號列（HS 2022）",
            "各類的目數",
            "最常見值",
            "第 1 版",
            "首次發布",
            "顯示資料",
        ],
        &[
            "Subheadings per section",
            "Most frequent",
            "Version 1",
            "First release",
            "Show rows",
        ],
        &[
            "Subheadings per section",
            "Most frequent",
            "Summary statistics",
            "First release",
            "Show rows",
        ],
    )
    .await;
}

#[tokio::test]
async fn data_set_training_and_model_pages_in_chinese() {
    let p = start(Options::default()).await;
    both(
        &p,
        As::DataScientist,
        "/datasets",
        &["<h1>已標註資料集</h1>", "登錄資料集", "從來源登錄"],
        &["<h1>Labelled data sets</h1>", "Register from source"],
        &[
            "Labelled data sets",
            "Register a data set",
            "Register from source",
        ],
    )
    .await;
    // A version to show the card of, registered from the page.
    let token = {
        let (_, me) = p.get(As::DataScientist, "/api/v1/me").await;
        me["csrf_token"].as_str().unwrap().to_string()
    };
    let res = p
        .server
        .client
        .post(p.server.url("/datasets/register"))
        .header(COOKIE, cookie(&p, As::DataScientist))
        .header(ACCEPT_LANGUAGE, "zh-TW")
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(format!(
            "csrf={token}&name=cbp&source=shared%3Aus-cbp-cross-ny-sample"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let location = res.headers()[LOCATION].to_str().unwrap().to_string();
    both(
        &p,
        As::Reviewer,
        &location,
        &[
            "資料卡：",
            "各類筆數",
            "切分間的資料洩漏",
            "已登錄 cbp 第 1 版",
        ],
        &["Data card: ", "Rows per section", "Leakage between splits"],
        &[
            "Data card",
            "Rows per section",
            "Leakage between splits",
            "Download (JSON Lines)",
        ],
    )
    .await;
    both(
        &p,
        As::Officer,
        "/datasets/cbp",
        &["資料集 cbp", "登錄者"],
        &["Data set cbp"],
        &["Data set cbp", "Registered"],
    )
    .await;

    // A queued run and two registered versions, stored directly: no worker trains here.
    let mut tx = p.store.write().await.unwrap();
    let run = tx
        .enqueue_run(&store::runs::NewRun {
            name: "zh-check".into(),
            config: "name = \"zh-check\"".into(),
            spec: "{}".into(),
            rerun_of: None,
            created_by: "dana@customs.example".into(),
        })
        .await
        .unwrap();
    for (version, predicted) in [("m-a", "080390"), ("m-b", "081340")] {
        let model = store::models::ModelRecord {
            version: version.into(),
            run_id: run.id,
            dir: format!("models/{version}"),
            trained_for: "test".into(),
            metrics: "{}".into(),
            status: "registered".into(),
            proposed_by: None,
            proposed_at: None,
            proposal_note: None,
            approved_by: None,
            approved_at: None,
            created_at: String::new(),
        };
        let cases: Vec<store::models::CaseRow> = (0..4)
            .map(|i| store::models::CaseRow {
                eval_set: "development".into(),
                case_id: format!("c{i}"),
                text: format!("dried strawberries {i}"),
                gold: "081340".into(),
                source: "development".into(),
                predicted: predicted.into(),
                gold_rank: if predicted == "081340" { 1 } else { 2 },
                confidence: 0.5,
            })
            .collect();
        tx.register_model(&model, &cases).await.unwrap();
    }
    tx.commit().await.unwrap();

    both(
        &p,
        As::DataScientist,
        "/runs",
        &["<h1>訓練作業</h1>", "新增訓練作業", "排入作業", "排隊中"],
        &[
            "<h1>Training runs</h1>",
            "Start a run",
            "Queue the run",
            "queued",
        ],
        &["Training runs", "Start a run", "Queue the run", ">queued<"],
    )
    .await;
    both(
        &p,
        As::DataScientist,
        &format!("/runs/{}", run.id),
        &[
            "作業 #",
            "重現所需資訊",
            "亂數種子",
            "取消作業",
            "第 {epoch} 週期",
        ],
        &["What reproduces it", "Seed", "Cancel the run"],
        &[
            "What reproduces it",
            "Cancel the run",
            "Waiting for the worker",
            "Epoch {epoch}",
        ],
    )
    .await;
    both(
        &p,
        As::DataScientist,
        "/models",
        &["<h1>模型登錄表</h1>", "比較兩個版本", "已登錄", "提出審核"],
        &["<h1>Model registry</h1>", "Compare two versions", "Propose"],
        &[
            "Model registry",
            "Compare two versions",
            "Propose",
            ">registered<",
        ],
    )
    .await;
    both(
        &p,
        As::Reviewer,
        "/models/compare?a=m-a&b=m-b&set=development",
        &[
            "與 B",
            "依類",
            "依章",
            "A 答錯、B 答對（4）",
            "95% 信賴區間",
            "top-1 準確率差異（B 減 A）",
        ],
        &[
            "against B",
            "By section",
            "Wrong under A, right under B (4)",
        ],
        &[
            "against B",
            "By section",
            "By chapter",
            "Wrong under A",
            "Difference in top-1 accuracy",
        ],
    )
    .await;
    both(
        &p,
        As::DataScientist,
        "/models/m-a/errors",
        &[
            "<h1><code>m-a</code> 在 development 上的錯誤</h1>",
            "篩選",
            "重新標註",
            "過於籠統",
        ],
        &["Errors of ", "misclassified cases match", "Too vague"],
        &["Errors of", "misclassified cases", "Relabel", "Too vague"],
    )
    .await;
}

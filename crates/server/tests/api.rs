mod common;

use common::start;
use settings::Profile;

fn problem_type(res: &reqwest::Response) -> String {
    res.headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

async fn expect_problem(res: reqwest::Response, status: u16) -> serde_json::Value {
    assert_eq!(res.status().as_u16(), status, "{:?}", res.url().to_string());
    assert_eq!(problem_type(&res), "application/problem+json");
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], status);
    assert!(
        body["title"].is_string() && body["detail"].is_string(),
        "{body}"
    );
    body
}

#[tokio::test]
async fn sections_list_all_21_with_their_chapters() {
    let s = start(Profile::Public).await;
    let (status, body) = s.json("/api/v1/sections").await;
    assert_eq!(status, 200);
    let sections = body["sections"].as_array().unwrap();
    assert_eq!(sections.len(), 21);
    assert_eq!(sections[0]["number"], "I");
    let ch: Vec<&str> = sections[0]["chapters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(ch, ["01", "02", "03", "04", "05"]);
    let total: usize = sections
        .iter()
        .map(|s| s["chapters"].as_array().unwrap().len())
        .sum();
    assert_eq!(
        total + body["unsectioned_chapters"].as_array().unwrap().len(),
        97
    );
}

#[tokio::test]
async fn a_code_comes_with_its_path_children_and_siblings() {
    let s = start(Profile::Public).await;
    for spelling in ["8471.30", "847130"] {
        let (status, body) = s.json(&format!("/api/v1/nomenclature/{spelling}")).await;
        assert_eq!(status, 200);
        assert_eq!(body["code"], "847130");
        assert_eq!(body["dotted"], "8471.30");
        assert_eq!(body["level"], "subheading");
        assert_eq!(body["section"]["number"], "XVI");
        let up: Vec<&str> = body["ancestors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["code"].as_str().unwrap())
            .collect();
        assert_eq!(up, ["84", "8471"]);
        assert!(body["children"].as_array().unwrap().is_empty());
        let sibs = body["siblings"].as_array().unwrap();
        assert!(sibs.iter().any(|x| x["code"] == "847141"));
        assert!(sibs.iter().all(|x| x["code"] != "847130"));
    }
    let (_, heading) = s.json("/api/v1/nomenclature/0101").await;
    let kids: Vec<&str> = heading["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].as_str().unwrap())
        .collect();
    assert_eq!(kids, ["010121", "010129", "010130", "010190"]);
}

#[tokio::test]
async fn bad_and_unknown_codes_are_problems_not_crashes() {
    let s = start(Profile::Public).await;
    let body = expect_problem(s.get("/api/v1/nomenclature/84713").await, 400).await;
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("2, 4 or 6 digits")
    );
    expect_problem(s.get("/api/v1/nomenclature/84x1").await, 400).await;
    let body = expect_problem(s.get("/api/v1/nomenclature/999998").await, 404).await;
    assert!(body["detail"].as_str().unwrap().contains("9999.98"));
    expect_problem(s.get("/api/v1/nope").await, 404).await;
}

#[tokio::test]
async fn search_ranks_and_highlights() {
    let s = start(Profile::Public).await;
    let (status, body) = s.json("/api/v1/search?q=laptop&limit=5").await;
    assert_eq!(status, 200);
    let hits = body["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 5);
    assert_eq!(hits[0]["code"], "847130");
    assert!(
        hits[0]["highlighted"]
            .as_str()
            .unwrap()
            .contains("<mark>portable</mark>")
    );
    assert!(!hits[0]["highlights"].as_array().unwrap().is_empty());
    assert_eq!(hits[0]["path"][0]["code"], "84");
    assert_eq!(body["expansions"][0]["matched"], "laptop");
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");

    let (_, by_code) = s.json("/api/v1/search?q=8471.30").await;
    assert_eq!(by_code["code_lookup"], true);
    assert_eq!(by_code["hits"][0]["code"], "847130");

    let (_, only) = s.json("/api/v1/search?q=horses&level=heading").await;
    assert!(
        only["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["level"] == "heading")
    );
}

#[tokio::test]
async fn search_rejects_bad_parameters_with_problems() {
    let s = start(Profile::Public).await;
    expect_problem(s.get("/api/v1/search").await, 400).await;
    expect_problem(s.get("/api/v1/search?q=%20%20").await, 400).await;
    expect_problem(s.get("/api/v1/search?q=tea&limit=0").await, 400).await;
    expect_problem(s.get("/api/v1/search?q=tea&limit=101").await, 400).await;
    expect_problem(s.get("/api/v1/search?q=tea&limit=ten").await, 400).await;
    expect_problem(s.get("/api/v1/search?q=tea&level=item").await, 400).await;
    expect_problem(s.get("/api/v1/search?q=%FF%FE").await, 400).await;
    let long = "a".repeat(600);
    expect_problem(s.get(&format!("/api/v1/search?q={long}")).await, 414).await;
    let longer = "a".repeat(5000);
    expect_problem(s.get(&format!("/api/v1/search?q={longer}")).await, 414).await;
}

#[tokio::test]
async fn limits_and_methods_are_enforced_as_problems() {
    let s = start(Profile::Public).await;
    let res = s.client.post(s.url("/api/v1/search")).send().await.unwrap();
    assert_eq!(
        res.headers().get("allow").map(|v| v.to_str().unwrap()),
        Some("GET,HEAD")
    );
    expect_problem(res, 405).await;
    // Past the upload limit, any route refuses the body before reading it.
    let huge = vec![b'x'; server::limits::MAX_UPLOAD_BYTES + 128 * 1024];
    let res = s
        .client
        .post(s.url("/api/v1/search"))
        .body(huge)
        .send()
        .await
        .unwrap();
    expect_problem(res, 413).await;
    // Past the ordinary body limit, a JSON route refuses it too.
    let big = format!(r#"{{"description": "{}"}}"#, "x".repeat(2 * 1024 * 1024));
    let res = s
        .client
        .post(s.url("/api/v1/classify"))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    expect_problem(res, 413).await;
}

#[tokio::test]
async fn health_metrics_and_openapi() {
    let s = start(Profile::Public).await;
    assert_eq!(s.get("/healthz").await.text().await.unwrap(), "ok");
    s.get("/api/v1/search?q=tea").await;
    let metrics = s.get("/metrics").await.text().await.unwrap();
    assert!(
        metrics.contains(
            r#"customs_http_requests_total{method="GET",route="/api/v1/search",status="200"} 1"#
        ),
        "{metrics}"
    );
    assert!(
        metrics.contains("customs_search_index_documents 6939"),
        "{metrics}"
    );
    let (status, doc) = s.json("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/sections",
        "/api/v1/nomenclature/{code}",
        "/api/v1/search",
    ] {
        assert!(
            doc["paths"][path]["get"].is_object(),
            "{path} missing from OpenAPI"
        );
    }
}

async fn duty(s: &common::TestServer, body: serde_json::Value) -> (u16, serde_json::Value) {
    let res = s
        .client
        .post(s.url("/api/v1/duty"))
        .json(&body)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

#[tokio::test]
async fn the_national_tariff_walks_from_chapter_to_11_digit_line_in_both_languages() {
    let s = common::start(Profile::Public).await;
    let (status, node) = s.json("/api/v1/tariff/851713").await;
    assert_eq!(status, 200, "{node}");
    assert_eq!(node["level"], "subheading");
    assert_eq!(node["names"]["zh"], "智慧型手機");
    assert_eq!(node["children"][0]["code"], "85171300");
    assert_eq!(
        node["path"][0]["code"], "85",
        "the path starts at the chapter"
    );
    let (_, number) = s.json("/api/v1/tariff/8517.13.00").await;
    assert_eq!(number["level"], "tariff_number");
    assert_eq!(number["children"][0]["code"], "85171300005");
    let (status, line) = s.json("/api/v1/tariff/8517.13.00.00-5").await;
    assert_eq!(status, 200, "{line}");
    assert_eq!(line["line"]["names"]["en"], "Smart phone");
    assert_eq!(line["line"]["rates"][0]["text"], "0%");
    assert_eq!(line["line"]["rates"][2]["text"], "10%");
    assert_eq!(line["line"]["unit_quantity"], "SET");
    assert!(
        line["line"]["rates"][1]["partners"][0]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("NZ"))
    );
    let res = s.get("/api/v1/tariff/85171300006").await;
    let problem = expect_problem(res, 422).await;
    assert!(
        problem["detail"].as_str().unwrap().contains("expected 5"),
        "a wrong check digit names the right one: {problem}"
    );
    expect_problem(s.get("/api/v1/tariff/8517139999").await, 404).await;
}

#[tokio::test]
async fn the_duty_calculator_matches_hand_worked_examples() {
    let s = common::start(Profile::Public).await;
    // Lamb carcasses from Australia (WTO member): column 1, "NT$11.3/KGM or 15% whichever is
    // higher". 5,000 kg at CIF 100,000: 11.3 × 5,000 = 56,500 > 15 % × 100,000 = 15,000.
    // Business tax 5 % × (100,000 + 56,500) = 7,825; total 64,325.
    let (status, a) = duty(&s, serde_json::json!({"code": "02041000002", "cif_twd": "100000", "quantity": "5000", "unit": "KGM", "origin": "AU"})).await;
    assert_eq!(status, 200, "{a}");
    assert_eq!(
        (a["column"].as_u64(), a["column_reason"].as_str()),
        (Some(1), Some("wto_member"))
    );
    assert_eq!(a["duty"], "56500");
    assert_eq!(a["business_tax"], "7825");
    assert_eq!(a["total"], "64325");
    assert_eq!(a["alternatives"].as_array().unwrap().len(), 2);
    assert!(
        a["steps"].as_array().unwrap().len() >= 3,
        "every step explained: {a}"
    );
    // The same from New Zealand, a column-2 partner of this line: 0 %, tax 5,000.
    let (_, b) = duty(&s, serde_json::json!({"code": "0204.10.00.00-2", "cif_twd": 100000, "quantity": "5", "unit": "TNE", "origin": "nz"})).await;
    assert_eq!(
        (b["column"].as_u64(), b["column_reason"].as_str()),
        (Some(2), Some("column_2_partner"))
    );
    assert_eq!(
        (b["duty"].as_str(), b["business_tax"].as_str()),
        (Some("0"), Some("5000"))
    );
    // Special-quality beef from North Korea (not a WTO member): column 3, "NT$38/KGM or 30%
    // whichever is higher". 1,000 kg at 100,000: 38,000 > 30,000; tax 5 % × 138,000 = 6,900.
    let (_, c) = duty(&s, serde_json::json!({"code": "02011010003", "cif_twd": "100000", "quantity": "1000", "origin": "KP"})).await;
    assert_eq!(
        (c["column"].as_u64(), c["column_reason"].as_str()),
        (Some(3), Some("general"))
    );
    assert_eq!(
        (c["duty"].as_str(), c["total"].as_str()),
        (Some("38000"), Some("44900"))
    );
    // Smartphones from North Korea: column 3, 10 % of 30,000 = 3,000; tax 5 % × 33,000 = 1,650.
    let (_, d) = duty(
        &s,
        serde_json::json!({"code": "85171300005", "cif_twd": "30000", "origin": "KP"}),
    )
    .await;
    assert_eq!(
        (
            d["duty"].as_str(),
            d["business_tax"].as_str(),
            d["total"].as_str()
        ),
        (Some("3000"), Some("1650"), Some("4650"))
    );
    // A specific rate needs its quantity, and the message names the unit.
    let (status, p) = duty(
        &s,
        serde_json::json!({"code": "02011010003", "cif_twd": "100000", "origin": "US"}),
    )
    .await;
    assert_eq!(status, 422);
    assert!(p["detail"].as_str().unwrap().contains("KGM"), "{p}");
    let (status, p) = duty(
        &s,
        serde_json::json!({"code": "85171300005", "cif_twd": "30000", "origin": "Mars"}),
    )
    .await;
    assert_eq!(status, 422);
    assert!(p["detail"].as_str().unwrap().starts_with("origin:"), "{p}");
    let (status, p) = duty(
        &s,
        serde_json::json!({"code": "85171300005", "cif_twd": "thirty", "origin": "US"}),
    )
    .await;
    assert_eq!(status, 422);
    assert!(p["detail"].as_str().unwrap().starts_with("cif_twd:"), "{p}");
}

#[tokio::test]
async fn the_concordance_puts_four_schedules_side_by_side() {
    let s = common::start(Profile::Public).await;
    let (status, c) = s.json("/api/v1/tariff/851713/concordance").await;
    assert_eq!(status, 200, "{c}");
    assert_eq!(c["tw"][0]["code"], "85171300005");
    assert!(!c["us"].as_array().unwrap().is_empty(), "{c}");
    assert!(
        c["us"][0]["rates"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["name"].as_str().unwrap().starts_with("general")),
        "US rates come with the lines: {c}"
    );
    assert_eq!(c["editions"].as_array().unwrap().len(), 4);
    expect_problem(s.get("/api/v1/tariff/010199/concordance").await, 404).await;
}

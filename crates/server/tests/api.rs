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

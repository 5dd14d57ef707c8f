mod common;
#[path = "flows/guide.rs"]
mod guide;

use common::start;
use serde_json::json;
use settings::Profile;

pub(crate) async fn post(
    s: &common::TestServer,
    path: &str,
    body: serde_json::Value,
) -> (u16, String, serde_json::Value) {
    let res = s.client.post(s.url(path)).json(&body).send().await.unwrap();
    let status = res.status().as_u16();
    let ct = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (
        status,
        ct,
        res.json().await.unwrap_or(serde_json::Value::Null),
    )
}

#[tokio::test]
async fn classify_returns_explained_calibrated_candidates() {
    let s = start(Profile::Public).await;
    let (status, _, body) = post(
        &s,
        "/api/v1/classify",
        json!({"description": "laptop computer", "limit": 5}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let cands = body["candidates"].as_array().unwrap();
    assert!(cands.len() <= 5 && !cands.is_empty());
    let laptop = cands
        .iter()
        .find(|c| c["code"] == "847130")
        .expect("8471.30 among the candidates");
    assert_eq!(laptop["path"][0]["code"], "84");
    assert_eq!(laptop["path"][1]["code"], "8471");
    assert!(
        !laptop["explanation"]["matched_words"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(!laptop["explanation"]["legs"].as_array().unwrap().is_empty());
    let confs: Vec<f64> = cands
        .iter()
        .map(|c| c["confidence"].as_f64().unwrap())
        .collect();
    assert!(confs.windows(2).all(|w| w[0] >= w[1]));
    assert!(confs.iter().sum::<f64>() <= 1.0001);
    assert!(
        body["headings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["code"] == "8471")
    );
}

#[tokio::test]
async fn classify_flags_instead_of_guessing() {
    let s = start(Profile::Public).await;
    let (_, _, vague) = post(&s, "/api/v1/classify", json!({"description": "gift"})).await;
    assert!(
        vague["flags"]
            .as_array()
            .unwrap()
            .contains(&json!("too_vague")),
        "{vague}"
    );
    assert!(!vague["reasons"].as_array().unwrap().is_empty());
    let (_, _, code) = post(&s, "/api/v1/classify", json!({"description": "8471.30"})).await;
    assert_eq!(code["candidates"][0]["code"], "847130");
    assert!(
        code["flags"]
            .as_array()
            .unwrap()
            .contains(&json!("code_typed"))
    );
    // Chinese goes to the national tariff's Chinese index; other scripts are flagged.
    let (status, _, zh) = post(
        &s,
        "/api/v1/classify",
        json!({"description": "冷凍去殼白蝦仁"}),
    )
    .await;
    assert_eq!(status, 200);
    assert!(zh["flags"].as_array().unwrap().contains(&json!("chinese")));
    let (status, _, ru) = post(
        &s,
        "/api/v1/classify",
        json!({"description": "замороженные креветки"}),
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        ru["flags"]
            .as_array()
            .unwrap()
            .contains(&json!("not_english")),
        "{ru}"
    );
}

#[tokio::test]
async fn classify_rejects_bad_bodies_with_problems() {
    let s = start(Profile::Public).await;
    for (body, status) in [
        (json!({"description": ""}), 400),
        (json!({"description": "   "}), 400),
        (json!({"description": "x".repeat(2001)}), 400),
        (json!({"description": "tea", "limit": 0}), 400),
        (json!({"text": "tea"}), 422),
    ] {
        let (got, ct, _) = post(&s, "/api/v1/classify", body.clone()).await;
        assert_eq!(got, status, "{body}");
        assert_eq!(ct, "application/problem+json");
    }
    let raw = s
        .client
        .post(s.url("/api/v1/classify"))
        .header("content-type", "application/json")
        .body(vec![b'{', 0xff, 0xfe, b'}'])
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    let no_type = s
        .client
        .post(s.url("/api/v1/classify"))
        .body("{\"description\": \"tea\"}")
        .send()
        .await
        .unwrap();
    assert_eq!(no_type.status(), 415);
    let huge = s
        .client
        .post(s.url("/api/v1/classify"))
        .header("content-type", "application/json")
        .body(vec![b' '; 1024 * 1024 + 10])
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), 413);
}

#[tokio::test]
async fn declarations_are_checked_line_by_line() {
    let s = start(Profile::Public).await;
    let (status, _, body) = post(
        &s,
        "/api/v1/declarations/check",
        json!({"lines": [
            {"description": "laptop computer", "declared_code": "8471.30.0000"},
            {"description": "laptop computer", "declared_code": "0101.21"},
            {"description": "laptop computer", "declared_code": "99AB"},
        ]}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let lines = body["lines"].as_array().unwrap();
    assert_eq!(lines[0]["verdict"], "consistent");
    assert_eq!(lines[1]["verdict"], "suspicious");
    assert!(lines[1]["risk"].as_f64().unwrap() > 0.5);
    assert!(!lines[1]["likelier"].as_array().unwrap().is_empty());
    assert_eq!(lines[2]["verdict"], "invalid_code");
    assert_eq!(body["summary"]["suspicious"], 1);
    let (status, ct, _) = post(&s, "/api/v1/declarations/check", json!({"lines": []})).await;
    assert_eq!((status, ct.as_str()), (400, "application/problem+json"));
}

#[tokio::test]
async fn the_classify_page_groups_suggestions_by_heading() {
    let s = start(Profile::Public).await;
    let html = s
        .get("/classify?d=laptop+computer")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(r#"<label for="d">"#));
    assert!(html.contains("section class=\"heading-group\""));
    assert!(html.contains(r#"href="/codes/847130""#));
    assert!(html.contains("<meter"));
    // The evidence behind each suggestion, and a way into the guided questions.
    assert!(html.contains("details class=\"evidence\""), "{html}");
    assert!(html.contains("<span class=\"source\">subheading</span>: "));
    assert!(html.contains(r#"form class="guide-cta" action="/guide" method="post""#));
    assert!(html.contains(r#"name="d" value="laptop computer""#));
    let vague = s.get("/classify?d=gift").await.text().await.unwrap();
    assert!(vague.contains(r#"data-flag="too_vague""#));
    let empty = s.get("/classify").await;
    assert_eq!(empty.status(), 200);
}

#[tokio::test]
async fn chinese_descriptions_reach_the_national_line() {
    let s = start(Profile::Public).await;
    let (status, _, body) = post(
        &s,
        "/api/v1/classify",
        json!({"description": "冷凍去殼白蝦仁，每包1公斤", "limit": 5}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(
        body["flags"]
            .as_array()
            .unwrap()
            .contains(&json!("chinese")),
        "{body}"
    );
    let cands = body["candidates"].as_array().unwrap();
    let shrimp = cands
        .iter()
        .position(|c| c["code"] == "030617")
        .unwrap_or_else(|| panic!("frozen shrimp (0306.17) in the top 5: {body}"));
    assert!(shrimp < 3, "{body}");
    let c = &cands[shrimp];
    assert!(
        c["description_zh"].as_str().is_some_and(|z| !z.is_empty()),
        "{c}"
    );
    let lines = c["national_lines"].as_array().unwrap();
    assert!(
        lines
            .iter()
            .all(|l| l["code"].as_str().unwrap().starts_with("030617"))
    );
    assert!(
        lines[0]["description_zh"].as_str().unwrap().contains("蝦"),
        "{c}"
    );
    let total: f64 = cands
        .iter()
        .map(|c| c["confidence"].as_f64().unwrap())
        .sum();
    assert!(
        total <= 1.0001,
        "probabilities over the pool sum to at most one"
    );

    // English descriptions keep the fused legs and carry the national lines too.
    let (_, _, body) = post(
        &s,
        "/api/v1/classify",
        json!({"description": "smartphone", "limit": 3}),
    )
    .await;
    assert!(
        !body["flags"]
            .as_array()
            .unwrap()
            .contains(&json!("chinese"))
    );
    let phone = body["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "851713")
        .unwrap_or_else(|| panic!("{body}"));
    assert_eq!(phone["description_zh"], "智慧型手機");
    assert_eq!(phone["national_lines"][0]["code"], "85171300005");
    assert_eq!(
        phone["national_lines"][0]["decided"], true,
        "the only line decides"
    );
}

#[tokio::test]
async fn the_guide_takes_chinese_and_asks_in_chinese() {
    let s = start(Profile::Public).await;
    let res = s
        .client
        .post(s.url("/api/v1/guide"))
        .header("accept-language", "zh-TW")
        .json(&json!({"description": "冷凍去殼白蝦仁"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    let codes: Vec<&str> = body["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"030617") || body["outcome"]["code"] == "030617",
        "a Chinese description gets a Chinese prior: {body}"
    );
    let has_cjk = |t: &str| t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    if let Some(q) = body["question"].as_object() {
        assert!(has_cjk(q["text"].as_str().unwrap()), "{body}");
        assert!(
            q["choices"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| has_cjk(c["label"].as_str().unwrap())),
            "every choice in Chinese: {body}"
        );
    }
    assert!(has_cjk(
        body["candidates"][0]["description"].as_str().unwrap()
    ));

    // English readers still get English.
    let (_, _, en) = post(&s, "/api/v1/guide", json!({"description": "dried fruit"})).await;
    assert!(!has_cjk(en["question"]["text"].as_str().unwrap()), "{en}");
}

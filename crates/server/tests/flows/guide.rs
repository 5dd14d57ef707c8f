//! The guided dialogue over real HTTP: the JSON API and the pages without JavaScript.

use serde_json::{Value, json};
use server::guide_token::{TokenKey, encode};
use settings::Profile;

use crate::common::{GUIDE_KEY, TestServer, start};
use crate::post;

/// What a client that knows the gold code answers, from the choices' `keeps` and `excludes`.
fn truthful(question: &Value, gold: &str) -> String {
    let choices = question["choices"].as_array().unwrap();
    let under = |list: &Value| {
        list.as_array()
            .unwrap()
            .iter()
            .any(|p| gold.starts_with(p.as_str().unwrap()))
    };
    choices
        .iter()
        .find(|c| under(&c["keeps"]))
        .or_else(|| {
            choices.iter().find(|c| {
                c["id"] == "none"
                    && !c["excludes"].as_array().unwrap().is_empty()
                    && !under(&c["excludes"])
            })
        })
        .map_or("not_sure".into(), |c| c["id"].as_str().unwrap().to_string())
}

async fn answer(s: &TestServer, session: &str, body: Value) -> (u16, String, Value) {
    post(s, &format!("/api/v1/guide/{session}/answer"), body).await
}

#[tokio::test]
async fn a_dialogue_over_the_api_reaches_the_code_and_explains_it() {
    let s = start(Profile::Public).await;
    let (status, _, mut step) =
        post(&s, "/api/v1/guide", json!({"description": "dried fruit"})).await;
    assert_eq!(status, 200, "{step}");
    let first = step["question"].clone();
    assert!(first.is_object(), "a question first: {step}");
    let n = first["choices"].as_array().unwrap().len();
    assert!((3..=10).contains(&n), "{first}");
    assert!(
        step["known"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k["label"] == "Dried"),
        "{step}"
    );
    let mut rounds = 0;
    while step["outcome"].is_null() {
        rounds += 1;
        assert!(rounds <= 6, "not settled: {step}");
        let choice = truthful(&step["question"], "081310");
        let session = step["session"].as_str().unwrap().to_string();
        let (status, _, next) = answer(&s, &session, json!({"choice": choice})).await;
        assert_eq!(status, 200, "{next}");
        assert_eq!(next["answers"].as_array().unwrap().len(), rounds);
        step = next;
    }
    let outcome = &step["outcome"];
    assert_eq!(outcome["code"], "081310", "{step}");
    assert_eq!(outcome["reason"], "confident");
    assert!(outcome["probability"].as_f64().unwrap() >= 0.9);
    assert_eq!(outcome["justification"].as_array().unwrap().len(), rounds);
    // The result is a link: the same step as JSON and as a page.
    let (status, again) = s.json(step["links"]["self"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(again["outcome"]["code"], "081310");
    let page = s.get(step["links"]["page"].as_str().unwrap()).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("0813.10") && html.contains("id=\"result\""),
        "{html}"
    );
    // An ended dialogue takes no more answers, but can go back.
    let session = step["session"].as_str().unwrap().to_string();
    let (status, ct, problem) = answer(&s, &session, json!({"choice": "not_sure"})).await;
    assert_eq!(
        (status, ct.as_str()),
        (409, "application/problem+json"),
        "{problem}"
    );
    let (status, _, back) = post(&s, &format!("/api/v1/guide/{session}/back"), json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(back["answers"].as_array().unwrap().len(), rounds - 1);
    assert!(back["question"].is_object());
}

#[tokio::test]
async fn bad_answers_and_bad_sessions_are_refused_clearly() {
    let s = start(Profile::Public).await;
    let (_, _, step) = post(&s, "/api/v1/guide", json!({"description": "shirt"})).await;
    let session = step["session"].as_str().unwrap().to_string();
    let (status, _, p) = answer(&s, &session, json!({"choice": "nonsense"})).await;
    assert_eq!(status, 422, "{p}");
    assert!(
        p["detail"].as_str().unwrap().contains("not_sure"),
        "lists the choices: {p}"
    );
    let (status, _, _) = answer(
        &s,
        &session,
        json!({"choice": "not_sure", "text": "cotton"}),
    )
    .await;
    assert_eq!(status, 400);
    let (status, _, _) = answer(&s, &session, json!({})).await;
    assert_eq!(status, 400);
    let (status, _, _) = answer(&s, &session, json!({"pick": "010121"})).await;
    assert_eq!(status, 422, "a pick must be a current candidate");
    let (status, _, _) = answer(&s, &session, json!({"text": "x".repeat(301)})).await;
    assert_eq!(status, 400);
    let (status, _, _) = post(&s, &format!("/api/v1/guide/{session}/back"), json!({})).await;
    assert_eq!(status, 409, "nothing to take back");
    let (status, _, _) = post(
        &s,
        "/api/v1/guide",
        json!({"description": "x".repeat(1001)}),
    )
    .await;
    assert_eq!(status, 400);

    // Altered, foreign and expired sessions.
    let mut altered = session.clone();
    altered.insert(5, 'x');
    let (status, p) = s.json(&format!("/api/v1/guide/{altered}")).await;
    assert_eq!(status, 404, "{p}");
    let foreign = encode(
        &TokenKey::new([1; 32]),
        &guide::Dialogue::new("shirt"),
        u64::MAX,
    );
    assert_eq!(s.json(&format!("/api/v1/guide/{foreign}")).await.0, 404);
    let expired = encode(&TokenKey::new(GUIDE_KEY), &guide::Dialogue::new("shirt"), 1);
    let (status, p) = s.json(&format!("/api/v1/guide/{expired}")).await;
    assert_eq!(status, 410, "{p}");

    // Free text is understood or re-read; the answer is kept either way.
    let (status, _, next) = answer(&s, &session, json!({"text": "men's cotton shirt"})).await;
    assert_eq!(status, 200, "{next}");
    assert_eq!(next["answers"][0]["answer"], "men's cotton shirt");
}

#[tokio::test]
async fn the_wizard_pages_work_without_javascript() {
    let s = start(Profile::Public).await;
    let res = s.get("/guide").await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("form"));
    let res = s
        .client
        .post(s.url("/guide"))
        .form(&[("d", "dried fruit")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/guide/"), "{location}");
    let html = s.get(&location).await.text().await.unwrap();
    assert!(html.contains("name=\"choice\""), "{html}");
    // Answering posts the form and lands on the next step's address.
    let session = location.trim_start_matches("/guide/");
    let res = s
        .client
        .post(s.url(&format!("/guide/{session}/answer")))
        .form(&[("choice", "not_sure"), ("text", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let next = res.headers()["location"].to_str().unwrap().to_string();
    assert_ne!(next, location);
    let html = s.get(&next).await.text().await.unwrap();
    assert!(html.contains("Not sure"), "the answer is listed: {html}");
    // A bad answer shows the same step with the message, status 422.
    let res = s
        .client
        .post(s.url(&format!("/guide/{session}/answer")))
        .form(&[("choice", "nonsense")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("role=\"alert\""));
    // A broken link is a page, not a crash.
    assert_eq!(s.get("/guide/garbage").await.status(), 404);
}

#[tokio::test]
async fn the_guide_is_in_the_openapi_document() {
    let s = start(Profile::Public).await;
    let (_, doc) = s.json("/api/v1/openapi.json").await;
    for path in [
        "/api/v1/guide",
        "/api/v1/guide/{session}",
        "/api/v1/guide/{session}/answer",
        "/api/v1/guide/{session}/back",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
}

/// A guide step as a zh-TW reader's client gets it.
async fn in_chinese(s: &TestServer, path: &str) -> Value {
    let response = s
        .client
        .get(s.url(path))
        .header("accept-language", "zh-TW")
        .send()
        .await
        .unwrap();
    response.json().await.unwrap()
}

/// Machinery of many industries, nothing else known: the dialogue asks which run of headings
/// holds the goods and, when the user is not sure, what they are used for, in English and in
/// Chinese; the answer narrows the candidates to that industry.
#[tokio::test]
async fn a_dialogue_asks_what_the_goods_are_used_for() {
    let s = start(Profile::Public).await;
    let headings = [
        "8432", "8434", "8435", "8436", "8437", "8438", "8439", "8440", "8441", "8442", "8444",
        "8445", "8446", "8447", "8449", "8450", "8451", "8452", "8453", "8454", "8455", "8457",
        "8458", "8460", "8461", "8463", "8464", "8465", "8468", "8470", "8472", "8477",
    ];
    let mut dialogue = guide::Dialogue::new("");
    dialogue.answers.push(guide::Answer::Choice {
        key: "tree:heading:machinery".into(),
        topic: "tree:heading".into(),
        question: "Which of these describes the goods best?".into(),
        choice: "machinery".into(),
        label: "Machinery for an industry".into(),
        rule: guide::Rule::Keep(headings.iter().map(|h| h.to_string()).collect()),
    });
    let session = encode(&TokenKey::new(GUIDE_KEY), &dialogue, u64::MAX);
    let (status, step) = s.json(&format!("/api/v1/guide/{session}")).await;
    assert_eq!(status, 200, "{step}");
    let q = &step["question"];
    assert_eq!(q["topic"], "tree:range", "{step}");
    let first = &q["choices"][0];
    assert_eq!(first["keeps"], json!(["8432", "8434", "8435", "8436"]));
    assert!(
        first["label"]
            .as_str()
            .unwrap()
            .starts_with("84.32–84.36: Agricultural"),
        "{first}"
    );
    let zh = in_chinese(&s, &format!("/api/v1/guide/{session}")).await;
    assert_eq!(zh["question"]["text"], "貨品屬於下列哪一組號列？", "{zh}");
    let zh_label = zh["question"]["choices"][0]["label"].as_str().unwrap();
    assert!(zh_label.starts_with("84.32–84.36："), "{zh_label}");
    assert!(!zh_label.contains("Agricultural"), "{zh_label}");
    // The page lists every heading of a run under its label, not only in a tooltip.
    let page = s
        .get(&format!("/guide/{session}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("class=\"choice-detail\""), "{page}");
    assert!(
        page.contains("84.38 Machinery n.e.c. in this chapter"),
        "{page}"
    );

    dialogue.answers.push(guide::Answer::Choice {
        key: q["key"].as_str().unwrap().into(),
        topic: "tree:range".into(),
        question: q["text"].as_str().unwrap().into(),
        choice: "not_sure".into(),
        label: "Not sure".into(),
        rule: guide::Rule::NotSure,
    });
    let session = encode(&TokenKey::new(GUIDE_KEY), &dialogue, u64::MAX);
    let (status, step) = s.json(&format!("/api/v1/guide/{session}")).await;
    assert_eq!(status, 200, "{step}");
    let q = &step["question"];
    assert_eq!(q["topic"], "use", "{step}");
    assert_eq!(q["text"], "What is it used for?");
    let food = q["choices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "food")
        .unwrap_or_else(|| panic!("a food-industry choice: {q}"));
    assert_eq!(food["label"], "Making food or drink");

    let zh = in_chinese(&s, &format!("/api/v1/guide/{session}")).await;
    assert_eq!(zh["question"]["text"], "貨品的用途為何？", "{zh}");
    assert!(
        zh["question"]["choices"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["label"] == "食品或飲料製造用"),
        "{zh}"
    );

    let (status, _, next) = answer(&s, &session, json!({"choice": "food"})).await;
    assert_eq!(status, 200, "{next}");
    let candidates = next["candidates"].as_array().unwrap();
    assert!(
        candidates
            .iter()
            .all(|c| ["8435", "8437", "8438"].contains(&&c["code"].as_str().unwrap()[..4])),
        "{next}"
    );
}

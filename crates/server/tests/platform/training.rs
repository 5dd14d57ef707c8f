//! Training runs, the model registry and promotion over real HTTP: a run queued from TOML
//! trains (followed live over server-sent events), registers a version with its figures and
//! reproduces it exactly on a rerun; a run whose worker died resumes from its checkpoint;
//! two versions compare with a paired bootstrap; a proposal needs a second person, swaps
//! the serving model under load without a failed request, and rolls back in one call.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use reqwest::Method;
use reqwest::header::CONTENT_TYPE;
use serde_json::{Value, json};
use store::Backend;

use crate::harness::{As, Options, Platform, start, start_on};

const PARCELS: &str = include_str!("../fixtures/parcels.csv");

/// A quick run on the fixture: n-grams only, small layers, 40 evaluation cases per set.
fn config(name: &str, seed: u64) -> String {
    format!(
        r#"name = "{name}"
seed = {seed}

[data]
datasets = ["parcels"]
shared_labelled = false

[recipe]
tariff = 0.0
extra_national = 0.0
chinese = 0.0

[train]
epochs = 3
batch = 16
hidden = 16
bag = 8
buckets = 1024
learning_rate = 0.05

[evaluate]
sets = ["development", "dataset:parcels"]
max_cases = 40
"#
    )
}

async fn upload_parcels(p: &Platform) {
    let res = p
        .server
        .client
        .post(p.server.url("/api/v1/datasets?name=parcels"))
        .bearer_auth(p.token(As::DataScientist).unwrap())
        .header(CONTENT_TYPE, "text/csv")
        .body(PARCELS)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 201, "{}", res.text().await.unwrap());
}

async fn submit(p: &Platform, who: As, toml: &str) -> (u16, Value) {
    let mut req = p
        .server
        .client
        .post(p.server.url("/api/v1/runs"))
        .header(CONTENT_TYPE, "application/toml")
        .body(toml.to_string());
    if let Some(t) = p.token(who) {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// Waits for a run to finish; returns it.
async fn finished(p: &Platform, id: i64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let (status, run) = p.get(As::Reviewer, &format!("/api/v1/runs/{id}")).await;
        assert_eq!(status, 200);
        if ["succeeded", "failed", "cancelled"].contains(&run["status"].as_str().unwrap()) {
            return run;
        }
        assert!(Instant::now() < deadline, "run {id} did not finish: {run}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Reads a run's event stream to its `end`: (event kind, data) in order.
async fn stream(p: &Platform, id: i64) -> Vec<(String, Value)> {
    let mut res = p
        .call(
            As::DataScientist,
            Method::GET,
            &format!("/api/v1/runs/{id}/events"),
            None,
        )
        .await;
    assert_eq!(res.status().as_u16(), 200);
    assert!(
        res.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let (mut buffer, mut events) = (String::new(), Vec::new());
    let deadline = Instant::now() + Duration::from_secs(300);
    while let Some(chunk) = tokio::time::timeout_at(deadline.into(), res.chunk())
        .await
        .expect("the stream ends")
        .unwrap()
    {
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(at) = buffer.find("\n\n") {
            let block: String = buffer.drain(..at + 2).collect();
            let (mut kind, mut data) = (String::new(), String::new());
            for line in block.lines() {
                if let Some(k) = line.strip_prefix("event:") {
                    kind = k.trim().to_string();
                } else if let Some(d) = line.strip_prefix("data:") {
                    data.push_str(d.trim());
                }
            }
            if !kind.is_empty() {
                events.push((kind, serde_json::from_str(&data).unwrap_or(Value::Null)));
            }
        }
    }
    events
}

#[tokio::test]
async fn a_run_trains_live_registers_its_model_and_reproduces_it() {
    let p = start(Options {
        training_lease: Some(Duration::from_secs(30)),
        ..Options::default()
    })
    .await;
    upload_parcels(&p).await;

    // Bad configs are named field by field, and queue nothing.
    let (status, problem) = submit(
        &p,
        As::DataScientist,
        "name = \"Bad\"\n[train]\nepochs = 0\n",
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"name") && fields.contains(&"train.epochs"),
        "{problem}"
    );
    let (status, problem) = submit(
        &p,
        As::DataScientist,
        &config("x", 1).replace("\"parcels\"]", "\"no-such-set\"]"),
    )
    .await;
    assert_eq!(status, 422);
    assert!(problem.to_string().contains("no-such-set"), "{problem}");
    let (status, _) = submit(&p, As::Reviewer, &config("x", 1)).await;
    assert_eq!(status, 403, "reviewers approve, they do not train");
    assert_eq!(
        p.get(As::DataScientist, "/api/v1/runs").await.1["runs"]
            .as_array()
            .unwrap()
            .len(),
        0
    );

    let (status, run) = submit(&p, As::DataScientist, &config("parcels-a", 7)).await;
    assert_eq!(status, 202, "{run}");
    let id = run["id"].as_i64().unwrap();
    assert_eq!(
        run["spec"]["datasets"][0]["version"], 1,
        "resolved to a version now"
    );

    // Followed live: status, epochs with loss and development accuracy, then the end.
    let events = stream(&p, id).await;
    let kinds: Vec<&str> = events.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(kinds.first(), Some(&"status"), "{kinds:?}");
    assert_eq!(kinds.last(), Some(&"end"));
    let epochs: Vec<&Value> = events
        .iter()
        .filter(|(k, _)| k == "epoch")
        .map(|(_, v)| v)
        .collect();
    assert_eq!(epochs.len(), 3);
    assert!(
        epochs
            .iter()
            .all(|e| e["loss"].as_f64().unwrap() > 0.0 && e["dev_top1"].is_number())
    );
    assert!(kinds.contains(&"progress") && kinds.contains(&"log"));

    let run = finished(&p, id).await;
    assert_eq!(run["status"], "succeeded", "{run}");
    let model = run["result"]["model"].as_str().unwrap().to_string();
    assert!(model.starts_with("head-"));
    assert_eq!(run["epochs"].as_array().unwrap().len(), 3);
    let env = &run["environment"];
    assert_eq!(env["code_revision"].as_str().unwrap().len(), 40, "{env}");
    assert!(env["libraries"].as_str().unwrap().contains("candle-core"));
    assert!(env["corpus_version"].is_string());
    let metrics = &run["result"]["metrics"];
    assert_eq!(metrics["development"]["cases"], 40);
    assert!(metrics["dataset:parcels"]["cases"].as_u64().unwrap() >= 1);
    assert!(
        metrics["speed"]["p99_ms"].as_f64().unwrap()
            >= metrics["speed"]["p50_ms"].as_f64().unwrap()
    );
    assert!(metrics["memory"]["resident_mib"].as_f64().unwrap() > 0.0);

    // A rerun: the same data versions, config and seed give the very same model.
    let (status, again) = p
        .json(
            As::DataScientist,
            Method::POST,
            &format!("/api/v1/runs/{id}/rerun"),
            None,
        )
        .await;
    assert_eq!(status, 202, "{again}");
    let again = finished(&p, again["id"].as_i64().unwrap()).await;
    assert_eq!(again["rerun_of"], id);
    assert_eq!(again["result"]["model"], model.as_str());
    assert_eq!(again["result"]["newly_registered"], false);
    assert_eq!(
        again["result"]["metrics"]["development"],
        metrics["development"]
    );

    // Without [evaluate], every set the platform knows: the built-in ones and each data set's
    // newest version, fixed when queued. Cancelled while queued: it never trains.
    let quick = config("everything", 5);
    let without_evaluate = &quick[..quick.find("[evaluate]").unwrap()];
    let (status, all) = submit(&p, As::DataScientist, without_evaluate).await;
    assert_eq!(status, 202, "{all}");
    assert_eq!(
        all["spec"]["config"]["evaluate"]["sets"],
        json!(["development", "test", "cbp", "dataset:parcels@1"])
    );
    let (status, _) = p
        .json(
            As::DataScientist,
            Method::POST,
            &format!("/api/v1/runs/{}/cancel", all["id"]),
            None,
        )
        .await;
    assert_eq!(status, 200);
    // Cancelled before its worker claimed it, or stopped (or, if training beat the next
    // heartbeat, finished): never lost.
    let all = finished(&p, all["id"].as_i64().unwrap()).await;
    assert!(
        ["cancelled", "succeeded"].contains(&all["status"].as_str().unwrap()),
        "{all}"
    );
    // Cancelled while queued: never trains.
    let (_, long) = submit(
        &p,
        As::DataScientist,
        &config("long", 9).replace("epochs = 3", "epochs = 50"),
    )
    .await;
    let long_id = long["id"].as_i64().unwrap();
    let (status, _) = p
        .json(
            As::DataScientist,
            Method::POST,
            &format!("/api/v1/runs/{long_id}/cancel"),
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(finished(&p, long_id).await["status"], "cancelled");

    let (status, models) = p.get(As::Officer, "/api/v1/models").await;
    assert_eq!(status, 200);
    // The first run's model, and the "everything" run's if it finished before its cancel
    // landed; never the long one's.
    let registered: Vec<&str> = models["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["version"].as_str().unwrap())
        .collect();
    let beat_its_cancel = all["status"] == "succeeded";
    assert_eq!(
        registered.len(),
        1 + usize::from(beat_its_cancel),
        "{models}"
    );
    assert!(registered.contains(&model.as_str()), "{models}");
    assert_eq!(models["serving"]["version"], Value::Null);
    assert_eq!(models["serving"]["answering_with"], "none");
    let trail = p.store.audit_trail(&format!("run:{id}")).await.unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["run.queued", "run.started", "run.succeeded"]);

    // Error analysis: the misclassified development cases, filtered; a correction becomes the
    // next version of the case's data set (the shared folder is registered first).
    let (status, errors) = p
        .get(
            As::Reviewer,
            &format!("/api/v1/models/{model}/errors?set=development"),
        )
        .await;
    assert_eq!(status, 200, "{errors}");
    let cases = errors["cases"].as_array().unwrap();
    assert!(!cases.is_empty() && cases.iter().all(|c| c["gold_rank"] != 1));
    let first = cases[0].clone();
    let source = first["source"].as_str().unwrap().to_string();
    let (_, by_source) = p
        .get(
            As::Reviewer,
            &format!("/api/v1/models/{model}/errors?set=development&source={source}"),
        )
        .await;
    assert!(
        by_source["cases"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["source"] == source.as_str())
    );
    let (_, confident) = p
        .get(
            As::Reviewer,
            &format!("/api/v1/models/{model}/errors?set=development&confidence=high"),
        )
        .await;
    assert!(
        confident["cases"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["confidence"].as_f64().unwrap() > 0.7)
    );
    let correct_path = format!("/api/v1/models/{model}/errors/correct");
    let correct = |body: Value| p.json(As::DataScientist, Method::POST, &correct_path, Some(body));
    let (status, _) = correct(json!({"set": "development", "case_id": first["case_id"], "action": "relabel", "code": "12"})).await;
    assert_eq!(status, 422, "a chapter is not a label");
    let (status, fixed) = correct(json!({"set": "development", "case_id": first["case_id"], "action": "relabel", "code": "010121"})).await;
    assert_eq!(status, 201, "{fixed}");
    assert_eq!(
        (fixed["dataset"].as_str(), fixed["version"].as_i64()),
        (Some(source.as_str()), Some(2))
    );
    assert!(
        fixed["source"].as_str().unwrap().contains("relabelled"),
        "{fixed}"
    );
    let rows = |v: i64| {
        let (p, source) = (&p, source.clone());
        async move {
            let res = p
                .call(
                    As::Reviewer,
                    Method::GET,
                    &format!("/api/v1/datasets/{source}/versions/{v}/rows"),
                    None,
                )
                .await;
            res.text()
                .await
                .unwrap()
                .lines()
                .map(|l| serde_json::from_str::<Value>(l).unwrap())
                .collect::<Vec<Value>>()
        }
    };
    let (v1, v2) = (rows(1).await, rows(2).await);
    let find = |rows: &[Value]| {
        rows.iter()
            .find(|r| r["id"] == first["case_id"])
            .map(|r| r["code"].clone())
    };
    assert_ne!(
        find(&v1),
        Some(json!("010121")),
        "version 1 stays as it was"
    );
    assert_eq!(find(&v2), Some(json!("010121")));
    let second = cases
        .iter()
        .find(|c| c["source"] == source.as_str() && c["case_id"] != first["case_id"])
        .unwrap();
    let (status, vague) =
        correct(json!({"set": "development", "case_id": second["case_id"], "action": "vague"}))
            .await;
    assert_eq!(status, 201, "{vague}");
    assert_eq!(vague["rows"].as_i64().unwrap(), v2.len() as i64 - 1);
    // The page shows the cases with their correction forms.
    let res = p
        .call(
            As::DataScientist,
            Method::GET,
            &format!("/models/{model}/errors?set=development"),
            None,
        )
        .await;
    assert_eq!(res.status().as_u16(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("misclassified cases match") && html.contains("Too vague"));
}

#[tokio::test]
async fn a_run_whose_worker_died_resumes_from_its_checkpoint() {
    let store = store::testing::fresh(Backend::Sqlite).await;
    let state_dir = tempfile::tempdir().unwrap().keep();
    // A run a worker claimed, checkpointed after one epoch, and died with.
    let toml = config("orphan", 11);
    let config = platform::RunConfig::from_toml(&toml).unwrap();
    let spec = server::platform::training::resolve(&store, config.clone()).await;
    assert!(spec.is_err(), "the data set is not there yet");
    let mut tx = store.write().await.unwrap();
    let mut rows: Vec<store::datasets::DatasetRow> = Vec::new();
    let mut parsed =
        platform::parse_rows(PARCELS.as_bytes(), platform::Format::Csv, "parcels").unwrap();
    platform::canonical_order(&mut parsed);
    for r in &parsed {
        rows.push(store::datasets::DatasetRow {
            id: r.id.clone(),
            text: r.text.clone(),
            code: r.code.clone(),
            source: r.source.clone(),
            split: platform::split_of(&r.text).as_str().to_string(),
        });
    }
    let meta = store::datasets::VersionMeta {
        name: "parcels".into(),
        version: 1,
        sha256: platform::content_hash(&parsed),
        source: "upload".into(),
        filename: None,
        row_count: rows.len() as i64,
        created_at: store::now(),
        created_by: "user:dana".into(),
    };
    tx.add_dataset_version(
        &store::datasets::DatasetVersion {
            meta,
            card: "{}".into(),
        },
        &rows,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let spec = server::platform::training::resolve(&store, config.clone())
        .await
        .unwrap();
    let mut tx = store.write().await.unwrap();
    let run = tx
        .enqueue_run(&store::runs::NewRun {
            name: "orphan".into(),
            config: toml.clone(),
            spec: serde_json::to_string(&spec).unwrap(),
            rerun_of: None,
            created_by: "user:dana".into(),
        })
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let claimed = store
        .claim_run("ghost", Duration::from_secs(60))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(claimed.id, run.id);
    let datasets = vec![engine::runs::DatasetRows {
        name: "parcels".into(),
        version: 1,
        rows: store
            .dataset_rows("parcels", 1, None)
            .await
            .unwrap()
            .into_iter()
            .map(|r| engine::runs::LabelledCase {
                id: r.id,
                text: r.text,
                code: r.code,
                source: r.source,
                split: r.split,
            })
            .collect(),
    }];
    let base = crate::common::classifier();
    let epochs = AtomicUsize::new(0);
    let inputs = engine::runs::RunInputs {
        config: &config,
        datasets: &datasets,
        dataset_eval: &[],
        base: &base,
        data_dir: &crate::common::data_dir(),
        run_dir: &state_dir.join("runs").join(format!("run-{}", run.id)),
        registry: &state_dir.join("models").join("registry"),
    };
    let end = engine::runs::execute(
        &inputs,
        &engine::runs::RunHooks {
            progress: &|_, _, _, _| {},
            epoch: &|_| {
                epochs.fetch_add(1, Ordering::SeqCst);
            },
            log: &|_| {},
            stop: &|| epochs.load(Ordering::SeqCst) >= 1,
        },
    )
    .unwrap();
    assert!(matches!(
        end,
        engine::runs::RunEnd::Stopped { epochs_done: 1 }
    ));
    store.set_checkpoint(run.id, 1).await.unwrap();

    // A new server: its worker finds the ghost's heartbeat stale and takes the run over.
    let p = start_on(
        store,
        state_dir,
        Options {
            training_lease: Some(Duration::from_secs(1)),
            ..Options::default()
        },
    )
    .await;
    let resumed = finished(&p, run.id).await;
    assert_eq!(resumed["status"], "succeeded", "{resumed}");
    assert_eq!(resumed["attempts"], 2);
    assert_eq!(resumed["result"]["resumed_after_epoch"], 1);
    assert!(
        resumed["log"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["body"]["status"] == "resumed")
    );
    // Exactly the model an uninterrupted run makes.
    let (_, straight) = p
        .json(
            As::DataScientist,
            Method::POST,
            &format!("/api/v1/runs/{}/rerun", run.id),
            None,
        )
        .await;
    let straight = finished(&p, straight["id"].as_i64().unwrap()).await;
    assert_eq!(straight["result"]["resumed_after_epoch"], 0);
    assert_eq!(straight["result"]["model"], resumed["result"]["model"]);
}

#[tokio::test]
async fn promotion_takes_two_people_swaps_under_load_and_rolls_back() {
    let p = Arc::new(
        start(Options {
            training_lease: Some(Duration::from_secs(30)),
            ..Options::default()
        })
        .await,
    );
    upload_parcels(&p).await;
    let mut versions = Vec::new();
    for (name, seed) in [("first", 1), ("second", 2)] {
        let (status, run) = submit(&p, As::DataScientist, &config(name, seed)).await;
        assert_eq!(status, 202, "{run}");
        let run = finished(&p, run["id"].as_i64().unwrap()).await;
        assert_eq!(run["status"], "succeeded", "{run}");
        versions.push(run["result"]["model"].as_str().unwrap().to_string());
    }
    let (a, b) = (&versions[0], &versions[1]);
    assert_ne!(a, b, "another seed, another model");

    // Side by side on the development cases both were measured on.
    let (status, cmp) = p
        .get(
            As::Reviewer,
            &format!("/api/v1/models/compare?a={a}&b={b}&set=development"),
        )
        .await;
    assert_eq!(status, 200, "{cmp}");
    let overall = &cmp["comparison"]["overall"];
    assert_eq!(overall["cases"], 40);
    let (low, diff, high) = (
        overall["low"].as_f64().unwrap(),
        overall["diff"].as_f64().unwrap(),
        overall["high"].as_f64().unwrap(),
    );
    assert!(low <= diff && diff <= high, "{overall}");
    assert!(
        ["better", "worse", "no_difference"]
            .contains(&cmp["comparison"]["verdict"].as_str().unwrap())
    );
    assert!(cmp["comparison"]["by_chapter"].as_array().unwrap().len() > 1);
    assert!(
        !cmp["comparison"]["by_section"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let flips = cmp["comparison"]["to_right"].as_array().unwrap().len()
        + cmp["comparison"]["to_wrong"].as_array().unwrap().len();
    let a_right = (overall["a"].as_f64().unwrap() * 40.0).round() as i64;
    let b_right = (overall["b"].as_f64().unwrap() * 40.0).round() as i64;
    assert!(flips as i64 >= (a_right - b_right).abs());
    let (status, _) = p
        .get(
            As::Reviewer,
            &format!("/api/v1/models/compare?a={a}&b={b}&set=test"),
        )
        .await;
    assert_eq!(status, 422, "neither was measured on the test split");

    // Four eyes: a data scientist proposes; only a reviewer approves.
    let path = |v: &str, action: &str| format!("/api/v1/models/{v}/{action}");
    let (status, _) = p
        .json(
            As::Reviewer,
            Method::POST,
            &path(b, "propose"),
            Some(json!({"note": "x"})),
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = p
        .json(As::Reviewer, Method::POST, &path(b, "approve"), None)
        .await;
    assert_eq!(status, 409, "nothing proposed yet");
    let (status, proposed) = p
        .json(
            As::DataScientist,
            Method::POST,
            &path(b, "propose"),
            Some(json!({"note": "better on parcels"})),
        )
        .await;
    assert_eq!(
        (status, proposed["status"].as_str()),
        (200, Some("proposed"))
    );
    let (status, _) = p
        .json(As::DataScientist, Method::POST, &path(b, "approve"), None)
        .await;
    assert_eq!(status, 403, "the proposer cannot approve");

    // Classifications keep coming while the reviewer approves: none fails, and the answers
    // switch from the installed model to the promoted one.
    let stop = Arc::new(AtomicBool::new(false));
    let mut load = Vec::new();
    for _ in 0..4 {
        let (p, stop) = (p.clone(), stop.clone());
        load.push(tokio::spawn(async move {
            let (mut ok, mut failed, mut seen) = (0usize, 0usize, Vec::<String>::new());
            while !stop.load(Ordering::SeqCst) {
                let res = p
                    .server
                    .client
                    .post(p.server.url("/api/v1/classify"))
                    .json(&json!({"description": "frozen peeled shrimp", "limit": 3}))
                    .send()
                    .await;
                match res {
                    Ok(r) if r.status().is_success() => {
                        ok += 1;
                        let v: Value = r.json().await.unwrap();
                        let m = v["model"].as_str().unwrap().to_string();
                        if !seen.contains(&m) {
                            seen.push(m);
                        }
                    }
                    _ => failed += 1,
                }
            }
            (ok, failed, seen)
        }));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (status, approved) = p
        .json(As::Reviewer, Method::POST, &path(b, "approve"), None)
        .await;
    assert_eq!(status, 200, "{approved}");
    assert_eq!(approved["serving"]["version"], b.as_str());
    assert_eq!(approved["serving"]["answering_with"], b.as_str());
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::SeqCst);
    let (mut ok, mut failed, mut seen) = (0, 0, Vec::new());
    for h in load {
        let (o, f, s) = h.await.unwrap();
        ok += o;
        failed += f;
        seen.extend(s);
    }
    assert_eq!(failed, 0, "{ok} served");
    assert!(
        seen.contains(&"none".to_string()) && seen.contains(b),
        "{seen:?}"
    );

    // One call rolls back; the answers follow at once.
    let (status, back) = p
        .json(As::Officer, Method::POST, "/api/v1/models/rollback", None)
        .await;
    assert_eq!(status, 403);
    let (status, back2) = p
        .json(As::Reviewer, Method::POST, "/api/v1/models/rollback", None)
        .await;
    assert_eq!(status, 200, "{back} {back2}");
    assert_eq!(back2["serving"]["version"], Value::Null);
    let answer: Value = p
        .server
        .client
        .post(p.server.url("/api/v1/classify"))
        .json(&json!({"description": "frozen peeled shrimp"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["model"], "none");
    let (status, _) = p
        .json(As::Reviewer, Method::POST, "/api/v1/models/rollback", None)
        .await;
    assert_eq!(status, 409, "nothing left to roll back");
    let trail = p.store.audit_trail("serving:model").await.unwrap();
    let actions: Vec<(&str, &str)> = trail
        .iter()
        .map(|e| (e.action.as_str(), e.actor.as_str()))
        .collect();
    assert_eq!(actions.len(), 2);
    assert_eq!(actions[0].0, "serving.promote");
    assert_eq!(actions[1].0, "serving.rollback");
    assert_eq!(p.store.model(b).await.unwrap().unwrap().status, "promoted");
}

#[test]
fn one_process_of_a_machine_trains_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let training = server::platform::training::Training::new(
        dir.path().to_path_buf(),
        crate::common::classifier(),
        true,
    );
    let held = training.machine_lock();
    assert!(held.is_some());
    assert!(training.machine_lock().is_none(), "a second trainer waits");
    drop(held);
    assert!(training.machine_lock().is_some());
    // A run left by a process of this machine that no longer exists is resumed at start-up.
    let (host, _) = training.worker.rsplit_once('-').unwrap();
    assert!(training.is_gone(&format!("{host}-999999999")));
    assert!(!training.is_gone(&training.worker), "this process is alive");
    assert!(
        !training.is_gone("another-machine-1"),
        "another machine's worker has a lease"
    );
}

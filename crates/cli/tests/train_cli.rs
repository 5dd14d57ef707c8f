//! `customs train --config` as an analyst runs it: a bad config is named field by field with
//! exit code 2; a good one is queued on the platform, trained here, measured and registered;
//! `--detach` only queues, and `customs worker --once` runs what is queued.

use std::process::{Command, Output};

fn customs(state: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_customs"))
        .arg("--no-encoder")
        .arg("--state-dir")
        .arg(state)
        .env(
            "CUSTOMS_DATA_DIR",
            settings::data_dir_for_tests(env!("CARGO_MANIFEST_DIR")),
        )
        .args(args)
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The labelled sets under the data directory, n-grams only, small layers: seconds.
const QUICK: &str = r#"name = "quick"
seed = 3

[recipe]
tariff = 0.0
extra_national = 0.0
chinese = 0.0

[train]
epochs = 2
batch = 128
hidden = 16
bag = 8
buckets = 4096
learning_rate = 0.05

[evaluate]
sets = ["development"]
max_cases = 30
"#;

#[test]
fn a_config_is_checked_queued_trained_and_registered() {
    let state = tempfile::tempdir().unwrap();
    let s = state.path();
    let bad = s.join("bad.toml");
    std::fs::write(&bad, "name = \"Quick\"\n[train]\nepochs = 0\nhiden = 3\n").unwrap();
    let out = customs(s, &["train", "--config", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("hiden"), "{}", text(&out));
    let bad_range = s.join("range.toml");
    std::fs::write(&bad_range, "name = \"Quick\"\n[train]\nepochs = 0\n").unwrap();
    let out = customs(s, &["train", "--config", bad_range.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("train.epochs") && text(&out).contains("name:"),
        "{}",
        text(&out)
    );

    let good = s.join("quick.toml");
    std::fs::write(&good, QUICK).unwrap();
    let out = customs(s, &["train", "--config", good.to_str().unwrap()]);
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("run #1 queued"), "{said}");
    assert!(said.contains("epoch 2: loss"), "{said}");
    assert!(said.contains("run #1: succeeded"), "{said}");
    assert!(
        said.contains("model head-") && said.contains("(registered)"),
        "{said}"
    );
    assert!(said.contains("development"), "{said}");

    // Queued only, then run by a worker process: the same config, the same model.
    let out = customs(
        s,
        &["train", "--config", good.to_str().unwrap(), "--detach"],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "2");
    let out = customs(s, &["worker", "--once"]);
    let said = text(&out);
    assert!(out.status.success(), "{said}");
    assert!(said.contains("run #2: succeeded"), "{said}");
    assert!(
        said.contains("already registered: the same weights"),
        "{said}"
    );
}

//! `customs guide` and `customs eval --guided` as a user runs them: the real binary, the real
//! data, a fresh state directory.

use std::io::Write;
use std::process::{Command, Stdio};

fn customs(state: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_customs"));
    cmd.arg("--no-encoder").arg("--state-dir").arg(state).env(
        "CUSTOMS_DATA_DIR",
        settings::data_dir_for_tests(env!("CARGO_MANIFEST_DIR")),
    );
    cmd
}

#[test]
fn guide_runs_a_dialogue_on_piped_answers() {
    let state = tempfile::tempdir().unwrap();
    let mut child = customs(state.path())
        .args(["guide", "dried", "fruit"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // Take the first choice twice, go back once, then pick the first candidate.
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"1\nb\n1\np 1\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("known from the description: state = Dried"),
        "{text}"
    );
    assert!(text.contains("1) "), "choices are numbered: {text}");
    assert!(text.contains("Result: "), "{text}");
    assert!(
        text.contains("picked") || text.contains("confident"),
        "{text}"
    );
    // What the answers ruled out is grouped under the answer, each code by its own text.
    let ruled: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("  ruled out by \""))
        .collect();
    assert!(
        !ruled.is_empty(),
        "the first choice rules the others out: {text}"
    );
    assert!(
        ruled.iter().all(|l| !l.contains(" › ")),
        "no nomenclature path: {text}"
    );
    let code = ruled[1].split_whitespace().next().unwrap_or_default();
    assert!(
        code.len() == 7 && code.as_bytes()[4] == b'.',
        "a code (8438.60) under the answer: {text}"
    );
}

#[test]
fn guided_evaluation_writes_reports_and_bad_flags_exit_2() {
    let state = tempfile::tempdir().unwrap();
    let cases = state.path().join("cases.jsonl");
    std::fs::write(
        &cases,
        "{\"description\":\"dried apricots\",\"code\":\"081310\"}\n{\"description\":\"men's cotton trousers\",\"code\":\"620342\"}\n",
    )
    .unwrap();
    let out_dir = state.path().join("reports");
    let out = customs(state.path())
        .args(["eval", "--guided", "--cases"])
        .arg(&cases)
        .arg("--out")
        .arg(&out_dir)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("correct@6"), "{text}");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("guided.json")).unwrap()).unwrap();
    assert_eq!(report["cases"], 2);
    assert_eq!(report["runs"].as_array().unwrap().len(), 2);
    let html = std::fs::read_to_string(out_dir.join("guided.html")).unwrap();
    assert!(html.contains("<svg"), "the report has its chart");

    let bad = customs(state.path())
        .args(["eval", "--guided", "--threshold", "1.5"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--threshold"));
    for (flag, value) in [
        ("--branch-shares", "0.6,0.5"),
        ("--branch-shares", "0.1"),
        ("--prior-power", "0"),
    ] {
        let bad = customs(state.path())
            .args(["eval", "--guided", flag, value])
            .output()
            .unwrap();
        assert_eq!(bad.status.code(), Some(2), "{flag} {value}");
        assert!(
            String::from_utf8_lossy(&bad.stderr).contains(flag),
            "{}",
            String::from_utf8_lossy(&bad.stderr)
        );
    }
    // The report carries where the classifier put each gold code's chapter and heading.
    assert!(report["runs"][0]["prior_chapter_rank"].as_u64().unwrap() >= 1);
}

#[test]
fn guided_evaluation_in_chinese_takes_eleven_digit_gold_codes() {
    let state = tempfile::tempdir().unwrap();
    let cases = state.path().join("zh.jsonl");
    // Taiwan's 11-digit lines, as the zh-TW development set labels them; compared on HS6.
    std::fs::write(
        &cases,
        "{\"description\":\"冷凍雞翅\",\"code\":\"02071411002\"}\n{\"description\":\"男用棉質梭織長褲\",\"code\":\"62034220009\"}\n",
    )
    .unwrap();
    let out_dir = state.path().join("reports");
    let out = customs(state.path())
        .args(["eval", "--guided", "--zh", "--cases"])
        .arg(&cases)
        .arg("--out")
        .arg(&out_dir)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("guided.json")).unwrap()).unwrap();
    assert_eq!(report["cases"], 2);
    assert_eq!(report["skipped"], 0);
    let runs = report["runs"].as_array().unwrap();
    // The Chinese prior is what makes this work: the English legs read no Chinese.
    let wings = runs.iter().find(|r| r["gold"] == "020714").unwrap();
    assert_eq!(wings["result"], "020714", "{wings}");
    assert!(wings["questions"].as_u64().unwrap() <= 3, "{wings}");
}

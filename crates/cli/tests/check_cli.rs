//! `customs check` as a broker runs it on a file of declaration lines: the real binary, the
//! real data, a fresh state directory.

use std::path::Path;
use std::process::{Command, Output};

fn check(state: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_customs"))
        .arg("--no-encoder")
        .arg("--state-dir")
        .arg(state)
        .env(
            "CUSTOMS_DATA_DIR",
            settings::data_dir_for_tests(env!("CARGO_MANIFEST_DIR")),
        )
        .arg("check")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn declarations_get_a_verdict_each() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("lines.csv");
    std::fs::write(
        &input,
        "id,description,declared_code\n\
         1,\"men's cotton t-shirts, knitted\",610910\n\
         2,\"men's cotton t-shirts, knitted\",870321\n\
         3,fresh bananas,999999\n",
    )
    .unwrap();
    let out = dir.path().join("verdicts.csv");
    let o = check(
        &dir.path().join("state"),
        &[input.to_str().unwrap(), "--out", out.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let verdicts = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = verdicts.lines().collect();
    assert!(
        lines[0].starts_with("id,declared_code,verdict,risk"),
        "{verdicts}"
    );
    assert!(lines[1].starts_with("1,610910,consistent,"), "{verdicts}");
    assert!(lines[2].starts_with("2,870321,suspicious,"), "{verdicts}");
    assert!(
        lines[2].contains("6109.10 ("),
        "the likelier code is named: {verdicts}"
    );
    assert!(lines[3].starts_with("3,999999,invalid_code,"), "{verdicts}");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("3 lines: 1 suspicious, 1 with invalid codes"),
        "{stderr}"
    );
}

/// A bad file is refused before any model loads, with exit code 2 and the line at fault, and
/// no results file is left behind.
#[test]
fn a_bad_file_is_refused_whole_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let out = dir.path().join("verdicts.csv");
    let no_column = dir.path().join("no-column.csv");
    std::fs::write(&no_column, "description,code\nbananas,080390\n").unwrap();
    let short_row = dir.path().join("short-row.csv");
    std::fs::write(
        &short_row,
        "description,declared_code\nbananas,080390\nonly a description\n",
    )
    .unwrap();
    let long = dir.path().join("long.csv");
    std::fs::write(
        &long,
        format!(
            "description,declared_code\n{},080390\n",
            "banana ".repeat(400)
        ),
    )
    .unwrap();
    let empty = dir.path().join("empty.csv");
    std::fs::write(
        &empty,
        "description,declared_code\nbananas,080390\n\"  \",080390\n",
    )
    .unwrap();
    let many = dir.path().join("many.csv");
    std::fs::write(
        &many,
        format!(
            "description,declared_code\n{}",
            "bananas,080390\n".repeat(100_001)
        ),
    )
    .unwrap();
    for (input, expected) in [
        (&no_column, "has no column \"declared_code\""),
        (&short_row, "row 3"),
        (
            &long,
            "row 2: the description has 2799 characters; the limit is 2000",
        ),
        (&empty, "row 3: the description is empty"),
        (&many, "more than 100000 lines"),
        (&dir.path().join("missing.csv"), "cannot read"),
    ] {
        let o = check(
            &state,
            &[input.to_str().unwrap(), "--out", out.to_str().unwrap()],
        );
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(expected), "{expected}: {stderr}");
        assert!(!out.exists(), "nothing written for {}", input.display());
        assert!(
            !state.join("corpus").exists(),
            "refused before the classifier was built: {stderr}"
        );
    }
}

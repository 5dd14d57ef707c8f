//! Platform commands as an operator runs them: the first administrator added from the
//! console, the audit chain verified (and a tampered one caught), rulings exported for the
//! corpus.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn customs(state: &std::path::Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_customs"))
        .arg("--state-dir")
        .arg(state)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn users_audit_and_rulings_from_the_console() {
    let state = tempfile::tempdir().unwrap();
    let s = state.path();
    let add = customs(
        s,
        &[
            "user",
            "add",
            "--email",
            "root@customs.example",
            "--name",
            "Root",
            "--role",
            "admin",
        ],
        "a long enough secret\n",
    );
    assert!(add.status.success(), "{}", text(&add));
    assert!(text(&add).contains("added admin root@customs.example"));

    let again = customs(
        s,
        &[
            "user",
            "add",
            "--email",
            "root@customs.example",
            "--name",
            "Root",
            "--role",
            "admin",
        ],
        "a long enough secret\n",
    );
    assert_eq!(
        again.status.code(),
        Some(2),
        "a duplicate is bad input: {}",
        text(&again)
    );
    let weak = customs(
        s,
        &[
            "user",
            "add",
            "--email",
            "x@customs.example",
            "--name",
            "X",
            "--role",
            "officer",
        ],
        "short\n",
    );
    assert_eq!(weak.status.code(), Some(2), "{}", text(&weak));
    let no_company = customs(
        s,
        &[
            "user",
            "add",
            "--email",
            "t@trade.example",
            "--name",
            "T",
            "--role",
            "trader",
        ],
        "a long enough secret\n",
    );
    assert_eq!(no_company.status.code(), Some(2), "{}", text(&no_company));
    let trader = customs(
        s,
        &[
            "user",
            "add",
            "--email",
            "t@trade.example",
            "--name",
            "T",
            "--role",
            "trader",
            "--company",
            "04595257",
            "--company-name",
            "Formosa Fruit",
        ],
        "a long enough secret\n",
    );
    assert!(trader.status.success(), "{}", text(&trader));

    let verify = customs(s, &["audit", "verify"], "");
    assert!(verify.status.success(), "{}", text(&verify));
    assert!(
        text(&verify).contains("audit log intact: 3 entries"),
        "{}",
        text(&verify)
    );

    let export = customs(s, &["rulings", "export"], "");
    assert!(export.status.success(), "{}", text(&export));
    let csv = std::fs::read_to_string(s.join("labelled/customs-rulings/labelled.csv")).unwrap();
    assert_eq!(
        csv.lines().next(),
        Some("id,description,code,source,decided_at")
    );

    // Tamper with the log behind the service's back: verify names the entry, exit 1.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let url = format!("sqlite://{}", s.join("customs.db").display());
        let store = store::Store::connect(&url).await.unwrap();
        sqlx::query("UPDATE audit_log SET actor = 'user:someone-else' WHERE seq = 2")
            .execute(store.pool())
            .await
            .unwrap();
        store.close().await;
    });
    let broken = customs(s, &["audit", "verify"], "");
    assert_eq!(broken.status.code(), Some(1), "{}", text(&broken));
    assert!(
        text(&broken).contains("BROKEN at entry 2"),
        "{}",
        text(&broken)
    );

    let bad_url = customs(s, &["--database-url", "mysql://x", "audit", "verify"], "");
    assert_eq!(bad_url.status.code(), Some(2), "{}", text(&bad_url));
}

#[test]
fn data_sets_from_the_console() {
    let state = tempfile::tempdir().unwrap();
    let s = state.path();
    let data = settings::data_dir_for_tests(env!("CARGO_MANIFEST_DIR"));
    let data = data.to_str().unwrap();
    let dataset = |args: &[&str]| {
        let mut all = vec!["--data-dir", data, "dataset"];
        all.extend_from_slice(args);
        customs(s, &all, "")
    };
    let fixture = s.join("parcels.csv");
    std::fs::write(
        &fixture,
        include_str!("../../platform/tests/fixtures/card.csv"),
    )
    .unwrap();
    let fixture = fixture.to_str().unwrap();

    let add = dataset(&["add", fixture, "--name", "parcels"]);
    assert!(add.status.success(), "{}", text(&add));
    assert!(
        text(&add).contains("registered version 1 of parcels: 15 rows"),
        "{}",
        text(&add)
    );
    assert!(text(&add).contains("leakage between splits: 2 pairs"));
    let again = dataset(&["add", fixture, "--name", "parcels"]);
    assert!(again.status.success(), "{}", text(&again));
    assert!(text(&again).contains("identical to version 1 of parcels"));
    assert!(text(&again).contains("no new version"));

    let shared = dataset(&[
        "register",
        "--name",
        "cbp",
        "--source",
        "shared:us-cbp-cross-ny-sample",
    ]);
    assert!(shared.status.success(), "{}", text(&shared));
    assert!(text(&shared).contains("182 rows"), "{}", text(&shared));

    // Bad input is a message and exit code 2.
    let bad = s.join("bad.csv");
    std::fs::write(&bad, "text,code\nhorses,0101\ncows,01x\n").unwrap();
    let refused = dataset(&["add", bad.to_str().unwrap(), "--name", "bad"]);
    assert_eq!(refused.status.code(), Some(2), "{}", text(&refused));
    assert!(text(&refused).contains("line 3"), "{}", text(&refused));
    for args in [
        &["add", "/no/such/file.csv", "--name", "x"][..],
        &["add", fixture, "--name", "Not A Name"],
        &[
            "register",
            "--name",
            "x",
            "--source",
            "shared:no-such-folder",
        ],
        &["register", "--name", "x", "--source", "ftp://x"],
        &["register", "--name", "x", "--source", "rulings"],
    ] {
        let out = dataset(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out));
    }

    let list = dataset(&["list"]);
    assert!(
        text(&list).contains("parcels") && text(&list).contains("shared:us-cbp-cross-ny-sample")
    );
    let card = dataset(&["card", "parcels@1", "--json"]);
    assert!(card.status.success(), "{}", text(&card));
    let json: serde_json::Value = serde_json::from_slice(&card.stdout).unwrap();
    assert_eq!(json["card"]["rows"], 15);
    assert_eq!(json["card"]["conflicts"]["texts"], 1);
    assert_eq!(json["version"]["source"], "upload");
    let plain = dataset(&["card", "cbp"]);
    assert!(
        text(&plain).contains("cbp v1: 182 rows"),
        "{}",
        text(&plain)
    );
    assert_eq!(dataset(&["card", "nothing"]).status.code(), Some(1));

    let verify = customs(s, &["audit", "verify"], "");
    assert!(
        text(&verify).contains("audit log intact: 2 entries"),
        "{}",
        text(&verify)
    );
}

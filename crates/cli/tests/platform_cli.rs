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

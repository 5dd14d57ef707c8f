//! `customs tariff …` and `customs duty` on the real Taiwan tariff: exit 0 with the answer,
//! 2 with a message on bad input, 1 when something is wrong in the data.

use std::path::PathBuf;
use std::process::{Command, Output};

fn data_dir() -> PathBuf {
    settings::data_dir_for_tests(env!("CARGO_MANIFEST_DIR"))
}

fn customs(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_customs"))
        .arg("--data-dir")
        .arg(data_dir())
        .args(args)
        .output()
        .expect("customs runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn every_duty_cell_of_the_tariff_parses() {
    let o = customs(&["tariff", "check"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("12686 lines, 38058 duty cells"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("every cell parses"));
}

#[test]
fn a_line_shows_its_names_rates_and_units() {
    let o = customs(&["tariff", "show", "8517.13.00.00-5"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("智慧型手機") && out.contains("Smart phone"),
        "{out}"
    );
    assert!(out.contains("第三欄 (column 3): 10%"), "{out}");
    let o = customs(&["tariff", "show", "85171300006"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("expected 5"), "{}", stderr(&o));
}

#[test]
fn duty_is_worked_out_step_by_step() {
    // Lamb from Australia: NT$11.3/KGM × 5,000 = 56,500 beats 15 % of 100,000; tax 7,825.
    let o = customs(&[
        "duty",
        "--code",
        "02041000002",
        "--cif",
        "100000",
        "--origin",
        "AU",
        "--quantity",
        "5000",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("duty NT$56500  business tax NT$7825  total NT$64325"),
        "{}",
        stdout(&o)
    );
    let o = customs(&[
        "duty",
        "--code",
        "02041000002",
        "--cif",
        "100000",
        "--origin",
        "AU",
    ]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "a specific rate needs its quantity"
    );
    assert!(stderr(&o).contains("KGM"), "{}", stderr(&o));
    let o = customs(&[
        "duty",
        "--code",
        "85171300005",
        "--cif",
        "30000",
        "--origin",
        "XYZ",
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn editions_are_compared_line_by_line() {
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tariff/tests/fixtures");
    let o = customs(&[
        "tariff",
        "diff",
        fixtures.join("tw_tariff_edition_a.csv").to_str().unwrap(),
        fixtures.join("tw_tariff_edition_b.csv").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("lines added") && out.contains("rate changes"),
        "{out}"
    );
    assert!(
        out.lines().any(|l| l.starts_with("~ ")),
        "rate changes are listed: {out}"
    );
}

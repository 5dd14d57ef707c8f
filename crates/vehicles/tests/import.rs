use proptest::prelude::*;
use vehicles::{Fuel, parse_csv};

const HEADER: &str = "vin,make,model,model_year,body_type,engine_number,engine_cc,fuel,colour,declaration_number,clearance_date,duties_twd,certificate_number";

fn row(vin: &str, make: &str, year: &str, fuel: &str, cc: &str) -> String {
    format!("{vin},{make},M,{year},Sedan,E1,{cc},{fuel},Red,AA12345678901B,2024-03-15,1000.5,C-1")
}

#[test]
fn valid_file_is_importable_with_line_numbers() {
    let csv = format!(
        "{HEADER}\n{}\n{}\n",
        row("1HGCM82633A004352", "Honda", "2003", "petrol", "2354"),
        row("5YJ3E1EA8KF000001", "Tesla", "2019", "electric", ""),
    );
    let report = parse_csv(csv.as_bytes());
    assert!(report.is_importable(), "{report:?}");
    let lines: Vec<usize> = report.accepted.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, [2, 3]);
    assert_eq!(report.accepted[1].1.fuel, Fuel::Electric);
    assert_eq!(report.accepted[0].1.duties_twd, "1000.50");
}

#[test]
fn columns_may_come_in_any_order_and_case() {
    let header = "Certificate_Number, DUTIES_TWD,clearance_date,declaration_number,colour,fuel,engine_cc,engine_number,body_type,model_year,model,make,vin";
    let csv = format!(
        "{header}\nC-1,0,2024-01-02,AA12345678901B,Red,diesel,1998,E1,Wagon,2003,Accord,Honda,1HGCM82633A004352\n"
    );
    let report = parse_csv(csv.as_bytes());
    assert!(report.is_importable(), "{report:?}");
    assert_eq!(report.accepted[0].1.make, "Honda");
}

#[test]
fn bad_rows_are_rejected_and_block_the_import() {
    let csv = format!(
        "{HEADER}\n{}\n{}\nonly,three,fields\n",
        row("1HGCM82633A004352", "Honda", "2003", "petrol", "2354"),
        row("1HGCM82633A004353", "Honda", "2003", "coal", "2354"),
    );
    let report = parse_csv(csv.as_bytes());
    assert!(!report.is_importable());
    assert_eq!(report.accepted.len(), 1);
    assert_eq!(report.rejected.len(), 2);
    let bad = &report.rejected[0];
    assert_eq!(bad.line, 3);
    let fields: Vec<_> = bad.issues.iter().map(|issue| issue.field).collect();
    assert_eq!(fields, ["vin", "fuel"]);
    assert_eq!(report.rejected[1].line, 4);
    assert_eq!(report.rejected[1].issues[0].field, "row");
}

#[test]
fn repeated_vin_rejects_the_later_line() {
    let csv = format!(
        "{HEADER}\n{}\n{}\n{}\n",
        row("1HGCM82633A004352", "Honda", "2003", "petrol", "2354"),
        row("WBA0000009A000001", "BMW", "2009", "diesel", "1995"),
        row("1hgcm82633a004352", "Honda", "2003", "petrol", "2354"),
    );
    let report = parse_csv(csv.as_bytes());
    assert_eq!(report.accepted.len(), 2);
    assert_eq!(
        report.duplicate_vins,
        [(4, "1HGCM82633A004352".to_string())]
    );
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.rejected[0].line, 4);
    assert!(report.rejected[0].issues[0].message.contains("line 2"));
}

#[test]
fn quoted_fields_keep_commas_and_line_numbers() {
    let csv = format!(
        "{HEADER}\n{}\n{}\n{}\n",
        row("1HGCM82633A004352", "Honda", "2003", "petrol", "2354")
            .replace(",M,", ",\"Accord, 2.4\","),
        // A quoted line break makes this record span lines 3 and 4.
        row("WBA0000009A000002", "BMW", "2009", "diesel", "1995").replace(",M,", ",\"3\nSeries\","),
        row("WBA0000009A000001", "BMW", "2009", "diesel", "1995"),
    );
    let report = parse_csv(csv.as_bytes());
    assert_eq!(report.accepted[0].1.model, "Accord, 2.4");
    assert_eq!(report.accepted[1].0, 5);
    assert_eq!(report.rejected.len(), 1);
    assert_eq!(report.rejected[0].line, 3);
    assert_eq!(report.rejected[0].issues[0].field, "model");
}

#[test]
fn missing_column_is_a_file_error() {
    let header = HEADER.replace(",certificate_number", "");
    let report = parse_csv(format!("{header}\n").as_bytes());
    assert!(
        report
            .file_error
            .unwrap()
            .to_string()
            .contains("certificate_number")
    );
}

fn valid_row() -> impl Strategy<Value = String> {
    // European WMIs: no mandatory check digit, so any serial is a valid VIN.
    "[0-9]{6}".prop_map(|serial| {
        row(
            &format!("WBA0000009A{serial}"),
            "BMW",
            "2009",
            "diesel",
            "1995",
        )
    })
}

fn garbage_row() -> impl Strategy<Value = String> {
    // Non-empty lines without quotes or line breaks: exactly one CSV record each.
    "[^\r\n\"]{1,120}"
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let report = parse_csv(&bytes);
        if report.file_error.is_some() {
            prop_assert!(report.accepted.is_empty() && report.rejected.is_empty());
        }
    }

    #[test]
    fn every_row_is_accepted_or_rejected_exactly_once(
        rows in proptest::collection::vec(prop_oneof![valid_row(), garbage_row()], 0..30)
    ) {
        let csv = format!("{HEADER}\n{}", rows.join("\n"));
        let report = parse_csv(csv.as_bytes());
        prop_assert!(report.file_error.is_none());
        prop_assert_eq!(report.accepted.len() + report.rejected.len(), rows.len());
        let mut lines: Vec<usize> = report.accepted.iter().map(|(line, _)| *line)
            .chain(report.rejected.iter().map(|row| row.line))
            .collect();
        lines.sort_unstable();
        let expected: Vec<usize> = (2..rows.len() + 2).collect();
        prop_assert_eq!(lines, expected);
        for (line, _) in &report.duplicate_vins {
            prop_assert!(report.rejected.iter().any(|row| row.line == *line));
        }
    }
}

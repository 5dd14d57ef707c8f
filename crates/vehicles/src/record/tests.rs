use super::*;

fn honda() -> ClearanceInput {
    ClearanceInput {
        vin: "1HGCM82633A004352".into(),
        make: "Honda".into(),
        model: "Accord".into(),
        model_year: "2003".into(),
        body_type: "Sedan".into(),
        engine_number: "K24A4-1234567".into(),
        engine_cc: "2354".into(),
        fuel: "Gasoline".into(),
        colour: "Silver".into(),
        declaration_number: "aa12345678901b".into(),
        clearance_date: "2024-03-15".into(),
        duties_twd: "125000.5".into(),
        certificate_number: "CERT-2024-0001".into(),
    }
}

fn tesla() -> ClearanceInput {
    ClearanceInput {
        vin: "5YJ3E1EA8KF000001".into(),
        make: "Tesla".into(),
        model: "Model 3".into(),
        model_year: "2019".into(),
        fuel: "BEV".into(),
        engine_cc: String::new(),
        ..honda()
    }
}

fn fields_of(issues: &[FieldIssue]) -> Vec<&'static str> {
    issues.iter().map(|issue| issue.field).collect()
}

#[test]
fn valid_input_becomes_typed_canonical_clearance() {
    let c = validate(&honda()).unwrap();
    assert_eq!(c.vin.as_str(), "1HGCM82633A004352");
    assert_eq!(c.model_year, 2003);
    assert_eq!(c.engine_cc, Some(2354));
    assert_eq!(c.fuel, Fuel::Petrol);
    assert_eq!(c.declaration_number, "AA12345678901B");
    assert_eq!(c.duties_twd, "125000.50");
    assert_eq!(c.status, Status::Cleared);
    assert!(anomalies(&c).is_empty());
}

#[test]
fn all_issues_are_collected_at_once() {
    let input = ClearanceInput {
        vin: "1HGCM82633A004353".into(),
        model_year: "20x3".into(),
        declaration_number: "123".into(),
        clearance_date: "2024-02-30".into(),
        duties_twd: "12.345".into(),
        certificate_number: "C".repeat(31),
        colour: " ".into(),
        ..honda()
    };
    let issues = validate(&input).unwrap_err();
    assert_eq!(
        fields_of(&issues),
        [
            "vin",
            "model_year",
            "colour",
            "declaration_number",
            "clearance_date",
            "duties_twd",
            "certificate_number"
        ]
    );
    assert!(issues[0].message.contains("check digit"), "{}", issues[0]);
}

#[test]
fn electric_vehicles_need_no_engine_capacity() {
    let c = validate(&tesla()).unwrap();
    assert_eq!(c.fuel, Fuel::Electric);
    assert_eq!(c.engine_cc, None);
    let zero = validate(&ClearanceInput {
        engine_cc: "0".into(),
        ..tesla()
    })
    .unwrap();
    assert_eq!(zero.engine_cc, None);
    assert!(anomalies(&c).is_empty());
}

#[test]
fn combustion_vehicles_need_engine_capacity() {
    for cc in ["", "0", "40000", "1.6"] {
        let issues = validate(&ClearanceInput {
            engine_cc: cc.into(),
            ..honda()
        })
        .unwrap_err();
        assert_eq!(fields_of(&issues), ["engine_cc"], "{cc:?}");
    }
}

#[test]
fn unknown_fuel_is_an_issue_but_capacity_is_still_checked() {
    let input = ClearanceInput {
        fuel: "steam".into(),
        engine_cc: "abc".into(),
        ..honda()
    };
    assert_eq!(
        fields_of(&validate(&input).unwrap_err()),
        ["fuel", "engine_cc"]
    );
}

#[test]
fn fuel_synonyms_are_recognised() {
    let cases = [
        ("PETROL", Fuel::Petrol),
        ("unleaded", Fuel::Petrol),
        ("Diesel", Fuel::Diesel),
        ("HEV", Fuel::Hybrid),
        ("Plug-in Hybrid", Fuel::PluginHybrid),
        ("phev", Fuel::PluginHybrid),
        ("plug_in_hybrid", Fuel::PluginHybrid),
        ("Battery Electric", Fuel::Electric),
        ("fuel cell", Fuel::Hydrogen),
        ("LPG", Fuel::Lpg),
        ("natural gas", Fuel::Cng),
        ("柴油", Fuel::Diesel),
    ];
    for (text, fuel) in cases {
        assert_eq!(Fuel::parse(text), Some(fuel), "{text}");
        assert_eq!(Fuel::parse(fuel.as_str()), Some(fuel));
    }
    assert_eq!(Fuel::parse("coal"), None);
    assert_eq!(Fuel::parse(""), None);
}

#[test]
fn electric_with_capacity_is_flagged_not_rejected() {
    let c = validate(&ClearanceInput {
        engine_cc: "1998".into(),
        ..tesla()
    })
    .unwrap();
    assert_eq!(anomalies(&c), [Anomaly::ElectricWithEngineCapacity]);
}

#[test]
fn make_mismatch_is_flagged() {
    let c = validate(&ClearanceInput {
        make: "Toyota".into(),
        ..honda()
    })
    .unwrap();
    assert_eq!(
        anomalies(&c),
        [Anomaly::MakeMismatch {
            declared: "Toyota".into(),
            wmi_maker: "Honda".into()
        }]
    );
}

#[test]
fn make_comparison_is_tolerant() {
    assert!(makes_match("Mercedes", "Mercedes-Benz"));
    assert!(makes_match("MERCEDES BENZ", "Mercedes-Benz"));
    assert!(makes_match("Benz", "Mercedes-Benz"));
    assert!(makes_match("VW", "Volkswagen"));
    assert!(makes_match("honda motor co", "Honda"));
    assert!(makes_match("Citroën", "Citroen"));
    assert!(!makes_match("Toyota", "Lexus"));
    assert!(!makes_match("---", "Honda"));
}

#[test]
fn model_year_outside_vin_cycle_is_flagged() {
    let c = validate(&ClearanceInput {
        model_year: "2005".into(),
        ..honda()
    })
    .unwrap();
    assert_eq!(
        anomalies(&c),
        [Anomaly::ModelYearMismatch {
            declared: 2005,
            vin_years: vec![2003, 2033]
        }]
    );
}

#[test]
fn wrong_optional_check_digit_is_flagged() {
    let input = ClearanceInput {
        vin: "WBA0000019A000001".into(),
        make: "BMW".into(),
        model_year: "2009".into(),
        ..honda()
    };
    let c = validate(&input).unwrap();
    assert_eq!(anomalies(&c), [Anomaly::CheckDigitInvalid]);
}

#[test]
fn unknown_wmi_and_missing_year_code_are_not_flagged() {
    let input = ClearanceInput {
        vin: "ZZZ00000AZA000001".into(),
        make: "Anything".into(),
        ..honda()
    };
    let c = validate(&input).unwrap();
    assert!(anomalies(&c).is_empty());
}

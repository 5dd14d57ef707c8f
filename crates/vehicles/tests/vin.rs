use vehicles::{CheckDigit, Vin, VinError, country_hint, decode_wmi, region};

#[test]
fn classic_example_with_check_digit_x_is_valid() {
    let vin = Vin::parse("1M8GDM9AXKP042788").unwrap();
    assert_eq!(vin.check_digit_status(), CheckDigit::Valid);
    assert_eq!(vin.wmi(), "1M8");
    assert_eq!(vin.vds(), "GDM9AX");
    assert_eq!(vin.vis(), "KP042788");
    assert_eq!(vin.model_year_code(), 'K');
    assert_eq!(vin.model_years(), vec![1989, 2019]);
    assert_eq!(vin.serial(), "042788");
}

#[test]
fn honda_example_decodes() {
    let vin = Vin::parse("1HGCM82633A004352").unwrap();
    assert_eq!(vin.check_digit_status(), CheckDigit::Valid);
    assert_eq!(vin.model_years(), vec![2003, 2033]);
    let maker = decode_wmi(vin.wmi()).unwrap();
    assert_eq!((maker.name, maker.country), ("Honda", "US"));
    assert_eq!(
        region(vin.as_str().chars().next().unwrap()),
        "North America"
    );
}

#[test]
fn one_character_change_is_caught_by_the_check_digit() {
    assert_eq!(
        Vin::parse("1HGCM82633A004353"),
        Err(VinError::CheckDigit {
            expected: '5',
            found: '3'
        })
    );
    // Changing the check digit itself is caught too.
    assert!(matches!(
        Vin::parse("1M8GDM9A1KP042788"),
        Err(VinError::CheckDigit { expected: 'X', .. })
    ));
}

#[test]
fn lower_case_and_surrounding_space_are_normalised() {
    let vin = Vin::parse("  1m8gdm9axkp042788\n").unwrap();
    assert_eq!(vin.as_str(), "1M8GDM9AXKP042788");
    assert_eq!(vin.to_string(), "1M8GDM9AXKP042788");
}

#[test]
fn letters_i_o_q_are_rejected_with_their_position() {
    for (text, position, ch) in [
        ("IHGCM82633A004352", 1, 'I'),
        ("1HGCM826O3A004352", 9, 'O'),
        ("1HGCM82633A00435q", 17, 'Q'),
    ] {
        let error = Vin::parse(text).unwrap_err();
        assert_eq!(error, VinError::InvalidChar { position, ch });
        assert!(
            error.to_string().contains(&format!("position {position}")),
            "{error}"
        );
    }
    assert_eq!(
        Vin::parse("1HGCM8263-A004352").unwrap_err(),
        VinError::InvalidChar {
            position: 10,
            ch: '-'
        }
    );
}

#[test]
fn wrong_length_is_rejected_with_the_count() {
    assert_eq!(Vin::parse("1HGCM82633A00435"), Err(VinError::Length(16)));
    assert_eq!(Vin::parse("1HGCM82633A0043520"), Err(VinError::Length(18)));
    assert_eq!(Vin::parse(""), Err(VinError::Length(0)));
    assert_eq!(
        Vin::parse("1HGCM82633A00435é"),
        Err(VinError::InvalidChar {
            position: 17,
            ch: 'é'
        })
    );
    assert!(Vin::parse("1HGCM82633A004352").is_ok());
}

#[test]
fn european_vin_with_wrong_check_digit_is_accepted_but_reported() {
    let vin = Vin::parse("WDD0000001A000001").unwrap();
    assert_eq!(vin.check_digit_status(), CheckDigit::Invalid);
    assert_eq!(decode_wmi(vin.wmi()).unwrap().name, "Mercedes-Benz");
    assert_eq!(country_hint(vin.wmi()), Some("DE"));
    assert_eq!(region('W'), "Europe");
}

#[test]
fn model_year_codes_cover_both_cycles() {
    let year_of = |code: char| {
        Vin::parse(&format!("WBA00000A{code}A000001"))
            .unwrap()
            .model_years()
    };
    assert_eq!(year_of('A'), vec![1980, 2010]);
    assert_eq!(year_of('M'), vec![1991, 2021]);
    assert_eq!(year_of('Y'), vec![2000, 2030]);
    assert_eq!(year_of('1'), vec![2001, 2031]);
    assert_eq!(year_of('9'), vec![2009, 2039]);
    assert!(year_of('U').is_empty());
    assert!(year_of('0').is_empty());
}

//! Validation of each kind of application through the public API.

use std::collections::BTreeMap;

use eapp::{ApplicationKind, Completeness, FieldError, redact, validate};

fn form(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A tariff with a handful of real subheadings.
fn in_tariff(code: &str) -> bool {
    ["081340", "847130", "620342"].contains(&code)
}

fn submit(
    kind: ApplicationKind,
    fields: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, Vec<FieldError>> {
    validate(kind, fields, &in_tariff, Completeness::Submission)
}

/// The message reported for `field`, failing if there is not exactly one.
fn message_for(errors: &[FieldError], field: &str) -> String {
    let found: Vec<_> = errors.iter().filter(|e| e.field == field).collect();
    assert_eq!(found.len(), 1, "{field} in {errors:?}");
    found[0].message.clone()
}

#[test]
fn advance_ruling_normalises_and_keeps_confidential_details_private() {
    let fields = form(&[
        (
            "goods_description",
            " Dried apples, sliced, in 1 kg bags \n",
        ),
        ("intended_code", "0813.40"),
        ("commercial_name", "Orchard Crisps"),
        ("composition", "Apple 98%, ascorbic acid 2%"),
        ("country_of_origin", "jp"),
        ("confidential_details", "Supplier and drying process"),
    ]);
    let values = submit(ApplicationKind::AdvanceRuling, &fields).unwrap();
    assert_eq!(
        values["goods_description"],
        "Dried apples, sliced, in 1 kg bags"
    );
    assert_eq!(values["intended_code"], "081340");
    assert_eq!(values["country_of_origin"], "JP");
    assert!(!values.contains_key("function_use"));

    let public = redact(ApplicationKind::AdvanceRuling, &values);
    assert!(!public.contains_key("confidential_details"));
    assert_eq!(public.len(), values.len() - 1);
}

#[test]
fn advance_ruling_errors_name_their_fields() {
    let fields = form(&[
        ("goods_description", &"x".repeat(4001)),
        ("intended_code", "9999.99"),
        ("country_of_origin", "XX"),
        ("colour", "red"),
    ]);
    let errors = submit(ApplicationKind::AdvanceRuling, &fields).unwrap_err();
    assert_eq!(errors.len(), 4, "{errors:?}");
    assert_eq!(
        message_for(&errors, "goods_description"),
        "must be at most 4000 characters (got 4001)"
    );
    assert_eq!(
        message_for(&errors, "intended_code"),
        "HS code 999999 is not in the tariff"
    );
    assert!(message_for(&errors, "country_of_origin").contains("not an assigned"));
    assert!(message_for(&errors, "colour").contains("is not a field"));
}

#[test]
fn duty_refund_normalises_money_and_declaration_numbers() {
    let fields = form(&[
        ("import_declaration_number", "aa14b1234567c8"),
        ("refund_reason", "re_export"),
        ("amount_twd", "1,234,567.5"),
        ("export_declaration_number", ""),
    ]);
    let values = submit(ApplicationKind::DutyRefund, &fields).unwrap();
    assert_eq!(
        values,
        form(&[
            ("import_declaration_number", "AA14B1234567C8"),
            ("refund_reason", "re_export"),
            ("amount_twd", "1234567.50"),
        ])
    );
}

#[test]
fn duty_refund_reports_every_error_at_once() {
    let fields = form(&[
        ("import_declaration_number", "AA14-1234567C8"),
        ("refund_reason", "changed_my_mind"),
        ("amount_twd", "-100"),
        ("export_declaration_number", "123"),
    ]);
    let errors = submit(ApplicationKind::DutyRefund, &fields).unwrap_err();
    assert_eq!(errors.len(), 4, "{errors:?}");
    assert!(
        message_for(&errors, "import_declaration_number").contains("exactly 14 letters or digits")
    );
    assert_eq!(
        message_for(&errors, "refund_reason"),
        "must be one of: re_export, overpayment, damaged_goods, returned_goods"
    );
    assert_eq!(
        message_for(&errors, "amount_twd"),
        "must be greater than zero"
    );
    assert!(message_for(&errors, "export_declaration_number").contains("got 3"));
}

fn certificate() -> BTreeMap<String, String> {
    form(&[
        ("exporter_name", "Formosa Trading Co., Ltd."),
        ("consignee_name", "Saigon Imports JSC"),
        ("destination_country", " vn "),
        ("goods_description", "Laptop computers"),
        ("hs_code", "8471 30"),
        ("quantity", "0250"),
        ("invoice_number", "INV-2026-0042"),
        ("origin_criterion", "substantial_transformation"),
    ])
}

#[test]
fn certificate_of_origin_passes_normalised() {
    let values = submit(ApplicationKind::CertificateOfOrigin, &certificate()).unwrap();
    assert_eq!(values.len(), 8);
    assert_eq!(values["destination_country"], "VN");
    assert_eq!(values["hs_code"], "847130");
    assert_eq!(values["quantity"], "250");
}

#[test]
fn certificate_of_origin_checks_ranges_codes_and_required_fields() {
    let mut fields = certificate();
    fields.insert("quantity".into(), "0".into());
    fields.insert("hs_code".into(), "8471.3".into());
    fields.insert("origin_criterion".into(), "made_here".into());
    fields.remove("invoice_number");
    fields.insert("consignee_name".into(), "  ".into());
    let errors = submit(ApplicationKind::CertificateOfOrigin, &fields).unwrap_err();
    assert_eq!(errors.len(), 5, "{errors:?}");
    assert_eq!(
        message_for(&errors, "quantity"),
        "must be a whole number between 1 and 1000000000"
    );
    assert!(message_for(&errors, "hs_code").contains("6-digit HS code"));
    assert!(message_for(&errors, "origin_criterion").contains("wholly_obtained"));
    assert_eq!(message_for(&errors, "invoice_number"), "is required");
    assert_eq!(message_for(&errors, "consignee_name"), "is required");

    // The same form saved as a draft only reports the malformed values.
    let draft = validate(
        ApplicationKind::CertificateOfOrigin,
        &fields,
        &in_tariff,
        Completeness::Draft,
    );
    assert_eq!(draft.unwrap_err().len(), 3);
}

#[test]
fn bonded_warehouse_passes_and_fails() {
    let mut fields = form(&[
        ("warehouse_name", "Keelung Harbour Bonded Store 3"),
        (
            "address",
            "No. 1, Gangxi St.\nZhongzheng Dist., Keelung City",
        ),
        ("warehouse_type", "logistics_center"),
        ("floor_area_m2", "12000"),
        ("operator_license_number", "12345678"),
    ]);
    let values = submit(ApplicationKind::BondedWarehouse, &fields).unwrap();
    assert_eq!(
        values["address"],
        "No. 1, Gangxi St.\nZhongzheng Dist., Keelung City"
    );
    assert_eq!(values["floor_area_m2"], "12000");

    fields.insert("warehouse_name".into(), "Line one\nLine two".into());
    fields.insert("floor_area_m2".into(), "10000001".into());
    fields.insert("warehouse_type".into(), "General".into());
    let errors = submit(ApplicationKind::BondedWarehouse, &fields).unwrap_err();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(message_for(&errors, "warehouse_name").contains("single line"));
    assert!(message_for(&errors, "floor_area_m2").contains("between 1 and 10000000"));
    assert_eq!(
        message_for(&errors, "warehouse_type"),
        "must be one of: general, self_use, logistics_center, duty_free_shop"
    );
}

#[test]
fn a_field_of_another_kind_is_unknown() {
    let fields = form(&[("amount_twd", "100")]);
    let errors = validate(
        ApplicationKind::CertificateOfOrigin,
        &fields,
        &in_tariff,
        Completeness::Draft,
    )
    .unwrap_err();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "amount_twd");
}

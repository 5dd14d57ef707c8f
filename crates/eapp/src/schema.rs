//! The static form definitions of each application kind.
//!
//! Kept apart from validation so that changing a form is a data edit here,
//! never a code change in `form`.

use crate::form::{Field, FieldKind};
use crate::kind::ApplicationKind;

/// The fields of `kind`, in display order.
pub(crate) fn fields(kind: ApplicationKind) -> &'static [Field] {
    match kind {
        ApplicationKind::AdvanceRuling => ADVANCE_RULING,
        ApplicationKind::DutyRefund => DUTY_REFUND,
        ApplicationKind::CertificateOfOrigin => CERTIFICATE_OF_ORIGIN,
        ApplicationKind::BondedWarehouse => BONDED_WAREHOUSE,
    }
}

/// Shared default for free-text fields: generous, but bounded so one form
/// cannot carry a book.
const LONG_TEXT: FieldKind = FieldKind::LongText { max_chars: 4000 };

/// Optional fields start from this and override what differs.
const OPTIONAL: Field = Field {
    name: "",
    label: "",
    help: "",
    kind: FieldKind::Text { max_chars: 200 },
    required: false,
    confidential: false,
};

const ADVANCE_RULING: &[Field] = &[
    Field {
        name: "goods_description",
        label: "Description of the goods",
        help: "What the goods are, how they are presented and packed.",
        kind: LONG_TEXT,
        required: true,
        ..OPTIONAL
    },
    Field {
        name: "intended_code",
        label: "Tariff code you propose",
        help: "Six-digit HS subheading, e.g. 0813.40.",
        kind: FieldKind::HsCode,
        required: true,
        ..OPTIONAL
    },
    Field {
        name: "commercial_name",
        label: "Commercial or brand name",
        help: "The name the goods are sold under, if any.",
        ..OPTIONAL
    },
    Field {
        name: "composition",
        label: "Composition",
        help: "Materials and percentages by weight.",
        kind: LONG_TEXT,
        ..OPTIONAL
    },
    Field {
        name: "function_use",
        label: "Function and use",
        help: "What the goods do and how they are used.",
        kind: LONG_TEXT,
        ..OPTIONAL
    },
    Field {
        name: "country_of_origin",
        label: "Country of origin",
        help: "Two-letter ISO country code, e.g. JP.",
        kind: FieldKind::Country,
        ..OPTIONAL
    },
    Field {
        name: "confidential_details",
        label: "Confidential details",
        help: "Trade secrets customs needs but must not publish with the ruling.",
        kind: LONG_TEXT,
        confidential: true,
        ..OPTIONAL
    },
];

/// Why duties are being reclaimed; values are stored, labels are shown.
const REFUND_REASONS: &[(&str, &str)] = &[
    ("re_export", "Goods re-exported (drawback)"),
    ("overpayment", "Duty overpaid"),
    ("damaged_goods", "Goods damaged or lost before release"),
    ("returned_goods", "Goods returned to the supplier"),
];

const DUTY_REFUND: &[Field] = &[
    Field {
        name: "import_declaration_number",
        label: "Import declaration number",
        help: "The 14-character number on the import declaration.",
        kind: FieldKind::Text { max_chars: 14 },
        required: true,
        ..OPTIONAL
    },
    Field {
        name: "refund_reason",
        label: "Reason for the refund",
        help: "Why the duty should be returned.",
        kind: FieldKind::Choice(REFUND_REASONS),
        required: true,
        ..OPTIONAL
    },
    Field {
        name: "amount_twd",
        label: "Amount claimed (NT$)",
        help: "In New Taiwan dollars, e.g. 12,500.00.",
        kind: FieldKind::Money,
        required: true,
        ..OPTIONAL
    },
    Field {
        name: "export_declaration_number",
        label: "Export declaration number",
        help: "For re-exports: the 14-character export declaration number.",
        kind: FieldKind::Text { max_chars: 14 },
        ..OPTIONAL
    },
    Field {
        name: "explanation",
        label: "Explanation",
        help: "Anything that helps the officer assess the claim.",
        kind: LONG_TEXT,
        ..OPTIONAL
    },
];

/// Preferential origin criteria as named in most trade agreements.
const ORIGIN_CRITERIA: &[(&str, &str)] = &[
    ("wholly_obtained", "Wholly obtained"),
    ("substantial_transformation", "Substantial transformation"),
    ("regional_value_content", "Regional value content"),
];

const CERTIFICATE_OF_ORIGIN: &[Field] = &[
    Field {
        name: "exporter_name",
        label: "Exporter",
        help: "Legal name of the exporter.",
        required: true,
        ..OPTIONAL
    },
    Field {
        name: "consignee_name",
        label: "Consignee",
        help: "Legal name of the consignee abroad.",
        required: true,
        ..OPTIONAL
    },
    Field {
        name: "destination_country",
        label: "Destination country",
        help: "Two-letter ISO country code, e.g. VN.",
        kind: FieldKind::Country,
        required: true,
        ..OPTIONAL
    },
    Field {
        name: "goods_description",
        label: "Description of the goods",
        help: "As it will appear on the certificate.",
        kind: LONG_TEXT,
        required: true,
        ..OPTIONAL
    },
    Field {
        name: "hs_code",
        label: "HS code",
        help: "Six-digit HS subheading, e.g. 8471.30.",
        kind: FieldKind::HsCode,
        required: true,
        ..OPTIONAL
    },
    Field {
        name: "quantity",
        label: "Quantity",
        help: "Number of units shipped.",
        kind: FieldKind::Integer {
            min: 1,
            max: 1_000_000_000,
        },
        required: true,
        ..OPTIONAL
    },
    Field {
        name: "invoice_number",
        label: "Invoice number",
        help: "Commercial invoice covering the goods.",
        kind: FieldKind::Text { max_chars: 50 },
        required: true,
        ..OPTIONAL
    },
    Field {
        name: "origin_criterion",
        label: "Origin criterion",
        help: "The rule under which the goods qualify as originating.",
        kind: FieldKind::Choice(ORIGIN_CRITERIA),
        required: true,
        ..OPTIONAL
    },
];

const WAREHOUSE_TYPES: &[(&str, &str)] = &[
    ("general", "General bonded warehouse"),
    ("self_use", "Self-use bonded warehouse"),
    ("logistics_center", "Bonded logistics center"),
    ("duty_free_shop", "Duty-free shop warehouse"),
];

const BONDED_WAREHOUSE: &[Field] = &[
    Field {
        name: "warehouse_name",
        label: "Warehouse name",
        help: "Name under which the warehouse will be registered.",
        required: true,
        ..OPTIONAL
    },
    Field {
        name: "address",
        label: "Address",
        help: "Full street address of the premises.",
        kind: FieldKind::LongText { max_chars: 500 },
        required: true,
        ..OPTIONAL
    },
    Field {
        name: "warehouse_type",
        label: "Type of warehouse",
        help: "The category of bonded warehouse applied for.",
        kind: FieldKind::Choice(WAREHOUSE_TYPES),
        required: true,
        ..OPTIONAL
    },
    Field {
        name: "floor_area_m2",
        label: "Floor area (m²)",
        help: "Usable storage floor area in square metres.",
        kind: FieldKind::Integer {
            min: 1,
            max: 10_000_000,
        },
        required: true,
        ..OPTIONAL
    },
    Field {
        name: "operator_license_number",
        label: "Operator licence number",
        help: "Company or operator registration number.",
        kind: FieldKind::Text { max_chars: 50 },
        required: true,
        ..OPTIONAL
    },
    Field {
        name: "security_measures",
        label: "Security measures",
        help: "Fencing, locks, cameras and access control.",
        kind: LONG_TEXT,
        ..OPTIONAL
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn field_names_are_unique_snake_case_and_labelled() {
        for kind in ApplicationKind::ALL {
            let mut seen = BTreeSet::new();
            for field in fields(kind) {
                assert!(seen.insert(field.name), "{kind:?} repeats {}", field.name);
                assert!(
                    !field.name.is_empty()
                        && field
                            .name
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                    "{kind:?}: bad name {:?}",
                    field.name
                );
                assert!(
                    !field.label.is_empty() && !field.help.is_empty(),
                    "{}",
                    field.name
                );
            }
        }
    }

    #[test]
    fn only_the_ruling_has_confidential_fields() {
        for kind in ApplicationKind::ALL {
            let confidential: Vec<_> = fields(kind)
                .iter()
                .filter(|f| f.confidential)
                .map(|f| f.name)
                .collect();
            let expected: &[&str] = if kind == ApplicationKind::AdvanceRuling {
                &["confidential_details"]
            } else {
                &[]
            };
            assert_eq!(confidential, expected);
        }
    }

    #[test]
    fn choice_values_are_unique() {
        for options in [REFUND_REASONS, ORIGIN_CRITERIA, WAREHOUSE_TYPES] {
            let values: BTreeSet<_> = options.iter().map(|(value, _)| value).collect();
            assert_eq!(values.len(), options.len());
        }
    }
}

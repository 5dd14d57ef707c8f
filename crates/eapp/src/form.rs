//! Form fields, validation and redaction of application contents.
//!
//! Field values travel as plain strings (what a browser form sends); this
//! module checks them against the kind's schema and returns the canonical
//! values that the store keeps.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use crate::issue::Issue;
use crate::kind::ApplicationKind;
use crate::values;
pub use crate::values::normalize_hs_code;

/// One field of an application form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Field {
    /// Stable key used in stored values and in the API.
    pub name: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    pub kind: FieldKind,
    /// Needed for submission; drafts may leave it out.
    pub required: bool,
    /// Never published, e.g. when a ruling is made public.
    pub confidential: bool,
}

/// What a field holds, and so how it is checked and normalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// One line of text.
    Text {
        max_chars: usize,
    },
    /// Free text that may span lines.
    LongText {
        max_chars: usize,
    },
    /// Six-digit Harmonized System subheading.
    HsCode,
    /// Positive amount with at most two decimals.
    Money,
    /// ISO 8601 calendar date, `yyyy-mm-dd`.
    Date,
    /// ISO 3166-1 alpha-2 code.
    Country,
    Integer {
        min: i64,
        max: i64,
    },
    /// Allowed `(value, label)` pairs; the value is stored.
    Choice(&'static [(&'static str, &'static str)]),
}

/// How complete a form must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Completeness {
    /// Saving work in progress: required fields may be missing, but whatever
    /// is filled in must already be well-formed.
    Draft,
    /// Sending to customs: every required field must be present.
    Submission,
}

/// A problem with one field: the [`Issue`], and its English wording phrased
/// to follow the field's label ("is required", "must be one of: …").
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, thiserror::Error)]
#[error("{field} {message}")]
pub struct FieldError {
    pub field: String,
    /// The issue in English, as the JSON API and the CLI show it.
    pub message: String,
    /// The issue as data, for wording it in another language.
    #[serde(skip)]
    pub issue: Issue,
}

impl FieldError {
    pub fn new(field: impl Into<String>, issue: Issue) -> Self {
        FieldError {
            field: field.into(),
            message: issue.to_string(),
            issue,
        }
    }
}

/// Fields that hold customs declaration numbers, which have a fixed format
/// beyond what [`FieldKind::Text`] can express.
const DECLARATION_NUMBER_FIELDS: &[&str] =
    &["import_declaration_number", "export_declaration_number"];

/// Checks `fields` against the schema of `kind` and returns the normalised
/// values of the fields that are present.
///
/// Values are trimmed and empty ones count as absent (and are not returned).
/// Every problem is reported, so the applicant can fix them all at once.
pub fn validate(
    kind: ApplicationKind,
    fields: &BTreeMap<String, String>,
    code_exists: &dyn Fn(&str) -> bool,
    completeness: Completeness,
) -> Result<BTreeMap<String, String>, Vec<FieldError>> {
    let schema = kind.schema();
    let mut values = BTreeMap::new();
    let mut errors = Vec::new();

    for field in schema {
        let raw = fields.get(field.name).map(|v| v.trim()).unwrap_or("");
        if raw.is_empty() {
            if field.required && completeness == Completeness::Submission {
                errors.push(FieldError::new(field.name, Issue::Required));
            }
            continue;
        }
        match normalize(field, raw, code_exists) {
            Ok(value) => {
                values.insert(field.name.to_string(), value);
            }
            Err(issue) => errors.push(FieldError::new(field.name, issue)),
        }
    }

    for name in fields.keys() {
        if !schema.iter().any(|field| field.name == name) {
            let known = schema.iter().map(|field| field.name).collect();
            errors.push(FieldError::new(
                name.as_str(),
                Issue::NotAField { kind, known },
            ));
        }
    }

    if errors.is_empty() {
        Ok(values)
    } else {
        Err(errors)
    }
}

fn normalize(
    field: &Field,
    raw: &str,
    code_exists: &dyn Fn(&str) -> bool,
) -> Result<String, Issue> {
    if DECLARATION_NUMBER_FIELDS.contains(&field.name) {
        return values::declaration_number(raw);
    }
    match field.kind {
        FieldKind::Text { max_chars } => values::text(raw, max_chars, false),
        FieldKind::LongText { max_chars } => values::text(raw, max_chars, true),
        FieldKind::HsCode => values::hs_code(raw, code_exists),
        FieldKind::Money => values::money(raw),
        FieldKind::Date => values::date(raw),
        FieldKind::Country => values::country(raw),
        FieldKind::Integer { min, max } => values::integer(raw, min, max),
        FieldKind::Choice(options) => values::choice(raw, options),
    }
}

/// Names of the fields of `kind` that must never be published.
pub fn confidential_fields(kind: ApplicationKind) -> Vec<&'static str> {
    kind.schema()
        .iter()
        .filter(|field| field.confidential)
        .map(|field| field.name)
        .collect()
}

/// The values that may be published, e.g. with a ruling.
///
/// Keeps only fields the schema declares and does not mark confidential:
/// anything unknown is dropped too, because publishing must fail closed.
pub fn redact(
    kind: ApplicationKind,
    fields: &BTreeMap<String, String>,
) -> BTreeMap<String, String> {
    let public: Vec<&str> = kind
        .schema()
        .iter()
        .filter(|field| !field.confidential)
        .map(|field| field.name)
        .collect();
    fields
        .iter()
        .filter(|(name, _)| public.contains(&name.as_str()))
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn any_code(_: &str) -> bool {
        true
    }

    #[test]
    fn draft_may_omit_required_fields_but_submission_may_not() {
        let fields = form(&[("commercial_name", "  Dried apples ")]);
        let draft = validate(
            ApplicationKind::AdvanceRuling,
            &fields,
            &any_code,
            Completeness::Draft,
        );
        assert_eq!(draft.unwrap(), form(&[("commercial_name", "Dried apples")]));

        let errors = validate(
            ApplicationKind::AdvanceRuling,
            &fields,
            &any_code,
            Completeness::Submission,
        )
        .unwrap_err();
        assert_eq!(
            errors,
            vec![
                FieldError::new("goods_description", Issue::Required),
                FieldError::new("intended_code", Issue::Required),
            ]
        );
    }

    #[test]
    fn blank_values_count_as_absent() {
        let fields = form(&[("goods_description", "   "), ("intended_code", "")]);
        let errors = validate(
            ApplicationKind::AdvanceRuling,
            &fields,
            &any_code,
            Completeness::Submission,
        )
        .unwrap_err();
        assert_eq!(errors.len(), 2);
        let draft = validate(
            ApplicationKind::AdvanceRuling,
            &fields,
            &any_code,
            Completeness::Draft,
        );
        assert_eq!(draft.unwrap(), BTreeMap::new());
    }

    #[test]
    fn drafts_still_reject_malformed_values() {
        let fields = form(&[("intended_code", "0813.4")]);
        let errors = validate(
            ApplicationKind::AdvanceRuling,
            &fields,
            &any_code,
            Completeness::Draft,
        )
        .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "intended_code");
    }

    #[test]
    fn unknown_fields_are_named_with_the_known_ones() {
        let fields = form(&[("hs_code", "081340")]);
        let errors = validate(
            ApplicationKind::AdvanceRuling,
            &fields,
            &any_code,
            Completeness::Draft,
        )
        .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "hs_code");
        assert!(errors[0].message.contains("advance_ruling"));
        assert!(errors[0].message.contains("intended_code"));
    }

    #[test]
    fn declaration_numbers_use_their_own_rule() {
        let fields = form(&[("import_declaration_number", "ab12345678901c")]);
        let values = validate(
            ApplicationKind::DutyRefund,
            &fields,
            &any_code,
            Completeness::Draft,
        )
        .unwrap();
        assert_eq!(values["import_declaration_number"], "AB12345678901C");
    }

    #[test]
    fn field_error_display_reads_as_a_sentence() {
        let error = FieldError::new("amount_twd", Issue::Required);
        assert_eq!(error.to_string(), "amount_twd is required");
    }

    #[test]
    fn confidential_fields_are_listed_and_redacted() {
        assert_eq!(
            confidential_fields(ApplicationKind::AdvanceRuling),
            vec!["confidential_details"]
        );
        assert!(confidential_fields(ApplicationKind::DutyRefund).is_empty());

        let stored = form(&[
            ("goods_description", "Dried apples"),
            ("confidential_details", "Supplier: X Co."),
            ("legacy_note", "not in the schema"),
        ]);
        let public = redact(ApplicationKind::AdvanceRuling, &stored);
        assert_eq!(public, form(&[("goods_description", "Dried apples")]));
    }
}

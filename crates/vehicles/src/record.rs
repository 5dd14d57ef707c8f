//! Clearance records: raw form/CSV input, validation into typed facts, and
//! the anomaly checks that flag (but never reject) a record for review.

use crate::fields;
use crate::issue::Issue;
use crate::scope::Status;
use crate::vin::{CheckDigit, Vin};
use crate::wmi::decode_wmi;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Engine capacities above this are typing errors, not vehicles.
const MAX_ENGINE_CC: u32 = 30_000;
/// Earliest model year accepted for an import (classic cars included).
const MIN_MODEL_YEAR: u16 = 1900;
const MAX_MODEL_YEAR: u16 = 2100;

/// A clearance exactly as it arrives from a form or a CSV row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClearanceInput {
    pub vin: String,
    pub make: String,
    pub model: String,
    pub model_year: String,
    pub body_type: String,
    pub engine_number: String,
    pub engine_cc: String,
    pub fuel: String,
    pub colour: String,
    pub declaration_number: String,
    pub clearance_date: String,
    pub duties_twd: String,
    pub certificate_number: String,
}

impl ClearanceInput {
    /// Field names, as used for CSV headers and [`FieldIssue::field`].
    pub const FIELDS: [&'static str; 13] = [
        "vin",
        "make",
        "model",
        "model_year",
        "body_type",
        "engine_number",
        "engine_cc",
        "fuel",
        "colour",
        "declaration_number",
        "clearance_date",
        "duties_twd",
        "certificate_number",
    ];

    /// The field called `name`, so importers can fill inputs by column name.
    pub fn field_mut(&mut self, name: &str) -> Option<&mut String> {
        Some(match name {
            "vin" => &mut self.vin,
            "make" => &mut self.make,
            "model" => &mut self.model,
            "model_year" => &mut self.model_year,
            "body_type" => &mut self.body_type,
            "engine_number" => &mut self.engine_number,
            "engine_cc" => &mut self.engine_cc,
            "fuel" => &mut self.fuel,
            "colour" => &mut self.colour,
            "declaration_number" => &mut self.declaration_number,
            "clearance_date" => &mut self.clearance_date,
            "duties_twd" => &mut self.duties_twd,
            "certificate_number" => &mut self.certificate_number,
            _ => return None,
        })
    }
}

/// Names of all [`Clearance`] fields; agency scopes select from these.
pub const CLEARANCE_FIELDS: &[&str] = &[
    "vin",
    "make",
    "model",
    "model_year",
    "body_type",
    "engine_number",
    "engine_cc",
    "fuel",
    "colour",
    "declaration_number",
    "clearance_date",
    "duties_twd",
    "certificate_number",
    "status",
];

/// A validated clearance with typed, canonical values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clearance {
    pub vin: Vin,
    pub make: String,
    pub model: String,
    pub model_year: u16,
    pub body_type: String,
    pub engine_number: String,
    /// `None` for vehicles without a combustion engine.
    pub engine_cc: Option<u32>,
    pub fuel: Fuel,
    pub colour: String,
    /// 14 upper-case letters or digits.
    pub declaration_number: String,
    /// A real calendar date, "YYYY-MM-DD".
    pub clearance_date: String,
    /// Exact decimal text with two decimals, e.g. "125000.00".
    pub duties_twd: String,
    pub certificate_number: String,
    pub status: Status,
}

/// Propulsion as declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fuel {
    Petrol,
    Diesel,
    Hybrid,
    PluginHybrid,
    Electric,
    Hydrogen,
    Lpg,
    Cng,
}

impl Fuel {
    /// Case-insensitive, ignoring spaces and punctuation, with the synonyms
    /// seen on declarations ("gasoline", "PHEV", "BEV", "汽油"...).
    pub fn parse(text: &str) -> Option<Fuel> {
        let key: String = text
            .trim()
            .to_lowercase()
            .chars()
            .filter(|ch| !matches!(ch, ' ' | '-' | '_' | '.' | '/' | '(' | ')'))
            .collect();
        let fuel = match key.as_str() {
            "petrol" | "gasoline" | "gas" | "benzine" | "benzin" | "unleaded" | "汽油" => {
                Fuel::Petrol
            }
            "diesel" | "gasoil" | "柴油" => Fuel::Diesel,
            "hybrid" | "hev" | "fullhybrid" | "mildhybrid" | "mhev" | "petrolhybrid"
            | "gasolinehybrid" | "dieselhybrid" | "油電混合" => Fuel::Hybrid,
            "pluginhybrid" | "phev" | "plugin" => Fuel::PluginHybrid,
            "electric" | "ev" | "bev" | "batteryelectric" | "electricity" | "電動" | "純電" => {
                Fuel::Electric
            }
            "hydrogen" | "h2" | "fcev" | "fuelcell" => Fuel::Hydrogen,
            "lpg" | "autogas" | "propane" => Fuel::Lpg,
            "cng" | "naturalgas" => Fuel::Cng,
            _ => return None,
        };
        Some(fuel)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Fuel::Petrol => "petrol",
            Fuel::Diesel => "diesel",
            Fuel::Hybrid => "hybrid",
            Fuel::PluginHybrid => "plugin_hybrid",
            Fuel::Electric => "electric",
            Fuel::Hydrogen => "hydrogen",
            Fuel::Lpg => "lpg",
            Fuel::Cng => "cng",
        }
    }

    /// Battery-electric and fuel-cell vehicles have no engine capacity.
    pub fn may_lack_engine(self) -> bool {
        matches!(self, Fuel::Electric | Fuel::Hydrogen)
    }
}

impl fmt::Display for Fuel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem with one input field: the [`Issue`], and its English wording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldIssue {
    pub field: &'static str,
    /// The issue in English, as the JSON API and the CLI show it.
    pub message: String,
    /// The issue as data, for wording it in another language.
    #[serde(skip)]
    pub issue: Issue,
}

impl FieldIssue {
    pub fn new(field: &'static str, issue: Issue) -> FieldIssue {
        FieldIssue {
            field,
            message: issue.to_string(),
            issue,
        }
    }
}

impl fmt::Display for FieldIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Collects every issue so the declarant can fix a form in one pass.
#[derive(Default)]
struct Issues(Vec<FieldIssue>);

impl Issues {
    fn check<T>(&mut self, field: &'static str, result: Result<T, Issue>) -> Option<T> {
        result
            .map_err(|issue| self.0.push(FieldIssue::new(field, issue)))
            .ok()
    }
}

/// Validates raw input into a [`Clearance`], reporting all issues at once.
pub fn validate(input: &ClearanceInput) -> Result<Clearance, Vec<FieldIssue>> {
    let mut issues = Issues::default();
    let vin = issues.check("vin", Vin::parse(&input.vin).map_err(Issue::Vin));
    let make = issues.check("make", fields::short_text(&input.make));
    let model = issues.check("model", fields::short_text(&input.model));
    let model_year = issues.check("model_year", model_year(&input.model_year));
    let body_type = issues.check("body_type", fields::short_text(&input.body_type));
    let engine_number = issues.check("engine_number", fields::short_text(&input.engine_number));
    let fuel = issues.check("fuel", fuel(&input.fuel));
    let engine_cc = issues.check("engine_cc", engine_cc(&input.engine_cc, fuel));
    let colour = issues.check("colour", fields::short_text(&input.colour));
    let declaration_number = issues.check(
        "declaration_number",
        fields::declaration_number(&input.declaration_number),
    );
    let clearance_date = issues.check("clearance_date", fields::iso_date(&input.clearance_date));
    let duties_twd = issues.check("duties_twd", fields::money(&input.duties_twd));
    let certificate_number = issues.check(
        "certificate_number",
        fields::text(&input.certificate_number, fields::MAX_CERTIFICATE_CHARS),
    );

    // Every value is Some exactly when no issue was recorded for it.
    match (
        vin,
        make,
        model,
        model_year,
        body_type,
        engine_number,
        fuel,
        engine_cc,
        colour,
        declaration_number,
        clearance_date,
        duties_twd,
        certificate_number,
    ) {
        (
            Some(vin),
            Some(make),
            Some(model),
            Some(model_year),
            Some(body_type),
            Some(engine_number),
            Some(fuel),
            Some(engine_cc),
            Some(colour),
            Some(declaration_number),
            Some(clearance_date),
            Some(duties_twd),
            Some(certificate_number),
        ) if issues.0.is_empty() => Ok(Clearance {
            vin,
            make,
            model,
            model_year,
            body_type,
            engine_number,
            engine_cc,
            fuel,
            colour,
            declaration_number,
            clearance_date,
            duties_twd,
            certificate_number,
            status: Status::Cleared,
        }),
        _ => Err(issues.0),
    }
}

fn model_year(raw: &str) -> Result<u16, Issue> {
    let year: u16 = fields::unsigned(raw)?;
    if (MIN_MODEL_YEAR..=MAX_MODEL_YEAR).contains(&year) {
        Ok(year)
    } else {
        Err(Issue::ModelYearOutside {
            year,
            min: MIN_MODEL_YEAR,
            max: MAX_MODEL_YEAR,
        })
    }
}

fn fuel(raw: &str) -> Result<Fuel, Issue> {
    Fuel::parse(raw).ok_or_else(|| Issue::UnknownFuel {
        value: raw.trim().to_string(),
    })
}

/// Empty or zero capacity is only plausible without a combustion engine.
/// With an unreadable fuel we still check the number itself.
fn engine_cc(raw: &str, fuel: Option<Fuel>) -> Result<Option<u32>, Issue> {
    let engineless = fuel.is_none_or(Fuel::may_lack_engine);
    if raw.trim().is_empty() {
        return if engineless {
            Ok(None)
        } else {
            Err(Issue::EngineCapacityRequired)
        };
    }
    match fields::unsigned::<u32>(raw)? {
        0 if engineless => Ok(None),
        cc if (1..=MAX_ENGINE_CC).contains(&cc) => Ok(Some(cc)),
        cc => Err(Issue::EngineCapacityOutside {
            cc,
            max: MAX_ENGINE_CC,
        }),
    }
}

/// Something about a valid record that a customs officer should review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Anomaly {
    /// The declared make differs from the maker the VIN's WMI belongs to.
    MakeMismatch {
        declared: String,
        wmi_maker: String,
    },
    /// The declared model year is not one the VIN's year code allows.
    ModelYearMismatch {
        declared: u16,
        vin_years: Vec<i32>,
    },
    /// A non-North-American VIN whose check digit is present but wrong.
    CheckDigitInvalid,
    ElectricWithEngineCapacity,
}

/// Cross-checks between declared facts and what the VIN encodes. Unknown
/// WMIs and VINs without a year code are not flagged: absence of evidence.
pub fn anomalies(c: &Clearance) -> Vec<Anomaly> {
    let mut found = Vec::new();
    if let Some(maker) = decode_wmi(c.vin.wmi())
        && !makes_match(&c.make, maker.name)
    {
        found.push(Anomaly::MakeMismatch {
            declared: c.make.clone(),
            wmi_maker: maker.name.to_string(),
        });
    }
    let vin_years = c.vin.model_years();
    if !vin_years.is_empty() && !vin_years.contains(&i32::from(c.model_year)) {
        found.push(Anomaly::ModelYearMismatch {
            declared: c.model_year,
            vin_years,
        });
    }
    if c.vin.check_digit_status() == CheckDigit::Invalid {
        found.push(Anomaly::CheckDigitInvalid);
    }
    if c.fuel == Fuel::Electric && c.engine_cc.is_some() {
        found.push(Anomaly::ElectricWithEngineCapacity);
    }
    found
}

/// Tolerant make comparison: ignores case, spaces and punctuation, knows
/// common short forms, and accepts one name being the start of the other
/// ("Mercedes" vs "Mercedes-Benz").
fn makes_match(declared: &str, maker: &str) -> bool {
    let (declared, maker) = (canonical_make(declared), canonical_make(maker));
    !declared.is_empty()
        && !maker.is_empty()
        && (declared.starts_with(&maker) || maker.starts_with(&declared))
}

fn canonical_make(name: &str) -> String {
    let key: String = name
        .to_lowercase()
        .replace('ë', "e")
        .chars()
        .filter(|ch| ch.is_alphanumeric())
        .collect();
    let alias = match key.as_str() {
        "vw" => "volkswagen",
        "mb" | "benz" => "mercedesbenz",
        "chevy" => "chevrolet",
        "alfa" => "alfaromeo",
        "rangerover" => "landrover",
        _ => return key,
    };
    alias.to_string()
}

#[cfg(test)]
mod tests;

//! A pure import duty and business tax calculator for one tariff line.
//!
//! Rounding rule (chosen, and applied the same way everywhere): the duty and the business tax
//! are each computed exactly, then rounded to the whole New Taiwan dollar, halves away from
//! zero (元以下四捨五入), as Taiwan assesses tax amounts in whole dollars. The business tax
//! base uses the rounded duty. The customs value is taken as given.
//!
//! Out of scope: commodity tax, tobacco and alcohol tax, the health and welfare surcharge,
//! the trade promotion service fee, anti-dumping and safeguard duties, and tariff quotas.

mod explain;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::tariff::{TariffLine, TwTariff};
use crate::{CccCode, Column, CountryCode, OriginPolicy, Partner, Pick, Quantity, Rate};
use crate::{SimpleRate, UnitCode};

/// Business tax on imports (營業稅): 5% of customs value plus duty.
pub const BUSINESS_TAX_PERCENT: Decimal = Decimal::from_parts(5, 0, 0, false, 0);

/// What is imported.
#[derive(Debug, Clone)]
pub struct DutyInput {
    pub code: CccCode,
    /// Customs value (CIF) in TWD.
    pub cif_twd: Decimal,
    /// Quantities in any units; needed only for a specific rate, which takes the one in its
    /// unit (KGM and TNE convert).
    pub quantities: Vec<Quantity>,
    pub origin: CountryCode,
}

/// Why a column applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ColumnReason {
    /// Column 2 names the origin itself, or "LDCs" and the origin is one.
    Column2Partner {
        via: Partner,
    },
    WtoMember,
    Reciprocal,
    /// None of the above: column 3.
    General,
}

/// One side of a compound rate, evaluated.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Alternative {
    pub rate: SimpleRate,
    pub duty: Decimal,
    pub chosen: bool,
}

/// A step of the working, in English and Traditional Chinese.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Step {
    pub en: String,
    pub zh: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct DutyAssessment {
    pub code: CccCode,
    pub origin: CountryCode,
    pub column: Column,
    pub reason: ColumnReason,
    pub rate: Rate,
    pub cif_twd: Decimal,
    /// The duty before rounding.
    pub duty_exact: Decimal,
    pub duty: Decimal,
    /// Both sides of a compound rate; empty otherwise.
    pub alternatives: Vec<Alternative>,
    pub business_tax_base: Decimal,
    pub business_tax: Decimal,
    /// Duty plus business tax.
    pub total: Decimal,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DutyError {
    #[error("no line {0} in this tariff")]
    UnknownCode(CccCode),
    #[error("the input is for {input} but the line is {line}")]
    CodeMismatch { input: CccCode, line: CccCode },
    #[error("the customs value cannot be negative")]
    NegativeValue,
    #[error("a quantity cannot be negative")]
    NegativeQuantity,
    #[error("the rate {rate} is charged per {unit_name}: give the quantity in {unit}")]
    QuantityNeeded {
        rate: String,
        unit: UnitCode,
        unit_name: String,
    },
    #[error("{column} of line {code} has no rate")]
    NoRate { code: CccCode, column: Column },
}

/// Looks the line up and assesses it.
pub fn calculate(
    tariff: &TwTariff,
    input: &DutyInput,
    policy: &OriginPolicy,
) -> Result<DutyAssessment, DutyError> {
    let line = tariff
        .get(&input.code)
        .ok_or(DutyError::UnknownCode(input.code))?;
    calculate_line(line, input, policy)
}

/// Assesses one line: pick the column, evaluate its rate, add business tax.
pub fn calculate_line(
    line: &TariffLine,
    input: &DutyInput,
    policy: &OriginPolicy,
) -> Result<DutyAssessment, DutyError> {
    if input.code != line.code {
        return Err(DutyError::CodeMismatch {
            input: input.code,
            line: line.code,
        });
    }
    if input.cif_twd.is_sign_negative() && !input.cif_twd.is_zero() {
        return Err(DutyError::NegativeValue);
    }
    if input
        .quantities
        .iter()
        .any(|q| q.amount.is_sign_negative() && !q.amount.is_zero())
    {
        return Err(DutyError::NegativeQuantity);
    }
    let (column, reason, rate) = choose_column(line, input.origin, policy)?;
    let (duty_exact, alternatives) = evaluate(&rate, input)?;
    let duty = whole_dollars(duty_exact);
    let business_tax_base = input.cif_twd + duty;
    let business_tax =
        whole_dollars(business_tax_base * BUSINESS_TAX_PERCENT / Decimal::ONE_HUNDRED);
    let mut out = DutyAssessment {
        code: line.code,
        origin: input.origin,
        column,
        reason,
        rate,
        cif_twd: input.cif_twd,
        duty_exact,
        duty,
        alternatives,
        business_tax_base,
        business_tax,
        total: duty + business_tax,
        steps: Vec::new(),
    };
    out.steps = explain::steps(line, input, &out);
    Ok(out)
}

/// Rounds to the whole dollar, halves away from zero.
pub fn whole_dollars(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
}

/// Column 2 if the origin is listed there; column 1 for WTO members and reciprocal partners;
/// column 3 otherwise.
fn choose_column(
    line: &TariffLine,
    origin: CountryCode,
    policy: &OriginPolicy,
) -> Result<(Column, ColumnReason, Rate), DutyError> {
    let col2 = line.duty(Column::Two);
    if let Some((entry, via)) = col2.entry_for(origin, |c| policy.is_ldc(c)) {
        return Ok((
            Column::Two,
            ColumnReason::Column2Partner { via },
            entry.rate.clone(),
        ));
    }
    let (column, reason) = if policy.is_wto_member(origin) {
        (Column::One, ColumnReason::WtoMember)
    } else if policy.is_reciprocal(origin) {
        (Column::One, ColumnReason::Reciprocal)
    } else {
        (Column::Three, ColumnReason::General)
    };
    let rate = line
        .duty(column)
        .general_rate()
        .cloned()
        .ok_or(DutyError::NoRate {
            code: line.code,
            column,
        })?;
    Ok((column, reason, rate))
}

fn evaluate(rate: &Rate, input: &DutyInput) -> Result<(Decimal, Vec<Alternative>), DutyError> {
    match rate {
        Rate::Free => Ok((Decimal::ZERO, vec![])),
        Rate::AdValorem { percent } => Ok((
            evaluate_simple(&SimpleRate::AdValorem { percent: *percent }, rate, input)?,
            vec![],
        )),
        Rate::Specific { amount, unit } => Ok((
            evaluate_simple(
                &SimpleRate::Specific {
                    amount: *amount,
                    unit: *unit,
                },
                rate,
                input,
            )?,
            vec![],
        )),
        Rate::Compound { alternatives, pick } => {
            let a = evaluate_simple(&alternatives[0], rate, input)?;
            let b = evaluate_simple(&alternatives[1], rate, input)?;
            let first = match pick {
                Pick::Higher => a >= b,
                Pick::Lower => a <= b,
            };
            let duty = if first { a } else { b };
            Ok((
                duty,
                vec![
                    Alternative {
                        rate: alternatives[0],
                        duty: a,
                        chosen: first,
                    },
                    Alternative {
                        rate: alternatives[1],
                        duty: b,
                        chosen: !first,
                    },
                ],
            ))
        }
    }
}

fn evaluate_simple(
    part: &SimpleRate,
    whole: &Rate,
    input: &DutyInput,
) -> Result<Decimal, DutyError> {
    match part {
        SimpleRate::AdValorem { percent } => Ok(input.cif_twd * percent / Decimal::ONE_HUNDRED),
        SimpleRate::Specific { amount, unit } => {
            let qty =
                quantity_in(&input.quantities, *unit).ok_or_else(|| DutyError::QuantityNeeded {
                    rate: whole.to_string(),
                    unit: *unit,
                    unit_name: unit.describe(),
                })?;
            Ok(qty * amount)
        }
    }
}

/// The quantity in `unit`: one given in that unit, else one that converts exactly.
pub(crate) fn quantity_in(quantities: &[Quantity], unit: UnitCode) -> Option<Decimal> {
    quantities
        .iter()
        .find(|q| q.unit == unit)
        .or_else(|| quantities.iter().find(|q| q.in_unit(unit).is_some()))
        .and_then(|q| q.in_unit(unit))
}

#[cfg(test)]
mod tests;

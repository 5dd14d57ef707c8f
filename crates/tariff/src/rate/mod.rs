//! Duty rates as structured values: what a cell of 第一/二/三欄 says.
//!
//! Cells are parsed after NFKC (full-width digits and brackets become ASCII), and render back
//! to one canonical text, the data's own English wording; parse → display → parse is the
//! identity.

mod parse;

use std::fmt;

use rust_decimal::Decimal;

pub use parse::RateParseError;

use crate::origin::CountryCode;
use crate::unit::UnitCode;

/// One rate, without any partner list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rate {
    /// Duty free; the data writes it "0%".
    Free,
    /// A percentage of the customs value (never zero: zero is [`Rate::Free`]).
    AdValorem { percent: Decimal },
    /// NT$ per unit of quantity.
    Specific { amount: Decimal, unit: UnitCode },
    /// Two alternatives of which the higher (or lower) duty is charged.
    Compound {
        alternatives: [SimpleRate; 2],
        pick: Pick,
    },
}

/// A part of a compound rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SimpleRate {
    AdValorem { percent: Decimal },
    Specific { amount: Decimal, unit: UnitCode },
}

/// "whichever is higher" (從高徵稅) or "whichever is lower" (從低徵稅).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pick {
    Higher,
    Lower,
}

/// Who a column-2 entry is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Partner {
    Country(CountryCode),
    /// The tariff's "LDCs": least developed countries, resolved by [`crate::OriginPolicy`].
    Ldcs,
}

/// One rate and the partners it is for (empty: everyone the column applies to).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DutyEntry {
    pub rate: Rate,
    pub partners: Vec<Partner>,
}

/// A whole cell: no entry (an empty column-2 cell), one general rate (columns 1 and 3) or
/// several partner entries (column 2).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct DutyCell {
    pub entries: Vec<DutyEntry>,
}

/// The three columns of the tariff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Column {
    One,
    Two,
    Three,
}

impl Column {
    pub const ALL: [Column; 3] = [Column::One, Column::Two, Column::Three];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn number(self) -> u8 {
        self as u8 + 1
    }

    /// The CSV column that holds it.
    pub fn field(self) -> &'static str {
        ["duty_col1", "duty_col2", "duty_col3"][self.index()]
    }

    pub fn name_zh(self) -> &'static str {
        ["第一欄", "第二欄", "第三欄"][self.index()]
    }
}

impl SimpleRate {
    pub fn as_rate(self) -> Rate {
        match self {
            SimpleRate::AdValorem { percent } => Rate::ad_valorem(percent),
            SimpleRate::Specific { amount, unit } => Rate::Specific { amount, unit },
        }
    }

    pub fn unit(&self) -> Option<UnitCode> {
        match self {
            SimpleRate::AdValorem { .. } => None,
            SimpleRate::Specific { unit, .. } => Some(*unit),
        }
    }
}

impl Rate {
    /// A percentage, normalised so that 0% is [`Rate::Free`].
    pub fn ad_valorem(percent: Decimal) -> Rate {
        if percent.is_zero() {
            Rate::Free
        } else {
            Rate::AdValorem { percent }
        }
    }

    /// The units whose quantity this rate needs (none for ad valorem and free).
    pub fn units(&self) -> Vec<UnitCode> {
        match self {
            Rate::Free | Rate::AdValorem { .. } => vec![],
            Rate::Specific { unit, .. } => vec![*unit],
            Rate::Compound { alternatives, .. } => {
                alternatives.iter().filter_map(SimpleRate::unit).collect()
            }
        }
    }

    /// The rate in the wording of the Chinese tariff, e.g. "每公斤新臺幣10元或15%從高徵稅".
    pub fn to_zh(&self) -> String {
        match self {
            Rate::Free => "免稅".to_string(),
            Rate::AdValorem { percent } => format!("{}%", percent.normalize()),
            Rate::Specific { amount, unit } => specific_zh(*amount, *unit),
            Rate::Compound { alternatives, pick } => {
                let [a, b] = alternatives.map(|r| r.as_rate().to_zh());
                let pick = match pick {
                    Pick::Higher => "從高徵稅",
                    Pick::Lower => "從低徵稅",
                };
                format!("{a}或{b}{pick}")
            }
        }
    }
}

fn specific_zh(amount: Decimal, unit: UnitCode) -> String {
    match unit.name_zh() {
        Some(name) => format!("每{name}新臺幣{}元", amount.normalize()),
        None => format!("新臺幣{}元/{unit}", amount.normalize()),
    }
}

impl DutyCell {
    /// Parses any cell, whatever its column. See [`DutyCell::parse_column`] for the rules a
    /// column adds.
    pub fn parse(text: &str) -> Result<DutyCell, RateParseError> {
        parse::parse_cell(text)
    }

    /// Parses a cell and checks it has the shape its column needs: columns 1 and 3 one rate
    /// without partners, column 2 partner entries only. An empty column-2 cell is allowed here;
    /// whether it is expected is the loader's business.
    pub fn parse_column(text: &str, column: Column) -> Result<DutyCell, RateParseError> {
        let cell = parse::parse_cell(text)?;
        match column {
            Column::One | Column::Three => {
                if cell.general_rate().is_none() {
                    return Err(RateParseError::Shape(format!(
                        "column {} holds exactly one rate without partners",
                        column.number()
                    )));
                }
            }
            Column::Two => {
                if cell.entries.iter().any(|e| e.partners.is_empty()) {
                    return Err(RateParseError::Shape(
                        "every column-2 rate names its partners in brackets".into(),
                    ));
                }
            }
        }
        Ok(cell)
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The single rate of a column-1 or column-3 cell.
    pub fn general_rate(&self) -> Option<&Rate> {
        match self.entries.as_slice() {
            [only] if only.partners.is_empty() => Some(&only.rate),
            _ => None,
        }
    }

    /// The entry that names `origin`, directly or through the LDC group, and why.
    pub fn entry_for(
        &self,
        origin: CountryCode,
        is_ldc: impl Fn(CountryCode) -> bool,
    ) -> Option<(&DutyEntry, Partner)> {
        let direct = self.entries.iter().find_map(|e| {
            e.partners
                .contains(&Partner::Country(origin))
                .then_some((e, Partner::Country(origin)))
        });
        direct.or_else(|| {
            if !is_ldc(origin) {
                return None;
            }
            self.entries
                .iter()
                .find(|e| e.partners.contains(&Partner::Ldcs))
                .map(|e| (e, Partner::Ldcs))
        })
    }
}

impl fmt::Display for SimpleRate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimpleRate::AdValorem { percent } => write!(f, "{}%", percent.normalize()),
            SimpleRate::Specific { amount, unit } => write!(f, "NT${}/{unit}", amount.normalize()),
        }
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rate::Free => f.write_str("0%"),
            Rate::AdValorem { percent } => write!(f, "{}%", percent.normalize()),
            Rate::Specific { amount, unit } => write!(f, "NT${}/{unit}", amount.normalize()),
            Rate::Compound {
                alternatives: [a, b],
                pick,
            } => {
                let pick = match pick {
                    Pick::Higher => "higher",
                    Pick::Lower => "lower",
                };
                write!(f, "{a} or {b} whichever is {pick}")
            }
        }
    }
}

impl fmt::Display for Partner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Partner::Country(c) => f.write_str(c.as_str()),
            Partner::Ldcs => f.write_str("LDCs"),
        }
    }
}

impl fmt::Display for DutyEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.rate)?;
        if !self.partners.is_empty() {
            let list: Vec<String> = self.partners.iter().map(Partner::to_string).collect();
            write!(f, " ({})", list.join(","))?;
        }
        Ok(())
    }
}

impl fmt::Display for DutyCell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, entry) in self.entries.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{entry}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}", self.number())
    }
}

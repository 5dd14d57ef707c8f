//! What an answer says about the goods, as a predicate over subheadings. Rules carry their own
//! meaning (prefixes, attribute values, ranges), so a dialogue replays the same way whatever
//! questions a newer model would ask.

use nomenclature::{HsCode, Nomenclature};

use crate::attributes::AttributeTable;
use crate::lexicon::DIMENSIONS;
use crate::numeric::{Interval, Threshold, thresholds};

#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// The subheadings under any of these code prefixes.
    Keep(Vec<String>),
    /// Everything except what lies under these prefixes: "none of these".
    Exclude(Vec<String>),
    /// One value of an attribute dimension (keys from [`crate::lexicon`]).
    Value { dimension: String, value: String },
    /// None of the listed values: "another material".
    OtherThan {
        dimension: String,
        values: Vec<String>,
    },
    /// A measured quantity within a range; open ends are `None`.
    Range {
        unit: String,
        lo: Option<f64>,
        hi: Option<f64>,
    },
    /// A measurement stated outright ("125cc").
    Measure { unit: String, value: f64 },
    /// No information: "not sure".
    NotSure,
}

/// What the rules are evaluated against: one row per subheading, in corpus order.
pub struct Tables {
    pub leaves: Vec<HsCode>,
    positions: std::collections::HashMap<HsCode, usize>,
    pub attributes: AttributeTable,
    pub thresholds: Vec<Vec<Threshold>>,
}

impl Tables {
    pub fn build(hs: &Nomenclature, leaves: Vec<HsCode>) -> Tables {
        let attributes = AttributeTable::build(hs, &leaves);
        let thresholds = leaves
            .iter()
            .map(|code| {
                thresholds(
                    &hs.get(code)
                        .map(|n| n.description.clone())
                        .unwrap_or_default(),
                )
            })
            .collect();
        Tables {
            positions: leaves
                .iter()
                .enumerate()
                .map(|(i, c)| (c.clone(), i))
                .collect(),
            leaves,
            attributes,
            thresholds,
        }
    }

    pub fn position(&self, code: &HsCode) -> Option<usize> {
        self.positions.get(code).copied()
    }

    fn interval(&self, leaf: usize, unit: &str) -> Option<Interval> {
        self.thresholds[leaf]
            .iter()
            .find(|t| t.unit == unit)
            .map(|t| t.interval)
    }
}

pub(crate) fn dimension_index(key: &str) -> Option<usize> {
    DIMENSIONS.iter().position(|d| d.key == key)
}

pub(crate) fn value_index(dimension: usize, id: &str) -> Option<usize> {
    DIMENSIONS[dimension].values.iter().position(|v| v.id == id)
}

impl Rule {
    /// Whether a subheading is consistent with this answer. Parts the tables do not know
    /// (a dimension renamed since the link was made) keep everything.
    pub fn admits(&self, tables: &Tables, leaf: usize) -> bool {
        let code = tables.leaves[leaf].as_str();
        match self {
            Rule::Keep(prefixes) => prefixes.iter().any(|p| code.starts_with(p.as_str())),
            Rule::Exclude(prefixes) => !prefixes.iter().any(|p| code.starts_with(p.as_str())),
            Rule::Value { dimension, value } => dimension_index(dimension)
                .and_then(|d| Some((d, value_index(d, value)?)))
                .is_none_or(|(d, v)| tables.attributes.get(d, leaf).admits(v)),
            Rule::OtherThan { dimension, values } => dimension_index(dimension).is_none_or(|d| {
                let listed = values
                    .iter()
                    .filter_map(|v| value_index(d, v))
                    .fold(0u64, |acc, v| acc | 1 << v);
                tables.attributes.get(d, leaf).admits_other_than(listed)
            }),
            Rule::Range { unit, lo, hi } => tables.interval(leaf, unit).is_none_or(|i| {
                i.overlaps(&Interval {
                    lo: lo.unwrap_or(f64::NEG_INFINITY),
                    hi: hi.unwrap_or(f64::INFINITY),
                    ..Interval::ALL
                })
            }),
            Rule::Measure { unit, value } => tables
                .interval(leaf, unit)
                .is_none_or(|i| i.contains(*value)),
            Rule::NotSure => true,
        }
    }

    pub fn is_informative(&self) -> bool {
        !matches!(self, Rule::NotSure)
    }
}

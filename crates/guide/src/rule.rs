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
    /// What lies under `keep` but not under `except`: "something else in chapter 84" beside
    /// the chapter's branches that the question shows by name.
    Within {
        keep: Vec<String>,
        except: Vec<String>,
    },
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
    /// Section number of each leaf (0 for chapters outside the sections).
    pub sections: Vec<u8>,
    /// Each leaf's chapter, heading and subheading as numbers, for prefix tests without
    /// string compares.
    pub numbers: Vec<[u32; 3]>,
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
        let sections = leaves
            .iter()
            .map(|c| {
                hs.get(&c.chapter())
                    .and_then(|n| n.section)
                    .map_or(0, |s| s.number())
            })
            .collect();
        let numbers = leaves
            .iter()
            .map(|c| {
                let d = |n: usize| number(&c.as_str()[..n]).unwrap_or(u32::MAX);
                [d(2), d(4), d(6)]
            })
            .collect();
        Tables {
            sections,
            numbers,
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

fn number(digits: &str) -> Option<u32> {
    digits.bytes().try_fold(0u32, |acc, b| {
        b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
    })
}

/// A code prefix as (which of chapter/heading/subheading, its number); `None` for other lengths.
fn parse_prefix(prefix: &str) -> Option<(usize, u32)> {
    let level = match prefix.len() {
        2 => 0,
        4 => 1,
        6 => 2,
        _ => return None,
    };
    Some((level, number(prefix)?))
}

fn under_any(tables: &Tables, leaf: usize, prefixes: &[(usize, u32)]) -> bool {
    prefixes
        .iter()
        .any(|&(level, n)| tables.numbers[leaf][level] == n)
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
            Rule::Within { keep, except } => {
                keep.iter().any(|p| code.starts_with(p.as_str()))
                    && !except.iter().any(|p| code.starts_with(p.as_str()))
            }
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

    /// `admits` for every subheading at once, with names resolved once: what scoring a
    /// question over the whole posterior needs.
    pub fn mask(&self, tables: &Tables) -> Vec<bool> {
        let n = tables.leaves.len();
        match self {
            Rule::Value { dimension, value } => {
                match dimension_index(dimension).and_then(|d| Some((d, value_index(d, value)?))) {
                    Some((d, v)) => (0..n)
                        .map(|l| tables.attributes.get(d, l).admits(v))
                        .collect(),
                    None => vec![true; n],
                }
            }
            Rule::OtherThan { dimension, values } => match dimension_index(dimension) {
                Some(d) => {
                    let listed = values
                        .iter()
                        .filter_map(|v| value_index(d, v))
                        .fold(0u64, |acc, v| acc | 1 << v);
                    (0..n)
                        .map(|l| tables.attributes.get(d, l).admits_other_than(listed))
                        .collect()
                }
                None => vec![true; n],
            },
            Rule::Keep(prefixes) | Rule::Exclude(prefixes) => {
                let parsed: Vec<(usize, u32)> =
                    prefixes.iter().filter_map(|p| parse_prefix(p)).collect();
                let keep = matches!(self, Rule::Keep(_));
                if parsed.len() != prefixes.len() {
                    // An odd prefix (5 digits): the slow, general test.
                    return (0..n).map(|l| self.admits(tables, l)).collect();
                }
                (0..n)
                    .map(|l| under_any(tables, l, &parsed) == keep)
                    .collect()
            }
            Rule::Within { keep, except } => {
                let inside = Rule::Keep(keep.clone()).mask(tables);
                let outside = Rule::Exclude(except.clone()).mask(tables);
                inside.iter().zip(outside).map(|(&a, b)| a && b).collect()
            }
            rule => (0..n).map(|l| rule.admits(tables, l)).collect(),
        }
    }

    pub fn is_informative(&self) -> bool {
        !matches!(self, Rule::NotSure)
    }
}

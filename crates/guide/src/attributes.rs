//! Which attribute values each subheading allows, derived from the nomenclature texts.
//!
//! A value named in a chapter, heading or subheading text restricts every subheading below it
//! ("of cotton" → only cotton). A subheading that names none of the values its group names is
//! the residual "other" branch: it allows everything *except* those values. Elsewhere the
//! attribute is irrelevant and every answer keeps the subheading.

use std::collections::HashMap;

use nomenclature::{HsCode, Nomenclature};

use crate::lexicon::{DIMENSIONS, Dimension};
use crate::uses::use_objects;
use crate::words::{matches_at, negated, words};

/// What one subheading allows for one dimension; values are bits by their index in the
/// dimension's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowed {
    Any,
    Only(u64),
    NoneOf(u64),
}

impl Allowed {
    pub fn admits(self, value: usize) -> bool {
        match self {
            Allowed::Any => true,
            Allowed::Only(set) => set & (1 << value) != 0,
            Allowed::NoneOf(set) => set & (1 << value) == 0,
        }
    }

    /// Whether something outside `listed` is allowed: what "another material" keeps.
    pub fn admits_other_than(self, listed: u64) -> bool {
        match self {
            Allowed::Any | Allowed::NoneOf(_) => true,
            Allowed::Only(set) => set & !listed != 0,
        }
    }

    /// Both constraints at once; when they contradict, the more specific one (`self`) wins,
    /// since the tree's lower levels are the ones that decide.
    fn and(self, wider: Allowed) -> Allowed {
        let joined = match (self, wider) {
            (Allowed::Any, w) => w,
            (s, Allowed::Any) => s,
            (Allowed::Only(a), Allowed::Only(b)) => Allowed::Only(a & b),
            (Allowed::Only(a), Allowed::NoneOf(b)) | (Allowed::NoneOf(b), Allowed::Only(a)) => {
                Allowed::Only(a & !b)
            }
            (Allowed::NoneOf(a), Allowed::NoneOf(b)) => Allowed::NoneOf(a | b),
        };
        if joined == Allowed::Only(0) {
            self
        } else {
            joined
        }
    }
}

/// The values of `dimension` that `text` names, as bits; negated mentions ("other than
/// cotton") do not count.
pub fn mentions(dimension: &Dimension, text: &str) -> u64 {
    mentions_in(dimension, &words(text))
}

fn mentions_in(dimension: &Dimension, tokens: &[String]) -> u64 {
    let uses = dimension
        .values
        .iter()
        .any(|v| !v.objects.is_empty())
        .then(|| use_objects(tokens));
    let mut set = 0u64;
    let mut at = 0;
    while at < tokens.len() {
        let mut best: Option<(usize, usize, bool)> = None;
        let in_use_phrase = uses.as_ref().is_some_and(|u| u[at]);
        for (index, value) in dimension.values.iter().enumerate() {
            let objects = if in_use_phrase { value.objects } else { &[] };
            for pattern in value.patterns.iter().chain(objects) {
                // Most words start no pattern: check the first word before splitting.
                if pattern.split(' ').next() != Some(tokens[at].as_str()) {
                    continue;
                }
                let parts: Vec<&str> = pattern.split(' ').collect();
                if matches_at(tokens, at, &parts) && best.is_none_or(|b| parts.len() > b.1) {
                    best = Some((index, parts.len(), matches!(parts[0], "not" | "non")));
                }
            }
        }
        match best {
            Some((index, len, negative_value)) => {
                if negative_value || !negated(tokens, at) {
                    set |= 1 << index;
                }
                at += len;
            }
            None => at += 1,
        }
    }
    set
}

/// The per-subheading table for every dimension, indexed like the corpus documents.
pub struct AttributeTable {
    /// `allowed[dimension][leaf]`.
    allowed: Vec<Vec<Allowed>>,
}

impl AttributeTable {
    pub fn build(hs: &Nomenclature, leaves: &[HsCode]) -> AttributeTable {
        // Each text is read once: a node's mentions for every dimension.
        let named: HashMap<&HsCode, Vec<u64>> = hs
            .nodes()
            .iter()
            .map(|n| {
                let tokens = words(&n.description);
                (
                    &n.code,
                    DIMENSIONS.iter().map(|d| mentions_in(d, &tokens)).collect(),
                )
            })
            .collect();
        let of = |code: &HsCode, d: usize| named.get(code).map_or(0, |m| m[d]);
        let mut allowed = vec![Vec::with_capacity(leaves.len()); DIMENSIONS.len()];
        for leaf in leaves {
            // The tree around a leaf is looked up once for all the dimensions.
            let ancestors: Vec<HsCode> =
                hs.ancestors(leaf).iter().map(|n| n.code.clone()).collect();
            let group = residual_group(hs, leaf);
            for (d, column) in allowed.iter_mut().enumerate() {
                column.push(allowed_for(&ancestors, leaf, &group, &|c: &HsCode| {
                    of(c, d)
                }));
            }
        }
        AttributeTable { allowed }
    }

    pub fn get(&self, dimension: usize, leaf: usize) -> Allowed {
        self.allowed[dimension][leaf]
    }
}

/// The subheadings a residual competes with: its two-dash group (same first five digits), or
/// for a one-dash subheading (ending in 0) the other one-dash subheadings.
fn residual_group(hs: &Nomenclature, code: &HsCode) -> Vec<HsCode> {
    let digits = code.as_str();
    hs.siblings(code)
        .into_iter()
        .map(|n| n.code.clone())
        .filter(|s| {
            if digits.ends_with('0') {
                s.as_str().ends_with('0')
            } else {
                s.as_str()[..5] == digits[..5]
            }
        })
        .collect()
}

fn allowed_for(
    ancestors: &[HsCode],
    leaf: &HsCode,
    group: &[HsCode],
    named: &dyn Fn(&HsCode) -> u64,
) -> Allowed {
    let mut allowed = Allowed::Any;
    let mut inherited = 0;
    for ancestor in ancestors {
        let set = named(ancestor);
        if set != 0 {
            allowed = Allowed::Only(set).and(allowed);
            inherited |= set;
        }
    }
    let own = named(leaf);
    if own != 0 {
        return Allowed::Only(own).and(allowed);
    }
    // A sibling that repeats what the heading says ("Vehicles; for transport of persons
    // n.e.c." under "… designed for the transport of persons") sets nothing apart.
    let others = group.iter().fold(0, |acc, s| acc | named(s)) & !inherited;
    if others != 0 {
        Allowed::NoneOf(others).and(allowed)
    } else {
        allowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dim(key: &str) -> &'static Dimension {
        DIMENSIONS.iter().find(|d| d.key == key).unwrap()
    }

    fn bit(d: &Dimension, id: &str) -> u64 {
        1 << d.values.iter().position(|v| v.id == id).unwrap()
    }

    #[test]
    fn negated_and_negative_values() {
        let m = dim("material");
        assert_eq!(
            mentions(
                m,
                "T-shirts; of textile materials (other than cotton), knitted"
            ),
            0
        );
        assert_eq!(mentions(m, "Tableware, of plastics"), bit(m, "plastics"));
        assert_eq!(
            mentions(m, "Sinks of stainless steel"),
            bit(m, "steel"),
            "the longest pattern wins"
        );
        let f = dim("fabric");
        assert_eq!(
            mentions(f, "Suits; men's or boys' (not knitted or crocheted)"),
            bit(f, "woven")
        );
        assert_eq!(
            mentions(f, "Apparel; knitted or crocheted"),
            bit(f, "knitted")
        );
        let s = dim("state");
        assert_eq!(
            mentions(s, "Coffee; not roasted, not decaffeinated"),
            bit(s, "not_roasted")
        );
        assert_eq!(mentions(s, "Fruit; whether or not dried"), 0);
    }

    #[test]
    fn allowed_combines_levels() {
        let a = Allowed::Only(0b011).and(Allowed::NoneOf(0b001));
        assert_eq!(a, Allowed::Only(0b010));
        assert_eq!(
            Allowed::Only(0b100).and(Allowed::Only(0b001)),
            Allowed::Only(0b100)
        );
        assert!(Allowed::NoneOf(0b1).admits_other_than(0b1));
        assert!(!Allowed::Only(0b1).admits_other_than(0b11));
    }
}

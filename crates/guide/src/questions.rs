//! The questions that could be asked next, built from where the posterior's mass lies:
//! the tree levels where it splits, the attributes its subheadings disagree on, and the
//! numeric thresholds between them.

use std::collections::HashMap;

use nomenclature::{HsCode, Nomenclature};

use crate::lexicon::DIMENSIONS;
use crate::numeric::{Interval, describe};
use crate::rule::{Rule, Tables};

/// Most options a question shows besides "none of these" (or the attribute's "another …")
/// and "not sure".
pub const MAX_CHOICES: usize = 8;
/// A branch or value with less mass than this is not worth a choice of its own.
const MIN_CHOICE_MASS: f64 = 0.01;
/// An attribute is asked only when the codes it restricts hold this much of the mass.
const MIN_RELEVANT_MASS: f64 = 0.5;
/// Subheadings with less mass than this do not add thresholds to numeric questions.
const MIN_LEAF_MASS: f64 = 1e-3;
const LABEL_CHARS: usize = 110;
pub const NOT_SURE: &str = "not_sure";
pub const NONE_OF_THESE: &str = "none";

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// Stable for the same question: the topic and the choices.
    pub key: String,
    /// What the question is about; "not sure" on a topic stops it being asked again.
    pub topic: String,
    pub text: String,
    pub choices: Vec<Choice>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub id: String,
    pub label: String,
    /// The full nomenclature text behind a shortened label.
    pub detail: Option<String>,
    pub rule: Rule,
    /// The code prefixes this choice keeps among the likely ones (filled by the step).
    pub keeps: Vec<String>,
}

impl Question {
    pub fn choice(&self, id: &str) -> Option<&Choice> {
        self.choices.iter().find(|c| c.id == id)
    }
}

fn not_sure() -> Choice {
    Choice {
        id: NOT_SURE.into(),
        label: "Not sure".into(),
        detail: None,
        rule: Rule::NotSure,
        keeps: Vec::new(),
    }
}

pub(crate) fn finish(topic: &str, text: String, mut choices: Vec<Choice>) -> Question {
    // Plainer labels can meet ("…, n.e.c." for the rest of two headings): those that do show
    // their full text, which differs.
    let labels: Vec<String> = choices.iter().map(|c| c.label.clone()).collect();
    for c in &mut choices {
        if labels.iter().filter(|l| **l == c.label).count() > 1
            && let Some(full) = &c.detail
        {
            c.label = shorten(full).0;
        }
    }
    let key = format!(
        "{topic}:{}",
        choices
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>()
            .join(",")
    );
    choices.push(not_sure());
    Question {
        key,
        topic: topic.into(),
        text,
        choices,
    }
}

/// Shortens a nomenclature text for a button, keeping the whole in `detail`.
pub(crate) fn shorten(text: &str) -> (String, Option<String>) {
    if text.chars().count() <= LABEL_CHARS {
        return (text.to_string(), None);
    }
    (clip(text, LABEL_CHARS), Some(text.to_string()))
}

/// A choice's label from its plainer wording, and the full nomenclature text behind it
/// when the label differs.
pub(crate) fn button(plain: &str, full: &str) -> (String, Option<String>) {
    let (label, _) = shorten(&unbracketed(&without_cross_references(&other_for_nec(
        plain,
    ))));
    let detail = (label != full).then(|| full.to_string());
    (label, detail)
}

/// "Citrus fruit n.e.c. in heading no. 0805, fresh or dried" → "Other citrus fruit, fresh or
/// dried": the cross-reference is the nomenclature's way of saying "the rest of them".
fn other_for_nec(text: &str) -> String {
    const NEC: &str = " n.e.c. in heading no. ";
    let Some(at) = text.find(NEC) else {
        return text.to_string();
    };
    let (head, tail) = (&text[..at], &text[at + NEC.len()..]);
    let digits = tail.chars().take_while(char::is_ascii_digit).count();
    // A plain noun only ("Citrus fruit"): "Other men's or boys', of wool" would not read.
    if head.contains([';', ',']) || head.is_empty() || digits != 4 {
        return text.to_string();
    }
    let mut chars = head.chars();
    let first = chars.next().map(|c| c.to_lowercase().to_string());
    format!(
        "Other {}{}{}",
        first.unwrap_or_default(),
        chars.as_str(),
        &tail[digits..]
    )
}

/// "Footwear; n.e.c. in heading no. 6403, (not covering the ankle)" → "Footwear; n.e.c.,
/// (not covering the ankle)": which heading or item the rest is of is the nomenclature's
/// bookkeeping; beside its siblings, "n.e.c." says all a user needs.
fn without_cross_references(text: &str) -> String {
    const NEC: &str = "n.e.c.";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(NEC) {
        out.push_str(&rest[..at + NEC.len()]);
        rest = &rest[at + NEC.len()..];
        while let Some(after) = past_reference(rest) {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// "(other than safety headgear), (of materials other than rubber or plastic), whether or
/// not lined or trimmed" → "Other than safety headgear, of materials other than …": the HS
/// brackets a whole clause to say it is implied by the heading; on a button, with the
/// heading's words gone, the brackets only make it read as an aside. Brackets inside a clause
/// ("parts of plants (including seeds)") stay.
fn unbracketed(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        let before = &rest[..open];
        let starts_clause = (out.is_empty() && before.is_empty())
            || before.ends_with(", ")
            || before.ends_with("; ");
        let close = rest[open..].find(')').map(|c| open + c);
        match close {
            Some(close)
                if starts_clause
                    && !rest[open + 1..close].contains('(')
                    && (rest[close + 1..].is_empty()
                        || rest[close + 1..].starts_with([',', ';'])) =>
            {
                out.push_str(before);
                out.push_str(&rest[open + 1..close]);
                rest = &rest[close + 1..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    if text.starts_with('(') {
        capitalised(&out)
    } else {
        out
    }
}

/// `text` past one cross-reference at its start (" in heading no. 6403", " or included"),
/// or `None` when it does not start with one.
fn past_reference(text: &str) -> Option<&str> {
    // (phrase, whether a number follows); "in heading no. " before "in heading ".
    const REFERENCES: [(&str, bool); 8] = [
        (" or included", false),
        (" in this chapter", false),
        (" in heading no. ", true),
        (" in heading ", true),
        (" in item no. ", true),
        (" in item no ", true),
        (" in item ", true),
        (" in chapter ", true),
    ];
    fn past_number(s: &str) -> Option<&str> {
        let digits = s
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(s.len());
        (digits > 0).then(|| &s[digits..])
    }
    REFERENCES.iter().find_map(|&(phrase, numbered)| {
        let after = text.strip_prefix(phrase)?;
        if !numbered {
            return Some(after);
        }
        let after = past_number(after)?;
        // "in item no. 5702.10 or 5702.20": both numbers go.
        Some(
            after
                .strip_prefix(" or ")
                .and_then(past_number)
                .unwrap_or(after),
        )
    })
}

/// Heavier masses first, equal ones (to rounding) left to the caller's tie-break: evenly
/// weighted branches, as from an empty description, then keep the nomenclature's order.
pub(crate) fn heavier_first(a: f64, b: f64) -> std::cmp::Ordering {
    let key = |m: f64| (m * 1e12).round() as i64;
    key(b).cmp(&key(a))
}

/// `text` cut to at most `chars` characters at a word boundary, with "…" when cut.
pub(crate) fn clip(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_string();
    }
    // One character more than fits: a space there means the last word is whole.
    let cut: String = text.chars().take(chars + 1).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{}…", cut.trim_end_matches([',', ';', '.', ' ', '…']))
}

/// Drops the words every label starts with ("Fish; frozen, …") so the differences show.
fn strip_common_prefix(texts: &[String]) -> Vec<String> {
    let split: Vec<Vec<&str>> = texts.iter().map(|t| t.split(' ').collect()).collect();
    let shortest = split.iter().map(Vec::len).min().unwrap_or(0);
    let mut common = 0;
    while common + 1 < shortest && split.iter().all(|w| w[common] == split[0][common]) {
        common += 1;
    }
    if texts.len() < 2 || common == 0 {
        return texts.to_vec();
    }
    split
        .iter()
        .map(|w| capitalised(&w[common..].join(" ")))
        .collect()
}

/// Drops the leading clause ("Fruit, edible; ") when every text shares it: "Apples, dried"
/// and "Apricots, dried" read better than the same two words on every button. Any other
/// clause among them keeps them all whole: beside "T-shirts, singlets and other vests; of
/// cotton", "Shirts; of cotton" must keep its noun. A closing exclusion several share goes
/// first ([`without_shared_exclusion`]).
pub(crate) fn without_shared_clause(texts: &[String]) -> Vec<String> {
    let texts = without_shared_exclusion(texts);
    let clause = |t: &str| t.split_once("; ").map(|(c, _)| c.len());
    let first = texts.first().and_then(|t| clause(t).map(|n| &t[..n]));
    match first {
        Some(c) if texts.len() >= 2 && texts.iter().all(|t| t.starts_with(&format!("{c}; "))) => {
            texts
                .iter()
                .map(|t| capitalised(&t[c.len() + 2..]))
                .collect()
        }
        _ => texts.to_vec(),
    }
}

/// Drops a closing ", excluding …" that two or more of the texts end with: it tells them
/// from their heading's other parts, not from each other ("Frozen, cod …, excluding fillets,
/// fish meat of 0304, and edible fish offal of subheadings 0303.91 to 0303.99" beside haddock
/// and hake with the same words).
fn without_shared_exclusion(texts: &[String]) -> Vec<String> {
    const EXCLUDING: &str = ", excluding ";
    let tails: Vec<Option<&str>> = texts
        .iter()
        .map(|t| t.find(EXCLUDING).map(|at| &t[at..]))
        .collect();
    texts
        .iter()
        .zip(&tails)
        .map(|(t, own)| match own {
            Some(own) if tails.iter().flatten().filter(|x| *x == own).count() >= 2 => {
                t[..t.len() - own.len()].to_string()
            }
            _ => t.clone(),
        })
        .collect()
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum TreeLevel {
    Section,
    Chapter,
    Heading,
    Subheading,
}

impl TreeLevel {
    pub const ALL: [TreeLevel; 4] = [
        TreeLevel::Section,
        TreeLevel::Chapter,
        TreeLevel::Heading,
        TreeLevel::Subheading,
    ];

    pub fn topic(self) -> &'static str {
        match self {
            TreeLevel::Section => "tree:section",
            TreeLevel::Chapter => "tree:chapter",
            TreeLevel::Heading => "tree:heading",
            TreeLevel::Subheading => "tree:subheading",
        }
    }

    fn question(self) -> &'static str {
        match self {
            TreeLevel::Section => "Which broad group do the goods belong to?",
            TreeLevel::Chapter => "Which kind of goods is it?",
            TreeLevel::Heading => "Which of these describes the goods best?",
            TreeLevel::Subheading => "Which of these matches the goods exactly?",
        }
    }
}

/// The nomenclature seen as the guide needs it.
pub struct Tree<'a> {
    pub hs: &'a Nomenclature,
    pub tables: &'a Tables,
}

impl<'a> Tree<'a> {
    pub fn new(hs: &'a Nomenclature, tables: &'a Tables) -> Tree<'a> {
        Tree { hs, tables }
    }

    /// A leaf's branch at a level, as a number: no allocation in the per-leaf loops.
    pub(crate) fn group_id(&self, level: TreeLevel, leaf: usize) -> u32 {
        let numbers = &self.tables.numbers[leaf];
        match level {
            TreeLevel::Section => u32::from(self.tables.sections[leaf]),
            TreeLevel::Chapter => numbers[0],
            TreeLevel::Heading => numbers[1],
            TreeLevel::Subheading => numbers[2],
        }
    }

    pub(crate) fn group_name(level: TreeLevel, id: u32) -> String {
        match level {
            TreeLevel::Section => format!("S{id}"),
            TreeLevel::Chapter => format!("{id:02}"),
            TreeLevel::Heading => format!("{id:04}"),
            TreeLevel::Subheading => format!("{id:06}"),
        }
    }

    /// The mass of every branch at a level, by branch id.
    fn mass_by_id(&self, level: TreeLevel, p: &[f64]) -> HashMap<u32, f64> {
        let mut mass: HashMap<u32, f64> = HashMap::new();
        for (leaf, &m) in p.iter().enumerate() {
            *mass.entry(self.group_id(level, leaf)).or_default() += m;
        }
        mass
    }

    /// The mass of every branch at a level, by branch name.
    fn masses(&self, level: TreeLevel, p: &[f64]) -> Vec<(String, f64)> {
        self.mass_by_id(level, p)
            .into_iter()
            .map(|(id, m)| (Tree::group_name(level, id), m))
            .collect()
    }

    /// The section a group key such as "S11" names.
    fn section(&self, key: &str) -> Option<&nomenclature::Section> {
        let n: u8 = key.strip_prefix('S')?.parse().ok()?;
        self.hs.sections().iter().find(|s| s.number.number() == n)
    }

    /// The code prefixes a group stands for: a section's chapters, or the code itself.
    pub(crate) fn prefixes(&self, key: &str) -> Vec<String> {
        match self.section(key) {
            Some(s) => s.chapters.iter().map(|c| c.as_str().to_string()).collect(),
            None if key.starts_with('S') => Vec::new(),
            None => vec![key.to_string()],
        }
    }

    /// A branch by its kind, number and text: "chapter 84: Machinery …".
    pub(crate) fn name_of(&self, key: &str) -> String {
        let text = self.text_of(key);
        match key.len() {
            2 if !key.starts_with('S') => format!("chapter {key}: {text}"),
            4 => format!("heading {}.{}: {text}", &key[..2], &key[2..]),
            _ => text,
        }
    }

    pub(crate) fn text_of(&self, key: &str) -> String {
        if let Some(s) = self.section(key) {
            let mut title = s.title.clone();
            if let Some(first) = title.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            return format!("Section {}: {title}", s.number.roman());
        }
        HsCode::parse(key)
            .ok()
            .and_then(|c| self.hs.get(&c))
            .map(|n| n.description.clone())
            .unwrap_or_default()
    }

    /// The share of the mass held by the heaviest branch at a level.
    pub fn dominance(&self, level: TreeLevel, p: &[f64]) -> f64 {
        self.mass_by_id(level, p)
            .values()
            .fold(0.0, |a, &b| a.max(b))
    }

    /// "Which of these …?" over the heaviest branches at one level, or `None` when one branch
    /// holds nearly all the mass there.
    pub fn tree_question(&self, level: TreeLevel, p: &[f64]) -> Option<Question> {
        self.tree_question_over(level, p, MIN_CHOICE_MASS)
    }

    /// "Which of these matches exactly?" over every subheading of `heading`, however light:
    /// what settles a residual ("n.e.c.") subheading against its specific siblings.
    pub fn siblings_question(&self, heading: &HsCode, p: &[f64]) -> Option<Question> {
        let within: Vec<f64> = p
            .iter()
            .enumerate()
            .map(|(leaf, &m)| {
                let inside = self.tables.leaves[leaf]
                    .as_str()
                    .starts_with(heading.as_str());
                if inside {
                    m.max(f64::MIN_POSITIVE)
                } else {
                    0.0
                }
            })
            .collect();
        self.tree_question_over(TreeLevel::Subheading, &within, 0.0)
    }

    fn tree_question_over(&self, level: TreeLevel, p: &[f64], min_mass: f64) -> Option<Question> {
        // Every leaf counts here: the classifier's unseen tail is spread thin, but summed over
        // a chapter it can matter.
        let mut groups = self.masses(level, p);
        groups.sort_by(|a, b| heavier_first(a.1, b.1).then_with(|| a.0.cmp(&b.0)));
        let shown: Vec<(String, f64)> = groups
            .into_iter()
            .filter(|g| g.1 > 0.0 && g.1 >= min_mass)
            .take(MAX_CHOICES)
            .collect();
        if shown.len() < 2 {
            return None;
        }
        let texts: Vec<String> = shown.iter().map(|(k, _)| self.text_of(k)).collect();
        let labels = match level {
            TreeLevel::Subheading | TreeLevel::Heading => strip_common_prefix(&texts),
            _ => texts.clone(),
        };
        let mut choices: Vec<Choice> = shown
            .iter()
            .zip(labels.iter().zip(&texts))
            .map(|((key, _), (plain, full))| {
                let (label, detail) = button(plain, full);
                Choice {
                    id: key.clone(),
                    label,
                    detail,
                    rule: Rule::Keep(self.prefixes(key)),
                    keeps: Vec::new(),
                }
            })
            .collect();
        choices.push(Choice {
            id: NONE_OF_THESE.into(),
            label: "None of these".into(),
            detail: None,
            rule: Rule::Exclude(shown.iter().flat_map(|(k, _)| self.prefixes(k)).collect()),
            keeps: Vec::new(),
        });
        Some(finish(level.topic(), level.question().into(), choices))
    }

    /// A question on one attribute dimension, over the values the heavy subheadings restrict.
    pub fn attribute_question(&self, dimension: usize, p: &[f64]) -> Option<Question> {
        let dim = &DIMENSIONS[dimension];
        let mut mass = vec![0.0f64; dim.values.len()];
        let mut other = 0.0;
        let mut relevant = 0.0;
        for (leaf, &m) in p.iter().enumerate() {
            let allowed = self.tables.attributes.get(dimension, leaf);
            if allowed == crate::attributes::Allowed::Any {
                continue;
            }
            relevant += m;
            for (v, total) in mass.iter_mut().enumerate() {
                if allowed.admits(v) {
                    *total += m;
                }
            }
            if allowed.admits_other_than(u64::MAX >> (64 - dim.values.len())) {
                other += m;
            }
        }
        // Asking the material of a Geiger counter is noise: only ask where the attribute
        // decides between most of the likely codes.
        if relevant < MIN_RELEVANT_MASS {
            return None;
        }
        let mut values: Vec<(usize, f64)> = mass
            .into_iter()
            .enumerate()
            .filter(|v| v.1 >= MIN_CHOICE_MASS)
            .collect();
        values.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        values.truncate(MAX_CHOICES);
        if values.len() + usize::from(other >= MIN_CHOICE_MASS) < 2 {
            return None;
        }
        let mut choices: Vec<Choice> = values
            .iter()
            .map(|&(v, _)| Choice {
                id: dim.values[v].id.into(),
                label: dim.values[v].label.into(),
                detail: None,
                rule: Rule::Value {
                    dimension: dim.key.into(),
                    value: dim.values[v].id.into(),
                },
                keeps: Vec::new(),
            })
            .collect();
        choices.push(Choice {
            id: NONE_OF_THESE.into(),
            label: dim.other.into(),
            detail: None,
            rule: Rule::OtherThan {
                dimension: dim.key.into(),
                values: values
                    .iter()
                    .map(|&(v, _)| dim.values[v].id.into())
                    .collect(),
            },
            keeps: Vec::new(),
        });
        Some(finish(dim.key, dim.question.into(), choices))
    }

    /// The units that heavy subheadings set thresholds on.
    pub fn units(&self, p: &[f64]) -> Vec<String> {
        let mut units: Vec<String> = Vec::new();
        for (leaf, &m) in p.iter().enumerate() {
            if m >= MIN_LEAF_MASS {
                for t in &self.tables.thresholds[leaf] {
                    if !units.contains(&t.unit) {
                        units.push(t.unit.clone());
                    }
                }
            }
        }
        units
    }

    /// "What is its cylinder capacity?" with the ranges between the heavy subheadings'
    /// thresholds as choices.
    pub fn numeric_question(&self, unit: &str, p: &[f64]) -> Option<Question> {
        let mut bounds: Vec<f64> = Vec::new();
        let mut quantity: Option<(f64, String)> = None;
        let relevant: f64 = p
            .iter()
            .enumerate()
            .filter(|(leaf, _)| self.tables.thresholds[*leaf].iter().any(|t| t.unit == unit))
            .map(|(_, m)| m)
            .sum();
        if relevant < MIN_RELEVANT_MASS {
            return None;
        }
        for (leaf, &m) in p.iter().enumerate() {
            if m < MIN_LEAF_MASS {
                continue;
            }
            for t in self.tables.thresholds[leaf]
                .iter()
                .filter(|t| t.unit == unit)
            {
                for b in [t.interval.lo, t.interval.hi] {
                    if b.is_finite() && !bounds.contains(&b) {
                        bounds.push(b);
                    }
                }
                if quantity.as_ref().is_none_or(|q| m > q.0) && !t.quantity.is_empty() {
                    quantity = Some((m, t.quantity.clone()));
                }
            }
        }
        bounds.sort_by(f64::total_cmp);
        if bounds.is_empty() || bounds.len() + 1 > MAX_CHOICES {
            return None;
        }
        let mut edges = vec![f64::NEG_INFINITY];
        edges.extend(&bounds);
        edges.push(f64::INFINITY);
        let choices: Vec<Choice> = edges
            .windows(2)
            .map(|w| {
                let interval = Interval {
                    lo: w[0],
                    hi: w[1],
                    ..Interval::ALL
                };
                let label = describe(&interval, unit);
                Choice {
                    id: label.replace(' ', "_"),
                    label,
                    detail: None,
                    rule: Rule::Range {
                        unit: unit.into(),
                        lo: w[0].is_finite().then_some(w[0]),
                        hi: w[1].is_finite().then_some(w[1]),
                    },
                    keeps: Vec::new(),
                }
            })
            .collect();
        let what = quantity.map_or_else(|| "size".to_string(), |q| q.1);
        let text = format!("What is its {what} (in {unit})?");
        Some(finish(&format!("unit:{unit}"), text, choices))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clause_every_choice_shares_leaves_their_labels() {
        let fruit: Vec<String> = [
            "Fruit, edible; apples, dried",
            "Fruit, edible; apricots, dried",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            without_shared_clause(&fruit),
            ["Apples, dried", "Apricots, dried"]
        );
        // Another clause among them: each keeps its noun.
        let shirts: Vec<String> = [
            "Shirts; men's or boys', of cotton",
            "Shirts; men's or boys', of wool",
            "T-shirts, singlets and other vests; of cotton",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(without_shared_clause(&shirts), shirts);
        // A closing exclusion that several share goes; one of its own stays.
        let fish: Vec<String> = [
            "Fish; frozen, cod, excluding fillets and offal",
            "Fish; frozen, hake, excluding fillets and offal",
            "Fish; frozen, shark fins",
            "Fish; frozen, n.e.c., excluding livers",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            without_shared_clause(&fish),
            [
                "Frozen, cod",
                "Frozen, hake",
                "Frozen, shark fins",
                "Frozen, n.e.c., excluding livers"
            ]
        );
        assert_eq!(without_shared_clause(&fruit[..1]), fruit[..1].to_vec());
    }

    #[test]
    fn labels_that_meet_show_their_full_text() {
        let choice = |id: &str, full: &str| {
            let (label, detail) = button(full, full);
            Choice {
                id: id.into(),
                label,
                detail,
                rule: Rule::Keep(vec![id.into()]),
                keeps: Vec::new(),
            }
        };
        let q = finish(
            "tree:any",
            "Which?".into(),
            vec![
                choice(
                    "551614",
                    "Fabrics, woven; printed, n.e.c. in heading no. 5516",
                ),
                choice(
                    "551514",
                    "Fabrics, woven; printed, n.e.c. in heading no. 5515",
                ),
                choice("5407", "Yarn; n.e.c. in heading no. 5407"),
            ],
        );
        assert_eq!(
            q.choices[0].label,
            "Fabrics, woven; printed, n.e.c. in heading no. 5516"
        );
        assert_eq!(
            q.choices[1].label,
            "Fabrics, woven; printed, n.e.c. in heading no. 5515"
        );
        assert_eq!(q.choices[2].label, "Yarn; n.e.c.");
    }

    #[test]
    fn a_cross_reference_reads_as_other() {
        assert_eq!(
            other_for_nec("Citrus fruit n.e.c. in heading no. 0805, fresh or dried"),
            "Other citrus fruit, fresh or dried"
        );
        assert_eq!(
            button(
                "Fruit n.e.c. in heading no. 0812, dried",
                "Fruit, edible; fruit n.e.c. in heading no. 0812, dried"
            ),
            (
                "Other fruit, dried".to_string(),
                Some("Fruit, edible; fruit n.e.c. in heading no. 0812, dried".to_string())
            )
        );
        // Only a plain noun before it: a clause in front may carry what matters.
        for kept in [
            "Machinery; parts n.e.c. in heading no. 8473",
            "Men's or boys', of textile materials n.e.c. in heading no. 6205",
        ] {
            assert_eq!(other_for_nec(kept), kept);
        }
        for (text, label) in [
            (
                "Footwear; n.e.c. in heading no. 6403, (not covering the ankle), outer soles and \
                 uppers of leather",
                "Footwear; n.e.c., (not covering the ankle), outer soles and uppers of leather",
            ),
            (
                "Meat; of swine, n.e.c. in item no. 0203.2, frozen",
                "Meat; of swine, n.e.c., frozen",
            ),
            (
                "Machines and mechanical appliances; having individual functions, n.e.c. or \
                 included in this chapter",
                "Machines and mechanical appliances; having individual functions, n.e.c.",
            ),
            (
                "Carpets; of wool, made up, n.e.c. in item no. 5702.10 or 5702.20",
                "Carpets; of wool, made up, n.e.c.",
            ),
            (
                "Machine-tools; bending machines, numerically controlled n.e.c. in item 84.62.2",
                "Machine-tools; bending machines, numerically controlled n.e.c.",
            ),
            (
                "Iron or steel; articles n.e.c. in heading 7326",
                "Iron or steel; articles n.e.c.",
            ),
            (
                "Vegetable products; n.e.c. in chapter 14",
                "Vegetable products; n.e.c.",
            ),
            // No number after "in heading": not a cross-reference, kept.
            (
                "Parts n.e.c. in heading of the kind",
                "Parts n.e.c. in heading of the kind",
            ),
        ] {
            assert_eq!(without_cross_references(text), label);
        }
        assert_eq!(button("Apples", "Apples"), ("Apples".to_string(), None));
    }

    #[test]
    fn bracketed_clauses_read_as_clauses_and_asides_keep_their_brackets() {
        assert_eq!(
            unbracketed(
                "(other than safety headgear), (of materials other than rubber or plastic), \
                 whether or not lined or trimmed"
            ),
            "Other than safety headgear, of materials other than rubber or plastic, \
             whether or not lined or trimmed"
        );
        assert_eq!(
            unbracketed("Footwear; n.e.c., (not covering the ankle)"),
            "Footwear; n.e.c., not covering the ankle"
        );
        for aside in [
            "Plants and parts of plants (including seeds and fruits), of a kind used in perfumery",
            "Vests (singlets), of cotton",
            "Mixtures (of two or more) of fruit",
            "(a) unbalanced",
        ] {
            assert_eq!(unbracketed(aside), aside);
        }
        let (label, detail) = button(
            "(other than safety headgear), of rubber or plastics",
            "Headgear; (other than safety headgear), of rubber or plastics",
        );
        assert_eq!(label, "Other than safety headgear, of rubber or plastics");
        assert!(detail.is_some_and(|d| d.contains("(other than safety headgear)")));
    }

    #[test]
    fn labels_show_the_differences() {
        let texts = vec![
            "Fish; frozen, cod (Gadus morhua)".to_string(),
            "Fish; frozen, haddock".to_string(),
        ];
        assert_eq!(
            strip_common_prefix(&texts),
            ["Cod (Gadus morhua)", "Haddock"]
        );
        let long = "word ".repeat(40);
        let (label, detail) = shorten(&long);
        assert!(label.ends_with('…') && label.chars().count() <= LABEL_CHARS + 1);
        assert_eq!(detail.as_deref(), Some(long.as_str()));
    }
}

//! "Which group of headings holds the goods?": a chapter with more headings still open than fit
//! on one screen, split into runs of consecutive headings, as a printed tariff's contents page
//! groups them. Without it, a flat chapter such as 84 (87 headings) is paged through eight
//! likely headings at a time whenever the classifier ranked the goods low inside it.

use std::collections::{BTreeMap, HashMap};

use crate::questions::{Choice, MAX_CHOICES, NONE_OF_THESE, Question, Tree, clip, finish, shorten};
use crate::rule::Rule;

pub const TOPIC: &str = "tree:range";
const QUESTION: &str = "Which group of headings holds the goods?";
/// The chapter must hold at least this share of the mass: the question is about one chapter.
const MIN_CHAPTER_SHARE: f64 = 0.5;
/// Runs are balanced on the square root of the headings' mass: by mass alone, the headings the
/// classifier thought unlikely (where its misses are) would crowd into one long run; by count
/// alone, the likely ones would not stand apart.
const BALANCE_POWER: f64 = 0.5;
/// Characters of a heading's text kept in a run's label.
const NAME_CHARS: usize = 30;
/// Characters of a heading's text in the list under a run's label (the next question shows it
/// whole).
const DETAIL_CHARS: usize = 80;
/// A first clause shorter than this ("Machinery") takes the next one along.
const MIN_NAME_CHARS: usize = 16;

impl Tree<'_> {
    pub fn range_question(&self, p: &[f64]) -> Option<Question> {
        let mut chapters: HashMap<u32, BTreeMap<u32, f64>> = HashMap::new();
        let mut total = 0.0;
        for (leaf, &m) in p.iter().enumerate() {
            if m > 0.0 {
                let [chapter, heading, _] = self.tables.numbers[leaf];
                *chapters
                    .entry(chapter)
                    .or_default()
                    .entry(heading)
                    .or_default() += m;
                total += m;
            }
        }
        let mass = |h: &BTreeMap<u32, f64>| h.values().sum::<f64>();
        let (&chapter, headings) = chapters
            .iter()
            .max_by(|a, b| mass(a.1).total_cmp(&mass(b.1)).then(b.0.cmp(a.0)))?;
        if headings.len() <= MAX_CHOICES || mass(headings) < MIN_CHAPTER_SHARE * total {
            return None;
        }
        let headings: Vec<(u32, f64)> = headings.iter().map(|(&h, &m)| (h, m)).collect();
        let runs = balanced_runs(&headings, MAX_CHOICES);
        let mut choices: Vec<Choice> = runs.iter().map(|run| self.run_choice(run)).collect();
        choices.push(Choice {
            id: NONE_OF_THESE.into(),
            label: "None of these".into(),
            detail: None,
            rule: Rule::Exclude(vec![format!("{chapter:02}")]),
            keeps: Vec::new(),
        });
        Some(finish(TOPIC, QUESTION.into(), choices))
    }

    fn run_choice(&self, run: &[u32]) -> Choice {
        let keys: Vec<String> = run.iter().map(|h| format!("{h:04}")).collect();
        let dotted = |key: &str| format!("{}.{}", &key[..2], &key[2..]);
        if let [key] = keys.as_slice() {
            let (label, detail) = shorten(&self.text_of(key));
            return Choice {
                id: key.clone(),
                label,
                detail,
                rule: Rule::Keep(keys),
                keeps: Vec::new(),
            };
        }
        let names: Vec<String> = keys.iter().map(|k| short_name(&self.text_of(k))).collect();
        let (first, last) = (&keys[0], &keys[keys.len() - 1]);
        let (label, _) = shorten(&format!(
            "{}–{}: {}",
            dotted(first),
            dotted(last),
            names.join("; ")
        ));
        let detail = keys
            .iter()
            .map(|k| format!("{} {}", dotted(k), clip(&self.text_of(k), DETAIL_CHARS)))
            .collect::<Vec<_>>()
            .join("\n");
        Choice {
            id: format!("{first}-{last}"),
            label,
            detail: Some(detail),
            rule: Rule::Keep(keys),
            keeps: Vec::new(),
        }
    }
}

/// A heading's text without its asides, up to its first clause (two when the first is a bare
/// word such as "Machinery"), cut at a word.
fn short_name(text: &str) -> String {
    let mut plain = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            c if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let mut clauses = plain.split(';').map(str::trim).filter(|c| !c.is_empty());
    let mut name = clauses.next().unwrap_or("").to_string();
    if name.chars().count() < MIN_NAME_CHARS
        && let Some(next) = clauses.next()
    {
        name = format!("{name} {next}");
    }
    // What an aside leaves behind: "plant (not domestic), or" → "plant , or".
    let name = name
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" ,", ",");
    clip(name.trim_end_matches([',', ' ']), NAME_CHARS)
}

/// Splits `items` (in code order) into at most `k` runs of consecutive items, each non-empty:
/// each run takes its share of the weight not yet placed, and an item goes to the next run
/// when more than half of it would overshoot that share.
fn balanced_runs(items: &[(u32, f64)], k: usize) -> Vec<Vec<u32>> {
    let weights: Vec<f64> = items
        .iter()
        .map(|(_, m)| m.max(0.0).powf(BALANCE_POWER))
        .collect();
    let total: f64 = weights.iter().sum();
    let mut runs: Vec<Vec<u32>> = Vec::new();
    let mut current: Vec<u32> = Vec::new();
    let (mut placed, mut in_current) = (0.0, 0.0);
    for (i, (&(id, _), &w)) in items.iter().zip(&weights).enumerate() {
        let slots = k - runs.len();
        let share = (total - placed) / slots as f64;
        if !current.is_empty() && slots > 1 && in_current + w / 2.0 > share {
            placed += in_current;
            in_current = 0.0;
            runs.push(std::mem::take(&mut current));
        }
        current.push(id);
        in_current += w;
        // When every item left must start a run of its own, close this one.
        let slots = k - runs.len();
        if slots > 1 && items.len() - i - 1 == slots - 1 {
            placed += in_current;
            in_current = 0.0;
            runs.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_consecutive_non_empty_and_balanced() {
        let flat: Vec<(u32, f64)> = (1..=20).map(|h| (8400 + h, 1.0)).collect();
        let runs = balanced_runs(&flat, 8);
        assert_eq!(runs.len(), 8);
        assert_eq!(runs.concat(), flat.iter().map(|x| x.0).collect::<Vec<_>>());
        assert!(runs.iter().all(|r| (2..=3).contains(&r.len())), "{runs:?}");
        // One heavy heading stands alone; the light rest still gets runs of its own.
        let mut peaked = flat.clone();
        peaked[3].1 = 100.0;
        let runs = balanced_runs(&peaked, 8);
        assert!(runs.contains(&vec![8404]), "{runs:?}");
        assert!(runs.len() <= 8 && runs.iter().all(|r| !r.is_empty()));
        assert_eq!(runs.concat().len(), 20);
    }

    #[test]
    fn names_keep_the_first_clause() {
        assert_eq!(
            short_name("Pulley tackle and hoists other than skip hoists; winches"),
            "Pulley tackle and hoists other…"
        );
        assert_eq!(short_name("Derricks; cranes"), "Derricks cranes");
        assert_eq!(
            short_name("Machinery; for preparing animal feeding stuffs"),
            "Machinery for preparing animal…"
        );
        assert_eq!(
            short_name("Lasers (other than laser diodes); other optical appliances"),
            "Lasers other optical…"
        );
        assert_eq!(
            short_name("Fork-lift trucks, other"),
            "Fork-lift trucks, other"
        );
        assert_eq!(
            short_name("Machinery, plant (not domestic), or equipment"),
            "Machinery, plant, or equipment"
        );
    }
}

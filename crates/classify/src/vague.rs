//! "Too vague to classify": better to ask for a description than to guess ("gift", "parts",
//! "sample"). Learned from the known vague declaration texts against the training examples.

use std::collections::{HashMap, HashSet};

pub struct VagueDetector {
    exact: HashSet<String>,
    generic_terms: HashSet<String>,
}

fn terms(text: &str) -> Vec<String> {
    text::analyze(text)
        .into_iter()
        .map(|t| t.text)
        .filter(|t| !t.chars().all(|c| c.is_ascii_digit() || c == '.'))
        .collect()
}

impl VagueDetector {
    /// `vague`: texts judged too vague; `specific`: texts that were classified.
    pub fn new<'a>(vague: &[String], specific: impl Iterator<Item = &'a str>) -> VagueDetector {
        let mut in_specific: HashSet<String> = HashSet::new();
        for s in specific {
            in_specific.extend(terms(s));
        }
        let mut counts: HashMap<String, usize> = HashMap::new();
        for v in vague {
            for t in terms(v) {
                *counts.entry(t).or_default() += 1;
            }
        }
        // Words common among vague texts and never used in a classified description.
        let generic_terms = counts
            .into_iter()
            .filter(|(t, n)| *n >= 3 && !in_specific.contains(t))
            .map(|(t, _)| t)
            .collect();
        VagueDetector {
            exact: vague.iter().map(|v| text::normalise(v)).collect(),
            generic_terms,
        }
    }

    /// Why `text` is too vague, or `None` when it says enough to classify.
    pub fn reason(&self, text: &str) -> Option<&'static str> {
        let t = terms(text);
        if t.is_empty() {
            return Some("the description has no words that describe goods");
        }
        if self.exact.contains(&text::normalise(text)) {
            return Some("this wording is known to be too vague to classify");
        }
        if t.iter().all(|w| self.generic_terms.contains(w)) {
            return Some("the description names no kind of goods, only generic words");
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_vague_texts_from_specific_ones() {
        let vague: Vec<String> = [
            "gift",
            "gifts for family",
            "gift items",
            "parts",
            "spare parts",
            "parts x2",
            "sample",
            "free sample",
            "samples",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let specific = ["car brake parts", "tea bags", "cotton t-shirt"];
        let d = VagueDetector::new(&vague, specific.into_iter());
        assert!(d.reason("Gift").is_some());
        assert!(d.reason("GIFT ITEMS").is_some());
        assert!(d.reason("123 456").is_some());
        assert!(d.reason("gift sample").is_some());
        assert!(d.reason("green tea gift box").is_none());
        assert!(
            d.reason("spare parts").is_some(),
            "an exact known vague text"
        );
        assert!(
            d.reason("brake parts").is_none(),
            "parts is used in specific texts"
        );
    }
}

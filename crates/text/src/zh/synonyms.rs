//! zh-TW everyday words → the tariff's wording (`data/synonyms_zh.txt`): people say 手機,
//! 筆電, 機車, 保特瓶; the tariff says 智慧型手機, 攜帶式自動資料處理機, 機器腳踏車,
//! 聚對苯二甲酸乙烯酯. Chinese has no spaces, so names are found as substrings of the folded
//! query (Latin names only at word boundaries, so "pc" is not found in "12pcs").

use super::fold::Folded;
use crate::Expansion;

/// The curated zh-TW synonym list, or one parsed from text in the same format.
#[derive(Debug, Clone, Default)]
pub struct ZhSynonyms {
    entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
struct Entry {
    name: String,
    words: Vec<String>,
}

impl ZhSynonyms {
    /// The curated list shipped with the crate (`data/synonyms_zh.txt`).
    pub fn builtin() -> ZhSynonyms {
        ZhSynonyms::parse(include_str!("../../data/synonyms_zh.txt"))
            .expect("the built-in zh synonyms file is well formed")
    }

    /// Parses `name, other name => tariff words` lines (words separated by spaces); `#`
    /// starts a comment.
    pub fn parse(text: &str) -> Result<ZhSynonyms, String> {
        let mut entries = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (names, words) = line
                .split_once("=>")
                .ok_or_else(|| format!("zh synonyms line {}: missing \"=>\"", n + 1))?;
            let words: Vec<String> = fold(words).split_whitespace().map(str::to_string).collect();
            if words.is_empty() {
                return Err(format!("zh synonyms line {}: nothing after \"=>\"", n + 1));
            }
            for name in names.split([',', '，']).map(fold) {
                if !name.is_empty() {
                    entries.push(Entry {
                        name,
                        words: words.clone(),
                    });
                }
            }
        }
        // Longest names first, so 智慧型手機 is matched whole before 手機.
        entries.sort_by_key(|e| std::cmp::Reverse(e.name.chars().count()));
        Ok(ZhSynonyms { entries })
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// (name, tariff words) pairs, longest names first.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.entries
            .iter()
            .map(|e| (e.name.as_str(), e.words.as_slice()))
    }

    /// Every name and tariff word in the list (a segmenter's user dictionary).
    pub fn vocabulary(&self) -> Vec<String> {
        let mut all: Vec<String> = self
            .entries
            .iter()
            .flat_map(|e| std::iter::once(&e.name).chain(&e.words).cloned())
            .collect();
        all.sort();
        all.dedup();
        all
    }

    /// The expansions whose names occur in `text`; each stretch of the text is used once,
    /// by the longest name that covers it.
    pub fn expand(&self, text: &str) -> Vec<Expansion> {
        let folded = fold(text);
        let mut used = vec![false; folded.len()];
        let mut out: Vec<Expansion> = Vec::new();
        for entry in &self.entries {
            for (at, _) in folded.match_indices(entry.name.as_str()) {
                let span = at..at + entry.name.len();
                if used[span.clone()].iter().any(|&u| u) || !at_boundaries(&folded, &span) {
                    continue;
                }
                used[span].iter_mut().for_each(|u| *u = true);
                if !out.iter().any(|e| e.matched == entry.name) {
                    out.push(Expansion {
                        matched: entry.name.clone(),
                        words: entry.words.clone(),
                    });
                }
            }
        }
        out
    }
}

fn fold(s: &str) -> String {
    Folded::new(s.trim(), true).text.trim().to_string()
}

/// A name that starts or ends with a Latin letter or digit must not continue a word there.
fn at_boundaries(text: &str, span: &std::ops::Range<usize>) -> bool {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let name = &text[span.clone()];
    let before = text[..span.start].chars().next_back();
    let after = text[span.end..].chars().next();
    !(word(name.chars().next()) && word(before) || word(name.chars().next_back()) && word(after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_everyday_words_longest_first() {
        let s = ZhSynonyms::parse(
            "手機, 行動電話 => 智慧型手機 無線網路電話\n智慧型手機 => 智慧型手機\npc => 自動資料處理機",
        )
        .unwrap();
        let e = s.expand("Apple 智慧型手機 128GB");
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].matched, "智慧型手機");
        let e = s.expand("二手行動電話");
        assert_eq!(e[0].words, ["智慧型手機", "無線網路電話"]);
        assert!(s.expand("12PCS/BOX").is_empty());
        assert_eq!(s.expand("gaming PC 主機")[0].matched, "pc");
    }

    #[test]
    fn the_builtin_list_is_curated_and_well_formed() {
        let s = ZhSynonyms::builtin();
        assert!(s.len() >= 80, "{}", s.len());
        // Longest first: the phone case is not the phone.
        assert_eq!(s.expand("手機殼")[0].matched, "手機殼");
        assert_eq!(s.expand("二手手機")[0].matched, "手機");
        assert!(s.vocabulary().iter().any(|w| w == "機器腳踏車"));
    }

    #[test]
    fn rejects_malformed_lines() {
        assert!(
            ZhSynonyms::parse("手機 行動電話")
                .unwrap_err()
                .contains("line 1")
        );
        assert!(
            ZhSynonyms::parse("# c\n手機 =>  ")
                .unwrap_err()
                .contains("line 2")
        );
    }
}

use crate::analyze::analyze;
use crate::tokens::normalise;

/// A name found in a query and the nomenclature words it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    pub matched: String,
    pub words: Vec<String>,
}

/// Everyday and trade names mapped to the nomenclature's words (the synonyms hook).
#[derive(Debug, Clone, Default)]
pub struct Synonyms {
    entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
struct Entry {
    stems: Vec<String>,
    name: String,
    words: Vec<String>,
}

impl Synonyms {
    /// The curated list shipped with the crate (`data/synonyms.txt`).
    pub fn builtin() -> Synonyms {
        Synonyms::parse(include_str!("../data/synonyms.txt"))
            .expect("the built-in synonyms file is well formed")
    }

    /// Parses `name, other name => nomenclature words` lines; `#` starts a comment.
    pub fn parse(text: &str) -> Result<Synonyms, String> {
        let mut entries = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (names, expansion) = line
                .split_once("=>")
                .ok_or_else(|| format!("synonyms line {}: missing \"=>\"", n + 1))?;
            let words: Vec<String> = split_words(expansion);
            if words.is_empty() {
                return Err(format!("synonyms line {}: nothing after \"=>\"", n + 1));
            }
            for name in names.split(',') {
                let stems = stems(name);
                if !stems.is_empty() {
                    entries.push(Entry {
                        stems,
                        name: normalise(name),
                        words: words.clone(),
                    });
                }
            }
        }
        // Longest names first, so "electric bicycle" wins over "bicycle".
        entries.sort_by_key(|e| std::cmp::Reverse(e.stems.len()));
        Ok(Synonyms { entries })
    }

    /// (name, nomenclature words) pairs, longest names first.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.entries
            .iter()
            .map(|e| (e.name.as_str(), e.words.as_slice()))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The expansions whose names occur in `text` (compared on stems, so "laptops" finds
    /// "laptop"); each stretch of the text is used once.
    pub fn expand(&self, text: &str) -> Vec<Expansion> {
        let tokens = stems(text);
        let mut used = vec![false; tokens.len()];
        let mut out = Vec::new();
        for entry in &self.entries {
            let n = entry.stems.len();
            if n > tokens.len() {
                continue;
            }
            for start in 0..=tokens.len() - n {
                let span = start..start + n;
                if used[span.clone()].iter().any(|&u| u) || tokens[span.clone()] != entry.stems[..]
                {
                    continue;
                }
                used[span].iter_mut().for_each(|u| *u = true);
                out.push(Expansion {
                    matched: entry.name.clone(),
                    words: entry.words.clone(),
                });
            }
        }
        out
    }
}

fn stems(s: &str) -> Vec<String> {
    analyze(s).into_iter().map(|t| t.text).collect()
}

fn split_words(s: &str) -> Vec<String> {
    normalise(s)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_everyday_names_longest_first() {
        let s = Synonyms::builtin();
        assert!(s.len() > 100);
        let e = s.expand("Electric bicycle with battery");
        let matched: Vec<_> = e.iter().map(|x| x.matched.as_str()).collect();
        assert_eq!(matched, ["electric bicycle", "battery"]);
        assert!(e[0].words.contains(&"cycles".to_string()));
        assert_eq!(s.expand("Laptops")[0].matched, "laptop");
        assert_eq!(s.expand("laptop 15 inch")[0].matched, "laptop");
    }

    #[test]
    fn rejects_malformed_lines() {
        assert!(
            Synonyms::parse("laptop portable")
                .unwrap_err()
                .contains("line 1")
        );
        assert!(
            Synonyms::parse("# c\nlaptop =>  ")
                .unwrap_err()
                .contains("line 2")
        );
    }
}

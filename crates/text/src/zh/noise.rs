//! Shop-title noise: promotion and delivery words from the curated `data/noise_zh.txt`.
//! Blanked before tokenising because their characters would otherwise match tariff texts as
//! unigrams (免運's 運 in 運輸, 特價's 價): pure noise in the ranking.

use std::sync::OnceLock;

use super::fold::Folded;

fn phrases() -> &'static [String] {
    static PHRASES: OnceLock<Vec<String>> = OnceLock::new();
    PHRASES.get_or_init(|| parse(include_str!("../../data/noise_zh.txt")))
}

fn parse(text: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| Folded::new(l, true).text)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The curated promotion phrases, folded (NFKC, lower case).
pub fn noise_phrases() -> &'static [String] {
    phrases()
}

/// Blanks every listed phrase in the folded text.
pub(crate) fn blank_noise(folded: &mut Folded) {
    if folded.text.is_ascii() {
        return;
    }
    for phrase in phrases() {
        while let Some(at) = folded.text.find(phrase.as_str()) {
            folded.blank(at, at + phrase.len());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_long_enough_and_folded() {
        assert!(phrases().len() >= 50);
        assert!(phrases().iter().any(|p| p == "買1送1"));
    }

    #[test]
    fn blanks_listed_phrases_only() {
        let mut f = Folded::new("【免運】冷凍蝦仁 買一送一 現貨", true);
        blank_noise(&mut f);
        assert_eq!(
            f.text.split_whitespace().collect::<Vec<_>>(),
            ["【", "】冷凍蝦仁"]
        );
    }
}

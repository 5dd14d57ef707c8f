//! Text → hashed feature ids (the "bag"): what lets the head read any wording, Chinese included,
//! without a vocabulary to build or keep.
//!
//! Features: every analysed term ([`text::analyze_zh`]: English stems, CJK character unigrams
//! and bigrams), adjacent English term pairs, and the character trigrams of each English term
//! (so "t-shirts" and "tshirt" still meet). Each is hashed with FNV-1a, which is stable across
//! machines and releases, into `buckets - 1` slots; id 0 is padding.

use std::hash::Hasher;

use text::ZhOptions;

/// Terms kept from one text: long rulings say what they need to in far fewer.
pub const MAX_FEATURES: usize = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Featurizer {
    pub buckets: u32,
}

fn hash(kind: u8, s: &str) -> u64 {
    let mut h = fnv::FnvHasher::default();
    h.write_u8(kind);
    h.write(s.as_bytes());
    h.finish()
}

impl Featurizer {
    pub fn new(buckets: u32) -> Featurizer {
        assert!(buckets >= 2, "bucket 0 is padding");
        Featurizer { buckets }
    }

    fn id(&self, kind: u8, s: &str) -> u32 {
        (hash(kind, s) % u64::from(self.buckets - 1)) as u32 + 1
    }

    /// Distinct feature ids of `text`, in first-seen order, at most [`MAX_FEATURES`].
    pub fn ids(&self, text: &str) -> Vec<u32> {
        let terms: Vec<String> = text::analyze_zh(text, ZhOptions::default())
            .into_iter()
            .map(|t| t.text)
            .collect();
        let mut out = Vec::with_capacity(terms.len() * 4);
        let mut push = |id: u32| {
            if !out.contains(&id) {
                out.push(id);
            }
        };
        let latin = |t: &str| !t.chars().any(text::zh::is_cjk);
        for (i, term) in terms.iter().enumerate() {
            push(self.id(b'w', term));
            if !latin(term) {
                continue;
            }
            if let Some(next) = terms.get(i + 1).filter(|n| latin(n)) {
                push(self.id(b'b', &format!("{term} {next}")));
            }
            let padded: Vec<char> = format!("<{term}>").chars().collect();
            if padded.len() > 4 {
                for w in padded.windows(3) {
                    push(self.id(b'c', &w.iter().collect::<String>()));
                }
            }
        }
        out.truncate(MAX_FEATURES);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_distinct_and_never_padding() {
        let f = Featurizer::new(1 << 16);
        let a = f.ids("Frozen peeled shrimps");
        assert_eq!(a, f.ids("frozen PEELED shrimp"), "case and plurals fold");
        assert!(a.iter().all(|&i| i > 0 && i < 1 << 16));
        let mut sorted = a.clone();
        sorted.dedup();
        assert_eq!(sorted.len(), a.len());
    }

    #[test]
    fn chinese_and_mixed_text_give_features() {
        let f = Featurizer::new(1 << 16);
        let zh = f.ids("冷凍去殼白蝦仁");
        assert!(zh.len() >= 10, "unigrams and bigrams: {zh:?}");
        let mixed = f.ids("【快充】65W 氮化鎵 USB-C 充電器");
        assert!(mixed.len() > 8);
        // Shared characters mean shared features.
        let other = f.ids("冷凍蝦");
        assert!(other.iter().any(|i| zh.contains(i)));
    }

    #[test]
    fn similar_spellings_share_trigrams() {
        let f = Featurizer::new(1 << 18);
        let a = f.ids("tshirt");
        let b = f.ids("tshirts cotton");
        let shared = a.iter().filter(|i| b.contains(i)).count();
        assert!(shared >= 3, "{shared}");
    }
}

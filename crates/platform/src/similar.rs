//! Pairs of term sets at least this similar (Jaccard: shared terms over all terms).
//!
//! Exact, not sampled: prefix filtering (Bayardo et al., "Scaling up all pairs similarity
//! search", 2007) orders terms rarest first, so two sets that share enough terms must share
//! one among the first few of each; only those candidates are compared in full. On short
//! texts this stays near linear, and no pair above the threshold is ever missed, which a
//! MinHash sketch could not promise.

use std::collections::{BTreeSet, HashMap};

/// A pair of input positions (`a < b`) and their Jaccard similarity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimilarPair {
    pub a: usize,
    pub b: usize,
    pub similarity: f64,
}

const EPSILON: f64 = 1e-9;

/// Every pair of non-empty sets with Jaccard similarity ≥ `threshold` (0 < threshold ≤ 1),
/// ordered by `(a, b)`.
pub fn similar_pairs(sets: &[BTreeSet<String>], threshold: f64) -> Vec<SimilarPair> {
    assert!(threshold > 0.0 && threshold <= 1.0, "threshold in (0, 1]");
    // Rank terms rarest first (ties by the term, so the order is deterministic).
    let mut frequency: HashMap<&str, usize> = HashMap::new();
    for set in sets {
        for term in set {
            *frequency.entry(term).or_default() += 1;
        }
    }
    let mut terms: Vec<(&str, usize)> = frequency.into_iter().collect();
    terms.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(b.0)));
    let rank: HashMap<&str, u32> = terms
        .iter()
        .enumerate()
        .map(|(i, (t, _))| (*t, i as u32))
        .collect();
    let records: Vec<Vec<u32>> = sets
        .iter()
        .map(|set| {
            let mut r: Vec<u32> = set.iter().map(|t| rank[t.as_str()]).collect();
            r.sort_unstable();
            r
        })
        .collect();
    // Smallest first: every set already indexed is no larger than the one probing.
    let mut order: Vec<usize> = (0..records.len())
        .filter(|&i| !records[i].is_empty())
        .collect();
    order.sort_by_key(|&i| (records[i].len(), i));

    let mut index: HashMap<u32, Vec<usize>> = HashMap::new();
    let mut seen_by: Vec<usize> = vec![usize::MAX; records.len()];
    let mut out = Vec::new();
    for &x in &order {
        let n = records[x].len();
        let min_overlap = ((threshold * n as f64) - EPSILON).ceil() as usize;
        let prefix = n - min_overlap.max(1) + 1;
        for term in &records[x][..prefix] {
            let Some(postings) = index.get(term) else {
                continue;
            };
            for &y in postings {
                if seen_by[y] == x || (records[y].len() as f64) < threshold * n as f64 - EPSILON {
                    continue;
                }
                seen_by[y] = x;
                let shared = overlap(&records[x], &records[y]);
                let similarity = shared as f64 / (n + records[y].len() - shared) as f64;
                if similarity >= threshold - EPSILON {
                    out.push(SimilarPair {
                        a: x.min(y),
                        b: x.max(y),
                        similarity,
                    });
                }
            }
        }
        for term in &records[x][..prefix] {
            index.entry(*term).or_default().push(x);
        }
    }
    out.sort_by_key(|p| (p.a, p.b));
    out
}

/// Jaccard similarity of two sets.
pub fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let shared = a.intersection(b).count();
    let union = a.len() + b.len() - shared;
    if union == 0 {
        0.0
    } else {
        shared as f64 / union as f64
    }
}

fn overlap(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(words: &str) -> BTreeSet<String> {
        words.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn finds_what_shares_enough() {
        let sets = [
            set("cotton t shirt"),
            set("cotton t shirt men"),
            set("cotton shirt"),
            set("cotton shirt men"),
            set(""),
        ];
        let pairs: Vec<(usize, usize, f64)> = similar_pairs(&sets, 0.75)
            .iter()
            .map(|p| (p.a, p.b, p.similarity))
            .collect();
        // 3 of 4 terms shared; "cotton shirt" and "cotton shirt men" (2 of 3) are not.
        assert_eq!(pairs, [(0, 1, 0.75), (1, 3, 0.75)]);
    }

    #[test]
    fn agrees_with_comparing_every_pair() {
        // Small random sets over a small vocabulary: many overlaps, every size.
        let mut seed: u64 = 42;
        let mut next = move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        let sets: Vec<BTreeSet<String>> = (0..300)
            .map(|_| {
                (0..1 + next() % 6)
                    .map(|_| format!("w{}", next() % 12))
                    .collect()
            })
            .collect();
        for threshold in [0.5, 0.6, 0.75, 0.8, 1.0] {
            let mut brute = Vec::new();
            for a in 0..sets.len() {
                for b in a + 1..sets.len() {
                    let s = jaccard(&sets[a], &sets[b]);
                    if s >= threshold - EPSILON {
                        brute.push((a, b));
                    }
                }
            }
            let fast: Vec<(usize, usize)> = similar_pairs(&sets, threshold)
                .iter()
                .map(|p| (p.a, p.b))
                .collect();
            assert_eq!(fast, brute, "threshold {threshold}");
        }
    }
}

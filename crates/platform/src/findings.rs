//! What the card finds between texts: conflicts and exact duplicates (the same normalised
//! text), near duplicates (key terms at least as similar as the threshold) and the near
//! duplicates that straddle splits (leakage).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use crate::card::{
    Analysed, CodeRows, Conflict, Conflicts, DuplicateGroup, ExactDuplicates, Leakage, MAX_LISTED,
    NearDuplicates, PairRef, row_ref,
};
use crate::rows::LabelledRow;
use crate::similar::similar_pairs;

/// The rows grouped by normalised text, groups in order of first appearance.
pub(crate) struct Texts {
    groups: Vec<Vec<usize>>,
}

fn ids(rows: &[LabelledRow], at: &[usize]) -> Vec<String> {
    at.iter().take(5).map(|&i| rows[i].id.clone()).collect()
}

/// Codes disagree when neither is a prefix of the other ("8471" and "847130" agree).
fn disagree(a: &str, b: &str) -> bool {
    !a.starts_with(b) && !b.starts_with(a)
}

impl Texts {
    pub fn group(rows: &[LabelledRow], analysed: &[Analysed]) -> Texts {
        let mut at: HashMap<&str, usize> = HashMap::new();
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for (i, a) in analysed.iter().enumerate().take(rows.len()) {
            let g = *at.entry(a.normalised.as_str()).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[g].push(i);
        }
        Texts { groups }
    }

    fn by_code<'r>(rows: &'r [LabelledRow], group: &[usize]) -> BTreeMap<&'r str, Vec<usize>> {
        let mut out: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for &i in group {
            out.entry(rows[i].code.as_str()).or_default().push(i);
        }
        out
    }

    pub fn conflicts(&self, rows: &[LabelledRow]) -> Conflicts {
        let mut out = Conflicts {
            texts: 0,
            rows: 0,
            examples: Vec::new(),
        };
        for group in self.groups.iter().filter(|g| g.len() > 1) {
            let codes = Self::by_code(rows, group);
            let keys: Vec<&str> = codes.keys().copied().collect();
            let conflicting = keys
                .iter()
                .enumerate()
                .any(|(i, a)| keys[i + 1..].iter().any(|b| disagree(a, b)));
            if !conflicting {
                continue;
            }
            out.texts += 1;
            out.rows += group.len();
            if out.examples.len() < MAX_LISTED {
                out.examples.push(Conflict {
                    text: rows[group[0]].text.clone(),
                    codes: codes
                        .iter()
                        .map(|(code, at)| CodeRows {
                            code: code.to_string(),
                            rows: at.len(),
                            ids: ids(rows, at),
                        })
                        .collect(),
                });
            }
        }
        out
    }

    pub fn exact_duplicates(&self, rows: &[LabelledRow]) -> ExactDuplicates {
        let mut out = ExactDuplicates {
            groups: 0,
            extra_rows: 0,
            examples: Vec::new(),
        };
        for group in self.groups.iter().filter(|g| g.len() > 1) {
            for (code, at) in Self::by_code(rows, group) {
                if at.len() < 2 {
                    continue;
                }
                out.groups += 1;
                out.extra_rows += at.len() - 1;
                if out.examples.len() < MAX_LISTED {
                    out.examples.push(DuplicateGroup {
                        text: rows[at[0]].text.clone(),
                        code: code.to_string(),
                        ids: ids(rows, &at),
                    });
                }
            }
        }
        out
    }

    /// Near duplicates among distinct normalised texts, and those that cross splits. Texts
    /// with equal key terms are similar (1.0) and always share a split; the others are
    /// compared by [`similar_pairs`] once per distinct set of terms.
    pub fn similar(
        &self,
        rows: &[LabelledRow],
        analysed: &[Analysed],
        threshold: f64,
    ) -> (NearDuplicates, Leakage) {
        let first = |g: usize| self.groups[g][0];
        let mut by_terms: BTreeMap<&BTreeSet<String>, Vec<usize>> = BTreeMap::new();
        for g in 0..self.groups.len() {
            let terms = &analysed[first(g)].terms;
            if !terms.is_empty() {
                by_terms.entry(terms).or_default().push(g);
            }
        }
        // Sets in order of their first text, so examples follow the data.
        let mut sets: Vec<(&BTreeSet<String>, Vec<usize>)> = by_terms.into_iter().collect();
        sets.sort_by_key(|(_, groups)| groups[0]);
        let pair = |a: usize, b: usize, similarity: f64| PairRef {
            a: row_ref(rows, analysed[first(a)].split, first(a)),
            b: row_ref(rows, analysed[first(b)].split, first(b)),
            similarity,
        };

        let mut near = NearDuplicates {
            threshold,
            pairs: 0,
            examples: Vec::new(),
        };
        for (_, groups) in &sets {
            let k = groups.len();
            near.pairs += k * (k - 1) / 2;
            for (i, &a) in groups.iter().enumerate() {
                for &b in &groups[i + 1..] {
                    if near.examples.len() >= MAX_LISTED {
                        break;
                    }
                    near.examples.push(pair(a, b, 1.0));
                }
            }
        }
        let terms: Vec<BTreeSet<String>> = sets.iter().map(|(t, _)| (*t).clone()).collect();
        let mut leakage = Leakage {
            threshold,
            pairs: 0,
            rows: 0,
            examples: Vec::new(),
        };
        let mut leaking_groups: HashSet<usize> = HashSet::new();
        for p in similar_pairs(&terms, threshold) {
            let (a, b) = (&sets[p.a].1, &sets[p.b].1);
            near.pairs += a.len() * b.len();
            if near.examples.len() < MAX_LISTED {
                near.examples.push(pair(a[0], b[0], p.similarity));
            }
            if analysed[first(a[0])].split != analysed[first(b[0])].split {
                leakage.pairs += a.len() * b.len();
                leaking_groups.extend(a.iter().chain(b));
                leakage.examples.push(pair(a[0], b[0], p.similarity));
            }
        }
        leakage.rows = leaking_groups.iter().map(|&g| self.groups[g].len()).sum();
        // The most similar leaks first.
        leakage.examples.sort_by(|x, y| {
            y.similarity
                .total_cmp(&x.similarity)
                .then_with(|| x.a.id.cmp(&y.a.id))
        });
        leakage.examples.truncate(MAX_LISTED);
        (near, leakage)
    }
}

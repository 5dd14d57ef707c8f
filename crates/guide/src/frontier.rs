//! The question whose choices are tree branches at whatever level the mass calls for: the
//! likely subheadings by name beside the likely headings, chapters or sections that hold the
//! rest. A single-level question either jumps deep and misses when the classifier ranked the
//! goods low ("none of these", then a walk from the top), or stays shallow and spends a
//! question per level; this one goes as deep as the mass allows and still covers the rest.
//!
//! A branch split into its likely parts keeps a choice for the rest of it ("something else in
//! chapter 84"): the goods the classifier ranked low then still land in their chapter with
//! one answer, where "none of these" would leave the whole tree open.

use std::collections::HashMap;

use crate::gain::NONE_COST_BITS;
use crate::questions::{
    Choice, MAX_CHOICES, NONE_OF_THESE, Question, Tree, TreeLevel, button, finish, heavier_first,
    shorten, without_shared_clause,
};
use crate::rule::Rule;

pub const TOPIC: &str = "tree:any";
const QUESTION: &str = "Which of these are the goods?";
/// A branch lighter than this (share of the mass) is not a choice of its own.
const MIN_BRANCH_MASS: f64 = 0.003;
/// A split must keep at least this share of the split branch's mass on screen (what its light
/// sub-branches and the choices it crowds out lose goes to "none of these").
const KEPT_WHEN_SPLIT: f64 = 0.5;

#[derive(Clone, Copy, PartialEq)]
struct Branch {
    level: usize,
    id: u32,
    /// The whole branch's mass.
    mass: f64,
    /// The branch less the other choices under it: "something else in …".
    rest: bool,
}

/// The mass of every branch at every level, and which branches lie under which.
struct Masses {
    mass: [HashMap<u32, f64>; 4],
    children: HashMap<(usize, u32), Vec<u32>>,
    parent: HashMap<(usize, u32), u32>,
    total: f64,
}

impl Masses {
    /// The branches of `level` among `ids` heavy enough to be a choice, heaviest first.
    fn heavy(&self, level: usize, ids: impl Iterator<Item = u32>) -> Vec<Branch> {
        let mut out: Vec<Branch> = ids
            .map(|id| Branch {
                level,
                id,
                mass: self.mass[level][&id],
                rest: false,
            })
            .filter(|b| b.mass >= MIN_BRANCH_MASS * self.total)
            .collect();
        out.sort_by(|a, b| heavier_first(a.mass, b.mass).then(a.id.cmp(&b.id)));
        out
    }

    /// Whether `inner` lies strictly under `outer`.
    fn under(&self, inner: &Branch, outer: &Branch) -> bool {
        let (mut level, mut id) = (inner.level, inner.id);
        while level > outer.level {
            match self.parent.get(&(level, id)) {
                Some(&up) => (level, id) = (level - 1, up),
                None => return false,
            }
        }
        inner.level > outer.level && id == outer.id
    }

    /// The choices under `outer` that no other choice under it contains.
    fn outermost_under<'b>(&self, shown: &'b [Branch], outer: &Branch) -> Vec<&'b Branch> {
        shown
            .iter()
            .filter(|b| {
                self.under(b, outer)
                    && !shown
                        .iter()
                        .any(|m| self.under(b, m) && self.under(m, outer))
            })
            .collect()
    }

    /// What each choice holds: a branch its mass, a rest what its branch holds beyond the
    /// other choices under it.
    fn shares(&self, shown: &[Branch]) -> Vec<f64> {
        shown
            .iter()
            .map(|b| {
                if !b.rest {
                    return b.mass;
                }
                let inner: f64 = self.outermost_under(shown, b).iter().map(|o| o.mass).sum();
                (b.mass - inner).max(0.0)
            })
            .collect()
    }

    /// At most `MAX_CHOICES` choices: the lightest named branches give way one by one, and
    /// what they held goes to the rest of the branch they lie under, so goods in a dropped
    /// heading still find their chapter ("something else in chapter 01" for live swine and
    /// sheep when horses, bovines, poultry and the other animals are named). Rests left with
    /// next to nothing go.
    fn fit(&self, mut shown: Vec<Branch>) -> Vec<Branch> {
        let holds_enough = |share: f64| share >= MIN_BRANCH_MASS * self.total;
        loop {
            let shares = self.shares(&shown);
            let counted = (0..shown.len())
                .filter(|&i| !shown[i].rest || holds_enough(shares[i]))
                .count();
            if counted <= MAX_CHOICES {
                let mut keep: Vec<usize> = (0..shown.len())
                    .filter(|&i| !shown[i].rest || holds_enough(shares[i]))
                    .collect();
                keep.sort_by(|&a, &b| heavier_first(shares[a], shares[b]).then(a.cmp(&b)));
                return keep.into_iter().map(|i| shown[i]).collect();
            }
            // The lightest named choice; the later one of equals (nomenclature order kept).
            let lightest = (0..shown.len())
                .filter(|&i| !shown[i].rest)
                .min_by(|&a, &b| shares[a].total_cmp(&shares[b]).then(b.cmp(&a)));
            match lightest {
                Some(i) => {
                    shown.remove(i);
                }
                None => {
                    shown.truncate(MAX_CHOICES);
                    return shown;
                }
            }
        }
    }

    fn covered(&self, shown: &[Branch]) -> f64 {
        self.shares(shown).iter().sum()
    }

    /// What a truthful answer tells (bits), over the choices and "none of these", less what
    /// "none of these" costs ([`NONE_COST_BITS`]).
    fn entropy(&self, shown: &[Branch]) -> f64 {
        let shares = self.shares(shown);
        let none = (self.total - shares.iter().sum::<f64>()).max(0.0);
        let h: f64 = shares
            .into_iter()
            .chain([none])
            .filter(|&m| m > 0.0)
            .map(|m| {
                let q = m / self.total;
                -q * q.log2()
            })
            .sum();
        h - NONE_COST_BITS * none / self.total
    }
}

impl Tree<'_> {
    fn all_masses(&self, p: &[f64]) -> Masses {
        let mut mass: [HashMap<u32, f64>; 4] = Default::default();
        let mut children: HashMap<(usize, u32), Vec<u32>> = HashMap::new();
        let mut parent: HashMap<(usize, u32), u32> = HashMap::new();
        for (leaf, &m) in p.iter().enumerate() {
            if m <= 0.0 {
                continue;
            }
            let ids = TreeLevel::ALL.map(|l| self.group_id(l, leaf));
            for level in 0..4 {
                *mass[level].entry(ids[level]).or_default() += m;
                if level < 3 {
                    let kids = children.entry((level, ids[level])).or_default();
                    if !kids.contains(&ids[level + 1]) {
                        kids.push(ids[level + 1]);
                        parent.insert((level + 1, ids[level + 1]), ids[level]);
                    }
                }
            }
        }
        let total = mass[0].values().sum();
        Masses {
            mass,
            children,
            parent,
            total,
        }
    }

    /// Starts from the heaviest sections and keeps splitting the branch whose sub-branches
    /// tell most, the lightest choices giving way when the screen is full, while that adds
    /// information and keeps most of the branch on screen. A lone branch is always split: one
    /// choice is no question.
    pub fn frontier_question(&self, p: &[f64]) -> Option<Question> {
        let masses = self.all_masses(p);
        if masses.total <= 0.0 {
            return None;
        }
        let mut shown = masses.heavy(0, masses.mass[0].keys().copied());
        shown.truncate(MAX_CHOICES);
        loop {
            let current = masses.entropy(&shown);
            let covered_now = masses.covered(&shown);
            let mut best: Option<(f64, Vec<Branch>)> = None;
            for (at, branch) in shown
                .iter()
                .enumerate()
                .filter(|(_, b)| b.level < 3 && !b.rest)
            {
                let mut kids = masses.heavy(
                    branch.level + 1,
                    masses.children[&(branch.level, branch.id)].iter().copied(),
                );
                kids.truncate(MAX_CHOICES);
                if kids.is_empty() {
                    continue;
                }
                let mut split = shown.clone();
                split.remove(at);
                split.extend(kids);
                split.push(Branch {
                    rest: true,
                    ..*branch
                });
                let split = masses.fit(split);
                let h = masses.entropy(&split);
                let lost = covered_now - masses.covered(&split);
                let better = shown.len() == 1
                    || (h > current + 1e-9 && lost <= (1.0 - KEPT_WHEN_SPLIT) * branch.mass);
                if better && best.as_ref().is_none_or(|b| h > b.0) {
                    best = Some((h, split));
                }
            }
            match best {
                Some((_, split)) => shown = split,
                None => break,
            }
        }
        if shown.len() < 2 {
            return None;
        }
        let key_of = |b: &Branch| Tree::group_name(TreeLevel::ALL[b.level], b.id);
        let keys: Vec<String> = shown.iter().map(key_of).collect();
        let texts: Vec<String> = keys.iter().map(|k| self.text_of(k)).collect();
        // The subheadings shown by name lose the clause they all share ("Fruit, edible; ").
        let named: Vec<usize> = (0..shown.len())
            .filter(|&i| shown[i].level == 3 && !shown[i].rest)
            .collect();
        let mut plain = texts.clone();
        let stripped =
            without_shared_clause(&named.iter().map(|&i| texts[i].clone()).collect::<Vec<_>>());
        for (&i, text) in named.iter().zip(stripped) {
            plain[i] = text;
        }
        let mut choices: Vec<Choice> = shown
            .iter()
            .zip(&keys)
            .zip(texts.into_iter().zip(plain))
            .map(|((b, key), (text, plain))| {
                if !b.rest {
                    let (label, detail) = button(&plain, &text);
                    return Choice {
                        id: key.clone(),
                        label,
                        detail,
                        rule: Rule::Keep(self.prefixes(key)),
                        keeps: Vec::new(),
                    };
                }
                let except: Vec<String> = masses
                    .outermost_under(&shown, b)
                    .into_iter()
                    .flat_map(|o| self.prefixes(&key_of(o)))
                    .collect();
                let (label, _) = shorten(&format!("Something else in {}", self.name_of(key)));
                Choice {
                    id: format!("rest:{key}"),
                    label,
                    detail: Some(text),
                    rule: Rule::Within {
                        keep: self.prefixes(key),
                        except,
                    },
                    keeps: Vec::new(),
                }
            })
            .collect();
        choices.push(Choice {
            id: NONE_OF_THESE.into(),
            label: "None of these".into(),
            detail: None,
            rule: Rule::Exclude(keys.iter().flat_map(|k| self.prefixes(k)).collect()),
            keeps: Vec::new(),
        });
        Some(finish(TOPIC, QUESTION.into(), choices))
    }
}

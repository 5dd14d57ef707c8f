//! The question whose choices are tree branches at whatever level the mass calls for: the
//! likely subheadings by name beside the likely headings, chapters or sections that hold the
//! rest. A single-level question either jumps deep and misses when the classifier ranked the
//! goods low ("none of these", then a walk from the top), or stays shallow and spends a
//! question per level; this one goes as deep as the mass allows and still covers the rest.

use std::collections::HashMap;

use crate::questions::{
    Choice, MAX_CHOICES, NONE_OF_THESE, Question, Tree, TreeLevel, finish, shorten,
};
use crate::rule::Rule;

pub const TOPIC: &str = "tree:any";
const QUESTION: &str = "Which of these are the goods?";
/// A branch lighter than this (share of the mass) is not a choice of its own.
const MIN_BRANCH_MASS: f64 = 0.003;
/// A split must keep at least this share of the split branch's mass on screen (what its light
/// sub-branches and the choices it crowds out lose goes to "none of these").
const KEPT_WHEN_SPLIT: f64 = 0.5;

#[derive(Clone, Copy)]
struct Branch {
    level: usize,
    id: u32,
    mass: f64,
}

/// The mass of every branch at every level, and which branches lie under which.
struct Masses {
    mass: [HashMap<u32, f64>; 4],
    children: HashMap<(usize, u32), Vec<u32>>,
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
            })
            .filter(|b| b.mass >= MIN_BRANCH_MASS * self.total)
            .collect();
        out.sort_by(|a, b| b.mass.total_cmp(&a.mass).then(a.id.cmp(&b.id)));
        out
    }

    /// What a truthful answer tells (bits): the choices' masses and the rest's, "none of
    /// these".
    fn entropy(&self, shown: &[Branch]) -> f64 {
        let covered: f64 = shown.iter().map(|b| b.mass).sum();
        let none = (self.total - covered).max(0.0);
        shown
            .iter()
            .map(|b| b.mass)
            .chain([none])
            .filter(|&m| m > 0.0)
            .map(|m| {
                let q = m / self.total;
                -q * q.log2()
            })
            .sum()
    }
}

impl Tree<'_> {
    fn all_masses(&self, p: &[f64]) -> Masses {
        let mut mass: [HashMap<u32, f64>; 4] = Default::default();
        let mut children: HashMap<(usize, u32), Vec<u32>> = HashMap::new();
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
                    }
                }
            }
        }
        let total = mass[0].values().sum();
        Masses {
            mass,
            children,
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
            let mut best: Option<(f64, Vec<Branch>)> = None;
            for (at, branch) in shown.iter().enumerate().filter(|(_, b)| b.level < 3) {
                let mut kids = masses.heavy(
                    branch.level + 1,
                    masses.children[&(branch.level, branch.id)].iter().copied(),
                );
                kids.truncate(MAX_CHOICES);
                if kids.is_empty() {
                    continue;
                }
                let mut split = shown.clone();
                split.splice(at..=at, kids);
                split.sort_by(|a, b| b.mass.total_cmp(&a.mass));
                split.truncate(MAX_CHOICES);
                let h = masses.entropy(&split);
                let covered = |options: &[Branch]| options.iter().map(|b| b.mass).sum::<f64>();
                let lost = covered(&shown) - covered(&split);
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
        let keys: Vec<String> = shown
            .iter()
            .map(|b| Tree::group_name(TreeLevel::ALL[b.level], b.id))
            .collect();
        let mut choices: Vec<Choice> = keys
            .iter()
            .map(|key| {
                let (label, detail) = shorten(&self.text_of(key));
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
            rule: Rule::Exclude(keys.iter().flat_map(|k| self.prefixes(k)).collect()),
            keeps: Vec::new(),
        });
        Some(finish(TOPIC, QUESTION.into(), choices))
    }
}

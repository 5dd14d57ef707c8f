//! Expected information gain of a question over the current posterior.
//!
//! The user model: a truthful user whose goods are subheading `c` picks uniformly among the
//! choices that admit `c` ("not sure" aside). Then I(C; A) = H(A) − E[log₂ n(c)], where n(c)
//! is the number of choices admitting `c`; less [`NONE_COST_BITS`] for the chance of
//! "none of these".

use crate::questions::{MAX_CHOICES, Question};
use crate::rule::{Rule, Tables};

/// What a "none of these" answer costs beyond what it tells (bits), times its probability:
/// it leaves the tree open, so the walk starts again from the top. Measured on the
/// development split (dialogues of four questions or more / of five or more / mean): 0 bits,
/// 107 / 51 / 1.77; 1.5 bits, 98 / 49 / 1.80; log₂ 9 ≈ 3.2 bits (one more question of up to
/// nine answers), 99 / 40 / 1.84; 5 and 8 bits, 100 and 115 dialogues of four or more.
pub const NONE_COST_BITS: f64 = 1.5;
/// Leaves lighter than this are left out of the sums; they cannot move the answer.
const NEGLIGIBLE: f64 = 1e-9;

/// A question's informative answers over the subheadings, and which answers a user whose
/// goods are each live leaf may give: built once per question, read by [`Answers::gain`] and
/// [`Answers::beyond_reach`].
pub struct Answers {
    count: usize,
    /// Per live leaf (mass at least [`NEGLIGIBLE`]): its index and the answers admitting it
    /// (all of them where none does: such a user has nothing to go on).
    leaves: Vec<(usize, Vec<usize>)>,
    /// The answers that are "none of these".
    none: Vec<bool>,
}

impl Answers {
    pub fn of(question: &Question, p: &[f64], tables: &Tables) -> Answers {
        let informative: Vec<&Rule> = question
            .choices
            .iter()
            .map(|c| &c.rule)
            .filter(|r| r.is_informative())
            .collect();
        let masks: Vec<Vec<bool>> = informative.iter().map(|r| r.mask(tables)).collect();
        let count = masks.len();
        let leaves = (0..p.len())
            .filter(|&leaf| p[leaf] >= NEGLIGIBLE)
            .map(|leaf| {
                let admitting: Vec<usize> = (0..count).filter(|&c| masks[c][leaf]).collect();
                let admitting = if admitting.is_empty() {
                    (0..count).collect()
                } else {
                    admitting
                };
                (leaf, admitting)
            })
            .collect();
        let none = informative
            .iter()
            .map(|r| matches!(r, Rule::Exclude(_)))
            .collect();
        Answers {
            count,
            leaves,
            none,
        }
    }

    /// Expected information gain (bits), less [`NONE_COST_BITS`] times the chance of "none of
    /// these".
    pub fn gain(&self, p: &[f64]) -> f64 {
        let mut answer_mass = vec![0.0f64; self.count];
        let mut conditional = 0.0;
        for (leaf, admitting) in &self.leaves {
            let m = p[*leaf];
            let share = m / admitting.len() as f64;
            for &k in admitting {
                answer_mass[k] += share;
            }
            conditional += m * (admitting.len() as f64).log2();
        }
        let total: f64 = answer_mass.iter().sum();
        if total <= 0.0 {
            return 0.0;
        }
        let entropy: f64 = answer_mass
            .iter()
            .filter(|&&m| m > 0.0)
            .map(|&m| {
                let q = m / total;
                -q * q.log2()
            })
            .sum();
        let none: f64 = self
            .none
            .iter()
            .zip(&answer_mass)
            .filter(|(is_none, _)| **is_none)
            .map(|(_, m)| m)
            .sum();
        (entropy - conditional / total).max(0.0) - NONE_COST_BITS * none / total
    }

    /// The chance that the answer leaves the goods beyond what `questions_left` more
    /// questions can settle: after the answer, the goods must be among the A^k − 1 likeliest
    /// subheadings it admits (k questions of A answers: eight choices and "none of these"),
    /// or, with no question left, hold `threshold` of what it admits.
    pub fn beyond_reach(&self, p: &[f64], questions_left: u32, threshold: f64) -> f64 {
        let total: f64 = self.leaves.iter().map(|(leaf, _)| p[*leaf]).sum();
        if self.count == 0 || total <= 0.0 {
            return 1.0;
        }
        // Per answer, the live leaves it keeps (as indices into `self.leaves`), heaviest first.
        let mut kept: Vec<Vec<usize>> = vec![Vec::new(); self.count];
        for (i, (_, admitting)) in self.leaves.iter().enumerate() {
            for &c in admitting {
                kept[c].push(i);
            }
        }
        let mass = |i: usize| p[self.leaves[i].0];
        let reach = (MAX_CHOICES + 1)
            .saturating_pow(questions_left)
            .saturating_sub(1)
            .max(1);
        let mut within = vec![vec![false; self.leaves.len()]; self.count];
        for (c, leaves) in kept.iter_mut().enumerate() {
            leaves.sort_by(|&a, &b| mass(b).total_cmp(&mass(a)));
            if questions_left == 0 {
                let answer_mass: f64 = leaves.iter().map(|&i| mass(i)).sum();
                if let Some(&top) = leaves.first()
                    && mass(top) >= threshold * answer_mass
                {
                    within[c][top] = true;
                }
            } else {
                leaves.iter().take(reach).for_each(|&i| within[c][i] = true);
            }
        }
        let beyond: f64 = self
            .leaves
            .iter()
            .enumerate()
            .map(|(i, (leaf, admitting))| {
                let out = admitting.iter().filter(|&&c| !within[c][i]).count();
                p[*leaf] * out as f64 / admitting.len() as f64
            })
            .sum();
        beyond / total
    }
}

pub fn information_gain(question: &Question, p: &[f64], tables: &Tables) -> f64 {
    Answers::of(question, p, tables).gain(p)
}

/// [`Answers::beyond_reach`] of `question`; the user model is that of [`information_gain`].
pub fn beyond_reach(
    question: &Question,
    p: &[f64],
    tables: &Tables,
    questions_left: u32,
    threshold: f64,
) -> f64 {
    Answers::of(question, p, tables).beyond_reach(p, questions_left, threshold)
}

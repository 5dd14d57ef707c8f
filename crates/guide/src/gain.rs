//! Expected information gain of a question over the current posterior.
//!
//! The user model: a truthful user whose goods are subheading `c` picks uniformly among the
//! choices that admit `c` ("not sure" aside). Then I(C; A) = H(A) − E[log₂ n(c)], where n(c)
//! is the number of choices admitting `c`; less [`NONE_COST_BITS`] for the chance of
//! "none of these".

use crate::questions::Question;
use crate::rule::{Rule, Tables};

/// What a "none of these" answer costs beyond what it tells (bits), times its probability:
/// it leaves the tree open, so the walk starts again from the top. Measured on the
/// development split (dialogues of four questions or more / of five or more / mean): 0 bits,
/// 107 / 51 / 1.77; 1.5 bits, 98 / 49 / 1.80; log₂ 9 ≈ 3.2 bits (one more question of up to
/// nine answers), 99 / 40 / 1.84; 5 and 8 bits, 100 and 115 dialogues of four or more.
pub const NONE_COST_BITS: f64 = 1.5;
/// Leaves lighter than this are left out of the sums; they cannot move the answer.
const NEGLIGIBLE: f64 = 1e-9;

pub fn information_gain(question: &Question, p: &[f64], tables: &Tables) -> f64 {
    let informative: Vec<&Rule> = question
        .choices
        .iter()
        .map(|c| &c.rule)
        .filter(|r| r.is_informative())
        .collect();
    let choices: Vec<Vec<bool>> = informative.iter().map(|r| r.mask(tables)).collect();
    let mut answer_mass = vec![0.0f64; choices.len()];
    let mut conditional = 0.0;
    let mut admitting = Vec::with_capacity(choices.len());
    for (leaf, &m) in p.iter().enumerate() {
        if m < NEGLIGIBLE {
            continue;
        }
        admitting.clear();
        admitting.extend((0..choices.len()).filter(|&k| choices[k][leaf]));
        if admitting.is_empty() {
            admitting.extend(0..choices.len());
        }
        let share = m / admitting.len() as f64;
        for &k in &admitting {
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
    let none: f64 = informative
        .iter()
        .zip(&answer_mass)
        .filter(|(r, _)| matches!(r, Rule::Exclude(_)))
        .map(|(_, m)| m)
        .sum();
    (entropy - conditional / total).max(0.0) - NONE_COST_BITS * none / total
}

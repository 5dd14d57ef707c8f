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

/// The chance that the answer to `question` leaves the goods beyond what `questions_left`
/// more questions can settle: after the answer, the goods must be among the 9^k − 1
/// likeliest subheadings it admits (k questions of eight choices and "none of these"), or,
/// with no question left, hold `threshold` of what it admits. The user model is that of
/// [`information_gain`].
pub fn beyond_reach(
    question: &Question,
    p: &[f64],
    tables: &Tables,
    questions_left: u32,
    threshold: f64,
) -> f64 {
    let choices: Vec<Vec<bool>> = question
        .choices
        .iter()
        .map(|c| &c.rule)
        .filter(|r| r.is_informative())
        .map(|r| r.mask(tables))
        .collect();
    let k = choices.len();
    let live: Vec<usize> = (0..p.len()).filter(|&l| p[l] >= NEGLIGIBLE).collect();
    let total: f64 = live.iter().map(|&l| p[l]).sum();
    if k == 0 || total <= 0.0 {
        return 1.0;
    }
    // The answers a user whose goods are each live leaf may give.
    let admitting: Vec<Vec<usize>> = live
        .iter()
        .map(|&leaf| {
            let a: Vec<usize> = (0..k).filter(|&c| choices[c][leaf]).collect();
            if a.is_empty() { (0..k).collect() } else { a }
        })
        .collect();
    let mut kept: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (i, answers) in admitting.iter().enumerate() {
        for &c in answers {
            kept[c].push(i);
        }
    }
    // Per answer, which of the live leaves it keeps within reach.
    let reach = 9usize
        .saturating_pow(questions_left)
        .saturating_sub(1)
        .max(1);
    let mut within = vec![vec![false; live.len()]; k];
    for (c, leaves) in kept.iter_mut().enumerate() {
        leaves.sort_by(|&a, &b| p[live[b]].total_cmp(&p[live[a]]));
        if questions_left == 0 {
            let mass: f64 = leaves.iter().map(|&i| p[live[i]]).sum();
            if let Some(&top) = leaves.first()
                && p[live[top]] >= threshold * mass
            {
                within[c][top] = true;
            }
        } else {
            leaves.iter().take(reach).for_each(|&i| within[c][i] = true);
        }
    }
    let beyond: f64 = admitting
        .iter()
        .enumerate()
        .map(|(i, answers)| {
            let out = answers.iter().filter(|&&c| !within[c][i]).count();
            p[live[i]] * out as f64 / answers.len() as f64
        })
        .sum();
    beyond / total
}

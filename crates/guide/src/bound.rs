//! What the best possible questioner could do with the same prior: questions of at most
//! nine answers (eight choices and "none of these") asked as an optimal prefix code, a
//! nine-ary Huffman code over the subheadings' prior, stopping where the gold code holds the
//! threshold of what its answers left. It tells the questions' share of a long dialogue
//! from the classifier's: a gold code the prior ranks far off needs four questions from any
//! questioner that is best on average.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::questions::MAX_CHOICES;

/// Answers a question can have that the simulated user may give: the choices and "none of
/// these".
const ANSWERS: usize = MAX_CHOICES + 1;

/// An f64 ordered by `total_cmp`, for the heap.
#[derive(PartialEq)]
struct Weight(f64);

impl Eq for Weight {}

impl PartialOrd for Weight {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Weight {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// Questions the optimal `ANSWERS`-ary code over `p` asks before `leaf` holds `threshold` of
/// the mass its answers leave.
pub fn ideal_questions(p: &[f64], leaf: usize, threshold: f64) -> usize {
    let n = p.len();
    if n <= 1 || leaf >= n {
        return 0;
    }
    // Nodes: the leaves, padding of zero weight so that every merge takes ANSWERS nodes, then
    // the merged ones. parent[i] is the node i was merged into.
    let padding = (ANSWERS - 1 - (n - 1) % (ANSWERS - 1)) % (ANSWERS - 1);
    let mut mass: Vec<f64> = p.iter().map(|&m| m.max(0.0)).collect();
    mass.extend(std::iter::repeat_n(0.0, padding));
    let mut parent: Vec<usize> = vec![usize::MAX; mass.len()];
    // Ties go to the lower node number: the build is deterministic.
    let mut heap: BinaryHeap<Reverse<(Weight, usize)>> = mass
        .iter()
        .enumerate()
        .map(|(i, &m)| Reverse((Weight(m), i)))
        .collect();
    while heap.len() > 1 {
        let node = mass.len();
        let mut merged = 0.0;
        for _ in 0..ANSWERS.min(heap.len()) {
            let Reverse((Weight(m), i)) = heap.pop().expect("heap holds enough nodes");
            parent[i] = node;
            merged += m;
        }
        mass.push(merged);
        parent.push(usize::MAX);
        heap.push(Reverse((Weight(merged), node)));
    }
    // The path from the root down to the leaf; each step down is one answer.
    let mut path = vec![leaf];
    while parent[*path.last().expect("path starts at the leaf")] != usize::MAX {
        path.push(parent[*path.last().expect("non-empty")]);
    }
    let gold = mass[leaf];
    path.iter()
        .rev()
        .position(|&node| mass[node] > 0.0 && gold / mass[node] >= threshold)
        .unwrap_or(path.len() - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sure_prior_needs_no_question() {
        let mut p = vec![0.001; 50];
        p[7] = 1.0 - 0.049;
        assert_eq!(ideal_questions(&p, 7, 0.9), 0);
    }

    #[test]
    fn nine_even_leaves_take_one_question_and_eighty_one_take_two() {
        assert_eq!(ideal_questions(&[1.0 / 9.0; 9], 4, 0.9), 1);
        assert_eq!(ideal_questions(&[1.0 / 81.0; 81], 40, 0.9), 2);
        // One more leaf than two questions can tell apart: some leaf needs a third.
        let p = vec![1.0 / 82.0; 82];
        assert_eq!((0..82).map(|l| ideal_questions(&p, l, 0.9)).max(), Some(3));
    }

    #[test]
    fn a_leaf_the_prior_ranks_far_off_needs_more_questions() {
        // A heavy head and a long light tail, as the classifier's posterior looks.
        let p: Vec<f64> = (1..=5000).map(|r| 1.0 / (r as f64).powi(2)).collect();
        let top = ideal_questions(&p, 0, 0.9);
        let far = ideal_questions(&p, 4000, 0.9);
        assert!(top <= 1, "{top}");
        assert!(far >= 4, "{far}");
    }
}

//! Which question to ask next: the candidates every kind of question offers over the current
//! posterior, scored by information gain and, within the aim, by the chance of leaving the
//! goods out of reach.

use super::{Answer, Dialogue, Guide, Known};
use crate::gain::Answers;
use crate::lexicon::DIMENSIONS;
use crate::questions::{Question, Tree, TreeLevel};
use crate::rule::Rule;

/// A tree level where one branch holds this much of the mass is skipped.
const DOMINANT_BRANCH: f64 = 0.3;
/// Questions worth less than this (bits) are not asked.
const MIN_GAIN: f64 = 0.05;

impl Guide {
    /// The question with the highest expected information gain (less the aim's charge, see
    /// [`Settings::aim_questions`]) that has not been asked, is not on a topic the user was
    /// unsure of, and is not answered by the description already.
    pub(super) fn next_question(
        &self,
        dialogue: &Dialogue,
        known: &[Known],
        p: &[f64],
    ) -> Option<Question> {
        let tree = Tree::new(self.nomenclature(), &self.tables);
        let mut asked_keys: Vec<&str> = Vec::new();
        // After "none of these" at a tree level, the classifier is not to be trusted there:
        // broaden to coarser levels until a branch is chosen again.
        let mut broaden_from: Option<usize> = None;
        let mut closed_topics: Vec<&str> = known.iter().map(|k| k.topic.as_str()).collect();
        for a in &dialogue.answers {
            if let Answer::Choice {
                key, topic, rule, ..
            } = a
            {
                // A tree level can be asked again over other branches, unless the user was
                // unsure there; an attribute is asked once.
                if !topic.starts_with("tree:") || matches!(rule, Rule::NotSure) {
                    closed_topics.push(topic);
                }
                // A branch chosen at one level settles that level and those above it.
                let level = TreeLevel::ALL.iter().position(|l| l.topic() == topic);
                match (rule, level) {
                    (Rule::Keep(_), Some(level)) => {
                        closed_topics.extend(TreeLevel::ALL[..=level].iter().map(|l| l.topic()));
                        broaden_from = None;
                    }
                    (Rule::Exclude(_), Some(level)) => broaden_from = Some(level),
                    _ => {}
                }
                asked_keys.push(key);
            }
        }
        let mut candidates: Vec<Question> = Vec::new();
        // The tree is walked top-down, skipping only the levels that are settled: answered, or
        // held by one branch. Jumping over an open level costs "none of these" rounds.
        let open_levels: Vec<TreeLevel> = TreeLevel::ALL
            .iter()
            .copied()
            .filter(|l| {
                !closed_topics.contains(&l.topic()) && tree.dominance(*l, p) < DOMINANT_BRANCH
            })
            .collect();
        let reachable = |level: TreeLevel| {
            open_levels
                .first()
                .is_none_or(|first| (level as usize) <= (*first as usize))
        };
        candidates.extend(
            TreeLevel::ALL
                .iter()
                .filter(|&&l| reachable(l))
                .filter_map(|&l| tree.tree_question(l, p)),
        );
        candidates.extend(tree.frontier_question(p));
        candidates.extend(tree.range_question(p));
        candidates.extend(
            (0..DIMENSIONS.len())
                .filter(|&d| !closed_topics.contains(&DIMENSIONS[d].key))
                .filter_map(|d| tree.attribute_question(d, p)),
        );
        candidates.extend(
            tree.units(p)
                .iter()
                .filter(|u| !closed_topics.contains(&format!("unit:{u}").as_str()))
                .filter_map(|u| tree.numeric_question(u, p)),
        );
        // Each question's answers are read once, for the gain and for the aim.
        let scored: Vec<(f64, Question, Answers)> = candidates
            .into_iter()
            .filter(|q| !closed_topics.contains(&q.topic.as_str()))
            .filter(|q| !asked_keys.contains(&q.key.as_str()))
            .map(|q| {
                let answers = Answers::of(&q, p, &self.tables);
                (answers.gain(p), q, answers)
            })
            .filter(|(gain, _, _)| *gain >= MIN_GAIN)
            .collect();
        let too_deep = |q: &Question| {
            broaden_from
                .is_some_and(|from| TreeLevel::ALL[from..].iter().any(|l| l.topic() == q.topic))
        };
        let broad = scored.iter().filter(|(_, q, _)| !too_deep(q));
        let pool: Vec<&(f64, Question, Answers)> = if broad.clone().next().is_some() {
            broad.collect()
        } else {
            scored.iter().collect()
        };
        // Within the aim, a question that leaves the goods out of reach of the questions left
        // is charged for it; past it, information gain alone.
        let asked = dialogue.answers.len();
        if asked < self.settings.aim_questions && self.settings.aim_weight > 0.0 {
            let left = (self.settings.aim_questions - asked - 1) as u32;
            let threshold = self.settings.threshold;
            let score = |(gain, _, answers): &(f64, Question, Answers)| {
                gain - self.settings.aim_weight * answers.beyond_reach(p, left, threshold)
            };
            return pool
                .into_iter()
                .map(|scored| (score(scored), &scored.1))
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, q)| q.clone());
        }
        pool.into_iter()
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, q, _)| q.clone())
    }
}

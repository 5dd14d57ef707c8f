//! How a dialogue ends: the subheading, why, the answers that justify it with the
//! nomenclature texts they matched, and the likely codes the answers ruled out.

use nomenclature::HsCode;

use super::{Answer, Dialogue, Guide};
use crate::attributes::mentions;
use crate::lexicon::DIMENSIONS;
use crate::rule::Rule;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndReason {
    /// One subheading reached the threshold.
    Confident,
    /// The user picked a candidate.
    Picked,
    /// No question left would tell the candidates apart.
    NoMoreQuestions,
    /// The question limit was reached.
    QuestionLimit,
}

impl EndReason {
    pub fn as_str(self) -> &'static str {
        match self {
            EndReason::Confident => "confident",
            EndReason::Picked => "picked",
            EndReason::NoMoreQuestions => "no_more_questions",
            EndReason::QuestionLimit => "question_limit",
        }
    }
}

/// One answer and the nomenclature texts of the result that it matched.
#[derive(Debug, Clone, PartialEq)]
pub struct Reason {
    pub question: String,
    pub answer: String,
    pub matched: Vec<(HsCode, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RuledOut {
    pub code: HsCode,
    pub description: String,
    /// Its probability before any answer.
    pub prior: f64,
    /// The question and answer that excluded it.
    pub by: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub code: HsCode,
    pub probability: f64,
    pub reason: EndReason,
    pub justification: Vec<Reason>,
    pub ruled_out: Vec<RuledOut>,
}

impl Guide {
    pub(super) fn outcome(
        &self,
        dialogue: &Dialogue,
        prior: &[f64],
        p: &[f64],
        code: HsCode,
        reason: EndReason,
    ) -> Outcome {
        let leaf = self.tables.position(&code);
        let probability = leaf.map_or(0.0, |l| p[l]);
        let justification = dialogue
            .answers
            .iter()
            .filter_map(|a| match a {
                Answer::Choice {
                    question,
                    label,
                    rule,
                    ..
                } if rule.is_informative() => Some(Reason {
                    question: question.clone(),
                    answer: label.clone(),
                    matched: self.matched(&code, rule),
                }),
                Answer::Text(t) => Some(Reason {
                    question: "More detail".into(),
                    answer: t.clone(),
                    matched: Vec::new(),
                }),
                _ => None,
            })
            .collect();
        let mut ruled_out = Vec::new();
        for c in self.top(prior, 10) {
            if c.code == code {
                continue;
            }
            let Some(l) = self.tables.position(&c.code) else {
                continue;
            };
            let by = dialogue.answers.iter().find_map(|a| match a {
                Answer::Choice {
                    question,
                    label,
                    rule,
                    ..
                } if !rule.admits(&self.tables, l) => Some(format!("{question} — {label}")),
                _ => None,
            });
            if let Some(by) = by {
                ruled_out.push(RuledOut {
                    description: c.description,
                    code: c.code,
                    prior: c.probability,
                    by,
                });
            }
        }
        Outcome {
            code,
            probability,
            reason,
            justification,
            ruled_out,
        }
    }

    /// The nomenclature texts on the result's path that an answer agrees with.
    fn matched(&self, code: &HsCode, rule: &Rule) -> Vec<(HsCode, String)> {
        let hs = self.nomenclature();
        let mut path: Vec<(HsCode, String)> = hs
            .ancestors(code)
            .iter()
            .map(|n| (n.code.clone(), n.description.clone()))
            .collect();
        if let Some(n) = hs.get(code) {
            path.push((n.code.clone(), n.description.clone()));
        }
        match rule {
            Rule::Keep(prefixes) | Rule::Within { keep: prefixes, .. } => path
                .into_iter()
                .filter(|(c, _)| prefixes.iter().any(|p| p == c.as_str()))
                .collect(),
            Rule::Value { dimension, value } => {
                let named = crate::rule::dimension_index(dimension)
                    .and_then(|d| Some((d, crate::rule::value_index(d, value)?)));
                path.into_iter()
                    .filter(|(_, text)| {
                        named.is_some_and(|(d, v)| mentions(&DIMENSIONS[d], text) & (1 << v) != 0)
                    })
                    .collect()
            }
            _ => path.into_iter().last().into_iter().collect(),
        }
    }
}

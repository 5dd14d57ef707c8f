//! What an answer is, and how a choice or typed text becomes one.

use nomenclature::HsCode;

use super::Guide;
use crate::attributes::mentions;
use crate::lexicon::DIMENSIONS;
use crate::numeric::measurements;
use crate::questions::Question;
use crate::rule::Rule;

#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// A choice of a question, with the question's words kept for the justification.
    Choice {
        /// The question's key: the same question is never asked twice.
        key: String,
        topic: String,
        question: String,
        choice: String,
        label: String,
        rule: Rule,
    },
    /// Free text: more description, re-scored by the classifier.
    Text(String),
    /// The user took one of the candidates.
    Pick(HsCode),
}

impl Guide {
    /// The answer that a choice id of `question` stands for.
    pub fn choose(question: &Question, choice: &str) -> Option<Answer> {
        let c = question.choice(choice)?;
        Some(Answer::Choice {
            key: question.key.clone(),
            topic: question.topic.clone(),
            question: question.text.clone(),
            choice: c.id.clone(),
            label: c.label.clone(),
            rule: c.rule.clone(),
        })
    }

    /// Free text typed in answer to `question`: a choice when it names one (a value of the
    /// attribute asked, a number in the range asked), otherwise more description.
    pub fn interpret(question: &Question, text: &str) -> Answer {
        let text = text.trim();
        if let Some(dim) = DIMENSIONS.iter().find(|d| d.key == question.topic) {
            let named = mentions(dim, text);
            if named.count_ones() == 1 {
                let id = dim.values[named.trailing_zeros() as usize].id;
                if let Some(answer) = Guide::choose(question, id) {
                    return answer;
                }
            }
        }
        if let Some(unit) = question.topic.strip_prefix("unit:") {
            let value = measurements(text)
                .into_iter()
                .find(|(u, _)| u == unit)
                .map(|(_, v)| v)
                .or_else(|| text.split_whitespace().find_map(|w| w.parse::<f64>().ok()));
            if let Some(value) = value {
                return Answer::Choice {
                    key: question.key.clone(),
                    topic: question.topic.clone(),
                    question: question.text.clone(),
                    choice: format!("{value}"),
                    label: format!("{value} {unit}"),
                    rule: Rule::Measure {
                        unit: unit.into(),
                        value,
                    },
                };
            }
        }
        Answer::Text(text.to_string())
    }
}

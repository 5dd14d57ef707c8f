//! Scoring a set of responses against the catalogue, and comparing two sets
//! of responses at reassessment.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Answer, Area, OperatorRole, Question, Response, question, questions};

/// Per-area tally over the questions that apply to the operator's roles.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct AreaScore {
    pub applicable: usize,
    /// Applicable questions with a usable answer of the expected kind.
    pub answered: usize,
    /// Answered questions that meet their criterion and carry any required
    /// evidence.
    pub favourable: usize,
}

impl AreaScore {
    /// Every applicable question is answered favourably with its evidence.
    pub fn is_met(&self) -> bool {
        self.applicable > 0 && self.favourable == self.applicable
    }
}

/// The outcome of scoring a questionnaire.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// Areas with at least one applicable question.
    pub per_area: BTreeMap<Area, AreaScore>,
    /// Applicable questions without a usable answer.
    pub missing: Vec<&'static str>,
    /// Answered questions that need evidence but carry none.
    pub missing_evidence: Vec<&'static str>,
    /// Yes/no answers that do not meet the criterion.
    pub unfavourable: Vec<&'static str>,
    /// Answered ids that are not in the catalogue.
    pub unknown: Vec<String>,
    /// Applicable questions answered with the wrong kind of answer (or a
    /// number that is not finite).
    pub wrong_kind: Vec<String>,
    /// Every applicable question has a usable answer of the right kind with
    /// its evidence. Unfavourable answers do not make it incomplete: they are
    /// the officer's to judge. Unknown ids are reported, not counted here.
    pub complete: bool,
}

/// Scores `responses` (keyed by question id) for an operator with `roles`.
/// Answers to questions that do not apply to the roles are ignored.
pub fn assess(roles: &[OperatorRole], responses: &BTreeMap<String, Response>) -> Assessment {
    let mut assessment = Assessment::default();
    for question in questions().iter().filter(|q| q.applies_to(roles)) {
        let score = assessment.per_area.entry(question.area).or_default();
        score.applicable += 1;
        let Some(response) = responses.get(question.id) else {
            assessment.missing.push(question.id);
            continue;
        };
        if !has_expected_kind(question, &response.answer) {
            assessment.wrong_kind.push(question.id.to_owned());
            continue;
        }
        if is_blank(&response.answer) {
            assessment.missing.push(question.id);
            continue;
        }
        score.answered += 1;
        let evidenced = !question.evidence_required || has_evidence(response);
        let meets = meets_criterion(question, &response.answer);
        if !evidenced {
            assessment.missing_evidence.push(question.id);
        }
        if !meets {
            assessment.unfavourable.push(question.id);
        }
        if evidenced && meets {
            score.favourable += 1;
        }
    }
    assessment.unknown = responses
        .keys()
        .filter(|id| question(id).is_none())
        .cloned()
        .collect();
    assessment.complete = assessment.missing.is_empty()
        && assessment.missing_evidence.is_empty()
        && assessment.wrong_kind.is_empty();
    assessment
}

fn has_expected_kind(question: &Question, answer: &Answer) -> bool {
    let finite = !matches!(answer, Answer::Number(n) if !n.is_finite());
    answer.kind() == question.kind && finite
}

/// Whitespace-only text says nothing, so it counts as unanswered.
fn is_blank(answer: &Answer) -> bool {
    matches!(answer, Answer::Text(text) if text.trim().is_empty())
}

fn has_evidence(response: &Response) -> bool {
    response.evidence.iter().any(|id| !id.trim().is_empty())
}

fn meets_criterion(question: &Question, answer: &Answer) -> bool {
    match (question.favourable, answer) {
        (Some(favourable), Answer::Yes) => favourable,
        (Some(favourable), Answer::No) => !favourable,
        // Informative questions have no criterion to miss.
        _ => true,
    }
}

/// What happened to one question's response between two rounds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    Added {
        id: String,
        current: Response,
    },
    Removed {
        id: String,
        previous: Response,
    },
    /// The answer or its evidence differ.
    Changed {
        id: String,
        previous: Response,
        current: Response,
    },
}

impl Change {
    pub fn id(&self) -> &str {
        match self {
            Change::Added { id, .. } | Change::Removed { id, .. } | Change::Changed { id, .. } => {
                id
            }
        }
    }
}

/// Changes from the last approved responses to the current ones, ordered by
/// question id. Unchanged responses are left out.
pub fn diff(
    previous: &BTreeMap<String, Response>,
    current: &BTreeMap<String, Response>,
) -> Vec<Change> {
    let mut changes = Vec::new();
    for (id, before) in previous {
        match current.get(id) {
            None => changes.push(Change::Removed {
                id: id.clone(),
                previous: before.clone(),
            }),
            Some(after) if after != before => changes.push(Change::Changed {
                id: id.clone(),
                previous: before.clone(),
                current: after.clone(),
            }),
            Some(_) => {}
        }
    }
    for (id, after) in current {
        if !previous.contains_key(id) {
            changes.push(Change::Added {
                id: id.clone(),
                current: after.clone(),
            });
        }
    }
    changes.sort_by(|a, b| a.id().cmp(b.id()));
    changes
}

//! Declaration check: does the declared code fit the goods description?

use nomenclature::HsCode;

use crate::{Classifier, Flag};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Consistent,
    Suspicious,
    InvalidCode,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Consistent => "consistent",
            Verdict::Suspicious => "suspicious",
            Verdict::InvalidCode => "invalid_code",
        }
    }
}

#[derive(Debug, Clone)]
pub struct CheckOutcome {
    pub verdict: Verdict,
    /// The declared code read at 6 digits, when it is one.
    pub declared: Option<HsCode>,
    /// Probability the classifier gives the declared subheading.
    pub declared_probability: f32,
    /// 1-based rank of the declared subheading among the candidates, if there.
    pub declared_rank: Option<usize>,
    /// 0 (no doubt) to 1 (almost surely wrong).
    pub risk: f32,
    /// Codes likelier than the declared one, best first, with probabilities.
    pub likelier: Vec<(HsCode, f32)>,
    pub reason: String,
}

/// Declared within this many top candidates counts as consistent.
const CONSISTENT_RANK: usize = 3;
const DEPTH: usize = 50;

/// A declaration line to check.
pub struct DeclarationCheck<'a> {
    pub description: &'a str,
    pub declared_code: &'a str,
}

impl Classifier {
    pub fn check(&self, line: &DeclarationCheck<'_>) -> CheckOutcome {
        let invalid = |reason: String| CheckOutcome {
            verdict: Verdict::InvalidCode,
            declared: None,
            declared_probability: 0.0,
            declared_rank: None,
            risk: 1.0,
            likelier: Vec::new(),
            reason,
        };
        let digits: String = line
            .declared_code
            .chars()
            .filter(|c| !matches!(c, '.' | ' ' | '-'))
            .collect();
        if digits.len() < 6 || digits.len() > 14 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return invalid(format!(
                "{:?} is not a tariff code of 6 to 14 digits",
                line.declared_code
            ));
        }
        let declared = HsCode::parse(&digits[..6]).expect("six digits");
        if self.corpus().doc(&declared).is_none() {
            return invalid(format!(
                "{} is not a subheading of HS 2022",
                declared.dotted()
            ));
        }
        let result = self.classify(line.description, DEPTH);
        let rank = result.candidates.iter().position(|c| c.code == declared);
        let p_declared = rank.map_or(0.0, |r| result.candidates[r].probability);
        let p_top = result.candidates.first().map_or(0.0, |c| c.probability);
        let likelier: Vec<(HsCode, f32)> = result
            .candidates
            .iter()
            .take_while(|c| c.code != declared)
            .take(5)
            .map(|c| (c.code.clone(), c.probability))
            .collect();
        if result.flags.contains(&Flag::TooVague) {
            return CheckOutcome {
                verdict: Verdict::Suspicious,
                declared: Some(declared),
                declared_probability: p_declared,
                declared_rank: rank.map(|r| r + 1),
                risk: 0.5,
                likelier,
                reason: "the description is too vague to support any code".into(),
            };
        }
        let same_heading = result
            .candidates
            .first()
            .is_some_and(|c| c.code.parent() == declared.parent());
        let consistent = rank.is_some_and(|r| r < CONSISTENT_RANK) || p_declared >= 0.5 * p_top;
        let risk = if p_top > 0.0 {
            ((p_top - p_declared) / p_top).clamp(0.0, 1.0)
        } else {
            0.5
        };
        let (verdict, reason) = if consistent {
            (
                Verdict::Consistent,
                format!(
                    "{} is among the likeliest codes for this description",
                    declared.dotted()
                ),
            )
        } else if same_heading {
            (
                Verdict::Suspicious,
                format!(
                    "the heading {} fits, but another subheading fits better",
                    declared.parent().map(|h| h.dotted()).unwrap_or_default()
                ),
            )
        } else {
            (
                Verdict::Suspicious,
                format!(
                    "the description points elsewhere than {}",
                    declared.dotted()
                ),
            )
        };
        CheckOutcome {
            verdict,
            declared: Some(declared),
            declared_probability: p_declared,
            declared_rank: rank.map(|r| r + 1),
            risk: if consistent {
                risk.min(0.3)
            } else {
                risk.max(0.3)
            },
            likelier: if consistent { Vec::new() } else { likelier },
            reason,
        }
    }
}

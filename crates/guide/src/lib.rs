//! Guided classification: from a description (or nothing) to one HS 2022 subheading through
//! a few questions, each chosen for its expected information gain over the classifier's
//! posterior.
//!
//! Questions come from the nomenclature tree (choose between the branches where the mass
//! splits, at one level or at mixed levels), from attributes that its texts distinguish
//! ([`lexicon`]: material, state, who for, fabric, use, power, retail packing) and from numeric
//! thresholds in its texts ([`numeric`]).
//! An answer is a [`Rule`] over subheadings; a [`Dialogue`] is the description and the answers,
//! a plain value that replays to the same [`Step`] every time.
//!
//! Architecture invariant: pure and synchronous, like `classify`. Sessions, tokens, HTTP and
//! terminals belong to the callers.

pub mod attributes;
pub mod bound;
mod dialogue;
mod frontier;
mod gain;
pub mod lexicon;
pub mod numeric;
mod questions;
mod ranges;
mod rule;
pub mod simulate;
mod uses;
mod words;

pub use dialogue::{
    Answer, Dialogue, EndReason, Guide, Known, Outcome, PriorRanks, Reason, RuledOut, Scored,
    Settings, Step,
};
pub use gain::{beyond_reach, information_gain};
pub use questions::{Choice, MAX_CHOICES, NONE_OF_THESE, NOT_SURE, Question, TreeLevel};
pub use rule::{Rule, Tables};

//! Use phrases in tariff language: what goods are for, as opposed to what they are. "Gloves;
//! surgical", "Compressors; of a kind used in refrigerating equipment", "Parts suitable for use
//! solely with the engines of heading 8407", "Heat exchange units; not used for domestic
//! purposes". A phrase starts at a cue ("for", "used", "designed", "intended", "suitable") and
//! runs to the end of its clause; the words inside it are the objects that the `use`
//! dimension's values name (see [`crate::lexicon`]). Commas separate the items of a list there
//! ("for drilling, boring, milling … by removing metal"), so only `;`, `:` and brackets end it.

use crate::words::BREAKS;

const CUES: &[&str] = &["for", "used", "designed", "intended", "suitable"];
/// A use phrase longer than this is more likely a list of other things.
const MAX_PHRASE: usize = 12;
/// What ends a use phrase: the clause marks other than the comma.
const PHRASE_ENDS: &[&str] = &[";", "(", ")", ":"];
/// Words that, earlier in the clause, make a use phrase a negative one ("not used for
/// domestic purposes", "excluding those of a kind used in motor vehicles").
const NEGATIONS: &[&str] = &["not", "non", "excluding", "except", "than", "without"];

/// For every token, whether it is the object of a positive use phrase.
pub fn use_objects(tokens: &[String]) -> Vec<bool> {
    let mut inside = vec![false; tokens.len()];
    let mut clause_negated = false;
    for (at, token) in tokens.iter().enumerate() {
        let t = token.as_str();
        if BREAKS.contains(&t) {
            clause_negated = false;
            continue;
        }
        if NEGATIONS.contains(&t) {
            clause_negated = true;
        }
        // "for retail sale" and "for other than metal" name no use.
        if !CUES.contains(&t) || clause_negated {
            continue;
        }
        for k in at + 1..tokens.len().min(at + 1 + MAX_PHRASE) {
            let w = tokens[k].as_str();
            let other_than = w == "other" && tokens.get(k + 1).is_some_and(|t| t == "than");
            if PHRASE_ENDS.contains(&w) || NEGATIONS.contains(&w) || other_than {
                break;
            }
            inside[k] = true;
        }
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::words::words;

    fn objects(text: &str) -> Vec<String> {
        let tokens = words(text);
        let inside = use_objects(&tokens);
        tokens
            .into_iter()
            .zip(inside)
            .filter(|(_, i)| *i)
            .map(|(t, _)| t)
            .collect()
    }

    #[test]
    fn phrases_run_from_the_cue_to_the_clause_end() {
        assert_eq!(
            objects("Compressors; of a kind used in refrigerating equipment"),
            ["in", "refrigerating", "equipment"]
        );
        assert_eq!(
            objects("Sound signalling equipment, for motor vehicles; other"),
            ["motor", "vehicles"]
        );
        assert_eq!(
            objects("Tools; for drilling, milling, by removing metal (other)"),
            ["drilling", ",", "milling", ",", "by", "removing", "metal"]
        );
        assert_eq!(
            objects("Motor cars principally designed for the transport of persons"),
            ["for", "the", "transport", "of", "persons"]
        );
    }

    #[test]
    fn negated_phrases_name_nothing() {
        assert!(objects("Heat exchange units; not used for domestic purposes").is_empty());
        assert!(
            objects("Bulbs (excluding those of a kind used in motor vehicles), halogen").is_empty()
        );
        assert!(objects("Machines; calendering, for other than metal or glass").is_empty());
    }
}

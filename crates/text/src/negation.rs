//! Words the nomenclature names only to exclude them: "T-shirts of textile materials (other
//! than cotton)", "suits (not knitted or crocheted)", "fish, excluding fillets". A query for
//! cotton must not match the first, so indexing drops what such a phrase governs, up to the
//! end of its clause.

/// Starts a negation; the words after it, to the clause's end, are what it excludes.
const NEGATIONS: &[&[&str]] = &[
    &["other", "than"],
    &["not"],
    &["excluding"],
    &["excl"],
    &["except"],
    &["non"],
];

fn ends_clause(c: char) -> bool {
    matches!(c, ',' | ';' | ')' | ':' | '(')
}

/// `text` without the words that negations govern. "whether or not X" names both, so keeps X.
pub fn without_negated(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut skipping = false;
    let mut words: Vec<String> = Vec::new();
    let mut chars = text.char_indices().peekable();
    let mut word_start: Option<usize> = None;
    while let Some((i, c)) = chars.next() {
        if c.is_alphanumeric() || c == '\'' || c == '-' {
            if word_start.is_none() {
                word_start = Some(i);
            }
            if chars
                .peek()
                .is_some_and(|(_, n)| n.is_alphanumeric() || *n == '\'' || *n == '-')
            {
                continue;
            }
            let start = word_start.take().unwrap_or(i);
            let word = &text[start..i + c.len_utf8()];
            words.push(word.to_lowercase());
            if !skipping && starts_negation(&words) && !whether_or_not(&words) {
                skipping = true;
                // The negating words themselves stay: they do no harm and read naturally.
                out.push_str(word);
                continue;
            }
            if !skipping {
                out.push_str(word);
            }
        } else {
            if ends_clause(c) {
                skipping = false;
            }
            if !skipping || ends_clause(c) {
                out.push(c);
            } else if !out.ends_with(' ') {
                out.push(' ');
            }
        }
    }
    out
}

fn starts_negation(words: &[String]) -> bool {
    NEGATIONS.iter().any(|n| {
        words.len() >= n.len()
            && words[words.len() - n.len()..]
                .iter()
                .zip(n.iter())
                .all(|(w, p)| w == p)
    })
}

fn whether_or_not(words: &[String]) -> bool {
    let n = words.len();
    n >= 3 && words[n - 1] == "not" && words[n - 2] == "or" && words[n - 3] == "whether"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_what_is_excluded_and_keeps_the_rest() {
        assert_eq!(
            without_negated("T-shirts; of textile materials (other than cotton), knitted"),
            "T-shirts; of textile materials (other than ), knitted"
        );
        let suits = without_negated("Suits; men's or boys', of wool (not knitted or crocheted)");
        assert!(
            !suits.contains("knitted") && suits.contains("wool"),
            "{suits}"
        );
        assert_eq!(
            without_negated("Fruit; whether or not dried, apricots"),
            "Fruit; whether or not dried, apricots"
        );
        assert_eq!(
            without_negated("Fish; frozen, excluding fillets, cod"),
            "Fish; frozen, excluding , cod"
        );
    }
}

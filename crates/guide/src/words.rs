//! The word stream that attribute and threshold patterns match against: lower case,
//! possessives folded ("men's" → "mens"), numbers split from their units ("50cc" → "50 cc",
//! "1,000" → "1000"), clause punctuation kept as tokens so negation does not leak across.

/// Tokens that end a clause: a negation before one never reaches a word after it.
pub const BREAKS: &[&str] = &[",", ";", "(", ")", ":"];

pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let chars: Vec<char> = text.chars().collect();
    let flush = |word: &mut String, out: &mut Vec<String>| {
        if !word.is_empty() {
            out.push(std::mem::take(word));
        }
    };
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        if c.is_alphanumeric() {
            // "50cc": a letter right after a digit starts a new token, and the reverse.
            if let Some(p) = prev
                && p.is_alphanumeric()
                && p.is_ascii_digit() != c.is_ascii_digit()
                && !word.is_empty()
            {
                flush(&mut word, &mut out);
            }
            word.extend(c.to_lowercase());
        } else if (c == ',' || c == '.')
            && prev.is_some_and(|p| p.is_ascii_digit())
            && next.is_some_and(|n| n.is_ascii_digit())
        {
            // Thousands separator or decimal point inside a number.
            if c == '.' {
                word.push('.');
            }
        } else if c == '\'' || c == '’' {
            // Possessive: "men's" and "boys'" fold into the word.
        } else {
            flush(&mut word, &mut out);
            let s = c.to_string();
            if BREAKS.contains(&s.as_str()) || c == '%' {
                out.push(s);
            }
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Whether `pattern` (already split into words) occurs at `at`.
pub fn matches_at(tokens: &[String], at: usize, pattern: &[&str]) -> bool {
    pattern.len() <= tokens.len() - at.min(tokens.len())
        && pattern
            .iter()
            .zip(&tokens[at..])
            .all(|(p, t)| *p == t.as_str())
}

/// Whether the word at `at` is negated: "not", "non", "other than", "excluding", "except" or
/// "whether or not" among the three words before it, within its clause.
pub fn negated(tokens: &[String], at: usize) -> bool {
    let start = at.saturating_sub(3);
    for j in (start..at).rev() {
        let t = tokens[j].as_str();
        if BREAKS.contains(&t) {
            return false;
        }
        if matches!(t, "not" | "non" | "excluding" | "except" | "without")
            || (t == "than" && j > 0 && tokens[j - 1] == "other")
        {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_units_folds_possessives_and_keeps_clause_marks() {
        assert_eq!(
            words("Suits; men's or boys', 1,000cc (of 12.5%)"),
            [
                "suits", ";", "mens", "or", "boys", ",", "1000", "cc", "(", "of", "12.5", "%", ")"
            ]
        );
    }

    #[test]
    fn negation_stays_in_its_clause() {
        let w = words("of textile materials (other than cotton), of cotton");
        let first = w.iter().position(|t| t == "cotton").unwrap();
        let last = w.iter().rposition(|t| t == "cotton").unwrap();
        assert!(negated(&w, first));
        assert!(!negated(&w, last));
        let w = words("not carded, cotton");
        assert!(!negated(&w, 3));
    }
}

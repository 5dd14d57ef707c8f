use unicode_normalization::UnicodeNormalization;

use crate::spelling;

/// A normalised token and where it came from in the original text (byte offsets), so that
/// highlighting can mark the original words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub from: usize,
    pub to: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Digit,
    Other,
}

fn class(c: char) -> Class {
    if c.is_ascii_digit() {
        Class::Digit
    } else if c.is_alphanumeric() {
        Class::Letter
    } else {
        Class::Other
    }
}

/// Splits into words, numbers and units: "10kg" → "10", "kg"; "0.5 l" → "0.5", "l";
/// "85%" → "85", "%"; "men's" → "men". Each token is NFKC-folded, lower-cased and
/// spelling-normalised (see the spelling module).
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let kind = class(c);
        if kind == Class::Other {
            if c == '%' {
                out.push(Token {
                    text: "%".into(),
                    from: start,
                    to: start + 1,
                });
            }
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() {
            let (_, d) = chars[j];
            let same = class(d) == kind;
            // Keep decimals together: a dot or comma between two digits.
            let decimal = kind == Class::Digit
                && matches!(d, '.' | ',')
                && chars.get(j + 1).is_some_and(|&(_, e)| e.is_ascii_digit());
            if same {
                j += 1;
            } else if decimal {
                j += 2;
            } else {
                break;
            }
        }
        let end = chars.get(j).map_or(text.len(), |&(p, _)| p);
        let raw = &text[start..end];
        // Drop the possessive "'s" of "men's", "children's".
        let is_possessive_s = raw == "s"
            && start > 0
            && matches!(text[..start].chars().last(), Some('\'' | '’'))
            && !out.is_empty();
        if !is_possessive_s {
            out.push(Token {
                text: fold(raw),
                from: start,
                to: end,
            });
        }
        i = j;
    }
    out
}

fn fold(raw: &str) -> String {
    let lower: String = raw.nfkc().flat_map(char::to_lowercase).collect();
    let lower = lower.replace(',', ".");
    if let Some(w) = spelling::fold(&lower) {
        return w.to_string();
    }
    spelling::ize(&lower).unwrap_or(lower)
}

/// The normalised words joined by single spaces: a canonical form for comparing texts.
pub fn normalise(text: &str) -> String {
    tokenize(text)
        .into_iter()
        .map(|t| t.text)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        tokenize(s).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn splits_numbers_from_units_and_keeps_decimals() {
        assert_eq!(words("50kg bags"), ["50", "kg", "bags"]);
        assert_eq!(
            words("0.5 l, 85% by weight"),
            ["0.5", "l", "85", "%", "by", "weight"]
        );
        assert_eq!(words("2,5 litres"), ["2.5", "liters"]);
        assert_eq!(words("1,000cc"), ["1.000", "cm3"]);
    }

    #[test]
    fn folds_case_width_spelling_and_possessives() {
        assert_eq!(
            words("Men's COLOURED Ｔ-shirts"),
            ["men", "colored", "t", "shirts"]
        );
        assert_eq!(words("Vulcanised rubber"), ["vulcanized", "rubber"]);
        assert_eq!(normalise("  Children’s  toys!! "), "children toys");
    }

    #[test]
    fn offsets_point_at_the_original_text() {
        let text = "Frozen 10kg";
        let toks = tokenize(text);
        assert_eq!(&text[toks[1].from..toks[1].to], "10");
        assert_eq!(&text[toks[2].from..toks[2].to], "kg");
    }

    #[test]
    fn handles_non_latin_scripts_without_panicking() {
        assert_eq!(words("冷凍蝦仁 1公斤"), ["冷凍蝦仁", "1", "公斤"]);
        assert!(tokenize("").is_empty());
    }
}

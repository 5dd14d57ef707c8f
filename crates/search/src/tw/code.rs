//! Code-like queries ("8517", "8517.13", "85171300005", "0101.21.00.00-3", full-width digits
//! too) are answered by walking the tariff in code order, not by text search: a code is an
//! address, and BM25 has nothing to say about it.

use tariff::{TariffLine, search_form};

use super::TariffIndex;
use super::query::TariffHit;

/// The digits of a query made only of digits and the separators codes are written with, when
/// there are 2 to 11 of them; `None` for anything else ("65W", "iPhone 15").
pub(crate) fn code_digits(query: &str) -> Option<String> {
    let folded = search_form(query);
    let mut digits = String::new();
    for c in folded.trim().chars() {
        match c {
            '0'..='9' => digits.push(c),
            '.' | '-' | ' ' | '/' | '_' => {}
            _ => return None,
        }
    }
    (2..=11).contains(&digits.len()).then_some(digits)
}

impl TariffIndex {
    /// The lines under a code-like query, in code order; `None` when it is not code-like.
    /// An 11-digit code with a wrong check digit is read at its 10 statistical digits.
    pub(crate) fn code_lines(&self, query: &str) -> Option<Vec<&TariffLine>> {
        let digits = code_digits(query)?;
        let under = |prefix: &str| -> Vec<&TariffLine> {
            self.tariff
                .lines()
                .iter()
                .filter(|l| l.code.as_str().starts_with(prefix))
                .collect()
        };
        let lines = under(&digits);
        if lines.is_empty() && digits.len() == 11 {
            return Some(under(&digits[..10]));
        }
        Some(lines)
    }

    pub(crate) fn code_walk(&self, query: &str) -> Option<Vec<TariffHit>> {
        let lines = self.code_lines(query)?;
        Some(
            lines
                .into_iter()
                .enumerate()
                .map(|(rank, line)| TariffHit {
                    code: line.code,
                    hs6: line.code.hs6(),
                    score: 1.0 / (1.0 + rank as f32),
                    matched: Vec::new(),
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::code_digits;

    #[test]
    fn reads_codes_in_their_usual_spellings() {
        assert_eq!(code_digits("8517.13").as_deref(), Some("851713"));
        assert_eq!(
            code_digits("0101.21.00.00-3").as_deref(),
            Some("01012100003")
        );
        assert_eq!(code_digits("８５１７").as_deref(), Some("8517"));
        assert_eq!(code_digits("65W"), None);
        assert_eq!(code_digits("8"), None);
        assert_eq!(code_digits("851713000051"), None);
        assert_eq!(code_digits("手機 8517"), None);
    }
}

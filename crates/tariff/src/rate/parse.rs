//! A small hand-written parser for duty cells.
//!
//! Grammar, after NFKC:
//!
//! ```text
//! cell     := entry*                      (entries separated by spaces)
//! entry    := rate [ "(" partner ("," partner)* ")" ]
//! rate     := "Free" | "免稅" | simple [ ("or" | "或") simple pick ]
//! simple   := ["從價"] number "%" | currency number ["元"] "/" unit
//!           | "每" 單位 ("新臺幣"|"新台幣") number "元"
//! currency := "NT$" | "NTD" | "TWD" | "新臺幣" | "新台幣"
//! pick     := "whichever is higher" | "whichever is lower" | "從高徵稅" | "從低徵稅"
//! partner  := two letters | "LDCs"
//! ```
//!
//! The 2025 file uses only the English forms; the Chinese ones are how the printed tariff says
//! the same thing, accepted for typed input.

use std::str::FromStr;

use rust_decimal::Decimal;
use unicode_normalization::UnicodeNormalization;

use super::{DutyCell, DutyEntry, Partner, Pick, Rate, SimpleRate};
use crate::origin::CountryCode;
use crate::unit::UnitCode;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RateParseError {
    #[error("expected {expected} at character {at}, found {found:?}")]
    Expected {
        expected: &'static str,
        at: usize,
        found: String,
    },
    #[error("{0:?} is not a number")]
    BadNumber(String),
    #[error("{0:?} is not a unit code (three letters such as KGM)")]
    BadUnit(String),
    #[error("{0:?} is not a partner (a two-letter country code or LDCs)")]
    BadPartner(String),
    #[error("a partner list cannot be empty")]
    EmptyPartnerList,
    #[error("{0}")]
    Shape(String),
}

pub(super) fn parse_cell(text: &str) -> Result<DutyCell, RateParseError> {
    let normalised: String = text.nfkc().collect();
    let mut p = Parser {
        chars: normalised.chars().collect(),
        pos: 0,
    };
    let mut entries = Vec::new();
    loop {
        p.skip_ws();
        if p.at_end() {
            break;
        }
        entries.push(p.entry()?);
    }
    Ok(DutyCell { entries })
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl Parser {
    fn at_end(&self) -> bool {
        self.pos >= self.chars.len()
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn rest(&self) -> String {
        self.chars[self.pos.min(self.chars.len())..]
            .iter()
            .take(24)
            .collect()
    }

    fn expected(&self, what: &'static str) -> RateParseError {
        RateParseError::Expected {
            expected: what,
            at: self.pos,
            found: self.rest(),
        }
    }

    /// Consumes `word` if the input continues with it, ignoring ASCII case and allowing any
    /// run of whitespace where `word` has a space.
    fn eat(&mut self, word: &str) -> bool {
        let mut i = self.pos;
        for wc in word.chars() {
            if wc == ' ' {
                let start = i;
                while self.chars.get(i).is_some_and(|c| c.is_whitespace()) {
                    i += 1;
                }
                if i == start {
                    return false;
                }
                continue;
            }
            match self.chars.get(i) {
                Some(c) if c.eq_ignore_ascii_case(&wc) => i += 1,
                _ => return false,
            }
        }
        self.pos = i;
        true
    }

    fn entry(&mut self) -> Result<DutyEntry, RateParseError> {
        let rate = self.rate()?;
        self.skip_ws();
        let partners = if self.peek() == Some('(') {
            self.pos += 1;
            self.partners()?
        } else {
            Vec::new()
        };
        Ok(DutyEntry { rate, partners })
    }

    fn partners(&mut self) -> Result<Vec<Partner>, RateParseError> {
        let start = self.pos;
        let Some(len) = self.chars[start..].iter().position(|&c| c == ')') else {
            return Err(self.expected("a closing bracket"));
        };
        let inside: String = self.chars[start..start + len].iter().collect();
        self.pos = start + len + 1;
        let mut out = Vec::new();
        for item in inside.split([',', '、', ';']) {
            let item = item.trim();
            if item.is_empty() {
                return Err(if inside.trim().is_empty() {
                    RateParseError::EmptyPartnerList
                } else {
                    RateParseError::BadPartner(inside.clone())
                });
            }
            let partner = if item.eq_ignore_ascii_case("LDCs") || item.eq_ignore_ascii_case("LDC") {
                Partner::Ldcs
            } else {
                CountryCode::parse(item)
                    .map(Partner::Country)
                    .ok_or_else(|| RateParseError::BadPartner(item.to_string()))?
            };
            out.push(partner);
        }
        Ok(out)
    }

    fn rate(&mut self) -> Result<Rate, RateParseError> {
        if self.eat("free") || self.eat("免稅") {
            return Ok(Rate::Free);
        }
        let first = self.simple()?;
        let save = self.pos;
        self.skip_ws();
        if !(self.eat("or ") || self.eat("或")) {
            self.pos = save;
            return Ok(first.as_rate());
        }
        self.skip_ws();
        let second = self.simple()?;
        self.skip_ws();
        // Chinese text may put a comma before the rule ("…，從高徵稅").
        let _ = self.eat(",");
        self.skip_ws();
        let pick = if self.eat("whichever is higher") || self.eat("從高徵稅") || self.eat("從高")
        {
            Pick::Higher
        } else if self.eat("whichever is lower") || self.eat("從低徵稅") || self.eat("從低") {
            Pick::Lower
        } else {
            return Err(self.expected("\"whichever is higher\" or \"whichever is lower\""));
        };
        Ok(Rate::Compound {
            alternatives: [first, second],
            pick,
        })
    }

    fn simple(&mut self) -> Result<SimpleRate, RateParseError> {
        let currency = ["NT$", "NTD", "TWD", "新臺幣", "新台幣"];
        if currency.iter().any(|c| self.eat(c)) {
            self.skip_ws();
            let amount = self.number()?;
            let _ = self.eat("元");
            self.skip_ws();
            if !self.eat("/") {
                return Err(self.expected("\"/\" and a unit after a specific amount"));
            }
            self.skip_ws();
            let unit = self.unit()?;
            return Ok(SimpleRate::Specific { amount, unit });
        }
        if self.eat("每") {
            let unit = self.zh_unit()?;
            if !(self.eat("新臺幣") || self.eat("新台幣")) {
                return Err(self.expected("新臺幣"));
            }
            let amount = self.number()?;
            if !self.eat("元") {
                return Err(self.expected("元"));
            }
            return Ok(SimpleRate::Specific { amount, unit });
        }
        let _ = self.eat("從價");
        let percent = self.number()?;
        self.skip_ws();
        if !self.eat("%") {
            return Err(self.expected("\"%\" after a rate"));
        }
        Ok(SimpleRate::AdValorem { percent })
    }

    fn number(&mut self) -> Result<Decimal, RateParseError> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit() || c == '.') {
            self.pos += 1;
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        if text.is_empty() {
            self.pos = start;
            return Err(self.expected("a number"));
        }
        let valid = text.starts_with(|c: char| c.is_ascii_digit())
            && text.ends_with(|c: char| c.is_ascii_digit())
            && text.matches('.').count() <= 1;
        if !valid {
            return Err(RateParseError::BadNumber(text));
        }
        Decimal::from_str(&text).map_err(|_| RateParseError::BadNumber(text))
    }

    fn unit(&mut self) -> Result<UnitCode, RateParseError> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            self.pos += 1;
        }
        if self.pos == start {
            return self.zh_unit();
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        UnitCode::parse(&text).ok_or(RateParseError::BadUnit(text))
    }

    /// A Chinese unit word such as 公斤, the longest known one that matches.
    fn zh_unit(&mut self) -> Result<UnitCode, RateParseError> {
        for len in (1..=4).rev() {
            if self.pos + len > self.chars.len() {
                continue;
            }
            let word: String = self.chars[self.pos..self.pos + len].iter().collect();
            if let Some(unit) = UnitCode::from_zh(&word) {
                self.pos += len;
                return Ok(unit);
            }
        }
        Err(RateParseError::BadUnit(self.rest()))
    }
}

#[cfg(test)]
mod tests;

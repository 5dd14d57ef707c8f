//! Chinese (zh-TW) analysis: for Taiwan's tariff texts and for what people type in Chinese,
//! English or both at once.
//!
//! The chain: fold each character (NFKC, lower case: full-width "ＵＳＢ－Ｃ" is "usb-c"),
//! optionally drop shop-title noise (emoji, promotion words), then cut the text into CJK runs
//! and the rest. CJK runs become character unigrams and bigrams; the rest goes through
//! [`crate::analyze`], so "USB-C", "65W" and the number in "1公斤" read exactly as in English
//! text. Traditional characters are kept: the tariff and Taiwanese users both write them.
//! Tokens point at the original bytes.
//!
//! Why n-grams and not a dictionary segmenter: jieba-rs was measured on the zh-TW development
//! set (search's `zh_eval` example) and found less (HS6 top-10 73.7 % against 86.5 % for
//! n-grams with the same synonyms and noise list: its dictionary is Simplified Chinese, so
//! Traditional tariff words fall to its HMM), while adding 1.5 min of release build and 3 MB
//! of binary. N-grams need no dictionary to go stale.

mod fold;
mod noise;
mod script;
mod synonyms;

pub use noise::noise_phrases;
pub use script::{is_chinese, is_cjk};
pub use synonyms::ZhSynonyms;

use crate::Token;
use fold::Folded;

/// How CJK runs are cut into terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Segmenter {
    /// Every character and every adjacent pair: recall from unigrams, precision from pairs,
    /// no dictionary to go stale.
    #[default]
    CharNgrams,
    /// Adjacent pairs only (a lone character stays a unigram).
    Bigrams,
}

/// The analysis choices; index and query must use the same ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZhOptions {
    pub segmenter: Segmenter,
    /// Drop emoji, decorative symbols and the curated promotion phrases.
    pub strip_noise: bool,
}

impl Default for ZhOptions {
    fn default() -> Self {
        ZhOptions {
            segmenter: Segmenter::CharNgrams,
            strip_noise: true,
        }
    }
}

/// Whether a term is a single CJK character (a unigram, weaker evidence than a pair).
pub fn is_unigram(term: &str) -> bool {
    let mut chars = term.chars();
    chars.next().is_some_and(is_cjk) && chars.next().is_none()
}

/// Tokens for matching: CJK runs segmented, the rest analysed as English (stop words dropped,
/// stems), Chinese units after a number also given as their symbol. Offsets point at `text`.
pub fn analyze_zh(text: &str, options: ZhOptions) -> Vec<Token> {
    let mut folded = Folded::new(text, options.strip_noise);
    if options.strip_noise {
        noise::blank_noise(&mut folded);
    }
    let s = folded.text.as_str();
    let mut out: Vec<Token> = Vec::new();
    let mut rest_from = 0;
    let mut cjk_from: Option<usize> = None;
    for (at, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        match (is_cjk(c), cjk_from) {
            (true, None) => {
                english(s, rest_from, at, &mut out);
                cjk_from = Some(at);
            }
            (false, Some(from)) => {
                cjk(s, from, at, options.segmenter, &mut out);
                cjk_from = None;
                rest_from = at;
            }
            _ => {}
        }
    }
    if cjk_from.is_none() {
        english(s, rest_from, s.len(), &mut out);
    }
    for t in &mut out {
        (t.from, t.to) = folded.origin(t.from, t.to);
    }
    out
}

/// The English chain over `s[from..to]`, offsets shifted to `s`.
fn english(s: &str, from: usize, to: usize, out: &mut Vec<Token>) {
    if from >= to {
        return;
    }
    out.extend(crate::analyze(&s[from..to]).into_iter().map(|t| Token {
        from: t.from + from,
        to: t.to + from,
        ..t
    }));
}

/// Terms of the CJK run `s[from..to]`.
fn cjk(s: &str, from: usize, to: usize, segmenter: Segmenter, out: &mut Vec<Token>) {
    let run = &s[from..to];
    // "1公斤": a unit word right after a number also counts as its symbol.
    let after_number = s[..from]
        .trim_end()
        .chars()
        .last()
        .is_some_and(|c| c.is_ascii_digit());
    if after_number && let Some((word, symbol)) = script::leading_unit(run) {
        out.push(Token {
            text: symbol.to_string(),
            from,
            to: from + word.len(),
        });
    }
    let token = |a: usize, b: usize| Token {
        text: run[a..b].to_string(),
        from: from + a,
        to: from + b,
    };
    match segmenter {
        Segmenter::CharNgrams | Segmenter::Bigrams => {
            let bounds: Vec<usize> = run
                .char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(run.len()))
                .collect();
            let chars = bounds.len() - 1;
            for i in 0..chars {
                if segmenter == Segmenter::CharNgrams || chars == 1 {
                    out.push(token(bounds[i], bounds[i + 1]));
                }
                if i + 2 <= chars {
                    out.push(token(bounds[i], bounds[i + 2]));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;

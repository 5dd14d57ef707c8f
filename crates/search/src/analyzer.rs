//! Adapts [`text::analyze`] to tantivy's tokenizer interface.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

pub const NAME: &str = "hs_en";

#[derive(Clone, Default)]
pub struct HsTokenizer;

pub struct HsTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for HsTokenizer {
    type TokenStream<'a> = HsTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> HsTokenStream {
        HsTokenStream::new(text::analyze(text))
    }
}

impl HsTokenStream {
    /// A stream over tokens our own analysis made; both indexes' tokenizers end here.
    pub(crate) fn new(tokens: Vec<text::Token>) -> HsTokenStream {
        let tokens = tokens
            .into_iter()
            .enumerate()
            .map(|(position, t)| Token {
                offset_from: t.from,
                offset_to: t.to,
                position,
                text: t.text,
                position_length: 1,
            })
            .collect();
        HsTokenStream { tokens, next: 0 }
    }
}

impl TokenStream for HsTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

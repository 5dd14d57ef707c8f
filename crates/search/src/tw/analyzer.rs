//! Adapts [`text::analyze_zh`] to tantivy's tokenizer interface, with the analysis options the
//! index was built with (the query side calls `analyze_zh` with the same ones).

use tantivy::Index;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};
use text::ZhOptions;

pub(crate) const NAME: &str = "tw_zh";

#[derive(Clone)]
pub(crate) struct ZhTokenizer {
    pub options: ZhOptions,
}

pub(crate) struct ZhTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for ZhTokenizer {
    type TokenStream<'a> = ZhTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ZhTokenStream {
        let tokens = text::analyze_zh(text, self.options)
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
        ZhTokenStream { tokens, next: 0 }
    }
}

impl TokenStream for ZhTokenStream {
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

pub(crate) fn register(index: &Index, options: ZhOptions) {
    index
        .tokenizers()
        .register(NAME, TextAnalyzer::builder(ZhTokenizer { options }).build());
}

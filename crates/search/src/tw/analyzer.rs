//! Adapts [`text::analyze_zh`] to tantivy's tokenizer interface, with the analysis options the
//! index was built with (the query side calls `analyze_zh` with the same ones).

use tantivy::Index;
use tantivy::tokenizer::{TextAnalyzer, Tokenizer};

use crate::analyzer::HsTokenStream;
use text::ZhOptions;

pub(crate) const NAME: &str = "tw_zh";

#[derive(Clone)]
pub(crate) struct ZhTokenizer {
    pub options: ZhOptions,
}

impl Tokenizer for ZhTokenizer {
    type TokenStream<'a> = HsTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> HsTokenStream {
        HsTokenStream::new(text::analyze_zh(text, self.options))
    }
}

pub(crate) fn register(index: &Index, options: ZhOptions) {
    index
        .tokenizers()
        .register(NAME, TextAnalyzer::builder(ZhTokenizer { options }).build());
}

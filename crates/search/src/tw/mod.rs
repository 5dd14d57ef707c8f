//! Search over Taiwan's national tariff (海關進口稅則): one tantivy document per 11-digit line,
//! Chinese-aware through [`text::analyze_zh`].
//!
//! Built in memory at start-up from a [`TwTariff`] (under two seconds for 12,686 lines in a
//! release build), because the tariff is small and changes only with a new edition: there is
//! nothing to persist. Each line carries its zh and en texts (matched with the highest
//! weights), and as context the zh names and English HS 2022 texts of its subheading, dash
//! group, heading and chapter.

mod analyzer;
mod code;
mod hs6;
mod query;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use nomenclature::HsCode;
use tantivy::schema::{FAST, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument, doc};
use tariff::{TariffLine, TwTariff};
use text::ZhOptions;

pub use hs6::{Hs6Aggregation, Hs6Hit};
pub use query::TariffHit;

use crate::IndexError;

const WRITER_HEAP_BYTES: usize = 64 * 1024 * 1024;

/// How the index reads texts and queries. The defaults are the measured best
/// (`examples/zh_eval.rs`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TariffIndexOptions {
    pub analysis: ZhOptions,
    /// Expand queries with the zh-TW and English synonym lists.
    pub synonyms: bool,
    pub aggregation: Hs6Aggregation,
}

impl Default for TariffIndexOptions {
    fn default() -> Self {
        TariffIndexOptions {
            analysis: ZhOptions::default(),
            synonyms: true,
            aggregation: Hs6Aggregation::Max,
        }
    }
}

#[derive(Clone, Copy)]
pub(crate) struct TwFields {
    pub zh: Field,
    pub en: Field,
    pub context_zh: Field,
    pub context_en: Field,
}

/// The in-memory search index over the national tariff's lines.
pub struct TariffIndex {
    reader: IndexReader,
    fields: TwFields,
    tariff: Arc<TwTariff>,
    options: TariffIndexOptions,
    zh_synonyms: text::ZhSynonyms,
    en_synonyms: text::Synonyms,
}

/// Fast field holding the line's position in [`TwTariff::lines`].
const LINE: &str = "line";

fn schema() -> (Schema, TwFields) {
    let analysed = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer::NAME)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let mut b = Schema::builder();
    b.add_u64_field(LINE, FAST);
    let fields = TwFields {
        zh: b.add_text_field("zh", analysed.clone()),
        en: b.add_text_field("en", analysed.clone()),
        context_zh: b.add_text_field("context_zh", analysed.clone()),
        context_en: b.add_text_field("context_en", analysed),
    };
    (b.build(), fields)
}

impl TariffIndex {
    /// Builds the index with the default options.
    pub fn build(tariff: Arc<TwTariff>) -> Result<TariffIndex, IndexError> {
        TariffIndex::build_with(tariff, TariffIndexOptions::default())
    }

    pub fn build_with(
        tariff: Arc<TwTariff>,
        options: TariffIndexOptions,
    ) -> Result<TariffIndex, IndexError> {
        let (schema, fields) = schema();
        let index = Index::create_in_ram(schema);
        analyzer::register(&index, options.analysis);
        fill(&index, fields, &tariff).map_err(memory_err)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(memory_err)?;
        Ok(TariffIndex {
            reader,
            fields,
            tariff,
            options,
            zh_synonyms: text::ZhSynonyms::builtin(),
            en_synonyms: text::Synonyms::builtin(),
        })
    }

    pub fn tariff(&self) -> &TwTariff {
        &self.tariff
    }

    pub fn options(&self) -> TariffIndexOptions {
        self.options
    }

    pub fn documents(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
}

fn memory_err(source: tantivy::TantivyError) -> IndexError {
    IndexError::Tantivy {
        path: Path::new("(memory)").display().to_string(),
        source,
    }
}

fn fill(index: &Index, f: TwFields, tariff: &TwTariff) -> tantivy::Result<()> {
    let line_field = index.schema().get_field(LINE)?;
    let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, WRITER_HEAP_BYTES)?;
    let mut context = ContextCache::new(tariff);
    for (i, line) in tariff.lines().iter().enumerate() {
        let ctx = context.of(line);
        writer.add_document(doc!(
            line_field => i as u64,
            f.zh => line.description_zh.as_str(),
            f.en => line.description_en.as_str(),
            f.context_zh => ctx.0.as_str(),
            f.context_en => ctx.1.as_str(),
        ))?;
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(())
}

/// What a passage of the national tariff stands for: an 11-digit line, or a subheading by its
/// own name.
#[derive(Debug, Clone, PartialEq)]
pub struct ZhPassage {
    pub hs6: HsCode,
    pub line: Option<tariff::CccCode>,
    pub text: String,
}

/// The tariff's Chinese texts as passages for a sentence encoder, with the context the index
/// gives them: each line's zh text with its subheading's zh name, then each subheading's zh
/// context (its HS 2022 zh name, dash group, heading, chapter). Lines in tariff order, then
/// subheadings in code order. The context is the same for every line of a subheading, so it
/// is embedded once per subheading rather than with each of the 12,686 lines (encoding costs
/// in proportion to the tokens).
pub fn zh_passages(tariff: &TwTariff) -> Vec<ZhPassage> {
    let mut context = ContextCache::new(tariff);
    for line in tariff.lines() {
        context.of(line);
    }
    let mut out: Vec<ZhPassage> = tariff
        .lines()
        .iter()
        .map(|line| ZhPassage {
            hs6: line.code.hs6(),
            line: Some(line.code),
            text: match tariff.zh_name(&line.code.hs6()) {
                Some(name) => format!("{}；{}", line.description_zh, name.text),
                None => line.description_zh.clone(),
            },
        })
        .collect();
    let mut subheadings: Vec<(HsCode, Arc<(String, String)>)> =
        context.by_hs6.into_iter().collect();
    subheadings.sort_by(|a, b| a.0.cmp(&b.0));
    out.extend(
        subheadings
            .into_iter()
            .filter(|(_, ctx)| !ctx.0.is_empty())
            .map(|(hs6, ctx)| ZhPassage {
                hs6,
                line: None,
                text: ctx.0.clone(),
            }),
    );
    out
}

/// The zh and en context of a line (subheading, dash group, heading, chapter), computed once
/// per subheading: lines of one subheading share it.
struct ContextCache<'a> {
    tariff: &'a TwTariff,
    by_hs6: HashMap<HsCode, Arc<(String, String)>>,
}

impl<'a> ContextCache<'a> {
    fn new(tariff: &'a TwTariff) -> Self {
        ContextCache {
            tariff,
            by_hs6: HashMap::new(),
        }
    }

    fn of(&mut self, line: &TariffLine) -> Arc<(String, String)> {
        let hs6 = line.code.hs6();
        let tariff = self.tariff;
        Arc::clone(
            self.by_hs6
                .entry(hs6.clone())
                .or_insert_with(|| Arc::new(context_texts(tariff, &hs6))),
        )
    }
}

fn context_texts(tariff: &TwTariff, hs6: &HsCode) -> (String, String) {
    let labels = tariff.labels();
    let codes: Vec<HsCode> = [6, 4, 2]
        .into_iter()
        .filter_map(|n| HsCode::parse(&hs6.as_str()[..n]).ok())
        .collect();
    let mut zh: Vec<String> = codes
        .iter()
        .filter_map(|c| tariff.zh_name(c))
        .map(|n| n.text)
        .collect();
    let group = labels
        .tree_entry(hs6.as_str())
        .and_then(|e| e.parent.as_deref())
        .and_then(|p| labels.tree_entry(p))
        .filter(|e| e.level == tariff::TreeLevel::Group);
    if let Some(g) = group {
        zh.insert(1, g.description_zh.clone());
    }
    let en: Vec<&str> = codes.iter().filter_map(|c| labels.en_hs2022(c)).collect();
    (zh.join("；"), en.join(" ; "))
}

use std::path::{Path, PathBuf};
use std::sync::Arc;

use nomenclature::{Level, Nomenclature};
use tantivy::schema::{FAST, Field, INDEXED, STORED, STRING, Schema};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument, doc};

use crate::weighted::register_analyzer;

/// Bump when the schema or the analysis chain changes, so stored indexes get rebuilt.
const SCHEMA_VERSION: u32 = 1;
const META_FILE: &str = "smart-customs-index.json";
const WRITER_HEAP_BYTES: usize = 32 * 1024 * 1024;

/// Called as documents are added: (done, total).
pub type BuildProgress<'a> = &'a dyn Fn(u64, u64);

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("search index at {path}: {source}")]
    Tantivy {
        path: String,
        source: tantivy::TantivyError,
    },
    #[error("search index at {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

#[derive(Clone, Copy)]
pub(crate) struct Fields {
    pub code: Field,
    pub level: Field,
    pub text: Field,
    pub context: Field,
    pub prefixes: Field,
}

#[derive(serde::Serialize, serde::Deserialize, PartialEq)]
struct Meta {
    schema_version: u32,
    data_digest: String,
    documents: u64,
}

/// The search index with the nomenclature it was built from.
pub struct SearchIndex {
    pub(crate) reader: IndexReader,
    pub(crate) fields: Fields,
    pub(crate) nomenclature: Arc<Nomenclature>,
    pub(crate) synonyms: text::Synonyms,
    rebuilt: bool,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let analysed = crate::weighted::analysed_text();
    let fields = Fields {
        code: b.add_text_field("code", STRING | STORED),
        level: b.add_u64_field("level", INDEXED | FAST),
        text: b.add_text_field("text", analysed.clone()),
        context: b.add_text_field("context", analysed),
        prefixes: b.add_text_field("prefixes", STRING),
    };
    (b.build(), fields)
}

impl SearchIndex {
    /// Opens the index stored in `dir` if it was built from this very data with this schema;
    /// otherwise rebuilds it there.
    pub fn open_or_build(
        dir: &Path,
        nomenclature: Arc<Nomenclature>,
        progress: BuildProgress<'_>,
    ) -> Result<SearchIndex, IndexError> {
        let wanted = Meta {
            schema_version: SCHEMA_VERSION,
            data_digest: nomenclature.digest().to_string(),
            documents: nomenclature.len() as u64,
        };
        let stored = std::fs::read(dir.join(META_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice::<Meta>(&b).ok());
        if stored.as_ref() == Some(&wanted)
            && let Ok(index) = Index::open_in_dir(dir)
        {
            return Self::from_index(index, dir, nomenclature, false);
        }
        Self::build(dir, nomenclature, progress)
    }

    /// Builds afresh into `dir`, replacing what was there only once the new index is complete.
    pub fn build(
        dir: &Path,
        nomenclature: Arc<Nomenclature>,
        progress: BuildProgress<'_>,
    ) -> Result<SearchIndex, IndexError> {
        let staging = staging_dir(dir);
        let io = |path: &Path| {
            let path = path.display().to_string();
            move |source| IndexError::Io { path, source }
        };
        if staging.exists() {
            std::fs::remove_dir_all(&staging).map_err(io(&staging))?;
        }
        std::fs::create_dir_all(&staging).map_err(io(&staging))?;
        let (schema, _) = schema();
        let index = Index::create_in_dir(&staging, schema).map_err(tantivy_err(&staging))?;
        let documents = fill(&index, &nomenclature, progress).map_err(tantivy_err(&staging))?;
        let meta = Meta {
            schema_version: SCHEMA_VERSION,
            data_digest: nomenclature.digest().to_string(),
            documents,
        };
        let meta_json = serde_json::to_vec_pretty(&meta).expect("meta serialises");
        std::fs::write(staging.join(META_FILE), meta_json).map_err(io(&staging))?;
        drop(index);
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(io(dir))?;
        }
        std::fs::rename(&staging, dir).map_err(io(dir))?;
        let index = Index::open_in_dir(dir).map_err(tantivy_err(dir))?;
        Self::from_index(index, dir, nomenclature, true)
    }

    /// An index held in memory only (tests, benchmarks).
    pub fn in_memory(nomenclature: Arc<Nomenclature>) -> Result<SearchIndex, IndexError> {
        let (schema, _) = schema();
        let index = Index::create_in_ram(schema);
        let here = Path::new("(memory)");
        fill(&index, &nomenclature, &|_, _| {}).map_err(tantivy_err(here))?;
        Self::from_index(index, here, nomenclature, true)
    }

    fn from_index(
        index: Index,
        dir: &Path,
        nomenclature: Arc<Nomenclature>,
        rebuilt: bool,
    ) -> Result<SearchIndex, IndexError> {
        register_analyzer(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(tantivy_err(dir))?;
        let (_, fields) = schema();
        Ok(SearchIndex {
            reader,
            fields,
            nomenclature,
            synonyms: text::Synonyms::builtin(),
            rebuilt,
        })
    }

    pub fn nomenclature(&self) -> &Nomenclature {
        &self.nomenclature
    }

    pub fn shared_nomenclature(&self) -> Arc<Nomenclature> {
        Arc::clone(&self.nomenclature)
    }

    /// Whether opening this index had to (re)build it.
    pub fn was_rebuilt(&self) -> bool {
        self.rebuilt
    }

    pub fn documents(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
}

fn staging_dir(dir: &Path) -> PathBuf {
    let mut name = dir.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".building-{}", std::process::id()));
    dir.with_file_name(name)
}

fn tantivy_err(path: &Path) -> impl FnOnce(tantivy::TantivyError) -> IndexError {
    let path = path.display().to_string();
    move |source| IndexError::Tantivy { path, source }
}

pub(crate) fn level_number(level: Level) -> u64 {
    level.digits() as u64
}

fn fill(index: &Index, hs: &Nomenclature, progress: BuildProgress<'_>) -> tantivy::Result<u64> {
    register_analyzer(index);
    let (_, f) = schema();
    let mut writer = index.writer_with_num_threads::<TantivyDocument>(1, WRITER_HEAP_BYTES)?;
    let total = hs.len() as u64;
    for (i, node) in hs.nodes().iter().enumerate() {
        let context = hs
            .ancestors(&node.code)
            .iter()
            .map(|a| a.description.as_str())
            .collect::<Vec<_>>()
            .join(" ; ");
        let mut d = doc!(
            f.code => node.code.as_str(),
            f.level => level_number(node.level()),
            f.text => node.description.as_str(),
            f.context => context,
        );
        let code = node.code.as_str();
        for n in [2, 4, 6].into_iter().filter(|&n| n <= code.len()) {
            d.add_text(f.prefixes, &code[..n]);
        }
        writer.add_document(d)?;
        if i % 256 == 0 || i as u64 + 1 == total {
            progress(i as u64 + 1, total);
        }
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(total)
}

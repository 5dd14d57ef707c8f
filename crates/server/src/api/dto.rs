//! The JSON shapes of API v1. Changing a field here changes the public contract.

use nomenclature::{Node, Nomenclature, Section};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct CodeRef {
    /// Digits only: "847130".
    #[schema(example = "847130")]
    pub code: String,
    /// As usually written: "8471.30".
    #[schema(example = "8471.30")]
    pub dotted: String,
    /// chapter, heading or subheading.
    #[schema(example = "subheading")]
    pub level: String,
    pub description: String,
}

impl From<&Node> for CodeRef {
    fn from(n: &Node) -> CodeRef {
        CodeRef {
            code: n.code.to_string(),
            dotted: n.code.dotted(),
            level: n.level().as_str().to_string(),
            description: n.description.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SectionRef {
    /// Roman numeral, I to XXI.
    #[schema(example = "XVI")]
    pub number: String,
    pub title: String,
}

#[derive(Serialize, ToSchema)]
pub struct SectionEntry {
    #[schema(example = "XVI")]
    pub number: String,
    pub title: String,
    pub chapters: Vec<CodeRef>,
}

impl SectionEntry {
    pub fn new(section: &Section, hs: &Nomenclature) -> SectionEntry {
        SectionEntry {
            number: section.number.roman().to_string(),
            title: section.title.clone(),
            chapters: section
                .chapters
                .iter()
                .filter_map(|c| hs.get(c))
                .map(CodeRef::from)
                .collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SectionsResponse {
    pub sections: Vec<SectionEntry>,
    /// Chapters the source keeps outside every section (chapter 99).
    pub unsectioned_chapters: Vec<CodeRef>,
}

#[derive(Serialize, ToSchema)]
pub struct CodeDetail {
    #[schema(example = "847130")]
    pub code: String,
    #[schema(example = "8471.30")]
    pub dotted: String,
    pub level: String,
    pub description: String,
    /// The section the code belongs to; null for chapter 99.
    pub section: Option<SectionRef>,
    /// From the chapter down to the parent.
    pub ancestors: Vec<CodeRef>,
    pub children: Vec<CodeRef>,
    pub siblings: Vec<CodeRef>,
}

#[derive(Serialize, ToSchema)]
pub struct Highlight {
    /// Byte offset into `description` where a matched word starts.
    pub start: usize,
    pub end: usize,
}

#[derive(Serialize, ToSchema)]
pub struct SearchHit {
    pub code: String,
    pub dotted: String,
    pub level: String,
    pub description: String,
    pub score: f32,
    pub highlights: Vec<Highlight>,
    /// The description with matched words wrapped in `<mark>`; the rest HTML-escaped.
    pub highlighted: String,
    pub matched_words: Vec<String>,
    /// Ancestors' descriptions, chapter first: the context an "Other" needs.
    pub path: Vec<CodeRef>,
}

#[derive(Serialize, ToSchema)]
pub struct Expansion {
    /// The everyday name found in the query.
    pub matched: String,
    /// The nomenclature words it added to the search.
    pub words: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SearchResponse {
    pub query: String,
    /// True when the query was read as a code or code prefix.
    pub code_lookup: bool,
    pub expansions: Vec<Expansion>,
    pub hits: Vec<SearchHit>,
}

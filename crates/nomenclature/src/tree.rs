use std::collections::HashMap;

use crate::{HsCode, Level, Section, SectionNumber};

/// One code of the tree with its text and links.
#[derive(Debug, Clone)]
pub struct Node {
    pub code: HsCode,
    pub description: String,
    /// `None` only for chapter 99 ("not specified according to kind"), which the source data
    /// keeps outside the 21 sections.
    pub section: Option<SectionNumber>,
    pub parent: Option<HsCode>,
    pub children: Vec<HsCode>,
}

impl Node {
    pub fn level(&self) -> Level {
        self.code.level()
    }
}

/// The whole HS tree, validated: every parent exists, levels and sections agree.
#[derive(Debug, Clone)]
pub struct Nomenclature {
    pub(crate) sections: Vec<Section>,
    pub(crate) nodes: Vec<Node>,
    pub(crate) index: HashMap<HsCode, usize>,
    pub(crate) digest: String,
}

impl Nomenclature {
    /// sha256 of the source files; it changes exactly when the data changes.
    pub fn digest(&self) -> &str {
        &self.digest
    }

    pub fn sections(&self) -> &[Section] {
        &self.sections
    }

    pub fn section(&self, number: SectionNumber) -> Option<&Section> {
        self.sections.iter().find(|s| s.number == number)
    }

    /// Chapters that the source data keeps outside every section (chapter 99).
    pub fn unsectioned_chapters(&self) -> impl Iterator<Item = &Node> {
        self.nodes
            .iter()
            .filter(|n| n.level() == Level::Chapter && n.section.is_none())
    }

    pub fn get(&self, code: &HsCode) -> Option<&Node> {
        self.index.get(code).map(|&i| &self.nodes[i])
    }

    /// All nodes in code order (chapter, then its headings, then their subheadings).
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn count(&self, level: Level) -> usize {
        self.nodes.iter().filter(|n| n.level() == level).count()
    }

    /// From the chapter down to the parent of `code`; empty for a chapter or an unknown code.
    pub fn ancestors(&self, code: &HsCode) -> Vec<&Node> {
        let mut chain: Vec<&Node> = std::iter::successors(code.parent(), HsCode::parent)
            .filter_map(|c| self.get(&c))
            .collect();
        chain.reverse();
        chain
    }

    pub fn children(&self, code: &HsCode) -> Vec<&Node> {
        self.get(code)
            .map(|n| n.children.iter().filter_map(|c| self.get(c)).collect())
            .unwrap_or_default()
    }

    /// The other children of the same parent (for a chapter: the other chapters of its section).
    pub fn siblings(&self, code: &HsCode) -> Vec<&Node> {
        let Some(node) = self.get(code) else {
            return Vec::new();
        };
        let peers: Vec<&Node> = match &node.parent {
            Some(parent) => self.children(parent),
            None => match node.section.and_then(|s| self.section(s)) {
                Some(section) => section
                    .chapters
                    .iter()
                    .filter_map(|c| self.get(c))
                    .collect(),
                None => self.unsectioned_chapters().collect(),
            },
        };
        peers.into_iter().filter(|n| &n.code != code).collect()
    }

    /// The description with its ancestors' context, chapter first, joined by " › ".
    /// An "Other" subheading means nothing alone; this is how it reads in full.
    pub fn path_text(&self, code: &HsCode) -> String {
        let mut parts: Vec<&str> = self
            .ancestors(code)
            .iter()
            .map(|n| n.description.as_str())
            .collect();
        if let Some(n) = self.get(code) {
            parts.push(&n.description);
        }
        parts.join(" › ")
    }
}

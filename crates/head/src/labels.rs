//! The label space: the subheadings a head predicts and, for each, its heading and chapter.
//! The two coarser levels are trained as heads of their own (a description that names the
//! wrong subheading often still names the right heading), and their log-probabilities are added
//! to the subheading's at inference.

use std::collections::HashMap;

use nomenclature::HsCode;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelSpace {
    leaves: Vec<HsCode>,
    headings: Vec<String>,
    chapters: Vec<String>,
    /// Per leaf: index into `headings`.
    heading_of: Vec<u32>,
    /// Per leaf: index into `chapters`.
    chapter_of: Vec<u32>,
    position: HashMap<HsCode, usize>,
}

fn index_of(list: &mut Vec<String>, seen: &mut HashMap<String, u32>, key: &str) -> u32 {
    *seen.entry(key.to_string()).or_insert_with(|| {
        list.push(key.to_string());
        (list.len() - 1) as u32
    })
}

impl LabelSpace {
    /// Leaves in the given order (the order scores come back in).
    pub fn new(leaves: Vec<HsCode>) -> LabelSpace {
        let (mut headings, mut chapters) = (Vec::new(), Vec::new());
        let (mut seen_h, mut seen_c) = (HashMap::new(), HashMap::new());
        let mut heading_of = Vec::with_capacity(leaves.len());
        let mut chapter_of = Vec::with_capacity(leaves.len());
        for code in &leaves {
            let digits = code.as_str();
            heading_of.push(index_of(&mut headings, &mut seen_h, &digits[..4]));
            chapter_of.push(index_of(&mut chapters, &mut seen_c, &digits[..2]));
        }
        let position = leaves
            .iter()
            .enumerate()
            .map(|(i, c)| (c.clone(), i))
            .collect();
        LabelSpace {
            leaves,
            headings,
            chapters,
            heading_of,
            chapter_of,
            position,
        }
    }

    pub fn leaves(&self) -> &[HsCode] {
        &self.leaves
    }

    pub fn len(&self) -> usize {
        self.leaves.len()
    }

    pub fn is_empty(&self) -> bool {
        self.leaves.is_empty()
    }

    pub fn headings(&self) -> usize {
        self.headings.len()
    }

    pub fn chapters(&self) -> usize {
        self.chapters.len()
    }

    pub fn heading_of(&self, leaf: usize) -> usize {
        self.heading_of[leaf] as usize
    }

    pub fn chapter_of(&self, leaf: usize) -> usize {
        self.chapter_of[leaf] as usize
    }

    /// Where a 6-digit code sits, if it is a leaf.
    pub fn position(&self, code: &HsCode) -> Option<usize> {
        self.position.get(code).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaves_know_their_heading_and_chapter() {
        let codes = ["081340", "081350", "090111", "081110"]
            .map(|c| HsCode::parse(c).unwrap())
            .to_vec();
        let l = LabelSpace::new(codes);
        assert_eq!((l.len(), l.headings(), l.chapters()), (4, 3, 2));
        assert_eq!(l.heading_of(0), l.heading_of(1));
        assert_ne!(l.heading_of(0), l.heading_of(3));
        assert_eq!(l.chapter_of(0), l.chapter_of(3));
        assert_eq!(l.position(&HsCode::parse("090111").unwrap()), Some(2));
    }
}

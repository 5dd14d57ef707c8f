//! Assembles one document per HS subheading from the nomenclature, the national lines, the
//! trade names and the training examples.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use nomenclature::{HsCode, Level, Nomenclature};

use crate::artifact::CorpusManifest;
use crate::labelled::{DECISIONS_SET, EVAL_SETS, LabelledSet, Split, TRAINING_SETS, load_labelled};
use crate::national::load_national_lines;
use crate::{ARTIFACT_FORMAT, CorpusError};

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SubheadingDoc {
    pub code: HsCode,
    /// The subheading's own text.
    pub text: String,
    /// Chapter and heading texts, chapter first.
    pub context: Vec<String>,
    /// Distinct national-line texts under this subheading.
    pub national: Vec<String>,
    /// Everyday and trade names that point here.
    pub trade_names: Vec<String>,
    /// Labelled descriptions of the training split.
    pub examples: Vec<String>,
}

impl SubheadingDoc {
    /// The subheading read in full: "chapter › heading › subheading".
    pub fn path_text(&self) -> String {
        let mut parts: Vec<&str> = self.context.iter().map(String::as_str).collect();
        parts.push(&self.text);
        parts.join(" › ")
    }
}

pub struct Corpus {
    pub docs: Vec<SubheadingDoc>,
    pub manifest: CorpusManifest,
    pub labelled: LabelledSet,
    /// Labelled sets kept out of training and tuning, for evaluation only (set name, examples).
    pub held_out: Vec<(String, Vec<crate::Example>)>,
    index: HashMap<HsCode, usize>,
}

/// Subheadings that are never an answer: Comtrade's "not specified according to kind".
fn is_answerable(code: &HsCode) -> bool {
    code.chapter().as_str() != "99"
}

fn terms(text: &str) -> HashSet<String> {
    text::analyze(text).into_iter().map(|t| t.text).collect()
}

/// A text worth keeping as extra wording: not empty, not just "other".
fn informative(text: &str) -> bool {
    terms(text).iter().any(|t| t != "other")
}

impl Corpus {
    pub fn new(
        docs: Vec<SubheadingDoc>,
        manifest: CorpusManifest,
        labelled: LabelledSet,
    ) -> Corpus {
        let index = docs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.code.clone(), i))
            .collect();
        Corpus {
            docs,
            manifest,
            labelled,
            held_out: Vec::new(),
            index,
        }
    }

    pub fn doc(&self, code: &HsCode) -> Option<&SubheadingDoc> {
        self.index.get(code).map(|&i| &self.docs[i])
    }

    /// Builds the corpus from a data directory. `progress(step, steps, what)` reports stages.
    pub fn build(
        data_dir: &Path,
        hs: &Nomenclature,
        synonyms: &text::Synonyms,
        progress: &dyn Fn(u64, u64, &str),
    ) -> Result<Corpus, CorpusError> {
        Corpus::build_with_decisions(data_dir, None, hs, synonyms, progress)
    }

    /// The same, also learning from customs' own decisions: approved advance rulings that
    /// `customs rulings export` wrote under `<decisions>/labelled/customs-rulings/`. They
    /// are split like every labelled set, so some stay out of training for evaluation.
    pub fn build_with_decisions(
        data_dir: &Path,
        decisions: Option<&Path>,
        hs: &Nomenclature,
        synonyms: &text::Synonyms,
        progress: &dyn Fn(u64, u64, &str),
    ) -> Result<Corpus, CorpusError> {
        const STEPS: u64 = 4;
        progress(0, STEPS, "nomenclature");
        let mut docs: Vec<SubheadingDoc> = hs
            .nodes()
            .iter()
            .filter(|n| n.level() == Level::Subheading && is_answerable(&n.code))
            .map(|n| SubheadingDoc {
                code: n.code.clone(),
                text: n.description.clone(),
                context: hs
                    .ancestors(&n.code)
                    .iter()
                    .map(|a| a.description.clone())
                    .collect(),
                national: Vec::new(),
                trade_names: Vec::new(),
                examples: Vec::new(),
            })
            .collect();
        let position: HashMap<HsCode, usize> = docs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.code.clone(), i))
            .collect();

        progress(1, STEPS, "national lines");
        let (lines, mut inputs) = load_national_lines(data_dir, hs)?;
        let mut seen: HashSet<(usize, String)> = HashSet::new();
        let mut national_lines = 0;
        for line in &lines {
            let Some(&i) = position.get(&line.hs6) else {
                continue;
            };
            let key = text::normalise(&line.text);
            if informative(&line.text) && seen.insert((i, key)) {
                docs[i].national.push(line.text.clone());
                national_lines += 1;
            }
        }

        progress(2, STEPS, "trade names");
        let doc_terms: Vec<HashSet<String>> = docs.iter().map(|d| terms(&d.path_text())).collect();
        for (name, words) in synonyms.entries() {
            let wanted: HashSet<String> = words.iter().flat_map(|w| terms(w)).collect();
            for (doc, have) in docs.iter_mut().zip(&doc_terms) {
                if wanted.is_subset(have) && !doc.trade_names.iter().any(|n| n == name) {
                    doc.trade_names.push(name.to_string());
                }
            }
        }

        progress(3, STEPS, "labelled examples");
        let mut labelled = load_labelled(data_dir, TRAINING_SETS, hs)?;
        if let Some(root) = decisions {
            let own = load_labelled(root, &[DECISIONS_SET], hs)?;
            labelled.examples.extend(own.examples);
            labelled.skipped.extend(own.skipped);
            labelled.files.extend(own.files);
        }
        inputs.extend(labelled.files.iter().cloned());
        for ex in labelled.split(Split::Train) {
            if let Some(&i) = position.get(&ex.code) {
                docs[i].examples.push(ex.text.clone());
            }
        }
        progress(STEPS, STEPS, "done");

        let mut examples: BTreeMap<String, usize> = BTreeMap::new();
        for ex in &labelled.examples {
            *examples
                .entry(format!("{}/{}", ex.source, ex.split.as_str()))
                .or_default() += 1;
        }
        let manifest = CorpusManifest {
            format: ARTIFACT_FORMAT,
            version: String::new(),
            nomenclature_digest: hs.digest().to_string(),
            inputs,
            subheadings: docs.len(),
            national_lines,
            trade_names: docs.iter().map(|d| d.trade_names.len()).sum(),
            examples,
            skipped_examples: labelled.skipped.len(),
            vague_terms: labelled.vague.len(),
            trained_on_corpus_only: labelled.examples.is_empty(),
        };
        let mut corpus = Corpus::new(docs, manifest, labelled);
        for set in EVAL_SETS {
            let held = load_labelled(data_dir, &[set], hs)?;
            if !held.examples.is_empty() {
                corpus.held_out.push((set.to_string(), held.examples));
            }
        }
        Ok(corpus)
    }
}

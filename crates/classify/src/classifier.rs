use std::sync::Arc;

use corpus::{Corpus, Split};
use nomenclature::{HsCode, Level, Nomenclature};
use search::weighted::QueryTerms;

use crate::dense::{Cosines, Dense};
use crate::explain::{NearestExample, explain};
use crate::fusion::{Coverage, DevRun, Fusion, LegName};
use crate::legs::{ExampleHit, Examples, LEG_DEPTH, LegHits, Lexical, best_per_subheading};
use crate::rest::FullScores;
use crate::trained::Trained;
use crate::{ClassifyError, Explanation, VagueDetector};

/// Below this top probability the answer is flagged low-confidence.
pub const LOW_CONFIDENCE: f32 = 0.5;
const NEAREST_EXAMPLES: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// The description does not say enough to classify; ask for more.
    TooVague,
    /// The best candidate's probability is under 0.5.
    LowConfidence,
    /// The text was a code; the candidates are that code or what lies below it.
    CodeTyped,
    /// Nothing in the corpus matched the description's words.
    NoMatch,
    /// Mostly non-Latin script; English models may not understand it.
    NotEnglish,
}

impl Flag {
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::TooVague => "too_vague",
            Flag::LowConfidence => "low_confidence",
            Flag::CodeTyped => "code_typed",
            Flag::NoMatch => "no_match",
            Flag::NotEnglish => "not_english",
        }
    }
}

#[derive(Debug, Clone)]
pub struct LegScore {
    pub leg: LegName,
    /// 1-based rank of the candidate in that leg.
    pub rank: usize,
    pub score: f32,
}

#[derive(Debug, Clone)]
pub struct Candidate {
    pub code: HsCode,
    /// Calibrated probability that this is the right subheading.
    pub probability: f32,
    pub legs: Vec<LegScore>,
    pub explanation: Explanation,
}

#[derive(Debug, Clone, Default)]
pub struct Classification {
    pub candidates: Vec<Candidate>,
    pub flags: Vec<Flag>,
    /// Why the flags were raised, in words.
    pub reasons: Vec<String>,
    pub expansions: Vec<text::Expansion>,
}

/// The sentence encoder and the embedded corpus rows: the dense legs.
pub struct Semantic {
    pub encoder: Arc<encoder::Encoder>,
    pub dense: Dense,
}

/// Cheap to clone: the legs' indexes are shared, so a classifier with another trained head
/// and fusion ([`Classifier::with_model`]) costs no copy of them.
#[derive(Clone)]
pub struct Classifier {
    semantic: Option<Arc<Semantic>>,
    trained: Option<Trained>,
    corpus: Arc<Corpus>,
    hs: Arc<Nomenclature>,
    synonyms: Arc<text::Synonyms>,
    lexical: Arc<Lexical>,
    examples: Arc<Examples>,
    vague: Arc<VagueDetector>,
    coverage: Arc<Coverage>,
    terms: Arc<crate::explain::TermsCache>,
    /// Each corpus position's chapter number, for the posterior's rest.
    chapter_of: Arc<Vec<u8>>,
    fusion: Fusion,
}

fn legs_for(semantic: bool, trained: bool) -> Vec<LegName> {
    let mut legs = vec![LegName::Lexical, LegName::Examples];
    if semantic {
        legs.extend([LegName::Dense, LegName::DenseExamples]);
    }
    if trained {
        legs.push(LegName::Trained);
    }
    legs
}

fn mostly_non_latin(text: &str) -> bool {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    let non_latin = letters.iter().filter(|c| !c.is_ascii_alphabetic()).count();
    !letters.is_empty() && non_latin * 2 > letters.len()
}

impl Classifier {
    /// Builds every leg over the corpus. Without a `fusion`, untuned defaults apply until
    /// [`Classifier::tune`] is called.
    pub fn new(
        corpus: Arc<Corpus>,
        hs: Arc<Nomenclature>,
        fusion: Option<Fusion>,
        semantic: Option<Semantic>,
    ) -> Result<Classifier, ClassifyError> {
        let lexical = Lexical::build(&corpus)?;
        let examples = Examples::build(&corpus)?;
        let vague = VagueDetector::new(
            &corpus.labelled.vague,
            corpus.labelled.split(Split::Train).map(|e| e.text.as_str()),
        );
        let legs = legs_for(semantic.is_some(), false);
        let fusion = fusion.unwrap_or_else(|| Fusion::untuned(&legs));
        // Both example legs read the training split, so they can score the same subheadings.
        let mut coverage = Coverage::default();
        let scorable = examples.scorable(corpus.docs.len());
        coverage.limit(LegName::Examples, scorable.clone());
        coverage.limit(LegName::DenseExamples, scorable);
        Ok(Classifier {
            semantic: semantic.map(Arc::new),
            trained: None,
            hs,
            synonyms: Arc::new(text::Synonyms::builtin()),
            lexical: Arc::new(lexical),
            examples: Arc::new(examples),
            vague: Arc::new(vague),
            coverage: Arc::new(coverage),
            terms: Arc::new(crate::explain::TermsCache::new(corpus.docs.len())),
            chapter_of: Arc::new(
                corpus
                    .docs
                    .iter()
                    .map(|d| d.code.chapter().as_str().parse().unwrap_or(0))
                    .collect(),
            ),
            corpus,
            fusion,
        })
    }

    /// The same legs with another trained head (or none) and the fusion tuned for it.
    pub fn with_model(
        &self,
        head: Option<Arc<head::Head>>,
        fusion: Fusion,
    ) -> Result<Classifier, String> {
        let mut next = self.clone();
        next.trained = None;
        if let Some(h) = head {
            next.set_trained(h)?;
        }
        if !fusion
            .weights
            .keys()
            .copied()
            .eq(next.legs().iter().copied())
        {
            return Err("the fusion was tuned for other legs than this classifier runs".into());
        }
        next.fusion = fusion;
        Ok(next)
    }

    /// The encoder and embedded corpus, when the dense legs run.
    pub fn semantic(&self) -> Option<&Semantic> {
        self.semantic.as_deref()
    }

    /// Adds the trained leg. The head must predict exactly this corpus's subheadings, and read
    /// the encoder's embeddings if (and only if) there is an encoder. An untuned fusion gains
    /// the leg at the default weight; a tuned one is kept, so tune again or set one that has it.
    pub fn set_trained(&mut self, head: Arc<head::Head>) -> Result<(), String> {
        let leaves = head.labels().leaves();
        if leaves.len() != self.corpus.docs.len()
            || leaves
                .iter()
                .zip(&self.corpus.docs)
                .any(|(a, d)| *a != d.code)
        {
            return Err(format!(
                "the head {} predicts other subheadings than this corpus has",
                head.meta().version
            ));
        }
        // A head trained with embeddings still answers without an encoder (it was trained
        // with embeddings hidden too); only two different encoders cannot mix.
        let encoder_dim = self.semantic.as_ref().map_or(0, |s| s.encoder.dim());
        if encoder_dim > 0 && head.embedding_dim() > 0 && head.embedding_dim() != encoder_dim {
            return Err(format!(
                "the head {} reads embeddings of {} values; the encoder here gives {encoder_dim}",
                head.meta().version,
                head.embedding_dim()
            ));
        }
        self.trained = Some(Trained { head });
        if self.fusion.tuning.is_none() {
            self.fusion = Fusion::untuned(&self.legs());
        }
        Ok(())
    }

    /// The legs this classifier runs: the dense ones only with an encoder, the trained one
    /// only with a head.
    pub fn legs(&self) -> Vec<LegName> {
        legs_for(self.semantic.is_some(), self.trained.is_some())
    }

    /// The legs it runs once a trained head is added.
    pub fn legs_with_head(&self) -> Vec<LegName> {
        legs_for(self.semantic.is_some(), true)
    }

    /// The trained head, when there is one.
    pub fn head(&self) -> Option<&Arc<head::Head>> {
        self.trained.as_ref().map(|t| &t.head)
    }

    /// Replaces the fusion (one tuned elsewhere for the same legs).
    pub fn set_fusion(&mut self, fusion: Fusion) {
        self.fusion = fusion;
    }

    pub fn fusion(&self) -> &Fusion {
        &self.fusion
    }

    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    pub fn nomenclature(&self) -> &Nomenclature {
        &self.hs
    }

    pub fn nomenclature_shared(&self) -> Arc<Nomenclature> {
        self.hs.clone()
    }

    /// Every leg's raw hits for `text`.
    pub fn run_legs(&self, text: &str) -> Vec<(LegName, LegHits)> {
        self.legs_and_full_scores(text).0
    }

    /// The legs' hits, and the full scores some of them cut to their top.
    fn legs_and_full_scores(&self, text: &str) -> (Vec<(LegName, LegHits)>, FullScores) {
        let q = QueryTerms::new(text, &self.synonyms);
        let nearest = self.examples.nearest(&q, LEG_DEPTH);
        self.run_legs_with(text, &q, &nearest)
    }

    /// The legs for a query already analysed, with its nearest examples already found.
    fn run_legs_with(
        &self,
        text: &str,
        q: &QueryTerms,
        nearest: &[ExampleHit],
    ) -> (Vec<(LegName, LegHits)>, FullScores) {
        let mut legs = vec![
            (LegName::Lexical, self.lexical.score(q)),
            (LegName::Examples, best_per_subheading(nearest)),
        ];
        let mut full = FullScores::default();
        // The English encoder's view of Chinese text is noise: neither the rest of the mass nor
        // the head reads it there (the head reads Chinese by its n-grams alone).
        let chinese = crate::is_chinese(text);
        let mut embedded = None;
        if let Some(s) = self.semantic.as_deref() {
            embedded = s
                .encoder
                .encode_queries(&[text])
                .ok()
                .and_then(|mut v| v.pop());
            let cosines = embedded.as_ref().map(|v| s.dense.cosines(v));
            let (nom, ex) = cosines.as_ref().map(Cosines::hits).unwrap_or_default();
            legs.push((LegName::Dense, nom));
            legs.push((LegName::DenseExamples, ex));
            full.cosines = cosines.filter(|_| !chinese);
        }
        if let Some(t) = &self.trained {
            let embedding = embedded.as_deref().filter(|_| !chinese);
            let log_probs = t.head.log_probs(text, embedding).ok();
            let hits = log_probs
                .as_deref()
                .map(Trained::hits_from)
                .unwrap_or_default();
            legs.push((LegName::Trained, hits));
            full.head_log_probs = log_probs;
        }
        (legs, full)
    }

    /// Ranked subheadings with probabilities; no explanations. What batch runs use.
    pub fn rank(&self, text: &str, limit: usize) -> Vec<(HsCode, f32)> {
        self.rank_from_legs(self.run_legs(text), limit, None)
    }

    /// The probability of every subheading, indexed like `corpus().docs`: what question
    /// selection works from. The subheadings no leg found share the rest as the trained head
    /// and the encoder's cosines rank them ([`FullScores::rest_shape`]; evenly without
    /// either). Uniform when nothing matches.
    pub fn posterior(&self, text: &str) -> Vec<f64> {
        let (legs, full) = self.legs_and_full_scores(text);
        let fused = self.fusion.fuse(&legs, &self.coverage);
        self.fusion.dense_probabilities(
            &fused,
            self.corpus.docs.len(),
            full.rest_shape(&self.chapter_of).as_deref(),
        )
    }

    /// Ranks from legs already run: fused, or one leg alone (`only`), as evaluation needs.
    pub fn rank_from_legs(
        &self,
        legs: Vec<(LegName, LegHits)>,
        limit: usize,
        only: Option<LegName>,
    ) -> Vec<(HsCode, f32)> {
        let legs: Vec<(LegName, LegHits)> = legs
            .into_iter()
            .filter(|(l, _)| only.is_none_or(|o| o == *l))
            .collect();
        let fused = match only {
            None => self.fusion.fuse(&legs, &self.coverage),
            Some(_) => {
                // One leg alone: its own normalised scores.
                let solo = Fusion {
                    weights: legs.iter().map(|(l, _)| (*l, 1.0)).collect(),
                    ..self.fusion.clone()
                };
                solo.fuse(&legs, &self.coverage)
            }
        };
        let probs = self.fusion.probabilities(&fused, self.corpus.docs.len());
        fused
            .iter()
            .zip(probs)
            .take(limit)
            .map(|(&(pos, _), p)| (self.corpus.docs[pos].code.clone(), p))
            .collect()
    }

    /// Tunes the fusion weights and temperature on the development split.
    pub fn tune(&mut self) -> &Fusion {
        self.tune_on(None)
    }

    /// [`Classifier::tune`] on at most `max` development cases, spread evenly over the split
    /// (a quick run's choice; the full split tunes best).
    pub fn tune_on(&mut self, max: Option<usize>) -> &Fusion {
        let dev: Vec<&corpus::Example> = self.corpus.labelled.split(Split::Dev).collect();
        let step = match max {
            Some(m) if m > 0 && dev.len() > m => dev.len() as f64 / m as f64,
            _ => 1.0,
        };
        let picked: Vec<&corpus::Example> = (0..)
            .map(|i| (i as f64 * step) as usize)
            .take_while(|&i| i < dev.len())
            .map(|i| dev[i])
            .collect();
        let positions: std::collections::HashMap<&HsCode, usize> = self
            .corpus
            .docs
            .iter()
            .enumerate()
            .map(|(i, d)| (&d.code, i))
            .collect();
        let runs: Vec<DevRun> = picked
            .into_iter()
            .filter_map(|e| {
                Some(DevRun {
                    gold: *positions.get(&e.code)?,
                    legs: self.run_legs(&e.text),
                })
            })
            .collect();
        if !runs.is_empty() {
            let version = self.corpus.manifest.version.clone();
            self.fusion = Fusion::tune(
                &runs,
                &self.legs(),
                &self.coverage,
                self.corpus.docs.len(),
                &version,
            );
            let head_version = self.head().map(|h| h.meta().version.clone());
            if let Some(t) = self.fusion.tuning.as_mut() {
                t.head_version = head_version;
            }
        }
        &self.fusion
    }

    pub fn classify(&self, text: &str, limit: usize) -> Classification {
        let mut out = Classification::default();
        if HsCode::looks_like_code(text) {
            return self.code_typed(text, limit);
        }
        if mostly_non_latin(text) {
            out.flags.push(Flag::NotEnglish);
            out.reasons.push(
                "the description is mostly in a non-Latin script; the models read English".into(),
            );
        }
        if let Some(reason) = self.vague.reason(text) {
            out.flags.push(Flag::TooVague);
            out.reasons.push(format!("{reason}; please say what the goods are, what they are made of and what they are for"));
        }
        let q = QueryTerms::new(text, &self.synonyms);
        out.expansions = q.expansions.clone();
        let nearest = self.examples.nearest(&q, LEG_DEPTH);
        let (legs, _) = self.run_legs_with(text, &q, &nearest);
        let fused = self.fusion.fuse(&legs, &self.coverage);
        if fused.is_empty() {
            out.flags.push(Flag::NoMatch);
            out.reasons
                .push("no word of the description occurs in the tariff or its examples".into());
            return out;
        }
        let probs = self.fusion.probabilities(&fused, self.corpus.docs.len());
        let wanted = crate::explain::wanted_hashes(&q.all());
        for (&(pos, _), p) in fused.iter().zip(probs).take(limit) {
            let doc = &self.corpus.docs[pos];
            let mut explanation = explain(pos, doc, &self.terms, &wanted);
            explanation.examples = nearest
                .iter()
                .take(NEAREST_EXAMPLES)
                .filter(|h| h.position == pos)
                .take(3)
                .map(|h| NearestExample {
                    text: h.text.clone(),
                    code: h.code.clone(),
                    score: h.score,
                })
                .collect();
            let legs = legs
                .iter()
                .filter_map(|(leg, hits)| {
                    let rank = hits.iter().position(|(p, _)| *p == pos)?;
                    Some(LegScore {
                        leg: *leg,
                        rank: rank + 1,
                        score: hits[rank].1,
                    })
                })
                .collect();
            out.candidates.push(Candidate {
                code: doc.code.clone(),
                probability: p,
                legs,
                explanation,
            });
        }
        if out
            .candidates
            .first()
            .is_none_or(|c| c.probability < LOW_CONFIDENCE)
        {
            out.flags.push(Flag::LowConfidence);
            out.reasons.push(format!(
                "the best candidate's probability is under {LOW_CONFIDENCE}; answer a few questions or add detail"
            ));
        }
        out
    }

    /// A typed code: that subheading, or the subheadings under a chapter or heading.
    fn code_typed(&self, text: &str, limit: usize) -> Classification {
        let digits: String = text.chars().filter(char::is_ascii_digit).take(6).collect();
        let mut out = Classification {
            flags: vec![Flag::CodeTyped],
            reasons: vec!["the description is a code; showing that code".into()],
            ..Classification::default()
        };
        let under: Vec<&HsCode> = self
            .corpus
            .docs
            .iter()
            .map(|d| &d.code)
            .filter(|c| c.as_str().starts_with(&digits))
            .collect();
        if under.is_empty() || !matches!(digits.len(), 2 | 4 | 6) {
            out.flags.push(Flag::NoMatch);
            out.reasons.push(format!(
                "{digits} is not a chapter, heading or subheading of HS 2022"
            ));
            return out;
        }
        let p = 1.0 / under.len() as f32;
        out.candidates = under
            .into_iter()
            .take(limit)
            .map(|code| Candidate {
                code: code.clone(),
                probability: p,
                legs: Vec::new(),
                explanation: Explanation::default(),
            })
            .collect();
        if p < LOW_CONFIDENCE {
            out.flags.push(Flag::LowConfidence);
        }
        out
    }

    /// Probability mass of each heading among `candidates`: the roll-up to 4 digits.
    pub fn headings(candidates: &[(HsCode, f32)]) -> Vec<(HsCode, f32)> {
        let mut out: Vec<(HsCode, f32)> = Vec::new();
        for (code, p) in candidates {
            let heading = code.parent().unwrap_or_else(|| code.clone());
            debug_assert_eq!(heading.level(), Level::Heading);
            match out.iter_mut().find(|(h, _)| *h == heading) {
                Some(entry) => entry.1 += p,
                None => out.push((heading, *p)),
            }
        }
        out.sort_by(|a, b| b.1.total_cmp(&a.1));
        out
    }
}

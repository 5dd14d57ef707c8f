//! The data card of a version: what is in it and what is wrong with it, computed from the
//! rows alone (plus the nomenclature and the national tariff to check codes against).

use std::collections::{BTreeMap, BTreeSet};

use nomenclature::{HsCode, Level, Nomenclature};
use serde::{Deserialize, Serialize};
use tariff::{CccCode, TwTariff};

use crate::findings;
use crate::keys::{Split, key_terms, language, normalised, split_of_terms};
use crate::rows::LabelledRow;

/// Lists on a card (invalid codes, conflicts, duplicates, leaks) show at most this many
/// entries; their counts cover all.
pub const MAX_LISTED: usize = 50;
/// Rows in the sample.
pub const SAMPLE_ROWS: usize = 10;

/// What codes are checked against.
#[derive(Clone, Copy)]
pub struct CardContext<'a> {
    pub hs: &'a Nomenclature,
    /// Taiwan's tariff; without it, codes of 8 to 11 digits are checked against HS 2022 only.
    pub tariff: Option<&'a TwTariff>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DataCard {
    pub rows: usize,
    pub languages: Vec<Count>,
    pub splits: Vec<Count>,
    /// Rows by code length: "2 digits" … "11 digits".
    pub code_lengths: Vec<Count>,
    /// Rows per section and per chapter (rows whose chapter exists), in code order.
    pub sections: Vec<LabelCount>,
    pub chapters: Vec<LabelCount>,
    pub invalid_codes: InvalidCodes,
    pub conflicts: Conflicts,
    pub exact_duplicates: ExactDuplicates,
    pub near_duplicates: NearDuplicates,
    pub leakage: Leakage,
    pub sample: Vec<RowRef>,
    /// How the split and the similarity are defined, in words, for readers of the card.
    pub method: Method,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Count {
    pub label: String,
    pub rows: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelCount {
    /// Section numeral ("XVI") or chapter code ("84").
    pub label: String,
    pub title: String,
    pub rows: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvalidCodes {
    pub rows: usize,
    /// Distinct invalid codes.
    pub codes: usize,
    /// Whether 8- to 11-digit codes were checked against Taiwan's tariff.
    pub national_tariff_checked: bool,
    pub examples: Vec<InvalidCode>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvalidCode {
    pub code: String,
    pub reason: String,
    pub rows: usize,
    /// The first few row ids.
    pub ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflicts {
    /// Normalised texts labelled with codes that disagree (neither a prefix of the other).
    pub texts: usize,
    pub rows: usize,
    pub examples: Vec<Conflict>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub text: String,
    pub codes: Vec<CodeRows>,
}

/// A code with the rows that carry it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeRows {
    pub code: String,
    pub rows: usize,
    pub ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExactDuplicates {
    /// Groups of rows with the same normalised text and the same code.
    pub groups: usize,
    /// Rows beyond the first of each group: what removing duplicates would remove.
    pub extra_rows: usize,
    pub examples: Vec<DuplicateGroup>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DuplicateGroup {
    pub text: String,
    pub code: String,
    pub ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearDuplicates {
    pub threshold: f64,
    /// Pairs of distinct normalised texts whose key terms reach the threshold.
    pub pairs: usize,
    pub examples: Vec<PairRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Leakage {
    pub threshold: f64,
    /// Near-duplicate pairs whose texts fell into different splits.
    pub pairs: usize,
    /// Rows whose text is in such a pair.
    pub rows: usize,
    pub examples: Vec<PairRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairRef {
    pub a: RowRef,
    pub b: RowRef,
    pub similarity: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowRef {
    pub id: String,
    pub text: String,
    pub code: String,
    pub split: Split,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Method {
    pub split: String,
    pub similarity: String,
}

/// A card and the split of every row (in the rows' order), to store beside them.
pub struct Computed {
    pub card: DataCard,
    pub splits: Vec<Split>,
}

/// What the card needs of each row, computed once.
pub(crate) struct Analysed {
    pub normalised: String,
    pub terms: BTreeSet<String>,
    pub split: Split,
}

/// Computes the card. `progress(done, total)` hears about the per-row analysis, the bulk of
/// the work; the comparisons between texts follow it.
pub fn compute_card(
    rows: &[LabelledRow],
    ctx: CardContext<'_>,
    threshold: f64,
    progress: &mut dyn FnMut(usize, usize),
) -> Computed {
    let mut analysed = Vec::with_capacity(rows.len());
    let mut languages: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        *languages.entry(language(&row.text).as_str()).or_default() += 1;
        let terms = key_terms(&row.text);
        analysed.push(Analysed {
            normalised: normalised(&row.text),
            split: split_of_terms(&terms),
            terms,
        });
        if (i + 1) % 500 == 0 {
            progress(i + 1, rows.len());
        }
    }
    progress(rows.len(), rows.len());
    let splits: Vec<Split> = analysed.iter().map(|a| a.split).collect();
    let texts = findings::Texts::group(rows, &analysed);
    let (near_duplicates, leakage) = texts.similar(rows, &analysed, threshold);
    let card = DataCard {
        rows: rows.len(),
        languages: ["en", "zh"]
            .iter()
            .map(|l| Count {
                label: l.to_string(),
                rows: languages.get(l).copied().unwrap_or(0),
            })
            .collect(),
        splits: [Split::Train, Split::Dev, Split::Test]
            .iter()
            .map(|s| Count {
                label: s.as_str().into(),
                rows: splits.iter().filter(|x| *x == s).count(),
            })
            .collect(),
        code_lengths: code_lengths(rows),
        sections: sections(rows, ctx.hs),
        chapters: chapters(rows, ctx.hs),
        invalid_codes: invalid_codes(rows, ctx),
        conflicts: texts.conflicts(rows),
        exact_duplicates: texts.exact_duplicates(rows),
        near_duplicates,
        leakage,
        sample: sample(rows, &splits),
        method: Method {
            split: "80 % train, 10 % dev, 10 % test by the first four bytes of the sha256 of the text's key: its distinct English stems (stop words dropped), or for Chinese its distinct characters, sorted and joined by spaces. Texts with the same key share a split.".into(),
            similarity: format!(
                "Jaccard similarity of two texts' key terms, at least {threshold}, computed exactly over all pairs of distinct normalised texts (prefix filtering)."
            ),
        },
    };
    Computed { card, splits }
}

fn code_lengths(rows: &[LabelledRow]) -> Vec<Count> {
    let mut by_len: BTreeMap<usize, usize> = BTreeMap::new();
    for r in rows {
        *by_len.entry(r.code.len()).or_default() += 1;
    }
    by_len
        .into_iter()
        .map(|(len, rows)| Count {
            label: format!("{len} digits"),
            rows,
        })
        .collect()
}

/// The chapter node of a code, when its first two digits name one.
fn chapter_of<'a>(code: &str, hs: &'a Nomenclature) -> Option<&'a nomenclature::Node> {
    let chapter = HsCode::parse(code.get(..2)?).ok()?;
    hs.get(&chapter)
}

fn sections(rows: &[LabelledRow], hs: &Nomenclature) -> Vec<LabelCount> {
    let mut counts: BTreeMap<u8, usize> = BTreeMap::new();
    for r in rows {
        if let Some(section) = chapter_of(&r.code, hs).and_then(|n| n.section) {
            *counts.entry(section.number()).or_default() += 1;
        }
    }
    hs.sections()
        .iter()
        .filter_map(|s| {
            let rows = *counts.get(&s.number.number())?;
            Some(LabelCount {
                label: s.number.roman().into(),
                title: s.title.clone(),
                rows,
            })
        })
        .collect()
}

fn chapters(rows: &[LabelledRow], hs: &Nomenclature) -> Vec<LabelCount> {
    let mut counts: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
    for r in rows {
        if let Some(node) = chapter_of(&r.code, hs) {
            let entry = counts
                .entry(node.code.as_str())
                .or_insert((0, node.description.as_str()));
            entry.0 += 1;
        }
    }
    counts
        .into_iter()
        .map(|(chapter, (rows, title))| LabelCount {
            label: chapter.into(),
            title: title.into(),
            rows,
        })
        .collect()
}

/// Why a code is not valid, or `None` when it is: codes of 2 to 6 digits must be HS 2022
/// codes; longer ones need an HS 2022 subheading as their first six digits and, when the
/// tariff is given, a line of Taiwan's tariff starting with them (11 digits: that line,
/// check digit included).
pub fn code_problem(code: &str, ctx: CardContext<'_>) -> Option<String> {
    if code.len() <= 6 {
        return match HsCode::parse(code) {
            Err(_) => Some("not a 2-, 4- or 6-digit HS code".into()),
            Ok(c) if ctx.hs.get(&c).is_none() => Some(format!("{} is not in HS 2022", c.dotted())),
            Ok(_) => None,
        };
    }
    let hs6 = HsCode::parse(&code[..6]).ok()?;
    match ctx.hs.get(&hs6) {
        Some(n) if n.level() == Level::Subheading => {}
        _ => return Some(format!("subheading {} is not in HS 2022", hs6.dotted())),
    }
    let tariff = ctx.tariff?;
    if code.len() == 11
        && let Err(e) = CccCode::parse(code)
    {
        return Some(format!("not a Taiwan tariff code: {e}"));
    }
    (!tariff.has_prefix(code)).then(|| "no line of the Taiwan tariff starts with it".into())
}

fn invalid_codes(rows: &[LabelledRow], ctx: CardContext<'_>) -> InvalidCodes {
    let mut by_code: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for r in rows {
        by_code.entry(&r.code).or_default().push(&r.id);
    }
    let mut invalid: Vec<InvalidCode> = by_code
        .into_iter()
        .filter_map(|(code, ids)| {
            Some(InvalidCode {
                reason: code_problem(code, ctx)?,
                code: code.into(),
                rows: ids.len(),
                ids: ids.iter().take(5).map(|s| s.to_string()).collect(),
            })
        })
        .collect();
    // The codes that touch the most rows first.
    invalid.sort_by(|a, b| b.rows.cmp(&a.rows).then(a.code.cmp(&b.code)));
    InvalidCodes {
        rows: invalid.iter().map(|c| c.rows).sum(),
        codes: invalid.len(),
        national_tariff_checked: ctx.tariff.is_some(),
        examples: invalid.into_iter().take(MAX_LISTED).collect(),
    }
}

/// Rows spread evenly over the version.
fn sample(rows: &[LabelledRow], splits: &[Split]) -> Vec<RowRef> {
    let step = rows.len().div_ceil(SAMPLE_ROWS).max(1);
    (0..rows.len())
        .step_by(step)
        .map(|i| row_ref(rows, splits[i], i))
        .collect()
}

pub(crate) fn row_ref(rows: &[LabelledRow], split: Split, i: usize) -> RowRef {
    RowRef {
        id: rows[i].id.clone(),
        text: rows[i].text.clone(),
        code: rows[i].code.clone(),
        split,
    }
}

//! The loaded tariff: lines, indexes by HS6 and by 8-digit tariff number, and the tree walk
//! HS6 → tariff numbers → 11-digit lines.

pub(crate) mod load;

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::Path;

use nomenclature::HsCode;
use sha2::{Digest, Sha256};

use crate::csvio::{LoadError, read_all, read_file};
use crate::labels::{Labels, TreeEntry, TreeLevel, ZhName, ZhSource};
use crate::{CccCode, Column, DutyCell, UnitCode};
pub use load::{HEADER, Hs6Set, NATIONAL_CHAPTER, TARIFF_FILE, search_form};

/// One 11-digit line of the tariff. Display texts are kept as the file has them (full-width
/// digits included); `search_*` hold their NFKC, lower-cased forms.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TariffLine {
    pub code: CccCode,
    pub description_zh: String,
    pub description_en: String,
    pub search_zh: String,
    pub search_en: String,
    /// The three duty cells as written, by [`Column::index`].
    pub duty_text: [String; 3],
    pub duty: [DutyCell; 3],
    pub unit_qty: Option<UnitCode>,
    pub unit_weight: Option<UnitCode>,
    pub levy_rules: Vec<String>,
    pub import_regulations: Vec<String>,
    pub export_regulations: Vec<String>,
}

impl TariffLine {
    pub fn duty(&self, column: Column) -> &DutyCell {
        &self.duty[column.index()]
    }

    pub fn duty_text(&self, column: Column) -> &str {
        &self.duty_text[column.index()]
    }
}

/// The whole tariff, validated. Build it with [`TwTariff::load`] or [`TwTariff::from_reader`].
#[derive(Debug, Clone)]
pub struct TwTariff {
    lines: Vec<TariffLine>,
    by_code: HashMap<CccCode, usize>,
    by_hs6: BTreeMap<HsCode, Vec<usize>>,
    by_tariff_no: BTreeMap<String, Vec<usize>>,
    labels: Labels,
    digest: String,
}

/// One HS6 in the tree walk, with its national subdivisions.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Hs6Node<'a> {
    pub hs6: HsCode,
    pub name_zh: Option<ZhName>,
    /// The dash group above the subheading in the 2020 tree ("馬︰" / "Horses :"), if any.
    pub group: Option<&'a TreeEntry>,
    pub tariff_numbers: Vec<TariffNumberNode<'a>>,
}

/// One 8-digit tariff number and its statistical lines.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TariffNumberNode<'a> {
    pub tariff_no: &'a str,
    /// The 2020 tree's label for this number, when the number existed in 2020.
    pub label: Option<&'a TreeEntry>,
    pub lines: Vec<&'a TariffLine>,
}

/// `<data_dir>/tariffs/tw`.
pub(crate) fn tw_dir(data_dir: &Path) -> std::path::PathBuf {
    data_dir.join("tariffs").join("tw")
}

impl TwTariff {
    /// Loads the tariff and its labels from `<data_dir>/tariffs/tw/`, checking HS6 codes
    /// against the HS 2022 nomenclature in `<data_dir>/harmonized-system/`.
    pub fn load(data_dir: &Path) -> Result<TwTariff, LoadError> {
        let hs = nomenclature::load_dir(data_dir)?;
        TwTariff::load_with(data_dir, &hs)
    }

    /// As [`TwTariff::load`], with an HS code set the caller already has.
    pub fn load_with(data_dir: &Path, hs: &dyn Hs6Set) -> Result<TwTariff, LoadError> {
        let bytes = read_file(&tw_dir(data_dir).join(TARIFF_FILE))?;
        let tariff = TwTariff::from_bytes(&bytes, hs)?;
        Ok(tariff.with_labels(Labels::load(data_dir)?))
    }

    /// Reads a tariff CSV (same columns as the 2025 file) without labels.
    pub fn from_reader(r: impl Read, hs: &dyn Hs6Set) -> Result<TwTariff, LoadError> {
        TwTariff::from_bytes(&read_all(r, TARIFF_FILE)?, hs)
    }

    pub fn from_bytes(bytes: &[u8], hs: &dyn Hs6Set) -> Result<TwTariff, LoadError> {
        let lines = load::read_lines(bytes, hs)?;
        let mut by_code = HashMap::new();
        let mut by_hs6: BTreeMap<HsCode, Vec<usize>> = BTreeMap::new();
        let mut by_tariff_no: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, line) in lines.iter().enumerate() {
            by_code.insert(line.code, i);
            by_hs6.entry(line.code.hs6()).or_default().push(i);
            by_tariff_no
                .entry(line.code.tariff_no().to_string())
                .or_default()
                .push(i);
        }
        Ok(TwTariff {
            lines,
            by_code,
            by_hs6,
            by_tariff_no,
            labels: Labels::default(),
            digest: hex::encode(Sha256::digest(bytes)),
        })
    }

    pub fn with_labels(mut self, labels: Labels) -> TwTariff {
        self.labels = labels;
        self
    }

    /// sha256 of the tariff file: it names the edition exactly.
    pub fn digest(&self) -> &str {
        &self.digest
    }

    /// All lines, in file order.
    pub fn lines(&self) -> &[TariffLine] {
        &self.lines
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn labels(&self) -> &Labels {
        &self.labels
    }

    pub fn get(&self, code: &CccCode) -> Option<&TariffLine> {
        self.by_code.get(code).map(|&i| &self.lines[i])
    }

    /// Lines under an HS6 code, in code order.
    pub fn by_hs6(&self, hs6: &HsCode) -> Vec<&TariffLine> {
        self.pick(self.by_hs6.get(hs6))
    }

    /// Lines under an 8-digit tariff number.
    pub fn by_tariff_no(&self, tariff_no: &str) -> Vec<&TariffLine> {
        self.pick(self.by_tariff_no.get(tariff_no))
    }

    fn pick(&self, idx: Option<&Vec<usize>>) -> Vec<&TariffLine> {
        idx.map_or_else(Vec::new, |v| v.iter().map(|&i| &self.lines[i]).collect())
    }

    /// Every HS6 code with lines, in order (national chapter 98 included).
    pub fn hs6_codes(&self) -> impl Iterator<Item = &HsCode> {
        self.by_hs6.keys()
    }

    /// Every 8-digit tariff number, in order.
    pub fn tariff_numbers(&self) -> impl Iterator<Item = &str> {
        self.by_tariff_no.keys().map(String::as_str)
    }

    /// Whether any line starts with these digits (6, 8 or 11 of them, or any other prefix).
    /// Dots, spaces and full-width digits are allowed; an input without digits matches nothing.
    pub fn has_prefix(&self, code: &str) -> bool {
        let digits: String = search_form(code)
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        if digits.is_empty() {
            return false;
        }
        let key = &digits[..digits.len().min(8)];
        self.by_tariff_no
            .range(key.to_string()..)
            .take_while(|(k, _)| k.starts_with(key))
            .flat_map(|(_, idx)| idx.iter())
            .any(|&i| self.lines[i].code.as_str().starts_with(&digits))
    }

    /// The tree below one HS6 code, or `None` when the tariff has no line there.
    pub fn walk_hs6(&self, hs6: &HsCode) -> Option<Hs6Node<'_>> {
        let idx = self.by_hs6.get(hs6)?;
        let mut numbers: Vec<TariffNumberNode<'_>> = Vec::new();
        for &i in idx {
            let line = &self.lines[i];
            let no = line.code.tariff_no();
            match numbers.last_mut() {
                Some(node) if node.tariff_no == no => node.lines.push(line),
                _ => numbers.push(TariffNumberNode {
                    tariff_no: no,
                    label: self
                        .labels
                        .tree_entry(no)
                        .filter(|e| e.level == TreeLevel::TariffNo),
                    lines: vec![line],
                }),
            }
        }
        let group = self
            .labels
            .tree_entry(hs6.as_str())
            .and_then(|e| e.parent.as_deref())
            .and_then(|p| self.labels.tree_entry(p))
            .filter(|e| e.level == TreeLevel::Group);
        Some(Hs6Node {
            hs6: hs6.clone(),
            name_zh: self.zh_name(hs6),
            group,
            tariff_numbers: numbers,
        })
    }

    /// The zh-TW name of an HS 2022 code (2, 4 or 6 digits). When the data has none, the
    /// names of the code's tariff lines are joined (at most three, then "…"), flagged as
    /// derived. `None` only when neither exists.
    pub fn zh_name(&self, code: &HsCode) -> Option<ZhName> {
        if let Some(name) = self.labels.zh_name(code) {
            return Some(name);
        }
        let mut texts: Vec<&str> = Vec::new();
        for (_, idx) in self
            .by_hs6
            .range(code.clone()..)
            .take_while(|(k, _)| k.starts_with(code))
        {
            for &i in idx {
                let zh = self.lines[i].description_zh.as_str();
                if !texts.contains(&zh) {
                    texts.push(zh);
                }
            }
        }
        if texts.is_empty() {
            return None;
        }
        let more = texts.len() > 3;
        texts.truncate(3);
        let mut text = texts.join("；");
        if more {
            text.push_str("；…");
        }
        Some(ZhName {
            text,
            source: ZhSource::DerivedFromLines,
        })
    }
}

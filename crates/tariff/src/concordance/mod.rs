//! One HS6, four national tariffs side by side: Taiwan, the United States, the United Kingdom
//! and the European Union. The foreign files get light validation only (columns present, codes
//! well formed, no duplicates); their rates stay text, since each country writes them its own
//! way.

mod eu;
mod uk;
mod us;

use std::collections::BTreeMap;
use std::path::Path;

use nomenclature::HsCode;

use crate::csvio::{LoadError, read_file};
use crate::{Column, TwTariff};

/// A rate column of a national line, named as its schedule names it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NamedRate {
    pub name: &'static str,
    pub text: String,
    /// True when the line has no rate of its own and this one is its ancestor's (US).
    pub inherited: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NationalLine {
    /// Digits only.
    pub code: String,
    pub description: String,
    pub description_zh: Option<String>,
    pub rates: Vec<NamedRate>,
}

/// Which schedule a column of the comparison comes from, and how old it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Country {
    Tw,
    Us,
    Uk,
    Eu,
}

impl Country {
    pub fn edition(self) -> &'static str {
        match self {
            Country::Tw => "Customs Import Tariff 2025 (HS 2022)",
            Country::Us => "HTSUS 2026 Revision 10 (effective 2026-06-08)",
            Country::Uk => "UK Global Tariff of 2021-01-01 (CN 2020 codes, HS 2017 basis)",
            Country::Eu => "Combined Nomenclature 2026 (descriptions only)",
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct SideBySide {
    pub hs6: HsCode,
    pub tw: Vec<NationalLine>,
    pub us: Vec<NationalLine>,
    pub uk: Vec<NationalLine>,
    pub eu: Vec<NationalLine>,
    /// Caveats that apply to this comparison.
    pub notes: Vec<String>,
}

/// Lines of one foreign schedule, indexed by their first six digits.
#[derive(Debug, Clone, Default)]
pub(crate) struct Schedule {
    lines: Vec<NationalLine>,
    by_hs6: BTreeMap<String, Vec<usize>>,
}

impl Schedule {
    pub(crate) fn push(&mut self, line: NationalLine) {
        let hs6 = line.code[..6].to_string();
        self.by_hs6.entry(hs6).or_default().push(self.lines.len());
        self.lines.push(line);
    }

    fn under(&self, hs6: &HsCode) -> Vec<NationalLine> {
        self.by_hs6.get(hs6.as_str()).map_or_else(Vec::new, |v| {
            v.iter().map(|&i| self.lines[i].clone()).collect()
        })
    }

    pub(crate) fn len(&self) -> usize {
        self.lines.len()
    }
}

/// The US, UK and EU schedules; Taiwan's comes from a [`TwTariff`].
#[derive(Debug, Clone, Default)]
pub struct Concordance {
    us: Schedule,
    uk: Schedule,
    eu: Schedule,
}

pub const US_FILE: &str = "us_hts_2026_rev10.csv";
pub const UK_FILE: &str = "uk_global_tariff_2021.csv";
pub const EU_FILE: &str = "eu_cn_2026.csv";

/// Chapters that are national everywhere (98) or hold additional duties (99 in the US): their
/// six digits mean different things in each schedule, so they are never compared.
const NATIONAL_CHAPTERS: [&str; 2] = ["98", "99"];

impl Concordance {
    /// Reads `<data_dir>/tariffs/{us,uk,eu}/…`.
    pub fn load(data_dir: &Path) -> Result<Concordance, LoadError> {
        let dir = data_dir.join("tariffs");
        Concordance::from_bytes(
            &read_file(&dir.join("us").join(US_FILE))?,
            &read_file(&dir.join("uk").join(UK_FILE))?,
            &read_file(&dir.join("eu").join(EU_FILE))?,
        )
    }

    pub fn from_bytes(us: &[u8], uk: &[u8], eu: &[u8]) -> Result<Concordance, LoadError> {
        let uk_lines = uk::read(uk)?;
        let eu_lines = eu::read(eu, &uk_lines)?;
        Ok(Concordance {
            us: us::read(us)?,
            uk: uk_lines,
            eu: eu_lines,
        })
    }

    /// Line counts: US, UK, EU.
    pub fn counts(&self) -> [usize; 3] {
        [self.us.len(), self.uk.len(), self.eu.len()]
    }

    pub fn side_by_side(&self, tw: &TwTariff, hs6: &HsCode) -> SideBySide {
        let tw_lines = tw
            .by_hs6(hs6)
            .into_iter()
            .map(|l| NationalLine {
                code: l.code.as_str().to_string(),
                description: l.description_en.clone(),
                description_zh: Some(l.description_zh.clone()),
                rates: Column::ALL
                    .iter()
                    .map(|&c| NamedRate {
                        name: [
                            "column 1 (WTO)",
                            "column 2 (preferential)",
                            "column 3 (general)",
                        ][c.index()],
                        text: l.duty_text(c).to_string(),
                        inherited: false,
                    })
                    .collect(),
            })
            .collect();
        let mut notes = vec![
            format!("UK: {}; its codes may not match HS 2022.", Country::Uk.edition()),
            format!(
                "EU: {}; the EU rate shown is the 2020 CET from the UK file, where the CN8 code is unchanged.",
                Country::Eu.edition()
            ),
            "US: 10-digit lines without rates show their 8-digit parent's (marked inherited); Chapter 99 additional duties are not applied.".to_string(),
        ];
        let national = NATIONAL_CHAPTERS.contains(&hs6.chapter().as_str());
        if national {
            notes.push(format!(
                "Chapter {} is national in each schedule; only Taiwan's lines are shown.",
                hs6.chapter()
            ));
        }
        let foreign = |s: &Schedule| if national { vec![] } else { s.under(hs6) };
        SideBySide {
            hs6: hs6.clone(),
            tw: tw_lines,
            us: foreign(&self.us),
            uk: foreign(&self.uk),
            eu: foreign(&self.eu),
            notes,
        }
    }
}

/// Digits only, of the given length, else an error message.
pub(crate) fn digits(raw: &str, lengths: &[usize]) -> Result<String, String> {
    let d = raw.trim();
    if d.bytes().all(|b| b.is_ascii_digit()) && lengths.contains(&d.len()) {
        Ok(d.to_string())
    } else {
        Err(format!("{raw:?} is not a code of {lengths:?} digits"))
    }
}

#[cfg(test)]
mod tests;

//! Chinese and English labels around the tariff: zh-TW names for HS 2022 codes
//! (`hs2022_zh_tw.csv`) and the 2020 national tree with its dash groups
//! (`tw_nomenclature_tree_2020.csv`).

use std::collections::HashMap;
use std::path::Path;

use nomenclature::HsCode;

use crate::csvio::{LoadError, columns, flag, invalid, read_file, reader, records};

pub const ZH_NAMES_FILE: &str = "hs2022_zh_tw.csv";
pub const TREE_FILE: &str = "tw_nomenclature_tree_2020.csv";

/// Where a zh-TW name came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ZhSource {
    /// The 2020 national tree (HS 2017 wording; a code whose scope changed keeps it).
    Tw2020Tree,
    /// The 中文貨名 of the code's only tariff line in the 2025 tariff.
    SingleTariffLine,
    /// No name in the data: the zh texts of the code's tariff lines, joined by this crate.
    DerivedFromLines,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct ZhName {
    pub text: String,
    pub source: ZhSource,
}

/// One row of the 2020 tree.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TreeEntry {
    /// S01..S21, or 2, 4, 5 (dash group), 6 or 8 digits.
    pub code: String,
    pub level: TreeLevel,
    pub parent: Option<String>,
    pub description_zh: String,
    pub description_en: String,
    pub in_hs2022: Option<bool>,
    pub in_tw2025_tariff: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TreeLevel {
    Section,
    Chapter,
    Heading,
    /// A dash group: an uncoded text between a heading and its subheadings, keyed by 5 digits.
    Group,
    Subheading,
    TariffNo,
}

impl TreeLevel {
    fn parse(s: &str) -> Option<(TreeLevel, usize)> {
        Some(match s {
            "section" => (TreeLevel::Section, 3),
            "chapter" => (TreeLevel::Chapter, 2),
            "heading" => (TreeLevel::Heading, 4),
            "group" => (TreeLevel::Group, 5),
            "subheading" => (TreeLevel::Subheading, 6),
            "tariff_no" => (TreeLevel::TariffNo, 8),
            _ => return None,
        })
    }
}

/// Both label files. Empty when a tariff is built from a reader alone.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    zh: HashMap<HsCode, (String, ZhSource)>,
    en_hs2022: HashMap<HsCode, String>,
    tree: HashMap<String, TreeEntry>,
}

impl Labels {
    /// Reads both files from `<data_dir>/tariffs/tw/`.
    pub fn load(data_dir: &Path) -> Result<Labels, LoadError> {
        let dir = crate::tariff::tw_dir(data_dir);
        Labels::from_bytes(
            &read_file(&dir.join(ZH_NAMES_FILE))?,
            &read_file(&dir.join(TREE_FILE))?,
        )
    }

    pub fn from_bytes(zh_names_csv: &[u8], tree_csv: &[u8]) -> Result<Labels, LoadError> {
        let (zh, en_hs2022) = read_zh_names(zh_names_csv)?;
        let tree = read_tree(tree_csv)?;
        Ok(Labels {
            zh,
            en_hs2022,
            tree,
        })
    }

    /// The zh-TW name the data gives an HS 2022 code, if any.
    pub fn zh_name(&self, code: &HsCode) -> Option<ZhName> {
        self.zh.get(code).map(|(text, source)| ZhName {
            text: text.clone(),
            source: *source,
        })
    }

    /// The HS 2022 English description from the same file.
    pub fn en_hs2022(&self, code: &HsCode) -> Option<&str> {
        self.en_hs2022.get(code).map(String::as_str)
    }

    /// A tree row by code ("01012" for a dash group, "01012100" for a tariff number).
    pub fn tree_entry(&self, code: &str) -> Option<&TreeEntry> {
        self.tree.get(code)
    }

    /// The tree rows above `code`, nearest first.
    pub fn tree_ancestors(&self, code: &str) -> Vec<&TreeEntry> {
        let mut out = Vec::new();
        let mut next = self.tree.get(code).and_then(|e| e.parent.as_deref());
        while let Some(parent) = next {
            let Some(entry) = self.tree.get(parent) else {
                break;
            };
            out.push(entry);
            next = entry.parent.as_deref();
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.zh.is_empty() && self.tree.is_empty()
    }
}

type ZhMaps = (HashMap<HsCode, (String, ZhSource)>, HashMap<HsCode, String>);

fn read_zh_names(bytes: &[u8]) -> Result<ZhMaps, LoadError> {
    let file = ZH_NAMES_FILE;
    let mut r = reader(bytes);
    let [c_code, c_level, c_en, c_zh, c_source] = columns(
        &mut r,
        file,
        [
            "hscode",
            "level",
            "description_en_hs2022",
            "description_zh_tw",
            "zh_source",
        ],
    )?;
    let (mut zh, mut en) = (HashMap::new(), HashMap::new());
    for row in records(&mut r, file) {
        let (line, rec) = row?;
        let field = |i: usize| rec.get(i).unwrap_or("").trim();
        // The HS source's grand-total aggregate, not a code.
        if field(c_code) == "TOTAL" {
            continue;
        }
        let code = HsCode::parse(field(c_code))
            .map_err(|e| invalid(file, line, format!("bad hscode: {e}")))?;
        if field(c_level) != code.level().digits().to_string() {
            return Err(invalid(
                file,
                line,
                format!("level {:?} does not fit code {code}", field(c_level)),
            ));
        }
        if en.insert(code.clone(), field(c_en).to_string()).is_some() {
            return Err(invalid(file, line, format!("code {code} appears twice")));
        }
        let source = match field(c_source) {
            "tw2020_note8" => Some(ZhSource::Tw2020Tree),
            "tw2025_single_tariff_line" => Some(ZhSource::SingleTariffLine),
            "" => None,
            other => return Err(invalid(file, line, format!("unknown zh_source {other:?}"))),
        };
        match (source, field(c_zh)) {
            (None, "") => {}
            (Some(source), text) if !text.is_empty() => {
                zh.insert(code, (text.to_string(), source));
            }
            _ => {
                return Err(invalid(
                    file,
                    line,
                    "a zh name and its source must be both present or both empty",
                ));
            }
        }
    }
    Ok((zh, en))
}

fn read_tree(bytes: &[u8]) -> Result<HashMap<String, TreeEntry>, LoadError> {
    let file = TREE_FILE;
    let mut r = reader(bytes);
    let [c_code, c_level, c_parent, c_zh, c_en, c_hs, c_tw] = columns(
        &mut r,
        file,
        [
            "code",
            "level",
            "parent",
            "description_zh",
            "description_en",
            "code_in_hs2022",
            "code_in_tw2025_tariff",
        ],
    )?;
    let mut out: HashMap<String, TreeEntry> = HashMap::new();
    let mut lines = Vec::new();
    for row in records(&mut r, file) {
        let (line, rec) = row?;
        let field = |i: usize| rec.get(i).unwrap_or("").trim();
        let code = field(c_code).to_string();
        let (level, len) = TreeLevel::parse(field(c_level))
            .ok_or_else(|| invalid(file, line, format!("unknown level {:?}", field(c_level))))?;
        let shape_ok = match level {
            TreeLevel::Section => {
                code.len() == 3
                    && code.starts_with('S')
                    && code[1..].parse::<u8>().is_ok_and(|n| (1..=21).contains(&n))
            }
            _ => code.len() == len && code.bytes().all(|b| b.is_ascii_digit()),
        };
        if !shape_ok {
            return Err(invalid(
                file,
                line,
                format!("{code:?} is not a {level:?} code"),
            ));
        }
        let parent = Some(field(c_parent).to_string()).filter(|p| !p.is_empty());
        if let Some(p) = &parent
            && !(code.starts_with(p.as_str()) && p.len() < code.len())
        {
            return Err(invalid(
                file,
                line,
                format!("parent {p} does not prefix {code}"),
            ));
        }
        let entry = TreeEntry {
            code: code.clone(),
            level,
            parent,
            description_zh: field(c_zh).to_string(),
            description_en: field(c_en).to_string(),
            in_hs2022: flag(file, line, field(c_hs))?,
            in_tw2025_tariff: flag(file, line, field(c_tw))?,
        };
        if out.insert(code.clone(), entry).is_some() {
            return Err(invalid(file, line, format!("code {code} appears twice")));
        }
        lines.push((line, code));
    }
    for (line, code) in lines {
        if let Some(p) = &out[&code].parent
            && !out.contains_key(p)
        {
            return Err(invalid(
                file,
                line,
                format!("parent {p} of {code} is missing"),
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZH: &str = "section,hscode,level,parent,description_en_hs2022,description_zh_tw,zh_source\n\
        I,01,2,TOTAL,Animals; live,第１章　活動物,tw2020_note8\n\
        I,0101,4,01,Horses,馬、驢、騾及駃騠,tw2020_note8\n\
        I,010121,6,0101,Horses; pure-bred,純種繁殖用,tw2020_note8\n\
        I,0309,4,03,Flours,,\n\
        TOTAL,TOTAL,5,TOTAL,Total,,\n";
    const TREE: &str = "code,level,parent,description_zh,description_en,code_in_hs2022,code_in_tw2025_tariff\n\
        S01,section,,第１類,SECTION I,,\n\
        01,chapter,,第１章,Chapter 1,yes,yes\n\
        0101,heading,01,馬,Horses,yes,yes\n\
        01012,group,0101,馬︰,Horses :,,yes\n\
        010121,subheading,01012,純種繁殖用,Pure-bred,yes,yes\n\
        01012100,tariff_no,010121,馬，純種繁殖用,\"Live horses, pure-bred\",,yes\n";

    #[test]
    fn reads_both_files() {
        let labels = Labels::from_bytes(ZH.as_bytes(), TREE.as_bytes()).unwrap();
        let c = |s| HsCode::parse(s).unwrap();
        assert_eq!(labels.zh_name(&c("0101")).unwrap().text, "馬、驢、騾及駃騠");
        assert!(labels.zh_name(&c("0309")).is_none());
        assert_eq!(labels.en_hs2022(&c("0309")), Some("Flours"));
        let ancestors: Vec<_> = labels
            .tree_ancestors("01012100")
            .iter()
            .map(|e| e.code.as_str())
            .collect();
        assert_eq!(ancestors, ["010121", "01012", "0101", "01"]);
        assert_eq!(labels.tree_entry("01012").unwrap().level, TreeLevel::Group);
    }

    #[test]
    fn rejects_bad_rows() {
        let dup = format!("{ZH}I,0101,4,01,Horses,馬,tw2020_note8\n");
        let err = Labels::from_bytes(dup.as_bytes(), TREE.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("line 7"), "{err}");
        let orphan = format!("{TREE}01019000,tariff_no,010190,騾,Mules,,yes\n");
        let err = Labels::from_bytes(ZH.as_bytes(), orphan.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("010190"), "{err}");
        let half = ZH.replace("純種繁殖用,tw2020_note8", "純種繁殖用,");
        assert!(Labels::from_bytes(half.as_bytes(), TREE.as_bytes()).is_err());
    }
}

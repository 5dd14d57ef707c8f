//! Reads `harmonized-system.csv` and `sections.csv` into a [`Nomenclature`], validating every
//! row. The result is all or nothing: a single bad row rejects the whole load.

use std::collections::HashMap;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::{HsCode, Level, Node, Nomenclature, Section, SectionNumber};

pub const HS_FILE: &str = "harmonized-system.csv";
pub const SECTIONS_FILE: &str = "sections.csv";
/// Where the files live inside a data directory.
pub const HS_SUBDIR: &str = "harmonized-system";

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{file} line {line}: {message}")]
    Invalid {
        file: &'static str,
        line: u64,
        message: String,
    },
}

fn invalid(file: &'static str, line: u64, message: impl Into<String>) -> LoadError {
    LoadError::Invalid {
        file,
        line,
        message: message.into(),
    }
}

/// Loads `<data_dir>/harmonized-system/{harmonized-system,sections}.csv`.
pub fn load_dir(data_dir: &Path) -> Result<Nomenclature, LoadError> {
    let dir = data_dir.join(HS_SUBDIR);
    let read = |name: &str| {
        let path = dir.join(name);
        std::fs::read(&path).map_err(|source| LoadError::Io {
            path: path.display().to_string(),
            source,
        })
    };
    load_from_bytes(&read(HS_FILE)?, &read(SECTIONS_FILE)?)
}

/// Loads from the raw bytes of the two files (fixtures, tests, embedded copies).
pub fn load_from_bytes(hs_csv: &[u8], sections_csv: &[u8]) -> Result<Nomenclature, LoadError> {
    let mut hasher = Sha256::new();
    hasher.update(hs_csv);
    hasher.update(sections_csv);
    let digest = hex::encode(hasher.finalize());

    let section_titles = read_sections(strip_bom(sections_csv))?;
    let nodes = read_codes(strip_bom(hs_csv), &section_titles)?;
    assemble(nodes, section_titles, digest)
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Maps the header's column names to positions, failing on a missing column.
fn columns<const N: usize>(
    reader: &mut csv::Reader<&[u8]>,
    file: &'static str,
    wanted: [&str; N],
) -> Result<[usize; N], LoadError> {
    let headers = reader
        .headers()
        .map_err(|e| invalid(file, 1, format!("unreadable header: {e}")))?
        .clone();
    let mut out = [0; N];
    for (slot, name) in out.iter_mut().zip(wanted) {
        *slot = headers
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| invalid(file, 1, format!("missing column {name:?}")))?;
    }
    Ok(out)
}

fn records(
    reader: &mut csv::Reader<&[u8]>,
    file: &'static str,
) -> impl Iterator<Item = Result<(u64, csv::StringRecord), LoadError>> {
    reader.records().map(move |r| match r {
        Ok(rec) => Ok((rec.position().map_or(0, |p| p.line()), rec)),
        Err(e) => {
            let line = e.position().map_or(0, |p| p.line());
            Err(invalid(file, line, format!("malformed CSV: {e}")))
        }
    })
}

fn read_sections(bytes: &[u8]) -> Result<Vec<(SectionNumber, String)>, LoadError> {
    let file = SECTIONS_FILE;
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
    let [c_section, c_name] = columns(&mut reader, file, ["section", "name"])?;
    let mut out: Vec<(SectionNumber, String)> = Vec::new();
    for row in records(&mut reader, file) {
        let (line, rec) = row?;
        let raw = rec.get(c_section).unwrap_or("");
        let number = SectionNumber::parse(raw).ok_or_else(|| {
            invalid(
                file,
                line,
                format!("{raw:?} is not a section numeral I-XXI"),
            )
        })?;
        if out.iter().any(|(n, _)| *n == number) {
            return Err(invalid(
                file,
                line,
                format!("section {number} appears twice"),
            ));
        }
        let title = rec.get(c_name).unwrap_or("").trim();
        if title.is_empty() {
            return Err(invalid(file, line, format!("section {number} has no name")));
        }
        out.push((number, capitalise(title)));
    }
    if out.len() != SectionNumber::COUNT as usize {
        return Err(invalid(
            file,
            0,
            format!("expected 21 sections, found {}", out.len()),
        ));
    }
    out.sort_by_key(|(n, _)| *n);
    Ok(out)
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Rows as read, with the line each came from, before the links are checked.
struct Row {
    line: u64,
    node: Node,
}

/// The source's grand-total aggregate row (`TOTAL,TOTAL,...,TOTAL,5`) is not a code.
fn is_grand_total(code: &str, level: &str) -> bool {
    code == "TOTAL" && level == "5"
}

fn read_codes(bytes: &[u8], sections: &[(SectionNumber, String)]) -> Result<Vec<Row>, LoadError> {
    let file = HS_FILE;
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
    let [c_section, c_code, c_desc, c_parent, c_level] = columns(
        &mut reader,
        file,
        ["section", "hscode", "description", "parent", "level"],
    )?;
    let mut rows = Vec::new();
    for row in records(&mut reader, file) {
        let (line, rec) = row?;
        let field = |i: usize| rec.get(i).unwrap_or("").trim();
        let (raw_code, raw_level) = (field(c_code), field(c_level));
        if is_grand_total(raw_code, raw_level) {
            continue;
        }
        if !raw_code.chars().all(|c| c.is_ascii_digit()) {
            return Err(invalid(
                file,
                line,
                format!("code {raw_code:?} is not all digits"),
            ));
        }
        let code = HsCode::parse(raw_code)
            .map_err(|e| invalid(file, line, format!("code {raw_code:?}: {e}")))?;
        let level_digits: usize = raw_level
            .parse()
            .map_err(|_| invalid(file, line, format!("level {raw_level:?} is not a number")))?;
        if level_digits != code.level().digits() {
            return Err(invalid(
                file,
                line,
                format!(
                    "code {code} has {} digits but level {raw_level}",
                    code.as_str().len()
                ),
            ));
        }
        let raw_parent = field(c_parent);
        let parent = match code.parent() {
            None if raw_parent == "TOTAL" => None,
            None => {
                return Err(invalid(
                    file,
                    line,
                    format!("chapter {code} must have parent TOTAL, not {raw_parent:?}"),
                ));
            }
            Some(expected) if raw_parent == expected.as_str() => Some(expected),
            Some(expected) => {
                return Err(invalid(
                    file,
                    line,
                    format!("{code} has parent {raw_parent:?}, expected {expected}"),
                ));
            }
        };
        let raw_section = field(c_section);
        let section = if raw_section == "TOTAL" && code.chapter().as_str() == "99" {
            None
        } else {
            let s = SectionNumber::parse(raw_section).ok_or_else(|| {
                invalid(file, line, format!("section {raw_section:?} is not I-XXI"))
            })?;
            if !sections.iter().any(|(n, _)| *n == s) {
                return Err(invalid(
                    file,
                    line,
                    format!("section {s} is not in {SECTIONS_FILE}"),
                ));
            }
            Some(s)
        };
        let description = field(c_desc).to_string();
        if description.is_empty() {
            return Err(invalid(file, line, format!("{code} has no description")));
        }
        rows.push(Row {
            line,
            node: Node {
                code,
                description,
                section,
                parent,
                children: Vec::new(),
            },
        });
    }
    Ok(rows)
}

fn assemble(
    mut rows: Vec<Row>,
    section_titles: Vec<(SectionNumber, String)>,
    digest: String,
) -> Result<Nomenclature, LoadError> {
    let file = HS_FILE;
    if rows.is_empty() {
        return Err(invalid(file, 0, "no codes"));
    }
    rows.sort_by(|a, b| a.node.code.cmp(&b.node.code));
    let mut index = HashMap::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        if index.insert(row.node.code.clone(), i).is_some() {
            return Err(invalid(
                file,
                row.line,
                format!("code {} appears twice", row.node.code),
            ));
        }
    }
    // Every parent must exist and share the child's section.
    let mut children: Vec<(usize, HsCode)> = Vec::new();
    for row in &rows {
        let Some(parent) = &row.node.parent else {
            continue;
        };
        let Some(&p) = index.get(parent) else {
            return Err(invalid(
                file,
                row.line,
                format!(
                    "{} names parent {parent}, which does not exist",
                    row.node.code
                ),
            ));
        };
        if rows[p].node.section != row.node.section {
            return Err(invalid(
                file,
                row.line,
                format!(
                    "{} is in a different section from its parent {parent}",
                    row.node.code
                ),
            ));
        }
        children.push((p, row.node.code.clone()));
    }
    for (p, child) in children {
        rows[p].node.children.push(child);
    }
    let nodes: Vec<Node> = rows.into_iter().map(|r| r.node).collect();
    let sections = section_titles
        .into_iter()
        .map(|(number, title)| Section {
            number,
            title,
            chapters: nodes
                .iter()
                .filter(|n| n.level() == Level::Chapter && n.section == Some(number))
                .map(|n| n.code.clone())
                .collect(),
        })
        .collect();
    Ok(Nomenclature {
        sections,
        nodes,
        index,
        digest,
    })
}

//! `us_hts_2026_rev10.csv`: the HTSUS in source order. Rates sit on 8-digit rows (or combined
//! 10-digit ones); other 10-digit rows inherit them, and superior text rows carry no number.

use std::collections::HashSet;

use super::{NamedRate, NationalLine, Schedule, US_FILE, digits};
use crate::csvio::{LoadError, columns, invalid, reader, records};

struct Row {
    code: String,
    description: String,
    parent: Option<usize>,
    rates: [String; 3],
}

const RATE_NAMES: [&str; 3] = ["general (MFN)", "special", "column 2"];

pub(super) fn read(bytes: &[u8]) -> Result<Schedule, LoadError> {
    let file = US_FILE;
    let mut r = reader(bytes);
    let [
        c_id,
        c_parent,
        c_htsno,
        c_code,
        c_len,
        c_desc,
        c_gen,
        c_spec,
        c_other,
    ] = columns(
        &mut r,
        file,
        [
            "row_id",
            "parent_row_id",
            "htsno",
            "code",
            "code_length",
            "description",
            "general",
            "special",
            "other",
        ],
    )?;
    let mut rows: Vec<Row> = Vec::new();
    let mut seen = HashSet::new();
    for rec in records(&mut r, file) {
        let (line, rec) = rec?;
        let f = |i: usize| rec.get(i).unwrap_or("").trim();
        if f(c_id) != (rows.len() + 1).to_string() {
            return Err(invalid(
                file,
                line,
                format!("row_id {:?} is out of sequence", f(c_id)),
            ));
        }
        let parent = match f(c_parent) {
            "" => None,
            p => match p.parse::<usize>() {
                Ok(n) if (1..=rows.len()).contains(&n) => Some(n - 1),
                _ => {
                    return Err(invalid(
                        file,
                        line,
                        format!("parent_row_id {p:?} is not an earlier row"),
                    ));
                }
            },
        };
        let code = f(c_code).to_string();
        if code != f(c_htsno).replace('.', "")
            || f(c_len)
                != if code.is_empty() {
                    String::new()
                } else {
                    code.len().to_string()
                }
        {
            return Err(invalid(file, line, "code, htsno and code_length disagree"));
        }
        if !code.is_empty() {
            digits(&code, &[4, 6, 8, 10]).map_err(|m| invalid(file, line, m))?;
            if !seen.insert(code.clone()) {
                return Err(invalid(file, line, format!("code {code} appears twice")));
            }
        }
        rows.push(Row {
            code,
            description: f(c_desc).to_string(),
            parent,
            rates: [f(c_gen), f(c_spec), f(c_other)].map(str::to_string),
        });
    }
    let mut out = Schedule::default();
    for row in rows.iter().filter(|r| r.code.len() >= 8) {
        out.push(NationalLine {
            code: row.code.clone(),
            description: context(&rows, row),
            description_zh: None,
            rates: rates(&rows, row),
        });
    }
    Ok(out)
}

/// The line's text with the texts above it down from the 6-digit level, since many US lines
/// read just "Other" or "Males".
fn context(rows: &[Row], row: &Row) -> String {
    let mut parts = vec![row.description.as_str()];
    let mut next = row.parent;
    while let Some(i) = next {
        let p = &rows[i];
        if !p.code.is_empty() && p.code.len() <= 6 {
            break;
        }
        parts.push(p.description.as_str());
        next = p.parent;
    }
    parts.reverse();
    parts.join(" — ")
}

fn rates(rows: &[Row], row: &Row) -> Vec<NamedRate> {
    let has = |r: &Row| r.rates.iter().any(|t| !t.is_empty());
    let (source, inherited) = if has(row) {
        (Some(row), false)
    } else {
        let mut next = row.parent;
        let mut found = None;
        while let Some(i) = next {
            if has(&rows[i]) {
                found = Some(&rows[i]);
                break;
            }
            next = rows[i].parent;
        }
        (found, true)
    };
    source.map_or_else(Vec::new, |s| {
        RATE_NAMES
            .iter()
            .zip(&s.rates)
            .map(|(name, text)| NamedRate {
                name,
                text: text.clone(),
                inherited,
            })
            .collect()
    })
}

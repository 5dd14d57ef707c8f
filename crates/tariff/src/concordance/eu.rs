//! `eu_cn_2026.csv`: the Combined Nomenclature 2026, descriptions only. Its CN8 lines borrow
//! the 2020 CET rate from the UK file where that file has the same 8-digit code.

use std::collections::{HashMap, HashSet};

use super::uk::CET_NAME;
use super::{EU_FILE, NamedRate, NationalLine, Schedule, digits};
use crate::csvio::{LoadError, columns, invalid, reader, records};

pub(super) fn read(bytes: &[u8], uk: &Schedule) -> Result<Schedule, LoadError> {
    let file = EU_FILE;
    let cet: HashMap<&str, &NamedRate> = uk
        .lines
        .iter()
        .filter(|l| l.code.len() == 8)
        .filter_map(|l| {
            Some((
                l.code.as_str(),
                l.rates.iter().find(|r| r.name == CET_NAME)?,
            ))
        })
        .collect();
    let mut r = reader(bytes);
    let [c_code, c_level, c_hs6, c_desc] =
        columns(&mut r, file, ["code", "level", "hs6", "description_en"])?;
    let mut out = Schedule::default();
    let mut seen = HashSet::new();
    for rec in records(&mut r, file) {
        let (line, rec) = rec?;
        let f = |i: usize| rec.get(i).unwrap_or("").trim();
        if f(c_level) != "cn8" {
            continue;
        }
        let code = digits(f(c_code), &[8]).map_err(|m| invalid(file, line, m))?;
        if f(c_hs6) != &code[..6] {
            return Err(invalid(
                file,
                line,
                format!("hs6 {:?} does not prefix {code}", f(c_hs6)),
            ));
        }
        if !seen.insert(code.clone()) {
            return Err(invalid(file, line, format!("code {code} appears twice")));
        }
        let rates = cet
            .get(code.as_str())
            .map_or_else(Vec::new, |r| vec![(*r).clone()]);
        out.push(NationalLine {
            code,
            description: f(c_desc).to_string(),
            description_zh: None,
            rates,
        });
    }
    Ok(out)
}

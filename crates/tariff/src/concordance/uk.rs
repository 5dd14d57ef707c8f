//! `uk_global_tariff_2021.csv`: UK Global Tariff leaf lines (CN 2020 codes) with the UKGT
//! rate and the EU's 2020 CET rate.

use std::collections::HashSet;

use super::{NamedRate, NationalLine, Schedule, UK_FILE, digits};
use crate::csvio::{LoadError, columns, invalid, reader, records};

pub(super) const CET_NAME: &str = "EU CET 2020 (from the UK file)";

pub(super) fn read(bytes: &[u8]) -> Result<Schedule, LoadError> {
    let file = UK_FILE;
    let mut r = reader(bytes);
    let [c_code, c_len, c_desc, c_ukgt, c_cet] = columns(
        &mut r,
        file,
        [
            "code",
            "code_length",
            "description_en",
            "ukgt_duty_rate",
            "eu_cet_duty_rate_2020",
        ],
    )?;
    let mut out = Schedule::default();
    let mut seen = HashSet::new();
    for rec in records(&mut r, file) {
        let (line, rec) = rec?;
        let f = |i: usize| rec.get(i).unwrap_or("").trim();
        let code = digits(f(c_code), &[8, 10]).map_err(|m| invalid(file, line, m))?;
        if f(c_len) != code.len().to_string() {
            return Err(invalid(file, line, "code_length does not match the code"));
        }
        if !seen.insert(code.clone()) {
            return Err(invalid(file, line, format!("code {code} appears twice")));
        }
        let rate = |name, text: &str| NamedRate {
            name,
            text: text.to_string(),
            inherited: false,
        };
        out.push(NationalLine {
            code,
            description: f(c_desc).to_string(),
            description_zh: None,
            rates: vec![rate("UKGT", f(c_ukgt)), rate(CET_NAME, f(c_cet))],
        });
    }
    Ok(out)
}

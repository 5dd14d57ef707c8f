//! `customs tariff …` and `customs duty`: Taiwan's national tariff from the terminal.

use std::path::Path;

use anyhow::Context;
use tariff::{CccCode, Column, DutyInput, OriginPolicy, Quantity, TwTariff, UnitCode};

use crate::{BadInput, NotFound};

fn load(data_dir: &Path) -> anyhow::Result<TwTariff> {
    TwTariff::load(data_dir)
        .with_context(|| format!("loading the Taiwan tariff from {}", data_dir.display()))
}

/// Parses every duty cell of the tariff file and reports those it cannot read (exit 1).
pub fn check(data_dir: &Path) -> anyhow::Result<()> {
    let report = tariff::check::check_dir(data_dir)
        .with_context(|| format!("reading the Taiwan tariff under {}", data_dir.display()))?;
    println!(
        "{} lines, {} duty cells, {} parsed, {} empty column-2 cells of national chapter 98",
        report.rows, report.duty_cells, report.duty_cells_parsed, report.empty_col2_national
    );
    for p in &report.problems {
        println!("line {} {}: {:?}: {}", p.line, p.column, p.text, p.reason);
    }
    if report.is_ok() {
        println!("every cell parses");
        Ok(())
    } else {
        Err(NotFound(format!("{} cells do not parse", report.problems.len())).into())
    }
}

fn ccc(code: &str) -> Result<CccCode, BadInput> {
    let digits: String = tariff::search_form(code)
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    match digits.len() {
        10 => CccCode::from_stat_no(&digits),
        _ => CccCode::parse(code),
    }
    .map_err(|e| BadInput(format!("{code}: {e}")))
}

/// A line with its names, rates, units and regulations, or the lines under a 6- or 8-digit
/// code.
pub fn show(data_dir: &Path, code: &str) -> anyhow::Result<()> {
    let t = load(data_dir)?;
    let digits: String = tariff::search_form(code)
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    let lines = match digits.len() {
        6 => t.by_hs6(&nomenclature::HsCode::parse(&digits).map_err(|e| BadInput(e.to_string()))?),
        8 => t.by_tariff_no(&digits),
        10 | 11 => t.get(&ccc(code)?).into_iter().collect(),
        _ => return Err(BadInput(format!("{code}: give 6, 8, 10 or 11 digits")).into()),
    };
    if lines.is_empty() {
        return Err(NotFound(format!("no tariff line under {code}")).into());
    }
    for line in lines {
        println!("{}  {}", line.code.dotted(), line.description_zh);
        println!("{:17}{}", "", line.description_en);
        for c in Column::ALL {
            println!(
                "{:17}{} (column {}): {}",
                "",
                c.name_zh(),
                c.number(),
                line.duty_text(c)
            );
        }
        let unit = |u: Option<UnitCode>| u.map_or("—".to_string(), |u| u.describe());
        println!(
            "{:17}units: {} / {}; import rules: {}; export rules: {}",
            "",
            unit(line.unit_qty),
            unit(line.unit_weight),
            joined(&line.import_regulations),
            joined(&line.export_regulations)
        );
    }
    Ok(())
}

fn joined(codes: &[String]) -> String {
    if codes.is_empty() {
        "—".into()
    } else {
        codes.join(" ")
    }
}

pub struct DutyArgs<'a> {
    pub code: &'a str,
    pub cif: &'a str,
    pub origin: &'a str,
    pub quantity: Option<&'a str>,
    pub unit: Option<&'a str>,
    pub chinese: bool,
}

/// The duty, business tax and total, every step printed.
pub fn duty(data_dir: &Path, a: &DutyArgs<'_>) -> anyhow::Result<()> {
    let t = load(data_dir)?;
    let code = ccc(a.code)?;
    let line = t
        .get(&code)
        .ok_or_else(|| BadInput(format!("{}: no such line in the tariff", code.dotted())))?;
    let money = |field: &str, text: &str| {
        text.replace(',', "")
            .parse::<tariff::Decimal>()
            .map_err(|_| BadInput(format!("--{field}: a decimal number, not {text:?}")))
    };
    let cif = money("cif", a.cif)?;
    let origin = tariff::CountryCode::parse(a.origin).ok_or_else(|| {
        BadInput(format!(
            "--origin: a two-letter country code, not {:?}",
            a.origin
        ))
    })?;
    let mut quantities = Vec::new();
    if let Some(q) = a.quantity {
        let unit = match a.unit {
            Some(u) => UnitCode::parse(u)
                .or_else(|| UnitCode::from_zh(u))
                .ok_or_else(|| BadInput(format!("--unit: a unit code such as KGM, not {u:?}")))?,
            None => line
                .unit_qty
                .or(line.unit_weight)
                .ok_or_else(|| BadInput("--unit: this line has no unit; name one".into()))?,
        };
        quantities.push(Quantity::new(money("quantity", q)?, unit));
    }
    let input = DutyInput {
        code,
        cif_twd: cif,
        quantities,
        origin,
    };
    let assessment = tariff::calculate_line(line, &input, &OriginPolicy::default())
        .map_err(|e| BadInput(e.to_string()))?;
    println!(
        "{}  {} / {}",
        code.dotted(),
        line.description_zh,
        line.description_en
    );
    for (i, step) in assessment.steps.iter().enumerate() {
        println!(
            "{:>2}. {}",
            i + 1,
            if a.chinese { &step.zh } else { &step.en }
        );
    }
    println!(
        "duty NT${}  business tax NT${}  total NT${}",
        assessment.duty, assessment.business_tax, assessment.total
    );
    Ok(())
}

/// What changed between two editions of the tariff file, and which approved advance
/// rulings name a code the new edition no longer has.
pub fn diff(
    data_dir: &Path,
    old: &Path,
    new: &Path,
    database_url: Option<&str>,
) -> anyhow::Result<()> {
    let hs = nomenclature::load_dir(data_dir)?;
    let read = |p: &Path| -> anyhow::Result<TwTariff> {
        let bytes = std::fs::read(p).with_context(|| format!("reading {}", p.display()))?;
        TwTariff::from_bytes(&bytes, &hs).with_context(|| format!("loading {}", p.display()))
    };
    let (a, b) = (read(old)?, read(new)?);
    let d = tariff::diff(&a, &b);
    println!(
        "{} lines added, {} removed, {} rate changes, {} description or unit changes",
        d.added.len(),
        d.removed.len(),
        d.rate_changes.len(),
        d.field_changes.len()
    );
    for c in d.added.iter().take(50) {
        println!("+ {}", c.dotted());
    }
    for c in d.removed.iter().take(50) {
        println!("- {}", c.dotted());
    }
    for r in d.rate_changes.iter().take(100) {
        println!(
            "~ {} column {}: {} → {}",
            r.code.dotted(),
            r.column.number(),
            r.old,
            r.new
        );
    }
    if let Some(url) = database_url {
        let runtime = tokio::runtime::Runtime::new()?;
        let rulings = runtime.block_on(async {
            anyhow::Ok(
                crate::platform_cmd::open(url)
                    .await?
                    .labelled_examples()
                    .await?,
            )
        })?;
        let codes: Vec<&str> = rulings.iter().map(|r| r.code.as_str()).collect();
        let gone = tariff::flag_codes_gone(&d, &codes);
        for r in rulings.iter().filter(|r| gone.contains(&r.code.as_str())) {
            println!(
                "! ruling {} names {}, which the new edition no longer has",
                r.reference, r.code
            );
        }
        println!(
            "{} of {} approved rulings need review",
            gone.len(),
            rulings.len()
        );
    }
    Ok(())
}

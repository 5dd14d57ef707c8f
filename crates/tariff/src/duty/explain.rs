//! The working of an assessment as human-readable steps, English and Traditional Chinese.

use rust_decimal::Decimal;

use super::{Alternative, ColumnReason, DutyAssessment, DutyInput, Step, quantity_in};
use super::{BUSINESS_TAX_PERCENT, SimpleRate};
use crate::origin::LISTS_AS_OF;
use crate::tariff::TariffLine;
use crate::{Column, Partner, Pick, Rate};

/// "12,500" or "1,234.5": exact digits, thousands grouped, trailing zeros dropped.
pub fn group(amount: Decimal) -> String {
    let text = amount.normalize().to_string();
    let (sign, text) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text, None),
    };
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

fn ntd(amount: Decimal) -> String {
    format!("NT${}", group(amount))
}

fn step(en: String, zh: String) -> Step {
    Step { en, zh }
}

pub(super) fn steps(line: &TariffLine, input: &DutyInput, a: &DutyAssessment) -> Vec<Step> {
    let mut out = vec![step(
        format!(
            "Tariff line {} ({}).",
            line.code.dotted(),
            line.description_en
        ),
        format!(
            "稅則號別 {}（{}）。",
            line.code.dotted(),
            line.description_zh
        ),
    )];
    out.push(column_step(line, a));
    out.push(step(
        format!("The rate in {} is {}.", a.column, a.rate),
        format!("{}稅率為 {}。", a.column.name_zh(), a.rate.to_zh()),
    ));
    out.extend(duty_steps(input, a));
    if a.duty != a.duty_exact {
        out.push(step(
            format!(
                "The duty is rounded to the whole dollar, halves up: {}.",
                ntd(a.duty)
            ),
            format!("關稅元以下四捨五入：{}。", ntd(a.duty)),
        ));
    }
    let base = format!(
        "{} + {} = {}",
        ntd(a.cif_twd),
        ntd(a.duty),
        ntd(a.business_tax_base)
    );
    out.push(step(
        format!(
            "Business tax base = customs value + duty = {base}; business tax = {}% × {} = {} (rounded to the whole dollar, halves up).",
            BUSINESS_TAX_PERCENT,
            group(a.business_tax_base),
            ntd(a.business_tax)
        ),
        format!(
            "營業稅稅基 = 完稅價格 + 關稅 = {base}；營業稅 = {}% × {} = {}（元以下四捨五入）。",
            BUSINESS_TAX_PERCENT,
            group(a.business_tax_base),
            ntd(a.business_tax)
        ),
    ));
    out.push(step(
        format!(
            "Total duty and business tax = {} + {} = {}. Not included: commodity, tobacco and alcohol taxes, surcharges, fees and trade-remedy duties.",
            ntd(a.duty),
            ntd(a.business_tax),
            ntd(a.total)
        ),
        format!(
            "關稅及營業稅合計 = {} + {} = {}。未含貨物稅、菸酒稅、健康福利捐、推廣貿易服務費及反傾銷等稅費。",
            ntd(a.duty),
            ntd(a.business_tax),
            ntd(a.total)
        ),
    ));
    out
}

fn column_step(line: &TariffLine, a: &DutyAssessment) -> Step {
    let o = a.origin;
    let col2 = line.duty_text(Column::Two);
    match a.reason {
        ColumnReason::Column2Partner {
            via: Partner::Country(_),
        } => step(
            format!(
                "Origin {o} is listed in column 2 ({col2}), so the preferential column 2 applies (a proof of origin under the agreement is needed to claim it)."
            ),
            format!("原產地 {o} 列於第二欄（{col2}），適用第二欄優惠稅率（須檢附產地證明）。"),
        ),
        ColumnReason::Column2Partner { via: Partner::Ldcs } => step(
            format!(
                "Origin {o} is a least developed country (UN list as of {LISTS_AS_OF}) and column 2 lists LDCs ({col2}), so column 2 applies."
            ),
            format!(
                "原產地 {o} 為低度開發國家（聯合國名單，{LISTS_AS_OF}），第二欄列有 LDCs（{col2}），適用第二欄稅率。"
            ),
        ),
        ColumnReason::WtoMember => step(
            format!(
                "Origin {o} is not listed in column 2; it is a WTO member (list as of {LISTS_AS_OF}), so column 1 applies."
            ),
            format!(
                "原產地 {o} 未列於第二欄，為世界貿易組織會員（{LISTS_AS_OF}），適用第一欄稅率。"
            ),
        ),
        ColumnReason::Reciprocal => step(
            format!(
                "Origin {o} is not listed in column 2 and is not a WTO member, but treats Taiwan reciprocally, so column 1 applies."
            ),
            format!(
                "原產地 {o} 未列於第二欄，非世界貿易組織會員，惟與我國有互惠待遇，適用第一欄稅率。"
            ),
        ),
        ColumnReason::General => step(
            format!(
                "Origin {o} is not listed in column 2, is not a WTO member (list as of {LISTS_AS_OF}) and has no reciprocal treatment, so the general column 3 applies."
            ),
            format!("原產地 {o} 未列於第二欄，非世界貿易組織會員，亦無互惠待遇，適用第三欄稅率。"),
        ),
    }
}

/// "CIF NT$100,000 × 2.5% = NT$2,500" or "1,250 KGM × NT$10/KGM = NT$12,500".
fn working(input: &DutyInput, part: &SimpleRate, duty: Decimal) -> (String, String) {
    match part {
        SimpleRate::AdValorem { percent } => {
            let s = format!(
                "{} × {}% = {}",
                ntd(input.cif_twd),
                percent.normalize(),
                ntd(duty)
            );
            (format!("customs value {s}"), format!("完稅價格 {s}"))
        }
        SimpleRate::Specific { amount, unit } => {
            let qty = quantity_in(&input.quantities, *unit).unwrap_or_default();
            let exact = input.quantities.iter().any(|q| q.unit == *unit);
            let from = input.quantities.iter().find(|q| q.in_unit(*unit).is_some());
            let converted = match from {
                Some(q) if !exact => {
                    format!(" ({} {} = {} {unit})", group(q.amount), q.unit, group(qty))
                }
                _ => String::new(),
            };
            let s = format!(
                "{} {unit}{converted} × NT${}/{unit} = {}",
                group(qty),
                amount.normalize(),
                ntd(duty)
            );
            (format!("quantity {s}"), format!("數量 {s}"))
        }
    }
}

fn duty_steps(input: &DutyInput, a: &DutyAssessment) -> Vec<Step> {
    match &a.rate {
        Rate::Free => vec![step(
            "The goods are duty free: duty NT$0.".into(),
            "免稅：關稅為 NT$0。".into(),
        )],
        Rate::AdValorem { percent } => {
            let (en, zh) = working(
                input,
                &SimpleRate::AdValorem { percent: *percent },
                a.duty_exact,
            );
            vec![step(format!("Duty = {en}."), format!("關稅 = {zh}。"))]
        }
        Rate::Specific { amount, unit } => {
            let part = SimpleRate::Specific {
                amount: *amount,
                unit: *unit,
            };
            let (en, zh) = working(input, &part, a.duty_exact);
            vec![step(format!("Duty = {en}."), format!("關稅 = {zh}。"))]
        }
        Rate::Compound { pick, .. } => compound_steps(input, *pick, &a.alternatives, a.duty_exact),
    }
}

fn compound_steps(input: &DutyInput, pick: Pick, alts: &[Alternative], duty: Decimal) -> Vec<Step> {
    let mut out = Vec::new();
    for (label, alt) in ["A", "B"].iter().zip(alts) {
        let (en, zh) = working(input, &alt.rate, alt.duty);
        out.push(step(
            format!("Alternative {label} ({}): {en}.", alt.rate),
            format!("方案 {label}（{}）：{zh}。", alt.rate.as_rate().to_zh()),
        ));
    }
    let (en, zh) = match pick {
        Pick::Higher => ("higher", "從高"),
        Pick::Lower => ("lower", "從低"),
    };
    out.push(step(
        format!("The rate charges whichever is {en}: duty {}.", ntd(duty)),
        format!("{zh}徵稅：關稅為 {}。", ntd(duty)),
    ));
    out
}

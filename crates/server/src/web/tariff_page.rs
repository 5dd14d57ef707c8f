//! The national tariff on the web, in the reader's language: chapters → headings →
//! subheadings → 8-digit tariff numbers → 11-digit lines with their duty rates; the
//! concordance with the US, UK and EU; and the duty calculator (a GET form, so a result
//! can be bookmarked and shared).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use nomenclature::Level;
use serde::Deserialize;

use super::i18n::Lang;
use super::layout::{PageCtx, page};
use crate::AppState;
use crate::api::tariff::{
    Amount, ConcordanceResponse, DutyRequest, ForeignView, Names, NodeRef, TariffNode, assess,
    concordance_of, node,
};

fn zh(ctx: &PageCtx) -> bool {
    ctx.lang == Lang::ZhTw
}

/// The reader's language first, the other beneath it.
fn name(ctx: &PageCtx, n: &Names) -> Markup {
    let (first, second) = match (zh(ctx), n.zh.as_deref()) {
        (true, Some(z)) => (z.to_string(), n.en.clone()),
        (_, Some(z)) => (n.en.clone(), z.to_string()),
        (_, None) => (n.en.clone(), String::new()),
    };
    html! {
        span.primary { (first) }
        @if !second.is_empty() && second != first { " " span.secondary lang=(if zh(ctx) { "en" } else { "zh-TW" }) { (second) } }
    }
}

fn dotted(code: &str) -> String {
    match code.len() {
        11 => format!(
            "{}.{}.{}.{}-{}",
            &code[..4],
            &code[4..6],
            &code[6..8],
            &code[8..10],
            &code[10..]
        ),
        8 => format!("{}.{}.{}", &code[..4], &code[4..6], &code[6..]),
        6 => format!("{}.{}", &code[..4], &code[4..]),
        _ => code.to_string(),
    }
}

fn node_link(ctx: &PageCtx, r: &NodeRef) -> Markup {
    html! { a href=(format!("/tariff/{}", r.code)) { span.num { (dotted(&r.code)) } } " " (name(ctx, &r.names)) }
}

fn code_form(ctx: &PageCtx, value: &str) -> Markup {
    html! {
        form method="get" action="/tariff" role="search" {
            label { (if zh(ctx) { "貨品分類號列" } else { "Tariff code" }) " "
                input name="code" value=(value) inputmode="numeric" placeholder="8517.13.00.00-5";
            }
            button type="submit" { (if zh(ctx) { "查詢" } else { "Go" }) }
        }
    }
}

#[derive(Deserialize)]
pub struct RootQuery {
    code: Option<String>,
}

pub async fn root(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<RootQuery>,
) -> Response {
    if let Some(code) = q.code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        let digits: String = tariff::search_form(code)
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        return Redirect::to(&format!("/tariff/{digits}")).into_response();
    }
    let hs = state.index.nomenclature();
    let title = if zh(&ctx) {
        "海關進口稅則"
    } else {
        "Customs Import Tariff"
    };
    let chapters: Vec<NodeRef> = hs
        .nodes()
        .iter()
        .filter(|n| n.level() == Level::Chapter)
        .map(|n| NodeRef {
            code: n.code.as_str().to_string(),
            names: Names {
                en: n.description.clone(),
                zh: state
                    .tariff
                    .as_ref()
                    .and_then(|t| t.tw.zh_name(&n.code))
                    .map(|z| z.text),
            },
            rates: None,
        })
        .collect();
    page(
        &ctx,
        StatusCode::OK,
        title,
        html! {
            h1 { (title) }
            (super::course::lesson_link(&ctx, 2))
            @if state.tariff.is_none() { p.alert { "The national tariff is not loaded on this instance." } }
            (code_form(&ctx, ""))
            ul.codes { @for c in &chapters { li { (node_link(&ctx, c)) } } }
        },
    )
}

fn rates_table(ctx: &PageCtx, n: &TariffNode) -> Markup {
    let Some(line) = &n.line else { return html! {} };
    html! {
        table.rates {
            thead { tr {
                th { (if zh(ctx) { "稅率欄" } else { "Column" }) }
                th { (if zh(ctx) { "稅率" } else { "Rate" }) }
            } }
            tbody { @for r in &line.rates {
                tr {
                    th scope="row" { (["第一欄", "第二欄", "第三欄"][usize::from(r.column - 1)]) " / column " (r.column) }
                    td { (if r.text.is_empty() { "—" } else { &r.text }) @if zh(ctx) && !r.text_zh.is_empty() { br; span.secondary { (r.text_zh) } } }
                }
            } }
        }
        dl {
            dt { (if zh(ctx) { "統計數量單位 / 重量單位" } else { "Statistical units" }) }
            dd { (line.unit_quantity.as_deref().unwrap_or("—")) " / " (line.unit_weight.as_deref().unwrap_or("—")) }
            dt { (if zh(ctx) { "輸入規定" } else { "Import regulations" }) }
            dd { (if line.import_regulations.is_empty() { "—".to_string() } else { line.import_regulations.join(" ") }) }
            dt { (if zh(ctx) { "輸出規定" } else { "Export regulations" }) }
            dd { (if line.export_regulations.is_empty() { "—".to_string() } else { line.export_regulations.join(" ") }) }
        }
        p {
            a.cta href=(format!("/duty?code={}", line.code)) { (if zh(ctx) { "試算稅費" } else { "Work out the duty" }) " →" }
            " "
            a href=(format!("/tariff/{}/concordance", line.hs6)) { (if zh(ctx) { "對照美國、英國、歐盟稅則" } else { "Compare with the US, UK and EU" }) }
        }
    }
}

pub async fn show(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
) -> Response {
    let n = match node(&state, &code) {
        Ok(n) => n,
        Err(p) => {
            let status = StatusCode::from_u16(p.status).unwrap_or(StatusCode::NOT_FOUND);
            return page(
                &ctx,
                status,
                "Tariff",
                html! { h1 { (p.title) } p { (p.detail) } (code_form(&ctx, &code)) },
            );
        }
    };
    let title = format!(
        "{} {}",
        dotted(&n.code),
        if zh(&ctx) {
            n.names.zh.clone().unwrap_or_default()
        } else {
            n.names.en.clone()
        }
    );
    page(
        &ctx,
        StatusCode::OK,
        &title,
        html! {
            nav.breadcrumb aria-label="breadcrumb" { ol {
                li { a href="/tariff" { (if zh(&ctx) { "稅則" } else { "Tariff" }) } }
                @for p in &n.path { li { (node_link(&ctx, p)) } }
            } }
            h1 { span.num { (dotted(&n.code)) } " " (name(&ctx, &n.names)) }
            (super::course::lesson_link(&ctx, 2))
            (rates_table(&ctx, &n))
            @if !n.children.is_empty() {
                ul.codes { @for c in &n.children {
                    li { (node_link(&ctx, c)) @if let Some(r) = &c.rates { " · " span.rate { (r[0]) } } }
                } }
            }
            @if n.level == "subheading" {
                p { a href=(format!("/tariff/{}/concordance", n.code)) { (if zh(&ctx) { "對照美國、英國、歐盟稅則" } else { "Compare with the US, UK and EU" }) } }
            }
            (code_form(&ctx, ""))
        },
    )
}

fn schedule(title: &str, lines: &[ForeignView]) -> Markup {
    html! {
        section.schedule {
            h2 { (title) }
            @if lines.is_empty() { p { "—" } }
            ul { @for l in lines {
                li {
                    span.num { (l.code) } " " (l.description)
                    @if let Some(z) = &l.description_zh { br; span.secondary lang="zh-TW" { (z) } }
                    @for r in &l.rates { br; small { (r.name) ": " (r.text) } }
                }
            } }
        }
    }
}

pub async fn concordance(
    State(state): State<AppState>,
    ctx: PageCtx,
    Path(code): Path<String>,
) -> Response {
    let c: ConcordanceResponse = match concordance_of(&state, &code) {
        Ok(c) => c,
        Err(p) => {
            return page(
                &ctx,
                StatusCode::from_u16(p.status).unwrap_or(StatusCode::NOT_FOUND),
                "Concordance",
                html! { h1 { (p.title) } p { (p.detail) } },
            );
        }
    };
    let title = format!(
        "{} {}",
        dotted(&c.hs6),
        if zh(&ctx) {
            "各國稅則對照"
        } else {
            "national lines compared"
        }
    );
    page(
        &ctx,
        StatusCode::OK,
        &title,
        html! {
            h1 { span.num { (dotted(&c.hs6)) } " " (name(&ctx, &c.names)) }
            (super::course::lesson_link(&ctx, 2))
            div.concordance {
                (schedule("Taiwan 臺灣", &c.tw))
                (schedule("United States", &c.us))
                (schedule("United Kingdom", &c.uk))
                (schedule("European Union", &c.eu))
            }
            @for e in &c.editions { p { small { (e.country) ": " (e.edition) } } }
            @for n in &c.notes { p.note { (n) } }
        },
    )
}

#[derive(Deserialize, Default)]
pub struct DutyQuery {
    code: Option<String>,
    cif: Option<String>,
    origin: Option<String>,
    quantity: Option<String>,
    unit: Option<String>,
}

pub async fn duty(
    State(state): State<AppState>,
    ctx: PageCtx,
    Query(q): Query<DutyQuery>,
) -> Response {
    let z = zh(&ctx);
    let v = |o: &Option<String>| o.clone().unwrap_or_default();
    let filled = q.code.as_deref().is_some_and(|c| !c.trim().is_empty());
    let outcome = filled.then(|| {
        assess(
            &state,
            &DutyRequest {
                code: v(&q.code),
                cif_twd: Amount::Text(v(&q.cif)),
                origin: v(&q.origin),
                quantity: q
                    .quantity
                    .clone()
                    .filter(|s| !s.trim().is_empty())
                    .map(Amount::Text),
                unit: q.unit.clone().filter(|s| !s.trim().is_empty()),
            },
        )
    });
    let title = if z { "稅費試算" } else { "Duty calculator" };
    let status = match &outcome {
        Some(Err(_)) => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::OK,
    };
    page(
        &ctx,
        status,
        title,
        html! {
            h1 { (title) }
            form method="get" action="/duty" class="stack" {
                label { (if z { "貨品分類號列（11 碼）" } else { "CCC code (11 digits)" }) " " input name="code" value=(v(&q.code)) required; }
                label { (if z { "完稅價格 CIF（新臺幣）" } else { "Customs value, CIF (TWD)" }) " " input name="cif" value=(v(&q.cif)) inputmode="decimal" required; }
                label { (if z { "原產地（國家代碼，如 JP）" } else { "Country of origin (ISO code, e.g. JP)" }) " " input name="origin" value=(v(&q.origin)) maxlength="2" required; }
                label { (if z { "數量（從量稅時必填）" } else { "Quantity (for specific rates)" }) " " input name="quantity" value=(v(&q.quantity)) inputmode="decimal"; }
                label { (if z { "單位（如 KGM）" } else { "Unit (e.g. KGM)" }) " " input name="unit" value=(v(&q.unit)); }
                button type="submit" { (if z { "試算" } else { "Calculate" }) }
            }
            @match &outcome {
                Some(Ok(r)) => {
                    section.result aria-live="polite" {
                        h2 { span.num { (dotted(&r.code)) } " " (name(&ctx, &r.names)) }
                        ol.steps { @for s in &r.steps { li { (if z { &s.zh } else { &s.en }) } } }
                        table.totals {
                            tr { th { (if z { "關稅" } else { "Duty" }) } td.money { "NT$ " (r.duty) } }
                            tr { th { (if z { "營業稅" } else { "Business tax" }) } td.money { "NT$ " (r.business_tax) } }
                            tr { th { (if z { "合計" } else { "Total" }) } td.money { strong { "NT$ " (r.total) } } }
                        }
                    }
                }
                Some(Err(p)) => { div.alert role="alert" { (p.detail) } }
                None => {}
            }
        },
    )
}

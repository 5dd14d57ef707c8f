//! Taiwan's national tariff over JSON: the tree from chapter down to 11-digit lines in both
//! languages, the duty calculator and the TW/US/UK/EU concordance. The shapes are the
//! server's; the rules are the `tariff` crate's.

use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use nomenclature::HsCode;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tariff::concordance::NationalLine as ForeignLine;
use tariff::duty::ColumnReason;
use tariff::{
    CccCode, Column, DutyAssessment, DutyInput, NationalTariff, Quantity, TariffLine, UnitCode,
};

use crate::{AppState, Problem};

pub(crate) fn loaded(state: &AppState) -> Result<&Arc<NationalTariff>, Problem> {
    state.tariff.as_ref().ok_or_else(|| {
        Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "The national tariff is not loaded on this instance (no tariffs/tw in the data directory).",
        )
    })
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Names {
    pub en: String,
    pub zh: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ColumnRate {
    /// 1, 2 or 3.
    pub column: u8,
    pub text: String,
    pub text_zh: String,
    /// Column 2: who each rate is for.
    pub partners: Vec<Vec<String>>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LineView {
    pub code: String,
    pub dotted: String,
    pub hs6: String,
    pub tariff_no: String,
    pub names: Names,
    pub rates: Vec<ColumnRate>,
    pub unit_quantity: Option<String>,
    pub unit_weight: Option<String>,
    pub levy_rules: Vec<String>,
    pub import_regulations: Vec<String>,
    pub export_regulations: Vec<String>,
}

pub fn line_view(line: &TariffLine) -> LineView {
    let rates = Column::ALL
        .into_iter()
        .map(|c| {
            let cell = line.duty(c);
            ColumnRate {
                column: c.number(),
                text: line.duty_text(c).to_string(),
                text_zh: cell
                    .entries
                    .iter()
                    .map(|e| e.rate.to_zh())
                    .collect::<Vec<_>>()
                    .join("；"),
                partners: cell
                    .entries
                    .iter()
                    .map(|e| e.partners.iter().map(partner_name).collect())
                    .collect(),
            }
        })
        .collect();
    LineView {
        code: line.code.as_str().to_string(),
        dotted: line.code.dotted(),
        hs6: line.code.hs6().as_str().to_string(),
        tariff_no: line.code.tariff_no().to_string(),
        names: Names {
            en: line.description_en.clone(),
            zh: Some(line.description_zh.clone()),
        },
        rates,
        unit_quantity: line.unit_qty.map(|u| u.as_str().to_string()),
        unit_weight: line.unit_weight.map(|u| u.as_str().to_string()),
        levy_rules: line.levy_rules.clone(),
        import_regulations: line.import_regulations.clone(),
        export_regulations: line.export_regulations.clone(),
    }
}

fn partner_name(p: &tariff::Partner) -> String {
    match p {
        tariff::Partner::Country(c) => c.as_str().to_string(),
        tariff::Partner::Ldcs => "LDCs".into(),
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NodeRef {
    pub code: String,
    pub names: Names,
    /// For an 11-digit line: its three duty columns as printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rates: Option<[String; 3]>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TariffNode {
    /// chapter, heading, subheading, tariff_number or line.
    pub level: &'static str,
    pub code: String,
    pub names: Names,
    /// From the chapter down to the parent.
    pub path: Vec<NodeRef>,
    pub children: Vec<NodeRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<LineView>,
}

fn hs_names(state: &AppState, t: &NationalTariff, code: &HsCode) -> Names {
    let hs = state.index.nomenclature();
    Names {
        en: hs
            .get(code)
            .map(|n| n.description.clone())
            .unwrap_or_default(),
        zh: t.tw.zh_name(code).map(|z| z.text),
    }
}

fn hs_ref(state: &AppState, t: &NationalTariff, code: &HsCode) -> NodeRef {
    NodeRef {
        code: code.as_str().to_string(),
        names: hs_names(state, t, code),
        rates: None,
    }
}

fn line_ref(line: &TariffLine) -> NodeRef {
    NodeRef {
        code: line.code.as_str().to_string(),
        names: Names {
            en: line.description_en.clone(),
            zh: Some(line.description_zh.clone()),
        },
        rates: Some(Column::ALL.map(|c| line.duty_text(c).to_string())),
    }
}

fn tariff_no_ref(t: &NationalTariff, tariff_no: &str) -> NodeRef {
    let label = t.tw.labels().tree_entry(tariff_no);
    let first = t.tw.by_tariff_no(tariff_no).into_iter().next();
    NodeRef {
        code: tariff_no.to_string(),
        names: Names {
            en: label
                .map(|l| l.description_en.clone())
                .or_else(|| first.map(|l| l.description_en.clone()))
                .unwrap_or_default(),
            zh: label
                .map(|l| l.description_zh.clone())
                .or_else(|| first.map(|l| l.description_zh.clone())),
        },
        rates: None,
    }
}

/// Digits only (dots, spaces, dashes and full-width digits allowed).
fn digits_of(code: &str) -> String {
    tariff::search_form(code)
        .chars()
        .filter(char::is_ascii_digit)
        .collect()
}

fn hs_path(state: &AppState, t: &NationalTariff, code: &HsCode) -> Vec<NodeRef> {
    let mut path: Vec<NodeRef> = state
        .index
        .nomenclature()
        .ancestors(code)
        .into_iter()
        .map(|n| hs_ref(state, t, &n.code))
        .collect();
    path.sort_by_key(|r| r.code.len());
    path
}

/// The tariff tree at any code: 2, 4 or 6 digits (HS 2022 with Chinese names), 8 (a tariff
/// number) or 10–11 (a line; 11 digits must carry the right check digit).
pub fn node(state: &AppState, code: &str) -> Result<TariffNode, Problem> {
    let t = loaded(state)?;
    let digits = digits_of(code);
    let hs = state.index.nomenclature();
    let not_found = || Problem::not_found(format!("No tariff code {code}."));
    match digits.len() {
        2 | 4 | 6 => {
            let hs_code = HsCode::parse(&digits).map_err(|_| not_found())?;
            if hs.get(&hs_code).is_none() {
                return Err(not_found());
            }
            let children = if digits.len() == 6 {
                t.tw.tariff_numbers()
                    .filter(|n| n.starts_with(&digits))
                    .map(|n| tariff_no_ref(t, n))
                    .collect()
            } else {
                hs.children(&hs_code)
                    .into_iter()
                    .map(|n| hs_ref(state, t, &n.code))
                    .collect()
            };
            Ok(TariffNode {
                level: ["chapter", "heading", "subheading"][digits.len() / 2 - 1],
                code: digits.clone(),
                names: hs_names(state, t, &hs_code),
                path: hs_path(state, t, &hs_code)
                    .into_iter()
                    .filter(|r| r.code != digits)
                    .collect(),
                children,
                line: None,
            })
        }
        8 => {
            let lines = t.tw.by_tariff_no(&digits);
            let first = lines.first().ok_or_else(not_found)?;
            let hs6 = first.code.hs6();
            let mut path = hs_path(state, t, &hs6);
            path.push(hs_ref(state, t, &hs6));
            let me = tariff_no_ref(t, &digits);
            Ok(TariffNode {
                level: "tariff_number",
                code: digits,
                names: me.names,
                path,
                children: lines.into_iter().map(line_ref).collect(),
                line: None,
            })
        }
        10 | 11 => {
            let ccc = if digits.len() == 10 {
                CccCode::from_stat_no(&digits)
            } else {
                CccCode::parse(&digits)
            }
            .map_err(|e| Problem::new(StatusCode::UNPROCESSABLE_ENTITY, format!("code: {e}.")))?;
            let line = t.tw.get(&ccc).ok_or_else(not_found)?;
            let hs6 = ccc.hs6();
            let mut path = hs_path(state, t, &hs6);
            path.push(hs_ref(state, t, &hs6));
            path.push(tariff_no_ref(t, ccc.tariff_no()));
            let view = line_view(line);
            Ok(TariffNode {
                level: "line",
                code: ccc.as_str().to_string(),
                names: Names {
                    en: view.names.en.clone(),
                    zh: view.names.zh.clone(),
                },
                path,
                children: Vec::new(),
                line: Some(view),
            })
        }
        _ => Err(Problem::bad_request(format!(
            "code: 2, 4, 6, 8, 10 or 11 digits, not {code:?}."
        ))),
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/tariff/{code}",
    tag = "tariff",
    params(("code" = String, Path, description = "2, 4, 6 (HS 2022), 8 (tariff number) or 10–11 digits (CCC line)")),
    responses(
        (status = 200, description = "The node with its names in English and Chinese, its path and children; a line carries its duty rates, units and regulations", body = TariffNode),
        (status = 422, description = "An 11-digit code with a wrong check digit (the message names the expected digit)", body = Problem),
        (status = 404, description = "No such code", body = Problem)
    )
)]
pub async fn show(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<TariffNode>, Problem> {
    node(&state, &code).map(Json)
}

/// Money and quantities arrive as JSON strings ("1234.50") or numbers; either way they are
/// read as exact decimals from their text.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Amount {
    Text(String),
    Number(serde_json::Number),
}

impl Amount {
    fn decimal(&self, field: &str) -> Result<Decimal, Problem> {
        let text = match self {
            Amount::Text(t) => t.trim().replace([',', '_'], ""),
            Amount::Number(n) => n.to_string(),
        };
        text.parse::<Decimal>().map_err(|_| {
            Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!(
                    "{field}: a decimal number such as \"125000\" or \"1234.50\", not {text:?}."
                ),
            )
        })
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct DutyRequest {
    pub code: String,
    /// Customs value (CIF) in TWD, as a string ("125000.50") or a number.
    #[schema(value_type = String)]
    pub cif_twd: Amount,
    pub origin: String,
    #[schema(value_type = Option<String>)]
    pub quantity: Option<Amount>,
    /// The quantity's unit (KGM, TNE, LTR, PCE…); the line's quantity unit by default.
    pub unit: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DutyStep {
    pub en: String,
    pub zh: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DutyAlternative {
    pub rate: String,
    pub duty: String,
    pub chosen: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DutyResponse {
    pub code: String,
    pub names: Names,
    pub origin: String,
    pub column: u8,
    /// column_2_partner, wto_member, reciprocal or general.
    pub column_reason: &'static str,
    pub rate: String,
    pub rate_zh: String,
    pub currency: &'static str,
    pub cif: String,
    pub duty_exact: String,
    pub duty: String,
    pub alternatives: Vec<DutyAlternative>,
    pub business_tax_base: String,
    pub business_tax: String,
    pub total: String,
    pub steps: Vec<DutyStep>,
}

fn duty_response(line: &TariffLine, a: &DutyAssessment) -> DutyResponse {
    let money = |d: Decimal| d.round_dp(2).normalize().to_string();
    DutyResponse {
        code: a.code.as_str().to_string(),
        names: Names {
            en: line.description_en.clone(),
            zh: Some(line.description_zh.clone()),
        },
        origin: a.origin.as_str().to_string(),
        column: a.column.number(),
        column_reason: match a.reason {
            ColumnReason::Column2Partner { .. } => "column_2_partner",
            ColumnReason::WtoMember => "wto_member",
            ColumnReason::Reciprocal => "reciprocal",
            ColumnReason::General => "general",
        },
        rate: a.rate.to_string(),
        rate_zh: a.rate.to_zh(),
        currency: "TWD",
        cif: money(a.cif_twd),
        duty_exact: a.duty_exact.normalize().to_string(),
        duty: money(a.duty),
        alternatives: a
            .alternatives
            .iter()
            .map(|alt| DutyAlternative {
                rate: alt.rate.to_string(),
                duty: money(alt.duty),
                chosen: alt.chosen,
            })
            .collect(),
        business_tax_base: money(a.business_tax_base),
        business_tax: money(a.business_tax),
        total: money(a.total),
        steps: a
            .steps
            .iter()
            .map(|s| DutyStep {
                en: s.en.clone(),
                zh: s.zh.clone(),
            })
            .collect(),
    }
}

fn invalid(detail: String) -> Problem {
    Problem::new(StatusCode::UNPROCESSABLE_ENTITY, detail)
}

/// Checks the request and assesses it; shared by the API, the page and tests.
pub fn assess(state: &AppState, req: &DutyRequest) -> Result<DutyResponse, Problem> {
    let t = loaded(state)?;
    let digits = digits_of(&req.code);
    let code = match digits.len() {
        10 => CccCode::from_stat_no(&digits),
        _ => CccCode::parse(&req.code),
    }
    .map_err(|e| invalid(format!("code: {e}.")))?;
    let line =
        t.tw.get(&code)
            .ok_or_else(|| invalid(format!("code: no line {} in the tariff.", code.dotted())))?;
    let cif = req.cif_twd.decimal("cif_twd")?;
    let origin = tariff::CountryCode::parse(&req.origin).ok_or_else(|| {
        invalid(format!(
            "origin: a two-letter ISO 3166 country code such as US or JP, not {:?}.",
            req.origin
        ))
    })?;
    let mut quantities = Vec::new();
    if let Some(q) = &req.quantity {
        let amount = q.decimal("quantity")?;
        let unit = match req.unit.as_deref() {
            Some(u) => UnitCode::parse(u)
                .or_else(|| UnitCode::from_zh(u))
                .ok_or_else(|| {
                    invalid(format!(
                        "unit: a unit code such as KGM, TNE, LTR or PCE, not {u:?}."
                    ))
                })?,
            None => line.unit_qty.or(line.unit_weight).ok_or_else(|| {
                invalid("unit: this line has no statistical unit; name the quantity's unit.".into())
            })?,
        };
        quantities.push(Quantity::new(amount, unit));
    }
    let input = DutyInput {
        code,
        cif_twd: cif,
        quantities,
        origin,
    };
    let assessment =
        tariff::calculate_line(line, &input, &t.policy).map_err(|e| invalid(format!("{e}.")))?;
    Ok(duty_response(line, &assessment))
}

#[utoipa::path(
    post,
    path = "/api/v1/duty",
    tag = "tariff",
    request_body = DutyRequest,
    responses(
        (status = 200, description = "Which column applies and why, the duty, the 5 % business tax and the total, every step explained in English and Chinese", body = DutyResponse),
        (status = 422, description = "A bad code, amount, origin or unit, or a specific rate without its quantity", body = Problem)
    )
)]
pub async fn duty(
    State(state): State<AppState>,
    body: Result<Json<DutyRequest>, JsonRejection>,
) -> Result<Json<DutyResponse>, Problem> {
    let Json(req) = body.map_err(|e| invalid(format!("The request body: {}", e.body_text())))?;
    assess(&state, &req).map(Json)
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ForeignView {
    pub code: String,
    pub description: String,
    pub description_zh: Option<String>,
    pub rates: Vec<NamedRate>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NamedRate {
    pub name: String,
    pub text: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Edition {
    pub country: &'static str,
    pub edition: &'static str,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ConcordanceResponse {
    pub hs6: String,
    pub names: Names,
    pub editions: Vec<Edition>,
    pub tw: Vec<ForeignView>,
    pub us: Vec<ForeignView>,
    pub uk: Vec<ForeignView>,
    pub eu: Vec<ForeignView>,
    pub notes: Vec<String>,
}

fn foreign(lines: &[ForeignLine]) -> Vec<ForeignView> {
    lines
        .iter()
        .map(|l| ForeignView {
            code: l.code.clone(),
            description: l.description.clone(),
            description_zh: l.description_zh.clone(),
            rates: l
                .rates
                .iter()
                .map(|r| {
                    let name = if r.inherited {
                        format!("{} (from the line above)", r.name)
                    } else {
                        r.name.to_string()
                    };
                    NamedRate {
                        name,
                        text: r.text.clone(),
                    }
                })
                .collect(),
        })
        .collect()
}

pub fn concordance_of(state: &AppState, code: &str) -> Result<ConcordanceResponse, Problem> {
    let t = loaded(state)?;
    let digits = digits_of(code);
    let hs6 = HsCode::parse(digits.get(..6).unwrap_or(&digits))
        .ok()
        .filter(|c| c.as_str().len() == 6 && state.index.nomenclature().get(c).is_some())
        .ok_or_else(|| Problem::not_found(format!("No HS 2022 subheading {code}.")))?;
    let side = match &t.concordance {
        Some(c) => c.side_by_side(&t.tw, &hs6),
        None => tariff::concordance::Concordance::default().side_by_side(&t.tw, &hs6),
    };
    use tariff::concordance::Country;
    Ok(ConcordanceResponse {
        hs6: hs6.as_str().to_string(),
        names: hs_names(state, t, &hs6),
        editions: [
            ("TW", Country::Tw),
            ("US", Country::Us),
            ("UK", Country::Uk),
            ("EU", Country::Eu),
        ]
        .map(|(n, c)| Edition {
            country: n,
            edition: c.edition(),
        })
        .into(),
        tw: foreign(&side.tw),
        us: foreign(&side.us),
        uk: foreign(&side.uk),
        eu: foreign(&side.eu),
        notes: side.notes,
    })
}

#[utoipa::path(
    get,
    path = "/api/v1/tariff/{code}/concordance",
    tag = "tariff",
    params(("code" = String, Path, description = "An HS 2022 subheading (the first six digits of any longer code)")),
    responses((status = 200, description = "The national lines of Taiwan, the US, the UK and the EU side by side, with rates where the data has them", body = ConcordanceResponse))
)]
pub async fn concordance(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<ConcordanceResponse>, Problem> {
    concordance_of(&state, &code).map(Json)
}

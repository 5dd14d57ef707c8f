//! POST /api/v1/classify and POST /api/v1/declarations/check.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::response::{IntoResponse, Response};
use classify::{Classification, DeclarationCheck};
use nomenclature::HsCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::CodeRef;
use crate::limits::{DEFAULT_RESULTS, MAX_CHECK_LINES, MAX_DESCRIPTION_CHARS, MAX_RESULTS};
use crate::{AppState, Problem};

#[derive(Deserialize, ToSchema)]
pub struct ClassifyRequest {
    /// The goods in the user's own words. 1 to 2,000 characters.
    #[schema(example = "freeze dried strawberry slices in 30 g pouches")]
    pub description: String,
    /// How many candidates, 1 to 100 (default 10).
    pub limit: Option<usize>,
}

#[derive(Serialize, ToSchema)]
pub struct Evidence {
    /// subheading, heading, chapter, national line, trade name or example.
    pub source: String,
    pub text: String,
    pub words: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct NearExample {
    pub text: String,
    pub code: String,
    pub score: f32,
}

#[derive(Serialize, ToSchema)]
pub struct LegRank {
    /// lexical or examples.
    pub leg: String,
    pub rank: usize,
    pub score: f32,
}

#[derive(Serialize, ToSchema)]
pub struct Explanation {
    pub matched_words: Vec<String>,
    pub evidence: Vec<Evidence>,
    /// Nearest labelled examples (rulings) carrying this code.
    pub examples: Vec<NearExample>,
    pub legs: Vec<LegRank>,
}

#[derive(Serialize, ToSchema)]
pub struct ClassifyCandidate {
    pub code: String,
    pub dotted: String,
    pub description: String,
    /// Calibrated probability that this is the right subheading.
    pub confidence: f32,
    /// Chapter and heading above it.
    pub path: Vec<CodeRef>,
    pub explanation: Explanation,
    /// The subheading's name in Traditional Chinese, when the national tariff is loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description_zh: Option<String>,
    /// Taiwan's 11-digit lines under the subheading. `decided` marks the line the text
    /// points to (the only line, or one the Chinese index ranks clearly first); otherwise
    /// the answer stays at six digits.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub national_lines: Vec<NationalLineRef>,
}

#[derive(Serialize, ToSchema)]
pub struct NationalLineRef {
    pub code: String,
    pub dotted: String,
    pub description_zh: String,
    pub description_en: String,
    /// The three duty columns as printed.
    pub rates: [String; 3],
    pub decided: bool,
}

#[derive(Serialize, ToSchema)]
pub struct HeadingGroup {
    pub code: String,
    pub dotted: String,
    pub description: String,
    /// Sum of its candidates' confidences.
    pub confidence: f32,
    /// Codes of its candidates, best first.
    pub candidates: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ClassifyResponse {
    pub description: String,
    /// too_vague, low_confidence, code_typed, no_match, not_english.
    pub flags: Vec<String>,
    pub reasons: Vec<String>,
    pub candidates: Vec<ClassifyCandidate>,
    pub headings: Vec<HeadingGroup>,
    /// The trained model version that answered ("none": the legs without a trained head).
    pub model: String,
}

fn checked_description(text: &str) -> Result<String, Problem> {
    let t = text.trim();
    if t.is_empty() {
        return Err(Problem::bad_request("Describe the goods in `description`."));
    }
    let n = t.chars().count();
    if n > MAX_DESCRIPTION_CHARS {
        return Err(Problem::bad_request(format!(
            "The description has {n} characters; the limit is {MAX_DESCRIPTION_CHARS}."
        )));
    }
    Ok(t.to_string())
}

fn json_problem(e: JsonRejection) -> Response {
    Problem::new(e.status(), e.body_text()).into_response()
}

pub(crate) fn classification_dto(
    state: &AppState,
    description: String,
    r: Classification,
    model: String,
) -> ClassifyResponse {
    let hs = state.index.nomenclature();
    let candidates: Vec<ClassifyCandidate> = r
        .candidates
        .into_iter()
        .map(|c| ClassifyCandidate {
            code: c.code.to_string(),
            dotted: c.code.dotted(),
            description: hs
                .get(&c.code)
                .map(|n| n.description.clone())
                .unwrap_or_default(),
            confidence: c.probability,
            path: hs
                .ancestors(&c.code)
                .into_iter()
                .map(CodeRef::from)
                .collect(),
            explanation: Explanation {
                matched_words: c.explanation.matched_words,
                evidence: c
                    .explanation
                    .evidence
                    .into_iter()
                    .map(|e| Evidence {
                        source: e.source.to_string(),
                        text: e.text,
                        words: e.words,
                    })
                    .collect(),
                examples: c
                    .explanation
                    .examples
                    .into_iter()
                    .map(|e| NearExample {
                        text: e.text,
                        code: e.code.to_string(),
                        score: e.score,
                    })
                    .collect(),
                legs: c
                    .legs
                    .into_iter()
                    .map(|l| LegRank {
                        leg: l.leg.as_str().into(),
                        rank: l.rank,
                        score: l.score,
                    })
                    .collect(),
            },
            description_zh: zh_name(state, &c.code),
            national_lines: national_lines(state, &c.code, &[]),
        })
        .collect();
    let headings = heading_groups(hs, &candidates);
    ClassifyResponse {
        description,
        flags: r.flags.iter().map(|f| f.as_str().to_string()).collect(),
        reasons: r.reasons,
        candidates,
        headings,
        model,
    }
}

/// Candidates grouped by heading, heaviest first.
fn heading_groups(
    hs: &nomenclature::Nomenclature,
    candidates: &[ClassifyCandidate],
) -> Vec<HeadingGroup> {
    let mut headings: Vec<HeadingGroup> = Vec::new();
    for c in candidates {
        let Some(heading) = HsCode::parse(&c.code).ok().and_then(|c| c.parent()) else {
            continue;
        };
        match headings.iter_mut().find(|h| h.code == heading.as_str()) {
            Some(h) => {
                h.confidence += c.confidence;
                h.candidates.push(c.code.clone());
            }
            None => headings.push(HeadingGroup {
                code: heading.to_string(),
                dotted: heading.dotted(),
                description: hs
                    .get(&heading)
                    .map(|n| n.description.clone())
                    .unwrap_or_default(),
                confidence: c.confidence,
                candidates: vec![c.code.clone()],
            }),
        }
    }
    headings.sort_by(|a, b| b.confidence.total_cmp(&a.confidence));
    headings
}

fn zh_name(state: &AppState, code: &HsCode) -> Option<String> {
    state
        .tariff
        .as_ref()
        .and_then(|t| t.tw.zh_name(code))
        .map(|z| z.text)
}

/// A line decides when it is the only one, or when the Chinese index scores it at least
/// this much above the next.
const DECIDING_MARGIN: f32 = 1.25;

/// Taiwan's lines under `hs6`, the `matched` ones (best first, with scores) before the rest.
fn national_lines(
    state: &AppState,
    hs6: &HsCode,
    matched: &[(tariff::CccCode, f32)],
) -> Vec<NationalLineRef> {
    let Some(t) = &state.tariff else {
        return Vec::new();
    };
    let all = t.tw.by_hs6(hs6);
    let mut ordered: Vec<&tariff::TariffLine> = matched
        .iter()
        .filter_map(|(code, _)| t.tw.get(code))
        .collect();
    for line in &all {
        if !ordered.iter().any(|l| l.code == line.code) {
            ordered.push(line);
        }
    }
    let decided = match (all.len(), matched) {
        (1, _) => Some(all[0].code),
        (_, [(best, a), (_, b), ..]) if *a >= DECIDING_MARGIN * b.max(f32::EPSILON) => Some(*best),
        (_, [(best, a)]) if *a > 0.0 => Some(*best),
        _ => None,
    };
    ordered
        .into_iter()
        .map(|l| NationalLineRef {
            code: l.code.as_str().to_string(),
            dotted: l.code.dotted(),
            description_zh: l.description_zh.clone(),
            description_en: l.description_en.clone(),
            rates: tariff::Column::ALL.map(|c| l.duty_text(c).to_string()),
            decided: decided == Some(l.code),
        })
        .collect()
}

/// A Chinese description, answered from the national tariff's Chinese index.
fn chinese_dto(
    state: &AppState,
    description: String,
    found: Vec<classify::ZhCandidate>,
) -> ClassifyResponse {
    let hs = state.index.nomenclature();
    let candidates: Vec<ClassifyCandidate> = found
        .into_iter()
        .enumerate()
        .map(|(rank, c)| {
            let best_line = c
                .lines
                .first()
                .and_then(|(code, _)| state.tariff.as_ref()?.tw.get(code))
                .map(|l| l.description_zh.clone())
                .unwrap_or_default();
            ClassifyCandidate {
                code: c.hs6.to_string(),
                dotted: c.hs6.dotted(),
                description: hs
                    .get(&c.hs6)
                    .map(|n| n.description.clone())
                    .unwrap_or_default(),
                confidence: c.probability,
                path: hs
                    .ancestors(&c.hs6)
                    .into_iter()
                    .map(CodeRef::from)
                    .collect(),
                explanation: Explanation {
                    matched_words: c.matched.clone(),
                    evidence: vec![Evidence {
                        source: "tw_tariff".into(),
                        text: best_line,
                        words: c.matched.clone(),
                    }],
                    examples: Vec::new(),
                    legs: vec![LegRank {
                        leg: "zh_lexical".into(),
                        rank: rank + 1,
                        score: c.lines.first().map_or(0.0, |l| l.1),
                    }],
                },
                description_zh: zh_name(state, &c.hs6),
                national_lines: national_lines(state, &c.hs6, &c.lines),
            }
        })
        .collect();
    let mut flags = vec!["chinese".to_string()];
    let mut reasons =
        vec!["Read as Chinese: ranked against the Taiwan tariff's Chinese texts.".to_string()];
    if candidates.is_empty() {
        flags.push("no_match".into());
        reasons.push("No tariff text matched these words.".into());
    } else if candidates[0].confidence < 0.5 {
        flags.push("low_confidence".into());
    }
    let headings = heading_groups(hs, &candidates);
    ClassifyResponse {
        description,
        flags,
        reasons,
        candidates,
        headings,
        model: state.classifier.model_version(),
    }
}

/// Runs the classifier off the async threads: it is CPU work.
pub(crate) async fn run_classify(
    state: &AppState,
    description: String,
    limit: usize,
) -> ClassifyResponse {
    if let Some(leg) = state
        .chinese
        .clone()
        .filter(|_| classify::is_chinese(&description))
    {
        let text = description.clone();
        let found = tokio::task::spawn_blocking(move || leg.classify(&text, limit))
            .await
            .unwrap_or_default();
        state.metrics.classifications.inc();
        return chinese_dto(state, description, found);
    }
    let classifier = state.classifier.current();
    let model = classifier
        .head()
        .map_or_else(|| "none".to_string(), |h| h.meta().version.clone());
    let text = description.clone();
    let (platform, index) = (state.platform.clone(), state.index.clone());
    let result = tokio::task::spawn_blocking(move || {
        let result = classifier.classify(&text, limit);
        if let Some(platform) = platform {
            // Counted in memory for the open usage statistics; stored later, off this path.
            let top = result.candidates.first().map(|c| c.code.to_string());
            platform
                .usage
                .record(index.nomenclature(), &text, top.as_deref());
        }
        result
    })
    .await
    .unwrap_or_default();
    state.metrics.classifications.inc();
    classification_dto(state, description, result, model)
}

#[utoipa::path(
    post,
    path = "/api/v1/classify",
    tag = "classification",
    request_body = ClassifyRequest,
    responses(
        (status = 200, description = "Ranked subheadings with calibrated confidence and explanations", body = ClassifyResponse),
        (status = 400, description = "Empty or over-long description, malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "JSON of the wrong shape", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn classify(
    State(state): State<AppState>,
    body: Result<Json<ClassifyRequest>, JsonRejection>,
) -> Response {
    let Json(req) = match body {
        Ok(b) => b,
        Err(e) => return json_problem(e),
    };
    let description = match checked_description(&req.description) {
        Ok(d) => d,
        Err(p) => return p.into_response(),
    };
    let limit = req.limit.unwrap_or(DEFAULT_RESULTS);
    if !(1..=MAX_RESULTS).contains(&limit) {
        return Problem::bad_request(format!("`limit` must be between 1 and {MAX_RESULTS}."))
            .into_response();
    }
    Json(run_classify(&state, description, limit).await).into_response()
}

#[derive(Deserialize, ToSchema)]
pub struct DeclarationLine {
    pub description: String,
    /// The code declared: 6 to 14 digits, dots allowed ("8471.30.0000").
    pub declared_code: String,
}

#[derive(Deserialize, ToSchema)]
pub struct CheckRequest {
    /// 1 to 1,000 lines.
    pub lines: Vec<DeclarationLine>,
}

#[derive(Serialize, ToSchema)]
pub struct Likelier {
    pub code: String,
    pub dotted: String,
    pub description: String,
    pub confidence: f32,
}

#[derive(Serialize, ToSchema)]
pub struct CheckedLine {
    pub index: usize,
    /// consistent, suspicious or invalid_code.
    pub verdict: String,
    /// 0 (no doubt) to 1 (almost surely wrong).
    pub risk: f32,
    pub declared_code: String,
    /// The declared code read at 6 digits, when it is a subheading of HS 2022.
    pub declared_subheading: Option<String>,
    pub declared_confidence: f32,
    pub declared_rank: Option<usize>,
    pub likelier: Vec<Likelier>,
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct CheckSummary {
    pub consistent: usize,
    pub suspicious: usize,
    pub invalid_code: usize,
}

#[derive(Serialize, ToSchema)]
pub struct CheckResponse {
    pub lines: Vec<CheckedLine>,
    pub summary: CheckSummary,
}

#[utoipa::path(
    post,
    path = "/api/v1/declarations/check",
    tag = "classification",
    request_body = CheckRequest,
    responses(
        (status = 200, description = "A verdict per line", body = CheckResponse),
        (status = 400, description = "No lines, too many lines, an empty description", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "JSON of the wrong shape", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn check(
    State(state): State<AppState>,
    body: Result<Json<CheckRequest>, JsonRejection>,
) -> Response {
    let Json(req) = match body {
        Ok(b) => b,
        Err(e) => return json_problem(e),
    };
    if req.lines.is_empty() || req.lines.len() > MAX_CHECK_LINES {
        return Problem::bad_request(format!(
            "Send 1 to {MAX_CHECK_LINES} lines; got {}.",
            req.lines.len()
        ))
        .into_response();
    }
    for (i, line) in req.lines.iter().enumerate() {
        if let Err(p) = checked_description(&line.description) {
            return Problem::bad_request(format!("Line {i}: {}", p.detail)).into_response();
        }
    }
    let classifier = state.classifier.current();
    let outcomes = tokio::task::spawn_blocking(move || {
        req.lines
            .into_iter()
            .map(|l| {
                let o = classifier.check(&DeclarationCheck {
                    description: &l.description,
                    declared_code: &l.declared_code,
                });
                (l.declared_code, o)
            })
            .collect::<Vec<_>>()
    })
    .await
    .unwrap_or_default();
    let hs = state.index.nomenclature();
    let mut summary = CheckSummary {
        consistent: 0,
        suspicious: 0,
        invalid_code: 0,
    };
    let lines = outcomes
        .into_iter()
        .enumerate()
        .map(|(index, (declared_code, o))| {
            match o.verdict {
                classify::Verdict::Consistent => summary.consistent += 1,
                classify::Verdict::Suspicious => summary.suspicious += 1,
                classify::Verdict::InvalidCode => summary.invalid_code += 1,
            }
            CheckedLine {
                index,
                verdict: o.verdict.as_str().into(),
                risk: o.risk,
                declared_code,
                declared_subheading: o.declared.as_ref().map(|c| c.to_string()),
                declared_confidence: o.declared_probability,
                declared_rank: o.declared_rank,
                likelier: o
                    .likelier
                    .iter()
                    .map(|(c, p)| Likelier {
                        code: c.to_string(),
                        dotted: c.dotted(),
                        description: hs.get(c).map(|n| n.description.clone()).unwrap_or_default(),
                        confidence: *p,
                    })
                    .collect(),
                reason: o.reason,
            }
        })
        .collect();
    Json(CheckResponse { lines, summary }).into_response()
}

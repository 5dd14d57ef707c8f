use axum::Json;
use utoipa::OpenApi;

use super::*;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Smart Customs API",
        version = "1",
        description = "HS 2022 nomenclature browse and search, tariff classification, guided classification (questions and answers) and declaration checks. Errors are application/problem+json (RFC 9457)."
    ),
    paths(sections, nomenclature_code, search, classify::classify, classify::check,
        guide::start, guide::show, guide::answer, guide::back, tariff::show, tariff::duty, tariff::concordance),
    components(schemas(Problem, CodeRef, SectionRef, SectionEntry, SectionsResponse, CodeDetail, Highlight, SearchHit, Expansion, SearchResponse,
        classify::ClassifyRequest, classify::ClassifyResponse, classify::ClassifyCandidate, classify::HeadingGroup, classify::NationalLineRef, classify::Explanation, classify::Evidence, classify::NearExample, classify::LegRank,
        classify::CheckRequest, classify::DeclarationLine, classify::CheckResponse, classify::CheckedLine, classify::CheckSummary, classify::Likelier,
        guide::StartRequest, guide::AnswerRequest, guide::GuideResponse, guide::GuideQuestion, guide::GuideChoice, guide::GuideCandidate, guide::KnownFact, guide::GivenAnswer, guide::GuideOutcome, guide::Justification, guide::MatchedText, guide::RuledOutCode, guide::GuideLinks,
        tariff::TariffNode, tariff::NodeRef, tariff::Names, tariff::LineView, tariff::ColumnRate, tariff::DutyRequest, tariff::DutyResponse, tariff::DutyStep, tariff::DutyAlternative,
        tariff::ConcordanceResponse, tariff::ForeignView, tariff::NamedRate, tariff::Edition)),
    tags(
        (name = "nomenclature", description = "The HS tree"),
        (name = "search", description = "Full-text and code search"),
        (name = "classification", description = "AI tariff classification and declaration checks"),
        (name = "tariff", description = "Taiwan's 11-digit national tariff, the duty calculator and the concordance")
    )
)]
struct ApiDoc;

/// The classification API's own paths, plus the platform's when this instance runs one
/// (only what this profile mounts).
pub async fn document(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
) -> Json<utoipa::openapi::OpenApi> {
    let mut doc = ApiDoc::openapi();
    if state.platform.is_some() {
        crate::platform::openapi::extend(&mut doc, state.profile);
    }
    Json(doc)
}

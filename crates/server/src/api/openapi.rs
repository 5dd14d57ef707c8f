use axum::Json;
use utoipa::OpenApi;

use super::*;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Smart Customs API",
        version = "1",
        description = "HS 2022 nomenclature browse and search. Errors are application/problem+json (RFC 9457)."
    ),
    paths(sections, nomenclature_code, search),
    components(schemas(Problem, CodeRef, SectionRef, SectionEntry, SectionsResponse, CodeDetail, Highlight, SearchHit, Expansion, SearchResponse)),
    tags(
        (name = "nomenclature", description = "The HS tree"),
        (name = "search", description = "Full-text and code search")
    )
)]
struct ApiDoc;

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

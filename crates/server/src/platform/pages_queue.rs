//! The officers' review queue page: open cases by due date, with who has each.

use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use maud::html;
use serde::Deserialize;

use super::caller::Caller;
use super::i18n;
use super::pages::{badge, caller_id, clock_line, kind_title};
use crate::web::layout::{PageCtx, page};
use crate::{AppState, Problem};

#[derive(Deserialize)]
pub(crate) struct QueueFilter {
    assigned: Option<String>,
}

pub(crate) async fn queue_page(
    State(state): State<AppState>,
    ctx: PageCtx,
    caller: Caller,
    Query(q): Query<QueueFilter>,
) -> Result<Response, Problem> {
    let items =
        super::queue_api::open_cases(&state, &caller, None, None, q.assigned.as_deref(), "due")
            .await?;
    let (t, c) = (i18n::eapp::t(ctx.lang), i18n::common(ctx.lang));
    let mut res = page(
        &ctx,
        StatusCode::OK,
        t.review_queue,
        html! {
            h1 { (t.review_queue) }
            p { a href="/review-queue" { (t.all_open) } " · " a href="/review-queue?assigned=none" { (t.unassigned) } " · " a href="/review-queue?assigned=me" { (t.mine) } }
            table.cases {
                thead { tr { th { (t.due) } th { (c.reference) } th { (t.kind) } th { (c.company) } th { (c.status) } th { (t.assigned) } } }
                tbody {
                    @for i in &items {
                        tr class=(format!("clock-{}", i.clock.state)) {
                            td { (clock_line(ctx.lang, &i.clock)) }
                            td { a href=(format!("/applications/{}", i.id)) { (i.reference) } }
                            td { (kind_title(ctx.lang, &i.kind)) }
                            td { (i.company_id) }
                            td { (badge(ctx.lang, &i.status)) }
                            td { (i.assigned_to.as_deref().map_or("—", |a| if Some(a) == caller_id(&caller) { t.me } else { t.another_officer })) }
                        }
                    }
                }
            }
        },
    );
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

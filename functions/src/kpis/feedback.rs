//! `GET /api/kpis/feedback?from=&to=`: satisfaction-survey trends per Paris
//! month over `[from, to)` (default the last 365 days, at most 731) — CSAT
//! average and NPS, by [`comptoir_shared::feedback::months`] — and the latest
//! comments with their scores, for every staff member.

use axum::Json;
use axum::extract::State;
use comptoir_shared::ApiError;
use comptoir_shared::feedback::{self, COMMENTS, FeedbackTrends};

use super::report::Params;
use crate::error::AppResult;
use crate::extract::ApiQuery;
use crate::identity::Viewer;
use crate::port::Host;

/// Computes the trends.
#[utoipa::path(
    get,
    path = "/api/kpis/feedback",
    operation_id = "get_feedback_trends",

    summary = "Read satisfaction trends and comments",
    tag = "kpis",
    description = "Roles: admin, support, warehouse, finance. Per Paris month touched by \
        `[from, to)` (default the last 365 days, at most 731): answers, mean CSAT (1–5) in \
        thousandths and NPS (`null` without answers); and the 20 latest answers with a comment, \
        with their scores and order.",
    params(Params),
    security(("session" = [])),
    responses(
        (status = 200, description = "The trends.", body = FeedbackTrends),
        (status = 403, description = "`forbidden`: not a staff account.", body = ApiError),
        (status = 422, description = "`validation`: `from`/`to` not whole numbers, `to` not after `from`, or more than 731 days apart.", body = ApiError),
    )
)]
pub async fn handle(
    State(host): State<Host>,
    viewer: Viewer,
    ApiQuery(params): ApiQuery<Params>,
) -> AppResult<Json<FeedbackTrends>> {
    viewer.staff()?;
    let (from, to) = params.period(host.clock.now_ms(), 365, super::retention::MAX_DAYS)?;
    let db = &mut host.db.auto();
    let scores = super::db::survey_answers(db, from, to).await?;
    Ok(Json(FeedbackTrends {
        from_ms: from,
        to_ms: to,
        months: feedback::months(&scores, from, to),
        comments: super::db::survey_comments(db, from, to, COMMENTS).await?,
    }))
}

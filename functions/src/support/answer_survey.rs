//! `POST /api/support/surveys`: the customer rates an order they placed once
//! it was delivered (refunds after delivery do not stop it), once per order.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use comptoir_shared::ApiError;
use comptoir_shared::support::{Survey, SurveyAnswer};

use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::identity::Viewer;
use crate::params;
use crate::port::Host;

/// Records the answer; 404 for an order not theirs, 409 before delivery or
/// when already answered.
#[utoipa::path(
    post,
    path = "/api/support/surveys",
    operation_id = "answer_survey",

    summary = "Answer an order's satisfaction survey",
    tag = "support",
    description = "Roles: the customer who placed the order signed in. Rates an order once it \
        was delivered (refunds after delivery do not stop it), once per order.",
    request_body = SurveyAnswer,
    security(("session" = [])),
    responses(
        (status = 201, description = "The recorded answer.", body = Survey),
        (status = 404, description = "`not_found` (`order`): no such order of this account.", body = ApiError),
        (status = 409, description = "`conflict`: not delivered yet, or already answered.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    ApiJson(body): ApiJson<SurveyAnswer>,
) -> AppResult<(StatusCode, Json<Survey>)> {
    let customer = viewer.signed_in()?;
    let order = &body.order_id;
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    if !crate::orders::is_owner(tx.as_mut(), order, &customer.id).await? {
        return Err(ApiError::not_found("order").into());
    }
    // Delivered, or refunded after delivery: the timeline says it arrived.
    let delivered = tx
        .optional(
            "SELECT 1 FROM order_events WHERE order_id = ?1 AND status = 'delivered' LIMIT 1",
            params![order.as_str()],
        )
        .await?;
    if delivered.is_none() {
        return Err(ApiError::Conflict {
            message: "the order has not been delivered yet".into(),
        }
        .into());
    }
    let inserted = tx
        .optional(
            "INSERT INTO surveys (order_id, customer_id, csat, nps, comment, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
             ON CONFLICT (order_id) DO NOTHING RETURNING order_id",
            params![
                order.as_str(),
                customer.id.as_str(),
                i64::from(body.csat.get()),
                i64::from(body.nps.get()),
                body.comment.as_str(),
                now
            ],
        )
        .await?;
    if inserted.is_none() {
        return Err(ApiError::Conflict {
            message: "this order's survey is already answered".into(),
        }
        .into());
    }
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(Survey {
            order_id: order.clone(),
            csat: body.csat.get(),
            nps: body.nps.get(),
            comment: body.comment.as_str().to_owned(),
            at_ms: now,
        }),
    ))
}

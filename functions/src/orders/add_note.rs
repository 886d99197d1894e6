//! `POST /api/orders/{id}/notes`: any staff member writes an internal note
//! on an order — on its timeline, never shown to the buyer.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use comptoir_shared::ApiError;
use comptoir_shared::audit::AuditAction;
use comptoir_shared::ids::OrderId;
use comptoir_shared::note::{NewNote, StaffNote};

use crate::error::AppResult;
use crate::extract::{ApiJson, path_id};
use crate::identity::Viewer;
use crate::port::Host;

/// Adds the note and answers it.
#[utoipa::path(
    post,
    path = "/api/orders/{id}/notes",
    operation_id = "add_order_note",

    summary = "Write an internal note on an order",
    tag = "orders",
    description = "Roles: admin, support, warehouse, finance. An internal note on the order's \
        timeline, never shown to the buyer.",
    params(("id" = OrderId, Path, description = "The order's id.")),
    request_body = NewNote,
    security(("session" = [])),
    responses(
        (status = 201, description = "The note as staff will read it.", body = StaffNote),
        (status = 403, description = "`forbidden`: not a staff account.", body = ApiError),
        (status = 404, description = "`not_found` (`order`).", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<NewNote>,
) -> AppResult<(StatusCode, Json<StaffNote>)> {
    let staff = viewer.staff()?;
    let id = path_id(&raw, "order")?;
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    let head = super::head(tx.as_mut(), &id)
        .await?
        .ok_or_else(|| ApiError::not_found("order"))?;
    let text = body.body.as_str();
    super::insert_internal_note(
        tx.as_mut(),
        &id,
        head.status,
        staff.email.as_str(),
        text,
        now,
    )
    .await?;
    crate::audit::finish_note(tx, staff, AuditAction::OrderNote, id.as_str(), text, now).await
}

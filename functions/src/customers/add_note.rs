//! `POST /api/accounts/customers/{id}/notes`: support or an admin writes a
//! note about a customer (never shown to them).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::audit::AuditAction;
use comptoir_shared::ids::OpaqueId;
use comptoir_shared::note::{NewNote, StaffNote};

use crate::error::AppResult;
use crate::extract::{ApiJson, path_id};
use crate::identity::Viewer;
use crate::params;
use crate::port::{Host, new_id};

/// Adds the note and answers it; 404 for an unknown customer.
#[utoipa::path(
    post,
    path = "/api/accounts/customers/{id}/notes",
    operation_id = "add_customer_note",

    summary = "Write a note about a customer",
    tag = "accounts",
    description = "Roles: support, admin. A note about a customer, never shown to them.",
    params(("id" = OpaqueId, Path, description = "The customer's account id.")),
    request_body = NewNote,
    security(("session" = [])),
    responses(
        (status = 201, description = "The note as staff will read it.", body = StaffNote),
        (status = 403, description = "`forbidden`: neither support nor an admin.", body = ApiError),
        (status = 404, description = "`not_found` (`customer`).", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<NewNote>,
) -> AppResult<(StatusCode, Json<StaffNote>)> {
    let staff = viewer.require(&[Role::Support])?;
    let id = path_id(&raw, "customer")?;
    let now = host.clock.now_ms();
    let text = body.body.as_str();
    let mut tx = host.db.begin().await?;
    let inserted = tx
        .optional(
            "INSERT INTO customer_notes (id, customer_id, at_ms, author_id, author_email, body) \
             SELECT ?1, id, ?3, ?4, ?5, ?6 FROM accounts WHERE id = ?2 AND role = 'customer' RETURNING id",
            params![
                new_id().as_str(),
                id.as_str(),
                now,
                staff.id.as_str(),
                staff.email.as_str(),
                text
            ],
        )
        .await?;
    if inserted.is_none() {
        return Err(ApiError::not_found("customer").into());
    }
    crate::audit::finish_note(tx, staff, AuditAction::CustomerNote, id.as_str(), text, now).await
}

//! `POST /api/promotions`: an admin creates a code. The body is the shared
//! [`Promotion`] itself — the terms checkout applies — checked by
//! [`Promotion::validate`].

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::audit::AuditAction;
use comptoir_shared::pricing::Promotion;

use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::identity::Viewer;
use crate::port::Host;

/// Stores the code; 422 for terms that make no sense, 409 when it exists.
#[utoipa::path(
    post,
    path = "/api/promotions",
    operation_id = "create_promotion",

    summary = "Create a promotion code",
    tag = "catalog",
    description = "Roles: admin. Creates a code; the body is the terms checkout applies. A \
        percentage is 1 to 10000 basis points; amounts are in EUR up to 1000000.00 (a fixed \
        amount positive); the window lies within ten years of today and ends after it starts; \
        limits are at least 1.",
    request_body = Promotion,
    security(("session" = [])),
    responses(
        (status = 201, description = "Created.", body = Promotion),
        (status = 403, description = "`forbidden`: not an admin.", body = ApiError),
        (status = 409, description = "`conflict`: the code exists already.", body = ApiError),
        (status = 422, description = "`validation`: terms that make no sense (the field is named).", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    ApiJson(body): ApiJson<Promotion>,
) -> AppResult<(StatusCode, Json<Promotion>)> {
    let admin = viewer.require(&[Role::Admin])?;
    body.validate(host.clock.now_ms())
        .map_err(|(field, e)| e.on(field))?;
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    if !crate::promotions::insert(tx.as_mut(), &body, now).await? {
        return Err(ApiError::Conflict {
            message: format!("the code {} exists already", body.code),
        }
        .into());
    }
    crate::audit::record(
        tx.as_mut(),
        admin,
        AuditAction::PromotionCreate,
        body.code.as_str(),
        &format!("{:?}", body.kind),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(body)))
}

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

use crate::accounts::Viewer;
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::port::Host;

/// Stores the code; 422 for terms that make no sense, 409 when it exists.
pub async fn handle(
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

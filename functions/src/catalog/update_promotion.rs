//! `PUT /api/promotions/{code}`: an admin replaces a code's terms (the code
//! in the body must be the one in the path). Uses already made stay counted.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::audit::AuditAction;
use comptoir_shared::ids::PromoCode;
use comptoir_shared::pricing::Promotion;

use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::identity::Viewer;
use crate::port::Host;

/// Replaces the terms; 404 for an unknown code.
#[utoipa::path(
    put,
    path = "/api/promotions/{code}",
    operation_id = "update_promotion",

    summary = "Replace a promotion code's terms",
    tag = "catalog",
    description = "Roles: admin. Replaces a code's terms (the body's `code` must be the path's). \
        Uses already made stay counted.",
    params(("code" = PromoCode, Path, description = "The code.")),
    request_body = Promotion,
    security(("session" = [])),
    responses(
        (status = 200, description = "The new terms.", body = Promotion),
        (status = 403, description = "`forbidden`: not an admin.", body = ApiError),
        (status = 404, description = "`not_found` (`promotion`).", body = ApiError),
        (status = 422, description = "`validation`: another code than the path's, or terms that make no sense.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<Promotion>,
) -> AppResult<Json<Promotion>> {
    let admin = viewer.require(&[Role::Admin])?;
    let code = PromoCode::parse(&raw).map_err(|_| ApiError::not_found("promotion"))?;
    if body.code != code {
        return Err(ApiError::validation("code", "the code of the path").into());
    }
    body.validate(host.clock.now_ms())
        .map_err(|(field, e)| e.on(field))?;
    save(&host, admin, &body, AuditAction::PromotionUpdate).await?;
    Ok(Json(body))
}

/// Writes `terms` over an existing code, with its audit row.
pub async fn save(
    host: &Host,
    admin: &comptoir_shared::account::Account,
    terms: &Promotion,
    action: AuditAction,
) -> AppResult<()> {
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    if !crate::promotions::update(tx.as_mut(), terms).await? {
        return Err(ApiError::not_found("promotion").into());
    }
    let detail = format!(
        "{:?}{}",
        terms.kind,
        if terms.active { "" } else { ", disabled" }
    );
    crate::audit::record(
        tx.as_mut(),
        admin,
        action,
        terms.code.as_str(),
        &detail,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

//! `POST /api/promotions/{code}/disable`: an admin switches a code off; it
//! applies nowhere from now on (checkout refuses it as `inactive`).

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::audit::AuditAction;
use comptoir_shared::ids::PromoCode;
use comptoir_shared::pricing::Promotion;

use crate::error::AppResult;
use crate::identity::Viewer;
use crate::port::Host;

/// Disables the code and answers its terms.
#[utoipa::path(
    post,
    path = "/api/promotions/{code}/disable",
    operation_id = "disable_promotion",

    summary = "Disable a promotion code",
    tag = "catalog",
    description = "Roles: admin. Switches a code off: it applies nowhere from now on (checkout \
        refuses it as `inactive`).",
    params(("code" = PromoCode, Path, description = "The code.")),
    security(("session" = [])),
    responses(
        (status = 200, description = "Its terms, now inactive.", body = Promotion),
        (status = 403, description = "`forbidden`: not an admin.", body = ApiError),
        (status = 404, description = "`not_found` (`promotion`).", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> AppResult<Json<Promotion>> {
    let admin = viewer.require(&[Role::Admin])?;
    let code = PromoCode::parse(&raw).map_err(|_| ApiError::not_found("promotion"))?;
    let (terms, _) = crate::promotions::find(&mut host.db.auto(), &code, None)
        .await?
        .ok_or_else(|| ApiError::not_found("promotion"))?;
    let disabled = Promotion {
        active: false,
        ..terms
    };
    super::update_promotion::save(&host, admin, &disabled, AuditAction::PromotionUpdate).await?;
    Ok(Json(disabled))
}

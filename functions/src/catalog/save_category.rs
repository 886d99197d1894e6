//! `PUT /api/catalog/admin/categories/{name}`: an admin names a category in
//! other languages. Its products are re-indexed in the same transaction, so
//! a shopper finds them by the category's new names.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::audit::AuditAction;
use comptoir_shared::catalog_admin::{AdminCategory, CategoryInput, Label, check_translations};

use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::identity::Viewer;
use crate::port::Host;

/// Replaces a category's translations and answers the category.
#[utoipa::path(
    put,
    path = "/api/catalog/admin/categories/{name}",
    operation_id = "save_category",

    summary = "Name a category in other languages",
    tag = "catalog",
    description = "Roles: admin. Replaces the category's names in other languages (a language \
        left out is served in French) and re-indexes its products for search.",
    params(("name" = Label, Path, description = "The category's French name, as its products carry it.")),
    request_body = CategoryInput,
    security(("session" = [])),
    responses(
        (status = 200, description = "The category as admins see it.", body = AdminCategory),
        (status = 403, description = "`forbidden`: not an admin.", body = ApiError),
        (status = 404, description = "`not_found` (`category`): no product names it.", body = ApiError),
        (status = 422, description = "`validation`: a name is invalid, or `translations` names French.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<CategoryInput>,
) -> AppResult<Json<AdminCategory>> {
    let admin = viewer.require(&[Role::Admin])?;
    let name = Label::parse(&raw).map_err(|_| ApiError::not_found("category"))?;
    check_translations(&body.translations).map_err(|(field, e)| e.on(field))?;
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    if super::admin_db::category(tx.as_mut(), name.as_str())
        .await?
        .is_none()
    {
        return Err(ApiError::not_found("category").into());
    }
    super::admin_db::save_category(tx.as_mut(), name.as_str(), &body.translations).await?;
    super::index::refresh_category(tx.as_mut(), host.db.dialect(), name.as_str(), now).await?;
    let detail = body
        .translations
        .iter()
        .map(|(lang, label)| format!("{}: {label}", lang.code()))
        .collect::<Vec<_>>()
        .join(", ");
    crate::audit::record(
        tx.as_mut(),
        admin,
        AuditAction::CategoryUpdate,
        name.as_str(),
        &detail,
        now,
    )
    .await?;
    let saved = super::admin_db::category(tx.as_mut(), name.as_str())
        .await?
        .ok_or_else(|| ApiError::not_found("category"))?;
    tx.commit().await?;
    Ok(Json(saved))
}

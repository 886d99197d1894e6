//! `GET /api/orders/{id}/documents`: an order's invoice and credit notes.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::ids::OrderId;
use comptoir_shared::invoice::IssuedDocument;

use crate::error::AppResult;
use crate::extract::path_id;
use crate::port::Host;

/// Lists an order's documents, oldest first.
#[utoipa::path(
    get,
    path = "/api/orders/{id}/documents",
    operation_id = "list_order_documents",

    summary = "List an order's invoice and credit notes",
    tag = "accounting",
    description = "Public (whoever holds the order's id, like the order itself). The invoice \
        issued when the order was paid and a credit note per refund, oldest first, each with the \
        link to its PDF (carrying the document's access key). Empty until the order is paid.",
    params(("id" = OrderId, Path, description = "The order's id.")),
    security(()),
    responses(
        (status = 200, description = "The documents.", body = Vec<IssuedDocument>),
        (status = 404, description = "`not_found` (`order`).", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    Path(raw): Path<String>,
) -> AppResult<Json<Vec<IssuedDocument>>> {
    let id = path_id(&raw, "order")?;
    let mut db = host.db.auto();
    if crate::orders::head(&mut db, &id).await?.is_none() {
        return Err(ApiError::not_found("order").into());
    }
    Ok(Json(super::db::of_order(&mut db, &id).await?))
}

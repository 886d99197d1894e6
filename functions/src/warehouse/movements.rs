//! `GET /api/stock/{sku}/movements`: the SKU's ledger, newest first.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::ids::OrderId;
use comptoir_shared::ids::Sku;
use comptoir_shared::stock::StockMovement;

use crate::error::AppResult;
use crate::identity::Viewer;
use crate::params;
use crate::port::{Executor as _, Host};

/// Lists the last 500 movements of a SKU.
#[utoipa::path(
    get,
    path = "/api/stock/{sku}/movements",
    operation_id = "list_stock_movements",

    summary = "List a SKU's stock movements",
    tag = "stock",
    description = "Roles: warehouse, admin. The SKU's ledger, newest first (the last 500 movements).",
    params(("sku" = Sku, Path, description = "The SKU.")),
    security(("session" = [])),
    responses(
        (status = 200, description = "The movements.", body = Vec<StockMovement>),
        (status = 403, description = "`forbidden`: neither warehouse nor an admin.", body = ApiError),
        (status = 404, description = "`not_found` (`sku`).", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> AppResult<Json<Vec<StockMovement>>> {
    viewer.require(&[Role::Warehouse])?;
    let sku = super::sku(&raw)?;
    let mut db = host.db.auto();
    if db
        .optional("SELECT 1 FROM stock WHERE sku = ?1", params![sku.as_str()])
        .await?
        .is_none()
    {
        return Err(ApiError::not_found("sku").into());
    }
    let rows = db
        .query(
            "SELECT kind, quantity, order_id, note, at FROM stock_movements WHERE sku = ?1 ORDER BY at DESC, id LIMIT 500",
            params![sku.as_str()],
        )
        .await?;
    let movements = rows
        .iter()
        .map(|r| {
            Ok(StockMovement {
                kind: r.text(0)?.to_owned(),
                quantity: r.int(1)?,
                order_id: r
                    .opt_text(2)?
                    .map(OrderId::parse)
                    .transpose()
                    .map_err(|e| anyhow::anyhow!("stored order id: {e}"))?,
                note: r.text(3)?.to_owned(),
                at_ms: r.int(4)?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Json(movements))
}

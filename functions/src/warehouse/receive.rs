//! `POST /api/stock/{sku}/receipts`: goods arrived; on hand grows.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::ids::Sku;
use comptoir_shared::stock::{Receipt, StockMovement};

use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::identity::Viewer;
use crate::port::Host;

/// Adds the units and writes a `receipt` ledger row.
#[utoipa::path(
    post,
    path = "/api/stock/{sku}/receipts",
    operation_id = "receive_stock",

    summary = "Receive goods into stock",
    tag = "stock",
    description = "Roles: warehouse, admin. Goods arrived: on hand grows, with a `receipt` ledger row.",
    params(("sku" = Sku, Path, description = "The SKU.")),
    request_body = Receipt,
    security(("session" = [])),
    responses(
        (status = 200, description = "The ledger row.", body = StockMovement),
        (status = 403, description = "`forbidden`: neither warehouse nor an admin.", body = ApiError),
        (status = 404, description = "`not_found` (`sku`).", body = ApiError),
        (status = 422, description = "`validation`: a quantity outside 1 to 100000, or a note over 200 characters.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<Receipt>,
) -> AppResult<Json<StockMovement>> {
    let staff = viewer.require(&[Role::Warehouse])?;
    let sku = super::sku(&raw)?;
    if !(1..=100_000).contains(&body.quantity) {
        return Err(ApiError::validation("quantity", "1 to 100000").into());
    }
    let note = crate::extract::text("note", &body.note, 200, false)?;
    let note = format!(
        "{} ({})",
        if note.is_empty() { "receipt" } else { &note },
        staff.email
    );
    super::move_on_hand(&host, staff, &sku, "receipt", body.quantity, &note)
        .await
        .map(Json)
}

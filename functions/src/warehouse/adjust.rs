//! `POST /api/stock/{sku}/adjustments`: the count differs (breakage,
//! inventory). On hand never drops below what unpaid orders hold.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::ids::Sku;
use comptoir_shared::stock::{Adjustment, StockMovement};

use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::identity::Viewer;
use crate::port::Host;

/// Applies the delta (409 if it would uncover reservations) with an `adjustment` row.
#[utoipa::path(
    post,
    path = "/api/stock/{sku}/adjustments",
    operation_id = "adjust_stock",

    summary = "Adjust a stock count",
    tag = "stock",
    description = "Roles: warehouse, admin. The count differs (breakage, inventory): on hand \
        moves by `delta`, with an `adjustment` ledger row; it never drops below what unpaid \
        orders hold.",
    params(("sku" = Sku, Path, description = "The SKU.")),
    request_body = Adjustment,
    security(("session" = [])),
    responses(
        (status = 200, description = "The ledger row.", body = StockMovement),
        (status = 403, description = "`forbidden`: neither warehouse nor an admin.", body = ApiError),
        (status = 404, description = "`not_found` (`sku`).", body = ApiError),
        (status = 409, description = "`conflict`: the shelf would hold less than unpaid orders reserve.", body = ApiError),
        (status = 422, description = "`validation`: a zero delta or one over 100000 either way, or no reason.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<Adjustment>,
) -> AppResult<Json<StockMovement>> {
    let staff = viewer.require(&[Role::Warehouse])?;
    let sku = super::sku(&raw)?;
    // A range test, not `abs()`: `i64::MIN.abs()` overflows.
    if body.delta == 0 || !(-100_000..=100_000).contains(&body.delta) {
        return Err(ApiError::validation("delta", "non-zero, at most 100000 either way").into());
    }
    let reason = crate::extract::text("reason", &body.reason, 200, true)?;
    let note = format!("{reason} ({})", staff.email);
    super::move_on_hand(&host, staff, &sku, "adjustment", body.delta, &note)
        .await
        .map(Json)
}

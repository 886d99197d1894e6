//! `POST /api/stock/{sku}/adjustments`: the count differs (breakage,
//! inventory). On hand never drops below what unpaid orders hold.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::stock::{Adjustment, StockMovement};

use crate::accounts::Viewer;
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::port::Host;

/// Applies the delta (409 if it would uncover reservations) with an `adjustment` row.
pub async fn handle(
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
    crate::stock::move_on_hand(&host, staff, &sku, "adjustment", body.delta, &note)
        .await
        .map(Json)
}

//! `GET /api/stock?low=1`: on hand / reserved / available per SKU.

use axum::Json;
use axum::extract::State;
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::catalog::variant_description;
use comptoir_shared::ids::Sku;
use comptoir_shared::stock::StockLevel;
use serde::Deserialize;

use crate::error::AppResult;
use crate::extract::ApiQuery;
use crate::identity::Viewer;
use crate::params;
use crate::port::{Executor as _, Host};

/// `?low=1` keeps only SKUs at or under their threshold.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    /// `1` or `true` keeps only SKUs at or under their low-stock threshold.
    low: Option<String>,
}

/// Lists stock levels (warehouse, admin), lowest availability first.
#[utoipa::path(
    get,
    path = "/api/stock",
    operation_id = "list_stock_levels",

    summary = "List stock levels",
    tag = "stock",
    description = "Roles: warehouse, admin. On hand, reserved and available per SKU, lowest availability first.",
    params(Filter),
    security(("session" = [])),
    responses(
        (status = 200, description = "The levels.", body = Vec<StockLevel>),
        (status = 403, description = "`forbidden`: neither warehouse nor an admin.", body = ApiError),
    )
)]
pub async fn handle(
    State(host): State<Host>,
    viewer: Viewer,
    ApiQuery(filter): ApiQuery<Filter>,
) -> AppResult<Json<Vec<StockLevel>>> {
    viewer.require(&[Role::Warehouse])?;
    let low_only = matches!(filter.low.as_deref(), Some("1" | "true"));
    let rows = host
        .db
        .auto()
        .query(
            "SELECT s.sku, p.name, v.colour, v.size, s.on_hand, s.reserved, s.low_threshold \
             FROM stock s JOIN variants v ON v.sku = s.sku JOIN products p ON p.id = v.product_id \
             WHERE ?1 = 0 OR s.on_hand - s.reserved <= s.low_threshold \
             ORDER BY s.on_hand - s.reserved, s.sku",
            params![low_only],
        )
        .await?;
    let levels = rows
        .iter()
        .map(|r| {
            let (on_hand, reserved, low_threshold) = (r.int(4)?, r.int(5)?, r.int(6)?);
            Ok(StockLevel {
                sku: r.parse(0, Sku::parse)?,
                description: variant_description(r.text(1)?, r.opt_text(2)?, r.opt_text(3)?),
                on_hand,
                reserved,
                available: on_hand - reserved,
                low_threshold,
                low: on_hand - reserved <= low_threshold,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Json(levels))
}

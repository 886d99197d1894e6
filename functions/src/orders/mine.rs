//! `GET /api/accounts/me/orders`: the customer's orders, newest first: those
//! placed while signed in, and the guest orders under the account's e-mail
//! once that e-mail is verified (`POST /api/accounts/verify` attaches them;
//! before, they are not shown).

use axum::Json;
use axum::extract::State;
use comptoir_shared::ids::OrderId;
use comptoir_shared::order::OrderSummary;

use crate::error::AppResult;
use crate::identity::Viewer;
use crate::params;
use crate::port::{Executor as _, Host};

/// Lists the customer's orders.
#[utoipa::path(
    get,
    path = "/api/accounts/me/orders",
    operation_id = "list_my_orders",

    summary = "List my orders",
    tag = "accounts",
    description = "Roles: any account. The orders placed while signed in, newest first (at most \
        100), and the guest orders under the same e-mail once it is verified (not before).",
    security(("session" = [])),
    responses((status = 200, description = "The orders.", body = Vec<OrderSummary>))
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
) -> AppResult<Json<Vec<OrderSummary>>> {
    let account = viewer.signed_in()?;
    let mut db = host.db.auto();
    let ids = db
        .query(
            "SELECT id FROM orders WHERE customer_id = ?1 ORDER BY created_at DESC LIMIT 100",
            params![account.id.as_str()],
        )
        .await?;
    let mut orders = Vec::with_capacity(ids.len());
    for row in ids {
        if let Some(order) = super::summary(&mut db, &row.parse(0, OrderId::parse)?).await? {
            orders.push(order);
        }
    }
    Ok(Json(orders))
}

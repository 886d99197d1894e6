//! `POST /api/refunds`: a customer asks for lines of a shipped or delivered
//! order they placed while signed in to be refunded, with a reason, within
//! 30 days of shipping. (E-mail addresses are not verified, so a guest order
//! does not become an account's by sharing its e-mail.)

use std::collections::HashMap;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use comptoir_shared::ApiError;
use comptoir_shared::order::OrderStatus;
use comptoir_shared::refund::{Refund, RefundRequest};

use comptoir_shared::pricing::{TaxClass, vat_included, vat_rate_bps};

use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::identity::Viewer;
use crate::params;
use crate::port::{Host, new_id};

/// How long after shipping a refund may be asked for.
pub const WINDOW_MS: i64 = 30 * 24 * 3600 * 1000;

/// Records the request (status `requested`) for finance to decide.
#[utoipa::path(
    post,
    path = "/api/refunds",
    operation_id = "request_refund",

    summary = "Request a refund",
    tag = "refunds",
    description = "Roles: the customer who placed the order signed in. Asks for lines of a \
        shipped or delivered order to be refunded, with a reason, within 30 days of shipping; \
        finance decides.",
    request_body = RefundRequest,
    security(("session" = [])),
    responses(
        (status = 201, description = "The request (status `requested`).", body = Refund),
        (status = 404, description = "`not_found` (`order`): no such order of this account.", body = ApiError),
        (status = 409, description = "`conflict`: the order is not shipped or delivered, or shipped more than 30 days ago.", body = ApiError),
        (status = 422, description = "`validation`: no line, a SKU twice, more units than can still be refunded, or no reason.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    ApiJson(body): ApiJson<RefundRequest>,
) -> AppResult<(StatusCode, Json<Refund>)> {
    let account = viewer.signed_in()?;
    let reason = crate::extract::text("reason", &body.reason, 1000, true)?;
    if body.lines.is_empty() {
        return Err(ApiError::validation("lines", "at least one line").into());
    }
    let mut skus: Vec<&str> = body.lines.iter().map(|l| l.sku.as_str()).collect();
    skus.sort_unstable();
    if skus.windows(2).any(|w| w[0] == w[1]) {
        return Err(ApiError::validation("lines", "one line per SKU").into());
    }
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    let order = tx
        .optional(
            "SELECT status, shipped_at, subtotal_cents - discount_cents + shipping_cents - total_cents, \
                    ship_country \
             FROM orders WHERE id = ?1 AND customer_id = ?2",
            params![body.order_id.as_str(), account.id.as_str()],
        )
        .await?
        .ok_or_else(|| ApiError::not_found("order"))?;
    let status = OrderStatus::parse(order.text(0)?).unwrap_or(OrderStatus::Cancelled);
    if !matches!(
        status,
        OrderStatus::Shipped | OrderStatus::Delivered | OrderStatus::PartiallyRefunded
    ) {
        return Err(ApiError::Conflict {
            message: "only shipped or delivered orders can be refunded".into(),
        }
        .into());
    }
    if order
        .opt_int(1)?
        .is_none_or(|shipped| now - shipped > WINDOW_MS)
    {
        return Err(ApiError::Conflict {
            message: "refunds are possible for 30 days after shipping".into(),
        }
        .into());
    }
    // A business reverse charged paid the goods before VAT: that is what
    // it may ask back.
    let reverse_charged_in = (order.int(2)? > 0)
        .then(|| order.text(3).map(str::to_owned))
        .transpose()?;
    // What was bought, less what is already asked for (declined requests aside).
    let mut left: HashMap<String, (i64, i64)> = HashMap::new();
    for r in tx
        .query(
            "SELECT l.sku, SUM(l.quantity), MIN(l.unit_price_cents), MIN(l.tax_class) FROM order_lines l \
             WHERE l.order_id = ?1 GROUP BY l.sku",
            params![body.order_id.as_str()],
        )
        .await?
    {
        let mut unit = r.int(2)?;
        if let Some(country) = &reverse_charged_in {
            let class = TaxClass::parse(r.text(3)?).unwrap_or_default();
            let rate = vat_rate_bps(country, class).unwrap_or(0);
            unit -= vat_included(unit, rate);
        }
        left.insert(r.text(0)?.to_owned(), (r.int(1)?, unit));
    }
    for r in tx
        .query(
            "SELECT rl.sku, SUM(rl.quantity) FROM refund_lines rl JOIN refunds f ON f.id = rl.refund_id \
             WHERE f.order_id = ?1 AND f.status NOT IN ('declined', 'failed') GROUP BY rl.sku",
            params![body.order_id.as_str()],
        )
        .await?
    {
        if let Some(entry) = left.get_mut(r.text(0)?) {
            entry.0 -= r.int(1)?;
        }
    }
    let id = new_id();
    let mut requested = 0i64;
    let mut lines = Vec::new();
    for line in &body.lines {
        let (quantity_left, unit) = left.get(line.sku.as_str()).copied().unwrap_or((0, 0));
        let quantity = i64::from(line.quantity.get());
        if quantity > quantity_left {
            return Err(ApiError::validation(
                "lines",
                format!(
                    "at most {} of {} can be refunded",
                    quantity_left.max(0),
                    line.sku
                ),
            )
            .into());
        }
        left.insert(line.sku.to_string(), (quantity_left - quantity, unit));
        requested += unit * quantity;
        lines.push((line.sku.clone(), quantity, unit * quantity));
    }
    tx.query(
        "INSERT INTO refunds (id, order_id, status, requested_cents, reason, requested_by, created_at) \
         VALUES (?1, ?2, 'requested', ?3, ?4, ?5, ?6)",
        params![id.as_str(), body.order_id.as_str(), requested, reason, account.email.as_str(), now],
    )
    .await?;
    for (sku, quantity, amount) in lines {
        tx.query(
            "INSERT INTO refund_lines (refund_id, sku, quantity, amount_cents) VALUES (?1, ?2, ?3, ?4)",
            params![id.as_str(), sku.as_str(), quantity, amount],
        )
        .await?;
    }
    let refund = super::db::load(tx.as_mut(), &id)
        .await?
        .ok_or_else(|| ApiError::not_found("refund"))?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, Json(refund)))
}

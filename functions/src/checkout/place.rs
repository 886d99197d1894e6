//! `POST /api/checkout`: place an order from a cart.
//!
//! One transaction: expire lapsed reservations → replay a known
//! `Idempotency-Key` → price the cart with its promotion codes (all must
//! apply) → insert the order → reserve every line
//! (conditional update; any shortfall rolls everything back) → timeline →
//! remember the key. Nothing the client says about prices is read.

use anyhow::Context as _;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use comptoir_shared::ApiError;
use comptoir_shared::Currency;
use comptoir_shared::checkout::{Address, CheckoutRequest, CheckoutResult};
use comptoir_shared::company::{Siren, VatNumber};
use comptoir_shared::ids::IdempotencyKey;
use comptoir_shared::ids::OrderId;
use comptoir_shared::lang::Lang;
use comptoir_shared::order::OrderStatus;
use comptoir_shared::pricing::Totals;

use crate::error::AppResult;
use crate::extract::{ApiJson, MaybeIdempotencyKey, remember, replayed, request_hash};
use crate::identity::Viewer;
use crate::params;
use crate::port::{Executor, Host, new_id};
use crate::{cart, orders, promotions, stock};

/// Where a checkout's `Idempotency-Key` is remembered, and its column
/// for the order.
const KEYS: (&str, &str) = ("idempotency_keys", "order_id");

/// Places the order and answers 201 with what must be paid.
#[utoipa::path(
    post,
    path = "/api/checkout",
    operation_id = "place_order",

    summary = "Place an order from a cart",
    tag = "checkout",
    description = "Public (a guest), or a signed-in customer, whose account the order is then \
        attached to. Prices the cart on the server with its codes (all must apply), creates the \
        order waiting for payment and reserves its stock, in one transaction. With an \
        `Idempotency-Key`, repeating the same request answers the same order.",
    params(("Idempotency-Key" = Option<IdempotencyKey>, Header, description = "Makes the request safe to retry: 1 to 255 visible ASCII characters.")),
    request_body = CheckoutRequest,
    security((), ("session" = [])),
    responses(
        (status = 201, description = "The order, with what must be paid and until when the stock is held.", body = CheckoutResult),
        (status = 404, description = "`not_found` (`cart`).", body = ApiError),
        (status = 409, description = "`insufficient_stock`: a line cannot be reserved; `conflict`: the `Idempotency-Key` was used with another request.", body = ApiError),
        (status = 422, description = "`empty_cart`; `promotion_refused`: a code no longer applies; `validation`: a field (or `Idempotency-Key`) is invalid, or the shipping method does not deliver to that country.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    MaybeIdempotencyKey(key): MaybeIdempotencyKey,
    ApiJson(request): ApiJson<CheckoutRequest>,
) -> AppResult<(StatusCode, Json<CheckoutResult>)> {
    let now = host.clock.now_ms();
    let request_hash = request_hash(&request)?;
    request
        .phone
        .fits(&request.shipping_address.fields().country)
        .map_err(|e| ApiError::validation("phone", e.0))?;
    if request
        .shipping_method
        .to(&request.shipping_address.fields().country)
        .is_none()
    {
        return Err(ApiError::validation(
            "shipping_method",
            "this shipping method does not deliver to that country",
        )
        .into());
    }
    let mut tx = host.db.begin().await?;

    if let Some(order) = replayed(tx.as_mut(), KEYS, key.as_ref(), &request_hash).await? {
        let order = OrderId::parse(&order).context("a remembered order id")?;
        return Ok((
            StatusCode::CREATED,
            Json(result_for(tx.as_mut(), &order).await?),
        ));
    }

    orders::expire_reservations(tx.as_mut(), now).await?;
    if !cart::exists(tx.as_mut(), &request.cart_id).await? {
        return Err(ApiError::not_found("cart").into());
    }
    // Orders keep the products' names in the shop's reference language.
    let lines = cart::lines(tx.as_mut(), &request.cart_id, Lang::Fr).await?;
    if lines.is_empty() {
        return Err(ApiError::EmptyCart.into());
    }
    let codes = cart::codes(tx.as_mut(), &request.cart_id).await?;
    let quote_lines: Vec<_> = lines.iter().map(cart::CartLineRow::quote_line).collect();
    let to = promotions::Destination::of(
        &request.shipping_address.fields().country,
        request.company.as_ref(),
        &host.config,
    );
    let quote = promotions::quote(
        tx.as_mut(),
        &quote_lines,
        &codes,
        request.shipping_method,
        to,
        Some(&request.email),
        now,
    )
    .await?;
    if let Some((code, refusal)) = quote.refused.into_iter().next() {
        return Err(ApiError::PromotionRefused { code, refusal }.into());
    }
    let totals = quote.totals;

    let order = new_id();
    let expires = now + host.config.reservation_ttl_ms;
    let address = request.shipping_address.fields();
    let billing = request.billing_address.as_ref().map(Address::fields);
    tx.query(
        "INSERT INTO orders (id, status, email, ship_name, ship_line1, ship_line2, ship_postal_code, ship_city, \
            ship_country, subtotal_cents, shipping_cents, total_cents, vat_cents, currency, cart_id, created_at, \
            reservation_expires_at, discount_cents, shipping_method, customer_id, phone, \
            bill_name, bill_line1, bill_line2, bill_postal_code, bill_city, bill_country, \
            company_name, company_siren, company_vat_number, promised_by_ms) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, \
            ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31)",
        params![
            order.as_str(),
            OrderStatus::PendingPayment.as_str(),
            request.email.as_str(),
            &address.name,
            &address.line1,
            &address.line2,
            &address.postal_code,
            &address.city,
            &address.country,
            totals.subtotal.amount,
            totals.shipping.amount,
            totals.total.amount,
            totals.vat.amount,
            totals.total.currency.code(),
            request.cart_id.as_str(),
            now,
            expires,
            totals.discount.amount,
            request.shipping_method.as_str(),
            viewer.account.as_ref().map(|a| a.id.as_str()),
            request.phone.as_str(),
            billing.map(|b| b.name.as_str()),
            billing.map(|b| b.line1.as_str()),
            billing.map(|b| b.line2.as_str()),
            billing.map(|b| b.postal_code.as_str()),
            billing.map(|b| b.city.as_str()),
            billing.map(|b| b.country.as_str()),
            request.company.as_ref().map(|c| c.name.as_str()),
            request
                .company
                .as_ref()
                .and_then(|c| c.siren.as_ref())
                .map(Siren::as_str),
            request
                .company
                .as_ref()
                .and_then(|c| c.vat_number.as_ref())
                .map(VatNumber::as_str),
            request
                .shipping_method
                .to(&address.country)
                .map(|m| m.promised_by_ms(now)),
        ],
    )
    .await?;
    for (position, row) in (0i64..).zip(&lines) {
        let line = &row.line;
        let description = if line.variant_label.is_empty() {
            line.product_name.clone()
        } else {
            format!("{} — {}", line.product_name, line.variant_label)
        };
        tx.query(
            "INSERT INTO order_lines (order_id, position, sku, description, unit_price_cents, quantity, tax_class) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                order.as_str(),
                position,
                line.sku.as_str(),
                description,
                line.unit_price.amount,
                line.quantity.get(),
                row.tax_class.as_str()
            ],
        )
        .await?;
        if let Err(shortfall) =
            stock::reserve(tx.as_mut(), &line.sku, line.quantity, &order, now).await?
        {
            return Err(ApiError::InsufficientStock {
                sku: line.sku.to_string(),
                available: u32::try_from(shortfall.available.max(0)).unwrap_or(0),
            }
            .into());
        }
    }
    for code in &quote.applied {
        tx.query(
            "INSERT INTO order_promotions (order_id, code, email) VALUES (?1, ?2, ?3)",
            params![order.as_str(), code.as_str(), request.email.as_str()],
        )
        .await?;
    }
    orders::insert_event(
        tx.as_mut(),
        &order,
        OrderStatus::PendingPayment,
        "customer",
        "order placed",
        now,
    )
    .await?;
    remember(
        tx.as_mut(),
        KEYS,
        key.as_ref(),
        &request_hash,
        order.as_str(),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(CheckoutResult {
            order_id: order,
            status: OrderStatus::PendingPayment,
            totals,
            reservation_expires_at_ms: expires,
        }),
    ))
}

/// The answer a checkout gave for `order`, for idempotent replays.
async fn result_for(tx: &mut dyn Executor, order: &OrderId) -> anyhow::Result<CheckoutResult> {
    let r = tx
        .one(
            "SELECT status, subtotal_cents, shipping_cents, total_cents, vat_cents, currency, reservation_expires_at, \
                    discount_cents FROM orders WHERE id = ?1",
            params![order.as_str()],
        )
        .await?;
    let currency = Currency::parse(r.text(5)?).context("stored currency")?;
    Ok(CheckoutResult {
        order_id: order.clone(),
        status: OrderStatus::parse(r.text(0)?).context("stored status")?,
        totals: Totals::stored(
            currency,
            r.int(1)?,
            r.int(7)?,
            r.int(2)?,
            r.int(3)?,
            r.int(4)?,
        ),
        reservation_expires_at_ms: r.int(6)?,
    })
}

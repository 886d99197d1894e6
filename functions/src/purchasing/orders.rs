//! Purchase orders: the list, one order, and drafting from the forecast's
//! suggestions ([`draft_suggestions`], also the low-stock automation rule).

use std::collections::{BTreeMap, HashSet};

use anyhow::Context as _;
use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::account::{Account, Role};
use comptoir_shared::audit::AuditAction;
use comptoir_shared::ids::{IdempotencyKey, OpaqueId};
use comptoir_shared::purchasing::{PoStatus, PurchaseOrder, PurchaseOrderInput, SkuForecast};
use serde::Deserialize;

use crate::error::AppResult;
use crate::extract::{ApiQuery, MaybeIdempotencyKey, remember, replayed, request_hash};
use crate::identity::Viewer;
use crate::params;
use crate::port::{Host, new_id};

/// `?status=draft` keeps the orders in one status.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    /// `draft`, `sent`, `received`, `closed` or `cancelled`.
    status: Option<PoStatus>,
}

/// Lists purchase orders, newest first.
#[utoipa::path(
    get,
    path = "/api/stock/purchase-orders",
    operation_id = "list_purchase_orders",

    summary = "List purchase orders",
    tag = "stock",
    description = "Roles: warehouse, admin. The latest 200 purchase orders with their lines, newest first.",
    params(Filter),
    security(("session" = [])),
    responses(
        (status = 200, description = "The orders.", body = Vec<PurchaseOrder>),
        (status = 403, description = "`forbidden`: neither warehouse nor an admin.", body = ApiError),
    )
)]
pub async fn list(
    State(host): State<Host>,
    viewer: Viewer,
    ApiQuery(filter): ApiQuery<Filter>,
) -> AppResult<Json<Vec<PurchaseOrder>>> {
    viewer.require(&[Role::Warehouse])?;
    Ok(Json(
        super::db::purchase_orders(&mut host.db.auto(), None, filter.status).await?,
    ))
}

/// Where a hand-drafted purchase order's `Idempotency-Key` is remembered,
/// and its column for the draft.
const KEYS: (&str, &str) = ("purchase_order_keys", "po_id");

/// Drafts a purchase order by hand (audited).
#[utoipa::path(
    post,
    path = "/api/stock/purchase-orders",
    operation_id = "create_purchase_order",

    summary = "Draft a purchase order by hand",
    tag = "stock",
    description = "Roles: warehouse, admin. A draft for a supplier with the lines given (SKU, \
        units, unit cost before VAT), whatever the forecast says; sent, received and closed like \
        any other. With an `Idempotency-Key`, the same request again answers the purchase order \
        it first made, as it is now (a double click or a retried timeout drafts once).",
    params(("Idempotency-Key" = Option<IdempotencyKey>, Header, description = "Makes the request safe to retry: 1 to 255 visible ASCII characters.")),
    request_body = PurchaseOrderInput,
    security(("session" = [])),
    responses(
        (status = 201, description = "The draft (with a key used before: the order it made, as it is now).", body = PurchaseOrder),
        (status = 403, description = "`forbidden`: neither warehouse nor an admin.", body = ApiError),
        (status = 404, description = "`not_found` (`supplier`, `sku`).", body = ApiError),
        (status = 409, description = "`conflict`: the `Idempotency-Key` was used with another request.", body = ApiError),
        (status = 422, description = "`validation`: no line or over 200, a SKU twice, units outside 1 to 100000, a cost out of bounds, or the `Idempotency-Key` invalid.", body = ApiError),
    )
)]
pub async fn create(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    MaybeIdempotencyKey(key): MaybeIdempotencyKey,
    crate::extract::ApiJson(body): crate::extract::ApiJson<PurchaseOrderInput>,
) -> AppResult<(axum::http::StatusCode, Json<PurchaseOrder>)> {
    let staff = viewer.require(&[Role::Warehouse])?;
    body.validate().map_err(|(field, e)| e.on(field))?;
    let request_hash = request_hash(&body)?;
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    if let Some(first) = replayed(tx.as_mut(), KEYS, key.as_ref(), &request_hash).await? {
        let first = OpaqueId::parse(&first).context("a remembered purchase order id")?;
        let po = super::db::written(tx.as_mut(), &first).await?;
        return Ok((axum::http::StatusCode::CREATED, Json(po)));
    }
    if tx
        .optional(
            "SELECT 1 FROM suppliers WHERE id = ?1",
            params![body.supplier_id.as_str()],
        )
        .await?
        .is_none()
    {
        return Err(ApiError::not_found("supplier").into());
    }
    let id = new_id();
    tx.query(
        "INSERT INTO purchase_orders (id, supplier_id, status, drafted_by, created_at) VALUES (?1, ?2, 'draft', ?3, ?4)",
        params![id.as_str(), body.supplier_id.as_str(), staff.email.as_str(), now],
    )
    .await?;
    for line in &body.lines {
        let added = tx
            .optional(
                "INSERT INTO purchase_order_lines (po_id, sku, ordered, received, unit_cost_cents) \
                 SELECT ?1, sku, ?3, 0, ?4 FROM stock WHERE sku = ?2 RETURNING sku",
                params![
                    id.as_str(),
                    line.sku.as_str(),
                    line.quantity,
                    line.unit_cost.amount
                ],
            )
            .await?;
        if added.is_none() {
            return Err(ApiError::not_found("sku").into());
        }
    }
    let detail = body
        .lines
        .iter()
        .map(|l| format!("{} × {}", l.sku.as_str(), l.quantity))
        .collect::<Vec<_>>()
        .join(", ");
    crate::audit::record(
        tx.as_mut(),
        staff,
        AuditAction::PurchaseOrderDraft,
        id.as_str(),
        &detail,
        now,
    )
    .await?;
    remember(
        tx.as_mut(),
        KEYS,
        key.as_ref(),
        &request_hash,
        id.as_str(),
        now,
    )
    .await?;
    let po = super::db::written(tx.as_mut(), &id).await?;
    tx.commit().await?;
    Ok((axum::http::StatusCode::CREATED, Json(po)))
}

/// One purchase order.
#[utoipa::path(
    get,
    path = "/api/stock/purchase-orders/{id}",
    operation_id = "get_purchase_order",

    summary = "Read a purchase order",
    tag = "stock",
    description = "Roles: warehouse, admin. The order with its lines, what each received, and when it is expected.",
    params(("id" = String, Path, description = "The purchase order's id.")),
    security(("session" = [])),
    responses(
        (status = 200, description = "The order.", body = PurchaseOrder),
        (status = 403, description = "`forbidden`: neither warehouse nor an admin.", body = ApiError),
        (status = 404, description = "`not_found` (`purchase_order`).", body = ApiError),
    )
)]
pub async fn get(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> AppResult<Json<PurchaseOrder>> {
    viewer.require(&[Role::Warehouse])?;
    let id = super::po_id(&raw)?;
    super::db::purchase_order(&mut host.db.auto(), &id)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found("purchase_order").into())
}

/// Drafts purchase orders from the forecast's suggestions.
#[utoipa::path(
    post,
    path = "/api/stock/purchase-orders/drafts",
    operation_id = "draft_purchase_orders",

    summary = "Draft purchase orders from the forecast's suggestions",
    tag = "stock",
    description = "Roles: warehouse, admin. Every SKU with a supplier whose available and \
        on-order units are at or under its reorder point, and that no draft or sent order \
        already has, goes on its supplier's draft (one draft per supplier, created when \
        needed) for the suggested quantity at the supply's unit cost. Answers the drafts \
        that gained lines (none: nothing to reorder). The body is ignored.",
    security(("session" = [])),
    responses(
        (status = 200, description = "The drafts that gained lines.", body = Vec<PurchaseOrder>),
        (status = 403, description = "`forbidden`: neither warehouse nor an admin.", body = ApiError),
    )
)]
pub async fn draft(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
) -> AppResult<Json<Vec<PurchaseOrder>>> {
    let staff = viewer.require(&[Role::Warehouse])?;
    let drafted = draft_suggestions(&host, Some(staff)).await?;
    let mut db = host.db.auto();
    let mut orders = Vec::with_capacity(drafted.orders.len());
    for id in &drafted.orders {
        orders.extend(super::db::purchase_order(&mut db, id).await?);
    }
    Ok(Json(orders))
}

/// What [`draft_suggestions`] did.
#[derive(Debug, Default)]
pub struct Drafted {
    /// The drafts that gained lines.
    pub orders: Vec<OpaqueId>,
    /// Lines added.
    pub lines: u32,
}

/// Puts every SKU the forecast says to reorder on its supplier's draft, in
/// one transaction, audited as `staff` or (none) the automation rule. A SKU
/// on a draft or sent order is left alone, so running this again adds
/// nothing until that order is received, closed or cancelled.
pub async fn draft_suggestions(host: &Host, staff: Option<&Account>) -> anyhow::Result<Drafted> {
    let now = host.clock.now_ms();
    let suggestions: Vec<SkuForecast> = super::forecast::all(&mut host.db.auto(), now)
        .await?
        .into_iter()
        .filter(|f| f.suggested_quantity > 0 && f.supply.is_some())
        .collect();
    let mut drafted = Drafted::default();
    if suggestions.is_empty() {
        return Ok(drafted);
    }
    let mut tx = host.db.begin().await?;
    let open: HashSet<String> = tx
        .query(
            "SELECT DISTINCT l.sku FROM purchase_order_lines l JOIN purchase_orders o ON o.id = l.po_id \
             WHERE o.status IN ('draft', 'sent')",
            &[],
        )
        .await?
        .iter()
        .map(|r| r.text(0).map(str::to_owned))
        .collect::<anyhow::Result<_>>()?;
    let mut by_supplier: BTreeMap<String, Vec<&SkuForecast>> = BTreeMap::new();
    for f in suggestions
        .iter()
        .filter(|f| !open.contains(f.sku.as_str()))
    {
        if let Some(supply) = &f.supply {
            by_supplier
                .entry(supply.supplier.id.as_str().to_owned())
                .or_default()
                .push(f);
        }
    }
    let drafter = staff.map_or("automation", |s| s.email.as_str());
    for (supplier, lines) in by_supplier {
        let existing = tx
            .optional(
                "SELECT id FROM purchase_orders WHERE supplier_id = ?1 AND status = 'draft' ORDER BY created_at, id LIMIT 1",
                params![supplier.as_str()],
            )
            .await?;
        let po = match existing {
            Some(r) => r.parse(0, OpaqueId::parse)?,
            None => {
                let id = new_id();
                tx.query(
                    "INSERT INTO purchase_orders (id, supplier_id, status, drafted_by, created_at) VALUES (?1, ?2, 'draft', ?3, ?4)",
                    params![id.as_str(), supplier.as_str(), drafter, now],
                )
                .await?;
                id
            }
        };
        let mut detail = Vec::with_capacity(lines.len());
        for f in &lines {
            let cost = f.supply.as_ref().map_or(0, |s| s.unit_cost.amount);
            tx.query(
                "INSERT INTO purchase_order_lines (po_id, sku, ordered, received, unit_cost_cents) VALUES (?1, ?2, ?3, 0, ?4)",
                params![po.as_str(), f.sku.as_str(), f.suggested_quantity, cost],
            )
            .await?;
            detail.push(format!("{} × {}", f.sku.as_str(), f.suggested_quantity));
        }
        let detail = detail.join(", ");
        match staff {
            Some(staff) => {
                crate::audit::record(
                    tx.as_mut(),
                    staff,
                    AuditAction::PurchaseOrderDraft,
                    po.as_str(),
                    &detail,
                    now,
                )
                .await?;
            }
            None => {
                crate::audit::record_automation(
                    tx.as_mut(),
                    AuditAction::PurchaseOrderDraft,
                    po.as_str(),
                    &detail,
                    now,
                )
                .await?;
            }
        }
        drafted.lines += u32::try_from(lines.len()).unwrap_or(u32::MAX);
        drafted.orders.push(po);
    }
    tx.commit().await?;
    Ok(drafted)
}

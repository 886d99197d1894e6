//! Suppliers (`GET`/`POST /api/stock/suppliers`) and who supplies a SKU
//! (`PUT /api/stock/{sku}/supply`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::audit::AuditAction;
use comptoir_shared::ids::Sku;
use comptoir_shared::purchasing::{Supplier, SupplierInput, Supply, SupplyInput};

use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::identity::Viewer;
use crate::params;
use crate::port::{Host, new_id};

/// Lists the suppliers.
#[utoipa::path(
    get,
    path = "/api/stock/suppliers",
    operation_id = "list_suppliers",

    summary = "List the suppliers",
    tag = "stock",
    description = "Roles: warehouse, admin. Every supplier, by name.",
    security(("session" = [])),
    responses(
        (status = 200, description = "The suppliers.", body = Vec<Supplier>),
        (status = 403, description = "`forbidden`: neither warehouse nor an admin.", body = ApiError),
    )
)]
pub async fn list(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
) -> AppResult<Json<Vec<Supplier>>> {
    viewer.require(&[Role::Warehouse])?;
    Ok(Json(super::db::suppliers(&mut host.db.auto()).await?))
}

/// Creates a supplier (audited).
#[utoipa::path(
    post,
    path = "/api/stock/suppliers",
    operation_id = "create_supplier",

    summary = "Create a supplier",
    tag = "stock",
    description = "Roles: warehouse, admin. A supplier with the e-mail purchase orders go to and \
        its lead time (1 to 180 days).",
    request_body = SupplierInput,
    security(("session" = [])),
    responses(
        (status = 201, description = "The supplier.", body = Supplier),
        (status = 403, description = "`forbidden`: neither warehouse nor an admin.", body = ApiError),
        (status = 409, description = "`conflict`: a supplier has that name.", body = ApiError),
        (status = 422, description = "`validation`: a name that is empty, over 120 characters or on several lines; a lead time outside 1 to 180 days.", body = ApiError),
    )
)]
pub async fn create(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    ApiJson(body): ApiJson<SupplierInput>,
) -> AppResult<(StatusCode, Json<Supplier>)> {
    let staff = viewer.require(&[Role::Warehouse])?;
    let name = crate::extract::text("name", &body.name, 120, true)?;
    body.validate().map_err(|(field, e)| e.on(field))?;
    let now = host.clock.now_ms();
    let id = new_id();
    let mut tx = host.db.begin().await?;
    let inserted = tx
        .optional(
            "INSERT INTO suppliers (id, name, email, lead_time_days, created_at) VALUES (?1, ?2, ?3, ?4, ?5) \
             ON CONFLICT (name) DO NOTHING RETURNING id",
            params![id.as_str(), name.as_str(), body.email.as_str(), body.lead_time_days, now],
        )
        .await?;
    if inserted.is_none() {
        return Err(ApiError::Conflict {
            message: "a supplier has that name".into(),
        }
        .into());
    }
    let detail = format!("{name}, {} days", body.lead_time_days);
    crate::audit::record(
        tx.as_mut(),
        staff,
        AuditAction::SupplierCreate,
        id.as_str(),
        &detail,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(Supplier {
            id,
            name,
            email: body.email,
            lead_time_days: body.lead_time_days,
        }),
    ))
}

/// Sets who supplies a SKU (audited).
#[utoipa::path(
    put,
    path = "/api/stock/{sku}/supply",
    operation_id = "set_supply",

    summary = "Set who supplies a SKU",
    tag = "stock",
    description = "Roles: warehouse, admin. The supplier, the unit cost before VAT, the safety \
        stock in days of sales (0 to 90) and the days an order covers beyond the lead time (1 to \
        90): what the forecast's reorder point and suggested quantity use. Lines already on \
        purchase orders keep their cost.",
    params(("sku" = Sku, Path, description = "The SKU.")),
    request_body = SupplyInput,
    security(("session" = [])),
    responses(
        (status = 200, description = "The supply as stored.", body = Supply),
        (status = 403, description = "`forbidden`: neither warehouse nor an admin.", body = ApiError),
        (status = 404, description = "`not_found` (`sku`, `supplier`).", body = ApiError),
        (status = 422, description = "`validation`: a cost, safety or review period out of bounds (the field is named).", body = ApiError),
    )
)]
pub async fn set_supply(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<SupplyInput>,
) -> AppResult<Json<Supply>> {
    let staff = viewer.require(&[Role::Warehouse])?;
    let sku = Sku::parse(&raw).map_err(|_| ApiError::not_found("sku"))?;
    body.validate().map_err(|(field, e)| e.on(field))?;
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    let Some(supplier) = tx
        .optional(
            &format!(
                "SELECT {} FROM suppliers su WHERE su.id = ?1",
                super::db::SUPPLIER
            ),
            params![body.supplier_id.as_str()],
        )
        .await?
    else {
        return Err(ApiError::not_found("supplier").into());
    };
    let supplier = super::db::supplier(&supplier, 0)?;
    let stored = tx
        .optional(
            "INSERT INTO sku_supply (sku, supplier_id, unit_cost_cents, safety_days, review_days, updated_at) \
             SELECT sku, ?2, ?3, ?4, ?5, ?6 FROM stock WHERE sku = ?1 \
             ON CONFLICT (sku) DO UPDATE SET supplier_id = excluded.supplier_id, unit_cost_cents = excluded.unit_cost_cents, \
                safety_days = excluded.safety_days, review_days = excluded.review_days, updated_at = excluded.updated_at \
             RETURNING sku",
            params![
                sku.as_str(),
                supplier.id.as_str(),
                body.unit_cost.amount,
                body.safety_days,
                body.review_days,
                now
            ],
        )
        .await?;
    if stored.is_none() {
        return Err(ApiError::not_found("sku").into());
    }
    let detail = format!(
        "{}, {} each, safety {} d, review {} d",
        supplier.name,
        body.unit_cost.format_decimal(),
        body.safety_days,
        body.review_days
    );
    crate::audit::record(
        tx.as_mut(),
        staff,
        AuditAction::SupplySet,
        sku.as_str(),
        &detail,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Json(Supply {
        supplier,
        unit_cost: body.unit_cost,
        safety_days: body.safety_days,
        review_days: body.review_days,
    }))
}

//! `GET /api/accounts/customers/{id}`: a customer seen whole — profile,
//! orders, refunds, support threads, survey answers and staff notes
//! (support, admin).

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::account::{Customer360, Role};
use comptoir_shared::ids::OpaqueId;

use crate::error::AppResult;
use crate::extract::path_id;
use crate::identity::Viewer;
use crate::port::Host;

/// Gathers everything about the customer; 404 for an unknown (or staff) id.
#[utoipa::path(
    get,
    path = "/api/accounts/customers/{id}",
    operation_id = "get_customer",

    summary = "Read a customer (360° view)",
    tag = "accounts",
    description = "Roles: support, admin. A customer seen whole: profile, orders, refunds, support \
        threads, survey answers and staff notes.",
    params(("id" = OpaqueId, Path, description = "The customer's account id.")),
    security(("session" = [])),
    responses(
        (status = 200, description = "Everything about the customer.", body = Customer360),
        (status = 403, description = "`forbidden`: neither support nor an admin.", body = ApiError),
        (status = 404, description = "`not_found` (`customer`): no customer account has this id.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> AppResult<Json<Customer360>> {
    viewer.require(&[Role::Support])?;
    let id = path_id(&raw, "customer")?;
    let mut db = host.db.auto();
    let customer = super::db::customers(&mut db, Some(&id), None)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| ApiError::not_found("customer"))?;
    let orders = crate::orders::board::rows(
        &mut db,
        &crate::orders::board::Filter::for_customer(id.clone()),
        200,
        0,
    )
    .await?;
    let threads = crate::support::db::list(
        &mut db,
        &crate::support::db::Filter {
            customer_id: Some(id.clone()),
            ..Default::default()
        },
    )
    .await?;
    Ok(Json(Customer360 {
        customer,
        orders,
        refunds: crate::refunds::db::of_customer(&mut db, &id, None).await?,
        threads,
        surveys: crate::support::db::surveys(&mut db, None, Some(&id)).await?,
        notes: super::db::customer_notes(&mut db, &id).await?,
    }))
}

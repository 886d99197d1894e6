//! `POST /api/carts`: a new, empty cart.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use comptoir_shared::cart::Cart;
use comptoir_shared::lang::Lang;

use crate::error::AppResult;
use crate::params;
use crate::port::{Executor as _, Host, new_id};

/// Creates a cart; the browser keeps its id.
#[utoipa::path(
    post,
    path = "/api/carts",
    operation_id = "create_cart",

    summary = "Create a cart",
    tag = "cart",
    description = "Public. A new, empty cart; the browser keeps its id (it is the capability to use it).",
    security(()),
    responses((status = 201, description = "The new cart.", body = Cart))
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
) -> AppResult<(StatusCode, Json<Cart>)> {
    let id = new_id();
    let now = host.clock.now_ms();
    let mut db = host.db.auto();
    db.query(
        "INSERT INTO carts (id, created_at, updated_at) VALUES (?1, ?2, ?2)",
        params![id.as_str(), now],
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(super::db::priced(&mut db, &id, Lang::default(), now).await?),
    ))
}

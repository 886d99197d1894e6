//! `GET /api/carts/{id}`: the cart, priced now.

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::cart::Cart;

use crate::error::AppResult;
use crate::extract::path_id;
use crate::port::Host;

/// Reads a cart.
pub async fn handle(State(host): State<Host>, Path(raw): Path<String>) -> AppResult<Json<Cart>> {
    let id = path_id(&raw, "cart")?;
    let mut db = host.db.auto();
    if !super::db::exists(&mut db, &id).await? {
        return Err(ApiError::not_found("cart").into());
    }
    Ok(Json(super::db::priced(&mut db, &id).await?))
}

//! `GET /api/catalog/products/{id}`: one product with its variants.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use comptoir_shared::ApiError;
use comptoir_shared::catalog::{LangQuery, Product};
use comptoir_shared::ids::ProductId;
use comptoir_shared::lang::Lang;

use crate::error::AppResult;
use crate::extract::ApiQuery;
use crate::port::Host;

/// A product page's data, availability included.
#[utoipa::path(
    get,
    path = "/api/catalog/products/{id}",
    operation_id = "get_product",

    summary = "Read a product",
    tag = "catalog",
    description = "Public. A published product with every variant and its live availability, \
        named in the language asked for (French where it has no translation).",
    params(("id" = ProductId, Path, description = "The product's slug."), LangQuery),
    security(()),
    responses(
        (status = 200, description = "The product, with an `ETag` and a short public `Cache-Control`.", body = Product),
        (status = 304, description = "Not modified: `If-None-Match` names the product's current `ETag`."),
        (status = 404, description = "`not_found` (`product`): no published product has this slug.", body = ApiError),
        (status = 422, description = "`validation` (`lang`): not a language the shop speaks.", body = ApiError),
    )
)]
pub async fn handle(
    ApiQuery(query): ApiQuery<LangQuery>,
    State(host): State<Host>,
    headers: HeaderMap,
    Path(raw): Path<String>,
) -> AppResult<Response> {
    let id = ProductId::parse(&raw).map_err(|_| ApiError::not_found("product"))?;
    match read(&host, &id, query.lang).await? {
        Some(product) => crate::cache::json(&headers, &product),
        None => Err(ApiError::not_found("product").into()),
    }
}

/// A published product with its variants' live availability, named in
/// `lang`, if there is one with this slug (the product page renders the
/// same).
pub async fn read(host: &Host, id: &ProductId, lang: Lang) -> anyhow::Result<Option<Product>> {
    let mut db = host.db.auto();
    let Some(row) = super::db::product(&mut db, id, lang).await? else {
        return Ok(None);
    };
    let variants = super::db::variants(&mut db, id).await?;
    Ok(Some(Product {
        name: row.text(0)?.to_owned(),
        description: row.text(1)?.to_owned(),
        category: row.text(2)?.to_owned(),
        category_label: row.text(3)?.to_owned(),
        image: row.text(4)?.to_owned(),
        id: id.clone(),
        variants,
    }))
}

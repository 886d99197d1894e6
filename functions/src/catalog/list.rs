//! `GET /api/catalog/products`: the published catalog, searched, filtered,
//! sorted and paged (see [`ProductQuery`]).
//!
//! The store does the work through its indexes, so a listing costs the
//! page it answers, not the catalog's size: two statements, one for the
//! page (filtered, ordered along an index, `LIMIT`/`OFFSET`), one grouped
//! count per category (without the category filter; the total is read from
//! it), which for the unfiltered catalog is read from the counts kept when
//! products are written. When the filters leave nothing in the chosen
//! category, it is still listed, at 0, named in the shopper's language (a
//! third, small read). Search forgives accents, hyphens and plurals the
//! same way on every store: products are tokenized once per language, when
//! written (`comptoir_shared::search::tokens`, kept in `product_search` by
//! [`super::index`]); the query's tokens must each start one of the tokens
//! in the shopper's language (`lang`), which SQLite answers with FTS5
//! prefix terms and Postgres with a GIN-indexed `tsvector`
//! ([`crate::dialect::Dialect::product_search`]); a search costs the
//! products it matches, which it counts. Names come in that language,
//! French where a product or category is not translated.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use comptoir_shared::ApiError;
use comptoir_shared::catalog::{CategoryCount, ProductPage, ProductQuery};
use comptoir_shared::search;

use crate::error::AppResult;
use crate::extract::ApiQuery;
use crate::port::Host;

/// Lists published products matching the query. A read: it writes nothing
/// (lapsed reservations are released by the job runner, within seconds).
#[utoipa::path(
    get,
    path = "/api/catalog/products",
    operation_id = "list_products",

    summary = "List published products",
    tag = "catalog",
    description = "Public. Published products matching the query, one page at a time, with the \
        number of matching products per category (counted without the category filter). \
        Availability counts the stock reservations of unpaid orders until the job runner \
        releases the lapsed ones (every few seconds).",
    params(ProductQuery),
    security(()),
    responses(
        (status = 200, description = "The page, with an `ETag` and a short public `Cache-Control`.", body = ProductPage),
        (status = 304, description = "Not modified: `If-None-Match` names the page's current `ETag`."),
        (status = 422, description = "`validation`: `q` over 100 characters, `min_price` above `max_price`, or a parameter that does not parse.", body = ApiError),
    )
)]
pub async fn handle(
    State(host): State<Host>,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<ProductQuery>,
) -> AppResult<Response> {
    crate::cache::json(&headers, &search(&host, &query).await?)
}

/// One page of the published catalog for `query` (the catalog page renders
/// the same), or the `validation` refusal of a query it cannot answer.
pub async fn search(host: &Host, query: &ProductQuery) -> AppResult<ProductPage> {
    if query.q.chars().count() > 100 {
        return Err(ApiError::validation("q", "at most 100 characters").into());
    }
    if let (Some(min), Some(max)) = (query.min_price, query.max_price)
        && min > max
    {
        return Err(ApiError::validation("min_price", "above max_price").into());
    }
    let dialect = host.db.dialect();
    let terms = dialect.search_terms(&search::tokens(&query.q));
    let filters = super::db::Filters {
        search: terms.as_deref(),
        min_price: query.min_price,
        max_price: query.max_price,
        in_stock: query.in_stock,
        lang: query.lang,
    };
    let (page, per_page) = (query.page(), query.per_page());
    let offset = u64::from(page - 1) * u64::from(per_page);
    let mut db = host.db.auto();
    let unfiltered = terms.is_none()
        && query.min_price.is_none()
        && query.max_price.is_none()
        && !query.in_stock;
    let categories = if unfiltered {
        super::db::listed_per_category(&mut db, query.lang).await?
    } else {
        super::db::category_counts(&mut db, dialect, &filters).await?
    };
    // The chosen category keeps its place, and its name in the shopper's
    // language, when the filters leave nothing in it (a handful of rows,
    // read only then; the unfiltered counts already list every category).
    let mut categories = categories;
    if !unfiltered
        && !query.category.is_empty()
        && !categories.iter().any(|c| c.name == query.category)
    {
        let listed = super::db::listed_per_category(&mut db, query.lang).await?;
        let order = |name: &str| listed.iter().position(|l| l.name == name);
        if let Some(at) = order(&query.category)
            && let Some(chosen) = listed.get(at)
        {
            let place = categories
                .iter()
                .position(|c| order(&c.name).is_none_or(|i| i > at))
                .unwrap_or(categories.len());
            categories.insert(
                place,
                CategoryCount {
                    count: 0,
                    ..chosen.clone()
                },
            );
        }
    }
    let total = if query.category.is_empty() {
        categories
            .iter()
            .map(|c| c.count)
            .fold(0, u32::saturating_add)
    } else {
        categories
            .iter()
            .find(|c| c.name == query.category)
            .map_or(0, |c| c.count)
    };
    // A page past the end is empty: no need to ask.
    let items = if offset < u64::from(total) {
        super::db::page(
            &mut db,
            dialect,
            &filters,
            &query.category,
            query.sort,
            per_page,
            offset,
        )
        .await?
    } else {
        Vec::new()
    };
    Ok(ProductPage {
        items,
        total,
        page,
        per_page,
        categories,
    })
}

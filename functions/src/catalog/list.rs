//! `GET /api/catalog/products`: the published catalog, searched, filtered,
//! sorted and paged (see [`ProductQuery`]).
//!
//! Matching is done here rather than in SQL so search forgives accents,
//! hyphens and plurals the same way on every database (the rules are in
//! `comptoir_shared::search`); one query reads every published product's
//! card, which stays cheap for a catalog of a few thousand products.

use axum::Json;
use axum::extract::State;
use comptoir_shared::ApiError;
use comptoir_shared::catalog::{CategoryCount, ProductPage, ProductQuery, ProductSort};
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
        (status = 200, description = "The page.", body = ProductPage),
        (status = 422, description = "`validation`: `q` over 100 characters, `min_price` above `max_price`, or a parameter that does not parse.", body = ApiError),
    )
)]
pub async fn handle(
    State(host): State<Host>,
    ApiQuery(query): ApiQuery<ProductQuery>,
) -> AppResult<Json<ProductPage>> {
    Ok(Json(search(&host, &query).await?))
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
    let cards = super::db::cards(&mut host.db.auto()).await?;
    Ok(page(cards, query))
}

/// Applies the query to every published card (in the shop's order).
fn page(cards: Vec<super::db::Card>, query: &ProductQuery) -> ProductPage {
    let wanted = search::tokens(&query.q);
    let mut matching: Vec<super::db::Card> = cards
        .into_iter()
        .filter(|c| {
            let s = &c.summary;
            search::matches(&wanted, &c.tokens)
                && query.min_price.is_none_or(|min| s.price_from.amount >= min)
                && query.max_price.is_none_or(|max| s.price_from.amount <= max)
                && (!query.in_stock || s.in_stock)
        })
        .collect();
    let mut categories: Vec<CategoryCount> = Vec::new();
    for card in &matching {
        match categories
            .iter_mut()
            .find(|c| c.name == card.summary.category)
        {
            Some(c) => c.count += 1,
            None => categories.push(CategoryCount {
                name: card.summary.category.clone(),
                count: 1,
            }),
        }
    }
    if !query.category.is_empty() {
        matching.retain(|c| c.summary.category == query.category);
    }
    match query.sort {
        ProductSort::Featured => {}
        ProductSort::PriceAsc => matching.sort_by_key(|c| c.summary.price_from.amount),
        ProductSort::PriceDesc => {
            matching.sort_by_key(|c| std::cmp::Reverse(c.summary.price_from.amount));
        }
        ProductSort::Name => matching.sort_by_key(|c| search::fold(&c.summary.name)),
    }
    let (page, per_page) = (query.page(), query.per_page());
    let total = u32::try_from(matching.len()).unwrap_or(u32::MAX);
    let skip = usize::try_from((page - 1).saturating_mul(per_page)).unwrap_or(usize::MAX);
    let items = matching
        .into_iter()
        .skip(skip)
        .take(per_page as usize)
        .map(|c| c.summary)
        .collect();
    ProductPage {
        items,
        total,
        page,
        per_page,
        categories,
    }
}

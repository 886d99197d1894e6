//! The shop's pages as complete HTML, rendered with the storefront's own
//! Leptos components (`comptoir_shop::render`) from what the catalog's
//! public functions read: `/` (the catalog, its query in the URL),
//! `/produits/{id}`, `/panier`, `/confidentialite` (the audience
//! measurement and its opt-out), the same under `/en/`, a real 404 page for
//! anything else, and `/sitemap.xml` and `/robots.txt`.
//!
//! A page reads no cookie and depends only on its URL and the catalog, so
//! it is answered like the catalog's JSON ([`crate::cache::public`]): an
//! `ETag`, a short shared `Cache-Control` with `stale-while-revalidate`, 304
//! on a matching `If-None-Match`. Personal parts (the cart, its count) are
//! filled in by the browser's islands.

mod sitemap;

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use comptoir_shared::catalog::{ProductQuery, ProductSort};
use comptoir_shared::ids::ProductId;
use comptoir_shared::site;
use comptoir_shop::{Assets, Document, Lang, Page};

use crate::catalog;
use crate::error::AppResult;
use crate::port::Host;

struct Pages {
    host: Host,
    assets: Assets,
}

type Shared = State<Arc<Pages>>;

/// The built files' names from `{dir}/assets.json` (written by
/// `infra/build-storefront.sh`). Without it the pages still render, linking
/// to names that do not exist: the storefront was not built.
pub fn assets_in(dir: impl AsRef<std::path::Path>) -> Assets {
    let file = dir.as_ref().join("assets.json");
    match std::fs::read(&file)
        .map_err(anyhow::Error::from)
        .and_then(|bytes| Ok(serde_json::from_slice(&bytes)?))
    {
        Ok(assets) => assets,
        Err(e) => {
            tracing::error!(file = %file.display(), error = %e, "the storefront's assets.json cannot be read");
            Assets::default()
        }
    }
}

/// The pages' router (GET and HEAD; any other method on a page is 405).
/// Every answer it gives — pages, a failure, a 405 — carries the page CSP
/// and the security headers (HSTS over https), unless it set the API's
/// (the typed 404 under `/api`).
pub fn router(host: Host, assets: Assets) -> Router {
    let https = host.config.public_base_url.starts_with("https://");
    let state = Arc::new(Pages { host, assets });
    Router::new()
        .route("/", get(catalog_fr))
        .route("/en", get(catalog_en))
        .route("/en/", get(catalog_en))
        .route("/produits/{id}", get(product_fr))
        .route("/en/produits/{id}", get(product_en))
        .route("/panier", get(cart_fr))
        .route("/en/panier", get(cart_en))
        .route("/confidentialite", get(privacy_fr))
        .route("/en/confidentialite", get(privacy_en))
        .route("/sitemap.xml", get(sitemap::sitemap))
        .route("/robots.txt", get(sitemap::robots))
        .fallback(not_found)
        .with_state(state)
        .layer(axum::middleware::map_response(
            move |mut response: Response| async move {
                if !response
                    .headers()
                    .contains_key(header::CONTENT_SECURITY_POLICY)
                {
                    crate::edge::insert_security_headers(
                        response.headers_mut(),
                        site::PAGE_CSP,
                        https,
                    );
                }
                response
            },
        ))
}

async fn catalog_fr(state: Shared, query: RawQuery, headers: HeaderMap) -> AppResult<Response> {
    listing(&state, Lang::Fr, query, &headers).await
}

async fn catalog_en(state: Shared, query: RawQuery, headers: HeaderMap) -> AppResult<Response> {
    listing(&state, Lang::En, query, &headers).await
}

/// A slug that is not even text (`/produits/%FF`) is a product that does not exist.
type Slug = Result<Path<String>, axum::extract::rejection::PathRejection>;

async fn product_fr(state: Shared, id: Slug, headers: HeaderMap) -> AppResult<Response> {
    product(&state, Lang::Fr, id.ok(), &headers).await
}

async fn product_en(state: Shared, id: Slug, headers: HeaderMap) -> AppResult<Response> {
    product(&state, Lang::En, id.ok(), &headers).await
}

async fn cart_fr(state: Shared, headers: HeaderMap) -> Response {
    answer(&state, Lang::Fr, Page::Cart, StatusCode::OK, &headers)
}

async fn cart_en(state: Shared, headers: HeaderMap) -> Response {
    answer(&state, Lang::En, Page::Cart, StatusCode::OK, &headers)
}

async fn privacy_fr(state: Shared, headers: HeaderMap) -> Response {
    answer(&state, Lang::Fr, Page::Privacy, StatusCode::OK, &headers)
}

async fn privacy_en(state: Shared, headers: HeaderMap) -> Response {
    answer(&state, Lang::En, Page::Privacy, StatusCode::OK, &headers)
}

async fn listing(
    state: &Pages,
    lang: Lang,
    RawQuery(raw): RawQuery,
    headers: &HeaderMap,
) -> AppResult<Response> {
    let query = ProductQuery {
        lang,
        ..page_query(raw.as_deref().unwrap_or_default())
    };
    let page = catalog::list::search(&state.host, &query).await?;
    Ok(answer(
        state,
        lang,
        Page::Catalog { query, page },
        StatusCode::OK,
        headers,
    ))
}

async fn product(
    state: &Pages,
    lang: Lang,
    raw: Option<Path<String>>,
    headers: &HeaderMap,
) -> AppResult<Response> {
    let found = match raw.map(|Path(raw)| ProductId::parse(&raw)) {
        Some(Ok(id)) => catalog::get::read(&state.host, &id, lang).await?,
        _ => None,
    };
    Ok(match found {
        Some(p) => answer(state, lang, Page::Product(p), StatusCode::OK, headers),
        None => answer(state, lang, Page::NotFound, StatusCode::NOT_FOUND, headers),
    })
}

/// Any other path: the API's typed 404 under `/api`, else the "not found"
/// page, in English under `/en/`.
async fn not_found(state: Shared, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path();
    if path == "/api" || path.starts_with("/api/") {
        let mut response = crate::error::no_route().await.into_response();
        crate::edge::api_headers(
            &mut response,
            state.host.config.public_base_url.starts_with("https://"),
        );
        return response;
    }
    let lang = if path == "/en" || path.starts_with("/en/") {
        Lang::En
    } else {
        Lang::Fr
    };
    answer(
        &state,
        lang,
        Page::NotFound,
        StatusCode::NOT_FOUND,
        &headers,
    )
}

/// The highest page number a catalog page reads from its URL.
const MAX_PAGE: u32 = 100_000;

/// A catalog page's query, read leniently (a page never refuses its URL):
/// the API's parameters, plus the form's prices in whole euros
/// (`prix_min`, `prix_max`); unknown ones (`utm_source`…) ignored; a search
/// cut at 100 characters; an upper price below the lower one dropped.
pub fn page_query(raw: &str) -> ProductQuery {
    let mut query = ProductQuery::default();
    let cents = |v: &str, per_unit: i64| {
        v.trim()
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .and_then(|n| n.checked_mul(per_unit))
    };
    for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
        match &*key {
            "q" => query.q = value.chars().take(100).collect(),
            "category" => query.category = value.into_owned(),
            "min_price" => query.min_price = cents(&value, 1).or(query.min_price),
            "max_price" => query.max_price = cents(&value, 1).or(query.max_price),
            comptoir_shop::pages::catalog::MIN_EUROS => {
                query.min_price = cents(&value, 100).or(query.min_price);
            }
            comptoir_shop::pages::catalog::MAX_EUROS => {
                query.max_price = cents(&value, 100).or(query.max_price);
            }
            "in_stock" => query.in_stock = value == "true",
            "sort" => {
                query.sort = ProductSort::ALL
                    .into_iter()
                    .find(|s| s.as_str() == value)
                    .unwrap_or_default();
            }
            // Past any real catalog's end (an empty page), but never near
            // the integer's limit.
            "page" => {
                query.page = value
                    .parse()
                    .ok()
                    .filter(|p| *p >= 1)
                    .map(|p: u32| p.min(MAX_PAGE))
            }
            "per_page" => query.per_page = value.parse().ok(),
            _ => {}
        }
    }
    if let (Some(min), Some(max)) = (query.min_price, query.max_price)
        && max < min
    {
        query.max_price = None;
    }
    query
}

/// The page's HTML with its validators and cache policy, or 304 when the
/// browser or cache already holds this very page.
fn answer(
    state: &Pages,
    lang: Lang,
    page: Page,
    status: StatusCode,
    headers: &HeaderMap,
) -> Response {
    let html = comptoir_shop::render(Document {
        lang,
        page,
        base_url: state.host.config.public_base_url.clone(),
        assets: state.assets.clone(),
    });
    let mut response = crate::cache::public(
        headers,
        status,
        "text/html; charset=utf-8",
        html.into_bytes(),
    );
    response.headers_mut().insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(lang.code()),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_reads_its_url_leniently() {
        let q = page_query(
            "q=lin&prix_min=10&prix_max=5&in_stock=true&sort=price_asc&page=0&utm_source=x",
        );
        assert_eq!(q.q, "lin");
        assert_eq!(q.min_price, Some(1000));
        assert_eq!(q.max_price, None, "below the minimum: dropped");
        assert!(q.in_stock);
        assert_eq!(q.sort, ProductSort::PriceAsc);
        assert_eq!(q.page, None);
        let q = page_query("min_price=2500&max_price=abc&sort=nope&category=Hauts");
        assert_eq!(
            (q.min_price, q.max_price, q.sort, q.category.as_str()),
            (Some(2500), None, ProductSort::Featured, "Hauts")
        );
        assert_eq!(page_query(&format!("q={}", "a".repeat(300))).q.len(), 100);
        assert_eq!(page_query("prix_min=99999999999999999").min_price, None);
    }
}

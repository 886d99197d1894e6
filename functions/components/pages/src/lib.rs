//! Spin component for the shop's pages: hands every request on its routes to
//! [`comptoir_functions::pages::router`], which renders them with the
//! storefront's Leptos components (not behind the API's edge: pages set
//! their own headers and answer their own 404 page, as on the native host). The built storefront is mounted at
//! `/storefront` (its `assets.json` names the hashed files the pages link to).

use spin_sdk::http::Request;
use spin_sdk::http_service;

#[http_service]
async fn handle(request: Request) -> axum::response::Response {
    comptoir_spin_host::serve_pages(request, |host| {
        comptoir_functions::pages::router(host, comptoir_functions::pages::assets_in("/storefront"))
    })
    .await
}

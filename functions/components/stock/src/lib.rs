//! Spin component for the `stock` function: hands every request on its route
//! to [`comptoir_functions::tables::stock::router`].

use spin_sdk::http::Request;
use spin_sdk::http_service;

#[http_service]
async fn handle(request: Request) -> axum::response::Response {
    comptoir_spin_host::serve(request, comptoir_functions::tables::stock::router).await
}

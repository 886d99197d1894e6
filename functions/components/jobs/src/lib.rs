//! Spin component for the `jobs` function: hands every request on its
//! routes (`/api/jobs/...`, `/api/health`) to [`comptoir_functions::jobs::router`].

use spin_sdk::http::Request;
use spin_sdk::http_service;

#[http_service]
async fn handle(request: Request) -> axum::response::Response {
    comptoir_spin_host::serve(request, comptoir_functions::jobs::router).await
}

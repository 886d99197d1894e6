//! Spin component serving the storefront's static files from the folder
//! `spin.toml` mounts at `/storefront` (its routes: `/pkg/`, `/img/`,
//! `/compte/`, `/admin/`; the shop's pages are the `pages` component's).
//! Paths without a file extension that match no file get the page booting
//! their bundle (`compte/index.html` under `/compte`, `admin/index.html`
//! under `/admin`), so the client-side router owns them.
//! The API document is served at `site::API_DOCUMENT_PATH` from the committed
//! `docs/openapi.json` (mounted at `site::API_DOCUMENT_FILE`).
//! Every answer carries the storefront's CSP and the shared security headers
//! (`comptoir_shared::site`), HSTS when `public_base_url` is https.

use bytes::Bytes;
use http::{HeaderValue, StatusCode, header};
use spin_sdk::http::{FullBody, Request, Response};
use spin_sdk::http_service;

use comptoir_shared::site;

const ROOT: &str = "/storefront";

#[http_service]
async fn handle(request: Request) -> Response<FullBody<Bytes>> {
    let https = spin_sdk::variables::get("public_base_url")
        .await
        .is_ok_and(|url| url.starts_with("https://"));
    let path = request.uri().path();
    let mut response = match read(path) {
        Some((bytes, content_type, cache)) => response(StatusCode::OK, content_type, cache, bytes),
        None if is_api(path) => response(
            StatusCode::NOT_FOUND,
            "application/json",
            "no-store",
            site::NO_ROUTE_JSON.as_bytes().to_vec(),
        ),
        None => response(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            "no-store",
            b"not found".to_vec(),
        ),
    };
    let csp = if is_api(path) {
        site::API_CSP
    } else {
        site::PAGE_CSP
    };
    let headers = response.headers_mut();
    for (name, value) in site::security_headers(csp, https) {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

fn read(path: &str) -> Option<(Vec<u8>, &'static str, &'static str)> {
    if path == site::API_DOCUMENT_PATH {
        return std::fs::read(site::API_DOCUMENT_FILE)
            .ok()
            .map(|bytes| (bytes, "application/json", "no-cache"));
    }
    let relative = path.trim_start_matches('/');
    // Refuse anything that could leave the mounted folder.
    if relative
        .split('/')
        .any(|seg| seg == ".." || seg.starts_with('.'))
        || relative.contains('\\')
    {
        return None;
    }
    let file = if relative.is_empty() {
        "index.html"
    } else {
        relative
    };
    if let Ok(bytes) = std::fs::read(format!("{ROOT}/{file}")) {
        return Some((bytes, content_type(file), site::cache_policy(file)));
    }
    let last = relative.rsplit('/').next().unwrap_or_default();
    // No file, no page: asset-looking paths and unrouted API paths are 404s.
    if last.contains('.') || is_api(path) {
        return None;
    }
    std::fs::read(format!("{ROOT}/{}", comptoir_shared::site::index_for(path)))
        .ok()
        .map(|bytes| (bytes, "text/html; charset=utf-8", "no-cache"))
}

fn content_type(file: &str) -> &'static str {
    match file.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" => "application/json",
        _ => "application/octet-stream",
    }
}

fn response(
    status: StatusCode,
    content_type: &'static str,
    cache: &'static str,
    bytes: Vec<u8>,
) -> Response<FullBody<Bytes>> {
    let mut response = Response::new(FullBody::new(Bytes::from(bytes)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

//! Spin component serving the storefront's static files from the folder
//! `spin.toml` mounts at `/storefront`. Paths without a file extension that
//! match no file get the page booting their bundle (`index.html`, or
//! `compte/index.html` under `/compte`), so the client-side router owns them —
//! except under `/api/`, where a miss is a 404.

use bytes::Bytes;
use http::{HeaderValue, StatusCode, header};
use spin_sdk::http::{FullBody, Request, Response};
use spin_sdk::http_service;

const ROOT: &str = "/storefront";

#[http_service]
async fn handle(request: Request) -> Response<FullBody<Bytes>> {
    match read(request.uri().path()) {
        Some((bytes, content_type, cache)) => response(StatusCode::OK, content_type, cache, bytes),
        None => response(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            "no-store",
            b"not found".to_vec(),
        ),
    }
}

fn read(path: &str) -> Option<(Vec<u8>, &'static str, &'static str)> {
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
        return Some((bytes, content_type(file), cache_policy(file)));
    }
    let last = relative.rsplit('/').next().unwrap_or_default();
    // No file, no page: asset-looking paths and unrouted API paths are 404s.
    if last.contains('.') || relative == "api" || relative.starts_with("api/") {
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

fn cache_policy(file: &str) -> &'static str {
    if file.starts_with("img/") {
        "public, max-age=86400"
    } else {
        "no-cache"
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
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

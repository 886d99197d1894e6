//! Answers any cache may keep: what the public catalog serves (its JSON and
//! the shop's pages) depends only on the URL and the catalog, so it carries
//! a weak `ETag` (SHA-256 of the body, shortened; weak because a proxy or
//! the native host may gzip the body it names) and a short shared
//! `Cache-Control` with `stale-while-revalidate`; a matching
//! `If-None-Match` gets `304 Not Modified` and no body.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// How long any cache may serve a public answer without asking (a minute),
/// then how long it may still serve it while it revalidates in the
/// background (ten more): the availability a cached page shows may be that
/// old; the cart and checkout always ask the functions.
pub const PUBLIC: &str = "public, max-age=60, stale-while-revalidate=600";

/// A weak validator of `body` (same content, whatever its encoding).
pub fn etag_of(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    format!("W/\"{}\"", hex::encode(&digest[..16]))
}

/// Whether `If-None-Match` names `etag` (or `*`), weak or strong.
pub fn matches_etag(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|v| v.trim().trim_start_matches("W/"))
        .any(|v| v == "*" || v == etag.trim_start_matches("W/"))
}

/// `body` with `status`, its type, `ETag` and the [`PUBLIC`] policy — or
/// 304 when the request already holds it (only for a 200: an error page is
/// sent whole).
pub fn public(
    request: &HeaderMap,
    status: StatusCode,
    content_type: &'static str,
    body: Vec<u8>,
) -> Response {
    let etag = etag_of(&body);
    let mut response = if status == StatusCode::OK && matches_etag(request, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (status, body).into_response()
    };
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(PUBLIC));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, value);
    }
    response
}

/// A contract value as cacheable JSON.
pub fn json(
    request: &HeaderMap,
    value: &impl serde::Serialize,
) -> crate::error::AppResult<Response> {
    let body = serde_json::to_vec(value).map_err(anyhow::Error::from)?;
    Ok(public(request, StatusCode::OK, "application/json", body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_is_compared_as_a_list() {
        let etag = etag_of(b"page");
        let mut headers = HeaderMap::new();
        assert!(!matches_etag(&headers, &etag));
        headers.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_str(&format!("\"other\", {}", etag.trim_start_matches("W/")))
                .unwrap_or(HeaderValue::from_static("")),
        );
        assert!(matches_etag(&headers, &etag));
        assert_ne!(etag_of(b"page"), etag_of(b"page!"));
        let fresh = public(&headers, StatusCode::OK, "text/plain", b"page".to_vec());
        assert_eq!(fresh.status(), StatusCode::NOT_MODIFIED);
        let missing = public(
            &headers,
            StatusCode::NOT_FOUND,
            "text/plain",
            b"page".to_vec(),
        );
        assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    }
}

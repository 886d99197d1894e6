//! The edge every function's router sits behind, whichever host runs it
//! ([`crate::router_for`] applies it, for the native host and the Spin
//! components alike). One rule, one place:
//!
//! - **State changes come from the shop's own pages.** A `POST`, `PUT`,
//!   `PATCH` or `DELETE` whose `Origin` is not one of the shop's origins
//!   ([`Config::origins`]) — or, without `Origin`, whose `Sec-Fetch-Site` says
//!   `cross-site` or `same-site` — is refused `cross_origin` (403) before any
//!   handler runs; a body not declared `application/json` is refused
//!   `unsupported_media_type` (415). A sibling origin of the same site passes
//!   `SameSite` cookies, so the origin check is the barrier, not the cookie.
//!   The payment webhook is exempt: the provider's servers call it, and its
//!   signature is its proof.
//! - **Bodies are bounded**: more than [`MAX_BODY`] bytes is `payload_too_large` (413).
//! - **Every refusal is typed JSON**: an answer with an error status that is
//!   not JSON (an extractor's plain-text rejection) is rewritten as the
//!   [`ApiError`] of its status.
//! - **Every answer carries the security headers** ([`comptoir_shared::site`]),
//!   HSTS when the shop is served over https, and `Cache-Control: no-store`
//!   unless the handler chose a policy: API answers are personal by default.

use std::net::IpAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use comptoir_shared::ApiError;
use comptoir_shared::site;

use crate::config::{Config, origin_of};
use crate::error::AppError;

/// Largest request body any function reads.
pub const MAX_BODY: usize = 64 * 1024;

/// Where the payment provider posts its events (`crate::payments::webhook`).
pub const WEBHOOK_PATH: &str = "/api/payments/webhook";

/// Paths exempt from the origin and media-type rule: called by servers, not
/// pages, and authenticated by their own signature.
pub const EXEMPT: [&str; 1] = [WEBHOOK_PATH];

/// `router` behind the edge.
pub fn guard(router: Router, config: Arc<Config>) -> Router {
    router.layer(axum::middleware::from_fn_with_state(config, edge))
}

async fn edge(State(config): State<Arc<Config>>, request: Request, next: Next) -> Response {
    let mut response = match admit(&config, request).await {
        Ok(request) => next.run(request).await,
        Err(refusal) => AppError::Api(refusal).into_response(),
    };
    if is_refusal(&response) && !is_json(response.headers()) {
        // Same status, typed body.
        let status = response.status();
        response = (status, axum::Json(typed_refusal(status))).into_response();
    }
    api_headers(
        &mut response,
        config.public_base_url.starts_with("https://"),
    );
    response
}

/// What every API answer carries that its handler did not set: the security
/// headers with the API's CSP, and `Cache-Control: no-store`. Also for the
/// answers a host gives before the edge could run (a failed start-up, a
/// panic).
pub fn api_headers(response: &mut Response, https: bool) {
    let headers = response.headers_mut();
    insert_security_headers(headers, site::API_CSP, https);
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

/// Adds the security headers a handler did not set itself: `csp`, the
/// shared set, and HSTS when the shop is on https. Also used by the native
/// host for the storefront's files.
pub fn insert_security_headers(headers: &mut HeaderMap, csp: &'static str, https: bool) {
    for (name, value) in site::security_headers(csp, https) {
        if !headers.contains_key(name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
}

/// Whether `method` may change state (everything but the safe methods).
fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

async fn admit(config: &Config, request: Request) -> Result<Request, ApiError> {
    let (parts, body) = request.into_parts();
    let guarded = changes_state(&parts.method) && !EXEMPT.contains(&parts.uri.path());
    if guarded {
        check_origin(config, &parts.headers)?;
    }
    let too_large = ApiError::PayloadTooLarge {
        max_bytes: MAX_BODY as u32,
    };
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return Err(too_large);
    }
    let bytes = axum::body::to_bytes(body, MAX_BODY).await.map_err(|e| {
        match e
            .into_inner()
            .downcast::<http_body_util::LengthLimitError>()
        {
            Ok(_) => too_large,
            Err(e) => ApiError::MalformedRequest {
                message: format!("reading the body: {e}"),
            },
        }
    })?;
    if guarded {
        check_media_type(&parts.headers, !bytes.is_empty())?;
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// The origin rule: `Origin` must be one of the shop's; without it, the
/// browser's `Sec-Fetch-Site` must not say the request is from another site
/// or a sibling one. (No header at all: not a browser, so no ambient cookie
/// to abuse — a script with stolen credentials is not what this guards.)
pub fn check_origin(config: &Config, headers: &HeaderMap) -> Result<(), ApiError> {
    match headers.get(header::ORIGIN) {
        Some(origin) => {
            let ours = origin
                .to_str()
                .ok()
                .and_then(origin_of)
                .is_some_and(|origin| config.origins.contains(&origin));
            if ours {
                Ok(())
            } else {
                Err(ApiError::CrossOrigin)
            }
        }
        None => match headers.get("sec-fetch-site").map(HeaderValue::as_bytes) {
            Some(b"cross-site" | b"same-site") => Err(ApiError::CrossOrigin),
            _ => Ok(()),
        },
    }
}

/// A state-changing body must be declared JSON; an empty one may declare
/// nothing, but never another type (an HTML form always declares its own).
pub fn check_media_type(headers: &HeaderMap, has_body: bool) -> Result<(), ApiError> {
    let declared = headers.get(header::CONTENT_TYPE);
    let json = declared.is_some_and(|v| is_json_type(v.as_bytes()));
    if json || (declared.is_none() && !has_body) {
        Ok(())
    } else {
        Err(ApiError::UnsupportedMediaType {
            expected: "application/json".into(),
        })
    }
}

fn is_json_type(value: &[u8]) -> bool {
    let essence = value.split(|b| *b == b';').next().unwrap_or_default();
    essence
        .trim_ascii()
        .eq_ignore_ascii_case(b"application/json")
}

fn is_refusal(response: &Response) -> bool {
    response.status().is_client_error() || response.status().is_server_error()
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| is_json_type(v.as_bytes()))
}

/// The typed refusal for an untyped error answer of `status`.
fn typed_refusal(status: StatusCode) -> ApiError {
    let reason = status.canonical_reason().unwrap_or("refused").to_owned();
    match status {
        StatusCode::UNAUTHORIZED => ApiError::Unauthorized,
        StatusCode::FORBIDDEN => ApiError::Forbidden,
        StatusCode::CONFLICT => ApiError::Conflict { message: reason },
        StatusCode::UNPROCESSABLE_ENTITY => ApiError::validation("request", reason),
        StatusCode::TOO_MANY_REQUESTS => ApiError::TooManyAttempts {
            retry_after_seconds: 1,
        },
        StatusCode::NOT_FOUND => ApiError::not_found("route"),
        StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge {
            max_bytes: MAX_BODY as u32,
        },
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType {
            expected: "application/json".into(),
        },
        s if s.is_server_error() => ApiError::Internal,
        _ => ApiError::MalformedRequest { message: reason },
    }
}

/// The network peer of a request, put in its extensions by the host: the
/// native host from the TCP connection, Spin from `spin-client-addr`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerAddr(pub IpAddr);

/// The client a request comes from: the peer, or — when the peer is one of
/// [`Config::trusted_proxies`] — the nearest address in `X-Forwarded-For`
/// that is not a trusted proxy itself. IPv4-mapped IPv6 addresses read as
/// the IPv4 address they carry. `None` when the host gave no peer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub Option<IpAddr>);

impl ClientAddr {
    /// Works the client out of the peer and the forwarding header.
    pub fn resolve(peer: Option<IpAddr>, forwarded_for: &[&str], trusted: &[ipnet::IpNet]) -> Self {
        let Some(mut client) = peer.map(|ip| ip.to_canonical()) else {
            return Self(None);
        };
        let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
        // Walk back from the nearest hop while it is a proxy we trust.
        for hop in forwarded_for
            .iter()
            .rev()
            .flat_map(|v| v.rsplit(','))
            .map(str::trim)
        {
            if !is_trusted(&client) {
                break;
            }
            match hop.parse::<IpAddr>() {
                Ok(ip) => client = ip.to_canonical(),
                Err(_) => break,
            }
        }
        Self(Some(client))
    }
}

impl FromRequestParts<crate::port::Host> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        host: &crate::port::Host,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<PeerAddr>().map(|p| p.0);
        let forwarded: Vec<&str> = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        Ok(Self::resolve(
            peer,
            &forwarded,
            &host.config.trusted_proxies,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config::from_lookup(|n| (n == "allowed_origins").then(|| "http://localhost:3000".into()))
            .unwrap()
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn only_the_shops_own_origins_may_change_state() {
        let c = config();
        for ok in [
            vec![("origin", "http://127.0.0.1:3000")],
            vec![("origin", "http://LOCALHOST:3000")],
            vec![("sec-fetch-site", "same-origin")],
            vec![("sec-fetch-site", "none")],
            vec![],
        ] {
            assert_eq!(check_origin(&c, &headers(&ok)), Ok(()), "{ok:?}");
        }
        for refused in [
            vec![("origin", "http://127.0.0.1:3001")],
            vec![("origin", "http://evil.127.0.0.1:3000")],
            vec![("origin", "null")],
            vec![("origin", "https://127.0.0.1:3000")],
            vec![("sec-fetch-site", "same-site")],
            vec![("sec-fetch-site", "cross-site")],
            vec![
                ("origin", "http://127.0.0.1:3001"),
                ("sec-fetch-site", "same-origin"),
            ],
        ] {
            assert_eq!(
                check_origin(&c, &headers(&refused)),
                Err(ApiError::CrossOrigin),
                "{refused:?}"
            );
        }
    }

    #[test]
    fn a_body_must_be_declared_json() {
        for ok in [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON",
        ] {
            assert!(check_media_type(&headers(&[("content-type", ok)]), true).is_ok());
        }
        assert!(check_media_type(&HeaderMap::new(), false).is_ok());
        for refused in [
            "text/plain",
            "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded",
            "application/jsonp",
        ] {
            assert!(check_media_type(&headers(&[("content-type", refused)]), true).is_err());
            assert!(check_media_type(&headers(&[("content-type", refused)]), false).is_err());
        }
        assert!(check_media_type(&HeaderMap::new(), true).is_err());
    }

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let client: IpAddr = "203.0.113.7".parse().unwrap();
        let trusted = [ipnet::IpNet::from(proxy)];
        assert_eq!(
            ClientAddr::resolve(Some(client), &["198.51.100.1"], &trusted),
            ClientAddr(Some(client)),
            "an untrusted peer cannot name another client"
        );
        assert_eq!(
            ClientAddr::resolve(Some(proxy), &["198.51.100.1, 203.0.113.7"], &trusted),
            ClientAddr(Some(client)),
            "the nearest untrusted hop, not the spoofable leftmost one"
        );
        assert_eq!(
            ClientAddr::resolve(Some(proxy), &["203.0.113.7", "10.0.0.1"], &trusted),
            ClientAddr(Some(client))
        );
        assert_eq!(
            ClientAddr::resolve(Some(proxy), &[], &trusted),
            ClientAddr(Some(proxy))
        );
        assert_eq!(ClientAddr::resolve(None, &[], &trusted), ClientAddr(None));
        let mapped: IpAddr = "::ffff:10.0.0.1".parse().unwrap();
        assert_eq!(
            ClientAddr::resolve(Some(mapped), &["203.0.113.7"], &trusted),
            ClientAddr(Some(client)),
            "an IPv4-mapped proxy is the proxy"
        );
        let pods: [ipnet::IpNet; 1] = ["10.42.0.0/16".parse().unwrap()];
        assert_eq!(
            ClientAddr::resolve(
                Some("10.42.3.4".parse().unwrap()),
                &["203.0.113.7, 10.42.9.9"],
                &pods
            ),
            ClientAddr(Some(client)),
            "a range of proxies"
        );
    }
}

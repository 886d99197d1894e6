//! Which browser bundle serves a page. The storefront is split so a shopper's
//! first load carries only the shop; pages under `/compte` (checkout,
//! payment, orders, the customer portal) belong to the account bundle, pages
//! under `/admin` to the staff bundle. Both
//! hosts' file servers and the bundles' own links follow this one rule.

/// Where the account bundle's pages live.
pub const ACCOUNT_PREFIX: &str = "/compte";

/// Whether `path` (without query string) is an account-bundle page.
pub fn in_account(path: &str) -> bool {
    under(path, ACCOUNT_PREFIX)
}

/// Where the staff bundle's pages live.
pub const ADMIN_PREFIX: &str = "/admin";

fn under(path: &str, prefix: &str) -> bool {
    path.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The HTML page (relative to the storefront folder) that boots the bundle
/// serving `path`.
pub fn index_for(path: &str) -> &'static str {
    if in_account(path) {
        "compte/index.html"
    } else if under(path, ADMIN_PREFIX) {
        "admin/index.html"
    } else {
        "index.html"
    }
}

/// How long a cache may keep a storefront file: the bundles and the
/// stylesheet under `/pkg/` are named by their content hash, so forever;
/// images a day; anything else (the account and staff pages) is revalidated.
pub fn cache_policy(path: &str) -> &'static str {
    let path = path.trim_start_matches('/');
    if path.starts_with("pkg/") {
        "public, max-age=31536000, immutable"
    } else if path.starts_with("img/") {
        "public, max-age=86400"
    } else {
        "no-cache"
    }
}

/// The Content-Security-Policy of the storefront's pages: everything from
/// the shop's own origin, WebAssembly compiled by the bundles
/// (`'wasm-unsafe-eval'`), no inline script or style, no plugin, no framing,
/// forms posting only home.
pub const PAGE_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The Content-Security-Policy of API answers (JSON, CSV): nothing runs, nothing frames.
pub const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";

/// The headers every answer carries, pages and API alike, besides its CSP.
pub const SECURITY_HEADERS: [(&str, &str); 4] = [
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "strict-origin-when-cross-origin"),
    ("cross-origin-opener-policy", "same-origin"),
];

/// `Strict-Transport-Security`, sent when the shop's public address is https.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

/// Every security header of an answer with `csp` as its policy: the
/// shared set, the CSP, and HSTS when the shop is served over `https`.
pub fn security_headers(
    csp: &'static str,
    https: bool,
) -> impl Iterator<Item = (&'static str, &'static str)> {
    SECURITY_HEADERS
        .into_iter()
        .chain([("content-security-policy", csp)])
        .chain(https.then_some(("strict-transport-security", HSTS)))
}

/// The typed 404 (`ApiError::NotFound { resource: "route" }`) for an API
/// path no function serves, for file servers that do not link serde_json.
pub const NO_ROUTE_JSON: &str = r#"{"error":"not_found","resource":"route"}"#;

/// Where the API's OpenAPI document is served: by the native host from the
/// functions' in-process document, under Spin by the `files` component from
/// the committed [`API_DOCUMENT_FILE`].
pub const API_DOCUMENT_PATH: &str = "/api/openapi.json";

/// The committed API document, as `spin.toml` mounts it into the `files`
/// component (`docs/openapi.json` of the repository).
pub const API_DOCUMENT_FILE: &str = "/docs/openapi.json";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_no_route_answer_is_the_typed_error() {
        assert_eq!(
            serde_json::to_string(&crate::ApiError::not_found("route")).unwrap(),
            NO_ROUTE_JSON
        );
    }

    #[test]
    fn hashed_files_are_kept_forever_and_pages_revalidated() {
        assert_eq!(
            cache_policy("/pkg/comptoir_shop_bg.0123456789abcdef.wasm"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(cache_policy("img/products/a.svg"), "public, max-age=86400");
        assert_eq!(cache_policy("/compte/index.html"), "no-cache");
    }

    #[test]
    fn account_and_staff_pages_and_only_them_boot_their_bundles() {
        for path in [
            "/compte",
            "/compte/",
            "/compte/commandes/abc",
            "/compte/connexion",
        ] {
            assert_eq!(index_for(path), "compte/index.html", "{path}");
        }
        for path in ["/admin", "/admin/commandes/abc"] {
            assert_eq!(index_for(path), "admin/index.html", "{path}");
        }
        for path in [
            "/",
            "/panier",
            "/produits/t-shirt-lin",
            "/comptes",
            "/compteur",
            "/administration",
        ] {
            assert_eq!(index_for(path), "index.html", "{path}");
        }
    }
}

//! `/sitemap.xml` (the home page, the privacy page, every category and
//! every published product, each with its other language and, for products and categories,
//! `lastmod`: when the product, or the category's latest, last changed) and `/robots.txt` (the staff and
//! account areas, the cart and the API kept out; the sitemap named).

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use comptoir_shared::catalog::ProductQuery;
use comptoir_shop::Lang;

use super::Shared;
use crate::catalog;
use crate::error::AppResult;

pub(super) async fn sitemap(State(state): Shared) -> AppResult<Response> {
    let products = catalog::sitemap::published(&state.host).await?;
    let base = state.host.config.public_base_url.trim_end_matches('/');
    // Each category dated by its latest product change.
    let mut categories: BTreeMap<&str, i64> = BTreeMap::new();
    for p in &products {
        let latest = categories.entry(p.category.as_str()).or_default();
        *latest = (*latest).max(p.updated_at);
    }
    // The home and the privacy page, undated; then categories and products.
    let mut pages = vec![("/".to_owned(), 0)];
    pages.extend(comptoir_shop::Page::Privacy.path().map(|path| (path, 0)));
    pages.extend(categories.into_iter().map(|(c, updated_at)| {
        let query = ProductQuery {
            category: c.to_owned(),
            ..ProductQuery::default()
        };
        (format!("/?{}", query.to_query_string()), updated_at)
    }));
    pages.extend(products.iter().map(|p| {
        (
            comptoir_shop::head::product_path(Lang::Fr, &p.id),
            p.updated_at,
        )
    }));
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for (path, updated_at) in &pages {
        for lang in [Lang::Fr, Lang::En] {
            xml.push_str("<url><loc>");
            xml.push_str(&escape(&format!("{base}{}", lang.path(path))));
            xml.push_str("</loc>");
            if let Some(day) = w3c_date(*updated_at) {
                xml.push_str(&format!("<lastmod>{day}</lastmod>"));
            }
            for alternate in [Lang::Fr, Lang::En] {
                xml.push_str(&format!(
                    "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                    alternate.code(),
                    escape(&format!("{base}{}", alternate.path(path)))
                ));
            }
            xml.push_str("</url>\n");
        }
    }
    xml.push_str("</urlset>\n");
    Ok(text("application/xml; charset=utf-8", xml))
}

/// `YYYY-MM-DD` (UTC) of a Unix-ms time; `None` for 0 (unknown).
fn w3c_date(unix_ms: i64) -> Option<String> {
    (unix_ms > 0).then(|| comptoir_shared::calendar::iso_date(unix_ms))
}

pub(super) async fn robots(State(state): Shared) -> Response {
    let base = state.host.config.public_base_url.trim_end_matches('/');
    let body = format!(
        "User-agent: *\n\
         Disallow: /admin\n\
         Disallow: /compte\n\
         Disallow: /panier\n\
         Disallow: /en/panier\n\
         Disallow: /api/\n\
         Allow: /\n\
         \n\
         Sitemap: {base}/sitemap.xml\n"
    );
    text("text/plain; charset=utf-8", body)
}

fn text(content_type: &'static str, body: String) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(crate::cache::PUBLIC),
    );
    response
}

/// XML's five special characters.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lastmod_is_the_utc_day() {
        assert_eq!(w3c_date(0), None);
        assert_eq!(w3c_date(1).as_deref(), Some("1970-01-01"));
        // 2026-11-29T21:00:00Z
        assert_eq!(w3c_date(1_795_986_000_000).as_deref(), Some("2026-11-29"));
        // 2024-02-29T23:59:59.999Z, a leap day
        assert_eq!(w3c_date(1_709_251_199_999).as_deref(), Some("2024-02-29"));
        assert_eq!(w3c_date(1_709_251_200_000).as_deref(), Some("2024-03-01"));
    }
}

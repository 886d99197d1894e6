//! `/sitemap.xml` (the home page, every category and every published
//! product, each with its other language) and `/robots.txt` (the staff and
//! account areas, the cart and the API kept out; the sitemap named).

use std::collections::BTreeSet;

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use comptoir_shared::catalog::ProductQuery;
use comptoir_shop::Lang;

use super::{Shared, page_headers};
use crate::catalog;
use crate::error::AppResult;

pub(super) async fn sitemap(State(state): Shared) -> AppResult<Response> {
    let products = catalog::sitemap::published(&state.host).await?;
    let base = state.host.config.public_base_url.trim_end_matches('/');
    let categories: BTreeSet<&str> = products.iter().map(|(_, c)| c.as_str()).collect();
    let mut paths = vec!["/".to_owned()];
    paths.extend(categories.into_iter().map(|c| {
        let query = ProductQuery {
            category: c.to_owned(),
            ..ProductQuery::default()
        };
        format!("/?{}", query.to_query_string())
    }));
    paths.extend(
        products
            .iter()
            .map(|(id, _)| comptoir_shop::head::product_path(Lang::Fr, id)),
    );
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for path in &paths {
        for lang in [Lang::Fr, Lang::En] {
            xml.push_str("<url><loc>");
            xml.push_str(&escape(&format!("{base}{}", lang.path(path))));
            xml.push_str("</loc>");
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
    Ok(text(&state, "application/xml; charset=utf-8", xml))
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
    text(&state, "text/plain; charset=utf-8", body)
}

fn text(state: &super::Pages, content_type: &'static str, body: String) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(crate::cache::PUBLIC),
    );
    page_headers(state, &mut response);
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

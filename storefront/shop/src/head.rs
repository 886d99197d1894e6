//! What search engines and link previews read: per-page title and
//! description, the canonical URL and its other language (`hreflang`), Open
//! Graph, schema.org `Product`/`Offer` and `BreadcrumbList` as JSON-LD — and
//! the stylesheet and boot module, by their content-hashed names.

use comptoir_shared::catalog::{Availability, Product, ProductQuery};
use comptoir_shared::ids::ProductId;
use comptoir_ui::i18n::Lang;
use comptoir_ui::paths;
use leptos::prelude::*;
use serde_json::{Value, json};

use crate::{Document, Page};

impl Page {
    /// The page's French path (and query), for canonical and alternate
    /// URLs: a listing keeps only its category and page (a search or a
    /// filter is not a page of its own); none for "not found".
    pub fn path(&self) -> Option<String> {
        Some(match self {
            Self::Catalog { query, .. } => {
                let kept = ProductQuery {
                    category: query.category.clone(),
                    page: query.page,
                    ..ProductQuery::default()
                };
                match kept.to_query_string() {
                    q if q.is_empty() => paths::CATALOG.to_owned(),
                    q => format!("{}?{q}", paths::CATALOG),
                }
            }
            Self::Product(p) => paths::product(&p.id),
            Self::Cart => paths::CART.to_owned(),
            Self::Privacy => paths::PRIVACY.to_owned(),
            Self::NotFound => return None,
        })
    }

    /// Whether search engines should list it: not searches or filtered
    /// listings (their canonical page is), not the cart, not "not found".
    pub fn indexable(&self) -> bool {
        match self {
            Self::Catalog { query, .. } => {
                query.q.trim().is_empty()
                    && query.min_price.is_none()
                    && query.max_price.is_none()
                    && !query.in_stock
                    && query.sort == Default::default()
                    && query.per_page.is_none()
            }
            Self::Product(_) | Self::Privacy => true,
            Self::Cart | Self::NotFound => false,
        }
    }

    fn title(&self, l: Lang) -> String {
        match self {
            Self::Catalog { query, .. } if !query.q.trim().is_empty() => l.pick(
                format!("Recherche « {} » — Comptoir", query.q.trim()),
                format!("Search “{}” — Comptoir", query.q.trim()),
            ),
            Self::Catalog { query, page } if !query.category.is_empty() => {
                format!("{} — Comptoir", page.category_label(&query.category))
            }
            Self::Catalog { .. } => l
                .pick(
                    "Comptoir — vêtements et accessoires",
                    "Comptoir — clothing and accessories",
                )
                .to_owned(),
            Self::Product(p) => format!("{} — Comptoir", p.name),
            Self::Cart => l.pick("Panier — Comptoir", "Cart — Comptoir").to_owned(),
            Self::Privacy => l
                .pick(
                    "Confidentialité et mesure d'audience — Comptoir",
                    "Privacy and audience measurement — Comptoir",
                )
                .to_owned(),
            Self::NotFound => l
                .pick("Page introuvable — Comptoir", "Page not found — Comptoir")
                .to_owned(),
        }
    }

    fn description(&self, l: Lang) -> String {
        match self {
            Self::Product(p) => format!("{} — {}", p.name, p.description),
            Self::Privacy => l
                .pick(
                    "Ce que la mesure d'audience de Comptoir garde, combien de temps, et comment ne pas être mesuré.",
                    "What Comptoir's audience measurement keeps, for how long, and how not to be measured.",
                )
                .to_owned(),
            Self::Catalog { query, page } if !query.category.is_empty() => {
                let category = page.category_label(&query.category);
                l.pick(
                    format!("{category} : la sélection Comptoir, prix TTC, livraison en France et en Europe."),
                    format!(
                        "{category}: the Comptoir selection, prices include VAT, delivery in France and Europe."
                    ),
                )
            }
            _ => l
                .pick(
                    "Comptoir, boutique de vêtements et accessoires : lin, coton bio, maille. Prix TTC, livraison en France et en Europe.",
                    "Comptoir, a clothing and accessories shop: linen, organic cotton, knitwear. Prices include VAT, delivery in France and Europe.",
                )
                .to_owned(),
        }
    }
}

/// `<meta property=… content=…>` (Open Graph names its tags by `property`).
fn og(property: &'static str, content: impl Into<String>) -> impl IntoView {
    use leptos::tachys::html::attribute::custom::custom_attribute;
    use leptos::tachys::view::add_attr::AddAnyAttr;
    leptos::html::meta()
        .add_any_attr(custom_attribute("property", property))
        .content(content.into())
}

/// The absolute URL of a French `path` in `lang`.
fn url(base: &str, lang: Lang, path: &str) -> String {
    format!("{}{}", base.trim_end_matches('/'), lang.path(path))
}

/// `<head>`.
#[component]
pub fn Head(document: Document) -> impl IntoView {
    let Document {
        lang,
        page,
        base_url,
        assets,
    } = document;
    let path = page.path();
    let canonical = path.as_ref().map(|p| url(&base_url, lang, p));
    let alternates = path.as_ref().map(|p| {
        [Lang::Fr, Lang::En]
            .into_iter()
            .map(|l| view! { <link rel="alternate" hreflang=l.code() href=url(&base_url, l, p)/> })
            .collect_view()
    });
    let x_default = path.as_ref().map(|p| url(&base_url, Lang::Fr, p));
    let image = match &page {
        Page::Product(p) => Some(format!("{}{}", base_url.trim_end_matches('/'), p.image)),
        _ => None,
    };
    let lcp_image = match &page {
        Page::Product(p) => Some(p.image.clone()),
        _ => None,
    };
    let ld = structured_data(&page, lang, &base_url).map(|data| {
        // A data block, never run; with `<`, `>` and `&` as JSON escapes,
        // no text (`</script>`, `<!--<script>`) can end or swallow it.
        let text = data
            .to_string()
            .replace('<', "\\u003c")
            .replace('>', "\\u003e")
            .replace('&', "\\u0026");
        view! { <script type="application/ld+json" inner_html=text></script> }
    });
    let (title, description) = (page.title(lang), page.description(lang));
    let boot = if matches!(page, Page::Cart) {
        assets.cart_boot
    } else {
        assets.boot
    };
    let og_type = if matches!(page, Page::Product(_)) {
        "product"
    } else {
        "website"
    };
    view! {
        <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>{title.clone()}</title>
            <meta name="description" content=description.clone()/>
            {(!page.indexable()).then(|| view! { <meta name="robots" content="noindex, follow"/> })}
            {canonical.clone().map(|c| view! { <link rel="canonical" href=c/> })}
            {alternates}
            {x_default.map(|u| view! { <link rel="alternate" hreflang="x-default" href=u/> })}
            {og("og:site_name", "Comptoir")}
            {og("og:type", og_type)}
            {og("og:title", title)}
            {og("og:description", description)}
            {og("og:locale", lang.pick("fr_FR", "en_GB"))}
            {canonical.map(|c| og("og:url", c))}
            {image.map(|i| og("og:image", i))}
            <link rel="stylesheet" href=assets.css/>
            {lcp_image.map(|i| leptos::html::link().rel("preload").r#as("image").href(i).fetchpriority("high"))}
            <link rel="modulepreload" href=boot.clone()/>
            <link rel="icon" href="data:,"/>
            <script type="module" src=boot></script>
            {ld}
        </head>
    }
}

/// schema.org `Product` (one `Offer` per variant, with its live
/// availability) and `BreadcrumbList` for a product page; the breadcrumb of
/// a category page.
pub fn structured_data(page: &Page, lang: Lang, base: &str) -> Option<Value> {
    let home = url(base, lang, paths::CATALOG);
    let crumb = |position: usize, name: &str, item: &str| json!({"@type": "ListItem", "position": position, "name": name, "item": item});
    let catalogue = lang.pick("Catalogue", "Catalogue");
    let category_url = |category: &str| {
        url(
            base,
            lang,
            &format!(
                "/?{}",
                ProductQuery {
                    category: category.to_owned(),
                    ..ProductQuery::default()
                }
                .to_query_string()
            ),
        )
    };
    match page {
        Page::Product(p) => {
            let here = url(base, lang, &paths::product(&p.id));
            Some(json!([
                product_data(p, &here, base),
                {
                    "@context": "https://schema.org",
                    "@type": "BreadcrumbList",
                    "itemListElement": [
                        crumb(1, catalogue, &home),
                        crumb(2, &p.category_label, &category_url(&p.category)),
                        crumb(3, &p.name, &here),
                    ],
                }
            ]))
        }
        Page::Catalog { query, page } if !query.category.is_empty() => Some(json!({
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                crumb(1, catalogue, &home),
                crumb(2, page.category_label(&query.category), &category_url(&query.category)),
            ],
        })),
        _ => None,
    }
}

fn product_data(p: &Product, here: &str, base: &str) -> Value {
    let offers: Vec<Value> = p
        .variants
        .iter()
        .map(|v| {
            json!({
                "@type": "Offer",
                "sku": v.sku.to_string(),
                "name": v.label(),
                "price": decimal(v.price.amount),
                "priceCurrency": "EUR",
                "availability": schema_availability(v.availability),
                "url": here,
            })
        })
        .collect();
    json!({
        "@context": "https://schema.org",
        "@type": "Product",
        "productID": p.id.to_string(),
        "name": p.name,
        "description": p.description,
        "category": p.category_label,
        "image": format!("{}{}", base.trim_end_matches('/'), p.image),
        "url": here,
        "brand": {"@type": "Brand", "name": "Comptoir"},
        "offers": offers,
    })
}

/// `3500` → `"35.00"` (schema.org prices are decimal text).
fn decimal(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// The schema.org availability of a promise.
pub fn schema_availability(a: Availability) -> &'static str {
    match a {
        Availability::InStock => "https://schema.org/InStock",
        Availability::Low { .. } => "https://schema.org/LimitedAvailability",
        Availability::OutOfStock => "https://schema.org/OutOfStock",
    }
}

/// `/produits/{id}` in `lang`.
pub fn product_path(lang: Lang, id: &ProductId) -> String {
    lang.path(&paths::product(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_are_decimal_text() {
        assert_eq!(decimal(3500), "35.00");
        assert_eq!(decimal(5), "0.05");
        assert_eq!(decimal(-120), "-1.20");
    }

    #[test]
    fn a_listing_is_canonical_without_its_search_and_filters() {
        let page = |query: ProductQuery| Page::Catalog {
            query,
            page: comptoir_shared::catalog::ProductPage {
                items: vec![],
                total: 0,
                page: 1,
                per_page: 12,
                categories: vec![],
            },
        };
        let searched = page(ProductQuery {
            q: "lin".into(),
            category: "Hauts".into(),
            page: Some(2),
            ..ProductQuery::default()
        });
        assert_eq!(searched.path().as_deref(), Some("/?category=Hauts&page=2"));
        assert!(!searched.indexable());
        let category = page(ProductQuery {
            category: "Hauts".into(),
            ..ProductQuery::default()
        });
        assert!(category.indexable());
        assert_eq!(url("http://x/", Lang::En, "/"), "http://x/en/");
        assert_eq!(
            url("http://x", Lang::En, "/produits/a"),
            "http://x/en/produits/a"
        );
    }
}

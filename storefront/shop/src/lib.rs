//! The shop, what a shopper sees first: the catalog (search, categories,
//! filters, sort, pages), product pages, the cart and the privacy page, in
//! French (`/`) and English (`/en/…`).
//!
//! One component tree, two builds. The functions render every page to
//! complete HTML (feature `ssr`, [`render`]): a page depends only on its URL
//! and the catalog, never on a cookie, so any cache may keep it. The browser
//! bundle (feature `hydrate`) ships only the [`islands`] — the mini-cart, the
//! product page's picker and button, the cart — which wake up on that HTML
//! and fill in what is personal. Checkout and the portal are in
//! `comptoir-account`, loaded only when needed.

pub mod head;
pub mod islands;
pub mod pages;
pub mod shell;

use comptoir_shared::catalog::{Product, ProductPage, ProductQuery};
pub use comptoir_ui::i18n::Lang;
#[cfg(feature = "ssr")]
use leptos::prelude::*;

/// A shop page and what the functions read for it.
#[derive(Debug, Clone, PartialEq)]
pub enum Page {
    /// `/`, `/en/`: one page of the catalog for the URL's query.
    Catalog {
        /// The search, filters, sort and page of the URL.
        query: ProductQuery,
        /// What matched.
        page: ProductPage,
    },
    /// `/produits/{id}`.
    Product(Product),
    /// `/panier`: filled in by the browser (a cart is personal).
    Cart,
    /// `/confidentialite`: what the audience measurement keeps, and the
    /// button that opts this browser out (worked by the boot script).
    Privacy,
    /// Any other path (answered with status 404).
    NotFound,
}

/// The built files a page links to, by their content-hashed names
/// (`dist/assets.json`, written by `infra/build-storefront.sh`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct Assets {
    /// The stylesheet, `/pkg/style.<hash>.css`.
    pub css: String,
    /// The module that wakes the islands of every page but the cart,
    /// `/pkg/comptoir_shop_boot.<hash>.js`.
    pub boot: String,
    /// The cart page's, whose bundle also carries the cart's island.
    pub cart_boot: String,
}

/// Everything a page's HTML depends on.
#[derive(Debug, Clone)]
pub struct Document {
    /// The URL's language.
    pub lang: Lang,
    /// The page.
    pub page: Page,
    /// The shop's public origin (`https://shop.example`), for canonical
    /// URLs, `hreflang` and Open Graph.
    pub base_url: String,
    /// The built files.
    pub assets: Assets,
}

/// The whole HTML document of a shop page.
#[cfg(feature = "ssr")]
pub fn render(document: Document) -> String {
    use std::sync::Arc;
    // Rendering is synchronous; the executor only has to exist.
    let _ = any_spawner::Executor::init_futures_executor();
    let owner = Owner::new_root(Some(Arc::new(hydration_context::SsrSharedContext::new())));
    let html = owner.with(|| {
        provide_context(document.lang);
        view! { <!DOCTYPE html> <Html document/> }.to_html()
    });
    owner.unset();
    html
}

#[cfg(feature = "ssr")]
/// `<html>`: the head (title, description, links for search engines and
/// sharing, the stylesheet and the islands' boot module) and the page.
#[component]
fn Html(document: Document) -> impl IntoView {
    let lang = document.lang;
    let main = match document.page.clone() {
        Page::Catalog { query, page } => {
            view! { <pages::catalog::CatalogPage query page/> }.into_any()
        }
        Page::Product(product) => view! { <pages::product::ProductPage product/> }.into_any(),
        Page::Cart => view! { <islands::CartView lang/> }.into_any(),
        Page::Privacy => view! { <pages::privacy::PrivacyPage/> }.into_any(),
        Page::NotFound => view! { <pages::NotFound/> }.into_any(),
    };
    view! {
        <html lang=lang.code()>
            <head::Head document=document.clone()/>
            <body>
                <shell::Shell lang page=document.page>{main}</shell::Shell>
            </body>
        </html>
    }
}

/// Called by the boot module once the bundle is loaded: the islands then
/// wake up one by one on the server's HTML.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::hydrate_islands();
}

//! The shop bundle, what a shopper downloads first: the catalog (search,
//! categories, filters, sort, pages), product pages and the cart. Checkout
//! and the portal are in `comptoir-account`, loaded only when needed.

pub mod pages;

use comptoir_ui::Bundle;
use comptoir_ui::components::{NotFound, Shell};
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// The shop's routes inside the shared shell.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <Shell here=Bundle::Shop>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=pages::catalog::CatalogPage/>
                    <Route path=path!("/produits/:id") view=pages::product::ProductPage/>
                    <Route path=path!("/panier") view=pages::cart::CartPage/>
                </Routes>
            </Shell>
        </Router>
    }
}

/// Entry point called by the wasm-bindgen glue.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(App);
}

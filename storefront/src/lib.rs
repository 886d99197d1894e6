//! The shopper's storefront, a Leptos CSR app compiled to WebAssembly.
//!
//! - [`api`]: typed calls to the functions; every answer is a shared contract
//!   type or an [`comptoir_shared::ApiError`].
//! - [`state`]: the cart the browser remembers across reloads.
//! - [`pages::shop`]: catalog → product → cart → checkout → payment → order.
//! - [`components`]: the header with its mini-cart, shared widgets.
//! - [`text`]: French copy and formatting in one place.

pub mod api;
pub mod components;
pub mod pages;
pub mod state;
pub mod text;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::header::Header;
use crate::pages::shop;

/// The whole app: header, routes, footer.
#[component]
pub fn App() -> impl IntoView {
    provide_context(state::CartState::load());
    view! {
        <Router>
            <Header/>
            <main id="contenu">
                <Routes fallback=|| view! { <p class="notice">{text::NOT_FOUND}</p> }>
                    <Route path=path!("/") view=shop::catalog::CatalogPage/>
                    <Route path=path!("/produits/:id") view=shop::product::ProductPage/>
                    <Route path=path!("/panier") view=shop::cart::CartPage/>
                    <Route path=path!("/commande") view=shop::checkout::CheckoutPage/>
                    <Route path=path!("/pay/:session") view=shop::pay::PayPage/>
                    <Route path=path!("/commandes/:id") view=shop::order::OrderPage/>
                </Routes>
            </main>
            <footer class="site-footer">{text::FOOTER}</footer>
        </Router>
    }
}

/// Entry point called by the wasm-bindgen glue.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

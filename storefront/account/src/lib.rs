//! The account bundle, under `/compte/`: checkout, payment, the order page
//! that follows an order until it is paid and beyond, and the customer
//! portal (sign up / in / out, password, order history, returns, support
//! thread, post-delivery survey).

// Natively (tests, clippy) leptos is built with `ssr` for the functions,
// whose async rendering types nest deeper than the default limit allows.
#![recursion_limit = "256"]

pub mod pages;

use comptoir_ui::Bundle;
use comptoir_ui::components::{NotFound, Shell};
use comptoir_ui::state::Session;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// The account's routes inside the shared shell.
#[component]
pub fn App() -> impl IntoView {
    provide_context(Session::load());
    view! {
        <Router>
            <Shell here=Bundle::Account>
                <Routes fallback=NotFound>
                    <Route path=path!("/compte") view=pages::portal::PortalPage/>
                    <Route path=path!("/compte/connexion") view=pages::auth::SignInPage/>
                    <Route path=path!("/compte/inscription") view=pages::auth::SignUpPage/>
                    <Route path=path!("/compte/verifier") view=pages::verify::VerifyPage/>
                    <Route path=path!("/compte/commande") view=pages::checkout::CheckoutPage/>
                    <Route path=path!("/compte/paiement/:session") view=pages::pay::PayPage/>
                    <Route path=path!("/compte/commandes/:id") view=pages::order::OrderPage/>
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
